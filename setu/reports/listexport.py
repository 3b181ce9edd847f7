"""List exports: the rows of a list page (cases, people, interceptions, missing-person reports) as CSV or XLSX.

The rows are exactly those the list shows: the same filter form read from the same query string, the same
scoped selector, the same order; every row, not one page. An export of more than `page_rows()` rows (a
setting, SETU_LIST_EXPORT_ROWS, 200 by default) is a bulk export and needs EXPORT_BULK (setu.accounts.roles).
Cells go through setu.core.spreadsheet (formula-injection safe, one rule for CSV and XLSX). The views
(setu.reports.views_exports) check the list's permission, audit the export and send the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts.roles import Permission
from setu.core.paging import IdResults

DEFAULT_PAGE_ROWS = 200
CHUNK = 500


def page_rows() -> int:
    """The most rows a list export may have without EXPORT_BULK."""
    return int(getattr(settings, "SETU_LIST_EXPORT_ROWS", DEFAULT_PAGE_ROWS))


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value) -> str:
    return value.isoformat() if value else ""


def _label(model, field: str):
    """The translated display value of a choices field (get_FOO_display)."""
    return getattr(model, f"get_{field}_display")()


# --- the four lists: each its filter form, its scoped selector, its columns ------------------------------------


def _cases(user, params: QueryDict):
    from setu.cases import selectors
    from setu.cases.forms import CaseSearchForm

    filters = CaseSearchForm(params).filters()
    return selectors.case_results_for(user, **filters), [name for name, value in filters.items() if value]


def _case_columns() -> list[str]:
    return [_("Case number"), _("Survivor"), _("Name in Latin letters"), _("Child"), _("Stage"), _("Status"),
            _("Organisation in charge"), _("District"), _("Identified or rescued at"), _("Deadline")]  # fmt: skip


def _case_row(case) -> list[Any]:
    from setu.cases import services

    survivor = case.survivor
    return [case.number, survivor.full_name, survivor.name_latin, _("Yes") if case.is_minor else _("No"),
            services.stage_name(case), _label(case, "status"), case.organisation.name, case.district.name,
            _local(case.identified_at), _local(case.due_at)]  # fmt: skip


def _people(user, params: QueryDict):
    from setu.people import selectors
    from setu.people.forms import PersonSearchForm

    filters = PersonSearchForm(params).filters()
    rows = selectors.person_results_for(
        user, query=filters["query"], gender=filters["gender"], nationality=filters["nationality"]
    )
    if isinstance(rows, QuerySet):
        rows = rows.select_related("organisation", "location_district")
    return rows, [name for name, value in filters.items() if value]


def _person_columns() -> list[str]:
    return [_("Name"), _("Name in Latin letters"), _("Sex / gender"), _("Date of birth"), _("Nationality"),
            _("Registering organisation"), _("District where the person is now"), _("Registered on")]  # fmt: skip


def _person_row(person) -> list[Any]:
    return [person.full_name, person.name_latin, _label(person, "gender"), _day(person.birth_date),
            _label(person, "nationality"), person.organisation.name, person.location_district.name,
            _local(person.created_at)]  # fmt: skip


def _interceptions(user, params: QueryDict):
    from django.db.models import Count

    from setu.interceptions import selectors
    from setu.interceptions.forms import InterceptionFilterForm

    filters = InterceptionFilterForm(params, user=user).filters()
    rows = selectors.interception_list_for(user, **filters).annotate(persons_count=Count("persons"))
    return rows.order_by("-intercepted_at", "-id"), [name for name, value in filters.items() if value]


def _interception_columns() -> list[str]:
    return [_("Number"), _("Date and time"), _("Station"), _("Organisation"), _("People"), _("Red-flag points"),
            _("Risk"), _("Outcome"), _("Destination")]  # fmt: skip


def _interception_row(row) -> list[Any]:
    return [row.number, _local(row.intercepted_at), row.station.name, row.organisation.name, row.persons_count,
            row.score, row.risk_level, _label(row, "outcome"), row.destination]  # fmt: skip


def _missing(user, params: QueryDict):
    from setu.tracing import selectors
    from setu.tracing.forms import ReportFilterForm

    filters = ReportFilterForm(params).filters()
    return selectors.report_results_for(user, **filters), [name for name, value in filters.items() if value]


def _missing_columns() -> list[str]:
    return [_("Report number"), _("Missing person"), _("Name in Latin letters"), _("Reported on"),
            _("Last seen on"), _("District last seen in"), _("Status"), _("Reporting organisation")]  # fmt: skip


def _missing_row(report) -> list[Any]:
    district = report.last_seen_district
    return [report.number, report.person.full_name, report.person.name_latin, _day(report.reported_on),
            _day(report.last_seen_on), district.name if district else "", _label(report, "status"),
            report.organisation.name]  # fmt: skip


@dataclass(frozen=True)
class ListExport:
    key: str  # in the URL: /reports/exports/lists/<key>.<format>
    title: Any  # lazy: the file's sheet name and the page's wording
    permission: Permission  # the list page's own permission
    object_type: str  # what the audit event names
    rows: Callable[[Any, QueryDict], tuple[Any, list[str]]]  # (the scoped rows, the filters used)
    columns: Callable[[], list[str]]
    row: Callable[[Any], list[Any]]


LISTS: dict[str, ListExport] = {
    "cases": ListExport("cases", gettext_lazy("Cases"), Permission.CASE_VIEW, "cases.case", _cases, _case_columns,
                        _case_row),
    "people": ListExport("people", gettext_lazy("People"), Permission.PERSON_VIEW, "people.person", _people,
                         _person_columns, _person_row),
    "interceptions": ListExport("interceptions", gettext_lazy("Interceptions"), Permission.INTERCEPTION_VIEW,
                                "interceptions.interception", _interceptions, _interception_columns,
                                _interception_row),
    "missing": ListExport("missing", gettext_lazy("Missing-person reports"), Permission.TRACING_VIEW,
                          "tracing.missingreport", _missing, _missing_columns, _missing_row),
}  # fmt: skip


def count(rows: QuerySet | IdResults | Sequence) -> int:
    return rows.count() if isinstance(rows, QuerySet | IdResults) else len(rows)


def iterate(export: ListExport, rows: QuerySet | IdResults) -> Iterator[list[Any]]:
    """Every row of the list in its order, `CHUNK` at a time (a queryset streams; ids are fetched by slices)."""
    if isinstance(rows, QuerySet):  # each selector already selects the related rows the columns read
        for item in rows.iterator(chunk_size=CHUNK):
            yield export.row(item)
        return
    for start in range(0, len(rows), CHUNK):
        for item in rows[start : start + CHUNK]:
            yield export.row(item)
