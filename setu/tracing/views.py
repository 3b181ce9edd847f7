"""Pages of missing-person reports: the list (search by name in either script, status, district), a report's
page, registering one (with the missing person and her photo), editing it, and marking her found or closing
it. Views only translate HTTP: parse the form, call one service or selector, render. A refusal re-renders the
form with the service's words next to the fields, with status 400, and saves nothing. Others' reports are
the same 404 as missing ones (selectors.report_get_for)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.core.http import AuthedRequest, is_partial
from setu.exchange.flows import peer_name
from setu.geo.models import LocalLevel
from setu.people import selectors as people_selectors
from setu.people.models import BirthPrecision, Person, Relation
from setu.people.services import photo_too_large_message
from setu.tracing import selectors, services
from setu.tracing.forms import PLACES, ReportFilterForm, ReportForm, StatusForm
from setu.tracing.models import Status

PAGE_SIZE = 25
# The submit button that only reloads the report form (the local levels of another district, without JS).
REFRESH = "show_local_levels"


# --- the list --------------------------------------------------------------------------------------------------


@require_GET
def report_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.TRACING_VIEW, object_type=selectors.REPORT_OBJECT_TYPE)
    form = ReportFilterForm(request.GET)
    filters = form.filters()
    rows = selectors.report_results_for(request.user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.report_list_audit(request.user, query=filters["query"])
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {"form": form, "page": page, "query_string": query_string.urlencode()}
    template = "tracing/_results.html" if is_partial(request) else "tracing/report_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- a report's page -------------------------------------------------------------------------------------------


def _person_facts(user, person: Person) -> dict[str, Any]:
    """What the report's page shows of the missing person: her other names, parents, phones and photos (the
    photos only for those whose grant reaches her record), and whether her record's page is open to the user."""
    relations = person.relations.filter(kind__in=[Relation.Kind.FATHER, Relation.Kind.MOTHER, Relation.Kind.PARENT])
    photos = list(person.photos.all()[:3]) if people_selectors.person_can_view_photos(user, person) else []
    grant = policy.grants(user, Permission.PERSON_VIEW)
    return {
        "aliases": list(person.aliases.all()),
        "parents": list(relations.select_related("related_person")),
        "phones": list(person.phones.all()),
        "photos": photos,
        "person_page": grant.covers(organisation_id=person.organisation_id, district_id=person.location_district_id),
        "can_edit_person": people_selectors.person_can_edit(user, person),
        "birth_exact": person.birth_precision == BirthPrecision.EXACT,
    }


@require_GET
def report_detail(request: AuthedRequest, public_id) -> HttpResponse:
    return report_page(request, selectors.report_get_for(request.user, public_id))


def report_page(request: AuthedRequest, report, *, status: int = 200, **extra: Any) -> HttpResponse:
    """A report's page (also re-rendered with a refused form's errors by the pages that post from it)."""
    from setu.tracing import border

    can_review = policy.has_permission(request.user, Permission.MATCH_REVIEW)
    confirmed = selectors.confirmed_match_of(report)
    alerts = border.alerts_of(report)
    for alert in alerts:
        alert.node_name = peer_name(alert.peer.code)  # type: ignore[attr-defined]  # for the template
    context = {
        "report": report,
        "person": report.person,
        "can_record": selectors.report_can_record(request.user, report),
        "candidates": list(selectors.candidate_list_for(request.user, report=report)[:10]) if can_review else [],
        "can_review": can_review,
        "confirmed": confirmed,
        "confirmed_visible": confirmed is not None
        and people_selectors.person_list_for(request.user).filter(pk=confirmed.person_id).exists(),
        **_person_facts(request.user, report.person),
        "alerts": alerts,
        "alert_targets": [
            {"code": peer.code, "name": peer_name(peer.code)}
            for peer in border.peers()
            if peer.code not in {alert.peer.code for alert in alerts}
        ],
        **extra,
    }
    return render(request, "tracing/report_detail.html", context, status=status)


# --- registering and editing -----------------------------------------------------------------------------------


def _reloaded(request: AuthedRequest, **kwargs: Any) -> ReportForm:
    """The form as typed, unbound (so no errors show), with the local levels of the districts now chosen."""
    initial = {name: request.POST.get(name) for name in ReportForm.base_fields if name in request.POST}
    return ReportForm(initial=initial, calendar=request.user.date_preference, **kwargs)


