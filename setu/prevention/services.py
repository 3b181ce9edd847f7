"""Writes on awareness activities and vigilance reports. Each service takes `actor=`, checks access with
`setu.accounts.policy` before anything else, runs in one transaction, validates (a ValidationError with
field messages, and nothing saved) and writes one audit event naming the fields it touched, never their
values.

Who may write: PREVENTION_RECORD records for one of the actor's own organisations, in a district that
organisation works in, and edits its organisation's activities only (see README.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.geo.models import District, LocalLevel
from setu.prevention.models import AwarenessActivity, FollowUp, Topic, VigilanceReport, WardRecord
from setu.prevention.summary import REACHED_FIELDS

ACTIVITY_OBJECT_TYPE = "prevention.awarenessactivity"
REPORT_OBJECT_TYPE = "prevention.vigilancereport"

# The fields of an activity that `activity_record` and `activity_update` take (the organisation is set once).
ACTIVITY_FIELDS = (
    "held_on",
    "district",
    "local_level",
    "ward",
    "audience",
    *REACHED_FIELDS,
    "topics",
    "partner_organisations",
    "partners_other",
    "notes",
)
_ACTIVITY_TEXT = ("partners_other",)
_REPORT_TEXT = ("reporter",)
_LONG_TEXT = ("notes", "seen", "follow_up_note")


# --- access --------------------------------------------------------------------------------------------------


def _organisation_for_record(actor, organisation: Organisation | None, *, object_type: str) -> Organisation:
    """The organisation a new record belongs to: the actor's own (one of them, if several)."""
    grant = policy.require(actor, Permission.PREVENTION_RECORD, object_type=object_type)
    if organisation is None:
        if grant.node_wide or len(grant.organisation_ids) != 1:
            raise ValidationError({"organisation": [_("Choose the organisation that records this.")]})
        return Organisation.objects.get(pk=next(iter(grant.organisation_ids)))
    # Recording is for one's own organisation: a district in the actor's jurisdiction is not enough.
    if not (grant.node_wide or organisation.pk in grant.organisation_ids):
        raise ValidationError({"organisation": [_("You cannot record for this organisation.")]})
    return organisation


def _require_edit(actor, activity: AwarenessActivity) -> None:
    grant = policy.grants(actor, Permission.PREVENTION_RECORD)
    if not grant.covers(organisation_id=activity.organisation_id, district_id=activity.district_id):
        policy.deny(actor, Permission.PREVENTION_RECORD.value, object_type=ACTIVITY_OBJECT_TYPE,
                    object_id=str(activity.public_id))  # fmt: skip


# --- validation helpers --------------------------------------------------------------------------------------


def _tidy(values: dict[str, Any], *, lines: Iterable[str], texts: Iterable[str]) -> dict[str, Any]:
    """Trim what people type: one-line fields to single spaces, long text at its ends."""
    for name in lines:
        if values.get(name) is not None:
            values[name] = " ".join(str(values[name]).split())
    for name in texts:
        if values.get(name) is not None:
            values[name] = str(values[name]).strip()
    return values


def _topics(topics: Iterable[str] | None) -> list[str] | Any:
    """Topics in the list's order, each once; anything that is not a list of strings is left for clean()."""
    if topics is None or isinstance(topics, str):
        return topics
    chosen = list(topics)
    if not all(isinstance(topic, str) for topic in chosen):
        return chosen
    known = [topic for topic in Topic.values if topic in chosen]
    unknown = [topic for topic in dict.fromkeys(chosen) if topic not in Topic.values]
    return known + unknown


def _check_counts(values: dict[str, Any], errors: dict[str, list]) -> None:
    """The counts given are whole numbers of people: never negative, never text; None counts no one."""
    for name in [name for name in REACHED_FIELDS if name in values]:
        value = values[name]
        if value is None:
            values[name] = 0
        elif isinstance(value, bool) or not isinstance(value, int):
            errors.setdefault(name, []).append(_("Enter a whole number."))
            values[name] = 0
        elif value < 0:
            errors.setdefault(name, []).append(_("A number of people cannot be negative."))


