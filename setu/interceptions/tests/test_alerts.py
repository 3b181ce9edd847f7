"""Interception alerts across the border (exchange type `interception.alert`): what leaves the node (nobody
named, cut to the schema), the send service, and what the counterpart post sees on receipt (only what the
alert carried, and only at the station it concerns)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from setu.accounts.models import Membership
from setu.accounts.policy import NotFoundOrForbidden
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.exchange import flows
from setu.exchange.envelope import stored_claims
from setu.exchange.inbox import receive
from setu.exchange.models import InboxMessage, OutboxMessage
from setu.exchange.types import PayloadError, message_type, minimise
from setu.geo.models import BorderPoint
from setu.interceptions import alerts
from setu.interceptions.models import Interception, InterceptionAlert
from setu.interceptions.services import InterceptionEntry, PersonEntry, interception_record

pytestmark = pytest.mark.django_db

# What the people on the record are called, and their phones: none of it may cross the border.
SECRETS = ("Sita", "Tamang", "Ram Bahadur", "Thapa", "Kanchi", "9812345678", "9800000000", "Sindhupalchok")


@pytest.fixture
def interception(np_monitor, rani, morang) -> Interception:
    """A girl of 16 stopped at Rani with a recruiter (a suspect) and an aunt (not a suspect), on a bus."""
    np_monitor.memberships.get().organisation.border_points.add(rani)
    entry = InterceptionEntry(
        station=rani, intercepted_at=timezone.now() - dt.timedelta(hours=2),
        persons=[PersonEntry(full_name="Sita Tamang", gender="Feminine", age_years=16, phone="+9779812345678",
                             home_district=morang)],
        companions=[
            PersonEntry(full_name="Ram Bahadur Thapa", gender="Masculine", age_years=34, is_suspect=True,
                        roles=["RecruiterOrIntermediary", "TravellingPartner"], phone="+9779800000000",
                        description="Tall, red cap, scar on the left cheek"),
            PersonEntry(full_name="Kanchi Tamang", gender="Feminine", age_years=41, claimed_relationship="aunt"),
        ],
        transport="bus", vehicle="Ko 1 Kha 2345, blue Tata bus", coming_from="Sindhupalchok, Bahrabise",
        from_district=morang, destination="Delhi", destination_country="IN", onward_country="AE",
        flags=["family_unaware", "no_id", "third_country"], certainty=4, notes="She says Sita's aunt paid.",
    )  # fmt: skip
    return interception_record(actor=np_monitor, entry=entry)


def _payload(**changes) -> dict:
    """An alert as India's node sends it: stopped at Jogbani, for our post at Rani."""
    payload = {
        "interception_number": "IN-INT-2026-000031", "station": "Jogbani", "counterpart_station": "Rani",
        "intercepted_at": "2026-11-25T08:30:00Z", "from_district": "Sunsari", "destination": "Mumbai",
        "destination_country": "IN", "transport": "rickshaw", "vehicle": "BR 38 P 4411, yellow e-rickshaw",
        "persons": [{"sex": "Feminine", "age_band": "9-17"}, {"sex": "Feminine", "age_band": "18-20"}],
        "suspects": [{"sex": "Masculine", "age_band": "27-29", "roles": ["Transporter"],
                      "description": "Green jacket, limps, speaks Maithili"}],
        "red_flag_points": 85, "risk_level": "high", "checklist_version": "1", "note": "He turned back north.",
    }  # fmt: skip
    payload.update(changes)
    return payload


def _alert_from_india(india, **changes) -> tuple[InboxMessage, dict]:
    token, claims = india.message("interception.alert", _payload(**changes), legal_basis="none: no identifying data")
    reply = receive(token)
    assert reply.status == 200, reply
    return InboxMessage.objects.get(message_id=claims["id"]), claims


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def parsa_monitor(np_parsa_org, birgunj):
    """A border monitor of the Parsa organisation, which works at Birgunj."""
    np_parsa_org.border_points.add(birgunj)
    return make_user("parsa_monitor", "border_monitor", np_parsa_org)


