"""Pages for prevention: the per-ward summary (and its CSV), awareness activities, vigilance reports.
Views only translate HTTP: parse the form, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.http import AuthedRequest
from setu.geo.models import LocalLevel
from setu.prevention import selectors, services
from setu.prevention.forms import ActivityForm, FilterForm, RecordFormMixin, VigilanceReportForm
from setu.prevention.models import REACHED_LABELS, AwarenessActivity, VigilanceKind
from setu.prevention.summary import REACHED_FIELDS, WardRow, to_csv

PAGE_SIZE = 25
# The submit button that only reloads a record form (the local levels of another district, without JS).
REFRESH = "show_local_levels"


def _query_string(request: AuthedRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


# --- the per-ward summary ------------------------------------------------------------------------------------


def _summary(request: AuthedRequest) -> tuple[FilterForm, selectors.WardSummary]:
    policy.require(request.user, Permission.PREVENTION_VIEW, object_type="prevention.summary")
    form = FilterForm(request.GET, districts=selectors.districts_for(request.user), period=True,
                      calendar=request.user.date_preference)  # fmt: skip
    filters = form.filters()
    summary = selectors.ward_summary_for(request.user, **filters)
    return form, summary


def _figures(row: WardRow) -> list[tuple[str, int]]:
    """A row's figures with their column labels, in the table's order."""
    figures = [(_("Activities"), row.activities)]
    figures += [(str(REACHED_LABELS[name]), row.reached_in(name)) for name in REACHED_FIELDS]
    figures += [(_("People reached"), row.reached_total)]
    figures += [(str(label), row.reports_of(kind)) for kind, label in VigilanceKind.choices]
    figures += [(_("Vigilance reports"), row.reports_total)]
    return figures


@require_GET
def summary(request: AuthedRequest) -> HttpResponse:
    form, ward_summary = _summary(request)
    context = {
        "form": form,
        "summary": ward_summary,
        "rows": [(row, _figures(row)) for row in ward_summary.rows],
        "total": _figures(ward_summary.total),
        "reached_labels": [REACHED_LABELS[name] for name in REACHED_FIELDS],
        "kinds": VigilanceKind.choices,
        "query_string": _query_string(request),
    }
    return render(request, "prevention/summary.html", context)


@require_GET
def summary_csv(request: AuthedRequest) -> HttpResponse:
    """The summary as a CSV file, cells safe from spreadsheet formulas; a UTF-8 BOM so that spreadsheet
    programs read Devanagari names right."""
    _form, ward_summary = _summary(request)
    kinds = [kind for kind, _label in VigilanceKind.choices]
    header = [_("District"), _("Municipality / rural municipality"), _("Ward"), _("Activities")]
    header += [str(REACHED_LABELS[name]) for name in REACHED_FIELDS] + [_("People reached")]
    header += [str(label) for _kind, label in VigilanceKind.choices] + [_("Vigilance reports")]
    text = to_csv(header=header, rows=ward_summary.rows, total=ward_summary.total, total_label=_("Total"),
                  kinds=kinds)  # fmt: skip
    audit_record(actor=request.user, action="prevention.summary_export", object_type="prevention.summary",
                 fields=["date_from", "date_to"])  # fmt: skip
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    name = f"prevention-{ward_summary.date_from:%Y%m%d}-{ward_summary.date_to:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- awareness activities ------------------------------------------------------------------------------------


@require_GET
def activity_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.PREVENTION_VIEW, object_type=services.ACTIVITY_OBJECT_TYPE)
    form = FilterForm(request.GET, districts=selectors.districts_for(request.user),
                      calendar=request.user.date_preference)  # fmt: skip
    activities = selectors.activity_list_for(request.user, **form.filters())
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": _query_string(request)}
    return render(request, "prevention/activity_list.html", context)


@require_GET
def activity_detail(request: AuthedRequest, public_id) -> HttpResponse:
    activity = selectors.activity_get_for(request.user, public_id)
    context = {
        "activity": activity,
        "partners": list(activity.partner_organisations.order_by("name_en")),
        "reached_rows": _reached_rows(activity),
        "can_edit": selectors.activity_can_edit(request.user, activity),
    }
    return render(request, "prevention/activity_detail.html", context)


def _reached_rows(activity: AwarenessActivity) -> list[tuple[str, int, int, int]]:
    """(sex, under 18, 18 and over, both) for the activity's small table."""
    rows = []
    for sex, label in (("female", _("Female")), ("male", _("Male")), ("other", _("Other gender"))):
        young, adult = getattr(activity, f"{sex}_under_18"), getattr(activity, f"{sex}_adult")
        rows.append((label, young, adult, young + adult))
    return rows


def _recording_organisations(request: AuthedRequest, object_type: str) -> QuerySet[Organisation]:
    grant = policy.require(request.user, Permission.PREVENTION_RECORD, object_type=object_type)
    return Organisation.objects.filter(pk__in=grant.organisation_ids, is_active=True).order_by("name_en")


