"""Interceptions' services and selectors: recording (with its validation that saves nothing), the checklist
versions a record keeps, the station a monitor is posted at, family calls, outcomes and referral to a case,
who sees what, and repeat detection. Every write is checked for its audit row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from setu.accounts.models import Membership, User
from setu.accounts.policy import NotFoundOrForbidden
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.cases.models import Case
from setu.cases.tests.factories import load_v1, open_case
from setu.geo.models import BorderPoint
from setu.interceptions import screening, selectors, services
from setu.interceptions.models import Checklist, Companion, FamilyCall, InterceptedPerson, Interception, Outcome
from setu.interceptions.services import InterceptionEntry, PersonEntry
from setu.people.models import Person
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _audits(action: str, obj=None) -> int:
    events = AuditEvent.objects.filter(action=action)
    if obj is not None:
        events = events.filter(object_id=str(obj.public_id))
    return events.count()


def _fresh(user: User) -> User:
    """The user read again: memberships are cached on the user object for one request."""
    return User.objects.get(pk=user.pk)


def _post(user: User, station: BorderPoint) -> User:
    Membership.objects.filter(user=user).update(border_point=station)
    return _fresh(user)


def _girl(name: str = "Sita Tamang", **kwargs) -> PersonEntry:
    return PersonEntry(full_name=name, gender="Feminine", age_years=kwargs.pop("age_years", 16), nationality="NP",
                       **kwargs)  # fmt: skip


def _suspect(name: str = "Ram Bahadur Thapa", **kwargs) -> PersonEntry:
    return PersonEntry(full_name=name, gender="Masculine", age_years=34, is_suspect=True,
                       roles=["RecruiterOrIntermediary"], **kwargs)  # fmt: skip


def _entry(station, **kwargs) -> InterceptionEntry:
    values = {"intercepted_at": timezone.now() - dt.timedelta(hours=1), "persons": [_girl()],
              "companions": [_suspect()], "flags": ["family_unaware", "no_id"], "certainty": 4}  # fmt: skip
    values.update(kwargs)
    return InterceptionEntry(station=station, **values)


def record(actor, station, **kwargs) -> Interception:
    return services.interception_record(actor=actor, entry=_entry(station, **kwargs))


@pytest.fixture
def kakarbhitta(db) -> BorderPoint:
    from setu.people.tests.factories import district

    jhapa = district("Jhapa")
    return BorderPoint.objects.get_or_create(country="NP", name_en="Kakarbhitta", defaults={"district": jhapa})[0]


@pytest.fixture
def sop(db):
    return load_v1()


# --- the checklist ---------------------------------------------------------------------------------------------


def _v2_text() -> str:
    """Version 2: `no_id` weighs 30 instead of 10, and a new flag."""
    text = screening.default_checklist_text().replace('version: "1"', 'version: "2"')
    text = text.replace("weight: 10\n    names: {en: Carries no identity document", "weight: 30\n    names: "
                        "{en: Carries no identity document")  # fmt: skip
    return text + (
        "  fake_bus_ticket:\n    group: evasion\n    weight: 20\n"
        "    names: {en: Ticket bought by someone else, ne: अरूले किनेको टिकट, hi: किसी और का खरीदा टिकट}\n"
        "    source: Setu test\n"
    )


def test_the_shipped_checklist_is_loaded_on_first_use(np_monitor):
    assert not Checklist.objects.exists()
    current = services.checklist_current()
    assert current.version == "1" and current.is_current and current.loaded_by is None
    assert services.checklist_current() == current
    assert _audits("checklist.load", current) == 1


def test_an_administrator_loads_a_new_version_which_becomes_current(np_admin):
    first = services.checklist_current()
    second = services.checklist_load(actor=np_admin, text=_v2_text())
    first.refresh_from_db()
    assert second.is_current and not first.is_current
    assert services.checklist_current() == second
    assert services.parsed(second).flags["no_id"].weight == 30
    assert AuditEvent.objects.filter(action="checklist.load", actor_id=np_admin.pk).count() == 1


def test_a_version_is_loaded_once(np_admin):
    services.checklist_current()
    with pytest.raises(screening.ChecklistError, match="already loaded"):
        services.checklist_load(actor=np_admin, text=screening.default_checklist_text())
    assert Checklist.objects.count() == 1


def test_a_monitor_may_not_load_a_checklist(np_monitor):
    with pytest.raises(NotFoundOrForbidden):
        services.checklist_load(actor=np_monitor, text=_v2_text())
    assert not Checklist.objects.filter(version="2").exists()


def test_parsed_checklists_are_cached_by_their_hash():
    checklist = services.checklist_current()
    assert services.parsed(checklist) is services.parsed(Checklist.objects.get(pk=checklist.pk))


# --- recording -------------------------------------------------------------------------------------------------


def test_recording_saves_the_people_the_companions_and_the_score_with_audit_rows(np_monitor, np_transit_home,
                                                                                  rani, morang):  # fmt: skip
    np_transit_home.border_points.add(rani)
    interception = record(
        np_monitor, rani, persons=[_girl(home_district=morang, phone="9812345678", relationship="uncle")],
        transport="bus", vehicle="Ko 1 Kha 2345", purpose="work", destination="Delhi", destination_country="IN",
        onward_country="AE", documents=["none", "citizenship", "none"], staff_names="Gita, Maya",
    )  # fmt: skip
    assert interception.number == f"NP-INT-{timezone.localdate().year}-000001"
    assert interception.organisation == np_transit_home and interception.district == morang
    assert interception.score == 55 and interception.risk_level == "medium"
    assert interception.flags == ["family_unaware", "no_id"]  # heaviest first
    assert interception.checklist.version == "1" and interception.certainty == 4
    assert interception.documents == ["citizenship", "none"]
    stopped = interception.persons.get()
    assert (stopped.age_years, stopped.age_band, stopped.relationship) == (16, "9-17", "uncle")
    girl = stopped.person
    assert (girl.full_name, girl.gender, girl.nationality, girl.home_district) == ("Sita Tamang", "Feminine", "NP",
                                                                                    morang)  # fmt: skip
    assert girl.organisation == np_transit_home and girl.location_district == morang
    assert girl.birth_precision == "estimated" and girl.age_estimate == 16
    assert list(girl.phones.values_list("number", flat=True)) == ["+9779812345678"]
    companion = interception.companions.get()
    assert companion.is_suspect and companion.roles == ["RecruiterOrIntermediary"]
    assert companion.person.full_name == "Ram Bahadur Thapa"
    assert _audits("interception.record", interception) == 1
    assert AuditEvent.objects.filter(action="person.create").count() == 2


def test_numbers_follow_each_other_within_a_year(np_monitor, rani):
    first = record(np_monitor, rani)
    second = record(np_monitor, rani, persons=[_girl("Gita Rai")], companions=[])
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_an_existing_person_is_linked_not_registered_again(np_monitor, np_transit_home, rani, morang):
    known = PersonFactory(full_name="Sita Tamang", organisation=np_transit_home, location_district=morang)
    persons_before = Person.objects.count()
    interception = record(np_monitor, rani, persons=[PersonEntry(person=known, age_years=17)], companions=[])
    assert interception.persons.get().person == known
    assert Person.objects.count() == persons_before


def test_a_person_the_user_may_not_see_cannot_be_put_on_a_record(np_monitor, rani, np_parsa_org, parsa):
    hidden = PersonFactory(full_name="Rita Yadav", organisation=np_parsa_org, location_district=parsa)
    with pytest.raises(NotFoundOrForbidden):
        record(np_monitor, rani, persons=[PersonEntry(person=hidden)], companions=[])
    assert not Interception.objects.exists()


def test_a_role_without_the_permission_cannot_record(np_caseworker, rani):
    with pytest.raises(NotFoundOrForbidden):
        record(np_caseworker, rani)
    assert not Interception.objects.exists()
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"station": None}, "station"),
        ({"intercepted_at": None}, "intercepted_at"),
        ({"intercepted_at": timezone.now() + dt.timedelta(days=1)}, "intercepted_at"),
        ({"intercepted_at": dt.datetime(1999, 12, 31, 10, tzinfo=dt.UTC)}, "intercepted_at"),
        ({"persons": []}, "persons"),
        ({"persons": [PersonEntry(full_name="  ")]}, "persons"),
        ({"persons": [_girl(age_years=130)]}, "persons"),
        ({"persons": [_girl(phone="12")]}, "persons"),
        ({"companions": [PersonEntry(full_name="Ram", roles=["Boss"])]}, "companions"),
        ({"flags": ["no_id", "not_a_flag"]}, "flags"),
        ({"noticed_by": "dog"}, "noticed_by"),
        ({"transport": "rocket"}, "transport"),
        ({"purpose": "fun"}, "purpose"),
        ({"documents": ["library_card"]}, "documents"),
        ({"destination_country": "India"}, "destination_country"),
        ({"onward_country": "ae"}, "onward_country"),
        ({"certainty": 6}, "certainty"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_is_saved(np_monitor, rani, changes, field):
    persons_before, audits_before = Person.objects.count(), AuditEvent.objects.count()
    station = changes.pop("station", rani)
    with pytest.raises(ValidationError) as caught:
        services.interception_record(actor=np_monitor, entry=_entry(station, **changes))
    assert field in caught.value.message_dict
    assert not Interception.objects.exists()
    assert Person.objects.count() == persons_before
    # Loading the shipped checklist on first use is the only write.
    assert AuditEvent.objects.exclude(action="checklist.load").count() == audits_before


def test_every_problem_is_reported_at_once(np_monitor, rani):
    with pytest.raises(ValidationError) as caught:
        record(np_monitor, rani, intercepted_at=None, persons=[], flags=["nope"], certainty=0)
    assert {"intercepted_at", "persons", "flags", "certainty"} <= set(caught.value.message_dict)


def test_a_station_on_the_other_side_is_refused(np_monitor, rani):
    with pytest.raises(ValidationError) as caught:
        record(np_monitor, rani.counterpart)
    assert "other side of the border" in caught.value.message_dict["station"][0]
    assert not Interception.objects.exists()


def test_a_monitor_posted_at_a_station_records_only_there(np_monitor, rani, kakarbhitta):
    monitor = _post(np_monitor, rani)
    with pytest.raises(ValidationError) as caught:
        record(monitor, kakarbhitta)
    assert caught.value.message_dict["station"] == ["You are posted at another station."]
    assert not Interception.objects.exists()
    assert record(monitor, rani).station == rani


def test_a_posted_monitor_who_also_holds_another_role_there_records_where_she_reads(np_monitor, rani, kakarbhitta):
    """Recording follows the reading rule (selectors.posted_stations): another role in the same organisation
    lifts the limit for both, so she can record at Kakarbhitta what she can see there."""
    monitor = _post(np_monitor, rani)
    organisation = monitor.memberships.get().organisation
    Membership.objects.create(user=monitor, organisation=organisation, role="caseworker")
    monitor = _fresh(monitor)
    saved = record(monitor, kakarbhitta)
    assert saved.station == kakarbhitta
    assert selectors.interception_list_for(monitor).filter(pk=saved.pk).exists()


def test_a_monitor_not_posted_anywhere_records_at_any_station_of_the_node(np_monitor, kakarbhitta):
    assert record(np_monitor, kakarbhitta).station == kakarbhitta


def test_the_organisation_working_the_station_is_chosen(rani, morang):
    first = OrganisationFactory(name_en="Org A", districts=[morang])
    second = OrganisationFactory(name_en="Org B", districts=[morang])
    second.border_points.add(rani)
    monitor = make_user("two_hats", "border_monitor", first)
    Membership.objects.create(user=monitor, organisation=second, role="border_monitor")
    assert record(_fresh(monitor), rani).organisation == second


# --- adding people afterwards ----------------------------------------------------------------------------------


def test_people_and_companions_are_added_later_with_audit_rows(np_monitor, rani):
    interception = record(np_monitor, rani)
    added = services.interception_add_person(actor=np_monitor, interception=interception, entry=_girl("Gita Rai"))
    aunt = PersonEntry(full_name="Kanchi", claimed_relationship="aunt")
    companion = services.interception_add_companion(actor=np_monitor, interception=interception, entry=aunt)
    assert added.interception == interception and added.age_band == "9-17"
    assert companion.claimed_relationship == "aunt" and not companion.is_suspect
    assert _audits("interception.add_person", interception) == 1
    assert _audits("interception.add_companion", interception) == 1


def test_the_same_person_is_not_added_twice(np_monitor, rani):
    interception = record(np_monitor, rani)
    girl = interception.persons.get().person
    with pytest.raises(ValidationError, match="already on this record"):
        services.interception_add_person(actor=np_monitor, interception=interception, entry=PersonEntry(person=girl))
    suspect = interception.companions.get().person
    with pytest.raises(ValidationError, match="already on this record"):
        services.interception_add_companion(actor=np_monitor, interception=interception,
                                            entry=PersonEntry(person=suspect))  # fmt: skip
    assert interception.persons.count() == 1 and interception.companions.count() == 1


def test_a_bad_person_added_later_saves_nothing(np_monitor, rani):
    interception = record(np_monitor, rani)
    with pytest.raises(ValidationError) as caught:
        services.interception_add_person(actor=np_monitor, interception=interception, entry=PersonEntry())
    assert "persons" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.interception_add_companion(actor=np_monitor, interception=interception,
                                            entry=PersonEntry(full_name="X", roles=["Boss"]))  # fmt: skip
    assert "companions" in caught.value.message_dict
    assert interception.persons.count() == 1 and interception.companions.count() == 1


def test_another_organisation_cannot_add_to_a_record(np_monitor, rani, np_parsa_org):
    interception = record(np_monitor, rani)
    other = make_user("parsa_monitor", "border_monitor", np_parsa_org)
    with pytest.raises(NotFoundOrForbidden):
        services.interception_add_person(actor=other, interception=interception, entry=_girl("Gita Rai"))
    with pytest.raises(NotFoundOrForbidden):
        services.family_call_record(actor=other, interception=interception, called_at=None, called_name="x",
                                    relation="x", phone="9812345678", said="", verdict="verified")  # fmt: skip
    assert interception.persons.count() == 1 and not interception.calls.exists()


# --- screening -------------------------------------------------------------------------------------------------


def test_screening_again_changes_the_score_with_an_audit_row(np_monitor, rani):
    interception = record(np_monitor, rani)
    services.interception_screen(actor=np_monitor, interception=interception,
                                 flags=["no_id", "documents_with_broker", "known_trafficker"], certainty=5)  # fmt: skip
    interception.refresh_from_db()
    assert interception.flags == ["known_trafficker", "documents_with_broker", "no_id"]
    assert (interception.score, interception.risk_level, interception.certainty) == (100, "high", 5)
    assert _audits("interception.screen", interception) == 1


def test_a_record_keeps_its_checklist_version_after_a_new_one_is_loaded(np_monitor, np_admin, rani):
    old = record(np_monitor, rani, flags=["no_id"])
    services.checklist_load(actor=np_admin, text=_v2_text())
    new = record(np_monitor, rani, flags=["no_id"], persons=[_girl("Gita Rai")], companions=[])
    assert (old.checklist.version, old.score) == ("1", 10)
    assert (new.checklist.version, new.score) == ("2", 30)
    # Screened again later: still version 1 and its weights, and a flag only version 2 has is refused.
    services.interception_screen(actor=np_monitor, interception=old, flags=["no_id", "no_phone"], certainty=None)
    old.refresh_from_db()
    assert (old.checklist.version, old.score) == ("1", 20)
    with pytest.raises(ValidationError) as caught:
        services.interception_screen(actor=np_monitor, interception=old, flags=["fake_bus_ticket"], certainty=None)
    assert "flags" in caught.value.message_dict
    old.refresh_from_db()
    assert old.flags == ["no_id", "no_phone"] and old.score == 20


def test_screening_refuses_a_certainty_outside_one_to_five(np_monitor, rani):
    interception = record(np_monitor, rani)
    with pytest.raises(ValidationError) as caught:
        services.interception_screen(actor=np_monitor, interception=interception, flags=[], certainty=9)
    assert "certainty" in caught.value.message_dict
    interception.refresh_from_db()
    assert interception.score == 55 and _audits("interception.screen", interception) == 0


# --- family calls ----------------------------------------------------------------------------------------------


def test_a_family_call_is_logged_with_the_phone_normalised_and_an_audit_row(np_monitor, rani):
    interception = record(np_monitor, rani)
    call = services.family_call_record(
        actor=np_monitor, interception=interception, called_at=None, called_name=" Maya Tamang ",
        relation="mother", phone="9812345678", said="She thinks her daughter is at school.", verdict="contradicted",
    )  # fmt: skip
    assert (call.called_name, call.phone, call.verdict, call.called_by) == ("Maya Tamang", "+9779812345678",
                                                                             "contradicted", np_monitor)  # fmt: skip
    assert _audits("interception.call", interception) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"called_at": timezone.now() + dt.timedelta(days=1)}, "called_at"),
        ({"called_at": timezone.now() - dt.timedelta(days=30)}, "called_at"),
        ({"called_name": " "}, "called_name"),
        ({"relation": ""}, "relation"),
        ({"phone": "12"}, "phone"),
        ({"verdict": "maybe"}, "verdict"),
    ],
)
def test_a_bad_family_call_saves_nothing(np_monitor, rani, changes, field):
    interception = record(np_monitor, rani)
    values = {"called_at": None, "called_name": "Maya", "relation": "mother", "phone": "9812345678", "said": "",
              "verdict": "verified", **changes}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.family_call_record(actor=np_monitor, interception=interception, **values)
    assert field in caught.value.message_dict
    assert not FamilyCall.objects.exists() and _audits("interception.call") == 0


# --- outcomes --------------------------------------------------------------------------------------------------


def test_an_outcome_is_decided_with_an_audit_row(np_monitor, rani, np_transit_home):
    interception = record(np_monitor, rani)
    services.interception_decide(actor=np_monitor, interception=interception, outcome=Outcome.TRANSIT_HOME,
                                 handed_to=np_transit_home, note=" Until her father comes ")  # fmt: skip
    interception.refresh_from_db()
    assert interception.outcome == "transit_home" and interception.handed_to == np_transit_home
    assert interception.outcome_note == "Until her father comes" and interception.outcome_at is not None
    assert _audits("interception.decide", interception) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "open"}, "outcome"),
        ({"outcome": "escaped"}, "outcome"),
        ({"outcome": "transit_home"}, "handed_to"),
        ({"outcome": "other_side"}, "handed_to"),
        ({"outcome": "police"}, "refer"),
    ],
)
def test_an_incomplete_outcome_is_refused_and_nothing_changes(np_monitor, rani, kwargs, field):
    interception = record(np_monitor, rani)
    with pytest.raises(ValidationError) as caught:
        services.interception_decide(actor=np_monitor, interception=interception, **kwargs)
    assert field in caught.value.message_dict
    interception.refresh_from_db()
    assert interception.outcome == "open" and _audits("interception.decide") == 0


def test_only_the_people_of_this_record_can_be_referred(np_monitor, rani, sop):
    first = record(np_monitor, rani)
    second = record(np_monitor, rani, persons=[_girl("Gita Rai")], companions=[])
    with pytest.raises(ValidationError) as caught:
        services.interception_decide(actor=np_monitor, interception=first, outcome="police",
                                     refer=list(second.persons.all()))  # fmt: skip
    assert "refer" in caught.value.message_dict
    assert not Case.objects.exists()


def test_a_referral_to_the_police_opens_a_case_for_each_person_referred(np_monitor, rani, morang, sop):
    interception = record(np_monitor, rani, persons=[_girl(), _girl("Gita Rai", age_years=22)], onward_country="AE")
    sita, gita = interception.persons.order_by("id")
    services.interception_decide(actor=np_monitor, interception=interception, outcome="police", refer=[sita])
    sita.refresh_from_db()
    gita.refresh_from_db()
    case = sita.case
    assert case is not None and gita.case is None
    assert (case.survivor, case.district, case.organisation) == (sita.person, morang, interception.organisation)
    assert case.identified_at == interception.intercepted_at and case.age_at_identification == 16 and case.is_minor
    assert case.exploitation_country == "AE" and interception.number in case.summary
    assert _audits("case.open", case) == 1 and _audits("interception.decide", interception) == 1


def test_a_referral_links_her_open_case_instead_of_opening_a_second(np_monitor, np_transit_home, rani, morang, sop):
    girl = PersonFactory(full_name="Sita Tamang", organisation=np_transit_home, location_district=morang)
    existing = open_case(np_monitor, district=morang, survivor=girl)
    interception = record(np_monitor, rani, persons=[PersonEntry(person=girl, age_years=16)], companions=[])
    services.interception_decide(actor=np_monitor, interception=interception, outcome="police",
                                 refer=list(interception.persons.all()))  # fmt: skip
    assert interception.persons.get().case == existing
    assert Case.objects.count() == 1


def test_a_person_referred_twice_keeps_her_one_case(np_monitor, rani, sop):
    interception = record(np_monitor, rani)
    referred = list(interception.persons.all())
    services.interception_decide(actor=np_monitor, interception=interception, outcome="police", refer=referred)
    services.interception_decide(actor=np_monitor, interception=interception, outcome="police",
                                 refer=list(interception.persons.all()))  # fmt: skip
    assert Case.objects.count() == 1


def test_a_referral_that_cannot_open_a_case_changes_nothing(np_monitor, rani, sop):
    interception = record(np_monitor, rani, persons=[PersonEntry(full_name="Unknown girl")], companions=[])
    with pytest.raises(ValidationError) as caught:
        services.interception_decide(actor=np_monitor, interception=interception, outcome="police",
                                     refer=list(interception.persons.all()))  # fmt: skip
    assert "age_at_identification" in caught.value.message_dict
    interception.refresh_from_db()
    assert interception.outcome == "open" and not Case.objects.exists()


# --- who sees what ---------------------------------------------------------------------------------------------


@pytest.fixture
def two_stations(np_monitor, np_transit_home, rani, kakarbhitta, np_parsa_org, birgunj):
    """One record at Rani and one at Kakarbhitta by the transit home, and one at Birgunj by the Parsa
    organisation."""
    parsa_monitor = make_user("parsa_monitor", "border_monitor", np_parsa_org)
    return {
        "rani": record(np_monitor, rani),
        "kakarbhitta": record(np_monitor, kakarbhitta, persons=[_girl("Gita Rai")], companions=[]),
        "birgunj": record(parsa_monitor, birgunj, persons=[_girl("Rita Yadav")], companions=[]),
    }


def test_a_monitor_sees_her_organisations_records(np_monitor, two_stations):
    assert set(selectors.interception_list_for(np_monitor)) == {two_stations["rani"], two_stations["kakarbhitta"]}


def test_a_monitor_posted_at_a_station_sees_only_that_stations_records(np_monitor, rani, two_stations):
    monitor = _post(np_monitor, rani)
    assert list(selectors.interception_list_for(monitor)) == [two_stations["rani"]]
    with pytest.raises(NotFoundOrForbidden):
        selectors.interception_get_for(monitor, two_stations["kakarbhitta"].public_id)
    assert not selectors.interception_can_record(monitor, two_stations["kakarbhitta"])
    assert AuditEvent.objects.filter(actor_id=monitor.pk, outcome="denied").count() == 1


def test_police_see_the_records_of_their_district_and_focal_points_all(np_police, np_focal_point, two_stations):
    # The Kakarbhitta record is in Jhapa, outside the Morang police's district.
    assert list(selectors.interception_list_for(np_police)) == [two_stations["rani"]]
    assert len(selectors.interception_list_for(np_focal_point)) == 3
    assert not selectors.interception_can_record(np_police, two_stations["rani"])  # another organisation's
    assert not selectors.interception_can_record(np_focal_point, two_stations["rani"])  # sees, never records


def test_roles_without_the_permission_see_nothing(np_caseworker, np_analyst, two_stations):
    for user in (np_caseworker, np_analyst):
        assert not selectors.interception_list_for(user).exists()
        with pytest.raises(NotFoundOrForbidden):
            selectors.interception_get_for(user, two_stations["rani"].public_id)


def test_the_list_filters_by_station_and_outcome(np_monitor, rani, two_stations):
    services.interception_decide(actor=np_monitor, interception=two_stations["kakarbhitta"], outcome="counselled")
    assert list(selectors.interception_list_for(np_monitor, station_id=rani.pk)) == [two_stations["rani"]]
    assert list(selectors.interception_list_for(np_monitor, outcome="counselled")) == [two_stations["kakarbhitta"]]


def test_a_malformed_id_is_the_same_404(np_monitor):
    with pytest.raises(NotFoundOrForbidden):
        selectors.interception_get_for(np_monitor, "not-a-uuid")


# --- repeat detection ------------------------------------------------------------------------------------------


def test_repeats_show_where_a_person_was_stopped_and_travelled_before(np_monitor, rani, kakarbhitta):
    first = record(np_monitor, rani, intercepted_at=timezone.now() - dt.timedelta(days=30))
    suspect = first.companions.get().person
    girl = first.persons.get().person
    second = record(np_monitor, kakarbhitta, persons=[_girl("Gita Rai"), PersonEntry(person=girl)],
                    companions=[PersonEntry(person=suspect, is_suspect=True)],
                    intercepted_at=timezone.now() - dt.timedelta(days=2))  # fmt: skip
    third = record(np_monitor, rani, persons=[_girl("Mina Rai")], companions=[PersonEntry(person=suspect)])

    repeats = selectors.repeats_for(np_monitor, suspect, exclude=third)
    assert [seen.interception for seen in repeats.seen] == [second, first]
    assert all(seen.as_companion and seen.is_suspect for seen in repeats.seen)
    assert repeats.stations == {rani.pk, kakarbhitta.pk}
    # Everyone he travelled with at the other interceptions: the girls stopped there.
    assert {(item.person.full_name, item.interception) for item in repeats.escorted} == {
        ("Sita Tamang", first), ("Gita Rai", second), ("Sita Tamang", second)}  # fmt: skip

    repeats = selectors.repeats_for(np_monitor, girl)
    assert [(seen.interception, seen.as_companion) for seen in repeats.seen] == [(second, False), (first, False)]
    assert repeats.escorted == []


def test_repeats_show_only_what_the_user_may_see(np_monitor, rani, kakarbhitta):
    first = record(np_monitor, rani)
    suspect = first.companions.get().person
    record(np_monitor, kakarbhitta, persons=[_girl("Gita Rai")], companions=[PersonEntry(person=suspect)])
    posted = _post(np_monitor, rani)
    repeats = selectors.repeats_for(posted, suspect)
    assert [seen.interception for seen in repeats.seen] == [first]
    assert {item.person.full_name for item in repeats.escorted} == {"Sita Tamang"}


def test_repeats_for_a_role_without_the_permission_are_empty(np_caseworker, np_monitor, rani):
    suspect = record(np_monitor, rani).companions.get().person
    repeats = selectors.repeats_for(np_caseworker, suspect)
    assert repeats.seen == [] and repeats.escorted == []


def test_repeats_by_name_as_the_desk_types(np_monitor, rani, kakarbhitta):
    first = record(np_monitor, rani)
    suspect = first.companions.get().person
    record(np_monitor, kakarbhitta, persons=[_girl("Gita Rai")], companions=[PersonEntry(person=suspect)])
    PersonFactory(full_name="Ram Bahadur Karki", organisation=suspect.organisation,
                  location_district=suspect.location_district)  # never intercepted: not listed  # fmt: skip
    assert selectors.repeats_for_name(np_monitor, "R") == []
    found = selectors.repeats_for_name(np_monitor, "Ram Bahadur")
    assert [item.person for item in found] == [suspect]
    assert len(found[0].seen) == 2
    assert {item.person.full_name for item in found[0].escorted} == {"Sita Tamang", "Gita Rai"}
    assert selectors.repeats_for_name(np_monitor, "राम बहादुर")[0].person == suspect


def test_repeats_by_name_are_ordered_by_how_often_seen(np_monitor, rani):
    once = record(np_monitor, rani, persons=[_girl("Sita Tamang")], companions=[])
    twice = record(np_monitor, rani, persons=[_girl("Sita Tamang")], companions=[])
    again = twice.persons.get().person
    record(np_monitor, rani, persons=[PersonEntry(person=again)], companions=[])
    found = selectors.repeats_for_name(np_monitor, "Sita Tamang")
    assert [item.person for item in found] == [again, once.persons.get().person]


def test_companions_and_people_stopped_are_kept_apart(np_monitor, rani):
    interception = record(np_monitor, rani)
    assert InterceptedPerson.objects.filter(interception=interception).count() == 1
    assert Companion.objects.filter(interception=interception).count() == 1
