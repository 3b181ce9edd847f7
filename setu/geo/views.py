"""Place search and the pages of a district and a border crossing point. Views only translate HTTP:
the access check is `policy.require(GAZETTEER_VIEW)`, the reads are in selectors."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.core.enums import Country
from setu.core.http import AuthedRequest
from setu.geo import selectors
from setu.geo.selectors import PlaceKind

KIND_FILTERS = [
    (PlaceKind.DISTRICT.value, _("Districts")),
    (PlaceKind.LOCAL_LEVEL.value, _("Local levels")),
    (PlaceKind.BORDER_POINT.value, _("Border crossing points")),
]
RESULT_LIMIT = 50


def _choice(value: str, allowed: set[str]) -> str:
    return value if value in allowed else ""


def search(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.GAZETTEER_VIEW, object_type="geo.place")
    query = request.GET.get("q", "").strip()[: selectors.MAX_QUERY_LENGTH]
    kind = _choice(request.GET.get("kind", ""), {k.value for k in PlaceKind})
    country = _choice(request.GET.get("country", ""), set(Country.values))
    hits = selectors.place_search(query, kinds=[kind] if kind else None, country=country or None, limit=RESULT_LIMIT)
    context = {
        "query": query,
        "kind": kind,
        "country": country,
        "hits": hits,
        "kind_filters": KIND_FILTERS,
        "countries": Country.choices,
    }
    template = "geo/_results.html" if request.htmx else "geo/search.html"
    return render(request, template, context)


def district_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    policy.require(request.user, Permission.GAZETTEER_VIEW, object_type="geo.district", object_id=str(pk))
    district = selectors.district_get(pk)
    local_levels = list(district.local_levels.all())
    context = {
        "district": district,
        "local_levels": local_levels,
        "ward_total": sum(ll.ward_count or 0 for ll in local_levels),
        "border_points": list(district.border_points.all()),
    }
    return render(request, "geo/district_detail.html", context)


def border_point_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    policy.require(request.user, Permission.GAZETTEER_VIEW, object_type="geo.borderpoint", object_id=str(pk))
    return render(request, "geo/border_point_detail.html", {"point": selectors.border_point_get(pk)})
