"""Care (assessments, support plans, services, follow-up visits; all need consent for their purpose), and the
people and history of a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.cases import choices
from setu.cases.models import (
    Assessment,
    Case,
    FollowUp,
    RelatedPerson,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
)
from setu.cases.services.common import (
    bump_revision,
    checked_choices,
    choice_ref,
    lock_case,
    record_event,
    require_purpose,
    require_work,
)

# --- care ----------------------------------------------------------------------------------------------------


def _care(actor, case: Case) -> Case:
    require_work(actor, case)
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
        bump_revision(lock_case(case, None))
        message = gettext_noop("Assessment recorded: %(kind)s")
        record_event(case, "care", actor, message, {"kind": choice_ref("AssessmentKind", kind)}, at=now)
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
        bump_revision(lock_case(case, None))
        message = gettext_noop("Support plan: %(type)s")
        record_event(case, "care", actor, message, {"type": choice_ref("SupportType", plan_type)}, at=now)
        audit_record(actor=actor, action="case.support_plan_add", obj=case, fields=["support_plans"])
    return plan


def support_plan_end(*, actor, plan: SupportPlan, actual_end: dt.date) -> SupportPlan:
    _care(actor, plan.case)
    if actual_end < plan.starts_on:
        raise ValidationError({"actual_end": [_("The end is before the start.")]})
    with transaction.atomic():
        plan.actual_end = actual_end
        plan.save(update_fields=["actual_end", "updated_at"])
        bump_revision(lock_case(plan.case, None))
        record_event(plan.case, "care", actor, gettext_noop("Support plan ended: %(type)s"),
               {"type": choice_ref("SupportType", plan.plan_type)})  # fmt: skip
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
        bump_revision(lock_case(case, None))
        record_event(
            case, "care", actor, gettext_noop("Service delivered: %(service)s"), {"service": item.service}, at=now
        )
        audit_record(actor=actor, action="case.service_record", obj=case, fields=["services"])
    return item


def follow_up_schedule(*, actor, case: Case, due_on: dt.date, with_family: bool = True) -> FollowUp:
    require_work(actor, case)
    with transaction.atomic():
        item = FollowUp.objects.create(case=case, due_on=due_on, with_family=with_family)
        bump_revision(lock_case(case, None))
        record_event(
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
    require_work(actor, case)
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
        bump_revision(lock_case(case, None))
        message = gettext_noop("Follow-up visit recorded (%(date)s)")
        record_event(case, "follow_up", actor, message, {"date": {"date": done_on.isoformat()}}, at=now)
        audit_record(actor=actor, action="case.follow_up_record", obj=case, fields=["follow_ups"])
    return follow_up


# --- people and history of the case --------------------------------------------------------------------------


def related_person_add(*, actor, case: Case, person, role: str, perpetrator_roles: Sequence[str] = (),
                       details: str = "", now: dt.datetime | None = None) -> RelatedPerson:  # fmt: skip
    """Link a guardian, relative, suspect (with HTCDS perpetrator roles) or witness to the case."""
    require_work(actor, case)
    if not policy.grants(actor, Permission.PERSON_VIEW).covers(
        organisation_id=person.organisation_id, district_id=person.location_district_id
    ):
        policy.deny(actor, "case.related_add", object_type="people.person", object_id=str(person.public_id))
    if role not in choices.RelatedRole.values:
        raise ValidationError({"role": [_("Choose how the person is related to the case.")]})
    if person.pk == case.survivor_id:
        raise ValidationError({"person": [_("The survivor cannot be related to her own case.")]})
    perpetrator_roles = checked_choices(perpetrator_roles, choices.PerpetratorRole, "perpetrator_roles")
    if perpetrator_roles and role != choices.RelatedRole.SUSPECT:
        raise ValidationError({"perpetrator_roles": [_("Roles in the trafficking are for suspects only.")]})
    with transaction.atomic():
        if case.related_persons.filter(person=person, role=role).exists():
            raise ValidationError({"person": [_("This person is already linked to the case in this role.")]})
        link = RelatedPerson.objects.create(case=case, person=person, role=role, perpetrator_roles=perpetrator_roles,
                                            details=details.strip()[:300])  # fmt: skip
        bump_revision(lock_case(case, None))
        record_event(case, "related", actor, gettext_noop("%(role)s linked: %(name)s"),
               {"role": choice_ref("RelatedRole", role), "name": person.full_name}, at=now)  # fmt: skip
        audit_record(actor=actor, action="case.related_add", obj=case, fields=["related_persons"])
    return link


def trafficking_event_add(*, actor, case: Case, kind: str, date: dt.date | None = None, place: str = "",
                          district=None, country: str = "", description: str = "",
                          now: dt.datetime | None = None) -> TraffickingEvent:  # fmt: skip
    require_work(actor, case)
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
        bump_revision(lock_case(case, None))
        record_event(
            case,
            "history",
            actor,
            gettext_noop("%(kind)s event added"),
            {"kind": choice_ref("EventType", kind)},
            at=now,
        )
        audit_record(actor=actor, action="case.trafficking_event_add", obj=case, fields=["trafficking_events"])
    return event
