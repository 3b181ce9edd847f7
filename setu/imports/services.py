"""Writes of imports: save a source and its column mapping, upload a file, choose its columns, check it (the
dry run), import it, resume a stopped import, discard a run. Each is access-checked (IMPORT_RUN, the
organisation's own runs: the same audited 404 for missing and forbidden) and audited.

How an import keeps "nothing half-imported" (docs/imports.md): the dry run writes every row through the apps'
own services and rolls all of it back, so the report lists exactly what the services would refuse. The
import starts only from a dry run of the same file and mapping with no problem, and writes the rows in
chunks; each chunk commits together with the run's record of what is in (ImportedRow, `next_row`). A row is
never half in; if a chunk is refused (the node changed since the dry run) none of that chunk is in, the run
stops with the row and the reason, and `run_resume` continues from there, never writing a row twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.imports import kinds
from setu.imports.models import ImportRun, ImportSource, Kind, RunStatus
from setu.imports.reading import UnreadableFileError, read_table

MAX_UPLOAD = 50 * 1024 * 1024  # bytes; a register of 200,000 rows is well under this
Progress = Callable[[int, int], None]


def _organisation(actor, organisation: Organisation | None) -> Organisation:
    grant = policy.require(actor, Permission.IMPORT_RUN, object_type="imports.source")
    if organisation is None:
        organisation = Organisation.objects.filter(pk__in=sorted(grant.organisation_ids)).order_by("pk").first()
    if organisation is None or not grant.covers(organisation_id=organisation.pk):
        policy.deny(actor, Permission.IMPORT_RUN.value, object_type="accounts.organisation",
                    object_id=str(getattr(organisation, "public_id", "")))  # fmt: skip
    return organisation


def require_run(actor, run: ImportRun) -> None:
    """The one access check of a run: IMPORT_RUN over the run's organisation."""
    if not policy.grants(actor, Permission.IMPORT_RUN).covers(organisation_id=run.organisation_id):
        policy.deny(actor, Permission.IMPORT_RUN.value, object_type="imports.run", object_id=str(run.public_id))


def _clean_mapping(kind: str, mapping: dict[str, str]) -> dict[str, str]:
    keys = {f.key for f in kinds.fields_of(kind)} | {kinds.IGNORE}
    unknown = sorted({value for value in mapping.values() if value and value not in keys})
    if unknown:
        raise ValidationError({"mapping": [_("Unknown field %(field)s.") % {"field": ", ".join(unknown)}]})
    return {str(header)[:200]: value for header, value in mapping.items() if value}


def source_save(*, actor, name: str, kind: str, organisation: Organisation | None = None,
                mapping: dict[str, str] | None = None) -> ImportSource:  # fmt: skip
    """The organisation's source of this name (created the first time), with the mapping given merged in."""
    organisation = _organisation(actor, organisation)
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the source (the register or sheet it comes from).")]
    elif len(name) > 120:
        errors["name"] = [_("At most %(limit)s characters.") % {"limit": 120}]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose what the sheet holds.")]
    if errors:
        raise ValidationError(errors)
    cleaned = _clean_mapping(kind, mapping or {})
    with transaction.atomic():
        source, made = ImportSource.objects.select_for_update().get_or_create(
            organisation=organisation, name=name, defaults={"kind": kind, "created_by": actor, "mapping": cleaned}
        )
        if not made:
            if source.kind != kind:
                raise ValidationError({"kind": [_("This source holds %(kind)s; name a new source for another kind.")
                                                % {"kind": source.get_kind_display()}]})  # fmt: skip
            if cleaned:
                source.mapping = {**source.mapping, **cleaned}
                source.save(update_fields=["mapping", "updated_at"])
        audit_record(actor=actor, action="import.source_save", obj=source, organisation=organisation,
                     fields=["name", "kind", *(["mapping"] if cleaned else [])])  # fmt: skip
    return source


