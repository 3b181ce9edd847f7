"""Bilateral statistics on one node, against the in-process peer (India) of setu.exchange.tests.fixtures:
what is published (protected tables only), what leaves (aggregates, schema-checked), what arrives, who may
see and publish, and the joint page."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.accounts.policy import NotFoundOrForbidden
from setu.audit.models import AuditEvent
from setu.cases.tests.factories import open_case
from setu.exchange.envelope import stored_claims
from setu.exchange.inbox import receive
from setu.exchange.models import OutboxMessage
from setu.people.tests.factories import PersonFactory
from setu.reports import statistics
from setu.reports.kanon import K
from setu.reports.models import Publication, ReceivedPublication
from setu.reports.tests.test_kanon import recoverable

pytestmark = pytest.mark.django_db


def _survivor_case(actor, district, *, age: int, gender: str):
    organisation = actor.memberships.first().organisation
    survivor = PersonFactory(full_name="Bimala Lama", organisation=organisation, location_district=district,
                             nationality="NP", gender=gender)  # fmt: skip
    return open_case(actor, district=district, age=age, survivor=survivor)


@pytest.fixture
def cases(np_caseworker, morang):
    """12 girls of 9-17 and 2 women of 30-38: the first cell is published, the second is small."""
    made = [_survivor_case(np_caseworker, morang, age=15, gender="Feminine") for _ in range(12)]
    made += [_survivor_case(np_caseworker, morang, age=32, gender="Feminine") for _ in range(2)]
    return made


def _year(cases) -> int:
    return timezone.localtime(cases[0].identified_at).year


def _grid(table: dict) -> list[list[int | None]]:
    return [[*row, total] for row, total in zip(table["cells"], table["row_totals"], strict=True)] + [
        [*table["col_totals"], table["total"]]
    ]


def _numbers(tables: list[dict]) -> list[int]:
    return [value for table in tables for row in _grid(table) for value in row if value is not None]


def _survivors(tables: list[dict]) -> dict:
    return next(table for table in tables if table["key"] == "survivors")


def test_publishing_stores_protected_tables_and_sends_them_to_the_other_node(np_focal_point, cases, india):
    year = _year(cases)
    publication = statistics.statistics_publish(actor=np_focal_point, year=year)
    survivors = _survivors(publication.tables)
    child, adult_30 = survivors["rows"].index("9-17"), survivors["rows"].index("30-38")
    female = survivors["cols"].index("female")
    assert survivors["cells"][child][female] == 12 or survivors["cells"][child][female] is None
    assert survivors["cells"][adult_30][female] is None  # 2 women: suppressed, never shown
    assert not [value for value in _numbers(publication.tables) if 1 <= value < K]
    for table in publication.tables:
        assert recoverable(_grid(table)) == set(), table["key"]
    assert publication.suppressed == statistics.suppressed_count(publication.tables) > 0
    # What left: the same tables, aggregates only.
    claims = stored_claims(publication.message.token)
    assert claims["type"] == "statistics.publication" and claims["purpose"] == "statistics" and claims["to"] == "IN"
    assert claims["payload"]["tables"] == publication.tables and claims["payload"]["k"] == K
    assert claims["legal_basis"] == "none: no identifying data"
    assert "Bimala" not in json.dumps(claims, ensure_ascii=False)
    assert AuditEvent.objects.filter(action="statistics.publish", object_id=str(publication.public_id)).exists()


def test_the_tables_count_this_nodes_records(np_focal_point, cases):
    survivors = _survivors(statistics.build_tables(_year(cases)))
    assert survivors["total"] == 14  # 14 >= k: the grand total is published
    assert survivors["rows"] == ["unknown", "0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"]
    assert survivors["cols"] == ["female", "male", "other", "unknown"]
    assert {table["key"] for table in statistics.build_tables(2001)} == set(statistics.SPECS)
    assert all(table["total"] == 0 for table in statistics.build_tables(2001))


def test_publishing_without_a_registered_peer_keeps_it_here(np_analyst, cases):
    publication = statistics.statistics_publish(actor=np_analyst, year=_year(cases))
    assert publication.message is None and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("year", ["", "abc", "1999", str(timezone.localdate().year + 1)])
def test_a_bad_year_is_refused_and_nothing_is_published(np_focal_point, india, year):
    with pytest.raises(ValidationError):
        statistics.statistics_publish(actor=np_focal_point, year=year)
    assert not Publication.objects.exists() and not OutboxMessage.objects.exists()


def test_who_may_not_publish_gets_not_found_and_nothing_is_sent(np_caseworker, np_monitor, india):
    for user in (np_caseworker, np_monitor):
        with pytest.raises(NotFoundOrForbidden):
            statistics.statistics_publish(actor=user, year=timezone.localdate().year)
    assert not Publication.objects.exists() and not OutboxMessage.objects.exists()
    assert AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED, action="statistics.publish").count() == 2


# --- arriving ---------------------------------------------------------------------------------------------------


def _payload(**overrides) -> dict:
    table = {"key": "repatriations", "rows": ["Q1", "Q2", "Q3", "Q4"], "cols": ["child", "adult"],
             "cells": [[None, 20], [None, 0], [0, 11], [0, 0]], "row_totals": [None, None, 11, 0],
             "col_totals": [14, 31], "total": 45}  # fmt: skip
    payload = {"ref": str(uuid.uuid4()), "year": 2026, "k": 11, "published_at": "2026-12-01T10:00:00+05:30",
               "tables": [table]}  # fmt: skip
    payload.update(overrides)
    return payload


def test_the_other_nodes_publication_is_kept_once(india):
    payload = _payload()
    token, _claims = india.message("statistics.publication", payload, legal_basis="none: no identifying data")
    assert receive(token).status == 200
    received = ReceivedPublication.objects.get()
    assert (received.from_node, received.year, received.tables) == ("IN", 2026, payload["tables"])
    token, _claims = india.message("statistics.publication", payload)
    assert receive(token).status == 422
    assert ReceivedPublication.objects.count() == 1


@pytest.mark.parametrize(
    "table_change",
    [
        {"total": 5},  # a small number: the schema refuses it
        {"cells": [[None, 20], [None, 0], [0, 11]]},  # fewer rows than named
        {"key": "everything"},
    ],
)
def test_a_publication_with_a_small_number_or_a_malformed_table_is_refused(india, table_change):
    payload = _payload()
    payload["tables"][0].update(table_change)
    token, _claims = india.message("statistics.publication", payload)
    assert receive(token).status == 422
    assert not ReceivedPublication.objects.exists()


def test_the_schema_refuses_a_small_number_before_it_leaves(np_focal_point, india, monkeypatch):
    leaky = [{"key": "mla", "rows": ["outgoing"], "cols": ["sent"], "cells": [[3]], "row_totals": [3],
              "col_totals": [3], "total": 3}]  # fmt: skip
    monkeypatch.setattr(statistics, "build_tables", lambda year, k=K: leaky)
    with pytest.raises(ValidationError):
        statistics.statistics_publish(actor=np_focal_point, year=timezone.localdate().year)
    assert not Publication.objects.exists() and not OutboxMessage.objects.exists()


# --- the joint page ---------------------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_joint_page_shows_both_countries_and_marks_suppressed_cells(np_focal_point, cases, india):
    year = _year(cases)
    token, _claims = india.message("statistics.publication", _payload(year=year))
    receive(token)
    response = _client(np_focal_point).get(reverse("reports:statistics"), {"year": year})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Repatriations by quarter" in page and 'class="suppressed"' in page
    repatriations = next(t for t in response.context["tables"] if t["key"] == "repatriations")
    assert repatriations["other"]["rows"][0]["cells"] == [None, 20]
    assert response.context["other"].node == "IN" and response.context["mine"].published_at is None
    assert f"{response.context['suppressed']} figures of this country" in page and response.context["suppressed"] > 1
    # This node's side: the small cell of two women is a mark, and its count is nowhere in the context.
    survivors = next(t for t in response.context["tables"] if t["key"] == "survivors")
    row = next(r for r in survivors["mine"]["rows"] if r["label"] == "30–38")
    assert row["cells"][0] is None


def test_publishing_from_the_page_redirects_and_the_page_then_shows_the_publication(np_analyst, cases, india):
    client = _client(np_analyst)
    year = _year(cases)
    response = client.post(reverse("reports:statistics_publish"), {"year": year})
    assert response.status_code == 302
    publication = Publication.objects.get()
    page = client.get(reverse("reports:statistics"), {"year": year})
    assert page.context["mine"].published_at == publication.published_at


def test_the_joint_page_is_not_found_for_those_without_the_permission(np_caseworker, np_monitor):
    for user in (np_caseworker, np_monitor):
        assert _client(user).get(reverse("reports:statistics")).status_code == 404
        assert _client(user).post(reverse("reports:statistics_publish"), {"year": 2026}).status_code == 404
    assert not Publication.objects.exists()


def test_an_earlier_publication_stays_as_it_was_sent(np_focal_point, np_caseworker, morang, cases):
    year = _year(cases)
    first = statistics.statistics_publish(actor=np_focal_point, year=year, now=timezone.now() - dt.timedelta(days=1))
    _survivor_case(np_caseworker, morang, age=15, gender="Feminine")
    second = statistics.statistics_publish(actor=np_focal_point, year=year)
    first.refresh_from_db()
    assert _survivors(first.tables)["total"] == 14 and _survivors(second.tables)["total"] == 15
    mine, _other = statistics.joint_for(np_focal_point, year)
    assert mine.published_at == second.published_at


def test_a_survivor_who_withdrew_her_consent_to_statistics_is_not_counted(np_caseworker, morang):
    from setu.cases import services as case_services
    from setu.cases.tests.factories import CHECKLIST

    withdrew, gave_again, never_asked = (_survivor_case(np_caseworker, morang, age=30, gender="Feminine")
                                         for _ in range(3))  # fmt: skip
    for case in (withdrew, gave_again):
        consent = case_services.consent_give(actor=np_caseworker, case=case, purpose="statistics",
                                             given_by="survivor", checklist=CHECKLIST)  # fmt: skip
        case_services.consent_withdraw(actor=np_caseworker, consent=consent, reason="not counted, please")
    case_services.consent_give(actor=np_caseworker, case=gave_again, purpose="statistics", given_by="survivor",
                               checklist=CHECKLIST)  # fmt: skip
    assert set(statistics.counted_cases()) == {gave_again, never_asked}


def test_the_command_publishes_as_a_named_user_and_refuses_others(np_focal_point, np_caseworker, india, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("statistics", "publish", "--year", str(timezone.localdate().year), "--user", "np_focal_point",
                 stdout=out)  # fmt: skip
    assert "sent to the other node" in out.getvalue() and Publication.objects.count() == 1
    call_command("statistics", "publish", "--year", str(timezone.localdate().year), "--user", "np_focal_point",
                 "--if-unpublished", stdout=out)  # fmt: skip
    assert "already published" in out.getvalue() and Publication.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("statistics", "publish", "--year", "2026", "--user", "np_caseworker")
    with pytest.raises(CommandError):
        call_command("statistics", "ctdc", "--user", "np_caseworker", "--out", str(tmp_path / "x.csv"))
    call_command("statistics", "ctdc", "--user", "np_focal_point", "--out", str(tmp_path / "x.csv"),
                 "--report", str(tmp_path / "r.csv"), stdout=out)  # fmt: skip
    assert (tmp_path / "x.csv").read_text(encoding="utf-8-sig").startswith("yearOfRegistration,Datasource,")
    assert "rows_dropped" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert Publication.objects.count() == 1


def test_missing_person_reports_are_counted_by_the_quarter_they_were_reported(np_police_org):
    from setu.tracing.tests.factories import make_report

    for day in range(1, 13):
        make_report(organisation=np_police_org, reported_on=dt.date(2025, 2, day))
    make_report(organisation=np_police_org, reported_on=dt.date(2025, 5, 1))
    rows, cols, counts = statistics.SPECS["missing"].build(2025)
    assert rows == ["Q1", "Q2", "Q3", "Q4"] and counts[0][cols.index("open")] == 12
    assert counts[1][cols.index("open")] == 1 and sum(map(sum, counts)) == 13
    table = next(t for t in statistics.build_tables(2025) if t["key"] == "missing")
    assert table["cells"][1][cols.index("open")] is None and table["total"] == 13
