"""The import's services: upload, mapping, the dry run (which writes nothing) and the import (chunks that
commit with their record, a refused chunk rolled back whole, resumable)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError
from django.utils import timezone

from setu.accounts.policy import NotFoundOrForbidden
from setu.audit.models import AuditEvent
from setu.audit.services import audit_verify
from setu.imports import running, services
from setu.imports.models import ImportRun, ImportSource, Kind, RunStatus
from setu.imports.tests.factories import REPORT_HEADER, REPORT_MAPPING, csv_bytes, report_row
from setu.people.models import Person
from setu.tracing.models import MissingReport

pytestmark = pytest.mark.django_db
PER_ROW_QUERIES = 38  # a missing-person report row, measured: the services' own queries, 4 audit inserts (was 52)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services leave for after the commit (the tasks, on the immediate backend)."""
    return django_capture_on_commit_callbacks


def _source(actor, kind=Kind.MISSING_REPORTS):
    return services.source_save(actor=actor, name="Helpline register", kind=kind)


def _run(actor, rows, *, header=REPORT_HEADER, mapping=REPORT_MAPPING, filename="register.csv", **kw):
    run = services.run_upload(
        actor=actor, source=_source(actor), filename=filename, content=csv_bytes(header, rows, **kw)
    )
    return services.run_map(actor=actor, run=run, mapping=mapping)


