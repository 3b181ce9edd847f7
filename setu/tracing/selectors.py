"""Reads of missing-person reports, scoped to the asking user. `report_get_for` is the one access function.

Scope (setu.accounts.roles, TRACING_VIEW / TRACING_RECORD): a node-wide grant (focal points) reaches every
report on the node; otherwise a report of one of the user's organisations, or, with a jurisdiction-wide
grant, a report whose missing person was last seen in, or lives in, one of the districts of the user's
organisations. A **restricted** report (the family suspects someone close to her) reaches only its reporting
organisation and node-wide grants. Missing and forbidden look the same (an audited NotFoundOrForbidden, a
404); every read of a report, and every page of the list, is audited (ASVS 16.3.2).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_denied, audit_record
from setu.core.ids import as_uuid
from setu.core.paging import IdResults
from setu.people.models import Person
from setu.people.selectors import MAX_QUERY_LENGTH, ids_in, person_ids_matching, person_name_filter
from setu.tracing.models import CandidateStatus, MatchCandidate, MatchNotice, MissingReport, Status, Visibility

REPORT_OBJECT_TYPE = "tracing.missingreport"
_RELATED = ("person", "organisation", "last_seen_district")


def report_scope(user, permission: Permission) -> Q | None:
    """The reports `permission` reaches for `user`, as a filter; None when it reaches none."""
    grant = policy.grants(user, permission)
    if not grant.allowed:
        return None
    if grant.node_wide:
        return Q()
    own = Q(organisation_id__in=sorted(grant.organisation_ids))
    if not grant.district_ids:
        return own
    districts = sorted(grant.district_ids)
    reach = Q(last_seen_district_id__in=districts) | Q(person__home_district_id__in=districts)
    return own | (Q(visibility=Visibility.STANDARD) & reach)


def report_list_for(
    user,
    *,
    query: str = "",
    status: str = "",
    district_id: int | None = None,
    permission: Permission = Permission.TRACING_VIEW,
) -> QuerySet[MissingReport]:
    """The reports `user` may see, newest reported first; `query` finds the missing person by any of her
    names, in Devanagari or Latin letters, any spelling (setu.people's name search), or a phone or document
    number, or the report by its number."""
    scope = report_scope(user, permission)
    if scope is None:
        return MissingReport.objects.none()
    rows = MissingReport.objects.filter(scope)
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        persons = Person.objects.filter(person_name_filter(query)).values("pk")
        rows = rows.filter(Q(number__iexact=query) | Q(person_id__in=persons))
    if status:
        rows = rows.filter(status=status)
    if district_id:
        rows = rows.filter(last_seen_district_id=district_id)
    return rows.select_related(*_RELATED).order_by("-reported_on", "-id")


class ReportResults(IdResults[MissingReport]):
    """A search's reports as their ordered ids, a page fetched at a time (setu.core.paging)."""

    model = MissingReport
    related = _RELATED


def report_results_for(user, *, query: str = "", **filters) -> QuerySet[MissingReport] | ReportResults:
    """What the list page and the API list show: `report_list_for`, with a search answered as
    `ReportResults` when the people search can fetch the matching persons. Same reports, same order."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return report_list_for(user, **filters)
    person_ids = person_ids_matching(query)
    if person_ids is None:  # a very broad name: let the database join
        return report_list_for(user, query=query, **filters)
    matches = report_list_for(user, **filters).filter(Q(number__iexact=query) | ids_in("person_id", person_ids))
    rows = matches.order_by().values_list("id", "reported_on")
    return ReportResults([pk for pk, _on in sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)])


def report_list_audit(user, *, query: str) -> None:
    """One event per page of the list: it shows missing people's names (the query itself is not logged)."""
    audit_record(actor=user, action="tracing.report_search", object_type=REPORT_OBJECT_TYPE,
                 fields=["q"] if query else [])  # fmt: skip


def report_get_for(user, public_id, *, permission: Permission = Permission.TRACING_VIEW) -> MissingReport:
    """The report with `public_id` if `permission` reaches it; else an audited NotFoundOrForbidden.

    `permission=TRACING_RECORD` fetches it for an edit or a status change. Either way the read is audited
    as tracing.report_view; a refusal as a denied event of the permission asked for."""
    scope = report_scope(user, permission)
    key = as_uuid(public_id)
    report = None
    if scope is not None and key is not None:
        report = (
            MissingReport.objects.filter(scope, public_id=key)
            .select_related(*_RELATED, "person__home_district", "person__home_local_level", "last_seen_local_level",
                            "created_by", "status_changed_by")
            .first()
        )  # fmt: skip
    if report is None:
        audit_denied(actor=user, action=permission.value, object_type=REPORT_OBJECT_TYPE,
                     object_id=str(public_id)[:64])  # fmt: skip
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="tracing.report_view", obj=report)
    return report