# --- what leaves the node ----------------------------------------------------------------------------------------


def test_the_alert_names_nobody_and_counts_the_people_stopped_by_sex_and_age_band(interception, india):
    payload = minimise("interception.alert", alerts.alert_candidate(interception), may_identify=False)
    text = json.dumps(payload, ensure_ascii=False)
    assert not [secret for secret in SECRETS if secret in text]
    assert payload["persons"] == [{"sex": "Feminine", "age_band": "9-17"}]
    # The aunt is not a suspect: she is not in the alert at all.
    roles = ["RecruiterOrIntermediary", "TravellingPartner"]
    description = "Tall, red cap, scar on the left cheek"
    assert payload["suspects"] == [
        {"sex": "Masculine", "age_band": "30-38", "roles": roles, "description": description}
    ]
    assert payload["station"] == "Rani" and payload["counterpart_station"] == "Jogbani"
    assert payload["from_district"] == "Morang" and payload["onward_country"] == "AE"
    assert payload["red_flag_points"] == interception.score and payload["risk_level"] == interception.risk_level


def test_the_schema_has_no_field_for_a_name_or_any_identity():
    kind = message_type("interception.alert")
    assert kind.identity_fields == frozenset()
    assert not kind.case_bound and kind.purpose == "prevention"
    assert set(kind.schema["properties"]) == {
        "interception_number", "station", "counterpart_station", "intercepted_at", "from_district", "destination",
        "destination_country", "onward_country", "transport", "vehicle", "persons", "suspects", "red_flag_points",
        "risk_level", "checklist_version", "note",
    }  # fmt: skip
    suspect = kind.schema["properties"]["suspects"]["items"]
    assert set(suspect["properties"]) == {"sex", "age_band", "description", "roles"}
    assert suspect["additionalProperties"] is False


def test_fields_the_schema_does_not_name_are_cut_before_signing():
    candidate = _payload(suspect_name="Ram Bahadur Thapa", girl_name="Sita Tamang", phone="+9779812345678")
    payload = minimise("interception.alert", candidate, may_identify=True)
    assert payload == _payload()


def test_a_suspect_carrying_a_name_is_refused_and_nothing_is_sent():
    suspects = [{"sex": "Masculine", "age_band": "30-38", "name": "Ram Bahadur Thapa"}]
    with pytest.raises(PayloadError) as refused:
        minimise("interception.alert", _payload(suspects=suspects), may_identify=True)
    assert "name" in str(refused.value.problems)


def test_the_receiver_refuses_an_alert_that_carries_more_than_its_schema(india, rani):
    for payload in (_payload(suspect_name="Ram"), _payload(suspects=[{"sex": "Masculine", "age_band": "30-38",
                                                                      "name": "Ram"}])):  # fmt: skip
        token, claims = india.message("interception.alert", payload, legal_basis="none: no identifying data")
        reply = receive(token)
        assert reply.status == 422
        assert InboxMessage.objects.get(message_id=claims["id"]).state == InboxMessage.State.REJECTED
    assert not InterceptionAlert.objects.exists()


# --- sending -----------------------------------------------------------------------------------------------------


def test_sending_queues_a_signed_alert_records_when_and_audits(interception, np_monitor, india):
    now = timezone.now()
    message = alerts.interception_alert_send(actor=np_monitor, interception=interception, note="Watch the bus park",
                                             now=now)  # fmt: skip
    claims = stored_claims(message.token)
    assert (message.peer.code, message.type, message.state) == ("IN", "interception.alert", "pending")
    assert claims["purpose"] == "prevention" and claims["legal_basis"] == "none: no identifying data"
    assert claims["case_ref"] is None and claims["seq"] is None
    assert claims["payload"]["note"] == "Watch the bus park"
    assert not [secret for secret in SECRETS if secret in json.dumps(claims, ensure_ascii=False)]
    interception.refresh_from_db()
    assert interception.alert == message and message.created_at == now
    assert alerts.alert_message_for(interception) == message
    assert AuditEvent.objects.filter(action="interception.alert_send", object_id=str(interception.public_id),
                                     actor_id=np_monitor.pk).exists()  # fmt: skip
    assert AuditEvent.objects.filter(action="exchange.send", object_id=str(message.id)).exists()


