"""Printable documents: the Devanagari text comes out of the PDF as written (the survivor's name, translated
headings, Bikram Sambat dates), each language on its node, access (CASE_VIEW on the case, REPORT_VIEW for the
annual summary) and the audit; the annual summary's fiscal years and counts."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from setu.accounts.tests.factories import OrganisationFactory
from setu.audit.models import AuditEvent
from setu.cases import services
from setu.cases.tests.factories import legal_basis, open_case
from setu.core.enums import OrganisationType
from setu.legal.models import Accused, Prosecution
from setu.people.tests.factories import PersonFactory
from setu.reports.documents import annual

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(data: bytes) -> str:
    """All pages' text as pypdf reads it back, without whitespace. Where HarfBuzz reordered a cluster's glyphs
    (the vowel sign ि drawn before its consonant, a reph above the next letter) pypdf puts stray characters
    between the letters ("महि#ला", "नि\x02र्ण\x04य"), and it may read a gap after a vowel sign as a space: both
    are dropped. The Devanagari letters themselves must be exact and in order (and "२०८१-०४-०१" keeps its dashes)."""
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    letters = "\u0900-\u0963\u0970-\u097f"  # the Devanagari block but its digits and danda
    text = re.sub(f"(?<=[{letters}])[^{letters}\\s]+(?=[{letters}])", "", text)
    return "".join(text.split())


def _has(text: str, *phrases: str) -> bool:
    return all("".join(phrase.split()) in text for phrase in phrases)


@pytest.fixture
def sita_case(np_caseworker, morang, np_transit_home):
    sita = PersonFactory(full_name="सीता तामाङ", gender="Feminine", nationality="NP", organisation=np_transit_home,
                         location_district=morang, home_district=morang, home_address="Rangeli tole")  # fmt: skip
    case = open_case(np_caseworker, district=morang, survivor=sita, age=16, summary="Found at the bus park")
    mother = PersonFactory(full_name="माया तामाङ", organisation=np_transit_home, location_district=morang)
    services.related_person_add(actor=np_caseworker, case=case, person=mother, role="parent", details="Mother")
    services.decision_record(actor=np_caseworker, case=case, kind="repatriation_order", favourable=True,
                             outcome="Return to Nepal", decider_name="CWC Morang", decided_on=timezone.localdate(),
                             basis="JJ Act", survivor_view="Wants to go home")  # fmt: skip
    legal_basis(np_caseworker, case, "care")
    return case


def _document(client: Client, case, kind: str, lang: str):
    return client.get(reverse("reports:case_document", args=[case.public_id, kind]), {"lang": lang})


def test_case_summary_in_nepali_has_the_devanagari_strings(np_caseworker, sita_case):
    response = _document(_client(np_caseworker), sita_case, "summary", "ne")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert _has(text, "सीता तामाङ", sita_case.number)
    assert _has(text, "निर्णयहरू", "जिम्मेवार संस्था", "महिला")  # Decisions, Organisation in charge, Female
    assert _has(text, "CWC Morang", "Return to Nepal")
    event = AuditEvent.objects.get(action="report.case_summary")
    assert event.object_id == str(sita_case.public_id) and event.fields == ["lang:ne"]


def test_case_summary_in_english(np_caseworker, sita_case):
    text = _text(_document(_client(np_caseworker), sita_case, "summary", "en").content)
    assert _has(text, "Case summary", "Decisions", "Organisation in charge", "सीता तामाङ", "Female")
    assert "निर्णयहरू" not in text


def test_hindi_on_the_india_node(np_caseworker, sita_case, settings):
    settings.SETU_NODE = "IN"
    client = _client(np_caseworker)
    text = _text(_document(client, sita_case, "summary", "hi").content)
    assert _has(text, "सीता तामाङ", "प्रभारी संगठन", "महिला")  # Organisation in charge, Female in Hindi
    # Nepali is not a language of the India node's documents: the page's language (English) is used.
    assert _has(_text(_document(client, sita_case, "summary", "ne").content), "Organisation in charge")


def test_a_bikram_sambat_date_in_nepali(np_caseworker, sita_case):
    from setu.core.dates import format_bs

    text = _text(_document(_client(np_caseworker), sita_case, "summary", "ne").content)
    assert format_bs(timezone.localtime(sita_case.identified_at).date(), devanagari=True) in text


def test_handover_certificate(np_caseworker, sita_case):
    response = _document(_client(np_caseworker), sita_case, "handover", "ne")
    text = _text(response.content)
    assert _has(text, "सीता तामाङ", "CWC Morang", "नेपाल")  # the receiving country: Nepal, in Nepali
    assert AuditEvent.objects.filter(action="report.handover_certificate", object_id=str(sita_case.public_id)).exists()


def test_home_study_form_is_filled_in_from_the_case(np_caseworker, sita_case):
    text = _text(_document(_client(np_caseworker), sita_case, "home-study", "ne").content)
    assert _has(text, "सीता तामाङ", "माया तामाङ", "Rangeli tole")
    assert _has(text, "उनी आफ्नो संरक्षकसँग सुरक्षित महसुस गर्छिन्?")  # a best-interest question, in Nepali
    assert AuditEvent.objects.filter(action="report.home_study_form").count() == 1


@pytest.mark.parametrize("kind", ["summary", "handover", "home-study"])
def test_case_documents_need_the_case_in_scope(kind, np_other_org, np_focal_point, sita_case):
    denied = AuditEvent.objects.filter(actor_id=np_other_org.pk, outcome="denied").count()
    response = _document(_client(np_other_org), sita_case, kind, "en")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor_id=np_other_org.pk, outcome="denied").count() == denied + 1
    assert _document(_client(np_focal_point), sita_case, kind, "en").status_code == 200


def test_unknown_document_kind(np_caseworker, sita_case):
    assert _document(_client(np_caseworker), sita_case, "passport", "en").status_code == 404


def test_the_case_page_links_its_documents(np_caseworker, sita_case):
    page = _client(np_caseworker).get(reverse("cases:detail", args=[sita_case.public_id])).content.decode()
    assert reverse("reports:case_document", args=[sita_case.public_id, "handover"]) + "?lang=ne" in page


# --- the annual summary ---------------------------------------------------------------------------------------


def test_fiscal_years():
    nepal = annual.fiscal_year(2081, "NP")
    assert (nepal.label, nepal.start, nepal.end) == ("2081/82", dt.date(2024, 7, 16), dt.date(2025, 7, 17))
    assert annual.fiscal_year_of(dt.date(2024, 7, 15), "NP").year == 2080  # 31 Asar 2081: the year before
    assert annual.fiscal_year_of(dt.date(2024, 7, 16), "NP").year == 2081  # 1 Shrawan 2081
    india = annual.fiscal_year(2024, "IN")
    assert (india.label, india.start, india.last_day) == ("2024–25", dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert annual.fiscal_year_of(dt.date(2025, 3, 31), "IN").year == 2024
    assert annual.fiscal_year_of(dt.date(2025, 4, 1), "IN").year == 2025


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def year_2081(np_caseworker, np_other_org, morang, parsa):
    """In fiscal year 2081/82: two Morang cases (a girl and a woman) and a Parsa case; one Morang case the year
    before; a Morang prosecution with one accused convicted and one acquitted."""
    inside = dt.date(2025, 1, 10)
    open_case(np_caseworker, district=morang, age=15, identified_at=_at(inside))
    open_case(np_caseworker, district=morang, age=25, identified_at=_at(inside))
    open_case(np_other_org, district=parsa, age=17, identified_at=_at(inside))
    open_case(np_caseworker, district=morang, age=16, identified_at=_at(dt.date(2024, 7, 1)))
    office = OrganisationFactory(name_en="District Attorney Morang", districts=[morang],
                                 org_type=OrganisationType.LEGAL_SERVICE)  # fmt: skip
    prosecution = Prosecution.objects.create(number="NP-PRS-2025-000001", organisation=office, district=morang,
                                             police_case_number="12", police_unit="DPO Morang",
                                             opened_on=inside, created_by=np_caseworker)  # fmt: skip
    for name, verdict in (("Accused One", "convicted"), ("Accused Two", "acquitted")):
        person = PersonFactory(full_name=name, organisation=office, location_district=morang)
        Accused.objects.create(prosecution=prosecution, person=person, verdict=verdict,
                               verdict_on=dt.date(2025, 6, 1), created_by=np_caseworker)  # fmt: skip
    return annual.fiscal_year(2081, "NP")


def _figures(user, year) -> dict[str, int]:
    return {str(line.label): line.value for part in annual.annual_figures(user, year) for line in part.lines}


def test_annual_counts_within_the_fiscal_year_and_the_scope(np_caseworker, np_focal_point, year_2081):
    node = _figures(np_focal_point, year_2081)
    assert node["Survivors identified or rescued"] == 3
    assert node["of them children (under 18 when identified)"] == 2
    assert node["Prosecutions registered"] == 1 and node["People accused in them"] == 2
    assert (node["Accused convicted"], node["Accused acquitted"]) == (1, 1)
    own = _figures(np_caseworker, year_2081)
    assert own["Survivors identified or rescued"] == 2  # not the Parsa organisation's case
    assert own["Prosecutions registered"] == 1  # in Morang, the caseworker's district
    before = _figures(np_focal_point, annual.fiscal_year(2080, "NP"))
    assert before["Survivors identified or rescued"] == 1


def test_annual_summary_page_and_pdf(np_focal_point, year_2081):
    client = _client(np_focal_point)
    page = client.get(reverse("reports:annual_summary"), {"year": 2081})
    assert page.status_code == 200 and b"2081/82" in page.content
    response = client.get(reverse("reports:annual_summary_pdf"), {"year": 2081, "lang": "ne"})
    assert response.status_code == 200
    text = _text(response.content)
    assert _has(text, "2081/82", "२०८१-०४-०१")  # 1 Shrawan 2081 in Devanagari digits
    assert "Accused One" not in text  # counts, never names
    event = AuditEvent.objects.get(action="report.annual_summary")
    assert (event.object_id, event.fields) == ("2081/82", ["lang:ne"])


def test_annual_summary_needs_report_view(np_auditor, np_focal_point):
    for name in ("reports:annual_summary", "reports:annual_summary_pdf"):
        assert _client(np_auditor).get(reverse(name)).status_code == 404
    assert AuditEvent.objects.filter(actor_id=np_auditor.pk, outcome="denied").count() == 2
    assert _client(np_focal_point).get(reverse("reports:annual_summary"), {"year": "1999"}).status_code == 404


def test_annual_summary_on_the_india_node_uses_indias_fiscal_year(np_focal_point, settings):
    settings.SETU_NODE = "IN"
    client = _client(np_focal_point)
    page = client.get(reverse("reports:annual_summary"), {"year": 2024})
    assert page.status_code == 200
    assert "2024–25" in page.content.decode() and "2024-04-01" in page.content.decode()
    text = _text(client.get(reverse("reports:annual_summary_pdf"), {"year": 2024, "lang": "hi"}).content)
    assert _has(text, "2024–25", "2025-03-31")
