"""The CTDC-compatible extract: its columns against CTDC's field list (reference/domain.md §5.2), the mapping
from the HTCDS values the cases hold (§5.1), -99 for missing, k = 11, consent, permission and audit."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEvent
from setu.cases import services as case_services
from setu.cases.tests.factories import CHECKLIST, open_case
from setu.people.tests.factories import PersonFactory
from setu.reports import ctdc
from setu.reports.kanon import MISSING, K

# CTDC's k-anonymised data set (2020), as reference/domain.md §5.2 lists it; the grouped ones spelled out as
# the published file names them (prefix + member).
CTDC_FIELDS = [
    "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "majorityStatusAtExploit",
    "majorityEntry", "citizenship",
    *(f"meansOfControl{m}" for m in ["DebtBondage", "TakesEarnings", "RestrictsFinancialAccess", "Threats",
      "PsychologicalAbuse", "PhysicalAbuse", "SexualAbuse", "FalsePromises", "PsychoactiveSubstances",
      "RestrictsMovement", "RestrictsMedicalCare", "ExcessiveWorkingHours", "UsesChildren", "ThreatOfLawEnforcement",
      "WithholdsNecessities", "WithholdsDocuments", "Other", "NotSpecified", "Concatenated"]),
    "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage", "isForcedMilitary",
    "isOrganRemoval", "isSlaveryAndPractices", "typeOfExploitConcatenated",
    *(f"typeOfLabour{m}" for m in ["Agriculture", "Aquafarming", "Begging", "Construction", "DomesticWork",
      "Hospitality", "IllicitActivities", "Manufacturing", "MiningOrDrilling", "Peddling", "Transportation", "Other",
      "NotSpecified", "Concatenated"]),
    *(f"typeOfSex{m}" for m in ["Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices",
      "Concatenated"]),
    "isAbduction", "RecruiterRelationship", "CountryOfExploitation",
    *(f"recruiterRelation{m}" for m in ["IntimatePartner", "Friend", "Family", "Other", "Unknown"]),
]  # fmt: skip
AGE_BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]


def test_the_columns_are_ctdcs_in_its_order():
    assert list(ctdc.COLUMNS) == CTDC_FIELDS
    assert len(set(ctdc.COLUMNS)) == len(ctdc.COLUMNS)


@pytest.mark.parametrize(("age", "band"), [(0, "0--8"), (8, "0--8"), (9, "9--17"), (17, "9--17"), (18, "18--20"),
                                           (29, "27--29"), (38, "30--38"), (47, "39--47"), (48, "48+"), (90, "48+"),
                                           (None, MISSING)])  # fmt: skip
def test_age_goes_into_ctdcs_bands(age, band):
    assert ctdc.age_broad(age) == band
    assert band == MISSING or band in AGE_BANDS


def test_a_case_maps_from_htcds_values_and_what_is_not_recorded_is_missing():
    row = ctdc.ctdc_row(year=2025, gender="Feminine", age=16, is_minor=True, citizenship="NP",
                        exploitation_country="IN", exploitation_types=["SexualExploitation", "ForcedBegging"],
                        control_methods=["PhysicalThreats", "DebtBondage"])  # fmt: skip
    assert set(row) == set(CTDC_FIELDS)
    assert (row["gender"], row["ageBroad"], row["majorityStatus"], row["citizenship"]) == ("Female", "9--17", "Minor",
                                                                                          "NP")  # fmt: skip
    assert row["CountryOfExploitation"] == "IN" and row["Datasource"] == "Case Management"
    assert row["meansOfControlThreats"] == 1 and row["meansOfControlDebtBondage"] == 1
    assert row["meansOfControlSexualAbuse"] == 0 and row["meansOfControlNotSpecified"] == 0
    assert row["meansOfControlRestrictsMovement"] == MISSING  # HTCDS has no such value: unknown, not "no"
    assert row["isSexualExploit"] == 1 and row["isForcedLabour"] == 1 and row["isSexAndLabour"] == 1
    assert row["isOrganRemoval"] == 0 and row["typeOfLabourBegging"] == 1
    assert row["typeOfExploitConcatenated"] == "Forced labour;Sexual exploitation"
    for never_recorded in ("majorityEntry", "isAbduction", "RecruiterRelationship", "typeOfSexProstitution",
                           "recruiterRelationFamily", "typeOfLabourAgriculture"):  # fmt: skip
        assert row[never_recorded] == MISSING
    empty = ctdc.ctdc_row(year=2025, gender="NonSpecifiedUnknown", age=None, is_minor=None, citizenship="",
                          exploitation_country="", exploitation_types=[], control_methods=[])  # fmt: skip
    assert empty["gender"] == empty["ageBroad"] == empty["citizenship"] == empty["isForcedLabour"] == MISSING
    assert empty["meansOfControlNotSpecified"] == 1 and empty["meansOfControlDebtBondage"] == MISSING


# --- the extract on a node --------------------------------------------------------------------------------------


def _case(actor, district, *, nationality="NP", consent: str | None = "give"):
    organisation = actor.memberships.first().organisation
    survivor = PersonFactory(full_name="Bimala Lama", organisation=organisation, location_district=district,
                             nationality=nationality, gender="Feminine")  # fmt: skip
    case = open_case(actor, district=district, age=16, survivor=survivor)
    if consent:
        given = case_services.consent_give(actor=actor, case=case, purpose="statistics", given_by="guardian",
                                           giver_name="Her mother", checklist=CHECKLIST)  # fmt: skip
        if consent == "withdraw":
            case_services.consent_withdraw(actor=actor, consent=given, reason="does not want to be counted")
    return case


@pytest.fixture
def node_cases(np_caseworker, morang):
    """12 girls of Nepal with consent, one of Bangladesh with consent, one without, one who withdrew."""
    cases = [_case(np_caseworker, morang) for _ in range(12)]
    cases.append(_case(np_caseworker, morang, nationality="BD"))
    cases.append(_case(np_caseworker, morang, consent=None))
    cases.append(_case(np_caseworker, morang, consent="withdraw"))
    return cases


@pytest.mark.django_db
def test_the_extract_holds_consented_cases_only_each_group_at_least_k(node_cases):
    rows, report = ctdc.extract()
    assert report.rows_in == 13  # no consent, or withdrawn: not in it at all
    assert report.rows_out == len(rows) == 12 and report.rows_dropped == 1  # the one from Bangladesh
    assert sum(report.values_suppressed.values()) == 0 and report.smallest_group == 12  # counted in rows kept
    groups = Counter(tuple(row[c] for step in ctdc.QUASI_IDENTIFIERS for c in step) for row in rows)
    assert min(groups.values()) >= K
    assert all(row["citizenship"] == "NP" for row in rows)


@pytest.mark.django_db
def test_focal_point_downloads_the_extract_and_its_report_audited(np_focal_point, node_cases):
    client = Client()
    client.force_login(np_focal_point)
    response = client.get(reverse("reports:statistics_ctdc_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == CTDC_FIELDS and len(lines) == 13
    # A download kept by no browser or proxy cache, never sniffed into another type (setu.core.http.attachment).
    assert response["Cache-Control"] == "no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert all(line[CTDC_FIELDS.index("majorityEntry")] == "-99" for line in lines[1:])
    assert "Bimala" not in response.content.decode("utf-8-sig")
    assert AuditEvent.objects.filter(action="statistics.ctdc_export", actor_id=np_focal_point.pk).exists()
    report = client.get(reverse("reports:statistics_ctdc_report_csv"))
    measures = {(line[0], line[1]): line[2]
                for line in csv.reader(io.StringIO(report.content.decode("utf-8-sig")))}  # fmt: skip
    assert measures[("rows_dropped", "")] == "1" and measures[("values_suppressed", "citizenship")] == "0"
    page = client.get(reverse("reports:statistics_ctdc"))
    assert page.status_code == 200 and page.context["report"].rows_out == 12


@pytest.mark.django_db
def test_the_extract_is_not_found_for_those_without_the_permission(np_caseworker, np_monitor, np_police):
    for user in (np_caseworker, np_monitor, np_police):
        client = Client()
        client.force_login(user)
        for name in ("statistics_ctdc", "statistics_ctdc_csv", "statistics_ctdc_report_csv"):
            assert client.get(reverse(f"reports:{name}")).status_code == 404
    assert not AuditEvent.objects.filter(action="statistics.ctdc_export").exists()
