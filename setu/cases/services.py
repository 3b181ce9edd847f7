"""Writes of the cases app: atomic, access-checked, audited, and under the SOP the case was opened with.

Every function takes the acting user first (`actor=`), checks access through `setu.accounts.policy`, runs
in one transaction, writes the case's timeline and an audit event (field names, never values), and refuses
with a reason and no change at all when the SOP, consent or a concurrent edit says no:
- `SopRefusalError` (a ValidationError): the SOP does not allow the step now, with every reason;
- `ConsentMissingError` (a ValidationError): the purpose has neither live consent nor a recorded legal basis;
- `CaseConflictError`: someone else changed the case since the form was opened (revision mismatch).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import ROLE_LABELS, SUPERVISOR_ROLES, Permission, Role
from setu.audit.services import audit_record
from setu.cases import choices, crypto, vocabulary
from setu.cases.models import (
    Assessment,
    Case,
    CaseCounter,
    CaseDocument,
    CaseEvent,
    Consent,
    Decision,
    FollowUp,
    RelatedPerson,
    SensitiveNote,
    ServiceDelivery,
    SopVersion,
    StageRecord,
    SupportPlan,
    Task,
    TraffickingEvent,
    Transfer,
)
from setu.cases.sop import engine
from setu.cases.sop.definition import SopDefinition, SopDefinitionError, load_definition

CLI_ACTOR = "setu-cli"


def sop_parse(text: str) -> SopDefinition:
    """Validate a definition file; a refusal is a ValidationError whose messages carry the line numbers."""
    try:
        return load_definition(text, known_roles=set(vocabulary.ROLES), known_decisions=set(vocabulary.DECISION_KINDS))
    except SopDefinitionError as exc:
        raise ValidationError({"source": [str(problem) for problem in exc.problems]}) from exc


def sop_load(*, actor, text: str) -> SopVersion:
    """Load a definition file and make it the version new cases are opened under.

    The whole file is validated first; with any problem nothing changes and the running version stays.
    Loading the same version with the same content again changes nothing; a known version number with
    other content is refused (a version, once used by cases, never changes). `actor=None` is the CLI.
    """
    if actor is not None:
        policy.require(actor, Permission.SOP_MANAGE, object_type="cases.sopversion")
    definition = sop_parse(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        existing = SopVersion.objects.select_for_update().filter(version=definition.version).first()
        if existing is not None and existing.sha256 != digest:
            raise ValidationError(
                {
                    "source": [
                        _(
                            "Version %(version)s is already loaded with other content: give the new file a new "
                            "version number."
                        )
                        % {"version": definition.version}
                    ]
                }  # fmt: skip
            )
        if existing is not None and existing.is_current:
            return existing  # already in use: nothing to change, nothing to record
        SopVersion.objects.filter(is_current=True).exclude(version=definition.version).update(is_current=False)
        if existing is None:
            existing = SopVersion.objects.create(
                version=definition.version, title=definition.title, source=text, sha256=digest,
                loaded_by=actor, is_current=True,
            )  # fmt: skip
            action = "sop.load"
        else:  # an older version brought back into use
            action = "sop.make_current"
            existing.is_current = True
            existing.save(update_fields=["is_current", "updated_at"])
        audit_record(
            actor=actor, actor_username="" if actor else CLI_ACTOR, action=action, obj=existing,
            fields=["version", "source"],
        )  # fmt: skip
    return existing


# --- refusals ------------------------------------------------------------------------------------------------


class SopRefusalError(ValidationError):
    """The SOP does not allow this step now; `reasons` says every reason, and nothing was changed."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = list(reasons)
        super().__init__({"action": self.reasons}, code="sop")


class ConsentMissingError(ValidationError):
    """The action's purpose has neither live consent nor a recorded legal basis; nothing was changed."""

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose
        label = choices.ConsentPurpose(purpose).label
        super().__init__(
            {
                "consent": [
                    _(
                        "This needs consent (or a recorded legal basis) for the purpose “%(purpose)s”, and the case "
                        "has none in force. Record it under Consent first; nothing was changed."
                    )
                    % {"purpose": label}
                ]
            },
            code="consent",
        )


class CaseConflictError(Exception):
    """Someone else changed the case after the form was opened; nothing was changed."""

    def __init__(self, case: Case) -> None:
        self.case = case
        super().__init__(
            _(
                "Someone else changed case %(number)s while you were working on it (it is now at “%(stage)s”). "
                "Reload the case and try again; nothing was changed."
            )
            % {"number": case.number, "stage": stage_name(case)}
        )


# --- the SOP of a case ---------------------------------------------------------------------------------------

_DEFINITIONS: dict[str, SopDefinition] = {}


def definition_of(version: SopVersion) -> SopDefinition:
    """The parsed definition of a loaded version, cached by its SHA-256 (a version never changes)."""
    cached = _DEFINITIONS.get(version.sha256)
    if cached is None:
        cached = _DEFINITIONS[version.sha256] = sop_parse(version.source)
    return cached


def stage_name(case: Case, key: str | None = None, language: str | None = None) -> str:
    from django.utils.translation import get_language

    stage = definition_of(case.sop_version).stages.get(key or case.stage)
    if stage is None:
        return key or case.stage
    lang = (language or get_language() or "en")[:2]
    return stage.names.get(lang) or stage.names["en"]


def _events(case: Case) -> dict[str, dt.datetime]:
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
        events={**_events(case), "stage_entered": case.stage_entered_at},
    )


def case_clock(case: Case, *, now: dt.datetime | None = None) -> engine.Clock:
    return engine.clock(
        definition_of(case.sop_version),
        engine.CaseFacts(stage=case.stage, events={**_events(case), "stage_entered": case.stage_entered_at}),
        now=now or timezone.now(),
    )


def _set_due(case: Case, definition: SopDefinition) -> None:
    stage = definition.stages[case.stage]
    case.due_at = engine.due_at(stage.deadline, _events(case), case.stage_entered_at)
    case.escalate_at = (
        case.due_at + dt.timedelta(hours=stage.escalation.after_hours)
        if case.due_at is not None and stage.escalation is not None
        else None
    )
    case.escalated_at = None


