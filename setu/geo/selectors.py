"""Reads on the gazetteer. The gazetteer is reference data, not survivor data: callers check
Permission.GAZETTEER_VIEW once (views and API do, through `setu.accounts.policy.require`) and every place
is then visible on both nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from setu.core import text
from setu.geo.models import BorderPoint, District, LocalLevel, NamedArea

MAX_QUERY_LENGTH = 100
# Candidates fetched per kind before ranking; a query that matches more is too vague to need them all.
_CANDIDATES_PER_KIND = 300


class PlaceKind(StrEnum):
    DISTRICT = "district"
    LOCAL_LEVEL = "local_level"
    BORDER_POINT = "border_point"


class MatchQuality(StrEnum):
    """How well a place matched, best first: results are ordered by it."""

    EXACT = "exact"  # a name (or other name) is the query
    PREFIX = "prefix"  # a name starts with the query
    WORDS = "words"  # every query word starts a word of a name, as spelled (in either script)
    SOUNDS_LIKE = "sounds_like"  # found through the phonetic key only


_QUALITY_ORDER = {quality: i for i, quality in enumerate(MatchQuality)}
_KIND_ORDER = {PlaceKind.DISTRICT: 0, PlaceKind.BORDER_POINT: 1, PlaceKind.LOCAL_LEVEL: 2}


@dataclass(frozen=True)
class PlaceHit:
    kind: PlaceKind
    place: NamedArea
    quality: MatchQuality

    @property
    def country(self) -> str:
        place = self.place
        if isinstance(place, BorderPoint):
            return place.country
        if isinstance(place, District):
            return place.province.country
        return cast(LocalLevel, place).district.province.country


def _querysets(country: str | None) -> dict[PlaceKind, QuerySet]:
    districts = District.objects.select_related("province")
    local_levels = LocalLevel.objects.select_related("district__province")
    points = BorderPoint.objects.select_related("district__province", "counterpart")
    if country:
        districts = districts.filter(province__country=country)
        local_levels = local_levels.filter(district__province__country=country)
        points = points.filter(country=country)
    return {PlaceKind.DISTRICT: districts, PlaceKind.LOCAL_LEVEL: local_levels, PlaceKind.BORDER_POINT: points}


def _filter(plans: list[text.Plan]) -> Q:
    """`text.query_plans` as a database filter: any plan; every term of it; any alternative of a term."""
    found = Q(pk__in=[])
    for plan in plans:
        all_terms = Q()
        for term in plan:
            any_alternative = Q(pk__in=[])
            for alternative in term:
                any_alternative |= Q(search_text__contains=f" {alternative}")
            all_terms &= any_alternative
        found |= all_terms
    return found


def _quality(place: NamedArea, query: str, plans: list[text.Plan]) -> MatchQuality:
    folded_query = " ".join(w for w in query.lower().split())
    names = [n for n in (place.name_en, place.name_ne, place.name_hi, *place.aliases) if n]
    lowered = [n.lower() for n in names]
    if folded_query in lowered:
        return MatchQuality.EXACT
    if any(n.startswith(folded_query) for n in lowered):
        return MatchQuality.PREFIX
    spelled = [tuple(a for a in term if not a.startswith(text.KEY_PREFIX)) for term in plans[0]] if plans else []
    if spelled and all(any(" " + a in place.search_text for a in term) for term in spelled):
        return MatchQuality.WORDS
    return MatchQuality.SOUNDS_LIKE


def place_search(
    query: str,
    *,
    kinds: Iterable[PlaceKind | str] | None = None,
    country: str | None = None,
    limit: int = 20,
) -> list[PlaceHit]:
    """Districts, local levels and border points whose names match `query` in English, Nepali or Hindi,
    or sound like it across scripts ("Biratnagar" finds विराटनगर, "काठमाडौं" finds Kathmandu), best first.

    `kinds` limits the search to some of PlaceKind; `country` ("NP"/"IN") to one side of the border.
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    plans = text.query_plans(query)
    if not plans:
        return []
    wanted = {PlaceKind(k) for k in kinds} if kinds else set(PlaceKind)
    condition = _filter(plans)
    hits: list[PlaceHit] = []
    for kind, queryset in _querysets(country).items():
        if kind not in wanted:
            continue
        for place in queryset.filter(condition)[:_CANDIDATES_PER_KIND]:
            hits.append(PlaceHit(kind=kind, place=place, quality=_quality(place, query, plans)))
    hits.sort(key=lambda h: (_QUALITY_ORDER[h.quality], _KIND_ORDER[h.kind], h.place.name_en))
    return hits[: max(0, limit)]


def district_list(*, country: str | None = None) -> QuerySet[District]:
    districts = District.objects.select_related("province").order_by("province__country", "name_en")
    return districts.filter(province__country=country) if country else districts


def district_get(pk: int) -> District:
    """One district with its local levels and border points, for the detail page and the API."""
    district = (
        District.objects.select_related("province")
        .prefetch_related(
            Prefetch("local_levels", queryset=LocalLevel.objects.order_by("name_en")),
            Prefetch(
                "border_points",
                queryset=BorderPoint.objects.select_related("district", "counterpart__district__province").order_by(
                    "name_en"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if district is None:
        raise Http404
    return district


def local_level_list(*, district: int | None = None) -> QuerySet[LocalLevel]:
    local_levels = LocalLevel.objects.select_related("district__province").order_by("district__name_en", "name_en")
    return local_levels.filter(district_id=district) if district else local_levels


def border_point_list(*, country: str | None = None) -> QuerySet[BorderPoint]:
    points = BorderPoint.objects.select_related("district__province", "counterpart__district__province")
    return points.filter(country=country) if country else points


def border_point_get(pk: int) -> BorderPoint:
    point = border_point_list().filter(pk=pk).first()
    if point is None:
        raise Http404
    return point