def run_upload(*, actor, source: ImportSource, filename: str, content: bytes) -> ImportRun:
    """Keep the file for its dry run: read it at once (a broken file, a wrong encoding or a missing header is
    refused here with the reason), and offer a mapping from the source's saved one."""
    require_run(actor, ImportRun(organisation_id=source.organisation_id))
    if len(content) > MAX_UPLOAD:
        raise ValidationError({"file": [_("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD // 2**20}]})
    try:
        table = read_table(content, filename)
    except UnreadableFileError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    rows = sum(1 for row in table.rows if row)
    if not rows:
        raise ValidationError({"file": [_("The sheet has a header but no rows.")]})
    with transaction.atomic():
        run = ImportRun.objects.create(
            source=source, organisation_id=source.organisation_id, filename=filename[:255],
            sha256=hashlib.sha256(content).hexdigest(), size=len(content), content=content, file_kind=table.kind,
            encoding=table.encoding, header=table.header, total_rows=len(table.rows), created_by=actor,
            mapping=kinds.suggest_mapping(source.kind, table.header, source.mapping),
        )  # fmt: skip
        audit_record(actor=actor, action="import.upload", obj=run, organisation=run.organisation,
                     fields=["filename", "sha256", "total_rows"])  # fmt: skip
    return run


def _locked(run: ImportRun) -> ImportRun:
    """The run as it is now, locked until the transaction ends (two clicks never start two tasks)."""
    fresh = ImportRun.objects.select_for_update().select_related("source", "organisation").get(pk=run.pk)
    run.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    return run


def _editable(run: ImportRun) -> None:
    lost_check = run.status == RunStatus.CHECKING and run.stale  # its worker is gone: check again
    if run.status not in (RunStatus.UPLOADED, RunStatus.CHECKED) and not lost_check:
        raise ValidationError(_("This run can no longer be changed (it is %(status)s).")
                              % {"status": run.get_status_display()})  # fmt: skip


def run_map(*, actor, run: ImportRun, mapping: dict[str, str]) -> ImportRun:
    """Choose the columns (header → field, or "-" not imported). Saved on the run and on its source, so the
    next sheet from the same source comes mapped. A changed mapping needs a new dry run."""
    require_run(actor, run)
    cleaned = _clean_mapping(run.source.kind, mapping)
    with transaction.atomic():
        _editable(_locked(run))
        run.mapping = cleaned
        run.status, run.report, run.duplicates, run.problem_count = RunStatus.UPLOADED, [], [], 0
        run.save(update_fields=["mapping", "status", "report", "duplicates", "problem_count", "updated_at"])
        source = ImportSource.objects.select_for_update().get(pk=run.source_id)
        source.mapping = {**source.mapping, **cleaned}
        source.save(update_fields=["mapping", "updated_at"])
        audit_record(actor=actor, action="import.map", obj=run, organisation=run.organisation, fields=["mapping"])
    return run


def run_check(*, actor, run: ImportRun, enqueue: bool = True) -> ImportRun:
    """Start the dry run (a task: the worker runs it and records its progress on the run). The command line
    passes `enqueue=False` and runs it in its own process (setu.imports.running.check)."""
    from setu.imports import tasks

    require_run(actor, run)
    with transaction.atomic():
        _editable(_locked(run))
        run.status, run.done_rows, run.stop_reason = RunStatus.CHECKING, 0, ""
        run.save(update_fields=["status", "done_rows", "stop_reason", "updated_at"])
        audit_record(actor=actor, action="import.check", obj=run, organisation=run.organisation, fields=["status"])
        if enqueue:
            transaction.on_commit(lambda: tasks.check_run.enqueue(run.pk, actor.pk))
    return run


def run_import(*, actor, run: ImportRun, skip_duplicates: bool = False, enqueue: bool = True) -> ImportRun:
    """Start the import of a checked run with no problem (a task). With `skip_duplicates`, the rows the dry
    run found to be probably someone already on the node, or an earlier row, are left out and listed."""
    from setu.imports import tasks

    require_run(actor, run)
    with transaction.atomic():
        _locked(run)
        if run.status != RunStatus.CHECKED:
            raise ValidationError(_("Run the dry run first; only a checked file is imported."))
        if run.problem_count:
            raise ValidationError(_("The dry run found %(count)s problems; fix the sheet and upload it again.")
                                  % {"count": run.problem_count})  # fmt: skip
        run.status, run.skip_duplicates, run.done_rows, run.next_row = RunStatus.IMPORTING, skip_duplicates, 0, 0
        run.save(update_fields=["status", "skip_duplicates", "done_rows", "next_row", "updated_at"])
        audit_record(actor=actor, action="import.start", obj=run, organisation=run.organisation,
                     fields=["status", "skip_duplicates"])  # fmt: skip
        if enqueue:
            transaction.on_commit(lambda: tasks.import_run.enqueue(run.pk, actor.pk))
    return run


def run_resume(*, actor, run: ImportRun, enqueue: bool = True) -> ImportRun:
    """Continue a stopped import from the first row not in (the rows already in are never written again); or one
    whose worker was lost (no chunk committed for STALE_AFTER: the chunk it was on never committed)."""
    from setu.imports import tasks

    require_run(actor, run)
    with transaction.atomic():
        if _locked(run).status != RunStatus.STOPPED and not (run.status == RunStatus.IMPORTING and run.stale):
            raise ValidationError(_("Only a stopped import can be resumed."))
        run.status, run.stop_reason = RunStatus.IMPORTING, ""
        run.save(update_fields=["status", "stop_reason", "updated_at"])
        audit_record(actor=actor, action="import.resume", obj=run, organisation=run.organisation, fields=["status"])
        if enqueue:
            transaction.on_commit(lambda: tasks.import_run.enqueue(run.pk, actor.pk))
    return run


def run_discard(*, actor, run: ImportRun) -> ImportRun:
    """Drop a run that is not imported (its file is emptied). Rows already in stay, on record as ImportedRow."""
    require_run(actor, run)
    with transaction.atomic():
        if (_locked(run).busy and not run.stale) or run.status in (RunStatus.DONE, RunStatus.DISCARDED):
            raise ValidationError(_("This run can no longer be discarded."))
        run.status, run.content, run.finished_at = RunStatus.DISCARDED, b"", timezone.now()
        run.save(update_fields=["status", "content", "finished_at", "updated_at"])
        audit_record(actor=actor, action="import.discard", obj=run, organisation=run.organisation, fields=["status"])
    return run


def problems_of(exc: ValidationError, kind: str, number: int, mapping: dict[str, str]) -> list[dict[str, Any]]:
    """A service's ValidationError as report rows: each field it names, back to the sheet's column."""
    column_of = {key: header for header, key in mapping.items() if key != kinds.IGNORE}
    rows = []
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            field = kinds.SERVICE_FIELDS.get(name, name)
            for message in messages:
                rows.append({"row": number, "column": column_of.get(field, ""), "problem": message})
    else:
        rows.extend({"row": number, "column": "", "problem": message} for message in exc.messages)
    return rows