def test_one_alert_per_interception(interception, np_monitor, india):
    alerts.interception_alert_send(actor=np_monitor, interception=interception)
    with pytest.raises(ValidationError, match="already sent"):
        alerts.interception_alert_send(actor=np_monitor, interception=interception)
    assert OutboxMessage.objects.filter(type="interception.alert").count() == 1


def test_a_rollback_leaves_neither_the_message_nor_the_mark_nor_the_audit(interception, np_monitor, india):
    with pytest.raises(RuntimeError), transaction.atomic():
        alerts.interception_alert_send(actor=np_monitor, interception=interception)
        assert OutboxMessage.objects.filter(type="interception.alert").count() == 1
        raise RuntimeError("the caller's transaction fails")
    assert not OutboxMessage.objects.exists()
    assert Interception.objects.get(pk=interception.pk).alert_id is None
    assert not AuditEvent.objects.filter(action__in=["interception.alert_send", "exchange.send"]).exists()


def test_a_station_without_a_counterpart_has_no_post_to_alert(np_monitor, birgunj, india):
    entry = InterceptionEntry(station=birgunj, intercepted_at=timezone.now(),
                              persons=[PersonEntry(full_name="Maya", gender="Feminine", age_years=19)])  # fmt: skip
    interception = interception_record(actor=np_monitor, entry=entry)
    with pytest.raises(ValidationError, match="no crossing point facing it"):
        alerts.interception_alert_send(actor=np_monitor, interception=interception)
    assert not OutboxMessage.objects.exists()


def test_without_the_other_node_registered_nothing_is_queued(interception, np_monitor, node_keys_dir):
    with pytest.raises(ValidationError, match="not registered"):
        alerts.interception_alert_send(actor=np_monitor, interception=interception)
    assert Interception.objects.get(pk=interception.pk).alert_id is None


@pytest.mark.parametrize("who", ["np_other_org", "np_police", "np_focal_point"])
def test_only_those_who_may_record_on_the_interception_send_its_alert(who, request, interception, india):
    user = request.getfixturevalue(who)
    with pytest.raises(NotFoundOrForbidden):
        alerts.interception_alert_send(actor=user, interception=interception)
    assert AuditEvent.objects.filter(actor_id=user.pk, action="interception.alert_send", outcome="denied").exists()
    assert not OutboxMessage.objects.exists()


def test_the_send_button_posts_and_returns_to_the_page_it_was_on(interception, np_monitor, india):
    url = reverse("interceptions:alert_send", args=[interception.public_id])
    response = _client(np_monitor).post(url, {"note": "", "next": "/interceptions/somewhere/"})
    assert response.status_code == 302 and response.url == "/interceptions/somewhere/"
    assert OutboxMessage.objects.filter(type="interception.alert").count() == 1
    elsewhere = _client(np_monitor).post(url, {"next": "https://evil.example/"})
    assert elsewhere.url == reverse("interceptions:detail", args=[interception.public_id])
    again = _client(np_monitor).post(url, {"next": reverse("interceptions:alerts")}, follow=True)
    assert "already sent" in again.content.decode()
    assert OutboxMessage.objects.filter(type="interception.alert").count() == 1


def test_the_send_button_is_404_for_someone_outside_the_interception(interception, np_other_org, india):
    url = reverse("interceptions:alert_send", args=[interception.public_id])
    assert _client(np_other_org).post(url).status_code == 404
    assert not OutboxMessage.objects.exists()