def report_can_record(user, report: MissingReport) -> bool:
    """Whether `user` may edit the report and change its status (TRACING_RECORD reaches it)."""
    scope = report_scope(user, Permission.TRACING_RECORD)
    return scope is not None and MissingReport.objects.filter(scope, pk=report.pk).exists()


def open_report_count_for(user) -> int:
    """How many open reports `user` may see (the dashboard's count); 0 without TRACING_VIEW."""
    return report_list_for(user, status=Status.OPEN).order_by().count()


# --- the review queue ------------------------------------------------------------------------------------------

CANDIDATE_OBJECT_TYPE = "tracing.matchcandidate"
_CANDIDATE_RELATED = ("report__person", "report__organisation", "person__organisation", "person__home_district",
                      "report__person__home_district", "decided_by")  # fmt: skip


def _candidate_scope(user, permission: Permission = Permission.MATCH_REVIEW) -> Q | None:
    """The candidates a reviewer may see and decide: those of the reports her grant reaches, and those whose
    candidate person her grant reaches (a shelter reviewing the girl it holds against a report made
    elsewhere), unless the report is restricted (then only its reporting organisation and node-wide)."""
    grant = policy.grants(user, permission)
    if not grant.allowed:
        return None
    if grant.node_wide:
        return Q()
    reports = report_scope(user, permission)
    by_report = Q(report__in=MissingReport.objects.filter(reports).values("pk"))
    person = Q(person__organisation_id__in=sorted(grant.organisation_ids))
    if grant.district_ids:
        person |= Q(person__location_district_id__in=sorted(grant.district_ids))
    return by_report | (Q(report__visibility=Visibility.STANDARD) & person)


def candidate_list_for(user, *, status: str = CandidateStatus.PROPOSED, report: MissingReport | None = None,
                       person: Person | None = None) -> QuerySet[MatchCandidate]:  # fmt: skip
    """The candidates `user` may review, most likely first (all statuses when `status` is "")."""
    scope = _candidate_scope(user)
    if scope is None:
        return MatchCandidate.objects.none()
    rows = MatchCandidate.objects.filter(scope)
    if status:
        rows = rows.filter(status=status)
    if report is not None:
        rows = rows.filter(report=report)
    if person is not None:
        rows = rows.filter(person=person)
    return rows.select_related(*_CANDIDATE_RELATED).order_by("-probability", "-id")


def candidate_list_audit(user) -> None:
    """One event per page of the queue: it shows the names of the reported and of their candidates."""
    audit_record(actor=user, action="tracing.match_list", object_type=CANDIDATE_OBJECT_TYPE)


def candidate_get_for(user, public_id) -> MatchCandidate:
    """One candidate `user` may review; else the audited 404 (missing and forbidden look the same)."""
    scope = _candidate_scope(user)
    key = as_uuid(public_id)
    candidate = None
    if scope is not None and key is not None:
        candidate = MatchCandidate.objects.filter(scope, public_id=key).select_related(*_CANDIDATE_RELATED).first()
    if candidate is None:
        audit_denied(actor=user, action=Permission.MATCH_REVIEW.value, object_type=CANDIDATE_OBJECT_TYPE,
                     object_id=str(public_id)[:64])  # fmt: skip
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="tracing.match_view", obj=candidate)
    return candidate


def candidate_can_review(user, candidate: MatchCandidate) -> bool:
    scope = _candidate_scope(user)
    return scope is not None and MatchCandidate.objects.filter(scope, pk=candidate.pk).exists()


def confirmed_match_of(report: MissingReport) -> MatchCandidate | None:
    """The candidate confirmed as the person the report is about, if any (who and why included)."""
    return (MatchCandidate.objects.filter(report=report, status=CandidateStatus.CONFIRMED)
            .select_related("person", "decided_by").first())  # fmt: skip


def notices_for(user) -> QuerySet[MatchNotice]:
    """Confirmed matches of the records of `user`'s organisations, not yet opened there, newest first."""
    organisations = [m.organisation_id for m in policy.memberships(user)]
    rows = MatchNotice.objects.filter(organisation_id__in=organisations, seen_at__isnull=True)
    return rows.select_related("candidate__report", "candidate__person").order_by("-created_at", "-id")
