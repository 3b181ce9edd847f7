"""Pages of the review queue: the candidates the matcher proposed, one candidate side by side with the report
it may answer (with the matcher's field-by-field explanation), and the decision (confirm or reject, with
why). Views only translate HTTP; what a reviewer sees and may decide is the selectors' and services' rule."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.core.http import AuthedRequest
from setu.tracing import explain, matching, selectors, services
from setu.tracing.linkage.model import COMPARISONS
from setu.tracing.models import CandidateStatus, MatchCandidate

PAGE_SIZE = 20


@require_GET
def match_queue(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.MATCH_REVIEW, object_type=selectors.CANDIDATE_OBJECT_TYPE)
    status = request.GET.get("status", CandidateStatus.PROPOSED)
    if status not in CandidateStatus.values:
        status = CandidateStatus.PROPOSED
    rows = selectors.candidate_list_for(request.user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.candidate_list_audit(request.user)
    from setu.tracing.border import local_list_for

    asked = list(local_list_for(request.user)[:50])
    return render(request, "tracing/match_queue.html", {"page": page, "status": status, "asked": asked,
                                                        "statuses": CandidateStatus.choices})  # fmt: skip


def comparison_rows(left: dict[str, str], right: dict[str, str], explanation: list[dict]) -> list[dict]:
    """One row per compared field: both sides as recorded and what the matcher found, with its weight."""
    said = {item["field"]: item for item in explanation}
    rows = []
    for comparison in COMPARISONS:
        finding = said.get(comparison.name, {})
        rows.append({"label": explain.field_label(comparison.name), "left": left[comparison.name],
                     "right": right[comparison.name],
                     "finding": explain.finding_label(finding.get("label", "no information")),
                     "weight": finding.get("weight")})  # fmt: skip
    return rows


def _rows(candidate: MatchCandidate) -> list[dict]:
    left, right = matching.person_facts(candidate.report.person), matching.person_facts(candidate.person)
    return comparison_rows(left, right, candidate.explanation)


def _detail(request: AuthedRequest, candidate: MatchCandidate, *, errors=None, reason: str = "",
            status: int = 200) -> HttpResponse:  # fmt: skip
    report = candidate.report
    context = {
        "candidate": candidate,
        "report": report,
        "rows": _rows(candidate),
        "errors": errors or {},
        "general_errors": (errors or {}).get("__all__", []),
        "reason": reason,
    }
    return render(request, "tracing/match_detail.html", context, status=status)


@require_GET
def match_detail(request: AuthedRequest, public_id) -> HttpResponse:
    candidate = selectors.candidate_get_for(request.user, public_id)
    services.notices_seen(actor=request.user, candidate=candidate)
    return _detail(request, candidate)


@require_POST
def match_decide(request: AuthedRequest, public_id) -> HttpResponse:
    candidate = selectors.candidate_get_for(request.user, public_id)
    decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "")
    service = {"confirm": services.candidate_confirm, "reject": services.candidate_reject}.get(decision)
    if service is None:
        return _detail(request, candidate, errors={"decision": [_("Choose: the same person, or not.")]}, reason=reason,
                       status=400)  # fmt: skip
    try:
        service(actor=request.user, candidate=candidate, reason=reason)
    except ValidationError as exc:
        return _detail(request, candidate, errors=exc.message_dict, reason=reason, status=400)
    if decision == "confirm":
        messages.success(request, _("Confirmed: %(number)s is marked found, and the organisations holding her records "
                                    "are told.") % {"number": candidate.report.number})  # fmt: skip
    else:
        messages.success(request, _("Rejected: this person will not be proposed again for %(number)s.")
                         % {"number": candidate.report.number})  # fmt: skip
    return redirect("tracing:matches")