def _panel(interception, user) -> str:
    request = RequestFactory().get("/interceptions/x/")
    request.user = user
    template = Template("{% load interception_alerts %}{% interception_alert_panel interception %}")
    return template.render(RequestContext(request, {"interception": interception}))


def test_the_panel_offers_the_button_then_shows_what_became_of_the_alert(interception, np_monitor, india):
    html = _panel(interception, np_monitor)
    assert reverse("interceptions:alert_send", args=[interception.public_id]) in html and "Jogbani" in html
    message = alerts.interception_alert_send(actor=np_monitor, interception=interception)
    interception.refresh_from_db()
    assert "waiting to be delivered" in _panel(interception, np_monitor)
    OutboxMessage.objects.filter(pk=message.pk).update(state="delivered", delivered_at=timezone.now())
    token, _claims = india.message("message.status", {"of": str(message.id), "event": "acted",
                                                      "at": "2026-11-25T09:00:00Z", "outcome": "found"},
                                   legal_basis="none: no identifying data")  # fmt: skip
    assert receive(token).status == 200
    html = _panel(interception, np_monitor)
    assert "delivered" in html and "Suspect found" in html and "alert_send" not in html


def test_the_panel_is_empty_for_a_reader_who_may_not_send(interception, np_focal_point, india):
    assert "<form" not in _panel(interception, np_focal_point)


# --- receiving ---------------------------------------------------------------------------------------------------


def test_an_alert_from_india_is_kept_exactly_as_it_came_for_our_station_facing_the_sender(india, rani):
    row, claims = _alert_from_india(india)
    alert = InterceptionAlert.objects.get(inbox=row)
    assert row.state == InboxMessage.State.APPLIED and row.action_role == ""
    assert alert.payload == claims["payload"]
    assert (alert.station, alert.from_node, alert.received_at) == (rani, "IN", row.received_at)
    assert alert.acknowledged_at is None


def test_our_station_is_found_by_its_counterpart_when_the_name_differs(india, rani):
    row, _claims = _alert_from_india(india, counterpart_station="Biratnagar (Rani)")
    assert InterceptionAlert.objects.get(inbox=row).station == rani


def test_an_alert_for_a_station_we_do_not_know_is_kept_for_node_wide_eyes_only(india, rani, np_monitor,
                                                                                np_focal_point):  # fmt: skip
    np_monitor.memberships.get().organisation.border_points.add(rani)
    row, _claims = _alert_from_india(india, counterpart_station="Nowhere", station="Elsewhere")
    alert = InterceptionAlert.objects.get(inbox=row)
    assert alert.station is None
    assert list(alerts.alert_list_for(np_focal_point)) == [alert]
    assert not alerts.alert_list_for(np_monitor).exists()


def test_the_rani_monitor_sees_the_alert_and_the_parsa_post_does_not(india, rani, np_monitor, parsa_monitor,
                                                                    np_other_org):  # fmt: skip
    np_monitor.memberships.get().organisation.border_points.add(rani)
    row, _claims = _alert_from_india(india)
    alert = InterceptionAlert.objects.get(inbox=row)
    assert list(alerts.alert_list_for(np_monitor)) == [alert]
    assert _client(np_monitor).get(reverse("interceptions:alert_detail", args=[alert.public_id])).status_code == 200
    assert "1 interception alert for your post" in _client(np_monitor).get("/").content.decode()
    for outsider in (parsa_monitor, np_other_org):
        assert not alerts.alert_list_for(outsider).exists()
        page = _client(outsider).get(reverse("interceptions:alert_detail", args=[alert.public_id]))
        assert page.status_code == 404
        assert AuditEvent.objects.filter(actor_id=outsider.pk, outcome="denied").exists()
    assert "Green jacket" not in _client(parsa_monitor).get(reverse("interceptions:alerts")).content.decode()


