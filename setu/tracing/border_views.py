"""Pages of matching across the border (setu.tracing.border): alerting the other node from a report's page,
asking about or setting aside a candidate it answered with, and, on the node holding her, the candidates the
other node asked about, checked against the alert and revealed or not. Views only translate HTTP."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setu.core.http import AuthedRequest
from setu.exchange.flows import peer_name
from setu.tracing import border, explain, matching, selectors
from setu.tracing.match_views import comparison_rows
from setu.tracing.models import ForeignCandidate
from setu.tracing.views import report_page


@require_POST
def alert_send(request: AuthedRequest, public_id) -> HttpResponse:
    report = selectors.report_get_for(request.user, public_id)
    try:
        border.alert_send(actor=request.user, report=report, legal_basis=request.POST.get("legal_basis", ""),
                          peer_code=request.POST.get("peer", ""))  # fmt: skip
    except ValidationError as exc:
        return report_page(request, report, status=400, alert_errors=exc.message_dict,
                           alert_basis=request.POST.get("legal_basis", ""))  # fmt: skip
    messages.success(request, _("The alert is on its way: the other node matches it against the people it holds "
                                "and answers with what it found, naming nobody."))  # fmt: skip
    return redirect("tracing:detail", public_id=report.public_id)


@require_POST
def foreign_decide(request: AuthedRequest, public_id) -> HttpResponse:
    candidate = ForeignCandidate.objects.select_related("alert__report").filter(public_id=public_id).first()
    if candidate is None or not border.foreign_can_review(request.user, candidate):
        border.policy.deny(request.user, "tracing.inquiry_send", object_type=border.OBJECT_TYPE,
                           object_id=str(public_id))  # fmt: skip
    service = {"ask": border.foreign_candidate_ask, "reject": border.foreign_candidate_reject}.get(
        request.POST.get("decision", "")
    )
    report = candidate.alert.report
    if service is None:
        return report_page(request, report, status=400, foreign_errors={candidate.pk: [_("Choose what to do.")]})
    try:
        service(actor=request.user, candidate=candidate, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        problems = [m for messages_ in exc.message_dict.values() for m in messages_]
        return report_page(request, report, status=400, foreign_errors={candidate.pk: problems})
    if request.POST["decision"] == "ask":
        messages.success(request, _("Asked: their officer compares her record with the report and, if it is her, "
                                    "reveals who she is; her details then appear here."))  # fmt: skip
    else:
        messages.success(request, _("Recorded: not her. The other node is not told."))
    return redirect("tracing:detail", public_id=report.public_id)


def _alert_rows(candidate) -> list[dict]:
    """Our person as recorded beside what the alert carried (the matcher's comparable forms)."""
    ours = matching.person_facts(candidate.person)
    theirs = candidate.alert.features
    carried = {
        "given_name": " ".join(x for x in (theirs.get("given_spelled"), theirs.get("family")) if x),
        "family_name": theirs.get("family") or "",
        "sex": explain.sex_label(candidate.alert.sex),
        "birth": candidate.alert.age_band,
        "father_name": theirs.get("father") or "",
        "mother_name": theirs.get("mother") or "",
        "home": ", ".join(x.split(":")[-1] for x in (theirs.get("local_level"), theirs.get("district")) if x),
        "phone": f"…{theirs['phone'][-4:]}" if theirs.get("phone") else "",
    }
    return comparison_rows(carried, ours, candidate.explanation)


def _local_page(request: AuthedRequest, candidate, *, errors=None, reason: str = "", status: int = 200):
    context = {"candidate": candidate, "rows": _alert_rows(candidate), "errors": errors or {}, "reason": reason,
               "node_name": peer_name(candidate.alert.from_node),
               "their_rows": border.detail_rows(candidate.their_details),
               "general_errors": (errors or {}).get("__all__", [])}  # fmt: skip
    return render(request, "tracing/border_detail.html", context, status=status)


@require_GET
def local_detail(request: AuthedRequest, public_id) -> HttpResponse:
    return _local_page(request, border.local_get_for(request.user, public_id))


@require_POST
def local_decide(request: AuthedRequest, public_id) -> HttpResponse:
    candidate = border.local_get_for(request.user, public_id)
    decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "")
    if decision not in ("reveal", "decline"):
        return _local_page(request, candidate, errors={"decision": [_("Choose: reveal, or not.")]}, reason=reason,
                           status=400)  # fmt: skip
    try:
        border.local_candidate_reveal(actor=request.user, candidate=candidate, reason=reason,
                                      reveal=decision == "reveal")  # fmt: skip
    except ValidationError as exc:
        return _local_page(request, candidate, errors=exc.message_dict, reason=reason, status=400)
    messages.success(request, _("Sent to the other node."))
    return redirect("tracing:matches")
