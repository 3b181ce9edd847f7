"""Reads of interceptions, scoped to the user (the same 404 for missing and forbidden), and repeat detection.

Who sees what (setu/accounts/roles.py): a border monitor sees her organisation's interceptions, and only
her station's when her membership names the station she is posted at; police and transit homes see the
interceptions of their districts; focal points the node's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from setu.accounts import policy
from setu.accounts.roles import Permission, Role
from setu.interceptions.models import Companion, InterceptedPerson, Interception
from setu.people.models import Person

REPEATS_SHOWN = 20


def posted_stations(user) -> dict[int, set[int]]:
    """Organisation -> the stations a border monitor of it is posted at. An organisation where the user
    also holds a membership without a station (or another role) is not limited."""
    limits: dict[int, set[int]] = {}
    free: set[int] = set()
    for membership in policy.memberships(user):
        station = getattr(membership, "border_point_id", None)
        if membership.role == Role.BORDER_MONITOR and station:
            limits.setdefault(membership.organisation_id, set()).add(station)
        else:
            free.add(membership.organisation_id)
    return {org: stations for org, stations in limits.items() if org not in free}


def _scope(user, permission: Permission) -> Q | None:
    """The interceptions the permission reaches for this user; None when it reaches none."""
    grant = policy.grants(user, permission)
    if not grant.allowed:
        return None
    if grant.node_wide:
        return Q()
    limits = posted_stations(user)
    reach = Q(pk__in=[])
    for org in grant.organisation_ids:
        reach |= Q(organisation_id=org, station_id__in=sorted(limits[org])) if org in limits else Q(organisation_id=org)
    if grant.district_ids:
        reach |= Q(district_id__in=sorted(grant.district_ids))
    return reach


def interception_list_for(user, *, station_id: int | None = None, outcome: str = "") -> QuerySet[Interception]:
    scope = _scope(user, Permission.INTERCEPTION_VIEW)
    if scope is None:
        return Interception.objects.none()
    rows = Interception.objects.filter(scope).select_related("station", "organisation")
    if station_id:
        rows = rows.filter(station_id=station_id)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows


def interception_get_for(user, public_id, *, permission: Permission = Permission.INTERCEPTION_VIEW) -> Interception:
    """One interception the user may see (or record on, with INTERCEPTION_RECORD); else an audited 404."""
    from setu.core.ids import as_uuid

    scope = _scope(user, permission)
    key = as_uuid(public_id)
    found = None
    if scope is not None and key is not None:
        found = (
            Interception.objects.filter(scope, public_id=key)
            .select_related("station", "station__counterpart", "organisation", "checklist", "district", "handed_to")
            .first()
        )
    if found is None:
        policy.deny(user, permission.value, object_type="interceptions.interception", object_id=str(public_id))
    return found


def interception_can_record(user, interception: Interception) -> bool:
    scope = _scope(user, Permission.INTERCEPTION_RECORD)
    return scope is not None and Interception.objects.filter(scope, pk=interception.pk).exists()


# --- repeat detection -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """An earlier interception where a person was stopped or travelled as a companion."""

    interception: Interception
    as_companion: bool
    is_suspect: bool = False


@dataclass(frozen=True)
class Escorted:
    """Someone else a companion travelled with, at another interception."""

    interception: Interception
    person: Person


@dataclass
class Repeats:
    person: Person
    seen: list[Seen]
    escorted: list[Escorted]  # for a companion: the others stopped with him elsewhere

    @property
    def stations(self) -> set[int]:
        return {item.interception.station_id for item in self.seen}


def repeats_for(user, person: Person, *, exclude: Interception | None = None) -> Repeats:
    """What the desk should know when this person is entered: the earlier interceptions she (or he) was in,
    as one stopped or as a companion, and, for someone who travelled as a companion, the other people
    stopped with him. Only what the user may see; newest first, at most REPEATS_SHOWN of each."""
    return _repeats(user, [person], exclude=exclude)[0]


def _newest(model, visible: Exists, persons: list[Person]) -> dict[int, list]:
    """Each person's rows of `model` (InterceptedPerson or Companion) that the user may see, newest first,
    at most REPEATS_SHOWN a person, in one query for all of them."""
    rank = Window(RowNumber(), partition_by=[F("person_id")],
                  order_by=[F("interception__intercepted_at").desc(), F("pk").desc()])  # fmt: skip
    rows = (
        model.objects.filter(visible, person_id__in=[p.pk for p in persons])
        .annotate(rank=rank)
        .filter(rank__lte=REPEATS_SHOWN)
        .select_related("interception__station")
    )
    found: dict[int, list] = {p.pk: [] for p in persons}
    for row in rows:
        found[row.person_id].append(row)
    for items in found.values():
        items.sort(key=lambda row: (row.interception.intercepted_at, row.pk), reverse=True)
    return found


def _repeats(user, persons: list[Person], *, exclude: Interception | None = None) -> list[Repeats]:
    """`repeats_for` for several persons in three queries, whatever their number."""
    scope = _scope(user, Permission.INTERCEPTION_VIEW)
    if scope is None or not persons:
        return [Repeats(person=person, seen=[], escorted=[]) for person in persons]
    # The persons' own rows, each checked against the scope by primary key (a correlated EXISTS). With
    # `interception__in=<the visible interceptions>` SQLite listed every visible interception on each call, and
    # with a join it started from the station's 90,000: 80-190 ms a query with 500,000 interceptions, and
    # `repeats_for_name` made a hundred (benchmarks/interceptions.py, docs/performance.md).
    reach = Interception.objects.filter(scope, pk=OuterRef("interception_id"))
    if exclude is not None:
        reach = reach.exclude(pk=exclude.pk)
    visible = Exists(reach)
    stopped = _newest(InterceptedPerson, visible, persons)
    escorts = _newest(Companion, visible, persons)
    with_them: dict[int, list[InterceptedPerson]] = {}
    escorted_at = sorted({row.interception_id for rows in escorts.values() for row in rows})
    if escorted_at:
        others = InterceptedPerson.objects.filter(interception_id__in=escorted_at)
        for row in others.select_related("person", "interception__station"):
            with_them.setdefault(row.interception_id, []).append(row)
    found = []
    for person in persons:
        seen = [Seen(interception=row.interception, as_companion=False) for row in stopped[person.pk]]
        seen += [Seen(interception=row.interception, as_companion=True, is_suspect=row.is_suspect)
                 for row in escorts[person.pk]]  # fmt: skip
        seen.sort(key=lambda item: item.interception.intercepted_at, reverse=True)
        escorted = [row for escort in escorts[person.pk] for row in with_them.get(escort.interception_id, [])]
        escorted.sort(key=lambda row: row.interception.intercepted_at, reverse=True)
        shown = [Escorted(interception=row.interception, person=row.person) for row in escorted[:REPEATS_SHOWN]]
        found.append(Repeats(person=person, seen=seen[:REPEATS_SHOWN], escorted=shown))
    return found


def repeats_for_name(user, query: str, *, limit: int = 5) -> list[Repeats]:
    """As the desk types a name: the person records that person search finds for it (people.selectors),
    each with its earlier interceptions; only those with any, most seen first."""
    from setu.people.selectors import person_results_for

    query = query.strip()
    if len(query) < 2:
        return []
    candidates = list(person_results_for(user, query=query)[:50])
    found = _repeats(user, candidates)
    found = [item for item in found if item.seen]
    found.sort(key=lambda item: (-len(item.seen), -item.seen[0].interception.intercepted_at.timestamp()))
    return found[:limit]