def test_a_monitor_posted_at_another_station_does_not_see_it(india, rani, birgunj, np_transit_home):
    np_transit_home.border_points.add(rani, birgunj)
    posted = make_user("posted_monitor", "border_monitor", np_transit_home)
    Membership.objects.filter(user=posted).update(border_point=birgunj)
    _alert_from_india(india)
    assert not alerts.alert_list_for(posted).exists()


def test_police_of_the_district_see_it(india, rani, np_police):
    _alert_from_india(india)
    assert alerts.alert_list_for(np_police).count() == 1


def test_the_alert_page_shows_only_what_the_alert_carried(india, interception, np_monitor):
    """Our own interception at Rani (Sita, her recruiter) must not leak onto the page of India's alert."""
    row, _claims = _alert_from_india(india)
    alert = InterceptionAlert.objects.get(inbox=row)
    client = _client(np_monitor)
    for url in (reverse("interceptions:alerts"), reverse("interceptions:alert_detail", args=[alert.public_id])):
        html = client.get(url).content.decode()
        assert "BR 38 P 4411" in html
        assert not [secret for secret in SECRETS if secret in html]
        assert interception.number not in html and "Ko 1 Kha 2345" not in html
    detail = client.get(reverse("interceptions:alert_detail", args=[alert.public_id])).content.decode()
    for carried in ("IN-INT-2026-000031", "Green jacket, limps", "Transporter", "Sunsari", "Mumbai",
                    "He turned back north.", "Rickshaw or e-rickshaw", "9–17", "18–20"):  # fmt: skip
        assert carried in detail, carried


def test_the_alert_is_not_a_message_for_the_exchange_pages(india, rani, np_focal_point, np_monitor):
    row, _claims = _alert_from_india(india)
    for user in (np_focal_point, np_monitor):
        assert row not in flows.awaiting(user)
        assert _client(user).get(reverse("exchange:received_detail", args=[row.message_id])).status_code == 404


def test_opening_it_tells_the_sender_once_and_only_for_someone_who_may_act(india, rani, np_monitor, np_focal_point):
    np_monitor.memberships.get().organisation.border_points.add(rani)
    row, _claims = _alert_from_india(india)
    url = reverse("interceptions:alert_detail", args=[row.interception_alert.public_id])
    _client(np_focal_point).get(url)
    assert not OutboxMessage.objects.filter(type="message.status").exists()
    _client(np_monitor).get(url)
    _client(np_monitor).get(url)
    [status] = OutboxMessage.objects.filter(type="message.status")
    payload = stored_claims(status.token)["payload"]
    assert (status.peer.code, payload["of"], payload["event"]) == ("IN", str(row.message_id), "opened")


