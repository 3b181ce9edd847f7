"""The dashboards: counts, medians and rates for those who run the response, never a name (REPORT_VIEW).

One function per section, each a few GROUP BY queries over the records that REPORT_VIEW's scope reaches (a
frontline role: its organisation's and its districts'; a trainer: its organisation's; focal points and
analysts: the node's), narrowed by the filters (a period of whole months, an organisation, a district).
Where an app already computes a figure, it is called, not written again: the interceptions' counts come from
setu.interceptions.hotspots, the MLA requests by status and age from setu.mla.selectors.dashboard_for, the
training coverage from setu.training.selectors.coverage_for.

Which sections a user sees follows what her permissions make sense of: case figures for those who see cases
(and for node-wide readers of reports, the analysts), interceptions for those who see interceptions or
hotspots, missing persons for those who trace (and analysts), MLA requests for those who see them, training
coverage for those who see training. docs/reports.md says what each figure means and how it is computed.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import statistics
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, F, FloatField, Func, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.cases import choices as case_choices
from setu.cases.forms import stage_choices
from setu.cases.models import Case, StageRecord
from setu.cases.selectors import _scope_q as case_scope
from setu.core.charts import Chart, bar_chart, column_chart
from setu.geo.models import BorderPoint
from setu.interceptions import hotspots
from setu.interceptions.hotspots import Export, Period, to_csv
from setu.interceptions.selectors import _scope as interception_scope
from setu.tracing.models import CandidateStatus, MatchCandidate, MissingReport
from setu.tracing.models import Status as ReportStatus
from setu.tracing.selectors import report_scope

OBJECT_TYPE = "reports.dashboard"
# The SOP step that records a handover at the border as done (setu/cases/sop/v1.yaml, stage `handover`): the
# moment a survivor is repatriated. Its stage record's entry time is the handover's time.
HANDOVER_ACTION = "handover_confirmed"
# Time from rescue to handover, in days (the bands of the table under the chart).
HANDOVER_BANDS = ((0, 30, "< 30"), (30, 90, "30–90"), (90, 180, "90–180"), (180, 365, "180–365"), (365, None, "> 365"))


# --- the filters and the figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    period: Period
    organisation_id: int | None = None
    district_id: int | None = None

    def narrow(self, organisation: str = "organisation_id", district: str | None = "district_id") -> Q:
        """The organisation and district filters on a model whose fields are named as given."""
        where = Q()
        if self.organisation_id:
            where &= Q(**{organisation: self.organisation_id})
        if self.district_id and district:
            where &= Q(**{district: self.district_id})
        return where

    @property
    def narrowed(self) -> bool:
        return bool(self.organisation_id or self.district_id)


@dataclass(frozen=True)
class Item:
    """One bar: what is counted (`key` for machines, `label` for people) and the number drawn."""

    key: str
    label: str
    count: float


@dataclass
class Table:
    """A chart and its table of the same numbers; `name` is the CSV download's."""

    name: str
    title: str
    header: list[str]
    rows: list[list[object]]
    chart: Chart | None = None
    columns: bool = False  # one column a month, instead of horizontal bars
    note: str = ""

    @property
    def labelled_rows(self) -> list[list[tuple[str, object]]]:
        """Each cell with its column's heading (a narrow screen shows the table as labelled lines)."""
        return [list(zip(self.header, row, strict=True)) for row in self.rows]


@dataclass
class Dashboard:
    key: str
    title: str
    filters: Filters
    facts: list[tuple[str, object]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Which filters the section applies (the others do not fit its figures; the page says so).
    applies: tuple[str, ...] = ("period", "organisation", "district")
    note: str = ""

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


class DaysBetween(Func):
    """Days (with their fraction) from the second datetime to the first, computed by the database: the
    durations are then fetched as plain numbers, not as datetimes parsed one by one."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s))",
                           arg_joiner=") - julianday(", **extra)  # fmt: skip

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
                           arg_joiner=" - ", **extra)  # fmt: skip


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def percentile_90(values: list[float]) -> float | None:
    """The 90th percentile by the nearest-rank method: the smallest value with 90 % of the values at or below
    it (a value that really occurred, not an interpolation)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[math.ceil(0.9 * len(ordered)) - 1], 1)


@dataclass(frozen=True)
class Durations:
    count: int
    median: float
    p90: float


