"""The dry run and the import themselves, as the worker runs them (setu.imports.tasks) or the command line
(`setu import`). Each records its progress on the run row as it goes, so the page and the terminal show it.

The dry run writes every row through the apps' services inside transactions it rolls back: the report says
exactly what those services refuse, and nothing is left behind (no record, no number taken, no audit event,
no matching). Then it looks for duplicates with the matcher (setu.tracing): rows that are probably the same
person as an earlier row (the batch engine `setu dedupe` uses), and rows that are probably a person already
on the node (the candidates a new record gets).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_batch, audit_record
from setu.imports import cells, kinds
from setu.imports.models import ImportedRow, ImportRun, RunStatus
from setu.imports.reading import UnreadableFileError, read_table
from setu.imports.services import problems_of

log = logging.getLogger(__name__)

CHECK_CHUNK = 500  # rows written and rolled back per transaction in the dry run (a second or two of lock)
IMPORT_CHUNK = 500  # rows committed together (with the run's record of them) in the import
DUPLICATE_THRESHOLD = 0.5  # the chance at which `setu link` and `setu dedupe` call a pair the same person
DUPLICATES_PER_ROW = 3  # the most probable earlier rows, and persons on the node, named for each row
# What the database itself may refuse in a row the services accepted: a unique or foreign key, a value too long
# or out of range (on PostgreSQL; SQLite checks neither length nor range).
REFUSED_BY_DATABASE = (IntegrityError, DataError)
Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    return None


class _RollbackError(Exception):
    pass


def _context(run: ImportRun, actor) -> kinds.Context:
    return kinds.Context(kind=run.source.kind, actor=actor, organisation=run.organisation, places=kinds.Places())


def _permission_problems(run: ImportRun, actor) -> list[dict[str, Any]]:
    # grants() rather than require(): asking is not a refused access, so it is not audited as one.
    missing = [p for p in kinds.NEEDS[run.source.kind] if not policy.grants(actor, p).covers(
        organisation_id=run.organisation_id)]  # fmt: skip
    if not missing:
        return []
    return [{"row": 0, "column": "", "problem": _("You may not record these for %(organisation)s (%(permissions)s), "
                                                  "so nothing of this sheet can be imported by you.")
             % {"organisation": run.organisation, "permissions": ", ".join(p.value for p in missing)}}]  # fmt: skip


def _row_key(row: list) -> tuple[str, ...]:
    return tuple(cells.text(cell).casefold() for cell in row)


def check(run: ImportRun, actor, *, progress: Progress = _no_progress,
          stage: Callable[[str], None] = lambda name: None) -> ImportRun:  # fmt: skip
    """The dry run: every problem (row, column, problem), notes (how BS dates were read, the encoding), and
    the probable duplicates. Sets the run CHECKED; writes nothing else. `stage` is told when the rows are
    done and the search for duplicates begins (a minute or more for tens of thousands of rows)."""
    try:
        table = read_table(bytes(run.content), run.filename)
    except UnreadableFileError as exc:
        return _checked(run, actor, [{"row": 0, "column": "", "problem": str(exc)}], [], [])
    report = kinds.mapping_problems(run.source.kind, table.header, run.mapping)
    report += _permission_problems(run, actor)
    notes: list[dict[str, Any]] = [{"row": 0, "column": "", "problem": n} for n in table.notes]
    if table.encoding:
        notes.insert(0, {"row": 0, "column": "", "problem": _("Read as %(encoding)s.") % {"encoding": table.encoding}})
    if report:  # the columns or the rights are wrong: reading rows would only repeat it
        return _checked(run, actor, report, notes, [])
    ctx = _context(run, actor)
    seen: dict[tuple[str, ...], int] = {}
    records: list[dict[str, str]] = []
    total = len(table.rows)
    for start in range(0, total, CHECK_CHUNK):
        try:
            # audit_batch: the chain's head is read and locked once per chunk, not once per event (all rolled back)
            with transaction.atomic(), audit_batch():
                for number, values, problems in _check_chunk(ctx, run, table, start, seen, notes):
                    if problems:
                        report += problems
                    else:
                        records.append(kinds.person_record(number, values, ctx.today))
                raise _RollbackError
        except _RollbackError:
            pass
        run.done_rows = min(start + CHECK_CHUNK, total)
        run.save(update_fields=["done_rows", "updated_at"])
        progress(run.done_rows, total)
    stage("looking for probable duplicates")  # for the command line, which speaks English
    duplicates = _file_duplicates(records) + _node_duplicates(records, actor)
    return _checked(run, actor, report, notes, duplicates)


def _check_chunk(ctx: kinds.Context, run: ImportRun, table, start: int, seen: dict[tuple[str, ...], int],
                 notes: list) -> list[tuple[int, dict[str, Any], list]]:  # fmt: skip
    """(row number, values, problems) for the chunk's rows from `start`, each written as the import would write
    it. A kind with a bulk writer (kinds.BULK) has its rows checked one by one, then written together; if the
    database refuses that write (a rule only it checks), the rows are written one by one to find which."""
    bulk = kinds.BULK.get(ctx.kind)
    checked: list[tuple[int, dict[str, Any], list]] = []
    drafts: list[tuple[int, Any]] = []
    for index in range(start, min(start + CHECK_CHUNK, len(table.rows))):
        row, number = table.rows[index], index + 2
        if not row:
            continue
        read = kinds.read_row(ctx, number, table.header, run.mapping, row)
        notes += read.notes
        key = _row_key(row)
        if key in seen:
            read.problems.append({"row": number, "column": "", "problem": _(
                "This row repeats row %(row)s exactly.") % {"row": seen[key]}})  # fmt: skip
        else:
            seen[key] = number
        if not read.problems and bulk is not None:
            try:
                drafts.append((len(checked), bulk.build(ctx, read.values)))
            except ValidationError as exc:
                read.problems = problems_of(exc, ctx.kind, number, run.mapping)
            except policy.NotFoundOrForbidden:
                read.problems = [_forbidden(number)]
        elif not read.problems:
            read.problems = _try_write(ctx, kinds.WRITERS[ctx.kind], read.values, number, run.mapping)
        checked.append((number, read.values, read.problems))
    if bulk is not None and drafts:
        try:
            with transaction.atomic():
                bulk.write(ctx, [draft for _position, draft in drafts])
        except REFUSED_BY_DATABASE:
            for position, _draft in drafts:
                number, values, _none = checked[position]
                checked[position] = (number, values, _try_write(ctx, kinds.WRITERS[ctx.kind], values, number,
                                                                run.mapping))  # fmt: skip
    return checked


def _forbidden(number: int) -> dict[str, Any]:
    return {"row": number, "column": "", "problem": _("You may not record this row (a place or record outside "
                                                     "your organisation).")}  # fmt: skip


def _refusal(exc: Exception) -> str:
    if isinstance(exc, DataError):
        return _("The database refused this row: a value in it is too long or out of range.")
    return _("The database refused this row: it would repeat a record already on the node, or name one that is "
             "not.")  # fmt: skip


def _try_write(ctx: kinds.Context, write, values: dict[str, Any], number: int, mapping: dict[str, str]) -> list:
    try:
        with transaction.atomic():
            write(ctx, values)
    except ValidationError as exc:
        return problems_of(exc, ctx.kind, number, mapping)
    except policy.NotFoundOrForbidden:
        return [_forbidden(number)]
    except REFUSED_BY_DATABASE as exc:
        return [{"row": number, "column": "", "problem": _refusal(exc)}]
    return []


def _file_duplicates(records: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Rows probably of the same person as an earlier row: the file deduplicated by the batch engine of
    `setu dedupe`, with the node's model (setu.tracing.matching.current_model). Each row names its
    DUPLICATES_PER_ROW most probable earlier rows: a register where many girls share a name and an age gives
    a row dozens of pairs above the threshold, and the importer decides on the row, not on each pair."""
    if len(records) < 2:
        return []
    from setu.tracing.linkage.engine import DuckDBEngine
    from setu.tracing.matching import current_model

    engine = DuckDBEngine(threads=2)
    try:
        engine.load("rows", records, today=timezone.localdate())
        result = engine.run("rows", "rows", current_model().model, dedupe=True, train=False,
                            threshold=DUPLICATE_THRESHOLD, per_record=DUPLICATES_PER_ROW)  # fmt: skip
    finally:
        engine.close()
    found = []
    for left, right, chance, explanation in result.pairs:
        first, second = sorted((int(left), int(right)))
        found.append({"row": second, "other_row": first, "probability": round(chance, 3), "why": explanation})
    return sorted(found, key=lambda d: (d["row"], d["other_row"]))


