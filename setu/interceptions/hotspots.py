"""Hotspots: where, when and how people are stopped at the border, for those who decide where to post
monitors and what to watch for (Permission.HOTSPOT_VIEW).

Counts only: interceptions by crossing point, month, outcome and route, people stopped by age band (CTDC's
bands), and how many suspects were seen at more than one crossing point. The one list with names, those
suspects with their stations and dates, is shown only to users who may read the interceptions it is built
from (INTERCEPTION_VIEW): an analyst gets the number, never a name.

Months are the node's calendar months (settings.TIME_ZONE). Each table is one GROUP BY over the period's
interceptions (crossing point, month and outcome share one); the month of a row is a CASE over the month
boundaries, plain comparisons on both databases (Django's date truncation on SQLite calls back into Python for
every row). With 500,000 interceptions the page takes under a second (benchmarks/interceptions.py).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Max, Min, Q, Value, When
from django.db.models.functions import Lower, Trim
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.charts import BAR_ROW, CHART_WIDTH, bar_chart, column_chart  # noqa: F401 - the page draws with them
from setu.core.http import attachment
from setu.core.spreadsheet import csv_text
from setu.geo.models import BorderPoint, District
from setu.interceptions.models import AgeBand, Companion, InterceptedPerson, Interception, Outcome
from setu.interceptions.selectors import _scope
from setu.people.models import Nationality, Person

OBJECT_TYPE = "interceptions.hotspots"
DEFAULT_MONTHS = 12
MAX_MONTHS = 60
ROUTES_SHOWN = 20
DESTINATIONS_SHOWN = 15
SUSPECTS_SHOWN = 100


# --- the period --------------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """How many months from `first`'s month to `last`'s, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class Period:
    """Whole months, from `first`'s month to `last`'s, both included."""

    first: dt.date
    last: dt.date

    @classmethod
    def last_months(cls, count: int = DEFAULT_MONTHS, *, today: dt.date | None = None) -> Period:
        """The `count` months up to and including this one (the page's default)."""
        this_month = month_start(today or timezone.localdate())
        return cls(first=add_months(this_month, 1 - count), last=this_month)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(first=dt.date(year, 1, 1), last=dt.date(year, 12, 1))

    @property
    def months(self) -> list[dt.date]:
        return [add_months(self.first, n) for n in range(months_between(self.first, self.last))]

    def bounds(self) -> list[dt.datetime]:
        """The start of every month and the end of the last, as moments in the node's time zone."""
        zone = timezone.get_default_timezone()
        return [dt.datetime(m.year, m.month, 1, tzinfo=zone) for m in [*self.months, add_months(self.last, 1)]]


@dataclass(frozen=True)
class Filters:
    period: Period
    station_id: int | None = None
    outcome: str = ""


def _where(filters: Filters, *, with_station: bool = True) -> Q:
    bounds = filters.period.bounds()
    where = Q(intercepted_at__gte=bounds[0], intercepted_at__lt=bounds[-1])
    if with_station and filters.station_id:
        where &= Q(station_id=filters.station_id)
    if filters.outcome:
        where &= Q(outcome=filters.outcome)
    return where


def _prefixed(q: Q, prefix: str) -> Q:
    """The same condition on Interception, asked from a table that points to it (`interception__`): a join,
    the right plan for counting the rows of a period."""
    children: list = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:
            lookup, value = child  # type: ignore[misc]
            children.append((prefix + lookup, value))
    return Q(*children, _connector=q.connector, _negated=q.negated)


# --- the figures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a table: what is counted (`key` for machines, `label` for people) and how many."""

    key: str
    label: str
    count: int
    share: float = 0.0  # of the table's total, 0..1


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    count: int


@dataclass(frozen=True)
class Route:
    from_district: str
    station: str
    destination_country: str
    onward_country: str
    count: int


@dataclass(frozen=True)
class StationSeen:
    station: str
    times: int
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class SuspectSeen:
    """A suspect seen at more than one crossing point: where, how often, first and last."""

    person: Person
    interceptions: int
    stations: list[StationSeen]


@dataclass
class Hotspots:
    filters: Filters
    interceptions: int
    persons: int
    stations: list[Row]
    months: list[MonthRow]
    outcomes: list[Row]
    age_bands: list[Row]
    routes: list[Route]
    routes_other: int  # interceptions on the routes not shown
    destinations: list[Row]
    suspects_count: int  # seen at two crossing points or more, in the period
    # The names, for a user who may read the interceptions they come from; None for anyone else.
    suspects: list[SuspectSeen] | None = None
    suspects_elsewhere: int = 0  # counted above, but seen at interceptions this user may not read
    notes: list[str] = field(default_factory=list)