# Timeline entries keep their message untranslated with references for the parts that have names (stages,
# value lists, organisations, dates), and are put into words in the reader's language (`event_text`): a
# Nepali reader sees an entry a Hindi user made in Nepali. `summary` keeps the English words for exports.


def _stage_ref(key: str) -> dict:
    return {"stage": key}


def _choice_ref(choice_class: str, value: str) -> dict:
    return {"choice": choice_class, "value": value}


def _org_ref(organisation_id: int) -> dict:
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
    if task.kind == choices.TaskKind.TRANSFER:
        return _("Accept or refuse case %(number)s from %(org)s") % {"number": case.number,
                                                                     "org": case.organisation.name}  # fmt: skip
    return _("Case %(number)s is past its deadline at “%(stage)s”") % {
        "number": case.number, "stage": stage_name(case, task.stage)}  # fmt: skip


def _event(
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


def _locked(case: Case, revision: int | None) -> Case:
    """The case row locked for this transaction; CaseConflictError if it moved on since `revision` was read."""
    current = Case.objects.select_for_update().select_related("sop_version").get(pk=case.pk)
    if revision is not None and current.revision != revision:
        raise CaseConflictError(current)
    return current


def _bump(case: Case, *fields: str) -> None:
    case.revision = F("revision") + 1
    case.save(update_fields=[*fields, "revision", "updated_at"])
    case.refresh_from_db(fields=["revision"])


def _require_work(actor, case: Case) -> None:
    grant = policy.grants(actor, Permission.CASE_WORK)
    if not (grant.covers(organisation_id=case.organisation_id, district_id=case.district_id)):
        policy.deny(actor, "case.work", object_type="cases.case", object_id=str(case.public_id))


def require_purpose(case: Case, purpose: str) -> None:
    """Refuse (ConsentMissingError) an action whose purpose has no live consent or recorded legal basis."""
    if not case.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
        raise ConsentMissingError(purpose)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- opening a case ------------------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{settings.SETU_NODE}-{year}-{counter.last:06d}"


def _choices_list(values: Iterable[str], allowed: type[models.TextChoices], field: str) -> list[str]:
    values = list(dict.fromkeys(values))
    unknown = [v for v in values if v not in allowed.values]
    if unknown:
        raise ValidationError({field: [_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}]})
    return values


