"""Pages of the bilateral steps: the steps on a case, the messages from the other country waiting for an
answer, and the printable handover certificate. Views translate HTTP only; setu.exchange.flows decides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.cases import selectors, services
from setu.cases.display import reason_text
from setu.cases.models import Case
from setu.cases.views import _data, _form_page, _work_case
from setu.core.http import AuthedRequest
from setu.exchange import flows
from setu.exchange.models import CaseLink, HandoverCertificate
from setu.exchange.step_forms import (
    AnswerForm,
    CertificateForm,
    FollowUpReportForm,
    NotifyForm,
    ProposalForm,
    ScheduleForm,
    TransferForm,
    VerificationResponseForm,
)
from setu.geo.models import District

CARE_STAGES = ("child_care", "adult_care", "verification")


@dataclass(frozen=True)
class Step:
    """A bilateral step's page: its title, what is said when done, its form and the service it calls. Who
    may take it, and where, is `flows.STEP_RULES` (telling her country is possible before the case is
    shared, in the care stages)."""

    key: str
    title: Any
    done: Any
    form: type
    call: Callable[..., object]


STEPS = {
    step.key: step
    for step in (
        Step("notify", gettext_lazy("Tell her country and ask it to verify"),
             gettext_lazy("Her country's node is told; the case is at verification."), NotifyForm,
             flows.notify_origin),
        Step("verification-response", gettext_lazy("Answer the verification"),
             gettext_lazy("The findings are sent."), VerificationResponseForm, flows.respond_verification),
        Step("proposal", gettext_lazy("Propose the repatriation"), gettext_lazy("The proposal is sent."),
             ProposalForm, flows.propose_repatriation),
        Step("schedule", gettext_lazy("Schedule the handover"), gettext_lazy("The schedule is sent."), ScheduleForm,
             flows.schedule_handover),
        Step("certificate", gettext_lazy("Sign the handover certificate"),
             gettext_lazy("The certificate is signed and sent for countersignature."), CertificateForm,
             flows.sign_handover),
        Step("transfer", gettext_lazy("Transfer the case to her country"),
             gettext_lazy("The case is transferred; what was sent stays here, read-only."), TransferForm,
             flows.transfer_to_origin),
        Step("followup", gettext_lazy("Report a follow-up visit"), gettext_lazy("The report is sent."),
             FollowUpReportForm, flows.report_followup),
    )
}  # fmt: skip


def steps_for(case: Case, link: CaseLink | None) -> list[Step]:
    """The bilateral steps that fit the case now (who may take them is checked when they are taken)."""
    if not case.is_open:
        return []
    if link is None:
        cross = case.path == "cross_border" and case.survivor.nationality not in ("", settings.SETU_NODE)
        return [STEPS["notify"]] if cross and case.stage in CARE_STAGES else []
    if link.transferred_at is not None:
        return []
    rules = flows.STEP_RULES.items()
    return [STEPS[key] for key, rule in rules if rule.side == link.side and case.stage in rule.stages]


@require_http_methods(["GET", "POST"])
def case_step(request: AuthedRequest, case_id, step: str) -> HttpResponse:
    case = _work_case(request, case_id)
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404
    form = chosen.form(_data(request))
    return _form_page(
        request, case, form, lambda: chosen.call(actor=request.user, case=case, **form.service_kwargs()),
        title=chosen.title, done=chosen.done, anchor="exchange",
    )  # fmt: skip


# --- messages from the other country --------------------------------------------------------------------------


@require_GET
def received_list(request: AuthedRequest) -> HttpResponse:
    rows = flows.awaiting(request.user)
    return render(request, "exchange/inbox_message_list.html", {"rows": rows})


FIELD_LABELS = {
    "case_number": gettext_lazy("Their case number"), "nationality": gettext_lazy("Nationality"),
    "gender": gettext_lazy("Sex / gender"), "is_minor": gettext_lazy("Under 18 when identified"),
    "age_years": gettext_lazy("Age (years)"), "identified_on": gettext_lazy("Identified on"),
    "stage": gettext_lazy("Stage there"), "found_in_district": gettext_lazy("Found in (district)"),
    "organisation": gettext_lazy("Organisation there"), "exploitation_types": gettext_lazy("Exploitation"),
    "given_name": gettext_lazy("Given name"), "family_name": gettext_lazy("Family name"),
    "name_native": gettext_lazy("Name as written in her script"), "other_names": gettext_lazy("Other names"),
    "birth_date": gettext_lazy("Date of birth"), "father_name": gettext_lazy("Father's name"),
    "mother_name": gettext_lazy("Mother's name"), "home_district": gettext_lazy("Home district"),
    "home_local_level": gettext_lazy("Home municipality"), "home_ward": gettext_lazy("Ward"),
    "phone": gettext_lazy("Phone"), "checks": gettext_lazy("To verify"), "reply_by": gettext_lazy("Reply by"),
    "identity_confirmed": gettext_lazy("Identity confirmed"),
    "nationality_confirmed": gettext_lazy("Nationality confirmed"), "family_traced": gettext_lazy("Family traced"),
    "family_willing": gettext_lazy("Family willing to receive her"), "home_study": gettext_lazy("Home study"),
    "safe_to_return": gettext_lazy("Safe to return"), "decided_on": gettext_lazy("Decided on"),
    "decided_by": gettext_lazy("Decided by"), "proposed_on": gettext_lazy("Proposed date"),
    "border_point": gettext_lazy("Crossing point"), "escort": gettext_lazy("Escort"),
    "proposal": gettext_lazy("Proposal"), "receiving_officer": gettext_lazy("Receiving officer"),
    "reason": gettext_lazy("Reason"), "at": gettext_lazy("When"), "transferred_on": gettext_lazy("Transferred on"),
    "care_summary": gettext_lazy("Care given"), "needs": gettext_lazy("Needs"),
    "visited_on": gettext_lazy("Visited on"), "summary": gettext_lazy("Summary"),
    "next_visit_on": gettext_lazy("Next visit"), "purpose": gettext_lazy("Purpose"),
    "withdrawn_at": gettext_lazy("Withdrawn at"), "note": gettext_lazy("Note"),
}  # fmt: skip


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def payload_rows(payload: dict) -> list[tuple[str, str]]:
    skip = ("certificate", "signatures")
    return [(str(FIELD_LABELS.get(k, k)), _shown(v)) for k, v in payload.items() if k not in skip]


def _organisations_for(user) -> QuerySet[Organisation]:
    grant = policy.grants(user, Permission.CASE_OPEN)
    return Organisation.objects.filter(pk__in=grant.organisation_ids, is_active=True).order_by("name_en")


@require_http_methods(["GET", "POST"])
def received_detail(request: AuthedRequest, message_id) -> HttpResponse:
    row = flows.received_get_for(request.user, message_id)
    claims = flows.claims_of(row)
    payload = claims["payload"]
    flows.mark_opened(request.user, row)
    district = District.objects.filter(name_en__iexact=payload.get("home_district") or "-",
                                       province__country=settings.SETU_NODE).first()  # fmt: skip
    form = AnswerForm(_data(request), message_type=row.type, organisations=_organisations_for(request.user),
                      district_initial=district.pk if district else None)  # fmt: skip
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["answer"] == "reject":
                flows.received_reject(actor=request.user, row=row, reason=data["reason"])
            else:
                flows.received_accept(actor=request.user, row=row, answer=flows.Acceptance(
                    organisation=data.get("organisation"), district=data.get("district"), note=data["note"],
                    receiving_officer=data.get("receiving_officer", "")))  # fmt: skip
        except services.SopRefusalError as exc:
            refusal = [reason_text(reason) for reason in exc.reasons]
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Answered; the other country is told."))
            row.refresh_from_db()
            if row.link and row.link.case_id:
                return redirect("cases:detail", case_id=row.link.case.public_id)  # type: ignore[union-attr]
            return redirect("exchange:received")
    certificate = payload.get("certificate")
    context = {
        "row": row, "claims": claims, "type_label": flows.type_label(row.type), "rows": payload_rows(payload),
        "certificate": certificate,
        "signatures": flows.verify_signatures(payload) if certificate else [],
        "form": form, "refusal": refusal, "may_answer": row.acted_at is None and flows.may_answer(request.user, row),
        "peer_name": flows.peer_name(row.peer.code),
    }  # fmt: skip
    return render(request, "exchange/inbox_message_detail.html", context, status=400 if form.errors or refusal else 200)


@require_GET
def certificate(request: AuthedRequest, number: str) -> HttpResponse:
    """The handover certificate, printable, with each signature checked."""
    record = HandoverCertificate.objects.select_related("link__case").filter(number=number).first()
    if record is None or record.link.case is None:
        policy.deny(request.user, "exchange.certificate_view", object_type="exchange.certificate", object_id=number)
    assert record is not None and record.link.case is not None  # noqa: S101 - deny raised otherwise
    case = selectors.case_get_for(request.user, record.link.case.public_id)
    signatures = flows.verify_signatures({"certificate": record.certificate, "signatures": record.signatures})
    context = {"record": record, "case": case, "certificate": record.certificate, "signatures": signatures,
               "complete": len(signatures) == 2 and not any(s["problem"] for s in signatures)}  # fmt: skip
    return render(request, "exchange/certificate.html", context)