def _country(code: str) -> str:
    if not code:
        return _("Not recorded")
    return str(dict(Nationality.choices).get(code, code))


def _with_shares(rows: list[Row], total: int | None = None) -> list[Row]:
    """The rows with their share of `total` (by default, of the rows' own sum)."""
    total = sum(row.count for row in rows) if total is None else total
    return [Row(row.key, row.label, row.count, row.count / total if total else 0.0) for row in rows]


def month_index(bounds: list[dt.datetime] | list[dt.date], field_name: str = "intercepted_at") -> Case:
    """The number of a row's month in the period (0 for the first), computed in SQL from `field_name` (a
    datetime with Period.bounds(), or a date with the months' first days)."""
    whens = [When(**{f"{field_name}__lt": bound}, then=Value(index)) for index, bound in enumerate(bounds[1:-1])]
    return Case(*whens, default=Value(len(bounds) - 2), output_field=IntegerField())


@dataclass(frozen=True)
class Cube:
    """Interceptions by crossing point, by outcome and by month (the month's index in the period)."""

    by_station: dict[int, int]
    by_outcome: dict[str, int]
    by_month: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.by_station.values())


def interception_cube(where: Q, period: Period) -> Cube:
    """Crossing point x outcome x month in one pass over the interceptions matching `where` (which must hold
    the period); the three tables are its margins. Shared by the hotspots page and the reports' dashboard."""
    by_station: dict[int, int] = defaultdict(int)
    by_outcome: dict[str, int] = defaultdict(int)
    by_month: dict[int, int] = defaultdict(int)
    cube = (
        Interception.objects.filter(where)
        .order_by()
        .annotate(month_index=month_index(period.bounds()))
        .values("station_id", "outcome", "month_index")
    )
    for cell in cube.annotate(n=Count("pk")).order_by():
        by_station[cell["station_id"]] += cell["n"]
        by_outcome[cell["outcome"]] += cell["n"]
        by_month[cell["month_index"]] += cell["n"]
    return Cube(dict(by_station), dict(by_outcome), dict(by_month))


def station_rows(by_station: dict[int, int], names: dict[int, str]) -> list[Row]:
    """Crossing points, the busiest first, with their shares."""
    return _with_shares(
        sorted(
            (Row(str(pk), names.get(pk, "?"), n) for pk, n in by_station.items()),
            key=lambda row: (-row.count, row.label),
        )
    )


def outcome_rows(by_outcome: dict[str, int]) -> list[Row]:
    """Every outcome, in the order of Outcome, with its share."""
    return _with_shares([Row(value, str(label), by_outcome.get(value, 0)) for value, label in Outcome.choices])


def month_rows(by_month: dict[int, int], period: Period) -> list[MonthRow]:
    return [MonthRow(month, by_month.get(index, 0)) for index, month in enumerate(period.months)]