def case_open(
    *,
    actor,
    survivor,
    district,
    identified_at: dt.datetime,
    organisation: Organisation | None = None,
    path: str | None = None,
    age_at_identification: int | None = None,
    trafficking_status: str = choices.TraffickingStatus.POSSIBLE,
    exploitation_types: Sequence[str] = (),
    control_methods: Sequence[str] = (),
    recruitment_place: str = "",
    recruitment_district=None,
    exploitation_place: str = "",
    exploitation_country: str = "",
    summary: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Open a case for a survivor under the SOP version in use now, in the SOP's start stage."""
    now = _now(now)
    grant = policy.require(actor, Permission.CASE_OPEN, object_type="cases.case")
    if organisation is None:
        organisation = Organisation.objects.filter(pk__in=sorted(grant.organisation_ids)).first()
    if organisation is None or not grant.covers(organisation_id=organisation.pk):
        policy.deny(
            actor,
            "case.open",
            object_type="accounts.organisation",
            object_id=str(getattr(organisation, "public_id", "")),
        )
    if not policy.grants(actor, Permission.PERSON_VIEW).covers(
        organisation_id=survivor.organisation_id, district_id=survivor.location_district_id
    ):
        policy.deny(actor, "case.open", object_type="people.person", object_id=str(survivor.public_id))
    errors: dict[str, list[str]] = {}
    if identified_at > now + dt.timedelta(minutes=5):
        errors["identified_at"] = [_("The identification date cannot be in the future.")]
    if age_at_identification is None and survivor.birth_date is not None:
        from setu.core.dates import age_on

        age_at_identification = age_on(survivor.birth_date, identified_at.date())
    if age_at_identification is None:
        errors["age_at_identification"] = [
            _("Give her age when identified (an estimate will do): the SOP differs for children and adults.")
        ]
    elif not 0 <= age_at_identification <= 120:
        errors["age_at_identification"] = [_("The age must be between 0 and 120.")]
    if trafficking_status not in choices.TraffickingStatus.values:
        errors["trafficking_status"] = [_("Unknown trafficking status.")]
    if path is None:
        path = (
            choices.CasePath.CROSS_BORDER
            if survivor.nationality and survivor.nationality != settings.SETU_NODE
            else choices.CasePath.DOMESTIC
        )
    if path not in choices.CasePath.values:
        errors["path"] = [_("Unknown way home.")]
    if errors:
        raise ValidationError(errors)
    exploitation_types = _choices_list(exploitation_types, choices.ExploitationType, "exploitation_types")
    control_methods = _choices_list(control_methods, choices.ControlMethod, "control_methods")
    version = SopVersion.objects.filter(is_current=True).first()
    if version is None:
        raise ValidationError(
            {"__all__": [_("No SOP version is in use on this node: an administrator loads one first.")]}
        )
    definition = definition_of(version)
    start = definition.stages[definition.start]
    with transaction.atomic():
        case = Case(
            number=_next_number(identified_at.year), survivor=survivor, sop_version=version,
            stage=definition.start, stage_entered_at=identified_at,
            sop_events={"rescued": identified_at.isoformat()}, path=path, organisation=organisation,
            opened_by_organisation=organisation, owner=actor, district=district, identified_at=identified_at,
            age_at_identification=age_at_identification, is_minor=(age_at_identification or 0) < 18,
            trafficking_status=trafficking_status, exploitation_types=exploitation_types,
            control_methods=control_methods, recruitment_place=recruitment_place,
            recruitment_district=recruitment_district, exploitation_place=exploitation_place,
            exploitation_country=exploitation_country, summary=summary, created_by=actor,
        )  # fmt: skip
        _set_due(case, definition)
        case.save()
        case.team.add(actor)
        StageRecord.objects.create(
            case=case, stage=case.stage, entered_at=identified_at, moved_by=actor, due_at=case.due_at,
            deadline_kind=start.deadline.kind if start.deadline else "",
            reason=_("Case opened"),
        )  # fmt: skip
        _event(
            case,
            "opened",
            actor,
            gettext_noop("Case opened under SOP %(version)s"),
            {"version": version.version},
            at=now,
        )
        audit_record(actor=actor, action="case.open", obj=case, fields=["survivor", "stage", "organisation"])
    return case


# --- moving through the SOP ----------------------------------------------------------------------------------


def case_available(
    case: Case, actor, *, now: dt.datetime | None = None, with_reference: bool = False
) -> list[engine.Verdict]:
    """Every step out of the current stage for this user, allowed or not, with the reasons. With
    `with_reference`, a bilateral stage's steps are judged as if the other country's reference were given
    (what a form that asks for the reference needs to know)."""
    now = _now(now)
    definition = definition_of(case.sop_version)
    roles = sorted(
        policy.roles_reaching(
            actor, Permission.CASE_WORK, organisation_id=case.organisation_id, district_id=case.district_id
        )  # fmt: skip
    )
    facts = case_facts(case)
    result = []
    stage = definition.stages.get(case.stage)
    if stage is None:
        return []
    for action in dict.fromkeys(e.action for e in stage.exits):
        result.append(_verdict(definition, facts, action, roles, now, counterpart=with_reference, case=case))
    return result


def _verdict(definition, facts, action, roles, now, *, counterpart: bool, case: Case) -> engine.Verdict:
    current = definition.stages[facts.stage]
    if not case.is_open:
        label = choices.CaseStatus(case.status).label
        return engine.Verdict(False, action, reasons=(_("the case is %(status)s") % {"status": label.lower()},))
    if not roles:
        return engine.Verdict(False, action, reasons=(_("you have no role that may work on this case"),))
    if current.bilateral:
        if not set(roles) & current.actors:
            return engine.Verdict(
                False,
                action,
                reasons=(
                    _("only a %(roles)s records the other country's reply")
                    % {"roles": " / ".join(_(ROLE_LABELS[Role(r)]).lower() for r in sorted(current.actors))},
                ),
            )
        # Role checked just above; the engine then checks the step's conditions and requirements.
        verdict = engine.evaluate(definition, facts, action, role=roles[0], now=now, from_peer=True)
        if counterpart:
            return verdict
        need = _("the other country's reply completes this stage: give its reference (letter, message or "
                 "meeting) when you record it")  # fmt: skip
        return engine.Verdict(False, action, to=verdict.to, reasons=(need, *verdict.reasons))
    verdicts = [engine.evaluate(definition, facts, action, role=role, now=now) for role in roles]
    return next((v for v in verdicts if v.allowed), verdicts[0])


def case_act(
    *,
    actor,
    case: Case,
    action: str,
    reason: str,
    revision: int | None,
    counterpart_reference: str = "",
    closure_reason: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Take one SOP step. Refused with every reason (SopRefusalError) and no change when the SOP says no.

    A bilateral stage (completed by the other country) is moved on here when a listed role records the other
    country's reply with its reference; once the exchange carries the reply, the message does it.
    """
    now = _now(now)
    _require_work(actor, case)
    with transaction.atomic():
        case = _locked(case, revision)
        if not reason.strip():
            raise ValidationError({"reason": [_("Say why the case moves on: the stage history keeps it.")]})
        definition = definition_of(case.sop_version)
        roles = sorted(
            policy.roles_reaching(
                actor, Permission.CASE_WORK, organisation_id=case.organisation_id, district_id=case.district_id
            )  # fmt: skip
        )
        counterpart = bool(counterpart_reference.strip())
        verdict = _verdict(definition, case_facts(case), action, roles, now, counterpart=counterpart, case=case)
        if not verdict.allowed or verdict.to is None:
            raise SopRefusalError(verdict.reasons)
        target = definition.stages[verdict.to]
        if target.final and closure_reason not in choices.ClosureReason.values:
            raise ValidationError({"closure_reason": [_("Choose the reason for closing the case.")]})
        previous = case.stage
        StageRecord.objects.filter(case=case, left_at__isnull=True).update(left_at=now)
        case.stage, case.stage_entered_at = target.key, now
        events = dict(case.sop_events)
        for name in target.records:
            events.setdefault(name, now.isoformat())
        case.sop_events = events
        _set_due(case, definition)
        fields = ["stage", "stage_entered_at", "sop_events", "due_at", "escalate_at", "escalated_at"]
        if target.final:
            case.status, case.closure_reason, case.closed_at = choices.CaseStatus.CLOSED, closure_reason, now
            fields += ["status", "closure_reason", "closed_at"]
        elif target.followups_days:
            case.status = choices.CaseStatus.FOLLOW_UP
            fields.append("status")
        _bump(case, *fields)
        StageRecord.objects.create(
            case=case, stage=target.key, entered_at=now, action=action, moved_by=actor, reason=reason.strip(),
            counterpart_reference=counterpart_reference.strip()[:200], due_at=case.due_at,
            deadline_kind=target.deadline.kind if target.deadline else "",
        )  # fmt: skip
        for days in target.followups_days:
            FollowUp.objects.create(case=case, due_on=(now + dt.timedelta(days=days)).date())
        Task.objects.filter(case=case, kind=choices.TaskKind.ESCALATION, done_at__isnull=True).update(done_at=now)
        _event(
            case, "stage", actor,
            gettext_noop("Moved from “%(from)s” to “%(to)s”: %(reason)s"),
            {"from": _stage_ref(previous), "to": _stage_ref(case.stage), "reason": reason.strip()},
            at=now,
        )  # fmt: skip
        audit_record(actor=actor, action="case.act", obj=case, fields=["stage"])
    return case


def case_hold(*, actor, case: Case, reason: str, revision: int | None, now: dt.datetime | None = None) -> Case:
    """Put an open case on hold (e.g. waiting for a court): escalation pauses; statutory clocks do not."""
    now = _now(now)
    _require_work(actor, case)
    with transaction.atomic():
        case = _locked(case, revision)
        if not case.is_open:
            raise ValidationError({"status": [_("Only an open case can be put on hold.")]})
        if not reason.strip():
            raise ValidationError({"reason": [_("Say why the case is on hold.")]})
        case.status, case.hold_reason = choices.CaseStatus.ON_HOLD, reason.strip()[:300]
        _bump(case, "status", "hold_reason")
        _event(case, "hold", actor, gettext_noop("Put on hold: %(reason)s"), {"reason": case.hold_reason}, at=now)
        audit_record(actor=actor, action="case.hold", obj=case, fields=["status", "hold_reason"])
    return case


def case_resume(*, actor, case: Case, revision: int | None, now: dt.datetime | None = None) -> Case:
    now = _now(now)
    _require_work(actor, case)
    with transaction.atomic():
        case = _locked(case, revision)
        if case.status != choices.CaseStatus.ON_HOLD:
            raise ValidationError({"status": [_("The case is not on hold.")]})
        definition = definition_of(case.sop_version)
        case.status = (
            choices.CaseStatus.FOLLOW_UP if definition.stages[case.stage].followups_days else choices.CaseStatus.ACTIVE
        )
        case.hold_reason = ""
        _bump(case, "status", "hold_reason")
        _event(case, "resume", actor, gettext_noop("Taken off hold"), at=now)
        audit_record(actor=actor, action="case.resume", obj=case, fields=["status"])
    return case


def case_reopen(*, actor, case: Case, reason: str, revision: int | None, now: dt.datetime | None = None) -> Case:
    """Reopen a closed case in the stage it was in before it closed."""
    now = _now(now)
    _require_work(actor, case)
    with transaction.atomic():
        case = _locked(case, revision)
        if case.status not in (choices.CaseStatus.CLOSED, choices.CaseStatus.CLOSED_REFERRED):
            raise ValidationError({"status": [_("Only a closed case can be reopened.")]})
        if not reason.strip():
            raise ValidationError({"reason": [_("Say why the case is reopened.")]})
        definition = definition_of(case.sop_version)
        before = case.stages.exclude(stage=case.stage).order_by("-entered_at", "-id").first()
        StageRecord.objects.filter(case=case, left_at__isnull=True).update(left_at=now)
        if before is not None and not definition.stages[case.stage].exits:
            case.stage = before.stage
        case.stage_entered_at = now
        case.status = choices.CaseStatus.ACTIVE
        case.closure_reason, case.closed_at = "", None
        _set_due(case, definition)
        _bump(case, "stage", "stage_entered_at", "status", "closure_reason", "closed_at", "due_at", "escalate_at",
              "escalated_at")  # fmt: skip
        StageRecord.objects.create(case=case, stage=case.stage, entered_at=now, action="reopen", moved_by=actor,
                                   reason=reason.strip(), due_at=case.due_at)  # fmt: skip
        _event(case, "reopen", actor, gettext_noop("Reopened: %(reason)s"), {"reason": reason.strip()}, at=now)
        audit_record(actor=actor, action="case.reopen", obj=case, fields=["status", "stage"])
    return case


def case_update(*, actor, case: Case, revision: int | None, **changes: Any) -> Case:
    """Edit the case's descriptive fields (HTCDS status, exploitation, locations, summary, way home)."""
    editable = {
        "trafficking_status", "exploitation_types", "control_methods", "recruitment_place", "recruitment_district",
        "exploitation_place", "exploitation_country", "summary", "path", "district",
    }  # fmt: skip
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    _require_work(actor, case)
    if "exploitation_types" in changes:
        changes["exploitation_types"] = _choices_list(
            changes["exploitation_types"], choices.ExploitationType, "exploitation_types"
        )
    if "control_methods" in changes:
        changes["control_methods"] = _choices_list(changes["control_methods"], choices.ControlMethod, "control_methods")
    with transaction.atomic():
        case = _locked(case, revision)
        changed = [name for name, value in changes.items() if getattr(case, name) != value]
        for name in changed:
            setattr(case, name, changes[name])
        case.full_clean(exclude=["survivor", "sop_version", "organisation", "opened_by_organisation", "owner",
                                 "created_by", "recruitment_district", "district"])  # fmt: skip
        if not changed:
            return case
        _bump(case, *changed)
        _event(case, "update", actor, gettext_noop("Details changed: %(fields)s"), {"fields": {"fields": changed}})
        audit_record(actor=actor, action="case.update", obj=case, fields=changed)
    return case


def case_set_team(*, actor, case: Case, owner, team: Iterable, revision: int | None) -> Case:
    """Name the case owner and team (who may read the sensitive notes along with supervisors)."""
    _require_work(actor, case)
    team = list(dict.fromkeys([owner, *team]))
    outsiders = [
        str(user) for user in team
        if not policy.roles_reaching(user, Permission.CASE_WORK, organisation_id=case.organisation_id,
                                     district_id=case.district_id)
    ]  # fmt: skip
    if outsiders:
        raise ValidationError(
            {"team": [_("Not able to work on this case: %(names)s.") % {"names": ", ".join(outsiders)}]}
        )
    with transaction.atomic():
        case = _locked(case, revision)
        case.owner = owner
        _bump(case, "owner")
        case.team.set(team)
        _event(
            case,
            "team",
            actor,
            gettext_noop("Owner and team set: %(names)s"),
            {"names": ", ".join(str(u) for u in team)},
        )
        audit_record(actor=actor, action="case.set_team", obj=case, fields=["owner", "team"])
    return case


# --- transfer between organisations of this node -------------------------------------------------------------


def case_transfer_request(*, actor, case: Case, to_organisation: Organisation, reason: str,
                          revision: int | None, now: dt.datetime | None = None) -> Transfer:  # fmt: skip
    _require_work(actor, case)
    errors = {}
    if to_organisation.pk == case.organisation_id:
        errors["to_organisation"] = [_("The case is already with this organisation.")]
    elif not to_organisation.is_active or to_organisation.country != settings.SETU_NODE:
        errors["to_organisation"] = [_("Choose an active organisation of this country.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the case is transferred.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case, revision)
        if case.transfers.filter(state=Transfer.State.PENDING).exists():
            raise ValidationError({"to_organisation": [_("A transfer of this case is already waiting for an answer.")]})
        transfer = Transfer.objects.create(
            case=case, from_organisation=case.organisation, to_organisation=to_organisation, reason=reason.strip(),
            requested_by=actor,
        )  # fmt: skip
        task = Task(case=case, kind=choices.TaskKind.TRANSFER, organisation=to_organisation)
        with translation.override("en"):
            task.title = task_text(task)
        task.save()
        _bump(case)
        _event(case, "transfer", actor, gettext_noop("Transfer to %(org)s proposed: %(reason)s"),
               {"org": _org_ref(to_organisation.pk), "reason": reason.strip()}, at=now)  # fmt: skip
        audit_record(actor=actor, action="case.transfer_request", obj=case, fields=["organisation"])
    return transfer


def case_transfer_answer(*, actor, transfer: Transfer, accept: bool, reason: str = "") -> Transfer:
    """The receiving organisation accepts (the case becomes theirs) or refuses (it stays) a transfer."""
    if not policy.roles_reaching(actor, Permission.CASE_OPEN, organisation_id=transfer.to_organisation_id,
                                 district_id=None):  # fmt: skip
        policy.deny(actor, "case.transfer_answer", object_type="cases.transfer", object_id=str(transfer.public_id))
    if not accept and not reason.strip():
        raise ValidationError({"reason": [_("Say why the transfer is refused.")]})
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
        if transfer.state != Transfer.State.PENDING:
            raise ValidationError({"__all__": [_("This transfer has already been answered.")]})
        case = _locked(transfer.case, None)
        now = timezone.now()
        transfer.state = Transfer.State.ACCEPTED if accept else Transfer.State.REFUSED
        transfer.answered_by, transfer.answered_at, transfer.answer_reason = actor, now, reason.strip()[:300]
        transfer.save(update_fields=["state", "answered_by", "answered_at", "answer_reason", "updated_at"])
        Task.objects.filter(case=case, kind=choices.TaskKind.TRANSFER, done_at__isnull=True).update(done_at=now)
        if accept:
            case.organisation_id = transfer.to_organisation_id
            case.owner = actor
            _bump(case, "organisation", "owner")
            case.team.set([actor])
            message, params = (
                gettext_noop("Transfer accepted by %(org)s"),
                {"org": _org_ref(transfer.to_organisation_id)},
            )
        else:
            _bump(case)
            message = gettext_noop("Transfer refused by %(org)s: %(reason)s")
            params = {"org": _org_ref(transfer.to_organisation_id), "reason": reason.strip()}
        _event(case, "transfer", actor, message, params, at=now)
        audit_record(actor=actor, action="case.transfer_answer", obj=case, fields=["organisation"] if accept else [])
    return transfer


# --- decisions -----------------------------------------------------------------------------------------------

ANSWERS = ("yes", "no", "unknown")


def decision_record(
    *,
    actor,
    case: Case,
    kind: str,
    favourable: bool,
    outcome: str,
    decider_name: str,
    decided_on: dt.date,
    basis: str,
    survivor_view: str,
    organisation: Organisation | None = None,
    decision_org_type: str = "",
    answers: dict[str, str] | None = None,
    assessed_age: int | None = None,
    amount=None,
    documents: Sequence[CaseDocument] = (),
    revision: int | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """Record a decision with its decider, basis and the survivor's own view. A victim determination sets
    the HTCDS trafficking status; an age assessment sets her age when identified (and so the child flag)."""
    _require_work(actor, case)
    answers = dict(answers or {})
    errors: dict[str, list[str]] = {}
    if kind not in choices.DecisionKind.values:
        errors["kind"] = [_("Unknown decision.")]
    for name, value in (("outcome", outcome), ("decider_name", decider_name), ("basis", basis),
                        ("survivor_view", survivor_view)):  # fmt: skip
        if not str(value).strip():
            errors[name] = [_("This is required.")]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date of the decision cannot be in the future.")]
    if kind == choices.DecisionKind.VICTIM_DETERMINATION and decision_org_type not in choices.DecisionMakingOrg.values:
        errors["decision_org_type"] = [_("Say which kind of organisation made the determination.")]
    if kind == choices.DecisionKind.AGE_ASSESSMENT and (assessed_age is None or not 0 <= assessed_age <= 120):
        errors["assessed_age"] = [_("Give the assessed age (0 to 120).")]
    if kind == choices.DecisionKind.BEST_INTEREST_ASSESSMENT:
        keys = [key for key, _label in choices.BEST_INTEREST_QUESTIONS]
        missing = [key for key in keys if answers.get(key) not in ANSWERS]
        if missing:
            errors["answers"] = [_("Answer every safety-of-return question (yes, no or not known).")]
        answers = {key: answers[key] for key in keys if key in answers}
    else:
        answers = {}
    if kind == choices.DecisionKind.COMPENSATION_ORDER and (amount is None or amount < 0):
        errors["amount"] = [_("Give the amount ordered.")]
    foreign = [d for d in documents if d.case_id != case.pk]
    if foreign:
        errors["documents"] = [_("Attach documents of this case only.")]
    if errors:
        raise ValidationError(errors)
    organisation = organisation or policy.primary_organisation(actor)
    with transaction.atomic():
        case = _locked(case, revision)
        decision = Decision.objects.create(
            case=case, kind=kind, favourable=favourable, outcome=outcome.strip(), decided_by=actor,
            decider_name=decider_name.strip(), organisation=organisation, decision_org_type=decision_org_type,
            decided_on=decided_on, basis=basis.strip(), survivor_view=survivor_view.strip(), answers=answers,
            assessed_age=assessed_age if kind == choices.DecisionKind.AGE_ASSESSMENT else None,
            amount=amount if kind == choices.DecisionKind.COMPENSATION_ORDER else None,
        )  # fmt: skip
        decision.documents.set(documents)
        fields: list[str] = []
        if kind == choices.DecisionKind.VICTIM_DETERMINATION:
            case.trafficking_status = (
                choices.TraffickingStatus.ACTUAL if favourable else choices.TraffickingStatus.NOT_A_VICTIM
            )
            fields.append("trafficking_status")
        if kind == choices.DecisionKind.AGE_ASSESSMENT and assessed_age is not None:
            case.age_at_identification, case.is_minor = assessed_age, assessed_age < 18
            fields += ["age_at_identification", "is_minor"]
        _bump(case, *fields)
        _event(case, "decision", actor, gettext_noop("Decision recorded: %(kind)s: %(outcome)s"),
               {"kind": _choice_ref("DecisionKind", kind), "outcome": decision.outcome}, at=now)  # fmt: skip
        audit_record(actor=actor, action="case.decision", obj=case, fields=["decisions", *fields])
    return decision


# --- consent -------------------------------------------------------------------------------------------------


def consent_give(
    *,
    actor,
    case: Case,
    purpose: str,
    given_by: str,
    giver_name: str = "",
    legal_basis: str = "",
    checklist: Sequence[str] = (),
    language: str = "",
    given_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Consent:
    """Record consent for one purpose, or the legal basis that stands in for it.

    For a child the survivor's own consent is not enough (DPDP Act 2023 s.9, reference/domain.md §9): a
    parent or lawful guardian gives it, or the legal basis is recorded (e.g. a CWC order) — the guardian may
    be implicated. Consent given needs every item of the HTCDS consent checklist confirmed.
    """
    _require_work(actor, case)
    given_at = given_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if purpose not in choices.ConsentPurpose.values:
        errors["purpose"] = [_("Unknown purpose.")]
    if given_by not in choices.ConsentGiver.values:
        errors["given_by"] = [_("Say who gave consent, or that a legal basis is used.")]
    elif given_by == choices.ConsentGiver.LEGAL_BASIS:
        if not legal_basis.strip():
            errors["legal_basis"] = [_("Name the legal basis (law and section, or the order and its date).")]
        checklist = []
    else:
        keys = [key for key, _label in choices.CONSENT_CHECKLIST]
        if set(keys) - set(checklist):
            errors["checklist"] = [_("Confirm every point she (or the guardian) was told before giving consent.")]
        checklist = [key for key in keys if key in checklist]
        if given_by == choices.ConsentGiver.SURVIVOR and case.is_minor:
            errors["given_by"] = [
                _("She was a child when identified: a parent or lawful guardian gives consent, or record the legal "
                  "basis (e.g. a CWC order).")
            ]  # fmt: skip
        if given_by == choices.ConsentGiver.GUARDIAN and not giver_name.strip():
            errors["giver_name"] = [_("Give the guardian's name.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case, None)
        if case.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
            raise ValidationError({"purpose": [_("Consent for this purpose is already in force.")]})
        consent = Consent.objects.create(
            case=case, purpose=purpose, given_by=given_by, giver_name=giver_name.strip(),
            legal_basis=legal_basis.strip(), given_at=given_at, checklist=list(checklist), language=language,
            recorded_by=actor,
        )  # fmt: skip
        _bump(case)
        _event(case, "consent", actor, gettext_noop("Consent recorded for “%(purpose)s” (%(by)s)"),
               {"purpose": _choice_ref("ConsentPurpose", purpose), "by": _choice_ref("ConsentGiver", given_by)},
               at=now)  # fmt: skip
        audit_record(actor=actor, action="case.consent_give", obj=case, fields=["consents"])
    return consent


def consent_withdraw(*, actor, consent: Consent, reason: str, now: dt.datetime | None = None) -> Consent:
    """Withdraw consent: from now on every action for that purpose is refused."""
    now = _now(now)
    _require_work(actor, consent.case)
    with transaction.atomic():
        case = _locked(consent.case, None)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise ValidationError({"__all__": [_("This consent was already withdrawn.")]})
        consent.withdrawn_at, consent.withdrawn_reason = now, reason.strip()[:300]
        consent.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
        _bump(case)
        _event(case, "consent", actor, gettext_noop("Consent withdrawn for “%(purpose)s”"),
               {"purpose": _choice_ref("ConsentPurpose", consent.purpose)}, at=now)  # fmt: skip
        audit_record(actor=actor, action="case.consent_withdraw", obj=case, fields=["consents"])
    return consent


# --- documents -----------------------------------------------------------------------------------------------

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def document_add(*, actor, case: Case, doc_type: str, upload, title: str = "",
                 now: dt.datetime | None = None) -> CaseDocument:  # fmt: skip
    """Store a typed upload under MEDIA_ROOT with a server-made name. Only PDF, JPEG, PNG and WebP (by their
    bytes, not their name) up to SETU_UPLOAD_MAX_BYTES."""
    _require_work(actor, case)
    limit = settings.SETU_UPLOAD_MAX_BYTES
    if doc_type not in choices.DocumentType.values:
        raise ValidationError({"doc_type": [_("Choose the type of document.")]})
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to upload.")]})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}]}, code="too_large"
        )
    kind = filetype.guess(data)
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise ValidationError({"file": [_("Upload a PDF or a photo (JPEG, PNG or WebP).")]}, code="type")
    name = default_storage.save(f"case-documents/{uuid.uuid4().hex}.{DOCUMENT_TYPES[kind.mime]}", ContentFile(data))
    try:
        with transaction.atomic():
            document = CaseDocument.objects.create(
                case=case, doc_type=doc_type, title=title.strip()[:200], file=name,
                original_name=str(getattr(upload, "name", "") or "")[-200:], content_type=kind.mime, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor,
            )  # fmt: skip
            _bump(_locked(case, None))
            _event(case, "document", actor, gettext_noop("Document added: %(type)s"),
                   {"type": _choice_ref("DocumentType", doc_type)}, at=now)  # fmt: skip
            audit_record(actor=actor, action="case.document_add", obj=case, fields=["documents"])
    except BaseException:
        default_storage.delete(name)  # the row was rolled back: do not leave its file behind
        raise
    return document


# --- care ----------------------------------------------------------------------------------------------------


def _care(actor, case: Case) -> Case:
    _require_work(actor, case)
    require_purpose(case, choices.ConsentPurpose.CARE)
    return case


def assessment_add(*, actor, case: Case, kind: str, assessed_on: dt.date, summary: str,
                   now: dt.datetime | None = None) -> Assessment:  # fmt: skip
    _care(actor, case)
    if kind not in choices.AssessmentKind.values or not summary.strip():
        raise ValidationError({"summary": [_("Choose the kind of assessment and write its findings.")]})
    with transaction.atomic():
        item = Assessment.objects.create(case=case, kind=kind, assessed_on=assessed_on, summary=summary.strip(),
                                         recorded_by=actor)  # fmt: skip
        _bump(_locked(case, None))
        message = gettext_noop("Assessment recorded: %(kind)s")
        _event(case, "care", actor, message, {"kind": _choice_ref("AssessmentKind", kind)}, at=now)
        audit_record(actor=actor, action="case.assessment_add", obj=case, fields=["assessments"])
    return item


def support_plan_add(*, actor, case: Case, plan_type: str, objectives: str, starts_on: dt.date,
                     planned_end: dt.date | None = None, action_plan: str = "",
                     now: dt.datetime | None = None) -> SupportPlan:  # fmt: skip
    _care(actor, case)
    errors = {}
    if plan_type not in choices.SupportType.values:
        errors["plan_type"] = [_("Choose the type of support.")]
    if not objectives.strip():
        errors["objectives"] = [_("Write the plan's objectives.")]
    if planned_end and planned_end < starts_on:
        errors["planned_end"] = [_("The planned end is before the start.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = SupportPlan.objects.create(case=case, plan_type=plan_type, objectives=objectives.strip(),
                                          action_plan=action_plan.strip(), starts_on=starts_on,
                                          planned_end=planned_end, recorded_by=actor)  # fmt: skip
        _bump(_locked(case, None))
        message = gettext_noop("Support plan: %(type)s")
        _event(case, "care", actor, message, {"type": _choice_ref("SupportType", plan_type)}, at=now)
        audit_record(actor=actor, action="case.support_plan_add", obj=case, fields=["support_plans"])
    return plan


def support_plan_end(*, actor, plan: SupportPlan, actual_end: dt.date) -> SupportPlan:
    _care(actor, plan.case)
    if actual_end < plan.starts_on:
        raise ValidationError({"actual_end": [_("The end is before the start.")]})
    with transaction.atomic():
        plan.actual_end = actual_end
        plan.save(update_fields=["actual_end", "updated_at"])
        _bump(_locked(plan.case, None))
        _event(plan.case, "care", actor, gettext_noop("Support plan ended: %(type)s"),
               {"type": _choice_ref("SupportType", plan.plan_type)})  # fmt: skip
        audit_record(actor=actor, action="case.support_plan_end", obj=plan.case, fields=["support_plans"])
    return plan


def service_record(*, actor, case: Case, service: str, provider: Organisation, delivered_on: dt.date,
                   plan: SupportPlan | None = None, notes: str = "",
                   now: dt.datetime | None = None) -> ServiceDelivery:  # fmt: skip
    _care(actor, case)
    if not service.strip():
        raise ValidationError({"service": [_("Say which service was delivered.")]})
    if plan is not None and plan.case_id != case.pk:
        raise ValidationError({"plan": [_("Choose a plan of this case.")]})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": [_("The date cannot be in the future.")]})
    with transaction.atomic():
        item = ServiceDelivery.objects.create(case=case, plan=plan, service=service.strip(), provider=provider,
                                              delivered_on=delivered_on, notes=notes.strip(),
                                              recorded_by=actor)  # fmt: skip
        _bump(_locked(case, None))
        _event(case, "care", actor, gettext_noop("Service delivered: %(service)s"), {"service": item.service}, at=now)
        audit_record(actor=actor, action="case.service_record", obj=case, fields=["services"])
    return item


def follow_up_schedule(*, actor, case: Case, due_on: dt.date, with_family: bool = True) -> FollowUp:
    _require_work(actor, case)
    with transaction.atomic():
        item = FollowUp.objects.create(case=case, due_on=due_on, with_family=with_family)
        _bump(_locked(case, None))
        _event(
            case,
            "follow_up",
            actor,
            gettext_noop("Follow-up visit planned for %(date)s"),
            {"date": {"date": due_on.isoformat()}},
        )
        audit_record(actor=actor, action="case.follow_up_schedule", obj=case, fields=["follow_ups"])
    return item


def follow_up_record(*, actor, follow_up: FollowUp, done_on: dt.date, outcome: str,
                     now: dt.datetime | None = None) -> FollowUp:  # fmt: skip
    """Record a visit. A visit that contacts the family needs consent (or a basis) for family contact."""
    case = follow_up.case
    _require_work(actor, case)
    if follow_up.with_family:
        require_purpose(case, choices.ConsentPurpose.FAMILY_CONTACT)
    if not outcome.strip():
        raise ValidationError({"outcome": [_("Write what the visit found.")]})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": [_("The date cannot be in the future.")]})
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.done_on is not None:
            raise ValidationError({"__all__": [_("This visit is already recorded.")]})
        follow_up.done_on, follow_up.outcome, follow_up.recorded_by = done_on, outcome.strip(), actor
        follow_up.save(update_fields=["done_on", "outcome", "recorded_by", "updated_at"])
        _bump(_locked(case, None))
        message = gettext_noop("Follow-up visit recorded (%(date)s)")
        _event(case, "follow_up", actor, message, {"date": {"date": done_on.isoformat()}}, at=now)
        audit_record(actor=actor, action="case.follow_up_record", obj=case, fields=["follow_ups"])
    return follow_up


# --- people and history of the case --------------------------------------------------------------------------


def related_person_add(*, actor, case: Case, person, role: str, perpetrator_roles: Sequence[str] = (),
                       details: str = "", now: dt.datetime | None = None) -> RelatedPerson:  # fmt: skip
    """Link a guardian, relative, suspect (with HTCDS perpetrator roles) or witness to the case."""
    _require_work(actor, case)
    if not policy.grants(actor, Permission.PERSON_VIEW).covers(
        organisation_id=person.organisation_id, district_id=person.location_district_id
    ):
        policy.deny(actor, "case.related_add", object_type="people.person", object_id=str(person.public_id))
    if role not in choices.RelatedRole.values:
        raise ValidationError({"role": [_("Choose how the person is related to the case.")]})
    if person.pk == case.survivor_id:
        raise ValidationError({"person": [_("The survivor cannot be related to her own case.")]})
    perpetrator_roles = _choices_list(perpetrator_roles, choices.PerpetratorRole, "perpetrator_roles")
    if perpetrator_roles and role != choices.RelatedRole.SUSPECT:
        raise ValidationError({"perpetrator_roles": [_("Roles in the trafficking are for suspects only.")]})
    with transaction.atomic():
        if case.related_persons.filter(person=person, role=role).exists():
            raise ValidationError({"person": [_("This person is already linked to the case in this role.")]})
        link = RelatedPerson.objects.create(case=case, person=person, role=role, perpetrator_roles=perpetrator_roles,
                                            details=details.strip()[:300])  # fmt: skip
        _bump(_locked(case, None))
        _event(case, "related", actor, gettext_noop("%(role)s linked: %(name)s"),
               {"role": _choice_ref("RelatedRole", role), "name": person.full_name}, at=now)  # fmt: skip
        audit_record(actor=actor, action="case.related_add", obj=case, fields=["related_persons"])
    return link


def trafficking_event_add(*, actor, case: Case, kind: str, date: dt.date | None = None, place: str = "",
                          district=None, country: str = "", description: str = "",
                          now: dt.datetime | None = None) -> TraffickingEvent:  # fmt: skip
    _require_work(actor, case)
    if kind not in choices.EventType.values:
        raise ValidationError({"kind": [_("Choose recruitment, transit or exploitation.")]})
    if date and date > timezone.localdate():
        raise ValidationError({"date": [_("The date cannot be in the future.")]})
    if not (place.strip() or district or country):
        raise ValidationError({"place": [_("Say where it happened (place, district or country).")]})
    with transaction.atomic():
        event = TraffickingEvent.objects.create(case=case, kind=kind, date=date, place=place.strip(),
                                                district=district, country=country,
                                                description=description.strip())  # fmt: skip
        _bump(_locked(case, None))
        _event(
            case,
            "history",
            actor,
            gettext_noop("%(kind)s event added"),
            {"kind": _choice_ref("EventType", kind)},
            at=now,
        )
        audit_record(actor=actor, action="case.trafficking_event_add", obj=case, fields=["trafficking_events"])
    return event


# --- sensitive notes -----------------------------------------------------------------------------------------


def may_read_sensitive(user, case: Case) -> bool:
    """The case team (owner and members) and supervisors, when their role's grant reaches the case."""
    roles = policy.roles_reaching(user, Permission.CASE_SENSITIVE, organisation_id=case.organisation_id,
                                  district_id=case.district_id)  # fmt: skip
    if not roles:
        return False
    if roles & SUPERVISOR_ROLES:
        return True
    return case.owner_id == user.pk or case.team.filter(pk=user.pk).exists()


def sensitive_note_add(*, actor, case: Case, kind: str, text: str, now: dt.datetime | None = None) -> SensitiveNote:
    if not may_read_sensitive(actor, case):
        policy.deny(actor, "case.sensitive_add", object_type="cases.case", object_id=str(case.public_id))
    if kind not in choices.SensitiveKind.values:
        raise ValidationError({"kind": [_("Choose the kind of note.")]})
    if not text.strip():
        raise ValidationError({"text": [_("The note is empty.")]})
    ciphertext, key_id = crypto.keyring().encrypt(text.strip())
    with transaction.atomic():
        note = SensitiveNote.objects.create(case=case, kind=kind, ciphertext=ciphertext, key_id=key_id,
                                            recorded_by=actor)  # fmt: skip
        _bump(_locked(case, None))
        _event(case, "sensitive", actor, gettext_noop("Sensitive note added: %(kind)s"),
               {"kind": _choice_ref("SensitiveKind", kind)}, at=now)  # fmt: skip
        audit_record(actor=actor, action="case.sensitive_add", obj=case, fields=["sensitive_notes"])
    return note


def sensitive_notes_read(*, actor, case: Case) -> list[tuple[SensitiveNote, str]]:
    """The case's sensitive notes, decrypted; the read is audited, and refused (audited) outside the team."""
    if not may_read_sensitive(actor, case):
        policy.deny(actor, "case.sensitive_read", object_type="cases.case", object_id=str(case.public_id))
    ring = crypto.keyring()
    notes = list(case.sensitive_notes.select_related("recorded_by"))
    audit_record(actor=actor, action="case.sensitive_read", obj=case, fields=["sensitive_notes"])
    return [(note, ring.decrypt(note.ciphertext, note.key_id)) for note in notes]


def sensitive_rotate(*, batch: int = 500, progress=None) -> int:
    """Re-encrypt every note not under the current key; returns how many. Safe to stop and run again."""
    ring = crypto.keyring()
    done = 0
    total = SensitiveNote.objects.exclude(key_id=ring.current_id).count()
    while True:
        with transaction.atomic():
            notes = list(
                SensitiveNote.objects.select_for_update().exclude(key_id=ring.current_id).order_by("pk")[:batch]
            )
            if not notes:
                break
            for note in notes:
                note.ciphertext, note.key_id = ring.encrypt(ring.decrypt(note.ciphertext, note.key_id))
            SensitiveNote.objects.bulk_update(notes, ["ciphertext", "key_id"])
            audit_record(actor=None, actor_username=CLI_ACTOR, action="case.sensitive_rotate",
                         object_type="cases.sensitivenote", object_id=f"{len(notes)} notes",
                         fields=["ciphertext", "key_id"])  # fmt: skip
        done += len(notes)
        if progress:
            progress(done, total)
    return done
