"""Reads on prosecutions and witness needs, scoped to the asking user.

Scope (setu.accounts.roles): LEGAL_VIEW node-wide (focal points: the central authorities) sees every
prosecution of the node; a prosecutor sees her office's and those before the courts of her office's districts.
`prosecution_get_for` is the access function: missing and forbidden look the same (an audited 404), and each
read is audited (a prosecution names victims and accused).

Witness needs and video testimony sessions live on a survivor's case: whoever may see the case sees them
(`case_panel`), a caseworker included, without any legal permission; with LEGAL_VIEW over the prosecution
one also sees which prosecution asks and may open it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_denied, audit_record
from setu.cases.choices import OPEN_STATUSES, CasePath
from setu.cases.models import Case
from setu.core.ids import as_uuid
from setu.legal import rules
from setu.legal.models import (
    Accused,
    CompensationOrder,
    Hearing,
    NeedStatus,
    Presence,
    Prosecution,
    SessionStatus,
    VideoTestimony,
    Witness,
    WitnessNeed,
)
from setu.legal.services import NEED_OBJECT_TYPE, PROSECUTION_OBJECT_TYPE, SESSION_OBJECT_TYPE

HANDOVER_STAGE = "handover"


def _scope(user, permission: Permission = Permission.LEGAL_VIEW) -> Q | None:
    """None: every prosecution; Q(pk__in=[]): none."""
    grant = policy.grants(user, permission)
    if grant.node_wide:
        return None
    if not grant.allowed:
        return Q(pk__in=[])
    return Q(organisation_id__in=grant.organisation_ids) | Q(district_id__in=grant.district_ids)


def _scoped(user) -> QuerySet[Prosecution]:
    q = _scope(user)
    return Prosecution.objects.all() if q is None else Prosecution.objects.filter(q)


def prosecution_list_for(
    user, *, query: str = "", status: str = "", district_id: int | None = None, act: str = "", year: int | None = None
) -> QuerySet[Prosecution]:
    """The prosecutions `user` may see, filtered: `query` finds a prosecution or FIR number or a court; `act`
    the prosecutions charging a section of that act (HTTCA, ITPA, BNS). Latest registered first."""
    rows = _scoped(user)
    query = " ".join(query.split())[:100]
    if query:
        rows = rows.filter(Q(number__iexact=query) | Q(police_case_number__icontains=query) | Q(court__icontains=query))
    if status:
        rows = rows.filter(status=status)
    if district_id:
        rows = rows.filter(district_id=district_id)
    if act:
        rows = rows.filter(charges__code__startswith=f"{act}-").distinct()
    if year:
        rows = rows.filter(opened_on__year=year)
    return rows.select_related("organisation", "district")


def prosecution_get_for(user, public_id, *, permission: Permission = Permission.LEGAL_VIEW) -> Prosecution:
    """The prosecution if `permission` reaches it; else an audited NotFoundOrForbidden. LEGAL_RECORD fetches
    it for a form (its own office only)."""
    key = as_uuid(public_id)
    prosecution = (
        Prosecution.objects.select_related("organisation", "district", "created_by").filter(public_id=key).first()
        if key is not None
        else None
    )
    grant = policy.grants(user, permission)
    if prosecution is None or not grant.covers(
        organisation_id=prosecution.organisation_id, district_id=prosecution.district_id
    ):
        audit_denied(
            actor=user, action=permission.value, object_type=PROSECUTION_OBJECT_TYPE, object_id=str(public_id)[:64]
        )
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="legal.prosecution_view", obj=prosecution)
    return prosecution


def can_record(user, prosecution: Prosecution) -> bool:
    return policy.grants(user, Permission.LEGAL_RECORD).covers(organisation_id=prosecution.organisation_id)


@dataclass
class OrderRow:
    order: CompensationOrder
    paid: Decimal
    due: Decimal


@dataclass
class ProsecutionDetail:
    prosecution: Prosecution
    charges: list
    accused: list[Accused]
    witnesses: list[Witness]
    hearings: list[Hearing]
    orders: list[OrderRow]
    needs: list[WitnessNeed]
    sessions: list[VideoTestimony]
    minimum_share: Decimal | None = None
    visible_case_ids: set[int] = field(default_factory=set)


def prosecution_detail(user, prosecution: Prosecution) -> ProsecutionDetail:
    """Everything shown on a prosecution's page, in a fixed number of queries."""
    from setu.cases.selectors import case_list_for
    from setu.legal.charges import charge_list
    from setu.legal.services import minimum_share

    listed = charge_list()
    charges = [(row, listed.get(row.code)) for row in prosecution.charges.all()]
    witnesses = list(prosecution.witnesses.select_related("case__survivor", "case__organisation"))
    orders = list(
        CompensationOrder.objects.filter(witness__prosecution=prosecution)
        .select_related("witness__case__survivor", "accused__person")
        .annotate(paid_total=Sum("payments__amount"))
    )
    case_ids = {w.case_id for w in witnesses}
    return ProsecutionDetail(
        prosecution=prosecution,
        charges=charges,
        accused=list(prosecution.accused.select_related("person")),
        witnesses=witnesses,
        hearings=list(prosecution.hearings.all()),
        orders=[
            OrderRow(o, o.paid_total or Decimal(0), rules.balance_due(o.amount, [o.paid_total or Decimal(0)]))
            for o in orders
        ],
        needs=list(prosecution.witness_needs.select_related("case")),
        sessions=list(VideoTestimony.objects.filter(need__prosecution=prosecution).select_related("case")),
        minimum_share=minimum_share(prosecution),
        visible_case_ids=set(case_list_for(user).filter(pk__in=case_ids).values_list("pk", flat=True)),
    )


