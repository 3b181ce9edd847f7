"""Bilateral statistics pages: the joint page (both countries side by side for a year), publishing this
node's figures, and the CTDC extract with its suppression report. Views only translate HTTP."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.http import AuthedRequest, attachment
from setu.reports import ctdc, statistics

CTDC_OBJECT = "reports.ctdc_extract"


def _year(request, default: int | None = None) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or default or timezone.localdate().year
    try:
        return statistics.check_year(raw)
    except ValidationError:
        return timezone.localdate().year


@require_GET
def joint(request: AuthedRequest) -> HttpResponse:
    """Both countries' published figures for a year, side by side; a suppressed cell is a mark, never a number."""
    year = _year(request)
    mine, other = statistics.joint_for(request.user, year)
    context = {
        "year": year, "years": statistics.years_for(request.user), "mine": mine, "other": other,
        "tables": statistics.joint_tables(mine, other), "k": statistics.K,
        "suppressed": statistics.suppressed_count(list(mine.tables.values())),
        "history": statistics.publication_list_for(request.user).filter(year=year)[:5],
        "may_export": policy.grants(request.user, Permission.STATISTICS_EXPORT).node_wide,
    }  # fmt: skip
    return render(request, "reports/statistics_joint.html", context)


@require_POST
def publish(request: AuthedRequest) -> HttpResponse:
    statistics.require_publish(request.user)
    try:
        publication = statistics.statistics_publish(actor=request.user, year=request.POST.get("year"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("reports:statistics"))
    if publication.message_id:
        messages.success(request, _("Published and sent to the other country."))
    else:
        messages.success(request, _("Published on this node. No other country's node is registered to send it to."))
    return redirect(f"{reverse('reports:statistics')}?year={publication.year}")


def _require_export(request: AuthedRequest) -> None:
    if not policy.grants(request.user, Permission.STATISTICS_EXPORT).node_wide:
        policy.deny(request.user, Permission.STATISTICS_EXPORT.value, object_type=CTDC_OBJECT)


def _ctdc_year(request) -> int | None:
    return _year(request) if request.GET.get("year") else None


@require_GET
def ctdc_page(request: AuthedRequest) -> HttpResponse:
    """What the extract holds and what was suppressed, before (and instead of) downloading it."""
    _require_export(request)
    year = _ctdc_year(request)
    _rows, report = ctdc.extract(year=year)
    audit_record(actor=request.user, action="statistics.ctdc_report", object_type=CTDC_OBJECT,
                 fields=["year"] if year else [])  # fmt: skip
    context = {"report": report, "year": year or "", "columns": len(ctdc.COLUMNS),
               "quasi_identifiers": [", ".join(step) for step in ctdc.QUASI_IDENTIFIERS]}  # fmt: skip
    return render(request, "reports/statistics_ctdc.html", context)


def _download(text: str, filename: str) -> HttpResponse:
    return attachment(HttpResponse(text, content_type="text/csv; charset=utf-8"), filename)


@require_GET
def ctdc_csv(request: AuthedRequest) -> HttpResponse:
    """The k-anonymised extract, in CTDC's columns (-99 for missing or suppressed)."""
    _require_export(request)
    year = _ctdc_year(request)
    rows, report = ctdc.extract(year=year)
    audit_record(actor=request.user, action="statistics.ctdc_export", object_type=CTDC_OBJECT,
                 fields=["year"] if year else [])  # fmt: skip
    suffix = f"-{year}" if year else ""
    return _download(ctdc.to_csv(rows), f"ctdc-k{report.k}{suffix}.csv")


@require_GET
def ctdc_report_csv(request: AuthedRequest) -> HttpResponse:
    """The suppression report of the same extract, as CSV."""
    _require_export(request)
    year = _ctdc_year(request)
    _rows, report = ctdc.extract(year=year)
    audit_record(actor=request.user, action="statistics.ctdc_report", object_type=CTDC_OBJECT,
                 fields=["year"] if year else [])  # fmt: skip
    suffix = f"-{year}" if year else ""
    return _download(ctdc.report_csv(report), f"ctdc-k{report.k}{suffix}-suppression.csv")
