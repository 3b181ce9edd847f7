"""Hotspots: the figures against hand-counted ones on a small data set, the filters, the CSV export and its
protection against formulas, and who sees the suspects' names (setu/interceptions/hotspots.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEvent
from setu.core.spreadsheet import csv_safe
from setu.interceptions import hotspots
from setu.interceptions.models import Companion, InterceptedPerson, Interception, age_band
from setu.interceptions.services import checklist_current
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NPT = ZoneInfo("Asia/Kathmandu")
URL = "/interceptions/hotspots/"
Q1 = "start=2026-01&end=2026-03"  # January to March 2026


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NPT)


class World:
    """Seven interceptions at Rani (the Morang transit home's post) and Birgunj (the Parsa organisation's),
    counted by hand in the tests below. S1 and S2 are suspects seen at both; S3 at Birgunj in December
    2025 and at Rani in January 2026; C1 a companion who is no suspect.

    | # | station | local time        | outcome      | ages   | companion | from   | destination   |
    |---|---------|-------------------|--------------|--------|-----------|--------|---------------|
    | 1 | Rani    | 2026-01-10 09:00  | counselled   | 16, 19 | S1        | Morang | Delhi, IN     |
    | 2 | Rani    | 2026-01-20 09:00  | returned     | 25     | C1        | Morang | " delhi ", IN → AE |
    | 7 | Rani    | 2026-01-11 09:00  | counselled   | 17     | S3        | Morang | (none), IN    |
    | 3 | Rani    | 2026-02-05 09:00  | police       | ?      | S2        | Morang | Mumbai, IN    |
    | 4 | Birgunj | 2026-02-15 09:00  | counselled   | 12     | S1        | Parsa  | Mumbai, IN    |
    | 5 | Birgunj | 2026-03-01 00:10  | transit_home | 30, 40 | S2        | Parsa  | =cmd..., IN   |
    | 6 | Birgunj | 2025-12-31 23:50  | counselled   | 20     | S3        | Parsa  | Delhi, IN     |
    """

    def __init__(self, rani, birgunj, morang, parsa, home, parsa_org, author) -> None:
        self.checklist = checklist_current()
        self.author = author
        self.s1 = PersonFactory(full_name="Suspect One Rai", organisation=home, location_district=morang)
        self.s2 = PersonFactory(full_name="Suspect Two Yadav", organisation=parsa_org, location_district=parsa)
        self.s3 = PersonFactory(full_name="Suspect Three Thapa", organisation=parsa_org, location_district=parsa)
        self.c1 = PersonFactory(full_name="Companion Uncle", organisation=home, location_district=morang)
        rows = [
            (1, rani, _at(2026, 1, 10, 9), "counselled", [16, 19], self.s1, True, morang, "Delhi", ""),
            (2, rani, _at(2026, 1, 20, 9), "returned", [25], self.c1, False, morang, " delhi ", "AE"),
            (7, rani, _at(2026, 1, 11, 9), "counselled", [17], self.s3, True, morang, "", ""),
            (3, rani, _at(2026, 2, 5, 9), "police", [None], self.s2, True, morang, "Mumbai", ""),
            (4, birgunj, _at(2026, 2, 15, 9), "counselled", [12], self.s1, True, parsa, "Mumbai", ""),
            (5, birgunj, _at(2026, 3, 1, 0, 10), "transit_home", [30, 40], self.s2, True, parsa,
             "=cmd|' /C calc'!A0", ""),
            (6, birgunj, _at(2025, 12, 31, 23, 50), "counselled", [20], self.s3, True, parsa, "Delhi", ""),
        ]  # fmt: skip
        self.by_number = {}
        for number, station, at, outcome, ages, companion, suspect, from_district, place, onward in rows:
            org = home if station == rani else parsa_org
            interception = Interception.objects.create(
                number=f"NP-INT-T-{number}", station=station, district=station.district, organisation=org,
                intercepted_at=at, from_district=from_district, destination=place, destination_country="IN",
                onward_country=onward, checklist=self.checklist, outcome=outcome, created_by=author,
            )  # fmt: skip
            for age in ages:
                person = PersonFactory(full_name=f"Traveller {number} {age}", organisation=org,
                                       location_district=station.district)  # fmt: skip
                InterceptedPerson.objects.create(interception=interception, person=person, age_years=age,
                                                 age_band=age_band(age))  # fmt: skip
            Companion.objects.create(interception=interception, person=companion, is_suspect=suspect)
            self.by_number[number] = interception


@pytest.fixture
def world(rani, birgunj, morang, parsa, np_transit_home, np_parsa_org, np_monitor) -> World:
    np_transit_home.border_points.add(rani)
    np_parsa_org.border_points.add(birgunj)
    return World(rani, birgunj, morang, parsa, np_transit_home, np_parsa_org, np_monitor)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _figures(user, **filters) -> hotspots.Hotspots:
    period = filters.pop("period", hotspots.Period(dt.date(2026, 1, 1), dt.date(2026, 3, 1)))
    return hotspots.hotspots_for(user, hotspots.Filters(period=period, **filters))


def _counts(rows) -> dict[str, int]:
    return {row.label: row.count for row in rows if row.count}


# --- the figures ---------------------------------------------------------------------------------------------


def test_figures_match_the_hand_count(world, np_analyst, rani, birgunj):
    h = _figures(np_analyst)

    assert h.interceptions == 6  # all but #6, of 31 December
    assert h.persons == 8
    assert _counts(h.stations) == {"Rani": 4, "Birgunj": 2}
    assert [row.label for row in h.stations] == ["Rani", "Birgunj"]  # busiest first
    assert [(m.month, m.count) for m in h.months] == [
        (dt.date(2026, 1, 1), 3), (dt.date(2026, 2, 1), 2), (dt.date(2026, 3, 1), 1),
    ]  # fmt: skip
    assert {row.key: row.count for row in h.outcomes} == {
        "open": 0, "counselled": 3, "returned": 1, "transit_home": 1, "police": 1, "other_side": 0,
    }  # fmt: skip
    assert {row.key: row.count for row in h.age_bands if row.count} == {
        "9-17": 3, "18-20": 1, "24-26": 1, "30-38": 1, "39-47": 1, "unknown": 1,
    }  # fmt: skip
    assert [row.key for row in h.age_bands][:3] == ["unknown", "0-8", "9-17"]  # every band, in CTDC's order
    assert round(sum(row.share for row in h.age_bands), 6) == 1
    assert [(r.from_district, r.station, r.destination_country, r.onward_country, r.count) for r in h.routes] == [
        ("Morang", "Rani", "India", "", 3),
        ("Parsa", "Birgunj", "India", "", 2),
        ("Morang", "Rani", "India", "AE", 1),  # a country outside the nationalities' list: its code
    ]
    assert h.routes_other == 0
    assert {row.key: row.count for row in h.destinations} == {
        "delhi|IN": 2,
        "mumbai|IN": 2,
        "=cmd|' /c calc'!a0|IN": 1,
        "|IN": 1,
    }
    assert [round(row.share, 3) for row in h.destinations] == [0.333, 0.333, 0.167, 0.167]  # of all interceptions
    assert h.suspects_count == 2  # S1 and S2; S3 was at Birgunj only in December
    assert h.suspects is None  # an analyst: the number, never the names


def test_month_boundaries_are_the_nodes_local_months(world, np_analyst):
    """#5 at 00:10 on 1 March (Nepal time) is a March interception though it is still February in UTC; #6 at
    23:50 on 31 December is December's."""
    march = _figures(np_analyst, period=hotspots.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 1)))
    december = _figures(np_analyst, period=hotspots.Period(dt.date(2025, 12, 1), dt.date(2025, 12, 1)))

    assert march.interceptions == 1 and _counts(march.outcomes) == {"Placed in a transit home": 1}
    assert december.interceptions == 1 and _counts(december.stations) == {"Birgunj": 1}