def stage_durations(records: QuerySet[StageRecord]) -> dict[str, Durations]:
    """Per stage: how many of `records` (stages left), and the median and 90th percentile of their days, as
    `median` and `percentile_90` compute them, but ranked by the database: only the middle and the 90th
    percentile rows of each stage come back, not every duration (100,000 cases have some 600,000 stage
    records). The middle ranks r of n rows are those with n <= 2r <= n + 2 (one when n is odd, two when it is
    even); the nearest rank of the 90th percentile is the r with 10(r - 1) < 9n <= 10r."""
    days = DaysBetween(F("left_at"), F("entered_at"))
    ranked = records.annotate(
        days=days,
        rank=Window(RowNumber(), partition_by=[F("stage")], order_by=[days.asc(), F("pk").asc()]),
        n=Window(Count("pk"), partition_by=[F("stage")]),
    )
    # In whole numbers (integer division on both databases): the middle ranks are (n + 1) div 2 and
    # (n + 2) div 2, the 90th percentile's is (9n + 9) div 10, that is ceil(0.9 n).
    middle = Q(rank=(F("n") + 1) / 2) | Q(rank=(F("n") + 2) / 2)
    ninetieth = Q(rank=(F("n") * 9 + 9) / 10)
    found: dict[str, dict] = {}
    for stage, rank, n, value in ranked.filter(middle | ninetieth).values_list("stage", "rank", "n", "days"):
        row = found.setdefault(stage, {"n": n, "middle": [], "p90": 0.0})
        if n <= 2 * rank <= n + 2:
            row["middle"].append(value)
        if 10 * (rank - 1) < 9 * n <= 10 * rank:
            row["p90"] = value
    return {stage: Durations(row["n"], round(sum(row["middle"]) / len(row["middle"]), 1), round(row["p90"], 1))
            for stage, row in found.items()}  # fmt: skip


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _dash(value: float | None) -> object:
    return "—" if value is None else value


def _month_bounds(period: Period) -> list[dt.date]:
    """The first day of every month of the period and of the month after it (for a date field)."""
    return [*period.months, hotspots.add_months(period.last, 1)]


def _months_table(name: str, title: str, counted: str, by_month: dict[int, int], period: Period) -> Table:
    months = hotspots.month_rows(by_month, period)
    return Table(
        name=name, title=title, header=[_("Month"), counted],
        rows=[[m.month.strftime("%Y-%m"), m.count] for m in months], chart=column_chart(months), columns=True,
    )  # fmt: skip


def _bars_table(name: str, title: str, header: list[str], items: list[Item], rows: list[list[object]]) -> Table:
    return Table(name=name, title=title, header=header, rows=rows, chart=bar_chart(items))


# --- cases: SOP compliance and repatriations ---------------------------------------------------------------


def _cases(user, filters: Filters) -> tuple[QuerySet[Case], bool]:
    """The cases REPORT_VIEW reaches, narrowed by the filters; and whether that is every case of the node."""
    scope = case_scope(user, Permission.REPORT_VIEW)
    cases = Case.objects.all() if scope is None else Case.objects.filter(scope)
    return cases.filter(filters.narrow()).order_by(), scope is None and not filters.narrowed


def _stage_records(user, filters: Filters) -> QuerySet[StageRecord]:
    cases, everything = _cases(user, filters)
    records = StageRecord.objects.all() if everything else StageRecord.objects.filter(case_id__in=cases.values("pk"))
    return records.order_by()


def _stages(*keys: str) -> list[tuple[str, str]]:
    """The stages in the SOP's order, in the reader's language, and any other key met (a retired stage)."""
    known = stage_choices()
    names = dict(known)
    return known + [(key, key) for key in sorted(set(keys) - set(names))]