def order_get_for(user, prosecution: Prosecution, public_id) -> CompensationOrder:
    key = as_uuid(public_id)
    order = (
        CompensationOrder.objects.select_related("witness__prosecution")
        .filter(public_id=key, witness__prosecution=prosecution)
        .first()
        if key
        else None
    )
    if order is None:
        policy.deny(user, "legal.order_view", object_type="legal.compensationorder", object_id=str(public_id)[:64])
    assert order is not None  # noqa: S101
    return order


def accused_get_for(prosecution: Prosecution, user, public_id) -> Accused:
    key = as_uuid(public_id)
    row = prosecution.accused.select_related("prosecution", "person").filter(public_id=key).first() if key else None
    if row is None:
        policy.deny(user, "legal.accused_view", object_type="legal.accused", object_id=str(public_id)[:64])
    assert row is not None  # noqa: S101
    return row


def witness_get_for(prosecution: Prosecution, user, public_id) -> Witness:
    key = as_uuid(public_id)
    row = prosecution.witnesses.select_related("prosecution", "case").filter(public_id=key).first() if key else None
    if row is None:
        policy.deny(user, "legal.witness_view", object_type="legal.witness", object_id=str(public_id)[:64])
    assert row is not None  # noqa: S101
    return row


# --- witness needs on a case ---------------------------------------------------------------------------------


def _case_visible(user, case: Case) -> bool:
    from setu.cases.selectors import case_list_for

    return case_list_for(user).filter(pk=case.pk).exists()


def need_get_for(user, public_id) -> WitnessNeed:
    """A witness need the user may see: on a case she may see, or of a prosecution LEGAL_VIEW reaches."""
    key = as_uuid(public_id)
    need = WitnessNeed.objects.select_related("case", "prosecution").filter(public_id=key).first() if key else None
    allowed = need is not None and (
        _case_visible(user, need.case) or _scoped(user).filter(pk=need.prosecution_id).exists()
    )
    if not allowed:
        audit_denied(
            actor=user, action="legal.witness_need_view", object_type=NEED_OBJECT_TYPE, object_id=str(public_id)[:64]
        )
        raise policy.NotFoundOrForbidden()
    assert need is not None  # noqa: S101
    audit_record(actor=user, action="legal.witness_need_view", obj=need)
    return need


def session_get_for(user, public_id) -> VideoTestimony:
    """A session the user may see: on a case she may see, or of a prosecution LEGAL_VIEW reaches."""
    key = as_uuid(public_id)
    session = (
        VideoTestimony.objects.select_related("case", "need__prosecution").filter(public_id=key).first()
        if key
        else None
    )
    allowed = session is not None and (
        _case_visible(user, session.case)
        or (session.need is not None and _scoped(user).filter(pk=session.need.prosecution_id).exists())
    )
    if not allowed:
        audit_denied(
            actor=user, action="legal.session_view", object_type=SESSION_OBJECT_TYPE, object_id=str(public_id)[:64]
        )
        raise policy.NotFoundOrForbidden()
    assert session is not None  # noqa: S101
    audit_record(actor=user, action="legal.session_view", obj=session)
    return session


def before_handover(case: Case) -> frozenset[str]:
    """The stages of her case's SOP from which the handover can still be reached: she has not gone home yet."""
    from setu.cases.services.sop import definition_of

    definition = definition_of(case.sop_version)
    return rules.stages_before(
        HANDOVER_STAGE, {key: [e.to for e in stage.exits] for key, stage in definition.stages.items()}
    )


def holding_up(case: Case, needs: list[WitnessNeed]) -> list[WitnessNeed]:
    """The open needs that want her in person here while her repatriation is still to come: the SOP panel
    says prosecution is holding up repatriation, so the two can be reconciled (a video testimony instead, or
    a hearing date before the handover)."""
    today = timezone.localdate()
    wanted = [
        n
        for n in needs
        if n.status == NeedStatus.OPEN and n.needs_presence and (n.needed_until is None or n.needed_until >= today)
    ]
    if not wanted:
        return []
    stages = before_handover(case)
    if not rules.holds_up_repatriation(
        cross_border=case.path == CasePath.CROSS_BORDER,
        is_open=case.status in OPEN_STATUSES,
        stage=case.stage,
        before_handover=stages,
        needs_presence=True,
    ):
        return []
    return wanted


