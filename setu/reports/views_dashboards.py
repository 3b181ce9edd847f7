"""The dashboards' pages and their CSV downloads (setu/reports/dashboards.py holds the figures). Views only
translate HTTP: parse the filters, call the selector (or the export), render."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.core.http import AuthedRequest
from setu.reports import dashboards
from setu.reports.forms_dashboards import DashboardFilterForm


def _query(request: AuthedRequest) -> str:
    """The filters of the query string, without the download's own parameters."""
    query = request.GET.copy()
    for name in ("format", "table"):
        query.pop(name, None)
    return query.urlencode()


def _download(request: AuthedRequest, form: DashboardFilterForm, keys: list[str]) -> HttpResponse:
    if form.is_bound and not form.is_valid():
        policy.require(request.user, Permission.REPORT_VIEW, object_type=dashboards.OBJECT_TYPE)
        problems = " ".join(str(message) for errors in form.errors.values() for message in errors)
        return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
    try:
        export = dashboards.dashboard_export(actor=request.user, keys=keys, filters=form.filters(),
                                             tables=request.GET.getlist("table"), labels=form.labels())  # fmt: skip
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
    return export.response()


@require_GET
@never_cache
def dashboard_index(request: AuthedRequest) -> HttpResponse:
    """The sections the user may open, with the filters carried to each."""
    sections = dashboards.sections_for(request.user)
    form = DashboardFilterForm(request.GET or None)
    return render(request, "reports/dashboard_index.html",
                  {"sections": sections, "form": form, "query": _query(request)})  # fmt: skip


@require_GET
@never_cache
def dashboard_all_csv(request: AuthedRequest) -> HttpResponse:
    """Every table of every section the user may open, as a .zip of CSV files."""
    keys = [section.key for section in dashboards.sections_for(request.user)]
    return _download(request, DashboardFilterForm(request.GET or None), keys)


@require_GET
@never_cache
def dashboard_section(request: AuthedRequest, key: str) -> HttpResponse:
    """One section's charts and tables (or, with ?format=csv[&table=...], their CSV) for the filters given."""
    form = DashboardFilterForm(request.GET or None)
    if request.GET.get("format") == "csv":
        return _download(request, form, [key])
    dashboard = dashboards.dashboard_for(request.user, key, form.filters())
    context = {
        "form": form, "d": dashboard, "query": _query(request), "sections": dashboards.sections_for(request.user),
        "charted": [table for table in dashboard.tables if table.chart is not None],
    }  # fmt: skip
    return render(request, "reports/dashboard.html", context)
