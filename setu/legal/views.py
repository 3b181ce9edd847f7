"""Pages for prosecutions and witness availability. Views only translate HTTP: parse the form, call one service
or selector, render; a refused service puts its messages on the form and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.core.http import AuthedRequest
from setu.legal import forms, selectors, services
from setu.legal.models import Prosecution

PAGE_SIZE = 25


def _calendar(request: AuthedRequest) -> str:
    return getattr(request.user, "date_preference", "AD")


def _query_string(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _form_page(
    request: AuthedRequest,
    form: django_forms.Form,
    call: Callable[[dict], Any],
    *,
    title: str,
    back: str,
    done: str,
    success: str,
    intro: str = "",
    submit: str = "",
) -> HttpResponse:
    """GET: the empty form. POST: parse it, call the service, and go back with `success`; a refusal puts the
    service's messages on the form (nothing was saved)."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)  # type: ignore[attr-defined]
        else:
            messages.success(request, success)
            return redirect(done)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "back": back, "intro": intro, "submit": submit or _("Save")}
    return render(request, "legal/form.html", context, status=status)


def _detail_url(prosecution: Prosecution, anchor: str = "") -> str:
    return reverse("legal:detail", args=[prosecution.public_id]) + (f"#{anchor}" if anchor else "")


# --- dashboard, list, calendar -------------------------------------------------------------------------------


@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.LEGAL_VIEW, object_type=services.PROSECUTION_OBJECT_TYPE)
    board = selectors.dashboard_for(request.user)
    can_create = policy.grants(request.user, Permission.LEGAL_RECORD).allowed
    return render(request, "legal/dashboard.html", {"board": board, "can_create": can_create})


@require_GET
def prosecution_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.LEGAL_VIEW, object_type=services.PROSECUTION_OBJECT_TYPE)
    form = forms.FilterForm(request.GET)
    rows = selectors.prosecution_list_for(request.user, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = policy.grants(request.user, Permission.LEGAL_RECORD).allowed
    context = {"form": form, "page": page, "query_string": _query_string(request), "can_create": can_create}
    return render(request, "legal/prosecution_list.html", context)


@require_GET
def hearing_calendar(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.LEGAL_VIEW, object_type=services.PROSECUTION_OBJECT_TYPE)
    try:
        month = dt.date.fromisoformat(f"{request.GET.get('month', '')}-01")
    except ValueError:
        month = timezone.localdate().replace(day=1)
    days = selectors.hearing_calendar_for(request.user, month=month)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    context = {
        "month": month,
        "days": days,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
    }
    return render(request, "legal/calendar.html", context)


# --- a prosecution -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def prosecution_create(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.LEGAL_RECORD, object_type=services.PROSECUTION_OBJECT_TYPE)
    form = forms.ProsecutionForm(
        request.POST or None, calendar=_calendar(request), initial={"opened_on": timezone.localdate()}
    )
    created: list[Prosecution] = []

    def call(data: dict) -> None:
        created.append(services.prosecution_create(actor=request.user, **data))

    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Prosecution %(number)s registered.") % {"number": created[0].number})
            return redirect(_detail_url(created[0]))
    context = {
        "form": form,
        "title": _("Register a prosecution"),
        "back": reverse("legal:list"),
        "submit": _("Register"),
    }
    return render(request, "legal/form.html", context, status=400 if request.method == "POST" else 200)


@require_GET
def prosecution_detail(request: AuthedRequest, public_id) -> HttpResponse:
    prosecution = selectors.prosecution_get_for(request.user, public_id)
    detail = selectors.prosecution_detail(request.user, prosecution)
    context = {"p": prosecution, "d": detail, "can_record": selectors.can_record(request.user, prosecution)}
    return render(request, "legal/prosecution_detail.html", context)


def _recordable(request: AuthedRequest, public_id) -> Prosecution:
    return selectors.prosecution_get_for(request.user, public_id, permission=Permission.LEGAL_RECORD)


@require_http_methods(["GET", "POST"])
def prosecution_edit(request: AuthedRequest, public_id) -> HttpResponse:
    p = _recordable(request, public_id)
    initial = {name: getattr(p, name) for name in services.PROSECUTION_FIELDS}
    form = forms.ProsecutionForm(request.POST or None, initial=initial, calendar=_calendar(request))
    for name in ("district", "opened_on"):
        del form.fields[name]
    return _form_page(
        request,
        form,
        lambda data: services.prosecution_update(actor=request.user, prosecution=p, **data),
        title=_("Edit %(number)s") % {"number": p.number},
        back=_detail_url(p),
        done=_detail_url(p),
        success=_("Saved."),
    )


@require_http_methods(["GET", "POST"])
def prosecution_status(request: AuthedRequest, public_id) -> HttpResponse:
    p = _recordable(request, public_id)
    form = forms.StatusForm(
        request.POST or None,
        calendar=_calendar(request),
        initial={"status": p.status, "outcome": p.outcome, "judgment_on": p.judgment_on},
    )
    return _form_page(
        request,
        form,
        lambda data: services.prosecution_set_status(actor=request.user, prosecution=p, **data),
        title=_("Status and outcome of %(number)s") % {"number": p.number},
        back=_detail_url(p),
        done=_detail_url(p),
        success=_("Status saved."),
    )


@require_http_methods(["GET", "POST"])
def charge_add(request: AuthedRequest, public_id) -> HttpResponse:
    p = _recordable(request, public_id)
    form = forms.ChargeForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.charge_add(actor=request.user, prosecution=p, **data),
        title=_("Add a charge to %(number)s") % {"number": p.number},
        back=_detail_url(p),
        done=_detail_url(p, "charges"),
        success=_("Charge added."),
        intro=_("The sections come from the maintained list of charges of this country's law."),
    )