@dataclass
class CasePanel:
    needs: list[WitnessNeed]
    sessions: list[VideoTestimony]
    holding_up: list[WitnessNeed]
    may_see_prosecutions: set[int]  # the prosecutions (ids) the reader may open
    can_work: bool  # may record her view and answer the other country's requests


def case_panel(user, case: Case) -> CasePanel:
    """The witness needs and sessions on a case, for whoever may see the case (the case page checked that).
    Three queries, however many needs."""
    from setu.cases.selectors import case_can_work

    needs = list(case.witness_needs.select_related("prosecution").order_by("needed_from", "id"))
    sessions = list(case.video_testimonies.select_related("need").order_by("scheduled_at", "id"))
    q = _scope(user)
    prosecution_ids = {n.prosecution_id for n in needs}
    visible = (
        prosecution_ids
        if q is None
        else set(Prosecution.objects.filter(q, pk__in=prosecution_ids).values_list("pk", flat=True))
    )
    return CasePanel(
        needs=needs,
        sessions=sessions,
        holding_up=holding_up(case, needs),
        may_see_prosecutions=visible,
        can_work=case_can_work(user, case),
    )


# --- the dashboard -------------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    hearings: list[tuple[dt.date, Prosecution, Hearing]]
    sessions: list[VideoTestimony]
    holding_up: list[tuple[Case, list[WitnessNeed]]]
    outstanding: list[OrderRow]
    below_minimum: list[CompensationOrder]


def dashboard_for(user, *, days: int = 60, today: dt.date | None = None) -> Dashboard:
    """For the prosecutions the user may see: hearings in the next `days` (a scheduled hearing, or the next
    date a hearing gave), video sessions to come, cases where a witness need holds up repatriation,
    compensation still owed to survivors, and orders recorded below the legal minimum."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=days)
    visible = _scoped(user)
    hearings: dict[tuple[int, dt.date], tuple[dt.date, Prosecution, Hearing]] = {}
    for hearing in (
        Hearing.objects.filter(prosecution__in=visible)
        .filter(Q(held_on__range=(today, until)) | Q(next_on__range=(today, until)))
        .select_related("prosecution__district")
    ):
        when = hearing.held_on if today <= hearing.held_on <= until else hearing.next_on
        assert when is not None  # noqa: S101
        hearings.setdefault((hearing.prosecution_id, when), (when, hearing.prosecution, hearing))
    sessions = list(
        VideoTestimony.objects.filter(
            need__prosecution__in=visible,
            scheduled_at__gte=timezone.now(),
            status__in=[SessionStatus.PROPOSED, SessionStatus.CONFIRMED],
        )
        .select_related("case", "need__prosecution")
        .order_by("scheduled_at")
    )
    needs = WitnessNeed.objects.filter(
        prosecution__in=visible,
        status=NeedStatus.OPEN,
        presence=Presence.PHYSICAL,
        case__path=CasePath.CROSS_BORDER,
        case__status__in=OPEN_STATUSES,
    ).select_related("case__sop_version", "case__survivor", "prosecution")
    by_case: dict[int, tuple[Case, list[WitnessNeed]]] = {}
    for need in needs:
        by_case.setdefault(need.case_id, (need.case, []))[1].append(need)
    held = [(case, found) for case, case_needs in by_case.values() if (found := holding_up(case, case_needs))]
    orders = (
        CompensationOrder.objects.filter(witness__prosecution__in=visible)
        .select_related("witness__prosecution", "accused__person")
        .prefetch_related(Prefetch("payments"))
        .annotate(paid_total=Sum("payments__amount"))
    )
    rows = [
        OrderRow(o, o.paid_total or Decimal(0), rules.balance_due(o.amount, [o.paid_total or Decimal(0)]))
        for o in orders
    ]
    return Dashboard(
        hearings=sorted(hearings.values(), key=lambda row: (row[0], row[1].number)),
        sessions=sessions,
        holding_up=held,
        outstanding=[row for row in rows if row.due > 0],
        below_minimum=[row.order for row in rows if row.order.below_minimum_reason],
    )


def hearing_calendar_for(user, *, month: dt.date) -> list[tuple[dt.date, list[tuple[Prosecution, Hearing]]]]:
    """The hearings (held or scheduled on the date, or given as the next date) in `month`, by day."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    days: dict[dt.date, dict[int, tuple[Prosecution, Hearing]]] = {}
    for hearing in (
        Hearing.objects.filter(prosecution__in=_scoped(user))
        .filter(Q(held_on__range=(first, last)) | Q(next_on__range=(first, last)))
        .select_related("prosecution")
    ):
        for when in (hearing.held_on, hearing.next_on):
            if when is not None and first <= when <= last:
                days.setdefault(when, {}).setdefault(hearing.prosecution_id, (hearing.prosecution, hearing))
    return [(day, list(rows.values())) for day, rows in sorted(days.items())]
