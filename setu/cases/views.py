"""Pages of survivor cases, and the administrators' SOP versions. Views only translate HTTP: parse the form,
call one service or selector, render. A refusal re-renders the form with the service's words and changes
nothing: 400 for a rule (SOP, consent, validation), 409 when someone else changed the case meanwhile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.cases import choices, selectors, services
from setu.cases.display import ClockView, action_label, clock_view, deadline_text, reason_text
from setu.cases.forms import (
    YES_NO_UNKNOWN,
    ActForm,
    AssessmentForm,
    CaseEditForm,
    CaseOpenForm,
    CaseSearchForm,
    ConsentForm,
    ConsentWithdrawForm,
    DecisionForm,
    DocumentForm,
    FollowUpForm,
    FollowUpRecordForm,
    HistoryEventForm,
    HoldForm,
    OverdueFilterForm,
    RelatedForm,
    ReopenForm,
    ResumeForm,
    SensitiveNoteForm,
    ServiceForm,
    SupportPlanEndForm,
    SupportPlanForm,
    TeamForm,
    TransferAnswerForm,
    TransferForm,
)
from setu.cases.models import Case, Transfer
from setu.core.http import AuthedRequest, is_partial, protected_file
from setu.people import selectors as people_selectors
from setu.people.forms import ServiceErrorsMixin

MAX_SOP_BYTES = 200_000
PAGE_SIZE = 25


def _case_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:detail", args=[case.public_id])
    return f"{url}#{anchor}" if anchor else url


# --- list ----------------------------------------------------------------------------------------------------


def _rows(cases, now: dt.datetime) -> list[tuple[Case, str, ClockView]]:
    return [(case, services.stage_name(case), clock_view(case, now)) for case in cases]


@require_GET
def case_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.CASE_VIEW, object_type=selectors.CASE_OBJECT_TYPE)
    form = CaseSearchForm(request.GET)
    filters = form.filters()
    cases = selectors.case_results_for(request.user, **filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.case_list_audit(request.user, query=filters["query"])
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form, "page": page, "rows": _rows(page, timezone.now()), "query_string": query_string.urlencode(),
    }  # fmt: skip
    template = "cases/_results.html" if is_partial(request) else "cases/case_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def overdue(request: AuthedRequest) -> HttpResponse:
    """Overdue cases, oldest deadline first; by default every one the user may see."""
    policy.require(request.user, Permission.CASE_VIEW, object_type=selectors.CASE_OBJECT_TYPE)
    mine = Organisation.objects.filter(memberships__user=request.user, memberships__is_active=True, is_active=True)
    form = OverdueFilterForm(request.GET, organisations=mine.distinct().order_by("name_en"))
    cases = selectors.overdue_cases_for(request.user, organisation_id=form.organisation_id())
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form, "page": page, "rows": _rows(page, timezone.now()), "query_string": query_string.urlencode(),
    }  # fmt: skip
    return render(request, "cases/overdue.html", context)


@require_GET
def my_tasks(request: AuthedRequest) -> HttpResponse:
    """Open tasks for me, my organisations and roles (escalations, transfers to answer), and the follow-up
    visits due within 14 days."""
    policy.require(request.user, Permission.CASE_VIEW, object_type=selectors.CASE_OBJECT_TYPE)
    transfers = {transfer.case_id: transfer for transfer in selectors.pending_transfers_to(request.user)}
    tasks = [
        (task, transfers.get(task.case_id) if task.kind == choices.TaskKind.TRANSFER else None)
        for task in selectors.my_tasks(request.user).order_by("due_at", "id")
    ]
    context = {"tasks": tasks, "follow_ups": list(selectors.follow_ups_due_for(request.user)),
               "today": timezone.localdate()}  # fmt: skip
    return render(request, "cases/tasks.html", context)


# --- opening a case ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_open(request: AuthedRequest) -> HttpResponse:
    grant = policy.require(request.user, Permission.CASE_OPEN, object_type=selectors.CASE_OBJECT_TYPE)
    person = people_selectors.person_get_for(request.user, request.GET.get("person", ""))
    organisations = Organisation.objects.filter(pk__in=grant.organisation_ids, is_active=True).order_by("name_en")
    form = CaseOpenForm(
        request.POST if request.method == "POST" else None, person=person, organisations=organisations,
        calendar=request.user.date_preference,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, survivor=person, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Case %(number)s is open.") % {"number": case.number})
            return redirect("cases:detail", case_id=case.public_id)
    context = {
        "form": form, "person": person,
        "existing": list(selectors.case_list_for(request.user).filter(survivor=person)),
    }  # fmt: skip
    return render(request, "cases/case_open.html", context, status=400 if form.errors else 200)


# --- the case page -------------------------------------------------------------------------------------------


@dataclass
class Step:
    """One way out of the current stage: allowed (with its form) or refused (with every reason)."""

    action: str
    label: str
    to_name: str
    allowed: bool
    reasons: tuple[str, ...]
    form: ActForm | None
    deadline_kind: str = ""  # the clock of the stage the step leads to: statutory | target | ""
    deadline_span: str = ""
    deadline_law: str = ""
    due: dt.datetime | None = None


def _step_shape(case: Case, action: str) -> tuple[bool, bool]:
    """(bilateral, final): whether the step needs the other country's reference, and whether it closes."""
    definition = services.definition_of(case.sop_version)
    stage = definition.stages.get(case.stage)
    if stage is None:
        return False, False
    final = any(definition.stages[exit_.to].final for exit_ in stage.exits if exit_.action == action)
    return stage.bilateral, final