def _reloaded(form_class: type[RecordFormMixin], request: AuthedRequest, **kwargs: Any) -> RecordFormMixin:
    """The form as typed, unbound (so no errors show), with the local levels of the district now chosen."""
    initial: dict[str, Any] = {}
    for name, field in form_class.base_fields.items():
        if name in request.POST:
            multiple = getattr(field.widget, "allow_multiple_selected", False)
            initial[name] = request.POST.getlist(name) if multiple else request.POST.get(name)
    return form_class(initial=initial, calendar=request.user.date_preference, **kwargs)


def _save(request: AuthedRequest, form: RecordFormMixin, service, **arguments: Any):
    """Run the service with the form's values; its refusal goes back onto the form. None when refused."""
    if not form.is_valid():
        return None
    try:
        return service(actor=request.user, **arguments, **form.service_kwargs())
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


@require_http_methods(["GET", "POST"])
def activity_create(request: AuthedRequest) -> HttpResponse:
    organisations = _recording_organisations(request, services.ACTIVITY_OBJECT_TYPE)
    options: dict[str, Any] = {
        "organisations": organisations,
        "districts": selectors.recording_districts_for(organisations),
    }
    if request.method == "POST" and REFRESH in request.POST:
        form = _reloaded(ActivityForm, request, **options)
    elif request.method == "POST":
        form = ActivityForm(request.POST, calendar=request.user.date_preference, **options)
        activity = _save(request, form, services.activity_record)
        if activity is not None:
            messages.success(request, _("The activity is recorded."))
            return redirect("prevention:activity_detail", public_id=activity.public_id)
    else:
        form = ActivityForm(calendar=request.user.date_preference, **options)
    return render(request, "prevention/activity_form.html", {"form": form, "activity": None, "refresh": REFRESH})


@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedRequest, public_id) -> HttpResponse:
    activity = selectors.activity_get_for(request.user, public_id, permission=Permission.PREVENTION_RECORD)
    districts = selectors.recording_districts_for([activity.organisation], also=activity.district_id)
    options: dict[str, Any] = {"districts": districts, "activity": activity}
    if request.method == "POST" and REFRESH in request.POST:
        form = _reloaded(ActivityForm, request, **options)
    elif request.method == "POST":
        form = ActivityForm(request.POST, calendar=request.user.date_preference, **options)
        if _save(request, form, services.activity_update, activity=activity) is not None:
            messages.success(request, _("The changes are saved."))
            return redirect("prevention:activity_detail", public_id=activity.public_id)
    else:
        form = ActivityForm(calendar=request.user.date_preference, **options)
    return render(request, "prevention/activity_form.html", {"form": form, "activity": activity, "refresh": REFRESH})


# --- vigilance reports ---------------------------------------------------------------------------------------


@require_GET
def vigilance_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.PREVENTION_VIEW, object_type=services.REPORT_OBJECT_TYPE)
    form = FilterForm(request.GET, districts=selectors.districts_for(request.user), kinds=True,
                      calendar=request.user.date_preference)  # fmt: skip
    reports = selectors.vigilance_report_list_for(request.user, **form.filters())
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": _query_string(request)}
    return render(request, "prevention/vigilance_list.html", context)


@require_GET
def vigilance_detail(request: AuthedRequest, public_id) -> HttpResponse:
    report = selectors.vigilance_report_get_for(request.user, public_id)
    return render(request, "prevention/vigilance_detail.html", {"report": report})


@require_http_methods(["GET", "POST"])
def vigilance_create(request: AuthedRequest) -> HttpResponse:
    organisations = _recording_organisations(request, services.REPORT_OBJECT_TYPE)
    options: dict[str, Any] = {
        "organisations": organisations,
        "districts": selectors.recording_districts_for(organisations),
    }
    if request.method == "POST" and REFRESH in request.POST:
        form = _reloaded(VigilanceReportForm, request, **options)
    elif request.method == "POST":
        form = VigilanceReportForm(request.POST, calendar=request.user.date_preference, **options)
        report = _save(request, form, services.vigilance_report_record)
        if report is not None:
            messages.success(request, _("The vigilance report is recorded."))
            return redirect("prevention:vigilance_detail", public_id=report.public_id)
    else:
        form = VigilanceReportForm(calendar=request.user.date_preference, **options)
    return render(request, "prevention/vigilance_form.html", {"form": form, "refresh": REFRESH})


@require_GET
def local_level_options(request: AuthedRequest) -> HttpResponse:
    """The <option>s of a district's local levels, for the forms' local level select (htmx)."""
    policy.require(request.user, Permission.PREVENTION_VIEW)
    district = request.GET.get("district", "")
    valid = district.isascii() and district.isdigit() and len(district) <= 9
    levels = LocalLevel.objects.filter(district_id=int(district)).order_by("name_en") if valid else []
    return render(request, "prevention/_local_level_options.html", {"levels": levels})
