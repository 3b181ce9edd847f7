"""Reads on persons, scoped to the asking user. `person_get_for` is the one access function for a person.

Scope (setu.accounts.roles): a node-wide grant sees every person; otherwise the persons registered by one
of the user's organisations, or located in one of the districts the grant reaches. Missing and forbidden
look the same (NotFoundOrForbidden, a 404); every read and every refusal is audited (ASVS 16.3.2).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_denied, audit_record
from setu.core import text
from setu.core.ids import as_uuid
from setu.core.paging import IdResults
from setu.people import rules
from setu.people.models import (
    IdentityDocument,
    Person,
    PersonSearchToken,
    PhoneNumber,
    Photo,
    Relation,
    search_tokens_used,
)

PERSON_OBJECT_TYPE = "people.person"
MAX_QUERY_LENGTH = 100


def _scoped(user, permission: Permission) -> QuerySet[Person]:
    grant = policy.grants(user, permission)
    if grant.node_wide:
        return Person.objects.all()
    if not grant.allowed:
        return Person.objects.none()
    return Person.objects.filter(
        Q(organisation_id__in=grant.organisation_ids) | Q(location_district_id__in=grant.district_ids)
    )


# Up to this many persons matching a name are fetched as a list of ids first, so that the page and its
# count are primary-key lookups instead of two more passes over the token index (docs/performance.md).
# PostgreSQL takes the ids as one array parameter; SQLite as bound variables (at most 32,766 a query).
MATERIALISE_LIMIT = 5000
MATERIALISE_LIMIT_POSTGRESQL = 20000


@dataclass(frozen=True)
class _Matches:
    """Who matches a query: as a filter always, and as ids when few enough to fetch (see the limits)."""

    q: Q
    spelled_q: Q
    ids: list[int] | None = None  # every match (names, phone, document), when fetched
    spelled: frozenset[int] = frozenset()  # of those, the ones whose words are spelled as typed


def _find(query: str) -> _Matches:
    """Names in either script (through the search tokens), or a phone or document number exactly."""
    # setu.core.text: any plan may match; every term of a plan must; a term is alternative token prefixes.
    plans = text.query_plans(query)
    # The words as typed, without their phonetic keys: such matches are listed first.
    spelled_terms = [[a for a in term if not a.startswith(text.KEY_PREFIX)] for term in plans[0]] if plans else []
    if search_tokens_used():
        by_name = _union([_intersection([_person_ids(term) for term in plan]) for plan in plans])
        spelled_qs = _intersection([_person_ids(term) for term in spelled_terms]) if all(spelled_terms) else None
    else:
        by_name = _vector_ids(plans) if plans else None
        spelled_qs = _vector_ids([spelled_terms]) if plans and all(spelled_terms) else None
    exact = _exact_number_matches(query)
    limit = MATERIALISE_LIMIT_POSTGRESQL if connection.vendor == "postgresql" else MATERIALISE_LIMIT
    ids = list(by_name[: limit + 1]) if by_name is not None else []
    if len(ids) > limit:  # a very broad query: let the database join instead of shipping the ids around
        matches = Q(pk__in=by_name) | Q(pk__in=exact)
        return _Matches(q=matches, spelled_q=Q(pk__in=spelled_qs) if spelled_qs is not None else Q(pk__in=[]))
    ids = list(dict.fromkeys([*ids, *exact]))
    spelled: frozenset[int] = frozenset()
    if spelled_qs is not None and ids:
        # Fetched on their own and intersected here: cheaper than a second id list in the query. Past the
        # cap only the spelled-first ordering of a very broad query is lost, never a match.
        spelled = frozenset(ids).intersection(spelled_qs[: limit * 4])
    return _Matches(q=_pk_in(ids), spelled_q=_pk_in(sorted(spelled)), ids=ids, spelled=spelled)


def _exact_number_matches(query: str) -> list[int]:
    """Persons with exactly this phone number (normalised to E.164) or document number (normalised)."""
    found: list[int] = []
    if rules.looks_like_phone(query):
        try:
            number = rules.normalise_phone(query, region=rules.NODE_PHONE_REGION.get(settings.SETU_NODE, "NP"))
        except rules.InvalidPhoneNumberError:
            number = ""
        if number:
            found += PhoneNumber.objects.filter(number=number).values_list("person_id", flat=True)
    document = rules.normalise_document_number(query)
    if document and document.isalnum() and any(ch.isdigit() for ch in document):
        found += IdentityDocument.objects.filter(number_normalised=document).values_list("person_id", flat=True)
    return found


def _search(persons: QuerySet[Person], query: str) -> QuerySet[Person]:
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return persons
    matches = _find(query)
    # Names spelled as asked come before those found only by their loose phonetic key.
    rank = Case(When(matches.spelled_q, then=Value(0)), default=Value(1), output_field=IntegerField())
    # Newest registered first: the primary key follows registration order on this node.
    return persons.filter(matches.q).annotate(search_rank=rank).order_by("search_rank", "-id")


class PersonResults(IdResults[Person]):
    """Person search results as their ordered ids, a page fetched at a time (setu.core.paging)."""

    model = Person
    related = ("organisation", "location_district")


def person_results_for(
    user, *, query: str = "", gender: str = "", nationality: str = "", location_district_id: int | None = None
) -> QuerySet[Person] | PersonResults:
    """What the people list and the API list show: `person_list_for`, with searches returned as
    `PersonResults` when the matches are few enough to fetch. Same persons, same order: spelled as typed
    first, then newest registered first."""
    persons = person_list_for(user, gender=gender, nationality=nationality, location_district_id=location_district_id)
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return persons
    matches = _find(query)
    if matches.ids is None:
        return person_list_for(
            user, query=query, gender=gender, nationality=nationality, location_district_id=location_district_id
        )
    grant = policy.grants(user, Permission.PERSON_VIEW)
    if grant.node_wide and not (gender or nationality or location_district_id):
        visible = set(matches.ids)
    else:
        visible = set(persons.filter(matches.q).order_by().values_list("id", flat=True))
    return PersonResults(sorted(visible, key=lambda pk: (pk not in matches.spelled, -pk)))


def _pk_in(ids: list[int]) -> Q:
    return ids_in("pk", ids)


def ids_in(field: str, ids: list[int]) -> Q:
    """`field IN ids`; on PostgreSQL as one array parameter instead of thousands: half the time
    (benchmarks/people.py). Other apps filter by person ids with it too."""
    if connection.vendor == "postgresql" and ids:
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", (ids,))})
    return Q(**{f"{field}__in": ids})


def _person_ids(alternatives) -> QuerySet:
    """Ids of persons with a search token that starts with one of `alternatives` (or equals one that ends
    in a space: a whole-token key). Read from the token index, never by scanning every person."""
    wanted = Q(pk__in=[])
    for alternative in alternatives:
        if alternative.endswith(" "):
            wanted |= Q(token=alternative.strip())
        else:
            wanted |= _token_prefix(alternative)
    return PersonSearchToken.objects.filter(wanted).values_list("person_id", flat=True)


def _vector_ids(plans: list[list]) -> QuerySet:
    """PostgreSQL: ids of persons whose search vector (migration 0004) matches the plans, as one tsquery
    that the GIN index answers whole: plans OR-ed, a plan's terms AND-ed, a term's alternatives OR-ed, each
    a prefix (`'sita':*`) or, ending in a space, a whole token (`'~m'`). The tokens go in quoted as they
    are: a tsquery's quoted lexemes are not parsed or stemmed."""

    def lexeme(alternative: str) -> str:
        quoted = "'" + alternative.strip().replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted if alternative.endswith(" ") else quoted + ":*"

    query = " | ".join(
        "(" + " & ".join("(" + " | ".join(lexeme(a) for a in term) + ")" for term in plan) + ")" for plan in plans
    )
    found = RawSQL("search_vector @@ %s::tsquery", (query,), output_field=BooleanField())
    return Person.objects.filter(found).values_list("id", flat=True)