def sop_dashboard(user, filters: Filters, now: dt.datetime) -> Dashboard:
    cases, _everything = _cases(user, filters)
    bounds = filters.period.bounds()
    open_by_stage = {
        row["stage"]: row
        for row in cases.filter(status__in=case_choices.OPEN_STATUSES)
        .values("stage")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)))
    }
    records = _stage_records(user, filters)
    done = records.filter(left_at__gte=bounds[0], left_at__lt=bounds[-1])
    durations = stage_durations(done)
    # Statutory clocks that ran out in the period (and by now): missed when the stage was left after its
    # deadline, or is not left yet.
    statutory = {
        row["stage"]: row
        for row in records.filter(deadline_kind="statutory", due_at__gte=bounds[0], due_at__lt=min(bounds[-1], now))
        .values("stage")
        .annotate(n=Count("pk"), missed=Count("pk", filter=Q(left_at__isnull=True) | Q(left_at__gt=F("due_at"))))
    }
    stages = _stages(*open_by_stage, *durations, *statutory)
    open_total = sum(row["n"] for row in open_by_stage.values())
    late_total = sum(row["late"] for row in open_by_stage.values())
    missed_total = sum(row["missed"] for row in statutory.values())
    clocks_total = sum(row["n"] for row in statutory.values())

    stage_h, open_h = _("Stage"), _("Open cases")
    open_rows = [(key, label, open_by_stage[key]) for key, label in stages if key in open_by_stage]
    timed = [(key, label, durations[key]) for key, label in stages if key in durations]
    clocks = [(key, label, statutory[key]) for key, label in stages if key in statutory]
    return Dashboard(
        key="sop", title=str(SECTIONS["sop"].title), filters=filters,
        facts=[
            (open_h, open_total),
            (_("Open cases past their stage's deadline"), late_total),
            (_("Overdue (%)"), percent(late_total, open_total)),
            (_("Stages completed in the period"), sum(d.count for d in durations.values())),
            (_("Statutory deadlines due in the period"), clocks_total),
            (_("Statutory deadlines missed"), missed_total),
        ],
        tables=[
            _bars_table("stages", _("Open cases by stage"), [stage_h, open_h],
                        [Item(k, label, r["n"]) for k, label, r in open_rows],
                        [[label, r["n"]] for _k, label, r in open_rows]),
            _bars_table("overdue", _("Overdue by stage (%)"), [stage_h, open_h, _("Overdue"), _("Overdue (%)")],
                        [Item(k, label, percent(r["late"], r["n"])) for k, label, r in open_rows],
                        [[label, r["n"], r["late"], percent(r["late"], r["n"])] for _k, label, r in open_rows]),
            _bars_table("durations", _("Days per stage (median)"),
                        [stage_h, _("Stages completed"), _("Median (days)"), _("90th percentile (days)")],
                        [Item(k, label, d.median) for k, label, d in timed],
                        [[label, d.count, d.median, d.p90] for _k, label, d in timed]),
            _bars_table("statutory", _("Statutory deadlines missed by stage"),
                        [stage_h, _("Deadlines due"), _("Missed"), _("Missed (%)")],
                        [Item(k, label, r["missed"]) for k, label, r in clocks],
                        [[label, r["n"], r["missed"], percent(r["missed"], r["n"])] for _k, label, r in clocks]),
        ],
        note=_("Open cases and overdue: as of now. Days per stage: stages left in the period. Statutory deadlines: "
               "those that fell due in the period."),
    )  # fmt: skip


def repatriation_dashboard(user, filters: Filters, now: dt.datetime) -> Dashboard:
    bounds = filters.period.bounds()
    handovers = (
        _stage_records(user, filters)
        .filter(action=HANDOVER_ACTION, entered_at__gte=bounds[0], entered_at__lt=bounds[-1])
        .annotate(month=hotspots.month_index(bounds, "entered_at"),
                  days=DaysBetween(F("entered_at"), F("case__identified_at")))
        .values_list("month", "days", "case__is_minor")
    )  # fmt: skip
    by_month: dict[int, int] = defaultdict(int)
    days: dict[bool, list[float]] = {True: [], False: []}
    for month, took, minor in handovers:
        by_month[month] += 1
        days[minor].append(took)
    every = days[True] + days[False]
    bands = [
        Item(label, label, sum(1 for d in every if d >= low and (high is None or d < high)))
        for low, high, label in HANDOVER_BANDS
    ]
    count, med, p90 = _("Repatriations"), _("Median (days)"), _("90th percentile (days)")
    ages = [(_("Children"), days[True]), (_("Adults"), days[False]), (_("All"), every)]
    return Dashboard(
        key="repatriation", title=str(SECTIONS["repatriation"].title), filters=filters,
        facts=[(count, len(every)), (_("Median days from rescue to handover"), _dash(median(every))),
               (_("90th percentile (days)"), _dash(percentile_90(every)))],
        tables=[
            _months_table("months", _("Repatriations by month"), count, by_month, filters.period),
            _bars_table("time", _("Days from rescue to handover"), [_("Days"), count], bands,
                        [[b.label, b.count] for b in bands]),
            Table(name="ages", title=_("Days from rescue to handover, children and adults"),
                  header=[_("Survivors"), count, med, p90],
                  rows=[[label, len(v), _dash(median(v)), _dash(percentile_90(v))] for label, v in ages]),
        ],
        note=_("A repatriation is a handover at the border recorded as done; its month is the handover's. Time "
               "is counted from the rescue or identification to the handover."),
    )  # fmt: skip


