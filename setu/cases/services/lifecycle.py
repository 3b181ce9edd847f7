"""A case's life: opening it, the SOP steps, hold and resume, reopening, its details and team, and transfers
between organisations of this node."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import ROLE_LABELS, Permission, Role
from setu.audit.services import audit_record
from setu.cases import choices
from setu.cases.models import (
    Case,
    CaseCounter,
    FollowUp,
    SopVersion,
    StageRecord,
    Task,
    Transfer,
)
from setu.cases.services.common import (
    bump_revision,
    case_facts,
    checked_choices,
    current_time,
    lock_case,
    org_ref,
    record_event,
    require_work,
    set_due,
    stage_ref,
    task_text,
)
from setu.cases.services.errors import (
    SopRefusalError,
)
from setu.cases.services.sop import (
    definition_of,
)
from setu.cases.sop import engine
from setu.core.ids import numbers_taken
from setu.core.validators import country_code_problems

# --- opening a case ------------------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    return f"{settings.SETU_NODE}-{year}-{numbers_taken(CaseCounter, year=year):06d}"


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
    now = current_time(now)
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
    if problems := country_code_problems(exploitation_country):
        errors["exploitation_country"] = problems
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
    exploitation_types = checked_choices(exploitation_types, choices.ExploitationType, "exploitation_types")
    control_methods = checked_choices(control_methods, choices.ControlMethod, "control_methods")
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
        set_due(case, definition)
        case.save()
        case.team.add(actor)
        StageRecord.objects.create(
            case=case, stage=case.stage, entered_at=identified_at, moved_by=actor, due_at=case.due_at,
            deadline_kind=start.deadline.kind if start.deadline else "",
            reason=_("Case opened"),
        )  # fmt: skip
        record_event(
            case,
            "opened",
            actor,
            gettext_noop("Case opened under SOP %(version)s"),
            {"version": version.version},
            at=now,
        )
        audit_record(actor=actor, action="case.open", obj=case, fields=["survivor", "stage", "organisation"])
        # A survivor is a found person: match her against the open missing-person reports once this commits.
        from setu.tracing import matching

        matching.after_commit(matching.propose_for_person, survivor)
    return case


# --- moving through the SOP ----------------------------------------------------------------------------------


def case_available(
    case: Case, actor, *, now: dt.datetime | None = None, with_reference: bool = False
) -> list[engine.Verdict]:
    """Every step out of the current stage for this user, allowed or not, with the reasons. With
    `with_reference`, a bilateral stage's steps are judged as if the other country's reference were given
    (what a form that asks for the reference needs to know)."""
    now = current_time(now)
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
    now = current_time(now)
    require_work(actor, case)
    with transaction.atomic():
        case = lock_case(case, revision)
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
        _enter(case, definition.stages[verdict.to], action=action, actor=actor, reason=reason,
               counterpart_reference=counterpart_reference, closure_reason=closure_reason, now=now)  # fmt: skip
        audit_record(actor=actor, action="case.act", obj=case, fields=["stage"])
    return case


def case_follow_peer(
    *,
    actor,
    case: Case,
    stage: str,
    reason: str,
    counterpart_reference: str,
    closure_reason: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Bring this node's case to the stage the bilateral part of the SOP has reached on the other node.

    The steps between were taken, and their requirements met, on the other country's node; the exchange
    message that says so is the `counterpart_reference` kept in the stage history. Only forward, only to a
    stage of the case's SOP, and only by someone who may work on the case (setu.exchange.flows calls it)."""
    now = current_time(now)
    require_work(actor, case)
    if not counterpart_reference.strip() or not reason.strip():
        raise ValidationError({"__all__": [_("A step taken by the other country needs its reference and reason.")]})
    with transaction.atomic():
        case = lock_case(case, None)
        definition = definition_of(case.sop_version)
        order = list(definition.stages)
        if stage not in definition.stages or order.index(stage) <= order.index(case.stage) or not case.is_open:
            raise SopRefusalError((_("the case cannot follow the other country to that stage"),))
        _enter(case, definition.stages[stage], action="peer", actor=actor, reason=reason,
               counterpart_reference=counterpart_reference, closure_reason=closure_reason, now=now)  # fmt: skip
        audit_record(actor=actor, action="case.follow_peer", obj=case, fields=["stage"])
    return case