@require_http_methods(["GET", "POST"])
def accused_add(request: AuthedRequest, public_id) -> HttpResponse:
    p = _recordable(request, public_id)
    form = forms.AccusedForm(request.POST or None)

    def call(data: dict) -> None:
        entry = services.AccusedEntry(
            full_name=data["full_name"],
            gender=data["gender"] or "NonSpecifiedUnknown",
            age_years=data["age_years"],
            nationality=data["nationality"] or "",
            roles=data["roles"],
        )
        services.accused_add(actor=request.user, prosecution=p, entry=entry)

    return _form_page(
        request,
        form,
        call,
        title=_("Add an accused to %(number)s") % {"number": p.number},
        back=_detail_url(p),
        done=_detail_url(p, "accused"),
        success=_("Accused added."),
    )


@require_http_methods(["GET", "POST"])
def accused_verdict(request: AuthedRequest, public_id, accused_id) -> HttpResponse:
    p = _recordable(request, public_id)
    accused = selectors.accused_get_for(p, request.user, accused_id)
    form = forms.VerdictForm(
        request.POST or None,
        calendar=_calendar(request),
        initial={
            "verdict": accused.verdict,
            "verdict_on": accused.verdict_on,
            "sentence": accused.sentence,
            "fine_amount": accused.fine_amount or "",
            "fine_currency": accused.fine_currency,
        },
    )
    return _form_page(
        request,
        form,
        lambda data: services.accused_verdict(actor=request.user, accused=accused, **data),
        title=_("Verdict for %(name)s") % {"name": accused.person.full_name},
        back=_detail_url(p),
        done=_detail_url(p, "accused"),
        success=_("Verdict saved."),
    )