def hotspots_for(user, filters: Filters) -> Hotspots:
    """The figures for `filters`, over the interceptions the user's HOTSPOT_VIEW reaches (the node's, for
    every role that holds it). Without the permission: the audited 404."""
    policy.require(user, Permission.HOTSPOT_VIEW, object_type=OBJECT_TYPE)
    scope = _scope(user, Permission.HOTSPOT_VIEW)
    assert scope is not None  # noqa: S101 - required above
    where = scope & _where(filters)
    interceptions = Interception.objects.filter(where).order_by()
    cube = interception_cube(where, filters.period)
    by_station, total = cube.by_station, cube.total

    ages = dict(
        InterceptedPerson.objects.filter(_prefixed(where, "interception__"))
        .values("age_band")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("age_band", "n")
    )
    route_rows = list(
        interceptions.values("from_district_id", "station_id", "destination_country", "onward_country")
        .annotate(n=Count("pk"))
        .order_by("-n", "station_id", "from_district_id", "destination_country", "onward_country")[:ROUTES_SHOWN]
    )
    place_rows = list(
        interceptions.annotate(place=Lower(Trim("destination")))
        .values("place", "destination_country")
        .annotate(n=Count("pk"))
        .order_by("-n", "place", "destination_country")[:DESTINATIONS_SHOWN]
    )

    station_ids = set(by_station) | {r["station_id"] for r in route_rows}
    station_names = {p.pk: p.name for p in BorderPoint.objects.filter(pk__in=sorted(station_ids))}
    district_ids = {r["from_district_id"] for r in route_rows if r["from_district_id"]}
    district_names = {d.pk: d.name for d in District.objects.filter(pk__in=sorted(district_ids))}
    not_recorded = _("Not recorded")

    stations = station_rows(by_station, station_names)
    outcomes = outcome_rows(cube.by_outcome)
    age_bands = _with_shares([Row(value, str(label), ages.get(value, 0)) for value, label in AgeBand.choices])
    routes = [
        Route(
            from_district=district_names.get(r["from_district_id"], not_recorded),
            station=station_names.get(r["station_id"], "?"),
            destination_country=_country(r["destination_country"]),
            onward_country=_country(r["onward_country"]) if r["onward_country"] else "",
            count=r["n"],
        )
        for r in route_rows
    ]
    destinations = _with_shares(
        [
            Row(f"{r['place']}|{r['destination_country']}",
                f"{r['place'].title() if r['place'] else not_recorded} ({_country(r['destination_country'])})",
                r["n"])
            for r in place_rows
        ],
        total,
    )  # fmt: skip
    result = Hotspots(
        filters=filters,
        interceptions=total,
        persons=sum(ages.values()),
        stations=stations,
        months=month_rows(cube.by_month, filters.period),
        outcomes=outcomes,
        age_bands=age_bands,
        routes=routes,
        routes_other=total - sum(route.count for route in routes),
        destinations=destinations,
        suspects_count=0,
    )
    everyone = _suspects(scope, filters)
    result.suspects_count = len(everyone)
    reading = _scope(user, Permission.INTERCEPTION_VIEW)
    if reading is not None:
        # Names only from the interceptions the user may read, and only if those alone show two crossing points.
        visible = everyone if not reading.children else _suspects(scope & reading, filters)
        result.suspects = _suspects_seen(scope & reading, filters, visible[:SUSPECTS_SHOWN])
        result.suspects_elsewhere = len(everyone) - len(visible)
    return result


def _suspects(scope: Q, filters: Filters) -> list[dict]:
    """Suspects (person_id, stations, times) seen at two crossing points or more among the period's
    interceptions in `scope`, the most widely seen first; with a station chosen, those seen there and somewhere
    else. All of them (hundreds at most): counted and listed from one query."""
    where = _prefixed(scope & _where(filters, with_station=False), "interception__")
    seen = Companion.objects.filter(where, is_suspect=True)
    found = seen.values("person_id").annotate(
        stations=Count("interception__station_id", distinct=True), times=Count("interception_id", distinct=True)
    )
    found = found.filter(stations__gte=2)
    if filters.station_id:
        found = found.filter(person_id__in=seen.filter(interception__station_id=filters.station_id).values("person_id"))
    return list(found.order_by("-stations", "-times", "person_id"))


def _suspects_seen(scope: Q, filters: Filters, top: list[dict]) -> list[SuspectSeen]:
    if not top:
        return []
    ids = [row["person_id"] for row in top]
    where = _prefixed(scope & _where(filters, with_station=False), "interception__")
    visits = (
        Companion.objects.filter(where, is_suspect=True, person_id__in=ids)
        .values("person_id", "interception__station_id")
        .annotate(times=Count("interception_id", distinct=True), first=Min("interception__intercepted_at"),
                  last=Max("interception__intercepted_at"))
        .order_by()
    )  # fmt: skip
    by_person: dict[int, list[dict]] = defaultdict(list)
    for visit in visits:
        by_person[visit["person_id"]].append(visit)
    names = {p.pk: p.name for p in BorderPoint.objects.filter(pk__in={v["interception__station_id"] for v in visits})}
    persons = Person.objects.in_bulk(ids)
    return [
        SuspectSeen(
            person=persons[row["person_id"]],
            interceptions=row["times"],
            stations=sorted(
                (
                    StationSeen(
                        station=names.get(v["interception__station_id"], "?"),
                        times=v["times"],
                        first=timezone.localdate(v["first"]),
                        last=timezone.localdate(v["last"]),
                    )
                    for v in by_person[row["person_id"]]
                ),
                key=lambda seen: (-seen.times, seen.station),
            ),
        )
        for row in top
    ]