def test_clean_sheet_checks_without_writing_then_imports(np_shelter, commit):
    run = _run(np_shelter, [report_row(), report_row("Gita Rai", ne="गीता राई", seen="2024-05-02")])
    audit_before = AuditEvent.objects.count()
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.CHECKED
    assert run.report == []
    assert MissingReport.objects.count() == 0 and Person.objects.count() == 0
    assert set(AuditEvent.objects.order_by("seq").values_list("action", flat=True)[audit_before:]) <= {
        "import.check",
        "import.checked",
    }
    assert any("BS" in note["problem"] for note in run.notes)  # the BS date is said how it was read
    with commit(execute=True):
        services.run_import(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert [c["row"] for c in run.created] == [2, 3]
    assert MissingReport.objects.count() == 2
    report = MissingReport.objects.get(number=run.created[0]["number"])
    assert report.organisation == run.organisation and report.last_seen_on.isoformat() == "2024-06-29"
    assert run.content == b""


def test_messy_rows_are_reported_by_row_and_column_and_nothing_changes(np_shelter, commit):
    rows = [
        report_row(),
        report_row("Rita", age="not known"),  # a problem: not an age ("fifteen yrs" would do)
        report_row("Kamala", sex=""),  # the service refuses: no sex
        report_row("Binita", seen="2024-02-30"),  # impossible date
        report_row("Sunita", district="Morangg"),  # misspelt district
        report_row("Maya", ne=";'lgtf yfkf"),  # Preeti
        report_row(),  # the first row again
    ]
    run = _run(np_shelter, rows)
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    run.refresh_from_db()
    found = {(p["row"], p["column"]) for p in run.report}
    assert (3, "Age") in found
    assert (4, "Sex") in found
    assert (5, "Last seen") in found
    assert (6, "District") in found and "Did you mean Morang" in str(run.report)
    assert (7, "Naam (Nepali)") in found and "Preeti" in str(run.report)
    assert (8, "") in found and "repeats row 2" in str(run.report)
    assert MissingReport.objects.count() == 0 and Person.objects.count() == 0
    with pytest.raises(ValidationError), commit(execute=True):
        services.run_import(actor=np_shelter, run=run)


def test_rows_like_earlier_rows_name_the_most_probable_few(np_shelter, commit):
    """Five rows of one girl (the same name and age, last seen on different days): each later row is a probable
    duplicate of every earlier one, and names only the DUPLICATES_PER_ROW most probable of them."""
    days = ["2024-05-02", "2024-05-03", "2024-05-04", "2024-05-05", "2024-05-06"]
    run = _run(np_shelter, [report_row(seen=day) for day in days])
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.report == []
    named: dict[int, list[int]] = {}
    for duplicate in run.duplicates:
        named.setdefault(duplicate["row"], []).append(duplicate["other_row"])
    assert sorted(named) == [3, 4, 5, 6]
    assert named[3] == [2] and len(named[4]) == 2
    assert len(named[5]) == len(named[6]) == running.DUPLICATES_PER_ROW == 3
    assert all(other < row for row, others in named.items() for other in others)
    assert all(d["probability"] >= running.DUPLICATE_THRESHOLD for d in run.duplicates)


def test_an_unknown_column_must_be_chosen_or_ignored(np_shelter, commit):
    header = [*REPORT_HEADER, "Caste"]
    run = _run(np_shelter, [[*report_row(), "x"]], header=header)
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.report[0]["column"] == "Caste" and "Unknown column" in run.report[0]["problem"]
    run = services.run_map(actor=np_shelter, run=run, mapping={**REPORT_MAPPING, "Caste": "-"})
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.report == []
    assert ImportSource.objects.get().mapping["Caste"] == "-"  # saved for the next sheet of this source


def _five_girls_checked(np_shelter, monkeypatch, commit) -> ImportRun:
    """Five good rows (2 to 6), checked, imported two rows a chunk."""
    monkeypatch.setattr(running, "IMPORT_CHUNK", 2)
    run = _run(np_shelter, [report_row(f"Girl {n}", ne="", seen="2024-05-02") for n in range(5)])
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    return run


def test_a_refused_chunk_is_rolled_back_whole_and_the_run_resumes(np_shelter, monkeypatch, commit):
    monkeypatch.setattr(running.kinds, "BULK", {})  # row by row, as cases are written (the bulk path: below)
    run = _five_girls_checked(np_shelter, monkeypatch, commit)
    real = running.kinds.WRITERS[Kind.MISSING_REPORTS]
    calls = {"n": 0}

    def refuse_fourth(ctx, values):
        calls["n"] += 1
        if calls["n"] == 4:
            raise ValidationError({"reporter_name": ["changed meanwhile"]})
        return real(ctx, values)

    monkeypatch.setitem(running.kinds.WRITERS, Kind.MISSING_REPORTS, refuse_fourth)
    with commit(execute=True):
        services.run_import(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED
    assert "Row 5" in run.stop_reason and "changed meanwhile" in run.stop_reason
    assert [c["row"] for c in run.created] == [2, 3]  # the second chunk (rows 4, 5) is not in at all
    assert MissingReport.objects.count() == 2
    monkeypatch.setitem(running.kinds.WRITERS, Kind.MISSING_REPORTS, real)
    with commit(execute=True):
        services.run_resume(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert [c["row"] for c in run.created] == [2, 3, 4, 5, 6]
    assert MissingReport.objects.count() == 5


def test_a_chunk_the_database_refuses_in_bulk_is_written_row_by_row(np_shelter, monkeypatch, commit):
    run = _five_girls_checked(np_shelter, monkeypatch, commit)
    bulk = running.kinds.BULK[Kind.MISSING_REPORTS]
    calls = {"bulk": 0, "row": 0}

    def refuse_second(ctx, drafts):
        calls["bulk"] += 1
        if calls["bulk"] == 2:
            bulk.write(ctx, drafts)  # written, then refused: the chunk's transaction takes it back
            raise IntegrityError("a rule only the database checks")
        return bulk.write(ctx, drafts)

    real = running.kinds.WRITERS[Kind.MISSING_REPORTS]

    def count(ctx, values):
        calls["row"] += 1
        return real(ctx, values)

    monkeypatch.setitem(running.kinds.BULK, Kind.MISSING_REPORTS, running.kinds.Bulk(bulk.build, refuse_second))
    monkeypatch.setitem(running.kinds.WRITERS, Kind.MISSING_REPORTS, count)
    with commit(execute=True):
        services.run_import(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert calls == {"bulk": 3, "row": 2}  # chunks (2, 3) and (6) in bulk; (4, 5) again row by row
    assert [c["row"] for c in run.created] == [2, 3, 4, 5, 6]
    assert sorted(MissingReport.objects.values_list("number", flat=True)) == [
        f"NP-MPR-{timezone.localdate().year}-{n:06d}" for n in range(1, 6)]  # fmt: skip
    assert AuditEvent.objects.filter(action="tracing.report_create").count() == 5
    assert audit_verify() == []


def test_a_row_refused_in_bulk_stops_the_run_there_with_the_rows_before_it_in(np_shelter, monkeypatch, commit):
    run = _five_girls_checked(np_shelter, monkeypatch, commit)
    bulk = running.kinds.BULK[Kind.MISSING_REPORTS]
    real = running.kinds.WRITERS[Kind.MISSING_REPORTS]

    def refuse_girl_3(write):
        def refusing(ctx, values):
            if values["full_name"] == "Girl 3":
                raise ValidationError({"reporter_name": ["changed meanwhile"]})
            return write(ctx, values)

        return refusing

    monkeypatch.setitem(running.kinds.BULK, Kind.MISSING_REPORTS, running.kinds.Bulk(refuse_girl_3(bulk.build),
                                                                                      bulk.write))  # fmt: skip
    monkeypatch.setitem(running.kinds.WRITERS, Kind.MISSING_REPORTS, refuse_girl_3(real))
    with commit(execute=True):
        services.run_import(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED
    assert "Row 5" in run.stop_reason and "changed meanwhile" in run.stop_reason
    assert [c["row"] for c in run.created] == [2, 3]  # the chunk of rows 4 and 5 is not in at all
    assert MissingReport.objects.count() == 2


def _database_refuses_girl_3(monkeypatch):
    """The database refuses every bulk write, and Girl 3's row when written alone: a value out of its range."""
    bulk = running.kinds.BULK[Kind.MISSING_REPORTS]
    real = running.kinds.WRITERS[Kind.MISSING_REPORTS]

    def refuse_bulk(ctx, drafts):
        raise DataError("value too long for type character varying(200)")

    def refuse_girl_3(ctx, values):
        if values["full_name"] == "Girl 3":
            raise DataError("value too long for type character varying(200)")
        return real(ctx, values)

    monkeypatch.setitem(running.kinds.BULK, Kind.MISSING_REPORTS, running.kinds.Bulk(bulk.build, refuse_bulk))
    monkeypatch.setitem(running.kinds.WRITERS, Kind.MISSING_REPORTS, refuse_girl_3)


def test_a_row_the_database_refuses_is_in_the_dry_run_report(np_shelter, monkeypatch, commit):
    _database_refuses_girl_3(monkeypatch)
    run = _run(np_shelter, [report_row(f"Girl {n}", ne="", seen="2024-05-02") for n in range(5)])
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.CHECKED
    assert [(p["row"], p["problem"]) for p in run.report] == [
        (5, "The database refused this row: a value in it is too long or out of range.")]  # fmt: skip
    assert MissingReport.objects.count() == 0


def test_a_row_the_database_refuses_stops_the_import_there_saying_why(np_shelter, monkeypatch, commit):
    run = _five_girls_checked(np_shelter, monkeypatch, commit)
    _database_refuses_girl_3(monkeypatch)
    with commit(execute=True):
        services.run_import(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED
    assert run.stop_reason == ("Row 5: The database refused this row: a value in it is too long or out of range. "
                               "Rows before it are in; none from it on.")  # fmt: skip
    assert [c["row"] for c in run.created] == [2, 3]  # the chunk of rows 4 and 5 is not in at all
    assert MissingReport.objects.count() == 2
    assert audit_verify() == []


def test_a_caseworker_may_not_import(np_caseworker, np_shelter, commit):
    with pytest.raises(NotFoundOrForbidden):
        _source(np_caseworker)
    run = _run(np_shelter, [report_row()])
    with pytest.raises(NotFoundOrForbidden), commit(execute=True):
        services.run_check(actor=np_caseworker, run=run)
    assert ImportRun.objects.get().status == RunStatus.UPLOADED


def test_an_import_whose_worker_was_lost_can_be_resumed(np_shelter, commit):
    run = _run(np_shelter, [report_row(seen="2024-05-02")])
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    run.refresh_from_db()
    services.run_import(actor=np_shelter, run=run, enqueue=False)  # the worker never picks it up
    with pytest.raises(ValidationError):
        services.run_resume(actor=np_shelter, run=run, enqueue=False)  # still fresh: maybe working
    from setu.imports.models import STALE_AFTER

    ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1))
    run.refresh_from_db()
    assert run.stale
    with commit(execute=True):
        services.run_resume(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and MissingReport.objects.count() == 1


def test_a_lost_dry_run_can_be_started_again(np_shelter, commit):
    run = _run(np_shelter, [report_row(seen="2024-05-02")])
    services.run_check(actor=np_shelter, run=run, enqueue=False)  # the worker never picks it up
    with pytest.raises(ValidationError):
        services.run_check(actor=np_shelter, run=run, enqueue=False)
    from setu.imports.models import STALE_AFTER

    ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1))
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.CHECKED and run.report == []


def test_the_import_defers_matching_to_the_sweep(np_shelter, commit, monkeypatch):
    """No candidate search per row: the persons are left for the matching sweep, enqueued once at the end."""
    from setu.tracing import matching
    from setu.tracing import tasks as tracing_tasks
    from setu.tracing.models import MatchProfile

    proposed, sweeps = [], []
    monkeypatch.setattr(matching, "propose_for_report", lambda report: proposed.append(report.pk))
    monkeypatch.setattr(tracing_tasks, "sweep_matching", SimpleNamespace(enqueue=lambda: sweeps.append(1)))
    run = _run(np_shelter, [report_row(), report_row("Gita Rai", ne="गीता राई", seen="2024-05-02")])
    with commit(execute=True):
        services.run_check(actor=np_shelter, run=run)
    with commit(execute=True):
        services.run_import(actor=np_shelter, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and proposed == [] and sweeps == [1]
    monkeypatch.undo()
    persons = set(MissingReport.objects.values_list("person_id", flat=True))
    assert persons and not MatchProfile.objects.filter(person_id__in=persons).exists()
    matching.sweep()  # what the enqueued task runs: every imported person is indexed and matched
    assert set(MatchProfile.objects.filter(person_id__in=persons).values_list("person_id", flat=True)) == persons


def test_the_queries_of_a_row_do_not_grow_with_the_sheet(np_shelter, commit):
    """Each row costs the same few queries, however many rows came before it (no scan of what is in)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (5, 15):
        rows = [report_row(f"Sita Tamang {i}", ne="सीता तामाङ", age=str(10 + i)) for i in range(size)]
        run = _run(np_shelter, rows, filename=f"register-{size}.csv")
        with commit(execute=True):
            services.run_check(actor=np_shelter, run=run)
        run.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            running.import_(run, np_shelter)
        assert run.status == RunStatus.DONE
        counts.append(len(queries))
    per_row = (counts[1] - counts[0]) / 10
    assert per_row <= PER_ROW_QUERIES, counts