@require_http_methods(["GET", "POST"])
def witness_add(request: AuthedRequest, public_id) -> HttpResponse:
    p = _recordable(request, public_id)
    form = forms.WitnessForm(request.POST or None)

    def call(data: dict) -> None:
        from setu.cases.selectors import case_list_for

        case = case_list_for(request.user).filter(number=data["case_number"].strip().upper()).first()
        if case is None:
            raise ValidationError({"case_number": [_("No case with that number that you may see.")]})
        services.witness_add(actor=request.user, prosecution=p, case=case, note=data["note"])

    return _form_page(
        request,
        form,
        call,
        title=_("Add a victim as witness to %(number)s") % {"number": p.number},
        back=_detail_url(p),
        done=_detail_url(p, "witnesses"),
        success=_("Witness added."),
    )


@require_http_methods(["GET", "POST"])
def hearing_add(request: AuthedRequest, public_id) -> HttpResponse:
    p = _recordable(request, public_id)
    form = forms.HearingForm(request.POST or None, calendar=_calendar(request))
    return _form_page(
        request,
        form,
        lambda data: services.hearing_record(actor=request.user, prosecution=p, **data),
        title=_("Record a hearing of %(number)s") % {"number": p.number},
        back=_detail_url(p),
        done=_detail_url(p, "hearings"),
        success=_("Hearing recorded."),
    )


@require_http_methods(["GET", "POST"])
def compensation_add(request: AuthedRequest, public_id) -> HttpResponse:
    p = _recordable(request, public_id)
    witnesses = list(p.witnesses.select_related("case"))
    accused = list(p.accused.select_related("person"))
    form = forms.CompensationForm(
        request.POST or None, calendar=_calendar(request), witnesses=witnesses, accused=accused
    )

    def call(data: dict) -> None:
        witness = selectors.witness_get_for(p, request.user, data.pop("witness"))
        payer = selectors.accused_get_for(p, request.user, data.pop("accused"))
        services.compensation_order(actor=request.user, witness=witness, accused=payer, **data)

    return _form_page(
        request,
        form,
        call,
        title=_("Compensation ordered in %(number)s") % {"number": p.number},
        back=_detail_url(p),
        done=_detail_url(p, "compensation"),
        success=_("Compensation order recorded."),
    )


@require_http_methods(["GET", "POST"])
def payment_add(request: AuthedRequest, public_id, order_id) -> HttpResponse:
    p = _recordable(request, public_id)
    order = selectors.order_get_for(request.user, p, order_id)
    form = forms.PaymentForm(request.POST or None, calendar=_calendar(request), initial={"currency": order.currency})
    return _form_page(
        request,
        form,
        lambda data: services.payment_record(actor=request.user, order=order, **data),
        title=_("Record a payment to the survivor"),
        back=_detail_url(p),
        done=_detail_url(p, "compensation"),
        success=_("Payment recorded."),
    )


# --- witness needs and video testimony -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def need_add(request: AuthedRequest, public_id) -> HttpResponse:
    p = _recordable(request, public_id)
    witnesses = list(p.witnesses.select_related("case"))
    form = forms.NeedForm(
        request.POST or None, calendar=_calendar(request), witnesses=witnesses, initial={"court": p.court}
    )

    def call(data: dict) -> None:
        witness = selectors.witness_get_for(p, request.user, data.pop("witness"))
        services.witness_need_record(actor=request.user, witness=witness, **data)

    return _form_page(
        request,
        form,
        call,
        title=_("A witness is needed"),
        back=_detail_url(p),
        done=_detail_url(p, "needs"),
        success=_("Witness need recorded: her caseworker sees it."),
    )


@require_http_methods(["POST"])
def need_status(request: AuthedRequest, need_id) -> HttpResponse:
    need = selectors.need_get_for(request.user, need_id)
    try:
        services.witness_need_set_status(actor=request.user, need=need, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_detail_url(need.prosecution, "needs"))


def _case_url(case) -> str:
    return reverse("cases:detail", args=[case.public_id]) + "#witness"


