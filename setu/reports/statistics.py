"""This node's bilateral statistics: a small, fixed set of aggregate tables for one calendar year, each
protected by setu.reports.kanon (k = 11) before anyone sees it or it leaves the node (docs/statistics.md).

Each table counts one population once, along two dimensions with fixed codes, so the two nodes' tables line
up on the joint page. Counts are taken over everything the node holds (statistics are node-wide: the
permission is `statistics.publish` at node scope), never over what one user may see.

| key | population (in the year) | rows | columns |
|---|---|---|---|
| survivors | survivor cases identified or rescued | CTDC age band at identification | sex |
| repatriations | cases closed as repatriated | quarter | child / adult when identified |
| interceptions | border interceptions | crossing point | outcome |
| missing | missing-person reports | quarter reported | status |
| mla | MLA requests (date of the letter) | direction | status |
| training | participants of this node's training programmes (first day) | country | sex |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import ExtractQuarter
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.enums import Gender
from setu.reports.kanon import K, protect_table
from setu.reports.models import Publication, ReceivedPublication

PUBLICATION_OBJECT = "reports.publication"
EARLIEST_YEAR = 2000

# Sex in four columns: the HTCDS values other than female, male and unknown are too few to count apart at
# any node of this size, and one column for them would only ever be suppressed.
SEXES = ("female", "male", "other", "unknown")
_SEX_OF = {Gender.FEMININE: "female", Gender.MASCULINE: "male", Gender.NOT_SPECIFIED: "unknown"}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def sex_code(value: str) -> str:
    return _SEX_OF.get(value, "other") if value else "unknown"  # type: ignore[call-overload]


def quarter_code(day: dt.date | dt.datetime) -> str:
    return QUARTERS[(day.month - 1) // 3]


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: Promise
    rows_label: Promise
    cols_label: Promise
    build: Callable[[int], tuple[list[str], list[str], list[list[int]]]]


def _crosstab(groups, rows: list[str], cols: list[str]) -> tuple[list[str], list[str], list[list[int]]]:
    """A table from (row code, column code, count) groups, counted by the database."""
    counts = [[0] * len(cols) for _row in rows]
    row_at, col_at = {r: i for i, r in enumerate(rows)}, {c: i for i, c in enumerate(cols)}
    for row, col, n in groups:
        counts[row_at[row]][col_at[col]] += n
    return rows, cols, counts


def _quarter(number: int) -> str:
    return QUARTERS[number - 1]


def counted_cases():
    """The survivor cases the tables count: all, except those whose survivor withdrew her consent to statistics
    and research and gave none again. Aggregates need no consent (they name no one), but a survivor who said
    she does not want her case counted is not counted."""
    from setu.cases.choices import ConsentPurpose
    from setu.cases.models import Case, Consent

    statistics_consents = Consent.objects.filter(case=OuterRef("pk"), purpose=ConsentPurpose.STATISTICS)
    withdrawn = Exists(statistics_consents.filter(withdrawn_at__isnull=False))
    live = Exists(statistics_consents.filter(withdrawn_at__isnull=True))
    return Case.objects.exclude(withdrawn & ~live)


def _survivors(year: int):
    from setu.interceptions.models import AgeBand, age_band

    groups = (counted_cases().filter(identified_at__year=year).values("age_at_identification", "survivor__gender")
              .annotate(n=Count("id")).values_list("age_at_identification", "survivor__gender", "n"))  # fmt: skip
    return _crosstab(((age_band(age), sex_code(gender), n) for age, gender, n in groups), list(AgeBand.values),
                     list(SEXES))  # fmt: skip


def _repatriations(year: int):
    from setu.cases.choices import ClosureReason

    groups = (counted_cases().filter(closure_reason=ClosureReason.REPATRIATED, closed_at__year=year)
              .values(q=ExtractQuarter("closed_at"), minor=F("is_minor")).annotate(n=Count("id"))
              .values_list("q", "minor", "n"))  # fmt: skip
    pairs = ((_quarter(q), "child" if minor else "adult", n) for q, minor, n in groups)
    return _crosstab(pairs, list(QUARTERS), ["child", "adult"])


def _interceptions(year: int):
    from setu.interceptions.models import Interception, Outcome

    groups = list(Interception.objects.filter(intercepted_at__year=year).values("station__name_en", "outcome")
                  .annotate(n=Count("id")).values_list("station__name_en", "outcome", "n"))  # fmt: skip
    stations = sorted({station for station, _outcome, _n in groups}) or ["-"]
    return _crosstab(groups, stations, list(Outcome.values))


def _missing(year: int):
    from setu.tracing.models import MissingReport, Status

    groups = (MissingReport.objects.filter(reported_on__year=year).values("status", q=ExtractQuarter("reported_on"))
              .annotate(n=Count("id")).values_list("q", "status", "n"))  # fmt: skip
    return _crosstab(((_quarter(q), status, n) for q, status, n in groups), list(QUARTERS), list(Status.values))


def _mla(year: int):
    from setu.mla.models import Direction, MlaRequest, Status

    groups = (MlaRequest.objects.filter(letter_date__year=year).values("direction", "status")
              .annotate(n=Count("id")).values_list("direction", "status", "n"))  # fmt: skip
    return _crosstab(groups, list(Direction.values), list(Status.values))


def _training(year: int):
    from setu.training.models import Country, Participant

    groups = (Participant.objects.filter(programme__starts_on__year=year).values("node", "sex")
              .annotate(n=Count("id")).values_list("node", "sex", "n"))  # fmt: skip
    return _crosstab(((node, sex_code(sex), n) for node, sex, n in groups), list(Country.values), list(SEXES))


TABLES: tuple[TableSpec, ...] = (
    TableSpec("survivors", gettext_lazy("Survivor cases by age band and sex"), gettext_lazy("Age band"),
              gettext_lazy("Sex"), _survivors),
    TableSpec("repatriations", gettext_lazy("Repatriations by quarter"), gettext_lazy("Quarter"),
              gettext_lazy("Child or adult when identified"), _repatriations),
    TableSpec("interceptions", gettext_lazy("Interceptions by crossing point and outcome"),
              gettext_lazy("Crossing point"), gettext_lazy("Outcome"), _interceptions),
    TableSpec("missing", gettext_lazy("Missing-person reports by quarter and status"), gettext_lazy("Quarter"),
              gettext_lazy("Status"), _missing),
    TableSpec("mla", gettext_lazy("Mutual legal assistance requests by direction and status"),
              gettext_lazy("Direction"), gettext_lazy("Status"), _mla),
    TableSpec("training", gettext_lazy("Training participants by country and sex"), gettext_lazy("Country"),
              gettext_lazy("Sex"), _training),
)  # fmt: skip
SPECS = {spec.key: spec for spec in TABLES}


def build_tables(year: int, *, k: int = K) -> list[dict]:
    """Every table for `year`, protected: what may be shown and published. The raw counts do not leave."""
    tables = []
    for spec in TABLES:
        rows, cols, counts = spec.build(year)
        protected = protect_table(counts, k=k)
        tables.append({
            "key": spec.key, "rows": rows, "cols": cols, "cells": protected.cells,
            "row_totals": protected.row_totals, "col_totals": protected.col_totals, "total": protected.total,
        })  # fmt: skip
    return tables


def suppressed_count(tables: list[dict]) -> int:
    count = 0
    for table in tables:
        cells = [value for row in table["cells"] for value in row]
        cells += [*table["row_totals"], *table["col_totals"], table["total"]]
        count += sum(1 for value in cells if value is None)
    return count


# --- access ----------------------------------------------------------------------------------------------------


def may_publish(user) -> bool:
    return policy.grants(user, Permission.STATISTICS_PUBLISH).node_wide


def require_publish(user) -> None:
    if not may_publish(user):
        policy.deny(user, Permission.STATISTICS_PUBLISH.value, object_type=PUBLICATION_OBJECT)


def check_year(year) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": [_("Enter a year, such as 2026.")]}) from None
    if not EARLIEST_YEAR <= value <= timezone.localdate().year:
        raise ValidationError({"year": [_("Choose a year from %(first)s to this year.") % {"first": EARLIEST_YEAR}]})
    return value


# --- writing ---------------------------------------------------------------------------------------------------


def statistics_publish(*, actor, year, now: dt.datetime | None = None) -> Publication:
    """Publish this node's statistics for `year`: the protected tables are stored and, when the other node is
    registered, sent to it as `statistics.publication` (the outbox, in the same transaction). Audited.
    Refused, nothing stored or sent: no permission (404), a year before 2000 or after this one."""
    from setu.exchange.outbox import outbox_put
    from setu.reports.exchange import PUBLICATION_TYPE, other_peer

    require_publish(actor)
    year = check_year(year)
    now = now or timezone.now()
    tables = build_tables(year)
    with transaction.atomic():
        publication = Publication.objects.create(year=year, k=K, tables=tables, suppressed=suppressed_count(tables),
                                                 published_at=now, published_by=actor)  # fmt: skip
        peer = other_peer()
        if peer is not None:
            candidate = {"ref": str(publication.public_id), "year": year, "k": K,
                         "published_at": now.isoformat(), "tables": tables}  # fmt: skip
            publication.message = outbox_put(type=PUBLICATION_TYPE, peer=peer, actor=actor, now=now,
                                             candidate=candidate)  # fmt: skip
            publication.save(update_fields=["message", "updated_at"])
        audit_record(actor=actor, action="statistics.publish", obj=publication, object_type=PUBLICATION_OBJECT,
                     object_id=str(publication.public_id), fields=[table["key"] for table in tables])  # fmt: skip
    return publication


# --- reading ---------------------------------------------------------------------------------------------------


def publication_list_for(user) -> QuerySet[Publication]:
    return Publication.objects.all() if may_publish(user) else Publication.objects.none()


def received_list_for(user) -> QuerySet[ReceivedPublication]:
    return ReceivedPublication.objects.all() if may_publish(user) else ReceivedPublication.objects.none()


def years_for(user) -> list[int]:
    years = set(publication_list_for(user).values_list("year", flat=True))
    years |= set(received_list_for(user).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


@dataclass
class Side:
    node: str
    tables: dict[str, dict]
    published_at: dt.datetime | None  # None: this node's figures, computed now and not yet published
    received_at: dt.datetime | None = None


def joint_for(user, year: int) -> tuple[Side, Side | None]:
    """Both countries' figures for `year`: this node's latest publication (or, before the first, its tables as
    they would be published), and the other node's latest, if one came."""
    require_publish(user)
    ours = publication_list_for(user).filter(year=year).first()
    mine = (Side(settings.SETU_NODE, {t["key"]: t for t in ours.tables}, ours.published_at) if ours
            else Side(settings.SETU_NODE, {t["key"]: t for t in build_tables(year)}, None))  # fmt: skip
    theirs = received_list_for(user).filter(year=year).first()
    other = (Side(theirs.from_node, {t["key"]: t for t in theirs.tables}, theirs.published_at, theirs.received_at)
             if theirs else None)  # fmt: skip
    return mine, other


