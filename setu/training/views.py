"""Pages for joint training: the dashboard, programmes, sessions, participants, the attendance sheet, scores,
certificates (and their PDF), invitations from the other country, coverage (and its CSV), and the public
certificate check. Views only translate HTTP: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.http import AuthedRequest
from setu.core.spreadsheet import csv_text
from setu.training import exchange, selectors, services
from setu.training.certificate_pdf import certificate_pdf
from setu.training.forms import (
    NomineeFormSet,
    ParticipantForm,
    ProgrammeForm,
    RevokeForm,
    SessionForm,
    VerifyForm,
)
from setu.training.models import Country, TopicArea, normalise_code

PAGE_SIZE = 25
# The public check: this many lookups per client address in the window, then a pause (codes are 60 bits;
# this keeps the page from being a guessing oracle).
VERIFY_LIMIT = 30
VERIFY_WINDOW = 600  # seconds


def _save(form, service, **arguments: Any):
    """Run the service with the form's values; its refusal goes back onto the form. None when refused."""
    if not form.is_valid():
        return None
    try:
        return service(**arguments, **form.service_kwargs())
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


def _refused(request: AuthedRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- dashboard and lists -------------------------------------------------------------------------------------


@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.TRAINING_VIEW, object_type="training.dashboard")
    context = {"board": selectors.dashboard_for(request.user), "now": timezone.now()}
    return render(request, "training/dashboard.html", context)


@require_GET
def programme_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.TRAINING_VIEW, object_type=services.PROGRAMME_OBJECT)
    query = request.GET.get("q", "").strip()[:100]
    topic = request.GET.get("topic", "")
    topic = topic if topic in TopicArea.values else ""
    programmes = selectors.programme_list_for(request.user, query=query, topic=topic)
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {"page": page, "q": query, "topic": topic, "topics": TopicArea.choices,
               "query_string": query_string.urlencode()}  # fmt: skip
    return render(request, "training/programme_list.html", context)


def _organisers(request: AuthedRequest):
    grant = policy.require(request.user, Permission.TRAINING_MANAGE, object_type=services.PROGRAMME_OBJECT)
    return Organisation.objects.filter(pk__in=grant.organisation_ids, is_active=True).order_by("name_en")


@require_http_methods(["GET", "POST"])
def programme_create(request: AuthedRequest) -> HttpResponse:
    organisers = _organisers(request)
    calendar = request.user.date_preference
    form = ProgrammeForm(request.POST or None, organisers=organisers, calendar=calendar)
    if request.method == "POST":
        programme = _save(form, services.programme_create, actor=request.user)
        if programme is not None:
            messages.success(request, _("The programme is created. Add its sessions and participants."))
            return redirect("training:programme_detail", public_id=programme.public_id)
    return render(request, "training/programme_form.html", {"form": form, "programme": None})


@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthedRequest, public_id) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    calendar = request.user.date_preference
    initial = {name: getattr(programme, name) for name in services.PROGRAMME_FIELDS}
    form = ProgrammeForm(request.POST or None, initial=initial, calendar=calendar)
    if request.method == "POST" and _save(form, services.programme_update, actor=request.user, programme=programme):
        messages.success(request, _("The changes are saved."))
        return redirect("training:programme_detail", public_id=programme.public_id)
    return render(request, "training/programme_form.html", {"form": form, "programme": programme})


@require_GET
def programme_detail(request: AuthedRequest, public_id) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, public_id)
    sessions, rows = selectors.participant_rows(programme)
    context = {
        "programme": programme,
        "sessions": sessions,
        "rows": rows,
        "can_manage": services.may_manage(request.user, programme),
        "invitation_problems": exchange.invitation_problems(programme) if programme.invitation_id is None else [],
        "has_nominees": any(row.participant.remote_ref for row in rows),
    }
    return render(request, "training/programme_detail.html", context)


# --- sessions, participants, attendance, scores ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_create(request: AuthedRequest, public_id) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    form = SessionForm(request.POST or None, calendar=request.user.date_preference,
                       initial={"day": programme.starts_on})  # fmt: skip
    if request.method == "POST" and _save(form, services.session_add, actor=request.user, programme=programme):
        messages.success(request, _("The session is added."))
        return redirect("training:programme_detail", public_id=programme.public_id)
    return render(request, "training/session_form.html", {"form": form, "programme": programme})


@require_http_methods(["GET", "POST"])
def participant_create(request: AuthedRequest, public_id) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and _save(form, services.participant_add, actor=request.user, programme=programme):
        messages.success(request, _("The participant is added."))
        if "another" in request.POST:
            return redirect("training:participant_create", public_id=programme.public_id)
        return redirect("training:programme_detail", public_id=programme.public_id)
    return render(request, "training/participant_form.html", {"form": form, "programme": programme})


