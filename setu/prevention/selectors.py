"""Reads on awareness activities and vigilance reports, scoped to the asking user, and the per-ward summary.

Scope (setu.accounts.roles): PREVENTION_VIEW with a node-wide grant (focal points, analysts) sees every
record on the node; otherwise the records of the user's organisations and those placed in a district of
their organisations' jurisdiction (border monitors and local government officers). `activity_get_for` and
`vigilance_report_get_for` are the access functions: missing and forbidden look the same (an audited 404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Model, Q, QuerySet, Sum

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_denied, audit_record
from setu.core.ids import as_uuid
from setu.geo.models import District, LocalLevel
from setu.prevention.models import AwarenessActivity, VigilanceReport
from setu.prevention.services import ACTIVITY_OBJECT_TYPE, REPORT_OBJECT_TYPE
from setu.prevention.summary import REACHED_FIELDS, WardRow, add_up

M = TypeVar("M", bound=Model)


def _scoped(queryset: QuerySet[M], user, permission: Permission) -> QuerySet[M]:
    grant = policy.grants(user, permission)
    if grant.node_wide:
        return queryset
    if not grant.allowed:
        return queryset.none()
    return queryset.filter(Q(organisation_id__in=grant.organisation_ids) | Q(district_id__in=grant.district_ids))


def _filtered(
    queryset: QuerySet[M],
    date_field: str,
    *,
    date_from: dt.date | None,
    date_to: dt.date | None,
    district_id: int | None,
    local_level_id: int | None,
) -> QuerySet[M]:
    if date_from is not None:
        queryset = queryset.filter(**{f"{date_field}__gte": date_from})
    if date_to is not None:
        queryset = queryset.filter(**{f"{date_field}__lte": date_to})
    if district_id:
        queryset = queryset.filter(district_id=district_id)
    if local_level_id:
        queryset = queryset.filter(local_level_id=local_level_id)
    return queryset


def activity_list_for(
    user,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    district_id: int | None = None,
    local_level_id: int | None = None,
) -> QuerySet[AwarenessActivity]:
    """The activities `user` may see, held between the dates (both included) and in the place. Latest first."""
    activities = _scoped(AwarenessActivity.objects.all(), user, Permission.PREVENTION_VIEW)
    activities = _filtered(activities, "held_on", date_from=date_from, date_to=date_to, district_id=district_id,
                           local_level_id=local_level_id)  # fmt: skip
    return activities.select_related("organisation", "district", "local_level")


def activity_get_for(user, public_id, *, permission: Permission = Permission.PREVENTION_VIEW) -> AwarenessActivity:
    """The activity with `public_id` if `permission` reaches it; else an audited NotFoundOrForbidden.

    `permission=PREVENTION_RECORD` fetches it for the edit form (its own organisation only)."""
    grant = policy.grants(user, permission)
    key = as_uuid(public_id)
    activity = (
        AwarenessActivity.objects.select_related("organisation", "district", "local_level", "created_by")
        .filter(public_id=key)
        .first()
        if key is not None
        else None
    )
    if activity is None or not grant.covers(organisation_id=activity.organisation_id, district_id=activity.district_id):
        audit_denied(actor=user, action=permission.value, object_type=ACTIVITY_OBJECT_TYPE,
                     object_id=str(public_id)[:64])  # fmt: skip
        raise policy.NotFoundOrForbidden()
    return activity


def activity_can_edit(user, activity: AwarenessActivity) -> bool:
    grant = policy.grants(user, Permission.PREVENTION_RECORD)
    return grant.covers(organisation_id=activity.organisation_id, district_id=activity.district_id)


def vigilance_report_list_for(
    user,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    district_id: int | None = None,
    local_level_id: int | None = None,
    kind: str = "",
) -> QuerySet[VigilanceReport]:
    """The vigilance reports `user` may see, reported between the dates (both included). Latest first."""
    reports = _scoped(VigilanceReport.objects.all(), user, Permission.PREVENTION_VIEW)
    reports = _filtered(reports, "reported_on", date_from=date_from, date_to=date_to, district_id=district_id,
                        local_level_id=local_level_id)  # fmt: skip
    if kind:
        reports = reports.filter(kind=kind)
    return reports.select_related("organisation", "district", "local_level")


def vigilance_report_get_for(user, public_id) -> VigilanceReport:
    """The report with `public_id` if PREVENTION_VIEW reaches it; else an audited NotFoundOrForbidden.

    A report may describe people seen, so each read is audited too."""
    grant = policy.grants(user, Permission.PREVENTION_VIEW)
    key = as_uuid(public_id)
    report = (
        VigilanceReport.objects.select_related("organisation", "district", "local_level", "created_by")
        .filter(public_id=key)
        .first()
        if key is not None
        else None
    )
    if report is None or not grant.covers(organisation_id=report.organisation_id, district_id=report.district_id):
        audit_denied(actor=user, action="prevention.vigilance_view", object_type=REPORT_OBJECT_TYPE,
                     object_id=str(public_id)[:64])  # fmt: skip
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="prevention.vigilance_view", obj=report)
    return report


def _with_local_levels() -> Q:
    return Q(pk__in=LocalLevel.objects.values("district_id"))


def districts_for(user) -> QuerySet[District]:
    """The districts to offer in the filters: those with local levels that the user's grant reaches, and
    those of the records the user may see."""
    grant = policy.grants(user, Permission.PREVENTION_VIEW)
    districts = District.objects.filter(_with_local_levels())
    if not grant.node_wide:
        seen = Q(pk__in=grant.district_ids)
        seen |= Q(pk__in=activity_list_for(user).values("district_id"))
        seen |= Q(pk__in=vigilance_report_list_for(user).values("district_id"))
        districts = districts.filter(seen)
    return districts.select_related("province").order_by("name_en")


def recording_districts_for(organisations, *, also: int | None = None) -> QuerySet[District]:
    """Where the given organisations may record: their districts that have local levels, or every district
    with local levels when none of them lists a district (a body with national reach); plus `also` (the
    district of a record being edited)."""
    with_levels = District.objects.filter(_with_local_levels())
    ids = set(with_levels.filter(organisations__in=list(organisations)).values_list("pk", flat=True))
    districts = with_levels.filter(pk__in=ids | ({also} if also else set())) if ids else with_levels
    return districts.select_related("province").order_by("name_en")


# --- the per-ward summary ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WardSummary:
    date_from: dt.date
    date_to: dt.date
    rows: list[WardRow]
    total: WardRow


def ward_summary_for(
    user,
    *,
    date_from: dt.date,
    date_to: dt.date,
    district_id: int | None = None,
    local_level_id: int | None = None,
) -> WardSummary:
    """Per local level and ward, over the records `user` may see between the dates (both included): the
    activities held, the people they reached by sex and age band, and the vigilance reports by kind. Wards
    with neither are left out. Two grouped queries and one for the place names, however many records."""
    place = ("district_id", "local_level_id", "ward")
    activities = (
        activity_list_for(user, date_from=date_from, date_to=date_to, district_id=district_id,
                          local_level_id=local_level_id)
        .select_related(None).order_by().values(*place)
        .annotate(activities=Count("id"), **{name: Sum(name) for name in REACHED_FIELDS})
    )  # fmt: skip
    reports = (
        vigilance_report_list_for(user, date_from=date_from, date_to=date_to, district_id=district_id,
                                  local_level_id=local_level_id)
        .select_related(None).order_by().values(*place, "kind").annotate(reports=Count("id"))
    )  # fmt: skip
    figures: dict[tuple[int, int, int], WardRow] = {}

    def row_for(values: dict) -> WardRow:
        key = (values["district_id"], values["local_level_id"], values["ward"])
        if key not in figures:
            figures[key] = WardRow(district="", local_level="", ward=values["ward"])
        return figures[key]

    for values in activities:
        row = row_for(values)
        row.activities = values["activities"]
        row.reached = {name: values[name] or 0 for name in REACHED_FIELDS}
    for values in reports:
        row_for(values).reports[values["kind"]] = values["reports"]
    levels = LocalLevel.objects.select_related("district").in_bulk({key[1] for key in figures})
    for (_district, level_id, _ward), row in figures.items():
        level = levels[level_id]
        row.district, row.local_level = level.district.name, level.name
    rows = sorted(figures.values(), key=lambda row: (row.district, row.local_level, row.ward or 0))
    return WardSummary(date_from=date_from, date_to=date_to, rows=rows, total=add_up(rows))
