"""Reads of the cases app, scoped to the asking user. `case_get_for` is the one access function for a case.

Scope (setu.accounts.roles, CASE_VIEW): a node-wide grant sees every case; otherwise the cases in charge of
one of the user's organisations, the cases of the districts the grant reaches, and the cases whose team the
user is on. Missing and forbidden look the same (a 404); every read and every refusal is audited.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_denied, audit_record
from setu.cases import choices
from setu.cases.models import Case, CaseDocument, FollowUp, SopVersion, Task, Transfer
from setu.cases.services import sop_parse
from setu.cases.sop.diff import diff
from setu.core.ids import as_uuid
from setu.core.paging import IdResults
from setu.people.models import Person
from setu.people.selectors import MAX_QUERY_LENGTH, ids_in, person_ids_matching, person_name_filter

CASE_OBJECT_TYPE = "cases.case"


def sop_version_list_for(user) -> QuerySet[SopVersion]:
    policy.require(user, Permission.SOP_MANAGE, object_type="cases.sopversion")
    return SopVersion.objects.select_related("loaded_by")


def sop_changes(older: SopVersion | None, newer: SopVersion) -> list[str]:
    """What `newer` changes from `older`, one sentence each (all of it is new when there is no older)."""
    if older is None:
        return []
    return diff(sop_parse(older.source), sop_parse(newer.source))


def _scope_q(user, permission: Permission) -> Q | None:
    """None: every case; Q(pk__in=[]): none."""
    grant = policy.grants(user, permission)
    if grant.node_wide:
        return None
    if not grant.allowed:
        return Q(pk__in=[])
    return (
        Q(organisation_id__in=grant.organisation_ids)
        | Q(district_id__in=grant.district_ids)
        | Q(pk__in=Case.team.through.objects.filter(user_id=user.pk).values("case_id"))
    )


def _scoped(user, permission: Permission = Permission.CASE_VIEW) -> QuerySet[Case]:
    q = _scope_q(user, permission)
    return Case.objects.all() if q is None else Case.objects.filter(q)


def case_list_for(
    user,
    *,
    query: str = "",
    stage: str = "",
    status: str = "",
    overdue: bool = False,
    organisation_id: int | None = None,
    district_id: int | None = None,
    minor: bool | None = None,
    sop_version_id: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """The cases `user` may see, filtered, newest identified first. `query` finds a case number or the
    survivor by name in either script, phone or document number (the people search)."""
    cases = _scoped(user)
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        cases = cases.filter(
            Q(number__iexact=query) | Q(survivor_id__in=Person.objects.filter(person_name_filter(query)).values("id"))
        )
    if stage:
        cases = cases.filter(stage=stage)
    if status == "open":
        cases = cases.filter(status__in=choices.OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if overdue:
        cases = cases.filter(due_at__lt=now or timezone.now(), status__in=choices.OPEN_STATUSES)
    if organisation_id:
        cases = cases.filter(organisation_id=organisation_id)
    if district_id:
        cases = cases.filter(district_id=district_id)
    if minor is not None:
        cases = cases.filter(is_minor=minor)
    if sop_version_id:
        cases = cases.filter(sop_version_id=sop_version_id)
    return cases.select_related("survivor", "organisation", "district", "sop_version")


class CaseResults(IdResults[Case]):
    """A searched case list as its ordered ids, a page fetched at a time (setu.core.paging): the database finds
    the few matching cases through the survivor and number indexes, instead of walking every case newest first
    until a page is full (docs/performance.md, "What made the search by name fast")."""

    model = Case
    related = ("survivor", "organisation", "district", "sop_version")


def case_results_for(user, *, query: str = "", **filters) -> QuerySet[Case] | CaseResults:
    """What the case list and the API list show: `case_list_for`, with a search by survivor or number
    answered as `CaseResults` when the people search can fetch the matching persons. Same cases, same order."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return case_list_for(user, **filters)
    person_ids = person_ids_matching(query)
    if person_ids is None:  # a very broad name: let the database join
        return case_list_for(user, query=query, **filters)
    matches = case_list_for(user, **filters).filter(Q(number=query.upper()) | ids_in("survivor_id", person_ids))
    rows = matches.order_by().values_list("id", "identified_at")
    return CaseResults([pk for pk, _at in sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)])


def case_list_audit(user, *, query: str) -> None:
    """One event per page of the case list: it shows survivors' names (the query itself is not logged)."""
    audit_record(actor=user, action="case.search", object_type=CASE_OBJECT_TYPE, fields=["q"] if query else [])


