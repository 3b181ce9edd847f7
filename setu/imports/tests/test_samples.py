"""The shipped messy samples (setu/imports/samples/), tried as a user would: every kind of error they carry
is in the dry-run report against its row and column, nothing is written, and the generator makes them
again byte for byte from its seed. Also `setu import`, the command line, on them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from setu.accounts.tests.factories import MembershipFactory, OrganisationFactory, make_user
from setu.cases.models import Case
from setu.geo.models import District
from setu.geo.services import gazetteer_load
from setu.imports import running, services
from setu.imports.models import ImportRun, Kind, RunStatus
from setu.imports.samples import generate
from setu.interceptions.models import Interception
from setu.people.models import Person
from setu.tracing.models import MissingReport

pytestmark = pytest.mark.django_db
SAMPLES = Path(generate.__file__).parent


@pytest.fixture
def importer(db):
    gazetteer_load()
    home = OrganisationFactory(name_en="Sample Transit Home")
    home.districts.set(District.objects.filter(province__country="NP"))
    user = make_user("sample_importer", "shelter_manager", home)
    MembershipFactory(user=user, organisation=home, role="border_monitor")
    return user


def _checked(user, kind, name, mapping_extra):
    source = services.source_save(actor=user, name=f"Sample {kind}", kind=kind)
    run = services.run_upload(actor=user, source=source, filename=name, content=(SAMPLES / name).read_bytes())
    run = services.run_map(actor=user, run=run, mapping={**run.mapping, **mapping_extra})
    services.run_check(actor=user, run=run, enqueue=False)
    return running.check(run, user)


def _problems(run, column):
    return [p["problem"] for p in run.report if p["column"] == column]


def test_the_messy_missing_reports_sample_shows_each_error(importer):
    ignore = {"S.N.": "-", "Caste": "-", "Entered by": "-"}
    run = _checked(importer, Kind.MISSING_REPORTS, "missing_reports_messy.csv", ignore)
    assert run.encoding == "UTF-8" and run.problem_count > 0
    assert any("Preeti" in p for p in _problems(run, "Naam (Nepali)"))
    assert any("not an age" in p for p in _problems(run, "Age"))
    assert any("Did you mean" in p for p in _problems(run, "Home district"))
    assert any("not a date" in p for p in _problems(run, "Last seen (date)"))
    assert any("Choose her sex" in p for p in _problems(run, "Sex"))
    assert any("blank" in p or "Give the name" in p for p in _problems(run, "Reported by"))
    assert any("Unknown choice: aama" in p for p in _problems(run, "Relation"))
    assert any("repeats row" in p["problem"] for p in run.report)
    assert any("BS =" in n["problem"] for n in run.notes)  # how the BS dates were read
    assert MissingReport.objects.count() == 0 and Person.objects.count() == 0


def test_unknown_columns_of_a_sample_must_be_decided(importer):
    run = _checked(importer, Kind.MISSING_REPORTS, "missing_reports_messy.csv", {})
    assert {p["column"] for p in run.report} == {"S.N.", "Caste", "Entered by"}


def test_the_messy_interceptions_workbook_shows_each_error(importer):
    run = _checked(importer, Kind.INTERCEPTIONS, "interceptions_messy.xlsx", {"S.N.": "-", "Vehicle no.": "-"})
    assert run.file_kind == "xlsx" and run.problem_count > 0
    assert any("Preeti" in p for p in _problems(run, "Name (Nepali)"))
    assert any("not a crossing point" in p for p in _problems(run, "Border point"))
    assert any("blank" in p for p in _problems(run, "Border point"))
    assert any("not a date" in p for p in _problems(run, "Date"))
    assert Interception.objects.count() == 0


def test_the_messy_cases_sample_shows_each_error(importer, sop):
    run = _checked(importer, Kind.CASES, "cases_messy.csv", {"S.N.": "-", "File no.": "-"})
    assert run.problem_count > 0
    assert any("Preeti" in p for p in _problems(run, "Name (Nepali)"))
    assert any("not a date" in p for p in _problems(run, "Rescue date"))
    assert any("not an age" in p for p in _problems(run, "Age"))
    assert any("Did you mean" in p for p in _problems(run, "Home district"))
    assert any("two-letter country code" in p for p in _problems(run, "Destination country"))  # "India"
    assert any("repeats row" in p["problem"] for p in run.report)
    assert Case.objects.count() == 0 and Person.objects.count() == 0


def test_a_clean_case_register_opens_each_case_with_its_sop(importer, sop, tmp_path):
    clean = tmp_path / "cases.csv"
    generate.main(["--clean", "--kind", "cases", "--rows", "5", "--out", str(clean)])
    out = io.StringIO()
    call_command("import", str(clean), kind="cases", source="Case register", user=importer.username,
                 map=["S.N.=-"], no_progress=True, stdout=out)  # fmt: skip
    assert "imported 5 rows" in out.getvalue()
    opened = Case.objects.select_related("survivor")
    assert opened.count() == 5 and all(c.stage and c.survivor.full_name for c in opened)


def test_the_samples_are_made_again_from_their_seed(tmp_path):
    header, rows = generate.missing_reports(120, 8, messy=True, today=generate.dt.date(2026, 12, 1))
    generate.write(tmp_path / "again.csv", header, rows)
    assert (tmp_path / "again.csv").read_bytes() == (SAMPLES / "missing_reports_messy.csv").read_bytes()


def test_the_command_line_refuses_a_messy_sheet_and_imports_a_clean_one(importer, tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import", str(SAMPLES / "missing_reports_messy.csv"), kind="missing_reports", source="CLI",
                     user=importer.username, map=["S.N.=-", "Caste=-", "Entered by=-"], no_progress=True,
                     report=tmp_path / "report.csv", stdout=out)  # fmt: skip
    assert refused.value.returncode == 1 and "nothing imported" in str(refused.value)
    assert "Preeti" in out.getvalue()
    assert (tmp_path / "report.csv").read_text(encoding="utf-8").startswith("\ufeffrow,column,problem")
    assert MissingReport.objects.count() == 0
    clean = tmp_path / "clean.csv"
    generate.main(["--clean", "--kind", "missing_reports", "--rows", "6", "--out", str(clean)])
    call_command("import", str(clean), kind="missing_reports", source="CLI", user=importer.username,
                 no_progress=True, stdout=out)  # fmt: skip
    run = ImportRun.objects.filter(status=RunStatus.DONE).get()
    assert len(run.created) == 6 and MissingReport.objects.count() == 6
    assert "imported 6 rows" in out.getvalue()