@require_http_methods(["GET", "POST"])
def attendance(request: AuthedRequest, public_id, session_id) -> HttpResponse:
    """The attendance sheet of one session: a checkbox per participant, big enough for a phone."""
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    session = selectors.session_get_for(request.user, programme, session_id)
    participants = list(programme.participants.select_related("organisation"))
    if request.method == "POST":
        chosen = set(request.POST.getlist("present"))
        present = [p for p in participants if str(p.public_id) in chosen]
        try:
            count = services.attendance_mark(actor=request.user, session=session, present=present)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Attendance is saved: %(count)s present.") % {"count": count})
            return redirect("training:programme_detail", public_id=programme.public_id)
    present_ids = selectors.session_present_ids(session)
    context = {"programme": programme, "session": session,
               "participants": [(p, p.pk in present_ids) for p in participants]}  # fmt: skip
    return render(request, "training/attendance.html", context)


def _score_value(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 6 else text


@require_http_methods(["GET", "POST"])
def scores(request: AuthedRequest, public_id) -> HttpResponse:
    """The score sheet: pre- and post-test per participant, and the change."""
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    participants = list(programme.participants.all())
    errors: dict[str, list[str]] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        sheet = {}
        for p in participants:
            pre, post = (request.POST.get(f"{name}_{p.public_id}", "") for name in ("pre", "post"))
            typed[f"pre_{p.public_id}"], typed[f"post_{p.public_id}"] = pre, post
            sheet[p] = (_score_value(pre), _score_value(post))
        try:
            services.scores_record_many(actor=request.user, programme=programme, scores=sheet)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The scores are saved."))
            return redirect("training:programme_detail", public_id=programme.public_id)
    rows = []
    for p in participants:
        pre = typed.get(f"pre_{p.public_id}", "" if p.pre_score is None else str(p.pre_score))
        post = typed.get(f"post_{p.public_id}", "" if p.post_score is None else str(p.post_score))
        problems = errors.get(f"pre_score:{p.public_id}", []) + errors.get(f"post_score:{p.public_id}", [])
        rows.append({"participant": p, "pre": pre, "post": post, "errors": problems})
    context = {"programme": programme, "rows": rows, "refused": bool(errors)}
    return render(request, "training/scores.html", context, status=400 if errors else 200)


# --- certificates ----------------------------------------------------------------------------------------------


@require_POST
def certificate_issue(request: AuthedRequest, public_id, participant_id) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    participant = selectors.participant_get_for(request.user, programme, participant_id)
    try:
        certificate = services.certificate_issue(actor=request.user, participant=participant)
    except ValidationError as exc:
        _refused(request, exc)
        return redirect("training:programme_detail", public_id=programme.public_id)
    messages.success(request, _("Certificate %(code)s is issued.") % {"code": certificate.display_code})
    return redirect("training:certificate_detail", public_id=certificate.public_id)


@require_POST
def certificates_issue_all(request: AuthedRequest, public_id) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    issued = services.certificates_issue_all(actor=request.user, programme=programme)
    messages.success(request, _("%(count)s certificates issued.") % {"count": len(issued)})
    return redirect("training:programme_detail", public_id=programme.public_id)


@require_GET
def certificate_detail(request: AuthedRequest, public_id) -> HttpResponse:
    certificate = selectors.certificate_get_for(request.user, public_id)
    programme = certificate.participant.programme
    context = {"certificate": certificate, "programme": programme, "form": RevokeForm(),
               "can_manage": services.may_manage(request.user, programme)}  # fmt: skip
    return render(request, "training/certificate_detail.html", context)


@require_POST
def certificate_revoke(request: AuthedRequest, public_id) -> HttpResponse:
    certificate = selectors.certificate_get_for(request.user, public_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(actor=request.user, certificate=certificate,
                                        reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("training:certificate_detail", public_id=certificate.public_id)
    programme = certificate.participant.programme
    context = {"certificate": certificate, "programme": programme, "form": form,
               "can_manage": services.may_manage(request.user, programme)}  # fmt: skip
    return render(request, "training/certificate_detail.html", context, status=400)


@require_GET
def certificate_download(request: AuthedRequest, public_id) -> HttpResponse:
    certificate = selectors.certificate_get_for(request.user, public_id)
    url = request.build_absolute_uri(reverse("training:verify_code", args=[certificate.display_code]))
    data = certificate_pdf(certificate, verify_url=url)
    audit_record(actor=request.user, action="training.certificate_download", obj=certificate,
                 object_type=services.CERTIFICATE_OBJECT)  # fmt: skip
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.display_code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- across the border -----------------------------------------------------------------------------------------


@require_POST
def programme_invite(request: AuthedRequest, public_id) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    try:
        exchange.programme_invite(actor=request.user, programme=programme)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The invitation is on its way to the other country."))
    return redirect("training:programme_detail", public_id=programme.public_id)


@require_POST
def results_send(request: AuthedRequest, public_id) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, public_id, permission=Permission.TRAINING_MANAGE)
    try:
        exchange.results_send(actor=request.user, programme=programme)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The results are on their way to the other country."))
    return redirect("training:programme_detail", public_id=programme.public_id)


@require_GET
def invitation_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.TRAINING_VIEW, object_type=exchange.INVITATION_OBJECT)
    invitations = exchange.invitation_list_for(request.user)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/invitation_list.html", {"page": page, "query_string": ""})


@require_http_methods(["GET", "POST"])
def invitation_detail(request: AuthedRequest, public_id) -> HttpResponse:
    invitation = exchange.invitation_get_for(request.user, public_id)
    may_answer = policy.has_permission(request.user, Permission.TRAINING_MANAGE)
    formset = NomineeFormSet(request.POST or None, prefix="n")
    errors: list[str] = []
    if request.method == "POST":
        if formset.is_valid():
            nominees = [form.cleaned_data for form in formset.forms if not form.is_blank]
            try:
                exchange.invitation_nominate(actor=request.user, invitation=invitation, nominees=nominees)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("The nominations are on their way to the other country."))
                return redirect("training:invitation_detail", public_id=invitation.public_id)
        else:
            errors = [_("Correct the rows marked below.")]
    context = {"invitation": invitation, "formset": formset, "errors": errors, "may_answer": may_answer,
               "nominations": list(invitation.nominations.select_related("organisation"))}  # fmt: skip
    return render(request, "training/invitation_detail.html", context, status=400 if errors else 200)