def _steps(case: Case, user, now: dt.datetime) -> list[Step]:
    definition = services.definition_of(case.sop_version)
    stage = definition.stages.get(case.stage)
    steps = []
    # A bilateral stage's steps are judged as if the other country's reference were given: the form asks for it.
    bilateral_stage = bool(stage and stage.bilateral)
    for verdict in services.case_available(case, user, now=now, with_reference=bilateral_stage):
        allowed = verdict.allowed
        bilateral, final = _step_shape(case, verdict.action)
        form = None
        if allowed:
            form = ActForm(
                initial={"action": verdict.action, "revision": case.revision}, bilateral=bilateral, final=final,
                auto_id=f"id_{verdict.action}_%s",
            )  # fmt: skip
        to_name = services.stage_name(case, verdict.to) if verdict.to else ""
        reasons = () if allowed else tuple(reason_text(reason) for reason in verdict.reasons)
        step = Step(verdict.action, action_label(verdict.action), to_name, allowed, reasons, form)
        target = definition.stages.get(verdict.to) if verdict.to else None
        deadline = target.deadline if target else None
        if deadline is not None:
            step.deadline_kind, step.deadline_law = deadline.kind, deadline.law
            step.deadline_span, step.due = deadline_text(deadline), verdict.due
        steps.append(step)
    return steps


def _labels(values, choice_class) -> list[str]:
    return [str(choice_class(value).label) if value in choice_class.values else value for value in values]