def _intersection(parts: list[QuerySet]) -> QuerySet | None:
    if not parts:
        return None
    first, *rest = parts
    return first.intersection(*rest) if rest else first.distinct()


def _union(parts: list[QuerySet | None]) -> QuerySet | None:
    present = [part for part in parts if part is not None]
    if not present:
        return None
    first, *rest = present
    return first.union(*rest) if rest else first


def _token_prefix(prefix: str) -> Q:
    # PostgreSQL: LIKE 'prefix%' uses the text_pattern_ops index (migration 0003) whatever the collation.
    # SQLite: a range on the BINARY-collated index is exactly "starts with" and uses the index, which
    # SQLite's case-insensitive LIKE would not.
    if connection.vendor == "sqlite":
        return Q(token__gte=prefix, token__lt=prefix + "\U0010ffff")
    return Q(token__startswith=prefix)


def person_list_for(
    user,
    *,
    query: str = "",
    gender: str = "",
    nationality: str = "",
    location_district_id: int | None = None,
    permission: Permission = Permission.PERSON_VIEW,
) -> QuerySet[Person]:
    """The persons `user` may see, optionally searched and filtered. Newest first."""
    persons = _search(_scoped(user, permission), query)
    if gender:
        persons = persons.filter(gender=gender)
    if nationality:
        persons = persons.filter(nationality=nationality)
    if location_district_id:
        persons = persons.filter(location_district_id=location_district_id)
    return persons.select_related("organisation", "location_district")