def _existing_person(request: AuthedRequest) -> Person | None:
    """The existing record the report is for (`?person=<Setu id>`, kept in the form): one the user may see."""
    value = (request.POST.get("person") or request.GET.get("person") or "").strip()
    return people_selectors.person_get_for(request.user, value) if value else None


def _form_page(request: AuthedRequest, form: ReportForm, *, status: int | None = None) -> HttpResponse:
    context = {"form": form, "report": form.report, "person": form.person, "refresh": REFRESH}
    if status is None:
        status = 400 if form.is_bound and form.errors else 200
    return render(request, "tracing/report_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report_create(request: AuthedRequest) -> HttpResponse:
    grant = policy.require(request.user, Permission.TRACING_RECORD, object_type=selectors.REPORT_OBJECT_TYPE)
    organisations = Organisation.objects.filter(pk__in=sorted(grant.organisation_ids), is_active=True).order_by(
        "name_en"
    )
    person = _existing_person(request)
    options: dict[str, Any] = {"organisations": organisations, "person": person}
    calendar = request.user.date_preference
    if request.method != "POST":
        return _form_page(request, ReportForm(calendar=calendar, **options))
    if REFRESH in request.POST:
        return _form_page(request, _reloaded(request, **options))
    try:
        files = request.FILES
    except RequestDataTooBig:
        files = None
    # The upload handler cuts a file over the limit off mid-stream: it is then missing, and the body was big.
    too_big = files is None or (
        "photo" not in files and int(request.META.get("CONTENT_LENGTH") or 0) > settings.SETU_UPLOAD_MAX_BYTES
    )
    if too_big:
        form = _reloaded(request, **options)
        form.full_clean()
        form.add_error(None, photo_too_large_message())
        return _form_page(request, form, status=413)
    form = ReportForm(request.POST, files, calendar=calendar, **options)
    if form.is_valid():
        try:
            report = services.report_create(actor=request.user, entry=form.entry(photo=form.cleaned_data.get("photo")))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Report %(number)s is registered.") % {"number": report.number})
            return redirect("tracing:detail", public_id=report.public_id)
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
def report_edit(request: AuthedRequest, public_id) -> HttpResponse:
    report = selectors.report_get_for(request.user, public_id, permission=Permission.TRACING_RECORD)
    calendar = request.user.date_preference
    if request.method != "POST":
        return _form_page(request, ReportForm(calendar=calendar, report=report))
    if REFRESH in request.POST:
        return _form_page(request, _reloaded(request, report=report))
    form = ReportForm(request.POST, calendar=calendar, report=report)
    if form.is_valid():
        try:
            services.report_update(actor=request.user, report=report, **form.report_values())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("tracing:detail", public_id=report.public_id)
    return _form_page(request, form)


_STATUS_DONE = {
    Status.FOUND: gettext_lazy("The report is marked found."),
    Status.CLOSED: gettext_lazy("The report is closed."),
    Status.OPEN: gettext_lazy("The report is open again."),
}


@require_http_methods(["GET", "POST"])
def report_status(request: AuthedRequest, public_id) -> HttpResponse:
    report = selectors.report_get_for(request.user, public_id, permission=Permission.TRACING_RECORD)
    form = StatusForm(request.POST if request.method == "POST" else None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_set_status(actor=request.user, report=report, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, str(_STATUS_DONE[Status(report.status)]))
            return redirect("tracing:detail", public_id=report.public_id)
    context = {"form": form, "report": report}
    return render(request, "tracing/status_form.html", context, status=400 if form.errors else 200)


@require_GET
def local_levels(request: AuthedRequest) -> HttpResponse:
    """The <option>s of a district's local levels, for the report form's local level selects (htmx sends the
    district select that changed, by its name)."""
    policy.require(request.user, Permission.TRACING_RECORD, object_type=selectors.REPORT_OBJECT_TYPE)
    district = next((request.GET[name] for name in PLACES.values() if request.GET.get(name)), "")
    valid = district.isascii() and district.isdigit() and len(district) <= 9
    levels = LocalLevel.objects.filter(district_id=int(district)).order_by("name_en") if valid else []
    return render(request, "people/_local_level_options.html", {"levels": levels})