def test_acting_on_it_records_the_outcome_and_tells_the_sender_the_outcome_only(india, rani, np_monitor):
    np_monitor.memberships.get().organisation.border_points.add(rani)
    row, _claims = _alert_from_india(india)
    alert = row.interception_alert
    url = reverse("interceptions:alert_detail", args=[alert.public_id])
    response = _client(np_monitor).post(url, {"outcome": "found", "note": "Held at the Rani checkpost by APF"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.outcome, alert.acknowledged_by, alert.action_note) == (
        "found",
        np_monitor,
        "Held at the Rani checkpost by APF",
    )
    [status] = OutboxMessage.objects.filter(type="message.status")
    payload = stored_claims(status.token)["payload"]
    assert (payload["event"], payload["outcome"]) == ("acted", "found")
    assert "checkpost" not in status.token and "APF" not in json.dumps(stored_claims(status.token))
    row.refresh_from_db()
    assert row.acted_by == np_monitor and row.outcome == "found"
    assert AuditEvent.objects.filter(action="interception.alert_acknowledge", actor_id=np_monitor.pk).exists()
    assert not alerts.alert_list_for(np_monitor).exists()
    assert alerts.alert_list_for(np_monitor, open_only=False).get() == alert
    again = _client(np_monitor).post(url, {"outcome": "watched"})
    assert again.status_code == 400 and "already been acted on" in again.content.decode()


def test_a_reader_who_may_not_record_cannot_act_on_it(india, rani, np_focal_point):
    row, _claims = _alert_from_india(india)
    url = reverse("interceptions:alert_detail", args=[row.interception_alert.public_id])
    client = _client(np_focal_point)
    assert client.get(url).status_code == 200
    assert b'name="outcome"' not in client.get(url).content
    assert client.post(url, {"outcome": "watched"}).status_code == 404
    assert InterceptionAlert.objects.get(pk=row.interception_alert.pk).acknowledged_at is None


def test_a_bad_outcome_is_refused_with_the_form(india, rani, np_monitor):
    np_monitor.memberships.get().organisation.border_points.add(rani)
    row, _claims = _alert_from_india(india)
    url = reverse("interceptions:alert_detail", args=[row.interception_alert.public_id])
    assert _client(np_monitor).post(url, {"outcome": "ignored"}).status_code == 400
    assert not OutboxMessage.objects.exists()


def test_the_alert_list_is_for_interception_viewers_only(np_caseworker):
    assert _client(np_caseworker).get(reverse("interceptions:alerts")).status_code == 404


def test_the_list_and_pages_fit_many_alerts_in_few_queries(india, rani, np_monitor, django_assert_max_num_queries):
    np_monitor.memberships.get().organisation.border_points.add(rani)
    for n in range(6):
        _alert_from_india(india, interception_number=f"IN-INT-2026-{n:06d}")
    client = _client(np_monitor)
    client.get(reverse("interceptions:alerts"))  # warm the session and the user
    with django_assert_max_num_queries(14):
        html = client.get(reverse("interceptions:alerts")).content.decode()
    assert html.count("IN-INT-2026") == 0 and html.count("BR 38 P 4411") == 6


def test_a_border_point_of_the_other_country_is_never_our_station(india, rani):
    """The station is looked up among this node's crossing points only."""
    row, _claims = _alert_from_india(india, counterpart_station="Jogbani", station="Nowhere")
    assert InterceptionAlert.objects.get(inbox=row).station is None
    assert BorderPoint.objects.filter(name_en="Jogbani", country="IN").exists()


def test_an_organisation_without_that_station_does_not_see_it(india, rani, morang):
    other = OrganisationFactory(name_en="Another NGO Morang", districts=[morang])
    monitor = make_user("other_monitor", "border_monitor", other)
    _alert_from_india(india)
    assert not alerts.alert_list_for(monitor).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_alerts_sent_before_the_foreign_key(interception, np_monitor, india):
    """Migrations 0004-0006 turn `alert_sent_at` into a link to the message: back to 0004 the time is copied
    from the message, and forward again the message is found by that time and the interception's number."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    message = alerts.interception_alert_send(actor=np_monitor, interception=interception)
    # A second alert at the same time, for another interception number.
    other = {**alerts.alert_candidate(interception), "interception_number": "X-1"}
    other_message = alerts.outbox_put(type=alerts.ALERT_TYPE, peer=message.peer, actor=np_monitor,
                                      now=message.created_at, candidate=other)  # fmt: skip
    assert other_message.created_at == message.created_at

    executor = MigrationExecutor(connection)
    executor.migrate([("interceptions", "0004_interception_alert_message")])
    old = executor.loader.project_state([("interceptions", "0004_interception_alert_message")]).apps
    row = old.get_model("interceptions", "Interception").objects.get(pk=interception.pk)
    assert row.alert_sent_at == message.created_at
    row.alert = None
    row.save(update_fields=["alert"])

    executor = MigrationExecutor(connection)
    executor.migrate([("interceptions", "0006_remove_interception_alert_sent_at")])
    assert Interception.objects.get(pk=interception.pk).alert_id == message.pk