def _node_duplicates(records: list[dict[str, str]], actor) -> list[dict[str, Any]]:
    """Rows probably of a person already on the node: the candidates the matcher finds for a new record
    (blocking keys, then the model's scoring), asked for a few hundred rows at a time. Only persons the
    importer may see are named."""
    from setu.people.models import Person
    from setu.tracing.linkage.features import read_record
    from setu.tracing.matching import ANYONE, KEYS_ASKED, candidates_many

    grant = policy.grants(actor, Permission.PERSON_VIEW)
    found = []
    today = timezone.localdate()
    for start in range(0, len(records), KEYS_ASKED):
        chunk = records[start : start + KEYS_ASKED]
        features = [read_record(record, today=today) for record in chunk]
        scored = candidates_many(features, among=ANYONE, threshold=DUPLICATE_THRESHOLD, limit=DUPLICATES_PER_ROW)
        persons = Person.objects.in_bulk({s.person_id for row in scored for s in row})
        for record, row in zip(chunk, scored, strict=True):
            for candidate in row:
                person = persons.get(candidate.person_id)
                if person is None or not grant.covers(organisation_id=person.organisation_id,
                                                      district_id=person.location_district_id):  # fmt: skip
                    continue
                found.append({"row": int(record["record_id"]), "person": str(person.public_id),
                              "name": person.full_name, "probability": round(candidate.probability, 3)})  # fmt: skip
    return found