# --- interceptions -------------------------------------------------------------------------------------------


def interceptions_dashboard(user, filters: Filters, now: dt.datetime) -> Dashboard:
    scope = interception_scope(user, Permission.REPORT_VIEW)
    assert scope is not None  # noqa: S101 - REPORT_VIEW is required before a section is built
    where = scope & hotspots._where(hotspots.Filters(period=filters.period)) & filters.narrow()
    cube = hotspots.interception_cube(where, filters.period)
    names = {p.pk: p.name for p in BorderPoint.objects.filter(pk__in=sorted(cube.by_station))}
    stations = hotspots.station_rows(cube.by_station, names)
    outcomes = hotspots.outcome_rows(cube.by_outcome)
    count, share = _("Interceptions"), _("Share (%)")
    return Dashboard(
        key="interceptions", title=str(SECTIONS["interceptions"].title), filters=filters,
        facts=[(count, cube.total), (_("Crossing points"), len(stations))],
        tables=[
            _bars_table("stations", _("Interceptions by crossing point"), [_("Crossing point"), count, share],
                        [Item(r.key, r.label, r.count) for r in stations],
                        [[r.label, r.count, round(r.share * 100, 1)] for r in stations]),
            _months_table("months", _("Interceptions by month"), count, cube.by_month, filters.period),
            _bars_table("outcomes", _("Interceptions by outcome"), [_("Outcome"), count, share],
                        [Item(r.key, r.label, r.count) for r in outcomes],
                        [[r.label, r.count, round(r.share * 100, 1)] for r in outcomes]),
        ],
    )  # fmt: skip


# --- missing persons and matching --------------------------------------------------------------------------