def test_filters_by_station_outcome_and_a_longer_period(world, np_analyst, birgunj):
    at_birgunj = _figures(np_analyst, station_id=birgunj.pk)
    counselled = _figures(np_analyst, outcome="counselled")
    with_december = _figures(np_analyst, period=hotspots.Period(dt.date(2025, 12, 1), dt.date(2026, 3, 1)))

    assert at_birgunj.interceptions == 2 and at_birgunj.persons == 3
    assert _counts(at_birgunj.stations) == {"Birgunj": 2}
    # With a station chosen, the suspects seen there and at another crossing point.
    assert at_birgunj.suspects_count == 2
    assert counselled.interceptions == 3
    assert [m.count for m in counselled.months] == [2, 1, 0]
    assert counselled.suspects_count == 1  # S1: Rani (#1) and Birgunj (#4); S2's were not counselled
    assert with_december.interceptions == 7
    assert len(with_december.months) == 4
    assert with_december.suspects_count == 3  # S3 too: Birgunj in December, Rani in January


def test_no_interceptions_gives_zeros_not_errors(np_analyst, rani):
    h = _figures(np_analyst)

    assert h.interceptions == 0 and h.persons == 0 and h.suspects_count == 0
    assert [m.count for m in h.months] == [0, 0, 0]
    assert h.stations == [] and h.routes == []
    assert all(row.share == 0 for row in h.outcomes)