def _checked(run: ImportRun, actor, report: list, notes: list, duplicates: list) -> ImportRun:
    report.sort(key=lambda p: (p["row"], p["column"]))
    with transaction.atomic():
        run.report, run.notes, run.duplicates, run.problem_count = report, notes, duplicates, len(report)
        run.status, run.checked_at, run.done_rows = RunStatus.CHECKED, timezone.now(), run.total_rows
        run.save(update_fields=["report", "notes", "duplicates", "problem_count", "status", "checked_at",
                                "done_rows", "updated_at"])  # fmt: skip
        audit_record(actor=actor, action="import.checked", obj=run, organisation=run.organisation,
                     fields=["problem_count", "duplicates"])  # fmt: skip
    return run


def duplicate_rows(run: ImportRun) -> set[int]:
    return {d["row"] for d in run.duplicates}


def import_(run: ImportRun, actor, *, progress: Progress = _no_progress) -> ImportRun:
    """Write the rows from `run.next_row` on, in chunks that each commit with the run's record of them.

    The matcher proposes no candidates row by row here (a candidate search per saved person cost a quarter of
    the import's time): its proposals are deferred (setu.tracing.matching.deferred) and the persons written
    are left unindexed, which is what the matching sweep looks for; one sweep is enqueued when the run ends,
    and the scheduled sweep continues until every person is matched."""
    from setu.tracing import matching

    with matching.deferred():
        run = _import_rows(run, actor, progress=progress)
    if run.status == RunStatus.DONE or run.created_count:
        from setu.tracing import tasks as tracing_tasks

        transaction.on_commit(lambda: tracing_tasks.sweep_matching.enqueue())
    return run