def case_get_for(user, public_id, *, permission: Permission = Permission.CASE_VIEW) -> Case:
    """The case if `permission` reaches it (or the user is on its team); else an audited 404."""
    key = as_uuid(public_id)
    q = _scope_q(user, permission)
    case = (
        Case.objects.select_related("survivor", "organisation", "district", "sop_version", "owner")
        .filter(public_id=key)
        .first()
        if key is not None
        else None
    )
    allowed = case is not None and (q is None or Case.objects.filter(q, pk=case.pk).exists())
    if case is None or not allowed:
        audit_denied(actor=user, action=permission.value, object_type=CASE_OBJECT_TYPE, object_id=str(public_id)[:64])
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="case.view", obj=case)
    return case


def case_can_work(user, case: Case) -> bool:
    return policy.grants(user, Permission.CASE_WORK).covers(
        organisation_id=case.organisation_id, district_id=case.district_id
    )


def document_get_for(user, case_public_id, document_public_id) -> CaseDocument:
    case = case_get_for(user, case_public_id)
    key = as_uuid(document_public_id)
    document = case.documents.filter(public_id=key).first() if key is not None else None
    if document is None:
        audit_denied(actor=user, action="case.document_view", object_type="cases.casedocument",
                     object_id=str(document_public_id)[:64])  # fmt: skip
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="case.document_view", obj=document)
    return document


def case_record_for(user, records: QuerySet, public_id, *, action: str):
    """One record of a case the user already reached (a consent, a visit, a plan), by its public id; else the
    audited 404. `records` is the case's related manager, filtered to those the action applies to."""
    key = as_uuid(public_id)
    record = records.filter(public_id=key).first() if key is not None else None
    if record is None:
        policy.deny(user, action, object_type=records.model._meta.label_lower, object_id=str(public_id)[:64])
    return record


def timeline(case: Case):
    return case.events.select_related("actor", "organisation", "case__sop_version", "case__organisation")


def my_tasks(user) -> QuerySet[Task]:
    """Open tasks for the user: their own, and those of a role they hold in the task's organisation (a task
    with no role is for everyone there)."""
    posts = Q(pk__in=[])  # no membership: no organisation's tasks
    for m in policy.memberships(user):
        posts |= Q(organisation_id=m.organisation_id, role__in=[m.role, ""])
    # The relations a task's title reads (setu.cases.services.task_text): one query for the whole list.
    return Task.objects.filter(
        Q(user_id=user.pk) | (Q(user__isnull=True) & posts), done_at__isnull=True
    ).select_related("case__survivor", "case__sop_version", "case__organisation", "organisation")


def overdue_cases_for(user, *, organisation_id: int | None = None, now: dt.datetime | None = None) -> QuerySet[Case]:
    return case_list_for(user, overdue=True, organisation_id=organisation_id, now=now).order_by("due_at")


def follow_ups_due_for(user, *, within_days: int = 14) -> QuerySet[FollowUp]:
    horizon = timezone.localdate() + dt.timedelta(days=within_days)
    q = _scope_q(user, Permission.CASE_WORK)
    visits = FollowUp.objects.filter(done_on__isnull=True, due_on__lte=horizon, case__status__in=choices.OPEN_STATUSES)
    if q is not None:
        visits = visits.filter(case__in=Case.objects.filter(q))
    return visits.select_related("case", "case__survivor").order_by("due_on")


def transfer_can_answer(user, transfer: Transfer) -> bool:
    """Whether `user` may accept or refuse a pending transfer: someone who may open cases for the receiver."""
    return transfer.state == Transfer.State.PENDING and bool(
        policy.roles_reaching(user, Permission.CASE_OPEN, organisation_id=transfer.to_organisation_id, district_id=None)
    )


def transfer_get_for(user, public_id) -> Transfer:
    """A transfer, for the receiving organisation (which may not see the case yet) or for whoever sees its
    case; else an audited 404. The one access function for a transfer."""
    key = as_uuid(public_id)
    transfer = (
        Transfer.objects.select_related(
            "case", "case__sop_version", "case__district", "from_organisation", "to_organisation", "requested_by"
        )
        .filter(public_id=key)
        .first()
        if key is not None
        else None
    )
    allowed = transfer is not None and (
        transfer_can_answer(user, transfer) or _scoped(user).filter(pk=transfer.case_id).exists()
    )
    if transfer is None or not allowed:
        audit_denied(actor=user, action="case.transfer_view", object_type="cases.transfer",
                     object_id=str(public_id)[:64])  # fmt: skip
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="case.transfer_view", obj=transfer)
    return transfer


def pending_transfers_to(user) -> QuerySet[Transfer]:
    """Transfers waiting for an answer from an organisation for which `user` may open cases."""
    grant = policy.grants(user, Permission.CASE_OPEN)
    transfers = Transfer.objects.filter(state=Transfer.State.PENDING)
    if not grant.node_wide:
        transfers = transfers.filter(to_organisation_id__in=grant.organisation_ids)
    return transfers.select_related("case", "from_organisation", "to_organisation")