# --- who sees the suspects' names ----------------------------------------------------------------------------


def test_a_node_wide_reader_sees_the_suspects_with_their_stations_and_dates(world, np_focal_point):
    h = _figures(np_focal_point)

    assert h.suspects is not None
    assert {seen.person.full_name for seen in h.suspects} == {"Suspect One Rai", "Suspect Two Yadav"}
    s1 = next(seen for seen in h.suspects if seen.person == world.s1)
    assert s1.interceptions == 2
    assert [(p.station, p.times, p.first, p.last) for p in sorted(s1.stations, key=lambda p: p.station)] == [
        ("Birgunj", 1, dt.date(2026, 2, 15), dt.date(2026, 2, 15)),
        ("Rani", 1, dt.date(2026, 1, 10), dt.date(2026, 1, 10)),
    ]
    s2 = next(seen for seen in h.suspects if seen.person == world.s2)
    assert {p.station: p.first for p in s2.stations}["Birgunj"] == dt.date(2026, 3, 1)  # local date
    assert h.suspects_elsewhere == 0


def test_a_reader_of_one_posts_records_gets_no_name_from_another_post(world, np_monitor, np_police):
    """The Morang monitor and police read Rani's interceptions only: there S1 and S2 were each seen once, so
    neither is named; both are counted."""
    for user in (np_monitor, np_police):
        h = _figures(user)
        assert h.suspects == []
        assert h.suspects_count == 2
        assert h.suspects_elsewhere == 2


def test_analyst_page_shows_the_count_and_never_a_name(world, np_analyst):
    response = _client(np_analyst).get(f"{URL}?{Q1}")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Suspect One Rai" not in content and "Suspect Two Yadav" not in content
    assert "Traveller" not in content and "Companion Uncle" not in content
    assert "2 suspects were seen at two crossing points or more" in content
    assert not AuditEvent.objects.filter(action="interception.hotspots.suspects").exists()


def test_focal_point_page_names_the_suspects_and_the_read_is_audited(world, np_focal_point):
    response = _client(np_focal_point).get(f"{URL}?{Q1}")

    content = response.content.decode()
    assert "Suspect One Rai" in content and "Suspect Two Yadav" in content
    assert "Suspect Three Thapa" not in content
    assert "Traveller" not in content  # people stopped are never named here
    event = AuditEvent.objects.get(action="interception.hotspots.suspects")
    assert event.actor_id == np_focal_point.pk and event.object_type == "interceptions.hotspots"


# --- the page --------------------------------------------------------------------------------------------------


def test_page_draws_accessible_svg_charts_beside_the_tables(world, np_analyst):
    response = _client(np_analyst).get(f"{URL}?{Q1}")

    content = response.content.decode()
    assert content.count("<svg") == 4  # crossing points, months, outcomes, age bands
    assert content.count('role="img"') == 4
    assert '<title id="chart-stations-title">Interceptions by crossing point</title>' in content
    assert "<script" not in content.split("</head>")[1]  # no chart library
    assert "http://" not in content.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in content
    assert 'data-label="Crossing point">Rani</td>' in content
    assert "January 2026 to March 2026" in content


def test_default_period_is_the_last_twelve_months(np_analyst, rani, np_transit_home, np_monitor):
    from django.utils import timezone

    now = timezone.now()
    Interception.objects.create(number="NP-INT-T-now", station=rani, district=rani.district,
                                organisation=np_transit_home, intercepted_at=now, checklist=checklist_current(),
                                created_by=np_monitor)  # fmt: skip
    Interception.objects.create(number="NP-INT-T-old", station=rani, district=rani.district,
                                organisation=np_transit_home, intercepted_at=now - dt.timedelta(days=400),
                                checklist=checklist_current(), created_by=np_monitor)  # fmt: skip

    response = _client(np_analyst).get(URL)

    assert response.status_code == 200
    h = response.context["h"]
    assert len(h.months) == 12 and h.months[-1].month == timezone.localdate().replace(day=1)
    assert h.interceptions == 1