def _enter(case: Case, target, *, action: str, actor, reason: str, counterpart_reference: str, closure_reason: str,
           now: dt.datetime) -> None:  # fmt: skip
    """Move a locked case into `target` (stage history, SOP events, clocks, follow-ups, timeline)."""
    definition = definition_of(case.sop_version)
    if target.final and closure_reason not in choices.ClosureReason.values:
        raise ValidationError({"closure_reason": [_("Choose the reason for closing the case.")]})
    previous = case.stage
    StageRecord.objects.filter(case=case, left_at__isnull=True).update(left_at=now)
    case.stage, case.stage_entered_at = target.key, now
    events = dict(case.sop_events)
    for name in target.records:
        events.setdefault(name, now.isoformat())
    case.sop_events = events
    set_due(case, definition)
    fields = ["stage", "stage_entered_at", "sop_events", "due_at", "escalate_at", "escalated_at"]
    if target.final:
        case.status, case.closure_reason, case.closed_at = choices.CaseStatus.CLOSED, closure_reason, now
        fields += ["status", "closure_reason", "closed_at"]
    elif target.followups_days:
        case.status = choices.CaseStatus.FOLLOW_UP
        fields.append("status")
    bump_revision(case, *fields)
    StageRecord.objects.create(
        case=case, stage=target.key, entered_at=now, action=action, moved_by=actor, reason=reason.strip(),
        counterpart_reference=counterpart_reference.strip()[:200], due_at=case.due_at,
        deadline_kind=target.deadline.kind if target.deadline else "",
    )  # fmt: skip
    for days in target.followups_days:
        FollowUp.objects.create(case=case, due_on=(now + dt.timedelta(days=days)).date())
    Task.objects.filter(case=case, kind=choices.TaskKind.ESCALATION, done_at__isnull=True).update(done_at=now)
    record_event(
        case, "stage", actor,
        gettext_noop("Moved from “%(from)s” to “%(to)s”: %(reason)s"),
        {"from": stage_ref(previous), "to": stage_ref(case.stage), "reason": reason.strip()},
        at=now,
    )  # fmt: skip


def case_hold(*, actor, case: Case, reason: str, revision: int | None, now: dt.datetime | None = None) -> Case:
    """Put an open case on hold (e.g. waiting for a court): escalation pauses; statutory clocks do not."""
    now = current_time(now)
    require_work(actor, case)
    with transaction.atomic():
        case = lock_case(case, revision)
        if not case.is_open:
            raise ValidationError({"status": [_("Only an open case can be put on hold.")]})
        if not reason.strip():
            raise ValidationError({"reason": [_("Say why the case is on hold.")]})
        case.status, case.hold_reason = choices.CaseStatus.ON_HOLD, reason.strip()[:300]
        bump_revision(case, "status", "hold_reason")
        record_event(case, "hold", actor, gettext_noop("Put on hold: %(reason)s"), {"reason": case.hold_reason}, at=now)
        audit_record(actor=actor, action="case.hold", obj=case, fields=["status", "hold_reason"])
    return case


def case_resume(*, actor, case: Case, revision: int | None, now: dt.datetime | None = None) -> Case:
    now = current_time(now)
    require_work(actor, case)
    with transaction.atomic():
        case = lock_case(case, revision)
        if case.status != choices.CaseStatus.ON_HOLD:
            raise ValidationError({"status": [_("The case is not on hold.")]})
        definition = definition_of(case.sop_version)
        case.status = (
            choices.CaseStatus.FOLLOW_UP if definition.stages[case.stage].followups_days else choices.CaseStatus.ACTIVE
        )
        case.hold_reason = ""
        bump_revision(case, "status", "hold_reason")
        record_event(case, "resume", actor, gettext_noop("Taken off hold"), at=now)
        audit_record(actor=actor, action="case.resume", obj=case, fields=["status"])
    return case