@require_http_methods(["GET", "POST"])
def need_her_view(request: AuthedRequest, need_id) -> HttpResponse:
    need = selectors.need_get_for(request.user, need_id)
    from setu.cases.services.common import require_work

    require_work(request.user, need.case)
    form = forms.HerViewForm(request.POST or None, initial={"her_consent": need.her_consent, "her_view": need.her_view})
    return _form_page(
        request,
        form,
        lambda data: services.witness_need_her_view(actor=request.user, need=need, **data),
        title=_("Her view on testifying"),
        back=_case_url(need.case),
        done=_case_url(need.case),
        success=_("Her view is recorded."),
    )


@require_http_methods(["GET", "POST"])
def session_add(request: AuthedRequest, need_id) -> HttpResponse:
    need = selectors.need_get_for(request.user, need_id)
    services.require_record(request.user, need.prosecution)
    form = forms.SessionForm(
        request.POST or None,
        calendar=_calendar(request),
        initial={"court_end": need.court, "timezone": _default_zone()},
    )

    def call(data: dict) -> None:
        services.testimony_schedule(
            actor=request.user,
            need=need,
            scheduled_at=form.scheduled_at(),
            timezone_name=data["timezone"],
            court_end=data["court_end"],
            survivor_end=data["survivor_end"],
            interpreter=data["interpreter"],
            link_reference=data["link_reference"],
        )

    return _form_page(
        request,
        form,
        call,
        title=_("Schedule a video testimony"),
        back=_detail_url(need.prosecution, "needs"),
        done=_detail_url(need.prosecution, "sessions"),
        success=_("Video testimony proposed."),
        submit=_("Propose the session"),
        intro=_(
            "If she has gone home, her country's node is asked at once; her caseworker there "
            "confirms, declines or proposes another time."
        ),
    )


def _default_zone() -> str:
    from django.conf import settings

    return "Asia/Kolkata" if settings.SETU_NODE == "IN" else "Asia/Kathmandu"


@require_http_methods(["GET", "POST"])
def session_status(request: AuthedRequest, session_id) -> HttpResponse:
    session = selectors.session_get_for(request.user, session_id)
    if session.need is None:  # asked for by the other country: answered on the case, not moved from here
        policy.deny(
            request.user,
            Permission.LEGAL_RECORD.value,
            object_type=services.SESSION_OBJECT_TYPE,
            object_id=str(session.public_id),
        )
    assert session.need is not None  # noqa: S101
    prosecution = session.need.prosecution
    services.require_record(request.user, prosecution)
    form = forms.SessionStatusForm(request.POST or None, initial={"status": session.status})
    if session.counter_at is None:
        del form.fields["accept_counter"]
    return _form_page(
        request,
        form,
        lambda data: services.testimony_set_status(actor=request.user, session=session, **data),
        title=_("Video testimony session"),
        back=_detail_url(prosecution, "sessions"),
        done=_detail_url(prosecution, "sessions"),
        success=_("Session updated."),
    )


@require_http_methods(["GET", "POST"])
def session_answer(request: AuthedRequest, session_id) -> HttpResponse:
    session = selectors.session_get_for(request.user, session_id)
    if not session.peer:  # a session of a prosecution here is moved on by its office, not answered
        policy.deny(
            request.user,
            "legal.testimony_answer",
            object_type=services.SESSION_OBJECT_TYPE,
            object_id=str(session.public_id),
        )
    from setu.cases.services.common import require_work

    require_work(request.user, session.case)
    form = forms.AnswerForm(
        request.POST or None, calendar=_calendar(request), initial={"survivor_end": session.survivor_end}
    )

    def call(data: dict) -> None:
        services.testimony_answer(
            actor=request.user,
            session=session,
            answer=data["answer"],
            reason=data["reason"],
            proposed_at=form.proposed_at(session.timezone),
            survivor_end=data["survivor_end"],
        )

    intro = _("Asked for by %(node)s: %(court)s.") % {"node": session.peer, "court": session.court}
    return _form_page(
        request,
        form,
        call,
        title=_("Answer the video testimony request"),
        back=_case_url(session.case),
        done=_case_url(session.case),
        success=_("Answer sent to the other country."),
        intro=intro,
        submit=_("Send the answer"),
    )