def _check_district(organisation: Organisation, district: District | None, errors: dict[str, list]) -> None:
    """An organisation records in the districts it works in (its jurisdiction), when it has any."""
    if district is None:
        return
    districts = set(organisation.districts.values_list("pk", flat=True))
    if districts and district.pk not in districts:
        errors.setdefault("district", []).append(
            _("%(organisation)s does not work in %(district)s. Choose one of its districts, or ask an administrator "
              "to add this one.") % {"organisation": organisation.name, "district": district.name}
        )  # fmt: skip


def _check_partners(
    partners: Iterable[Organisation] | None, owner: Organisation, errors: dict[str, list]
) -> list[Organisation]:
    """Active organisations of this node; the organisation that ran the activity is not its own partner."""
    chosen = list(dict.fromkeys(partners or ()))
    if any(not isinstance(partner, Organisation) or not partner.is_active for partner in chosen):
        errors.setdefault("partner_organisations", []).append(_("Choose partners from the organisations listed."))
        return []
    return [partner for partner in chosen if partner.pk != owner.pk]


def _full_clean(record: WardRecord, errors: dict[str, list]) -> None:
    try:
        record.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(message for message in messages if message not in errors.get(name, []))


def _given(record: WardRecord, names: Iterable[str]) -> list[str]:
    return [name for name in names if getattr(record, _attname(name)) not in (None, "", [], 0)]


def _attname(name: str) -> str:
    return f"{name}_id" if name in ("district", "local_level") else name


# --- awareness activities ------------------------------------------------------------------------------------


def activity_record(
    *,
    actor,
    held_on: dt.date | None,
    district: District | None,
    local_level: LocalLevel | None,
    ward: int | None,
    audience: str,
    topics: Iterable[str],
    female_under_18: int = 0,
    female_adult: int = 0,
    male_under_18: int = 0,
    male_adult: int = 0,
    other_under_18: int = 0,
    other_adult: int = 0,
    partner_organisations: Iterable[Organisation] = (),
    partners_other: str = "",
    notes: str = "",
    organisation: Organisation | None = None,
) -> AwarenessActivity:
    """Record an awareness activity for the actor's organisation (or `organisation`, if the actor has several).

    Refused with field messages, and nothing saved: a date in the future, a local level outside the district
    or a ward outside the local level, a district the organisation does not work in, no one reached, no topic.
    """
    owner = _organisation_for_record(actor, organisation, object_type=ACTIVITY_OBJECT_TYPE)
    values = _tidy(
        {
            "held_on": held_on, "ward": ward, "audience": audience, "topics": _topics(topics),
            "female_under_18": female_under_18, "female_adult": female_adult, "male_under_18": male_under_18,
            "male_adult": male_adult, "other_under_18": other_under_18, "other_adult": other_adult,
            "partners_other": partners_other, "notes": notes,
        },
        lines=_ACTIVITY_TEXT, texts=_LONG_TEXT,
    )  # fmt: skip
    with transaction.atomic():
        errors: dict[str, list] = {}
        _check_counts(values, errors)
        activity = AwarenessActivity(
            **values, organisation=owner, district=district, local_level=local_level, created_by=actor
        )
        _full_clean(activity, errors)
        _check_district(owner, district, errors)
        partners = _check_partners(partner_organisations, owner, errors)
        if errors:
            raise ValidationError(errors)
        activity.save()
        activity.partner_organisations.set(partners)
        given = _given(activity, [name for name in ACTIVITY_FIELDS if name != "partner_organisations"])
        given += ["partner_organisations"] if partners else []
        audit_record(actor=actor, action="prevention.activity_record", obj=activity, organisation=owner,
                     fields=["organisation", *given])  # fmt: skip
        return activity


