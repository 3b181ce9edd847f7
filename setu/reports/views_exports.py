"""Exports and printable documents, under /reports/exports/.

- The HTCDS case export (CSV, JSON): EXPORT_BULK, over the cases the user's CASE_VIEW grant reaches, with the
  case list's filters. Streamed when long.
- List exports (CSV, XLSX) of the cases, people, interceptions and missing-person reports lists: the list's
  own permission and rows; more than a page of rows (listexport.page_rows()) needs EXPORT_BULK.
- A case's documents (summary, handover certificate, home study form): CASE_VIEW on that case, else the
  audited 404 of setu.cases.selectors.case_get_for.
- The annual summary (fiscal year, NHRC / TIP shape): REPORT_VIEW, counted over the grant's scope.

Every export and print is audited: who, what, how many rows ("rows=N" as the event's object id), and which
filters were used (their names, never their values).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_denied, audit_record
from setu.cases import selectors as case_selectors
from setu.cases.forms import CaseSearchForm
from setu.core.http import AuthedRequest, attachment
from setu.core.spreadsheet import XLSX_CONTENT_TYPE, csv_lines, csv_text, xlsx_bytes
from setu.reports import htcds, listexport
from setu.reports.documents import annual, case_documents
from setu.reports.documents.layout import document_languages

# Above this many rows a CSV or JSON download is streamed (written as it is read) instead of built whole.
STREAM_ABOVE = 1000
CASE_DOCUMENTS = {
    "summary": ("report.case_summary", case_documents.case_summary_pdf),
    "handover": ("report.handover_certificate", case_documents.handover_certificate_pdf),
    "home-study": ("report.home_study_form", case_documents.home_study_form_pdf),
}


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def _csv_response(header: list, rows: Iterable, *, count: int, filename: str) -> HttpResponseBase:
    if count > STREAM_ABOVE:
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            (line.encode("utf-8") for line in csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    return attachment(response, filename)


def _language(request: AuthedRequest) -> str:
    """The document's language: ?lang= if it is English or the node's language, else the page's language
    if it is one of them, else English."""
    choice = request.GET.get("lang", "")
    languages = document_languages()
    if choice in languages:
        return choice
    current = (translation.get_language() or "en")[:2]
    return current if current in languages else "en"


# --- the index -------------------------------------------------------------------------------------------------


@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """What the user may export or print here: the HTCDS export, the annual summary, how list exports work."""
    user = request.user
    if not (policy.has_permission(user, Permission.REPORT_VIEW) or policy.has_permission(user, Permission.EXPORT_BULK)):
        policy.deny(user, Permission.REPORT_VIEW.value, object_type="reports.exports")
    years = annual.recent_fiscal_years()
    context = {
        "years": years, "page_rows": listexport.page_rows(), "doc_languages": _language_choices(),
        "can_bulk": policy.has_permission(user, Permission.EXPORT_BULK),
        "can_report": policy.has_permission(user, Permission.REPORT_VIEW),
        "htcds_fields": len(htcds.row_fields()),
    }  # fmt: skip
    return render(request, "reports/exports.html", context)


def _language_choices() -> list[tuple[str, str]]:
    names = dict(settings.LANGUAGES)
    return [(code, names.get(code, code)) for code in document_languages()]


# --- the HTCDS case export --------------------------------------------------------------------------------------


def _htcds_cases(request: AuthedRequest):
    """The cases of the export: EXPORT_BULK needed; the case list's filters over the CASE_VIEW scope."""
    policy.require(request.user, Permission.EXPORT_BULK, object_type=case_selectors.CASE_OBJECT_TYPE)
    policy.require(request.user, Permission.CASE_VIEW, object_type=case_selectors.CASE_OBJECT_TYPE)
    filters = CaseSearchForm(request.GET).filters()
    cases = case_selectors.case_list_for(request.user, **filters)
    return cases, [name for name, value in filters.items() if value]


@require_GET
def htcds_csv(request: AuthedRequest) -> HttpResponseBase:
    cases, used = _htcds_cases(request)
    count = cases.count()
    audit_record(actor=request.user, action="export.htcds_csv", object_type=case_selectors.CASE_OBJECT_TYPE,
                 object_id=f"rows={count}", fields=used)  # fmt: skip
    return _csv_response(htcds.row_fields(), htcds.csv_rows(cases), count=count,
                         filename=f"htcds-cases-{settings.SETU_NODE}-{_stamp()}.csv")  # fmt: skip


def _json_chunks(head: dict, records: Iterator[dict]) -> Iterator[str]:
    """{...head, "records": [...]} written a record at a time."""
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield opening + ', "records": ['
    for index, item in enumerate(records):
        yield ("," if index else "") + "\n" + json.dumps(item, ensure_ascii=False, default=str)
    yield "\n]}\n"