def test_year_filter_and_bad_filters(world, np_analyst):
    client = _client(np_analyst)

    by_year = client.get(f"{URL}?year=2025")
    bad = client.get(f"{URL}?start=2026-13&end=2026-01")
    backwards = client.get(f"{URL}?start=2026-03&end=2026-01")
    too_long = client.get(f"{URL}?start=2020-01&end=2026-01")

    assert by_year.context["h"].interceptions == 1  # #6, on the last evening of 2025
    assert by_year.context["h"].filters.period == hotspots.Period(dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    assert "Give a month as YYYY-MM" in bad.content.decode()
    assert "The period ends before it starts." in backwards.content.decode()
    assert "Choose at most 60 months." in too_long.content.decode()
    assert len(bad.context["h"].months) == 12  # the default period, said so on the page


def test_station_and_outcome_filters_over_http(world, np_analyst, birgunj):
    response = _client(np_analyst).get(f"{URL}?{Q1}&station={birgunj.pk}&outcome=counselled")

    h = response.context["h"]
    assert h.interceptions == 1  # #4
    assert h.filters.station_id == birgunj.pk and h.filters.outcome == "counselled"


def test_page_costs_the_same_number_of_queries_however_much_data(world, np_focal_point, django_assert_max_num_queries):
    client = _client(np_focal_point)
    with django_assert_max_num_queries(25):
        client.get(f"{URL}?{Q1}")


# --- CSV ----------------------------------------------------------------------------------------------------


def _rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_of_one_table(world, np_analyst):
    response = _client(np_analyst).get(f"{URL}?{Q1}&format=csv&table=stations")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="setu-hotspots-stations-2026-01_2026-03.csv"'
    assert _rows(response.content) == [
        ["Crossing point", "Interceptions", "Share (%)"], ["Rani", "4", "66.7"], ["Birgunj", "2", "33.3"],
    ]  # fmt: skip
    event = AuditEvent.objects.get(action="interception.hotspots.export")
    assert event.actor_id == np_analyst.pk and event.fields == ["stations"]


def test_csv_of_several_tables_is_a_zip(world, np_analyst):
    response = _client(np_analyst).get(f"{URL}?{Q1}&format=csv&table=months&table=summary")

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["months.csv", "summary.csv"]
    assert _rows(archive.read("months.csv")) == [["Month", "Interceptions"], ["2026-01", "3"], ["2026-02", "2"],
                                                 ["2026-03", "1"]]  # fmt: skip
    summary = dict(_rows(archive.read("summary.csv"))[1:])
    assert summary["Interceptions"] == "6" and summary["People stopped"] == "8"
    assert summary["Suspects seen at more than one crossing point"] == "2"
    assert AuditEvent.objects.get(action="interception.hotspots.export").fields == ["months", "summary"]


def test_csv_without_a_table_gives_every_table(world, np_focal_point):
    response = _client(np_focal_point).get(f"{URL}?{Q1}&format=csv")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(f"{name}.csv" for name in hotspots.TABLES)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "Suspect One Rai" not in everything  # counts only, even for a reader of the interceptions
    assert "Traveller" not in everything


def test_csv_cells_that_look_like_formulas_are_quoted(world, np_analyst):
    response = _client(np_analyst).get(f"{URL}?{Q1}&format=csv&table=destinations")

    labels = [row[0] for row in _rows(response.content)[1:]]
    assert "'=Cmd|' /C Calc'!A0 (India)" in labels
    assert not any(label.startswith(("=", "+", "-", "@")) for label in labels)


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+977", "'+977"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("Rani", "Rani"), ("रानी", "रानी"), (7, 7), (-1, -1), (66.7, 66.7), (None, "")],
)  # fmt: skip
def test_csv_safe(value, safe):
    assert csv_safe(value) == safe


def test_unknown_table_or_bad_period_is_refused_and_not_exported(world, np_analyst):
    client = _client(np_analyst)

    unknown = client.get(f"{URL}?{Q1}&format=csv&table=names")
    bad = client.get(f"{URL}?start=nonsense&format=csv")

    assert unknown.status_code == 400 and "Unknown table: names" in unknown.content.decode()
    assert bad.status_code == 400
    assert not AuditEvent.objects.filter(action="interception.hotspots.export").exists()