# --- the joint page --------------------------------------------------------------------------------------------


def _labels(key: str) -> tuple[dict[str, str], dict[str, str]]:
    """Each table's row and column codes in the reader's language (a code this node does not know, such as the
    other side's crossing point, is shown as it came)."""
    from setu.interceptions.models import AgeBand, Outcome
    from setu.mla.models import Direction
    from setu.mla.models import Status as MlaStatus
    from setu.tracing.models import Status as MissingStatus
    from setu.training.models import Country

    sexes = {"female": _("Female"), "male": _("Male"), "other": _("Other"), "unknown": _("Unknown")}
    quarters = {code: _("Quarter %(n)s") % {"n": n} for n, code in enumerate(QUARTERS, start=1)}
    choices: dict[str, tuple[dict, dict]] = {
        "survivors": (dict(AgeBand.choices), sexes),
        "repatriations": (quarters, {"child": _("Child"), "adult": _("Adult")}),
        "interceptions": ({}, dict(Outcome.choices)),
        "missing": (quarters, dict(MissingStatus.choices)),
        "mla": (dict(Direction.choices), dict(MlaStatus.choices)),
        "training": (dict(Country.choices), sexes),
    }
    rows, cols = choices[key]
    return {k: str(v) for k, v in rows.items()}, {k: str(v) for k, v in cols.items()}


def _view(table: dict | None, key: str) -> dict | None:
    if table is None:
        return None
    row_names, col_names = _labels(key)
    return {
        "cols": [col_names.get(code, code) for code in table["cols"]],
        "rows": [
            {"label": row_names.get(code, code), "cells": cells, "total": total}
            for code, cells, total in zip(table["rows"], table["cells"], table["row_totals"], strict=True)
        ],
        "col_totals": table["col_totals"],
        "total": table["total"],
    }


def joint_tables(mine: Side, other: Side | None) -> list[dict]:
    """For each table: its title and both sides' figures, labelled, ready for the template."""
    return [
        {"key": spec.key, "title": spec.title, "rows_label": spec.rows_label, "cols_label": spec.cols_label,
         "mine": _view(mine.tables.get(spec.key), spec.key),
         "other": _view(other.tables.get(spec.key), spec.key) if other else None}
        for spec in TABLES
    ]  # fmt: skip