def missing_dashboard(user, filters: Filters, now: dt.datetime) -> Dashboard:
    scope = report_scope(user, Permission.REPORT_VIEW)
    assert scope is not None  # noqa: S101 - REPORT_VIEW is required before a section is built
    bounds = _month_bounds(filters.period)
    reports = MissingReport.objects.filter(
        scope, filters.narrow(district="last_seen_district_id"), reported_on__gte=bounds[0], reported_on__lt=bounds[-1]
    ).order_by()
    by_month: dict[int, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    cells = reports.annotate(month=hotspots.month_index(bounds, "reported_on")).values("month", "status")
    for cell in cells.annotate(n=Count("pk")).order_by():
        by_month[cell["month"]] += cell["n"]
        by_status[cell["status"]] += cell["n"]
    total = sum(by_status.values())
    candidates = MatchCandidate.objects.filter(report__in=reports.values("pk")).order_by()
    by_candidate = dict(candidates.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    with_candidate = candidates.values("report_id").distinct().count()
    confirmed = candidates.filter(status=CandidateStatus.CONFIRMED).values("report_id").distinct().count()
    decided = by_candidate.get(CandidateStatus.CONFIRMED, 0) + by_candidate.get(CandidateStatus.REJECTED, 0)

    report_h, share = _("Missing-person reports"), _("Share (%)")
    statuses = [Item(v, str(label), by_status.get(v, 0)) for v, label in ReportStatus.choices]
    matching = [
        Item("reports", _("Reports in the period"), total),
        Item("candidates", _("With a possible match"), with_candidate),
        Item("confirmed", _("With a confirmed match"), confirmed),
        Item("found", _("Found"), by_status.get(ReportStatus.FOUND, 0)),
    ]
    kinds = [Item(v, str(label), by_candidate.get(v, 0)) for v, label in CandidateStatus.choices]
    return Dashboard(
        key="missing", title=str(SECTIONS["missing"].title), filters=filters,
        facts=[(report_h, total), (_("Match rate (%)"), percent(confirmed, total)),
               (_("Possible matches confirmed (%)"), percent(by_candidate.get(CandidateStatus.CONFIRMED, 0), decided))],
        tables=[
            _months_table("months", _("Missing-person reports by month"), report_h, by_month, filters.period),
            _bars_table("status", _("Reports by status"), [_("Status"), report_h, share], statuses,
                        [[i.label, i.count, percent(int(i.count), total)] for i in statuses]),
            _bars_table("matching", _("Reports and their matches"), [report_h, _("Number"), share], matching,
                        [[i.label, i.count, percent(int(i.count), total)] for i in matching]),
            _bars_table("candidates", _("Possible matches by review"), [_("Review"), _("Possible matches")], kinds,
                        [[i.label, i.count] for i in kinds]),
        ],
        note=_("Reports made in the period (by the date reported); the district is where she was last seen. The "
               "match rate is the share of those reports with a match confirmed by a reviewer."),
    )  # fmt: skip


# --- MLA requests and training coverage: the apps' own figures -----------------------------------------------


def mla_dashboard(user, filters: Filters, now: dt.datetime) -> Dashboard:
    from setu.mla.selectors import dashboard_for

    mla = dashboard_for(user, today=timezone.localdate(now))
    requests = _("Open requests")
    statuses = [Item(value, label, n) for value, label, n in mla.by_status]
    ages = [Item(label, label, out + inc) for label, out, inc in mla.by_age]
    return Dashboard(
        key="mla", title=str(SECTIONS["mla"].title), filters=filters,
        facts=[(requests, mla.open_total), (_("Deadlines overdue"), len(mla.overdue))],
        tables=[
            _bars_table("status", _("Open requests by status"), [_("Status"), requests], statuses,
                        [[i.label, i.count] for i in statuses]),
            _bars_table("age", _("Open requests by age (days)"),
                        [_("Age (days)"), _("Outgoing"), _("Incoming"), requests], ages,
                        [[label, out, inc, out + inc] for label, out, inc in mla.by_age]),
        ],
        applies=(),
        note=_("The requests open today, by how long since they were sent (outgoing) or received (incoming). The "
               "period, organisation and district do not apply."),
    )  # fmt: skip


def training_dashboard(user, filters: Filters, now: dt.datetime) -> Dashboard:
    from setu.training.selectors import CoverageRow, coverage_for

    years = range(filters.period.first.year, filters.period.last.year + 1)
    merged: dict[str, dict[tuple[str, str], CoverageRow]] = {"organisation": {}, "designation": {}}
    total = CoverageRow(country="", label="")
    for year in years:
        coverage = coverage_for(user, year=year)
        for kind, rows in (("organisation", coverage.by_organisation), ("designation", coverage.by_designation)):
            for row in rows:
                into = merged[kind].setdefault((row.country, row.label), CoverageRow(row.country, row.label))
                _add(into, row)
        _add(total, coverage.total)
    header = [_("Country"), "", _("Participants"), _("Completed"), _("Certified"), _("Women")]
    tables = []
    for kind, title, what in (("organisation", _("Training coverage by organisation"), _("Organisation")),
                              ("designation", _("Training coverage by designation"), _("Designation"))):  # fmt: skip
        rows = sorted(merged[kind].values(), key=lambda r: (r.country, -r.completed, r.label.lower()))
        tables.append(
            _bars_table(
                kind, title, [header[0], what, *header[2:]],
                [Item(f"{r.country}|{r.label}", f"{r.label} ({r.country})" if r.country else r.label, r.completed)
                 for r in rows],
                [[r.country, r.label, r.participants, r.completed, r.certified, r.women] for r in rows],
            )
        )  # fmt: skip
    return Dashboard(
        key="training", title=str(SECTIONS["training"].title), filters=filters,
        facts=[(_("Participants"), total.participants), (_("Completed"), total.completed),
               (_("Completed (%)"), percent(total.completed, total.participants)), (_("Certified"), total.certified),
               (_("Women"), total.women)],
        tables=tables,
        applies=("period",),
        note=_("Programmes starting in the calendar years the period touches, in both countries. A participant "
               "completed a programme when she attended the sessions it requires. The bars show those who completed."),
    )  # fmt: skip


def _add(into, row) -> None:
    into.participants += row.participants
    into.completed += row.completed
    into.certified += row.certified
    into.women += row.women


# --- which sections, for whom ----------------------------------------------------------------------------------


def _sees_cases(user) -> bool:
    return policy.has_permission(user, Permission.CASE_VIEW) or policy.grants(user, Permission.REPORT_VIEW).node_wide


def _traces(user) -> bool:
    return policy.has_permission(user, Permission.TRACING_VIEW) or policy.grants(user, Permission.REPORT_VIEW).node_wide


def _sees_interceptions(user) -> bool:
    return policy.has_permission(user, Permission.HOTSPOT_VIEW) or policy.has_permission(
        user, Permission.INTERCEPTION_VIEW
    )


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    summary: Promise
    may_see: Callable[[object], bool]
    build: Callable[[object, Filters, dt.datetime], Dashboard]


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section("sop", gettext_lazy("SOP compliance"),
                gettext_lazy("Cases per stage, days per stage, overdue cases and statutory deadlines missed."),
                _sees_cases, sop_dashboard),
        Section("repatriation", gettext_lazy("Repatriations"),
                gettext_lazy("Handovers at the border by month, and the time from rescue to handover."),
                _sees_cases, repatriation_dashboard),
        Section("interceptions", gettext_lazy("Interceptions"),
                gettext_lazy("Interceptions by crossing point, by month and by outcome."),
                _sees_interceptions, interceptions_dashboard),
        Section("missing", gettext_lazy("Missing persons"),
                gettext_lazy("Missing-person reports, their status, and how many were matched."),
                _traces, missing_dashboard),
        Section("mla", gettext_lazy("Mutual legal assistance"),
                gettext_lazy("Open MLA requests by status and by age."),
                lambda user: policy.has_permission(user, Permission.MLA_VIEW), mla_dashboard),
        Section("training", gettext_lazy("Training coverage"),
                gettext_lazy("Who was trained, by organisation and designation, in both countries."),
                lambda user: policy.has_permission(user, Permission.TRAINING_VIEW), training_dashboard),
    )
}  # fmt: skip