@require_GET
def htcds_json(request: AuthedRequest) -> HttpResponseBase:
    cases, used = _htcds_cases(request)
    count = cases.count()
    audit_record(actor=request.user, action="export.htcds_json", object_type=case_selectors.CASE_OBJECT_TYPE,
                 object_id=f"rows={count}", fields=used)  # fmt: skip
    head = {"standard": "HTCDS", "version": "2.0", "node": settings.SETU_NODE,
            "exported_at": timezone.now().isoformat(), "count": count}  # fmt: skip
    chunks = _json_chunks(head, (htcds.json_record(case) for case in htcds.iterate(cases)))
    content_type = "application/json; charset=utf-8"
    response: HttpResponse | StreamingHttpResponse
    if count > STREAM_ABOVE:
        response = StreamingHttpResponse((chunk.encode("utf-8") for chunk in chunks), content_type=content_type)
    else:
        response = HttpResponse("".join(chunks), content_type=content_type)
    return attachment(response, f"htcds-cases-{settings.SETU_NODE}-{_stamp()}.json")


# --- list exports -----------------------------------------------------------------------------------------------


@require_GET
def list_export(request: AuthedRequest, key: str, fmt: str) -> HttpResponseBase:
    export = listexport.LISTS.get(key)
    if export is None or fmt not in ("csv", "xlsx"):
        raise Http404
    policy.require(request.user, export.permission, object_type=export.object_type)
    rows, used = export.rows(request.user, request.GET)
    count = listexport.count(rows)
    limit = listexport.page_rows()
    if count > limit and not policy.has_permission(request.user, Permission.EXPORT_BULK):
        audit_denied(actor=request.user, action=Permission.EXPORT_BULK.value, object_type=export.object_type,
                     object_id=f"rows={count}")  # fmt: skip
        context = {"export": export, "count": count, "limit": limit}
        return render(request, "reports/exports_too_many.html", context, status=403)
    audit_record(actor=request.user, action=f"export.list_{fmt}", object_type=export.object_type,
                 object_id=f"rows={count}", fields=used)  # fmt: skip
    filename = f"{key}-{settings.SETU_NODE}-{_stamp()}.{fmt}"
    header, lines = export.columns(), listexport.iterate(export, rows)
    if fmt == "csv":
        return _csv_response(header, lines, count=count, filename=filename)
    return attachment(HttpResponse(xlsx_bytes(header, lines, title=str(export.title)),
                                    content_type=XLSX_CONTENT_TYPE), filename)  # fmt: skip


# --- printable documents ----------------------------------------------------------------------------------------


@require_GET
def case_document(request: AuthedRequest, case_id, kind: str) -> HttpResponseBase:
    if kind not in CASE_DOCUMENTS:
        raise Http404
    case = case_selectors.case_get_for(request.user, case_id)
    action, make = CASE_DOCUMENTS[kind]
    language = _language(request)
    data = make(case, language=language)
    audit_record(actor=request.user, action=action, obj=case, fields=[f"lang:{language}"])
    response = HttpResponse(data, content_type="application/pdf")
    return attachment(response, f"{kind}-{case.number}-{language}.pdf")


def _fiscal_year(request: AuthedRequest) -> annual.FiscalYear:
    """?year= (the year a fiscal year starts in: BS in Nepal, AD in India), else the current one."""
    current = annual.fiscal_year_of(timezone.localdate())
    text = request.GET.get("year", "")
    if not text:
        return current
    if not text.isdigit() or not current.year - 30 <= int(text) <= current.year:
        raise Http404
    return annual.fiscal_year(int(text))


@require_GET
def annual_summary(request: AuthedRequest) -> HttpResponse:
    """The fiscal year's figures on a page, with the PDF in English and the node's language."""
    policy.require(request.user, Permission.REPORT_VIEW, object_type="reports.annual_summary")
    year = _fiscal_year(request)
    audit_record(actor=request.user, action="report.annual_summary_view", object_type="reports.annual_summary",
                 object_id=year.label)  # fmt: skip
    context = {"year": year, "years": annual.recent_fiscal_years(), "scope": annual.scope_text(request.user),
               "sections": annual.annual_figures(request.user, year), "doc_languages": _language_choices()}  # fmt: skip
    return render(request, "reports/exports_annual.html", context)


@require_GET
def annual_summary_pdf(request: AuthedRequest) -> HttpResponseBase:
    policy.require(request.user, Permission.REPORT_VIEW, object_type="reports.annual_summary")
    year = _fiscal_year(request)
    language = _language(request)
    data = annual.annual_summary_pdf(request.user, year, language=language)
    audit_record(actor=request.user, action="report.annual_summary", object_type="reports.annual_summary",
                 object_id=year.label, fields=[f"lang:{language}"])  # fmt: skip
    label = year.label.replace("/", "-").replace("–", "-")
    return attachment(HttpResponse(data, content_type="application/pdf"),
                       f"annual-summary-{settings.SETU_NODE}-{label}-{language}.pdf")  # fmt: skip