@require_GET
def case_detail(request: AuthedRequest, case_id) -> HttpResponse:
    case = selectors.case_get_for(request.user, case_id)
    user, now = request.user, timezone.now()
    can_work = selectors.case_can_work(user, case)
    transfers = list(case.transfers.select_related("from_organisation", "to_organisation", "requested_by",
                                                   "answered_by"))  # fmt: skip
    pending = next((t for t in transfers if t.state == Transfer.State.PENDING), None)
    questions = dict(choices.BEST_INTEREST_QUESTIONS)
    answers = {value: str(label) for value, label in YES_NO_UNKNOWN}
    decisions = [
        (decision, [(questions.get(key, key), answers.get(value, value)) for key, value in decision.answers.items()])
        for decision in case.decisions.select_related("organisation").prefetch_related("documents")
    ]
    revision = {"revision": case.revision}
    context = {
        "case": case,
        "stage": services.stage_name(case),
        "clock": clock_view(case, now),
        "steps": _steps(case, user, now) if case.is_open else [],
        "can_work": can_work,
        "may_read_sensitive": services.may_read_sensitive(user, case),
        "team": list(case.team.order_by("full_name", "username")),
        "exploitation_types": _labels(case.exploitation_types, choices.ExploitationType),
        "control_methods": _labels(case.control_methods, choices.ControlMethod),
        "decisions": decisions,
        "consents": list(case.consents.select_related("recorded_by")),
        "documents": list(case.documents.select_related("uploaded_by")),
        "assessments": list(case.assessments.all()),
        "plans": list(case.support_plans.all()),
        "services": list(case.services.select_related("provider", "plan")),
        "follow_ups": list(case.follow_ups.select_related("recorded_by")),
        "related": [(link, _labels(link.perpetrator_roles, choices.PerpetratorRole))
                    for link in case.related_persons.select_related("person")],  # fmt: skip
        "history": list(case.trafficking_events.select_related("district")),
        "transfers": transfers,
        "pending_transfer": pending,
        "can_answer_transfer": bool(pending and selectors.transfer_can_answer(user, pending)),
        "events": list(selectors.timeline(case)),
        "stages": [(record, services.stage_name(case, record.stage), action_label(record.action) if record.action
                    else "") for record in case.stages.select_related("moved_by")],  # fmt: skip
        "hold_form": HoldForm(initial=revision) if case.is_open else None,
        "resume_form": ResumeForm(initial=revision) if case.status == choices.CaseStatus.ON_HOLD else None,
        "reopen_form": ReopenForm(initial=revision) if case.status in (choices.CaseStatus.CLOSED,
                                                                       choices.CaseStatus.CLOSED_REFERRED) else None,
        "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "cases/case_detail.html", context)


# --- saving: the one place that turns a service's refusal into a page ----------------------------------------


def _conflict(request: AuthedRequest, case: Case, exc: services.CaseConflictError) -> HttpResponse:
    return render(request, "cases/conflict.html", {"case": case, "message": str(exc)}, status=409)


def _run(request: AuthedRequest, case: Case, form: ServiceErrorsMixin, call: Callable[[], object]):
    """Call the service behind a valid form. None: done. A response: the conflict page. A dict: the
    refusal, for the form's page (the service's messages are on the form)."""
    try:
        call()
    except services.CaseConflictError as exc:
        return _conflict(request, case, exc)
    except services.SopRefusalError as exc:
        return {"refusal": [reason_text(reason) for reason in exc.reasons]}
    except services.ConsentMissingError as exc:
        form.add_service_errors(exc)
        return {"consent_missing": True}
    except ValidationError as exc:
        form.add_service_errors(exc)
        return {}
    return None


def _form_page(
    request: AuthedRequest,
    case: Case,
    form: ServiceErrorsMixin,
    call: Callable[[], object],
    *,
    title: Any,
    done: Any,
    anchor: str,
    template: str = "cases/case_form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {"case": case, "stage": services.stage_name(case), "form": form, "title": title,
                               **(extra or {})}  # fmt: skip
    if request.method == "POST":
        if form.is_valid():
            outcome = _run(request, case, form, call)
            if outcome is None:
                messages.success(request, done)
                return redirect(_case_url(case, anchor))
            if isinstance(outcome, HttpResponse):
                return outcome
            context.update(outcome)
        return render(request, template, context, status=400)
    return render(request, template, context)


def _work_case(request: AuthedRequest, case_id) -> Case:
    """The case, for a user who may work on it (others get the same 404 as for a missing case)."""
    return selectors.case_get_for(request.user, case_id, permission=Permission.CASE_WORK)


def _data(request: AuthedRequest):
    return request.POST if request.method == "POST" else None


# --- SOP steps, hold, resume, reopen -------------------------------------------------------------------------


@require_POST
def case_act(request: AuthedRequest, case_id) -> HttpResponse:
    case = _work_case(request, case_id)
    action = request.POST.get("action", "")[:64]
    bilateral, final = _step_shape(case, action)
    form = ActForm(request.POST, bilateral=bilateral, final=final)
    return _form_page(
        request, case, form, lambda: services.case_act(actor=request.user, case=case, **form.service_kwargs()),
        title=action_label(action), done=_("The case moved on."), anchor="", template="cases/act.html",
    )  # fmt: skip


@require_POST
def case_hold(request: AuthedRequest, case_id) -> HttpResponse:
    case = _work_case(request, case_id)
    form = HoldForm(request.POST)
    return _form_page(
        request, case, form, lambda: services.case_hold(actor=request.user, case=case, **form.cleaned_data),
        title=_("Put the case on hold"), done=_("The case is on hold."), anchor="",
    )  # fmt: skip


@require_POST
def case_resume(request: AuthedRequest, case_id) -> HttpResponse:
    case = _work_case(request, case_id)
    form = ResumeForm(request.POST)
    return _form_page(
        request, case, form, lambda: services.case_resume(actor=request.user, case=case, **form.cleaned_data),
        title=_("Take the case off hold"), done=_("The case is active again."), anchor="",
    )  # fmt: skip


@require_POST
def case_reopen(request: AuthedRequest, case_id) -> HttpResponse:
    case = _work_case(request, case_id)
    form = ReopenForm(request.POST)
    return _form_page(
        request, case, form, lambda: services.case_reopen(actor=request.user, case=case, **form.cleaned_data),
        title=_("Reopen the case"), done=_("The case is reopened."), anchor="",
    )  # fmt: skip


# --- the forms of a case: one small form each ----------------------------------------------------------------


@dataclass(frozen=True)
class CaseForm:
    build: Callable[[AuthedRequest, Case], Any]  # the bound (POST) or unbound form
    save: Callable[[AuthedRequest, Case, Any], object]  # calls the service with the form's data
    title: Any
    done: Any
    anchor: str
    template: str = "cases/case_form.html"


def _calendar(request: AuthedRequest) -> str:
    return request.user.date_preference


def _related_add(request: AuthedRequest, case: Case, form: RelatedForm) -> object:
    data = dict(form.cleaned_data)
    try:
        person = people_selectors.person_get_for(request.user, data.pop("person_id"))
    except Http404:
        raise ValidationError({"person": [_("No person you may see has this Setu id.")]}) from None
    return services.related_person_add(actor=request.user, case=case, person=person, **data)


CASE_FORMS: dict[str, CaseForm] = {
    "decision": CaseForm(
        lambda r, c: DecisionForm(_data(r), case=c, calendar=_calendar(r)),
        lambda r, c, f: services.decision_record(actor=r.user, case=c, **f.service_kwargs()),
        gettext_lazy("Record a decision"), gettext_lazy("The decision is recorded."), "decisions",
        template="cases/decision_form.html",
    ),
    "consent": CaseForm(
        lambda r, c: ConsentForm(_data(r)),
        lambda r, c, f: services.consent_give(actor=r.user, case=c, **f.cleaned_data),
        gettext_lazy("Record consent or its legal basis"), gettext_lazy("The consent is recorded."), "consent",
        template="cases/consent_form.html",
    ),
    "assessment": CaseForm(
        lambda r, c: AssessmentForm(_data(r), calendar=_calendar(r)),
        lambda r, c, f: services.assessment_add(actor=r.user, case=c, **f.cleaned_data),
        gettext_lazy("Record an assessment"), gettext_lazy("The assessment is recorded."), "care",
    ),
    "support_plan": CaseForm(
        lambda r, c: SupportPlanForm(_data(r), calendar=_calendar(r)),
        lambda r, c, f: services.support_plan_add(actor=r.user, case=c, **f.cleaned_data),
        gettext_lazy("Add a support plan"), gettext_lazy("The support plan is added."), "care",
    ),
    "service": CaseForm(
        lambda r, c: ServiceForm(_data(r), case=c, calendar=_calendar(r)),
        lambda r, c, f: services.service_record(actor=r.user, case=c, **f.cleaned_data),
        gettext_lazy("Record a service delivered"), gettext_lazy("The service is recorded."), "care",
    ),
    "follow_up": CaseForm(
        lambda r, c: FollowUpForm(_data(r), calendar=_calendar(r)),
        lambda r, c, f: services.follow_up_schedule(actor=r.user, case=c, **f.cleaned_data),
        gettext_lazy("Plan a follow-up visit"), gettext_lazy("The visit is planned."), "follow-ups",
    ),
    "related": CaseForm(
        lambda r, c: RelatedForm(_data(r)), _related_add,
        gettext_lazy("Link a person to the case"), gettext_lazy("The person is linked."), "related",
    ),
    "history_event": CaseForm(
        lambda r, c: HistoryEventForm(_data(r), calendar=_calendar(r)),
        lambda r, c, f: services.trafficking_event_add(actor=r.user, case=c, **f.cleaned_data),
        gettext_lazy("Add an event of her trafficking history"), gettext_lazy("The event is added."), "history",
    ),
    "transfer": CaseForm(
        lambda r, c: TransferForm(_data(r), case=c, initial={"revision": c.revision}),
        lambda r, c, f: services.case_transfer_request(actor=r.user, case=c, **f.cleaned_data),
        gettext_lazy("Transfer the case to another organisation"),
        gettext_lazy("The transfer is proposed: the other organisation accepts or refuses it."), "transfer",
    ),
    "team": CaseForm(
        lambda r, c: TeamForm(_data(r), case=c),
        lambda r, c, f: services.case_set_team(actor=r.user, case=c, **f.cleaned_data),
        gettext_lazy("Case owner and team"), gettext_lazy("The owner and team are saved."), "",
    ),
    "edit": CaseForm(
        lambda r, c: CaseEditForm(_data(r), case=c),
        lambda r, c, f: services.case_update(actor=r.user, case=c, **f.service_kwargs()),
        gettext_lazy("Edit the case's details"), gettext_lazy("The changes are saved."), "",
    ),
}  # fmt: skip


@require_http_methods(["GET", "POST"])
def case_form(request: AuthedRequest, case_id, name: str) -> HttpResponse:
    spec = CASE_FORMS[name]
    case = _work_case(request, case_id)
    form = spec.build(request, case)
    return _form_page(request, case, form, lambda: spec.save(request, case, form), title=spec.title,
                      done=spec.done, anchor=spec.anchor, template=spec.template)  # fmt: skip


def _too_large(request: AuthedRequest, case: Case) -> HttpResponse:
    form = DocumentForm(request.POST)
    form.is_valid()
    limit = settings.SETU_UPLOAD_MAX_BYTES // (1024 * 1024)
    form.add_error("file", _("The file is larger than %(mb)d MB.") % {"mb": limit})
    context = {"case": case, "stage": services.stage_name(case), "form": form, "title": _("Add a document"),
               "multipart": True}  # fmt: skip
    return render(request, "cases/case_form.html", context, status=413)


@require_http_methods(["GET", "POST"])
def document_add(request: AuthedRequest, case_id) -> HttpResponse:
    case = _work_case(request, case_id)
    form = DocumentForm()
    if request.method == "POST":
        try:
            files = request.FILES
        except RequestDataTooBig:
            return _too_large(request, case)
        # The upload handler cuts a file over the limit off mid-stream: it is then missing, the body was big.
        if "file" not in files and int(request.META.get("CONTENT_LENGTH") or 0) > settings.SETU_UPLOAD_MAX_BYTES:
            return _too_large(request, case)
        form = DocumentForm(request.POST, files)
    return _form_page(
        request, case, form,
        lambda: services.document_add(actor=request.user, case=case, doc_type=form.cleaned_data["doc_type"],
                                      title=form.cleaned_data["title"], upload=form.cleaned_data["file"]),
        title=_("Add a document"), done=_("The document is added."), anchor="documents", extra={"multipart": True},
    )  # fmt: skip


@require_GET
@never_cache
def document(request: AuthedRequest, case_id, document_id) -> FileResponse:
    """A case document, only after the access check, always as a download (never shown in the page)."""
    stored = selectors.document_get_for(request.user, case_id, document_id)
    return protected_file(stored.file.open("rb"), content_type=stored.content_type, filename=stored.download_name)


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthedRequest, case_id, consent_id) -> HttpResponse:
    case = _work_case(request, case_id)
    consent = selectors.case_record_for(
        request.user, case.consents.filter(withdrawn_at__isnull=True), consent_id, action="case.consent_withdraw"
    )
    form = ConsentWithdrawForm(_data(request))
    return _form_page(
        request, case, form,
        lambda: services.consent_withdraw(actor=request.user, consent=consent, **form.cleaned_data),
        title=_("Withdraw consent: %(purpose)s") % {"purpose": consent.get_purpose_display()},
        done=_("The consent is withdrawn."), anchor="consent", extra={"item": consent},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def follow_up_record(request: AuthedRequest, case_id, follow_up_id) -> HttpResponse:
    case = _work_case(request, case_id)
    visit = selectors.case_record_for(
        request.user, case.follow_ups.filter(done_on__isnull=True), follow_up_id, action="case.follow_up_record"
    )
    form = FollowUpRecordForm(_data(request), calendar=_calendar(request))
    return _form_page(
        request, case, form,
        lambda: services.follow_up_record(actor=request.user, follow_up=visit, **form.cleaned_data),
        title=_("Record the follow-up visit"), done=_("The visit is recorded."), anchor="follow-ups",
        extra={"item": visit},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def support_plan_end(request: AuthedRequest, case_id, plan_id) -> HttpResponse:
    case = _work_case(request, case_id)
    plan = selectors.case_record_for(
        request.user, case.support_plans.filter(actual_end__isnull=True), plan_id, action="case.support_plan_end"
    )
    form = SupportPlanEndForm(_data(request), calendar=_calendar(request))
    return _form_page(
        request, case, form,
        lambda: services.support_plan_end(actor=request.user, plan=plan, **form.cleaned_data),
        title=_("End the support plan: %(type)s") % {"type": plan.get_plan_type_display()},
        done=_("The support plan is ended."), anchor="care",
    )  # fmt: skip


# --- transfers -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def transfer_answer(request: AuthedRequest, transfer_id) -> HttpResponse:
    """The receiving organisation accepts or refuses a transfer (it may not see the case before)."""
    transfer = selectors.transfer_get_for(request.user, transfer_id)
    form = TransferAnswerForm(_data(request))
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.case_transfer_answer(actor=request.user, transfer=transfer, accept=accept,
                                          reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if accept:
                messages.success(request, _("The case is now in your organisation's charge."))
                return redirect("cases:detail", case_id=transfer.case.public_id)
            messages.success(request, _("The transfer is refused; the case stays where it was."))
            return redirect("cases:tasks")
    context = {
        "transfer": transfer, "form": form, "stage": services.stage_name(transfer.case),
        "can_answer": selectors.transfer_can_answer(request.user, transfer),
    }  # fmt: skip
    return render(request, "cases/transfer_answer.html", context, status=400 if form.errors else 200)


# --- sensitive notes -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def sensitive(request: AuthedRequest, case_id) -> HttpResponse:
    """The sensitive notes, decrypted for the case team and supervisors only; every read is audited."""
    case = selectors.case_get_for(request.user, case_id)
    form = SensitiveNoteForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sensitive_note_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The note is saved, encrypted."))
            return redirect("cases:sensitive", case_id=case.public_id)
    notes = services.sensitive_notes_read(actor=request.user, case=case)
    context = {"case": case, "stage": services.stage_name(case), "notes": notes, "form": form}
    return render(request, "cases/sensitive.html", context, status=400 if form.errors else 200)


# --- SOP versions (administrators) ---------------------------------------------------------------------------


class SopUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("SOP definition file (YAML)"))


@require_http_methods(["GET", "POST"])
def sop_versions(request: AuthedRequest) -> HttpResponse:
    versions = list(selectors.sop_version_list_for(request.user))
    form = SopUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_SOP_BYTES:
                raise ValidationError({"source": [_("The file is larger than an SOP definition can be.")]})
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValidationError({"source": [_("The file is not UTF-8 text.")]}) from exc
            loaded = services.sop_load(actor=request.user, text=text)
        except ValidationError as exc:
            problems = exc.message_dict.get("source", exc.messages)
        else:
            messages.success(request, _("SOP %(version)s is now used for new cases.") % {"version": loaded.version})
            return redirect("cases:sop_versions")
    changes = [
        (version, selectors.sop_changes(versions[index + 1] if index + 1 < len(versions) else None, version))
        for index, version in enumerate(versions)
    ]
    status = 400 if (form.errors or problems) else 200
    return render(
        request, "cases/sop_versions.html", {"changes": changes, "form": form, "problems": problems}, status=status
    )