@require_POST
def invitation_decline(request: AuthedRequest, public_id) -> HttpResponse:
    invitation = exchange.invitation_get_for(request.user, public_id)
    try:
        exchange.invitation_decline(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The invitation is declined; the other country is told."))
    return redirect("training:invitation_detail", public_id=invitation.public_id)


# --- coverage --------------------------------------------------------------------------------------------------


def _year(request: AuthedRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) == 4 else None


@require_GET
def coverage(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.TRAINING_VIEW, object_type="training.coverage")
    year = _year(request)
    context = {"coverage": selectors.coverage_for(request.user, year=year), "year": year or "",
               "countries": dict(Country.choices)}  # fmt: skip
    return render(request, "training/coverage.html", context)


@require_GET
def coverage_csv(request: AuthedRequest) -> HttpResponse:
    """Coverage as CSV (through setu.core.spreadsheet: formula-safe cells, a BOM for Devanagari)."""
    policy.require(request.user, Permission.TRAINING_VIEW, object_type="training.coverage")
    year = _year(request)
    figures = selectors.coverage_for(request.user, year=year)
    countries = dict(Country.choices)
    header = [_("Table"), _("Country"), _("Organisation or designation"), _("Participants"), _("Completed"),
              _("Certified"), _("Women")]  # fmt: skip
    rows = []
    for table, label in (
        (figures.by_organisation, _("By organisation")),
        (figures.by_designation, _("By designation")),
    ):
        for row in table:
            rows.append([label, str(countries.get(row.country, row.country)), row.label, row.participants,
                         row.completed, row.certified, row.women])  # fmt: skip
    total = figures.total
    rows.append([_("Total"), "", "", total.participants, total.completed, total.certified, total.women])
    audit_record(actor=request.user, action="training.coverage_export", object_type="training.coverage",
                 fields=["year"] if year else [])  # fmt: skip
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-coverage{"-" + str(year) if year else ""}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the public check ------------------------------------------------------------------------------------------


def _client(request) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _over_limit(request) -> bool:
    key = f"setu-training-verify:{_client(request)}"
    cache.add(key, 0, VERIFY_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, VERIFY_WINDOW)
        count = 1
    return count > VERIFY_LIMIT


@login_not_required
@require_GET
def verify(request) -> HttpResponse:
    """The public page: type a code. A code that can be one goes to its own page (a URL that can be printed);
    one that cannot gets the answer for an unknown code at once."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if code is not None:
            return redirect("training:verify_code", code=code)
        return _answer(request, form.cleaned_data["code"])
    return render(request, "training/verify.html", {"form": form, "checked": False})


@login_not_required
@require_GET
def verify_code(request, code: str) -> HttpResponse:
    """What anyone may know of a certificate: the name, the course, the dates, valid or revoked. An unknown
    and a malformed code get the same answer."""
    return _answer(request, code)


def _answer(request, code: str) -> HttpResponse:
    if _over_limit(request):
        response = render(request, "training/verify.html", {"form": VerifyForm(), "limited": True}, status=429)
        response["Retry-After"] = str(VERIFY_WINDOW)
        return response
    found = selectors.certificate_verify(code)
    context = {"form": VerifyForm(initial={"code": code[:64]}), "checked": True, "found": found}
    response = render(request, "training/verify.html", context, status=200 if found else 404)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