def hotspots_read_audit(user, result: Hotspots) -> None:
    """Reading the suspects' names is a read of identities: audited. The counts alone are not."""
    if result.suspects:
        audit_record(actor=user, action="interception.hotspots.suspects", object_type=OBJECT_TYPE,
                     fields=["suspects"])  # fmt: skip


# --- CSV ---------------------------------------------------------------------------------------------------

TABLES = {
    "summary": gettext_lazy("Summary"),
    "stations": gettext_lazy("By crossing point"),
    "months": gettext_lazy("By month"),
    "outcomes": gettext_lazy("By outcome"),
    "age_bands": gettext_lazy("People stopped by age band"),
    "routes": gettext_lazy("Routes"),
    "destinations": gettext_lazy("Destinations"),
}


def _table(result: Hotspots, name: str, station_label: str) -> tuple[list[str], list[list[object]]]:
    count, share = _("Interceptions"), _("Share (%)")
    people = _("People stopped")
    if name == "summary":
        filters = result.filters
        rows: list[list[object]] = [
            [_("From (month)"), filters.period.first.strftime("%Y-%m")],
            [_("To (month)"), filters.period.last.strftime("%Y-%m")],
            [_("Crossing point"), station_label],
            [_("Outcome"), str(dict(Outcome.choices).get(filters.outcome, _("All")))],
            [count, result.interceptions],
            [people, result.persons],
            [_("Suspects seen at more than one crossing point"), result.suspects_count],
        ]
        return [_("Figure"), _("Value")], rows
    if name == "stations":
        return [_("Crossing point"), count, share], [
            [r.label, r.count, round(r.share * 100, 1)] for r in result.stations
        ]
    if name == "months":
        return [_("Month"), count], [[m.month.strftime("%Y-%m"), m.count] for m in result.months]
    if name == "outcomes":
        return [_("Outcome"), count, share], [[r.label, r.count, round(r.share * 100, 1)] for r in result.outcomes]
    if name == "age_bands":
        return [_("Age band"), people, share], [[r.label, r.count, round(r.share * 100, 1)] for r in result.age_bands]
    if name == "routes":
        header = [_("Coming from (district)"), _("Crossing point"), _("Destination country"), _("Going on to"), count]
        rows = [[r.from_district, r.station, r.destination_country, r.onward_country, r.count] for r in result.routes]
        if result.routes_other:
            rows.append([_("Other routes"), "", "", "", result.routes_other])
        return header, rows
    return [_("Destination"), count, share], [[r.label, r.count, round(r.share * 100, 1)] for r in result.destinations]


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    """CSV text with a byte-order mark (a spreadsheet then reads Devanagari as UTF-8); every cell safe."""
    return csv_text(header, rows)


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    content: bytes

    def response(self) -> HttpResponse:
        """The file as a download, never sniffed into another type (the reports' dashboards send theirs so too)."""
        return attachment(HttpResponse(self.content, content_type=self.content_type), self.filename)


def hotspots_export(*, actor, filters: Filters, tables: list[str]) -> Export:
    """The figures as CSV: one table as a .csv file, several as a .zip of them. Audited; counts only, never a
    name (the suspects appear as their number). An unknown table is a ValidationError and nothing is sent."""
    result = hotspots_for(actor, filters)
    wanted = list(dict.fromkeys(tables)) or list(TABLES)
    unknown = [name for name in wanted if name not in TABLES]
    if unknown:
        raise ValidationError(
            _("Unknown table: %(names)s. Choose from %(known)s.")
            % {"names": ", ".join(unknown)[:200], "known": ", ".join(TABLES)}
        )
    station_label = _("All")
    if filters.station_id:
        station = BorderPoint.objects.filter(pk=filters.station_id).first()
        station_label = station.name if station else "?"
    period = f"{filters.period.first:%Y-%m}_{filters.period.last:%Y-%m}"
    files = {name: to_csv(*_table(result, name, station_label)).encode() for name in wanted}
    audit_record(actor=actor, action="interception.hotspots.export", object_type=OBJECT_TYPE, fields=wanted)
    if len(files) == 1:
        name, content = next(iter(files.items()))
        return Export(f"setu-hotspots-{name}-{period}.csv", "text/csv; charset=utf-8", content)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{name}.csv", content)
    return Export(f"setu-hotspots-{period}.zip", "application/zip", buffer.getvalue())
