"""How the case pages put the SOP into words: step labels, the clock, durations, and the SOP engine's reasons
(plain English from a pure module) turned into translatable sentences with labels instead of keys."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from setu.accounts.roles import ROLE_LABELS, Role
from setu.cases import choices, services
from setu.cases.models import Case

# The steps of SOP v1 in words; a step of a later version without a label here shows its key.
ACTION_LABELS = {
    "produce_before_cwc": gettext_lazy("Produce her before the Child Welfare Committee"),
    "produce_before_magistrate": gettext_lazy("Produce her before the magistrate (ITPA custody)"),
    "place_in_care": gettext_lazy("Place her in care"),
    "request_verification": gettext_lazy("Ask the origin country to verify"),
    "plan_reintegration": gettext_lazy("Plan reintegration within this country"),
    "verification_confirmed": gettext_lazy("Record the origin country's verification"),
    "order_repatriation": gettext_lazy("Order repatriation"),
    "decide_to_stay": gettext_lazy("Decide she stays: plan reintegration here"),
    "handover_confirmed": gettext_lazy("Record the handover at the border"),
    "return_home": gettext_lazy("Return home"),
    "close": gettext_lazy("Close the case"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label else action.replace("_", " ").capitalize()


def duration_text(delta: dt.timedelta) -> str:
    """Like "3 days 4 h", "5 h 20 min" or "40 min": precise enough for a deadline, short enough for a phone."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    if days >= 2:
        hours = rest // 60
        if not hours:
            return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
        return ngettext("%(days)d day %(hours)d h", "%(days)d days %(hours)d h", days) % {"days": days, "hours": hours}
    hours, minutes = divmod(minutes, 60)
    if hours and not minutes:
        return _("%(hours)d h") % {"hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


# What an SOP deadline counts from, in words; an event of a later SOP version without a label shows its key.
CLOCK_EVENTS = {
    "rescued": gettext_lazy("rescue or identification"),
    "stage_entered": gettext_lazy("entering the stage"),
    "first_production": gettext_lazy("first production before the CWC"),
}


def deadline_text(deadline) -> str:
    """Like "24 h from rescue or identification": how long a deadline is and what it counts from."""
    span = duration_text(dt.timedelta(hours=deadline.hours))
    event = CLOCK_EVENTS.get(deadline.from_event, deadline.from_event)
    return _("%(span)s from %(event)s") % {"span": span, "event": event}


@dataclass(frozen=True)
class ClockView:
    """The SOP clock of a case as a page shows it."""

    kind: str  # statutory | target | "" (no deadline in this stage)
    law: str
    due: dt.datetime | None
    overdue: bool
    in_stage: str
    left: str
    late: str
    stopped: bool  # closed: no clock runs


def clock_view(case: Case, now: dt.datetime) -> ClockView:
    if case.status in (choices.CaseStatus.CLOSED, choices.CaseStatus.CLOSED_REFERRED):
        return ClockView("", "", None, False, "", "", "", stopped=True)
    clock = services.case_clock(case, now=now)
    remaining = clock.remaining
    return ClockView(
        kind=clock.kind, law=clock.law, due=clock.due, overdue=clock.overdue, in_stage=duration_text(clock.in_stage),
        left=duration_text(remaining) if remaining is not None and not clock.overdue else "",
        late=duration_text(-remaining) if remaining is not None and clock.overdue else "", stopped=False,
    )  # fmt: skip


def _label(choice_class, value: str) -> str:
    return str(choice_class(value).label) if value in choice_class.values else value


_ROLE_VALUES = frozenset(role.value for role in Role)


def role_label(role: str) -> str:
    return _(ROLE_LABELS[Role(role)]) if role in _ROLE_VALUES else role


_CONDITIONS = {
    ("minor", "True"): gettext_lazy("this step is for children"),
    ("minor", "False"): gettext_lazy("this step is for adults"),
    ("path", "'cross_border'"): gettext_lazy("this step is for survivors going home across the border"),
    ("path", "'domestic'"): gettext_lazy("this step is for survivors going home within this country"),
}

_REASONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"the decision '(\w+)' must be recorded first"),
     lambda m: _("the decision “%(kind)s” must be recorded first") % {
         "kind": _label(choices.DecisionKind, m[1])}),
    (re.compile(r"the document '(\w+)' must be attached first"),
     lambda m: _("the document “%(type)s” must be attached first") % {
         "type": _label(choices.DocumentType, m[1])}),
    (re.compile(r"consent \(or a recorded legal basis\) for '(\w+)' is missing"),
     lambda m: _("consent (or a recorded legal basis) for “%(purpose)s” is missing") % {
         "purpose": _label(choices.ConsentPurpose, m[1])}),
    (re.compile(r"this step is for cases where (\w+) is (.+)"),
     lambda m: str(_CONDITIONS.get((m[1], m[2]), m[0]))),
    (re.compile(r"a (\w+) may not act on '\w+'"),
     lambda m: _("a %(role)s may not act in this stage") % {"role": role_label(m[1]).lower()}),
    (re.compile(r"'\w+' is completed by the other country's node, not on this one"),
     lambda m: _("this stage is completed by the other country")),
]  # fmt: skip
_ROLE_KEYS = re.compile(r"\b(" + "|".join(role.value for role in Role) + r")\b")


def reason_text(reason: str) -> str:
    """An SOP refusal in the user's language: the engine's sentences get their translation, with the labels of
    decisions, documents, purposes and roles in place of their keys; the service's are translated already."""
    for pattern, words in _REASONS:
        match = pattern.fullmatch(reason)
        if match:
            return words(match)
    return _ROLE_KEYS.sub(lambda m: role_label(m[1]).lower(), reason)