def person_search_audit(user, *, query: str) -> None:
    """One event per page of search results: the list shows identities (the query itself is not logged)."""
    audit_record(actor=user, action="person.search", object_type=PERSON_OBJECT_TYPE, fields=["q"] if query else [])


def person_get_for(user, public_id, *, permission: Permission = Permission.PERSON_VIEW) -> Person:
    """The person with `public_id` if `permission` reaches them; else an audited NotFoundOrForbidden.

    `permission=PERSON_EDIT` fetches for an edit form. Either way the read is audited as person.view.
    """
    grant = policy.grants(user, permission)
    key = as_uuid(public_id)
    person = (
        Person.objects.select_related(
            "organisation", "location_district", "home_district", "home_local_level", "created_by"
        )
        .filter(public_id=key)
        .first()
        if key is not None
        else None
    )
    if person is None:
        audit_denied(actor=user, action="person.view", object_type=PERSON_OBJECT_TYPE, object_id=str(public_id)[:64])
        raise policy.NotFoundOrForbidden()
    if not grant.covers(organisation_id=person.organisation_id, district_id=person.location_district_id):
        audit_denied(actor=user, action="person.view", object_type=PERSON_OBJECT_TYPE, object_id=str(public_id))
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="person.view", obj=person)
    return person


def person_can_edit(user, person: Person) -> bool:
    grant = policy.grants(user, Permission.PERSON_EDIT)
    return grant.covers(organisation_id=person.organisation_id, district_id=person.location_district_id)


def person_can_view_photos(user, person: Person) -> bool:
    grant = policy.grants(user, Permission.PERSON_PHOTO_VIEW)
    return grant.covers(organisation_id=person.organisation_id, district_id=person.location_district_id)


def person_relations_for(user, person: Person) -> dict[str, list[Relation]]:
    """The person's relations, both ways, leaving out related persons `user` may not see."""
    visible = _scoped(user, Permission.PERSON_VIEW).values("pk")
    outgoing = (
        person.relations.select_related("related_person")
        .filter(Q(related_person__isnull=True) | Q(related_person__in=visible))
        .order_by("created_at", "id")
    )
    incoming = person.related_as.select_related("person").filter(person__in=visible).order_by("created_at", "id")
    return {"outgoing": list(outgoing), "incoming": list(incoming)}


def photo_get_for(user, person_public_id, photo_public_id) -> Photo:
    """A photo, if PERSON_PHOTO_VIEW reaches its person; audited either way like a person read."""
    grant = policy.grants(user, Permission.PERSON_PHOTO_VIEW)
    key = as_uuid(photo_public_id)
    person_key = as_uuid(person_public_id)
    photo = (
        Photo.objects.select_related("person").filter(public_id=key, person__public_id=person_key).first()
        if key is not None and person_key is not None
        else None
    )
    if photo is None or not grant.covers(
        organisation_id=photo.person.organisation_id, district_id=photo.person.location_district_id
    ):
        audit_denied(actor=user, action="person.photo_view", object_type="people.photo", object_id=str(photo_public_id))
        raise policy.NotFoundOrForbidden()
    audit_record(actor=user, action="person.photo_view", obj=photo)
    return photo


def person_ids_matching(query: str) -> list[int] | None:
    """The ids of everyone a name, phone or document number query finds, when few enough to fetch
    (MATERIALISE_LIMIT); None for a broader query (use `person_name_filter` then)."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    return _find(query).ids if query else []


def person_name_filter(query: str) -> Q:
    """A filter on Person for everyone a name (either script), phone or document number query finds; other
    apps (cases, tracing) search their records by the person they concern with it."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    return _find(query).q if query else Q()
