"""Interceptions and cases come in through their own services too: the interception's station and date, a
case's survivor and district; the importer needs the kind's own right (a shelter manager who does not keep
a border desk may not import interceptions); probable duplicates of people already on record are named."""

from __future__ import annotations

import pytest

from setu.cases.models import Case
from setu.imports import running, services
from setu.imports.models import Kind, RunStatus
from setu.imports.tests.factories import csv_bytes
from setu.interceptions.models import Interception
from setu.people.models import Person

pytestmark = pytest.mark.django_db


INTERCEPTION_HEADER = ["Date", "Border point", "Name", "Name (Nepali)", "Sex", "Age", "Home district"]


def _run(actor, kind, header, rows):
    source = services.source_save(actor=actor, name=f"Sheet {kind}", kind=kind)
    run = services.run_upload(actor=actor, source=source, filename="s.csv", content=csv_bytes(header, rows))
    services.run_check(actor=actor, run=run, enqueue=False)
    return running.check(run, actor)


def _import(actor, run, **kwargs):
    services.run_import(actor=actor, run=run, enqueue=False, **kwargs)
    return running.import_(run, actor)


def test_interceptions_are_recorded_at_their_station(np_shelter_monitor, rani):
    rows = [["2081-09-01", "Rani", "Sita Thapa", "सीता थापा", "F", "16", "Morang"],
            ["2024-12-20", "rani", "Gita Rai", "", "female", "about 15", "मोरङ"]]  # fmt: skip
    run = _run(np_shelter_monitor, Kind.INTERCEPTIONS, INTERCEPTION_HEADER, rows)
    assert run.report == [], run.report
    run = _import(np_shelter_monitor, run)
    assert run.status == RunStatus.DONE
    first = Interception.objects.get(number=run.created[0]["number"])
    assert first.station == rani and first.persons.get().age_years == 16
    assert "सीता थापा" in first.notes  # the Devanagari name is kept, not dropped
    assert Interception.objects.count() == 2


def test_a_station_elsewhere_or_in_the_future_is_refused_by_the_service(np_shelter_monitor, rani, birgunj):
    rows = [["2099-01-01 AD", "Rani", "Sita Thapa", "", "F", "16", "Morang"]]
    run = _run(np_shelter_monitor, Kind.INTERCEPTIONS, INTERCEPTION_HEADER, rows)
    assert run.report == [{"row": 2, "column": "Date", "problem": "The interception cannot be in the future."}]
    assert Interception.objects.count() == 0


def test_without_the_kinds_own_right_nothing_is_read(np_shelter, rani):
    run = _run(np_shelter, Kind.INTERCEPTIONS, INTERCEPTION_HEADER, [["2024-12-20", "Rani", "S", "", "F", "1", ""]])
    assert run.problem_count == 1 and "interception.record" in run.report[0]["problem"]


def test_cases_open_for_a_new_survivor(np_shelter, morang, sop):
    header = ["Identified on", "District of the case", "Name", "Sex", "Age", "Summary"]
    run = _run(np_shelter, Kind.CASES, header, [["2081-05-10", "Morang", "Kamala Magar", "F", "17", "Rescued"]])
    assert run.report == [], run.report
    run = _import(np_shelter, run)
    case = Case.objects.get(number=run.created[0]["number"])
    assert case.survivor.full_name == "Kamala Magar" and case.district == morang and case.summary == "Rescued"


def test_a_survivor_the_database_refuses_is_checked_again_and_the_rule_named(np_shelter, morang, sop, monkeypatch):
    """A survivor is checked in memory; a rule only the database holds (here: Person.clean() not run) refuses her
    record, and the row is checked again with the database's rules, which name the problem."""
    monkeypatch.setattr(Person, "clean", lambda self: None)
    header = ["Identified on", "District of the case", "Name", "Sex", "Age"]
    run = _run(np_shelter, Kind.CASES, header, [["2081-05-10", "Morang", "Kamala Magar", "F", "130"]])
    assert [(p["row"], p["column"], p["problem"]) for p in run.report] == [
        (2, "", "An estimated age is at most 120 years.")]  # fmt: skip
    assert not Person.objects.exists() and not Case.objects.exists()


def test_a_row_like_someone_on_record_is_named_and_can_be_left_out(np_shelter, morang, sop):
    header = ["Identified on", "District of the case", "Name", "Sex", "Age", "Home district", "Phone"]
    row = ["2024-08-01", "Morang", "Kamala Magar", "F", "17", "Morang", "9841234567"]
    first = _import(np_shelter, _run(np_shelter, Kind.CASES, header, [row]))
    assert first.status == RunStatus.DONE
    from setu.tracing.matching import index_person

    index_person(Person.objects.get())
    again = _run(np_shelter, Kind.CASES, header, [row, ["2024-08-02", "Morang", "Sunita Rai", "F", "30", "", ""]])
    assert [d["row"] for d in again.duplicates] == [2]
    assert again.duplicates[0]["name"] == "Kamala Magar"
    again = _import(np_shelter, again, skip_duplicates=True)
    assert again.skipped == [2] and [c["row"] for c in again.created] == [3]
    assert Person.objects.count() == 2