def _snapshot(activity: AwarenessActivity) -> dict[str, Any]:
    values = {name: getattr(activity, _attname(name)) for name in ACTIVITY_FIELDS if name != "partner_organisations"}
    values["partner_organisations"] = set(activity.partner_organisations.values_list("pk", flat=True))
    return values


def activity_update(*, actor, activity: AwarenessActivity, **changes: Any) -> AwarenessActivity:
    """Change some of an activity's fields (any of ACTIVITY_FIELDS). Only its own organisation may.

    The same rules as `activity_record`; a refused change saves nothing."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update() got fields it does not edit: {sorted(unknown)}")
    # Checked before the transaction opens, so that the audit row of a refusal is not rolled back with it.
    _require_edit(actor, activity)
    with transaction.atomic():
        activity = (
            AwarenessActivity.objects.select_for_update(of=("self",))
            .select_related("organisation", "local_level")
            .get(pk=activity.pk)
        )
        before = _snapshot(activity)
        partners_given = "partner_organisations" in changes
        partner_choice = changes.pop("partner_organisations", None)
        if "topics" in changes:
            changes["topics"] = _topics(changes["topics"])
        changes = _tidy(changes, lines=_ACTIVITY_TEXT, texts=_LONG_TEXT)
        errors: dict[str, list] = {}
        counts = {name: changes[name] for name in REACHED_FIELDS if name in changes}
        _check_counts(counts, errors)
        changes.update(counts)
        for name, value in changes.items():
            setattr(activity, name, value)
        _full_clean(activity, errors)
        if activity.district_id != before["district"]:
            _check_district(activity.organisation, activity.district, errors)
        partners = _check_partners(partner_choice, activity.organisation, errors) if partners_given else None
        if errors:
            raise ValidationError(errors)
        fields = sorted(
            name for name in ACTIVITY_FIELDS if name != "partner_organisations"
            and before[name] != getattr(activity, _attname(name))
        )  # fmt: skip
        if fields:
            activity.save()
        if partners is not None and {p.pk for p in partners} != before["partner_organisations"]:
            activity.partner_organisations.set(partners)
            fields.append("partner_organisations")
        audit_record(actor=actor, action="prevention.activity_update", obj=activity,
                     organisation=activity.organisation, fields=fields)  # fmt: skip
        return activity


# --- vigilance reports ---------------------------------------------------------------------------------------

REPORT_FIELDS = ("reported_on", "district", "local_level", "ward", "reporter", "kind", "seen", "follow_up",
                 "follow_up_note")  # fmt: skip


def vigilance_report_record(
    *,
    actor,
    reported_on: dt.date | None,
    district: District | None,
    local_level: LocalLevel | None,
    ward: int | None,
    reporter: str,
    kind: str,
    seen: str,
    follow_up: str = FollowUp.NONE,
    follow_up_note: str = "",
    organisation: Organisation | None = None,
) -> VigilanceReport:
    """Record what a community vigilance committee reported, for the actor's organisation (or `organisation`).

    Refused with field messages, and nothing saved: as for activities, plus no reporter, nothing described,
    or an "other" follow-up without a note."""
    owner = _organisation_for_record(actor, organisation, object_type=REPORT_OBJECT_TYPE)
    values = _tidy(
        {"reported_on": reported_on, "ward": ward, "reporter": reporter, "kind": kind, "seen": seen,
         "follow_up": follow_up, "follow_up_note": follow_up_note},
        lines=_REPORT_TEXT, texts=_LONG_TEXT,
    )  # fmt: skip
    with transaction.atomic():
        errors: dict[str, list] = {}
        report = VigilanceReport(
            **values, organisation=owner, district=district, local_level=local_level, created_by=actor
        )
        _full_clean(report, errors)
        _check_district(owner, district, errors)
        if errors:
            raise ValidationError(errors)
        report.save()
        audit_record(actor=actor, action="prevention.vigilance_record", obj=report, organisation=owner,
                     fields=["organisation", *_given(report, REPORT_FIELDS)])  # fmt: skip
        return report
