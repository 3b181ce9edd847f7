"""Reads: who sees which person, search across scripts, and the audit of every read and refusal."""

import uuid

import pytest

from setu.accounts.policy import NotFoundOrForbidden
from setu.accounts.roles import Permission
from setu.audit.models import AuditEvent
from setu.people import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(transit_home_person, police_person_in_morang, parsa_person):
    return {"transit": transit_home_person, "police": police_person_in_morang, "parsa": parsa_person}


def _names(user, **kwargs) -> set[str]:
    return set(selectors.person_list_for(user, **kwargs).values_list("full_name", flat=True))


# --- scope ---------------------------------------------------------------------------------------------------


def test_caseworker_sees_her_organisations_persons_and_those_located_in_morang(np_caseworker, everyone):
    assert _names(np_caseworker) == {"Sita Tamang", "गीता थापा"}


def test_police_in_morang_see_persons_located_in_morang(np_police, everyone):
    assert _names(np_police) == {"Sita Tamang", "गीता थापा"}


def test_border_monitor_sees_only_her_organisations_persons(np_monitor, everyone):
    assert _names(np_monitor) == {"Sita Tamang"}


def test_other_district_caseworker_sees_only_her_own(np_other_org, everyone):
    assert _names(np_other_org) == {"Rita Yadav"}


def test_focal_point_sees_every_person_on_the_node(np_focal_point, everyone):
    assert _names(np_focal_point) == {"Sita Tamang", "गीता थापा", "Rita Yadav"}


@pytest.mark.parametrize("persona", ["np_analyst", "np_admin", "np_auditor"])
def test_analysts_administrators_and_auditors_see_no_person(request, persona, everyone):
    assert _names(request.getfixturevalue(persona)) == set()


def test_an_anonymous_user_sees_no_person(everyone):
    from django.contrib.auth.models import AnonymousUser

    assert _names(AnonymousUser()) == set()


# --- the access function -------------------------------------------------------------------------------------


def test_reading_a_person_is_audited(np_caseworker, transit_home_person):
    person = selectors.person_get_for(np_caseworker, transit_home_person.public_id)

    assert person == transit_home_person
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.outcome, event.object_id) == ("person.view", "allowed", str(person.public_id))


def test_another_district_gets_not_found_and_the_refusal_is_audited(np_other_org, transit_home_person):
    with pytest.raises(NotFoundOrForbidden):
        selectors.person_get_for(np_other_org, transit_home_person.public_id)

    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.outcome) == ("person.view", "denied")
    assert event.object_type == "people.person"
    assert event.object_id == str(transit_home_person.public_id)
    assert event.actor_username == "np_other_org"


@pytest.mark.parametrize("missing", [uuid.uuid4(), "not-a-uuid"])
def test_a_missing_person_looks_exactly_like_a_forbidden_one(np_caseworker, missing):
    with pytest.raises(NotFoundOrForbidden):
        selectors.person_get_for(np_caseworker, missing)
    assert AuditEvent.objects.order_by("-seq").first().outcome == "denied"


def test_an_analyst_gets_not_found_for_any_person(np_analyst, transit_home_person):
    with pytest.raises(NotFoundOrForbidden):
        selectors.person_get_for(np_analyst, transit_home_person.public_id)


def test_jurisdiction_lets_the_caseworker_see_but_not_open_for_edit(np_caseworker, police_person_in_morang):
    assert selectors.person_get_for(np_caseworker, police_person_in_morang.public_id)
    with pytest.raises(NotFoundOrForbidden):
        selectors.person_get_for(np_caseworker, police_person_in_morang.public_id, permission=Permission.PERSON_EDIT)


def test_relations_to_persons_out_of_scope_are_left_out(
    np_focal_point, np_other_org, np_caseworker, transit_home_person, parsa_person
):
    # Recorded by someone who sees both (a focal point may not edit: the transit home's caseworker does it
    # for a relative she can see; here the relative sits in Parsa, so the row is written directly).
    from setu.people.models import Relation

    Relation.objects.create(person=parsa_person, related_person=transit_home_person, kind="sibling")
    assert selectors.person_relations_for(np_other_org, parsa_person)["outgoing"] == []
    assert len(selectors.person_relations_for(np_focal_point, parsa_person)["outgoing"]) == 1
    assert selectors.person_relations_for(np_caseworker, transit_home_person)["incoming"] == []


# --- search --------------------------------------------------------------------------------------------------


def test_a_latin_query_finds_a_devanagari_name(np_caseworker, everyone):
    assert _names(np_caseworker, query="Gita Thapa") == {"गीता थापा"}
    assert _names(np_caseworker, query="geeta") == {"गीता थापा"}


def test_a_devanagari_query_finds_a_latin_name(np_caseworker, everyone):
    assert _names(np_caseworker, query="सीता") == {"Sita Tamang"}
    assert _names(np_caseworker, query="तामाङ") == {"Sita Tamang"}


def test_a_broad_query_gives_the_same_answer_when_too_many_match_to_list(np_caseworker, everyone, monkeypatch):
    expected = [p.full_name for p in selectors.person_list_for(np_caseworker, query="Sita")]
    monkeypatch.setattr(selectors, "MATERIALISE_LIMIT", 0)  # every match counts as "too many to list"
    monkeypatch.setattr(selectors, "MATERIALISE_LIMIT_POSTGRESQL", 0)
    assert [p.full_name for p in selectors.person_list_for(np_caseworker, query="Sita")] == expected
    assert _names(np_caseworker, query="Gita Thapa") == {"गीता थापा"}
    assert _names(np_caseworker, query="Rita") == set()


def test_search_never_reaches_outside_the_users_scope(np_caseworker, everyone):
    assert _names(np_caseworker, query="Rita") == set()