# --- permission ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [URL, f"{URL}?format=csv", f"{URL}?format=csv&start=bad"])
def test_roles_without_hotspot_view_get_the_audited_404(world, np_caseworker, path):
    response = _client(np_caseworker).get(path)

    assert response.status_code == 404
    assert b"Rani" not in response.content
    denied = AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied")
    assert denied.count() == 1 and denied.get().action == "interception.hotspots"
    assert not AuditEvent.objects.filter(action="interception.hotspots.export").exists()


def test_the_link_is_in_the_menu_only_for_those_who_may_see_it(np_analyst, np_caseworker):
    assert 'href="/interceptions/hotspots/"' in _client(np_analyst).get(reverse("web:dashboard")).content.decode()
    assert (
        'href="/interceptions/hotspots/"' not in _client(np_caseworker).get(reverse("web:dashboard")).content.decode()
    )


# --- charts --------------------------------------------------------------------------------------------------


def test_bar_chart_scales_to_the_largest_and_keeps_a_sliver_for_small_counts():
    chart = hotspots.bar_chart([hotspots.Row("a", "A", 200), hotspots.Row("b", "B", 100), hotspots.Row("c", "C", 0)])

    widths = [float(bar.width) for bar in chart.bars]
    assert widths[0] == hotspots.CHART_WIDTH - 48 and widths[1] == widths[0] / 2 and widths[2] == 1
    assert chart.height == 3 * hotspots.BAR_ROW


def test_column_chart_labels_at_most_twelve_months():
    months = [hotspots.MonthRow(hotspots.add_months(dt.date(2022, 1, 1), n), n) for n in range(36)]

    chart = hotspots.column_chart(months)

    assert len(chart.bars) == 36 and len([month for _x, month, _year in chart.ticks if month]) == 12
    assert [year for _x, _month, year in chart.ticks if year] == ["2022", "2023", "2024"]
    assert float(chart.bars[-1].height) == 120 and float(chart.bars[0].height) == 0


# --- repeat detection in bulk (setu/interceptions/selectors.py, made fast for benchmarks/interceptions.py) ----------


def test_repeats_for_many_persons_at_once_are_what_one_at_a_time_gives(world, np_focal_point, np_monitor):
    from setu.interceptions import selectors

    persons = [world.s1, world.s2, world.s3, world.c1]
    for user in (np_focal_point, np_monitor):
        together = selectors._repeats(user, persons)
        for person, repeats in zip(persons, together, strict=True):
            alone = selectors.repeats_for(user, person)
            assert repeats.person == person
            assert [(s.interception, s.as_companion, s.is_suspect) for s in repeats.seen] == [
                (s.interception, s.as_companion, s.is_suspect) for s in alone.seen
            ]
            assert {(e.interception, e.person) for e in repeats.escorted} == {
                (e.interception, e.person) for e in alone.escorted
            }
    # The focal point reads every post's records: S1 at Rani and at Birgunj, with the girls stopped there.
    s1 = selectors.repeats_for(np_focal_point, world.s1)
    assert [seen.interception for seen in s1.seen] == [world.by_number[4], world.by_number[1]]
    assert {e.person.full_name for e in s1.escorted} == {"Traveller 1 16", "Traveller 1 19", "Traveller 4 12"}
    # The Morang monitor reads her post's only.
    assert [seen.interception for seen in selectors.repeats_for(np_monitor, world.s1).seen] == [world.by_number[1]]


def test_repeats_show_the_newest_twenty_of_a_busy_escort(world, np_focal_point, rani, np_transit_home):
    from setu.interceptions import selectors

    for day in range(25):
        interception = Interception.objects.create(
            number=f"NP-INT-T-busy-{day}", station=rani, district=rani.district, organisation=np_transit_home,
            intercepted_at=_at(2025, 6, 1 + day, 9), checklist=world.checklist, created_by=world.author,
        )  # fmt: skip
        Companion.objects.create(interception=interception, person=world.s1, is_suspect=True)

    repeats = selectors.repeats_for(np_focal_point, world.s1, exclude=world.by_number[4])

    assert len(repeats.seen) == selectors.REPEATS_SHOWN
    dates = [seen.interception.intercepted_at for seen in repeats.seen]
    assert dates == sorted(dates, reverse=True)
    assert repeats.seen[0].interception == world.by_number[1]  # #4 left out, as asked
    assert repeats.seen[-1].interception.number == "NP-INT-T-busy-6"  # the oldest five of June 2025 are cut
