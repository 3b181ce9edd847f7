"""The import pages: upload → columns (pre-filled from the source's saved mapping) → dry-run report (row,
column, problem; probable duplicates) → confirm → progress → result. Views only translate HTTP: parse, call
one service or selector, render. Who may: IMPORT_RUN, for her organisation's runs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.http import AuthedRequest, attachment, is_partial
from setu.core.spreadsheet import csv_text
from setu.imports import kinds, selectors, services
from setu.imports.forms import ConfirmForm, MappingForm, UploadForm
from setu.imports.models import RunStatus

PAGE_SIZE = 20
REPORT_SHOWN = 500  # problems listed on the page; the CSV has them all
DUPLICATES_SHOWN = 200  # probable duplicates of each kind listed on the page; the CSV has them all


def _refused(request: AuthedRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_http_methods(["GET", "POST"])
def index(request: AuthedRequest):
    policy.require(request.user, Permission.IMPORT_RUN, object_type="imports.run")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.source_save(actor=request.user, name=form.cleaned_data["source"],
                                          kind=form.cleaned_data["kind"])  # fmt: skip
            upload = form.cleaned_data["file"]
            run = services.run_upload(actor=request.user, source=source, filename=upload.name, content=upload.read())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("imports:run", public_id=run.public_id)
    page = Paginator(selectors.run_list_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    sources = selectors.source_list_for(request.user)
    return render(request, "imports/index.html", {"form": form, "page": page, "sources": sources},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def _mapping_form(run, data=None) -> MappingForm:
    return MappingForm(data, kind=run.source.kind, header=run.header, initial_mapping=run.mapping)


def _context(run, **extra) -> dict:
    fields = {f.key: f for f in kinds.fields_of(run.source.kind)}
    return {
        "run": run, "fields": fields.values(), "report": run.report[:REPORT_SHOWN],
        "report_more": max(0, len(run.report) - REPORT_SHOWN), "RunStatus": RunStatus,
        **_duplicates(run),
        "ignored": [h for h, k in run.mapping.items() if k == kinds.IGNORE],
        **extra,
    }  # fmt: skip


def _duplicates(run) -> dict[str, object]:
    in_file = [d for d in run.duplicates if "other_row" in d]
    on_node = [d for d in run.duplicates if "person" in d]
    return {
        "file_duplicates": in_file[:DUPLICATES_SHOWN], "file_more": max(0, len(in_file) - DUPLICATES_SHOWN),
        "node_duplicates": on_node[:DUPLICATES_SHOWN], "node_more": max(0, len(on_node) - DUPLICATES_SHOWN),
    }  # fmt: skip


@require_GET
def run_detail(request: AuthedRequest, public_id):
    run = selectors.run_get_for(request.user, public_id)
    extra: dict[str, object] = {}
    if run.status == RunStatus.UPLOADED or (run.status == RunStatus.CHECKING and run.stale):
        extra["mapping_form"] = _mapping_form(run)  # a lost dry run is started again from the columns
    if run.status == RunStatus.CHECKED and not run.problem_count:
        extra["confirm_form"] = ConfirmForm()
    return render(request, "imports/run.html", _context(run, **extra))


@require_GET
def run_progress(request: AuthedRequest, public_id):
    """The progress bar the page polls (htmx); once the run is no longer busy, the page reloads itself."""
    run = selectors.run_get_for(request.user, public_id)
    if not is_partial(request):
        return redirect("imports:run", public_id=run.public_id)
    response = render(request, "imports/_progress.html", {"run": run})
    if not run.busy:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def run_mapping(request: AuthedRequest, public_id):
    run = selectors.run_get_for(request.user, public_id)
    form = _mapping_form(run, request.POST)
    if form.is_valid():
        try:
            services.run_map(actor=request.user, run=run, mapping=form.mapping())
            services.run_check(actor=request.user, run=run)
        except ValidationError as exc:
            _refused(request, exc)
        return redirect("imports:run", public_id=run.public_id)
    return render(request, "imports/run.html", _context(run, mapping_form=form), status=400)


@require_POST
def run_confirm(request: AuthedRequest, public_id):
    run = selectors.run_get_for(request.user, public_id)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.run_import(actor=request.user, run=run,
                            skip_duplicates=bool(form.cleaned_data.get("skip_duplicates")))  # fmt: skip
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("imports:run", public_id=run.public_id)


@require_POST
def run_resume(request: AuthedRequest, public_id):
    run = selectors.run_get_for(request.user, public_id)
    try:
        services.run_resume(actor=request.user, run=run)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("imports:run", public_id=run.public_id)


@require_POST
def run_discard(request: AuthedRequest, public_id):
    run = selectors.run_get_for(request.user, public_id)
    try:
        services.run_discard(actor=request.user, run=run)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The run was discarded; its file is deleted."))
    return redirect("imports:run", public_id=run.public_id)


@require_GET
def run_report_csv(request: AuthedRequest, public_id):
    """The whole dry-run report as CSV (row, column, problem), to fix the sheet by."""
    run = selectors.run_get_for(request.user, public_id)
    audit_record(actor=request.user, action="export.import_report", obj=run, organisation=run.organisation,
                 fields=["row", "column", "problem"])  # fmt: skip
    rows = [(p["row"] or "", p["column"], p["problem"]) for p in run.report]
    response = HttpResponse(
        csv_text((_("Row"), _("Column"), _("Problem")), rows), content_type="text/csv; charset=utf-8"
    )
    return attachment(response, f"import-report-{run.public_id}.csv")


@require_GET
def run_duplicates_csv(request: AuthedRequest, public_id):
    """Every probable duplicate the dry run named, as CSV (the page lists the first DUPLICATES_SHOWN of each
    kind): the row, the earlier row or the person on record it is probably, the chance, and why."""
    run = selectors.run_get_for(request.user, public_id)
    # An export, and one that names people on record: audited, as every export is.
    audit_record(actor=request.user, action="export.import_duplicates", obj=run, organisation=run.organisation,
                 fields=["row", "other_row", "person", "name", "probability", "why"])  # fmt: skip
    rows = [(d["row"], d.get("other_row", ""), d.get("person", ""), d.get("name", ""), d["probability"],
             d.get("why", "")) for d in run.duplicates]  # fmt: skip
    header = (_("Row"), _("Probably the same as row"), _("Probably the person (reference)"), _("Name"),
              _("Probability"), _("Why"))  # fmt: skip
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    return attachment(response, f"import-duplicates-{run.public_id}.csv")