def _import_rows(run: ImportRun, actor, *, progress: Progress) -> ImportRun:
    table = read_table(bytes(run.content), run.filename)
    ctx = _context(run, actor)
    skip = duplicate_rows(run) if run.skip_duplicates else set()
    total = len(table.rows)
    while run.next_row < total:
        start, end = run.next_row, min(run.next_row + IMPORT_CHUNK, total)
        if ctx.kind in kinds.BULK and _import_chunk_bulk(ctx, run, table, start, end, skip):
            progress(run.done_rows, total)
            continue
        number = start + 2
        try:
            # One transaction per chunk, its events appended with the chain's head locked once (audit_batch): a
            # row refused raises out of it, so the chunk is rolled back whole, its events with it.
            with transaction.atomic(), audit_batch():
                created: list[ImportedRow] = []
                skipped: list[int] = []
                for number, read in _chunk_rows(ctx, run, table, range(start, end), skip, skipped):
                    if read.problems:
                        raise ValidationError(read.problems[0]["problem"])
                    written = kinds.WRITERS[ctx.kind](ctx, read.values)
                    created.append(ImportedRow(run=run, row=number, number=written["number"],
                                               person=written["person"] or None))  # fmt: skip
                _chunk_done(run, created, skipped, end)
        except (ValidationError, policy.NotFoundOrForbidden) as exc:
            run.refresh_from_db()
            messages = problems_of(exc, ctx.kind, number, run.mapping) if isinstance(exc, ValidationError) else [
                {"problem": _("You may not record this row.")}]  # fmt: skip
            return _stopped(run, actor, number, "; ".join(m["problem"] for m in messages))
        except REFUSED_BY_DATABASE as exc:
            run.refresh_from_db()
            return _stopped(run, actor, number, _refusal(exc))
        progress(run.done_rows, total)
    with transaction.atomic():
        run.status, run.finished_at, run.content = RunStatus.DONE, timezone.now(), b""
        run.save(update_fields=["status", "finished_at", "content", "updated_at"])
        audit_record(actor=actor, action="import.done", obj=run, organisation=run.organisation,
                     fields=["imported", "skipped"])  # fmt: skip
    return run


def _import_chunk_bulk(ctx: kinds.Context, run: ImportRun, table, start: int, end: int, skip: set[int]) -> bool:
    """Write the chunk's rows in one bulk write (kinds.BULK) and commit it with the run's record of them. False,
    with nothing written, when a row is refused or the database refuses the write: the caller then writes the
    chunk row by row, which commits it or stops at the row refused, saying why."""
    bulk = kinds.BULK[ctx.kind]
    drafts: list[Any] = []
    numbers: list[int] = []
    skipped: list[int] = []
    try:
        for number, read in _chunk_rows(ctx, run, table, range(start, end), skip, skipped):
            if read.problems:
                return False
            drafts.append(bulk.build(ctx, read.values))
            numbers.append(number)
        with transaction.atomic(), audit_batch():
            written = bulk.write(ctx, drafts)
            created = [ImportedRow(run=run, row=number, number=w["number"], person=w["person"] or None)
                       for number, w in zip(numbers, written, strict=True)]  # fmt: skip
            _chunk_done(run, created, skipped, end)
    except (ValidationError, policy.NotFoundOrForbidden, *REFUSED_BY_DATABASE):
        run.refresh_from_db()
        return False
    return True


def _chunk_rows(ctx: kinds.Context, run: ImportRun, table, indexes: range, skip: set[int],
                skipped: list[int]) -> Iterator[tuple[int, kinds.ReadRow]]:  # fmt: skip
    """The chunk's rows to write, as (row number, row read): empty rows passed over, and the probable duplicates
    the importer chose to leave out added to `skipped` instead."""
    for index in indexes:
        row, number = table.rows[index], index + 2
        if not row:
            continue
        if number in skip:
            skipped.append(number)
            continue
        yield number, kinds.read_row(ctx, number, table.header, run.mapping, row)


def _chunk_done(run: ImportRun, created: list[ImportedRow], skipped: list[int], end: int) -> None:
    ImportedRow.objects.bulk_create(created)
    run.skipped = run.skipped + skipped
    run.next_row = run.done_rows = end
    run.save(update_fields=["skipped", "next_row", "done_rows", "updated_at"])


def _stopped(run: ImportRun, actor, number: int, reason: str) -> ImportRun:
    with transaction.atomic():
        run.status = RunStatus.STOPPED
        run.stop_reason = _("Row %(row)s: %(reason)s Rows before it are in; none from it on.") % {
            "row": number, "reason": reason}  # fmt: skip
        run.save(update_fields=["status", "stop_reason", "updated_at"])
        audit_record(actor=actor, action="import.stopped", obj=run, organisation=run.organisation,
                     fields=["next_row", "stop_reason"])  # fmt: skip
    return run