def sections_for(user) -> list[Section]:
    """The sections the user may open; REPORT_VIEW first (else the audited 404)."""
    policy.require(user, Permission.REPORT_VIEW, object_type=OBJECT_TYPE)
    return [section for section in SECTIONS.values() if section.may_see(user)]


def dashboard_for(user, key: str, filters: Filters, *, now: dt.datetime | None = None) -> Dashboard:
    """One section's figures for `filters`, over the records REPORT_VIEW reaches. A section the user may not
    see, or that does not exist, is the audited 404."""
    policy.require(user, Permission.REPORT_VIEW, object_type=OBJECT_TYPE, object_id=key[:64])
    section = SECTIONS.get(key)
    if section is None or not section.may_see(user):
        policy.deny(user, Permission.REPORT_VIEW.value, object_type=OBJECT_TYPE, object_id=key[:64])
    return section.build(user, filters, now or timezone.now())


# --- CSV ---------------------------------------------------------------------------------------------------


def _filters_table(dashboard: Dashboard, labels: dict[str, str]) -> list[list[object]]:
    period = dashboard.filters.period
    return [
        [_("From (month)"), period.first.strftime("%Y-%m")],
        [_("To (month)"), period.last.strftime("%Y-%m")],
        [_("Organisation"), labels.get("organisation", _("All"))],
        [_("District"), labels.get("district", _("All"))],
        *[[label, value] for label, value in dashboard.facts],
    ]


def dashboard_export(
    *, actor, keys: list[str], filters: Filters, tables: list[str], labels: dict[str, str] | None = None
) -> Export:
    """The figures as CSV, counts only: one table as a .csv file, several (or every section the user may see)
    as a .zip of them. Audited. An unknown table is a ValidationError and nothing is sent."""
    now = timezone.now()
    dashboards = [dashboard_for(actor, key, filters, now=now) for key in keys]
    files: dict[str, str] = {}
    for dashboard in dashboards:
        known = ["summary", *(t.name for t in dashboard.tables)]
        wanted = list(dict.fromkeys(tables)) or known
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ValidationError(
                _("Unknown table: %(names)s. Choose from %(known)s.")
                % {"names": ", ".join(unknown)[:200], "known": ", ".join(known)}
            )
        for name in wanted:
            if name == "summary":
                content = to_csv([_("Figure"), _("Value")], _filters_table(dashboard, labels or {}))
            else:
                table = dashboard.table(name)
                content = to_csv(table.header, table.rows)
            files[f"{dashboard.key}-{name}"] = content
    audit_record(actor=actor, action="report.dashboard.export", object_type=OBJECT_TYPE, fields=sorted(files))
    period = f"{filters.period.first:%Y-%m}_{filters.period.last:%Y-%m}"
    if len(files) == 1:
        name, content = next(iter(files.items()))
        return Export(f"setu-{name}-{period}.csv", "text/csv; charset=utf-8", content.encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{name}.csv", content.encode())
    label = keys[0] if len(keys) == 1 else "dashboards"
    return Export(f"setu-{label}-{period}.zip", "application/zip", buffer.getvalue())