def case_reopen(*, actor, case: Case, reason: str, revision: int | None, now: dt.datetime | None = None) -> Case:
    """Reopen a closed case in the stage it was in before it closed."""
    now = current_time(now)
    require_work(actor, case)
    with transaction.atomic():
        case = lock_case(case, revision)
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
        set_due(case, definition)
        bump_revision(case, "stage", "stage_entered_at", "status", "closure_reason", "closed_at", "due_at",
                      "escalate_at", "escalated_at")  # fmt: skip
        StageRecord.objects.create(case=case, stage=case.stage, entered_at=now, action="reopen", moved_by=actor,
                                   reason=reason.strip(), due_at=case.due_at)  # fmt: skip
        record_event(case, "reopen", actor, gettext_noop("Reopened: %(reason)s"), {"reason": reason.strip()}, at=now)
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
    require_work(actor, case)
    if problems := country_code_problems(changes.get("exploitation_country", "")):
        raise ValidationError({"exploitation_country": problems})
    if "exploitation_types" in changes:
        changes["exploitation_types"] = checked_choices(
            changes["exploitation_types"], choices.ExploitationType, "exploitation_types"
        )
    if "control_methods" in changes:
        changes["control_methods"] = checked_choices(
            changes["control_methods"], choices.ControlMethod, "control_methods"
        )
    with transaction.atomic():
        case = lock_case(case, revision)
        changed = [name for name, value in changes.items() if getattr(case, name) != value]
        for name in changed:
            setattr(case, name, changes[name])
        case.full_clean(exclude=["survivor", "sop_version", "organisation", "opened_by_organisation", "owner",
                                 "created_by", "recruitment_district", "district"])  # fmt: skip
        if not changed:
            return case
        bump_revision(case, *changed)
        record_event(
            case, "update", actor, gettext_noop("Details changed: %(fields)s"), {"fields": {"fields": changed}}
        )
        audit_record(actor=actor, action="case.update", obj=case, fields=changed)
    return case


def case_set_team(*, actor, case: Case, owner, team: Iterable, revision: int | None) -> Case:
    """Name the case owner and team (who may read the sensitive notes along with supervisors)."""
    require_work(actor, case)
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
        case = lock_case(case, revision)
        case.owner = owner
        bump_revision(case, "owner")
        case.team.set(team)
        record_event(
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
    require_work(actor, case)
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
        case = lock_case(case, revision)
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
        bump_revision(case)
        record_event(case, "transfer", actor, gettext_noop("Transfer to %(org)s proposed: %(reason)s"),
               {"org": org_ref(to_organisation.pk), "reason": reason.strip()}, at=now)  # fmt: skip
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
        case = lock_case(transfer.case, None)
        now = timezone.now()
        transfer.state = Transfer.State.ACCEPTED if accept else Transfer.State.REFUSED
        transfer.answered_by, transfer.answered_at, transfer.answer_reason = actor, now, reason.strip()[:300]
        transfer.save(update_fields=["state", "answered_by", "answered_at", "answer_reason", "updated_at"])
        Task.objects.filter(case=case, kind=choices.TaskKind.TRANSFER, done_at__isnull=True).update(done_at=now)
        if accept:
            case.organisation_id = transfer.to_organisation_id
            case.owner = actor
            bump_revision(case, "organisation", "owner")
            case.team.set([actor])
            message = gettext_noop("Transfer accepted by %(org)s")
            params: dict[str, Any] = {"org": org_ref(transfer.to_organisation_id)}
        else:
            bump_revision(case)
            message = gettext_noop("Transfer refused by %(org)s: %(reason)s")
            params = {"org": org_ref(transfer.to_organisation_id), "reason": reason.strip()}
        record_event(case, "transfer", actor, message, params, at=now)
        audit_record(actor=actor, action="case.transfer_answer", obj=case, fields=["organisation"] if accept else [])
    return transfer
