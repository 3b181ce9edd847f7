"""Interception pages: the list, recording one (and its refusals, 400 with nothing saved), the record's page
with its score and repeats, the small forms (screen again, add someone, call the family, decide and refer),
repeat detection as names are typed, and the same 404 for roles and stations that may not see a record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.accounts.models import Membership
from setu.audit.models import AuditEvent
from setu.cases.models import Case
from setu.cases.tests.factories import load_v1
from setu.geo.models import BorderPoint
from setu.interceptions import services
from setu.interceptions.models import Companion, FamilyCall, InterceptedPerson, Interception
from setu.interceptions.services import InterceptionEntry, PersonEntry
from setu.people.models import Person
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _url(name: str, interception: Interception | None = None) -> str:
    return reverse(f"interceptions:{name}", args=[interception.public_id] if interception else [])


def _record(actor, station, *, girl: str = "Sita Tamang", companion: str | None = "Ram Bahadur Thapa",
            persons=None, companions=None, **kwargs) -> Interception:  # fmt: skip
    entry = InterceptionEntry(
        station=station, intercepted_at=kwargs.pop("intercepted_at", timezone.now() - dt.timedelta(hours=1)),
        persons=persons or [PersonEntry(full_name=girl, gender="Feminine", age_years=16)],
        companions=companions if companions is not None else (
            [PersonEntry(full_name=companion, gender="Masculine", is_suspect=True, roles=["RecruiterOrIntermediary"])]
            if companion else []),
        flags=kwargs.pop("flags", ["family_unaware", "no_id"]), certainty=kwargs.pop("certainty", 4), **kwargs,
    )  # fmt: skip
    return services.interception_record(actor=actor, entry=entry)


@pytest.fixture
def station(np_transit_home, rani):
    np_transit_home.border_points.add(rani)
    return rani


@pytest.fixture
def interception(np_monitor, station) -> Interception:
    return _record(np_monitor, station)


@pytest.fixture
def kakarbhitta(db) -> BorderPoint:
    from setu.people.tests.factories import district

    return BorderPoint.objects.get_or_create(country="NP", name_en="Kakarbhitta",
                                             defaults={"district": district("Jhapa")})[0]  # fmt: skip


def _yesterday() -> str:
    # Not today: at 06:15 the form's time would be in the future for the first hours of the day.
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def _form_data(station, /, **changes) -> dict:
    """What the record form posts for one girl, one suspect and a few flags; the other rows left empty."""
    data = {
        "draft": "draft-1234-abcd", "station": station.pk, "intercepted_on": _yesterday(),
        "intercepted_time": "06:15", "noticed_by": "staff", "staff_names": "Gita",
        "p0-full_name": "Sita Tamang", "p0-gender": "Feminine", "p0-age_years": "16", "p0-nationality": "NP",
        "p0-phone": "9812345678", "p0-relationship": "says he is her uncle",
        "c0-full_name": "Ram Bahadur Thapa", "c0-gender": "Masculine", "c0-is_suspect": "on",
        "c0-roles": ["RecruiterOrIntermediary", "TravellingPartner"], "c0-claimed_relationship": "uncle",
        "c0-description": "red cap",
        "flags": ["no_id", "family_unaware", "companion_met_recently"], "certainty": "4",
        "purpose": "work", "destination": "Delhi", "destination_country": "in", "onward_country": "",
        "documents": ["none"], "transport": "bus",
    }  # fmt: skip
    # The empty rows, as a browser sends them (defaults selected).
    for prefix in ("p1", "p2", "c1", "c2"):
        nationality = "NP" if prefix.startswith("p") else ""
        data.update({f"{prefix}-full_name": "", f"{prefix}-gender": "NonSpecifiedUnknown",
                     f"{prefix}-nationality": nationality, f"{prefix}-age_years": ""})  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- every page, for a user who may see it -----------------------------------------------------------------------


def test_every_page_renders_for_the_monitor(np_monitor, interception):
    client = _client(np_monitor)
    pages = [_url("list"), _url("record"), _url("repeats") + "?q=Sita", _url("detail", interception)]
    pages += [_url(name, interception) for name in ("screen", "add_person", "add_companion", "call", "decide")]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Sita Tamang" not in _text(response) or page != _url("record")


def test_the_nav_links_the_interceptions_for_those_who_may_see_them(np_monitor, np_caseworker):
    assert f'href="{_url("list")}"' in _text(_client(np_monitor).get("/"))
    assert f'href="{_url("list")}"' not in _text(_client(np_caseworker).get("/"))


@pytest.mark.parametrize("name", ["list", "record", "repeats", "detail", "screen", "call", "decide", "add_person"])
def test_a_role_without_the_permission_gets_404(np_caseworker, np_analyst, interception, name):
    url = _url(name, interception) if name not in ("list", "record", "repeats") else _url(name)
    for user in (np_caseworker, np_analyst):
        assert _client(user).get(url).status_code == 404


def test_a_transit_home_manager_sees_the_record_but_cannot_write_on_it(np_transit_home, interception):
    from setu.accounts.tests.factories import make_user

    manager = make_user("manager", "shelter_manager", np_transit_home)
    client = _client(manager)
    response = client.get(_url("detail", interception))
    assert response.status_code == 200
    assert _url("decide", interception) not in _text(response)
    assert client.get(_url("decide", interception)).status_code == 404
    assert client.post(_url("call", interception), {"called_name": "x"}).status_code == 404
    assert client.get(_url("record")).status_code == 404


def test_another_organisation_gets_the_same_404(np_parsa_org, interception):
    from setu.accounts.tests.factories import make_user

    other = make_user("parsa_monitor", "border_monitor", np_parsa_org)
    client = _client(other)
    assert client.get(_url("detail", interception)).status_code == 404
    malformed = _url("detail", interception).replace(str(interception.public_id), "no-such-id")
    assert client.get(malformed).status_code == 404
    assert interception.number not in _text(client.get(_url("list")))


def test_a_monitor_posted_at_a_station_does_not_see_another_stations_record(np_monitor, station, kakarbhitta):
    here = _record(np_monitor, station)
    there = _record(np_monitor, kakarbhitta, girl="Gita Rai")
    Membership.objects.filter(user=np_monitor).update(border_point=station)
    client = _client(np_monitor)
    assert client.get(_url("detail", there)).status_code == 404
    assert client.get(_url("detail", here)).status_code == 200
    listing = _text(client.get(_url("list")))
    assert here.number in listing and there.number not in listing
    assert client.get(_url("call", there)).status_code == 404
    # Her form offers her station only.
    form = _text(client.get(_url("record")))
    assert "Rani" in form and "Kakarbhitta" not in form


# --- the list ----------------------------------------------------------------------------------------------------


def test_the_list_shows_number_station_date_count_score_and_outcome(np_monitor, interception):
    response = _client(np_monitor).get(_url("list"))
    text = _text(response)
    assert interception.number in text and "Rani" in text and "Medium" in text and "Open" in text
    row = re.search(rf"{interception.number}.*?</tr>", text, re.S).group(0)
    assert 'data-label="People stopped">1<' in row and ">55 <" in row
    assert "Sita Tamang" not in text  # the list names nobody
    assert f'href="{_url("record")}"' in text


def test_the_list_filters_by_station_and_outcome(np_monitor, station, kakarbhitta):
    rani_record = _record(np_monitor, station)
    other = _record(np_monitor, kakarbhitta, girl="Gita Rai")
    services.interception_decide(actor=np_monitor, interception=other, outcome="counselled")
    client = _client(np_monitor)
    text = _text(client.get(_url("list") + f"?station={station.pk}"))
    assert rani_record.number in text and other.number not in text
    text = _text(client.get(_url("list") + "?outcome=counselled"))
    assert other.number in text and rani_record.number not in text
    # htmx gets the results only.
    partial = client.get(_url("list") + "?outcome=counselled", HTTP_HX_REQUEST="true")
    assert "<html" not in _text(partial) and other.number in _text(partial)


def test_the_list_pages_and_costs_a_fixed_number_of_queries(np_monitor, station, django_assert_max_num_queries):
    for n in range(27):
        _record(np_monitor, station, girl=f"Girl {n}", companion=None)
    client = _client(np_monitor)
    with django_assert_max_num_queries(14):
        response = client.get(_url("list"))
    assert _text(response).count('data-label="Number"') == 25 and "Page 1 of 2" in _text(response)
    assert _text(client.get(_url("list") + "?page=2")).count('data-label="Number"') == 2


def test_a_police_officer_sees_the_list_but_only_records_his_own(np_police, interception):
    response = _client(np_police).get(_url("list"))
    assert interception.number in _text(response)
    assert _client(np_police).get(_url("decide", interception)).status_code == 404


# --- recording ---------------------------------------------------------------------------------------------------


def test_the_record_form_is_built_for_the_desk(np_monitor, station):
    text = _text(_client(np_monitor).get(_url("record")))
    assert f'<option value="{station.pk}" selected>' in text  # the station of her organisation, preselected
    assert 'hx-trigger="keyup changed delay:400ms"' in text
    assert f'hx-get="{_url("repeats")}?kind=companion&amp;row=c0"' in text
    assert "js/interceptions.js" in text and 'data-draft-key="setu.interception.draft.' in text
    assert "Discard draft" in text and "data-draft-notice hidden" in text
    # The checklist's groups and flags, with their weights.
    for group in ("Vulnerability", "Evasion and deception", "Control", "What the monitor saw"):
        assert f"<legend>{group}</legend>" in text
    assert 'name="flags" value="family_unaware"' in text and ">45</span>" in text
    assert text.count('name="p0-full_name"') == 1 and 'name="p2-full_name"' in text and 'name="c2-full_name"' in text


def test_the_flags_are_named_in_the_users_language(np_monitor, station):
    client = _client(np_monitor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ne"
    text = _text(client.get(_url("record")))
    assert "कुनै परिचयपत्र छैन" in text and "जोखिम अवस्था" in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    assert "कोई पहचान पत्र नहीं" in _text(client.get(_url("record")))


def test_the_posted_station_is_preselected(np_monitor, rani, kakarbhitta):
    Membership.objects.filter(user=np_monitor).update(border_point=kakarbhitta)
    text = _text(_client(np_monitor).get(_url("record")))
    assert f'<option value="{kakarbhitta.pk}" selected>' in text and "Rani" not in text


def test_recording_by_post_creates_the_records_with_audit_rows(np_monitor, station, morang):
    persons_before = Person.objects.count()
    response = _client(np_monitor).post(_url("record"), _form_data(station))
    interception = Interception.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", interception) + "?draft=draft-1234-abcd"
    assert interception.station == station and interception.staff_names == "Gita"
    assert timezone.localtime(interception.intercepted_at).strftime("%H:%M") == "06:15"
    assert (interception.score, interception.risk_level) == (80, "high")
    assert interception.flags == ["family_unaware", "companion_met_recently", "no_id"]
    assert (interception.purpose, interception.destination_country, interception.documents) == ("work", "IN",
                                                                                                  ["none"])  # fmt: skip
    girl = InterceptedPerson.objects.get(interception=interception)
    assert (girl.person.full_name, girl.age_years, girl.relationship) == ("Sita Tamang", 16, "says he is her uncle")
    suspect = Companion.objects.get(interception=interception)
    assert suspect.is_suspect and suspect.roles == ["RecruiterOrIntermediary", "TravellingPartner"]
    assert (suspect.claimed_relationship, suspect.description) == ("uncle", "red cap")
    assert Person.objects.count() == persons_before + 2  # the empty rows are ignored
    assert AuditEvent.objects.filter(action="interception.record", object_id=str(interception.public_id)).exists()
    assert AuditEvent.objects.filter(action="person.create").count() == 2


def test_the_detail_page_after_the_save_tells_the_browser_to_drop_that_draft(np_monitor, station):
    client = _client(np_monitor)
    response = client.post(_url("record"), _form_data(station), follow=True)
    text = _text(response)
    assert 'data-draft-done="draft-1234-abcd"' in text and "js/interceptions.js" in text
    assert "is recorded" in text
    # Opened otherwise (from the list, a repeat), the page leaves any draft alone.
    assert "data-draft-done" not in _text(client.get(_url("detail", Interception.objects.get())))


def test_a_draft_sent_again_after_a_lost_reply_is_not_recorded_twice(np_monitor, station):
    """The reply to the first save never reached the phone; the restored draft is sent again."""
    client = _client(np_monitor)
    client.post(_url("record"), _form_data(station))
    persons = Person.objects.count()
    again = client.post(_url("record"), _form_data(station), follow=True)
    assert Interception.objects.count() == 1 and Person.objects.count() == persons
    assert "already recorded from this draft" in _text(again)
    other = client.post(_url("record"), _form_data(station, draft="draft-5678-efgh"))
    assert other.status_code == 302 and Interception.objects.count() == 2  # another draft is another record


def test_recording_without_javascript_needs_no_draft_id(np_monitor, station):
    response = _client(np_monitor).post(_url("record"), _form_data(station, draft=None))
    assert response.status_code == 302 and response["Location"] == _url("detail", Interception.objects.get())


def test_an_existing_person_is_chosen_by_her_setu_id(np_monitor, np_transit_home, station, morang):
    known = PersonFactory(full_name="Sita Tamang", organisation=np_transit_home, location_district=morang)
    persons_before = Person.objects.count()
    data = _form_data(station, **{"p0-existing": str(known.public_id), "c0-full_name": "", "c0-is_suspect": None,
                                  "c0-roles": None, "c0-claimed_relationship": "", "c0-description": ""})  # fmt: skip
    response = _client(np_monitor).post(_url("record"), data)
    assert response.status_code == 302
    assert InterceptedPerson.objects.get().person == known and Person.objects.count() == persons_before


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"intercepted_on": "2026-02-30"}, "id_intercepted_on", "is not a date"),
        ({"intercepted_on": "05/01/2026"}, "id_intercepted_on", "YYYY-MM-DD"),
        ({"intercepted_on": ""}, "id_intercepted_on", "Give the date and time of the interception."),
        ({"intercepted_time": "25:99"}, "id_intercepted_time", "HH:MM"),
        ({"station": "999999"}, "id_station", "Unknown station"),
        ({"station": ""}, "id_station", "Choose the station (crossing point)."),
        ({"p0-age_years": "230"}, "id_p0-age_years", "less than or equal to 120"),
        ({"p0-existing": "not-an-id"}, "id_p0-existing", "No person you may see has this Setu id."),
        ({"onward_country": "Dubai"}, "id_onward_country", "at most 2 characters"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(np_monitor, station, changes, field_id, message):
    persons_before = Person.objects.count()
    response = _client(np_monitor).post(_url("record"), _form_data(station, **changes))
    text = _text(response)
    assert response.status_code == 400
    assert "Nothing was saved" in text and message in text
    # The message sits with its field (Django renders the error list just before the input).
    assert re.search(rf'<ul class="errorlist"[^>]*id="{field_id}_error"', text), field_id
    assert not Interception.objects.exists() and Person.objects.count() == persons_before
    # What was typed is kept, and the draft is not restored over it.
    assert 'value="Ram Bahadur Thapa"' in text and 'data-draft-bound="1"' in text


@pytest.mark.parametrize(
    ("changes", "section", "message"),
    [
        (
            {"intercepted_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()},
            "where",
            "cannot be in the future",
        ),
        ({"intercepted_on": "1999-12-31"}, "where", "before 2000"),
        (
            {"p0-full_name": "", "p0-age_years": "", "p0-phone": "", "p0-relationship": ""},
            "persons",
            "Add at least one person stopped.",
        ),
        ({"p0-full_name": ""}, "persons", "Person 1: give a name"),
        ({"p0-phone": "12"}, "persons", "is not a phone number"),
        ({"destination_country": "I1"}, "journey", "two-letter country code"),
    ],
)
def test_the_services_refusals_are_shown_where_they_belong(np_monitor, station, changes, section, message):
    response = _client(np_monitor).post(_url("record"), _form_data(station, **changes))
    text = _text(response)
    assert response.status_code == 400 and message in text
    part = re.search(rf'<fieldset id="{section}">.*?</fieldset>', text, re.S).group(0)
    assert message in part
    assert not Interception.objects.exists()


def test_a_flag_unknown_to_the_checklist_is_refused(np_monitor, station):
    response = _client(np_monitor).post(_url("record"), _form_data(station, flags=["no_id", "made_up"]))
    assert response.status_code == 400 and "made_up" in _text(response)
    assert not Interception.objects.exists()


# --- the record's page -------------------------------------------------------------------------------------------


def test_the_page_shows_the_score_its_level_the_drivers_and_the_checklist_version(np_monitor, interception):
    response = _client(np_monitor).get(_url("detail", interception))
    text = _text(response)
    assert '<strong class="points">55</strong>' in text and "Medium" in text
    drivers = re.search(r'<ol class="plain drivers">.*?</ol>', text, re.S).group(0)
    assert drivers.index("Family does not know she is going to India") < drivers.index("Carries no identity document")
    assert '"driver-weight">45<' in drivers and '"driver-weight">10<' in drivers and "Vulnerability" in drivers
    assert "Screened with checklist version 1" in text
    assert "How sure it is trafficking: 4 of 5" in text
    assert "Sita Tamang" in text and "Ram Bahadur Thapa" in text and "Suspect" in text
    assert "Recruiter or intermediary" in text
    assert AuditEvent.objects.filter(action="interception.view", object_id=str(interception.public_id)).count() == 1


def test_the_page_keeps_the_records_checklist_version_after_a_new_one(np_monitor, np_admin, interception):
    text = services.checklist_current().source.replace('version: "1"', 'version: "2"')
    services.checklist_load(actor=np_admin, text=text.replace("weight: 45", "weight: 50"))
    page = _text(_client(np_monitor).get(_url("detail", interception)))
    assert "Screened with checklist version 1" in page and '<strong class="points">55</strong>' in page


def test_the_page_shows_each_persons_and_companions_earlier_interceptions(np_monitor, station, kakarbhitta):
    earlier = _record(np_monitor, kakarbhitta, girl="Gita Rai", intercepted_at=timezone.now() - dt.timedelta(days=9))
    suspect = earlier.companions.get().person
    girl = earlier.persons.get().person
    now = _record(np_monitor, station, persons=[PersonEntry(person=girl)],
                  companions=[PersonEntry(person=suspect, is_suspect=True)])  # fmt: skip
    text = _text(_client(np_monitor).get(_url("detail", now)))
    assert text.count(earlier.number) == 3  # her earlier stop, his, and the girl he escorted then
    assert "Others stopped with this companion:" in text and "as a suspect" in text


# --- repeat detection at the desk --------------------------------------------------------------------------------


def test_typing_a_persons_name_shows_her_earlier_interception(np_monitor, interception):
    response = _client(np_monitor).get(
        _url("repeats") + "?kind=person&row=p0&p0-full_name=Sita+Tamang", HTTP_HX_REQUEST="true"
    )
    text = _text(response)
    assert response.status_code == 200 and "<html" not in text
    assert interception.number in text and "Seen before" in text and "stopped" in text
    girl = interception.persons.get().person
    assert f'data-use-person="{girl.public_id}" data-row="p0"' in text
    assert AuditEvent.objects.filter(action="person.search", actor_id=np_monitor.pk).count() == 1


def test_typing_a_companions_name_shows_the_others_he_escorted(np_monitor, station, kakarbhitta):
    first = _record(np_monitor, station, girl="Sita Tamang")
    suspect = first.companions.get().person
    _record(np_monitor, kakarbhitta, girl="Gita Rai", companions=[PersonEntry(person=suspect, is_suspect=True)])
    text = _text(_client(np_monitor).get(_url("repeats") + "?kind=companion&row=c0&c0-full_name=Ram+Bahadur",
                                         HTTP_HX_REQUEST="true"))  # fmt: skip
    assert "recurring escort" in text and "2 earlier interceptions" in text and "at 2 stations" in text
    escorted = re.search(r'<ul class="plain items escorted">.*?</ul>', text, re.S).group(0)
    assert "Sita Tamang" in escorted and "Gita Rai" in escorted


def test_repeats_show_only_what_the_user_may_see(np_monitor, np_parsa_org, birgunj, interception):
    from setu.accounts.tests.factories import make_user

    other = make_user("parsa_monitor", "border_monitor", np_parsa_org)
    text = _text(_client(other).get(_url("repeats") + "?q=Ram+Bahadur", HTTP_HX_REQUEST="true"))
    assert interception.number not in text and "Ram Bahadur" not in text


def test_repeats_offer_other_records_of_the_name_to_choose(np_monitor, np_transit_home, morang, station):
    known = PersonFactory(full_name="Maya Gurung", organisation=np_transit_home, location_district=morang)
    text = _text(_client(np_monitor).get(_url("repeats") + "?kind=person&row=p1&p1-full_name=Maya",
                                         HTTP_HX_REQUEST="true"))  # fmt: skip
    assert "Other records of this name" in text and f'data-use-person="{known.public_id}" data-row="p1"' in text


def test_repeats_without_htmx_is_a_page_of_its_own(np_monitor, interception):
    text = _text(_client(np_monitor).get(_url("repeats") + "?q=Sita"))
    assert "<html" in text and interception.number in text
    assert "data-use-person" not in text  # no form row to fill here: the Setu ids are shown instead


def test_a_one_letter_name_searches_nothing(np_monitor, interception):
    text = _text(_client(np_monitor).get(_url("repeats") + "?q=S", HTTP_HX_REQUEST="true"))
    assert interception.number not in text
    assert not AuditEvent.objects.filter(action="person.search").exists()


# --- screening again, adding people ------------------------------------------------------------------------------


def test_screening_again_rescores_with_the_records_version(np_monitor, interception):
    client = _client(np_monitor)
    form = _text(client.get(_url("screen", interception)))
    assert 'value="family_unaware" id="flag-family_unaware" checked' in form
    response = client.post(_url("screen", interception), {"flags": ["known_trafficker", "no_id"], "certainty": "5"})
    assert response.status_code == 302 and response["Location"] == _url("detail", interception) + "#screening"
    interception.refresh_from_db()
    assert (interception.score, interception.certainty) == (60, 5)
    response = client.post(_url("screen", interception), {"flags": ["bogus"]})
    assert response.status_code == 400 and "bogus" in _text(response)


def test_a_person_and_a_companion_are_added_later(np_monitor, interception):
    client = _client(np_monitor)
    response = client.post(_url("add_person", interception),
                           {"p0-full_name": "Gita Rai", "p0-gender": "Feminine", "p0-age_years": "14"})  # fmt: skip
    assert response.status_code == 302
    response = client.post(_url("add_companion", interception), {"c0-full_name": "Kanchi", "c0-gender": "Feminine",
                                                                  "c0-claimed_relationship": "aunt"})  # fmt: skip
    assert response.status_code == 302
    assert interception.persons.count() == 2 and interception.companions.count() == 2
    response = client.post(_url("add_person", interception), {"p0-gender": "Feminine"})
    assert response.status_code == 400 and "give a name" in _text(response)
    assert interception.persons.count() == 2


# --- the family call ---------------------------------------------------------------------------------------------


def test_a_family_call_is_logged(np_monitor, interception):
    client = _client(np_monitor)
    response = client.post(_url("call", interception), {
        "called_name": "Maya Tamang", "relation": "mother", "phone": "9812345678",
        "said": "She thought Sita was at school", "verdict": "contradicted",
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("#calls")
    call = FamilyCall.objects.get()
    assert (call.phone, call.verdict, call.called_by) == ("+9779812345678", "contradicted", np_monitor)
    text = _text(client.get(_url("detail", interception)))
    assert "Maya Tamang" in text and "Contradicted her story" in text and "She thought Sita was at school" in text


def test_a_bad_call_is_refused_next_to_its_fields(np_monitor, interception):
    response = _client(np_monitor).post(_url("call", interception), {
        "called_name": "", "relation": "", "phone": "12", "called_on": "2026-13-01",
    })  # fmt: skip
    text = _text(response)
    assert response.status_code == 400 and "is not a date" in text
    response = _client(np_monitor).post(_url("call", interception), {"called_name": "", "phone": "12"})
    text = _text(response)
    assert response.status_code == 400
    for field, message in [("called_name", "Who was called?"), ("relation", "Say how the person called"),
                           ("phone", "is not a phone number"), ("verdict", "Say what the call showed.")]:  # fmt: skip
        assert re.search(rf'id="id_{field}_error"[^>]*>.*?{re.escape(message)}', text, re.S), field
    assert not FamilyCall.objects.exists()


# --- the outcome -------------------------------------------------------------------------------------------------


def test_deciding_a_referral_opens_a_case_for_the_person_and_links_it(np_monitor, interception):
    load_v1()
    stopped = interception.persons.get()
    client = _client(np_monitor)
    form = _text(client.get(_url("decide", interception)))
    assert 'name="refer"' in form and "Sita Tamang, 16" in form
    response = client.post(_url("decide", interception), {"outcome": "police", "refer": [stopped.pk]})
    assert response.status_code == 302 and response["Location"].endswith("#outcome")
    stopped.refresh_from_db()
    case = Case.objects.get()
    assert stopped.case == case and case.survivor == stopped.person
    interception.refresh_from_db()
    assert interception.outcome == "police"
    page = _text(client.get(_url("detail", interception)))
    assert f'href="{reverse("cases:detail", args=[case.public_id])}">{case.number}</a>' in page
    assert f"Cases: {case.number}" in page  # the message after the save


def test_a_referral_without_anyone_chosen_is_refused(np_monitor, interception):
    response = _client(np_monitor).post(_url("decide", interception), {"outcome": "police"})
    assert response.status_code == 400 and "Choose who is referred" in _text(response)
    interception.refresh_from_db()
    assert interception.outcome == "open" and not Case.objects.exists()


def test_a_placement_in_a_transit_home_names_it(np_monitor, np_transit_home, interception):
    client = _client(np_monitor)
    response = client.post(_url("decide", interception), {"outcome": "transit_home"})
    assert response.status_code == 400 and "Say to whom she was handed." in _text(response)
    response = client.post(_url("decide", interception), {"outcome": "transit_home", "handed_to": np_transit_home.pk})
    assert response.status_code == 302
    interception.refresh_from_db()
    assert interception.handed_to == np_transit_home
    assert "Change the outcome" in _text(client.get(_url("detail", interception)))


def test_a_referral_that_cannot_open_a_case_says_why(np_monitor, station):
    interception = _record(np_monitor, station, persons=[PersonEntry(full_name="Unknown girl")])
    response = _client(np_monitor).post(_url("decide", interception),
                                        {"outcome": "police", "refer": [interception.persons.get().pk]})  # fmt: skip
    assert response.status_code == 400
    assert "No SOP version is in use" in _text(response) or "Give her age" in _text(response)
    assert not Case.objects.exists()