def test_an_alias_finds_the_person(np_caseworker, transit_home_person):
    services.person_add_alias(actor=np_caseworker, person=transit_home_person, name="कान्छी")
    assert _names(np_caseworker, query="Kanchhi") == {"Sita Tamang"}


def test_a_phone_number_finds_the_person_in_any_format(np_caseworker, transit_home_person):
    services.person_add_phone(actor=np_caseworker, person=transit_home_person, number="9841234567")
    assert _names(np_caseworker, query="+977 984-1234567") == {"Sita Tamang"}
    assert _names(np_caseworker, query="९८४१२३४५६७") == {"Sita Tamang"}
    assert _names(np_caseworker, query="9841234568") == set()


def test_a_document_number_finds_the_person_exactly(np_caseworker, transit_home_person):
    services.person_add_document(actor=np_caseworker, person=transit_home_person, document_type="passport",
                                 number="PA 123456", issuing_country="NP")  # fmt: skip
    assert _names(np_caseworker, query="pa123456") == {"Sita Tamang"}
    assert _names(np_caseworker, query="PA12345") == set()


def test_exact_spellings_come_before_phonetic_matches(np_caseworker, np_transit_home, morang):
    for name in ("Sunita Rai", "Sita Rai"):
        services.person_create(actor=np_caseworker, full_name=name, location_district=morang)
    found = list(selectors.person_list_for(np_caseworker, query="sita").values_list("full_name", flat=True))
    assert found == ["Sita Rai", "Sunita Rai"]


def test_filters_narrow_the_list(np_focal_point, everyone):
    everyone["parsa"].nationality = "IN"
    everyone["parsa"].save(update_fields=["nationality"])
    assert _names(np_focal_point, nationality="IN") == {"Rita Yadav"}
    assert _names(np_focal_point, location_district_id=everyone["parsa"].location_district_id) == {"Rita Yadav"}
    assert _names(np_focal_point, gender="Masculine") == set()


# --- the paged results of the list page and the API ---------------------------------------------------------


def _many(organisation, district, names):
    from setu.people.tests.factories import PersonFactory

    return [PersonFactory(full_name=name, organisation=organisation, location_district=district) for name in names]


@pytest.mark.parametrize("username", ["np_caseworker", "np_monitor", "np_focal_point", "np_other_org"])
def test_paged_results_are_the_same_persons_in_the_same_order_as_the_list(
    username, request, everyone, np_transit_home, np_parsa_org, morang, parsa
):
    user = request.getfixturevalue(username)
    _many(np_transit_home, morang, ["Sita Rai", "सीता राई", "Seeta Gurung", "Gita Rai"])
    _many(np_parsa_org, parsa, ["Sita Yadav", "सीता यादव"])
    for query in ["Sita", "सीता", "Sita Rai", "Rai", "nobody"]:
        results = selectors.person_results_for(user, query=query)
        assert isinstance(results, selectors.PersonResults)
        expected = [p.pk for p in selectors.person_list_for(user, query=query)]
        assert [p.pk for p in results[0 : results.count()]] == expected, query
        assert len(results) == len(expected)


def test_paged_results_apply_the_filters(np_focal_point, everyone, np_transit_home, morang):
    _many(np_transit_home, morang, ["Sita Rai"])
    results = selectors.person_results_for(np_focal_point, query="Sita", nationality="IN")
    expected = set(
        selectors.person_list_for(np_focal_point, query="Sita", nationality="IN").values_list("pk", flat=True)
    )
    assert {p.pk for p in results[0:10]} == expected


def test_a_query_too_broad_to_fetch_falls_back_to_the_database(np_caseworker, everyone, monkeypatch):
    monkeypatch.setattr(selectors, "MATERIALISE_LIMIT", 0)
    monkeypatch.setattr(selectors, "MATERIALISE_LIMIT_POSTGRESQL", 0)
    results = selectors.person_results_for(np_caseworker, query="Sita")
    assert not isinstance(results, selectors.PersonResults)
    assert [p.full_name for p in results] == ["Sita Tamang"]


def test_a_page_of_results_costs_the_same_queries_however_many_match(
    np_focal_point, np_transit_home, morang, django_assert_max_num_queries
):
    _many(np_transit_home, morang, [f"Sita Rai {n}" for n in range(60)])
    results = selectors.person_results_for(np_focal_point, query="Sita")
    with django_assert_max_num_queries(1):
        page = results[0:50]
    assert len(page) == 50
    assert page[0].organisation.name_en and page[0].location_district.name_en


def test_a_renamed_person_is_found_by_the_new_name_only(np_caseworker, transit_home_person):
    services.person_update(actor=np_caseworker, person=transit_home_person, full_name="रीना राई")
    assert _names(np_caseworker, query="Rina Rai") == {"रीना राई"}
    assert _names(np_caseworker, query="Sita Tamang") == set()


def test_quotes_and_backslashes_in_a_query_are_only_text(np_caseworker, everyone):
    for query in ("सीता'", "सीता\\", "'); DROP TABLE people_person; --", "सीता:* | ''"):
        assert _names(np_caseworker, query=query) <= {"Sita Tamang"}


def test_the_token_table_is_written_only_where_search_reads_it(np_caseworker, transit_home_person):
    """SQLite searches PersonSearchToken; PostgreSQL the GIN-indexed vector of the person's own keys
    (migration 0004), and writes no tokens."""
    from django.db import connection

    from setu.people.models import PersonSearchToken, search_tokens_used

    assert search_tokens_used() == (connection.vendor != "postgresql")
    assert PersonSearchToken.objects.filter(person=transit_home_person).exists() == search_tokens_used()
    assert _names(np_caseworker, query="Sita") == {"Sita Tamang"}
