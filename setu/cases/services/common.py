"""What every case service shares: the SOP facts and clock of a case, its deadline, the timeline, locking
with the revision check, access and consent checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.cases import choices
from setu.cases.models import (
    Case,
    CaseEvent,
    Task,
)
from setu.cases.services.errors import (
    CaseConflictError,
    ConsentMissingError,
)
from setu.cases.services.sop import (
    definition_of,
    stage_name,
)
from setu.cases.sop import engine
from setu.cases.sop.definition import SopDefinition


def sop_events_of(case: Case) -> dict[str, dt.datetime]:
    return {name: dt.datetime.fromisoformat(value) for name, value in case.sop_events.items()}


def case_facts(case: Case) -> engine.CaseFacts:
    """What the SOP engine needs to know of a case: favourable decisions, documents, live consents, facts."""
    decisions: dict[str, bool] = {}
    for kind, favourable in case.decisions.order_by("decided_on", "id").values_list("kind", "favourable"):
        decisions[kind] = favourable  # the latest decision of each kind counts
    return engine.CaseFacts(
        stage=case.stage,
        decisions=frozenset(kind for kind, favourable in decisions.items() if favourable),
        documents=frozenset(case.documents.values_list("doc_type", flat=True)),
        consents=frozenset(case.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)),
        attributes={"minor": case.is_minor, "path": case.path},
        events={**sop_events_of(case), "stage_entered": case.stage_entered_at},
    )


def case_clock(case: Case, *, now: dt.datetime | None = None) -> engine.Clock:
    return engine.clock(
        definition_of(case.sop_version),
        engine.CaseFacts(stage=case.stage, events={**sop_events_of(case), "stage_entered": case.stage_entered_at}),
        now=now or timezone.now(),
    )


def set_due(case: Case, definition: SopDefinition) -> None:
    stage = definition.stages[case.stage]
    case.due_at = engine.due_at(stage.deadline, sop_events_of(case), case.stage_entered_at)
    case.escalate_at = (
        case.due_at + dt.timedelta(hours=stage.escalation.after_hours)
        if case.due_at is not None and stage.escalation is not None
        else None
    )
    case.escalated_at = None


# Timeline entries keep their message untranslated with references for the parts that have names (stages,
# value lists, organisations, dates), and are put into words in the reader's language (`event_text`): a
# Nepali reader sees an entry a Hindi user made in Nepali. `summary` keeps the English words for exports.


def stage_ref(key: str) -> dict:
    return {"stage": key}


def choice_ref(choice_class: str, value: str) -> dict:
    return {"choice": choice_class, "value": value}


def org_ref(organisation_id: int) -> dict:
    return {"organisation": organisation_id}


def _param_text(case: Case, value: Any) -> str:
    if not isinstance(value, dict):
        return str(value)
    if "stage" in value:
        return stage_name(case, value["stage"])
    if "choice" in value:
        choice_class = getattr(choices, value["choice"], None)
        return str(choice_class(value["value"]).label) if choice_class else str(value["value"])
    if "organisation" in value:
        organisation = Organisation.objects.filter(pk=value["organisation"]).first()
        return organisation.name if organisation else "?"
    if "date" in value:
        return str(value["date"])  # ISO (AD), as the API gives dates
    if "fields" in value:
        return ", ".join(str(getattr(Case._meta.get_field(n), "verbose_name", n)) for n in value["fields"])
    return str(value)


def event_text(event: CaseEvent, case: Case | None = None) -> str:
    """A timeline entry in the active language."""
    if not event.message:
        return event.summary
    case = case or event.case
    return _(event.message) % {name: _param_text(case, value) for name, value in event.params.items()}


def task_text(task: Task) -> str:
    """A task's title in the active language (`Task.title` keeps it in English)."""
    case = task.case
    if task.kind == choices.TaskKind.EXCHANGE:
        from setu.exchange.flows import type_label  # the exchange builds on cases, not the other way round

        return _("Case %(number)s: %(message)s from the other country to answer") % {
            "number": case.number, "message": type_label(task.stage)}  # fmt: skip
    if task.kind == choices.TaskKind.TRANSFER:
        return _("Accept or refuse case %(number)s from %(org)s") % {"number": case.number,
                                                                     "org": case.organisation.name}  # fmt: skip
    return _("Case %(number)s is past its deadline at “%(stage)s”") % {
        "number": case.number, "stage": stage_name(case, task.stage)}  # fmt: skip


def record_event(
    case: Case, kind: str, actor, message: str, params: dict | None = None, *, at: dt.datetime | None = None
) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = CaseEvent(
        case=case, at=at or timezone.now(), kind=kind, actor=user,
        organisation=policy.primary_organisation(user) if user else None, message=message, params=params or {},
    )  # fmt: skip
    with translation.override("en"):
        event.summary = event_text(event, case)[:500]
    event.save()


def lock_case(case: Case, revision: int | None) -> Case:
    """The case row locked for this transaction; CaseConflictError if it moved on since `revision` was read."""
    current = Case.objects.select_for_update().select_related("sop_version").get(pk=case.pk)
    if revision is not None and current.revision != revision:
        raise CaseConflictError(current)
    return current


def bump_revision(case: Case, *fields: str) -> None:
    case.revision = F("revision") + 1
    case.save(update_fields=[*fields, "revision", "updated_at"])
    case.refresh_from_db(fields=["revision"])


def require_work(actor, case: Case) -> None:
    grant = policy.grants(actor, Permission.CASE_WORK)
    if not (grant.covers(organisation_id=case.organisation_id, district_id=case.district_id)):
        policy.deny(actor, "case.work", object_type="cases.case", object_id=str(case.public_id))


def require_purpose(case: Case, purpose: str) -> None:
    """Refuse (ConsentMissingError) an action whose purpose has no live consent or recorded legal basis."""
    if not case.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
        raise ConsentMissingError(purpose)


def current_time(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def checked_choices(values: Iterable[str], allowed: type[models.TextChoices], field: str) -> list[str]:
    values = list(dict.fromkeys(values))
    unknown = [v for v in values if v not in allowed.values]
    if unknown:
        raise ValidationError({field: [_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}]})
    return values
