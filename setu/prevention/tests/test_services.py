"""Services: what they save, the audit row each writes, who may call them, and clear refusals that save nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from setu.accounts.policy import NotFoundOrForbidden
from setu.accounts.tests.factories import MembershipFactory, OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.prevention import services
from setu.prevention.models import AwarenessActivity, VigilanceReport
from setu.prevention.tests.factories import make_activity

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The node's date is fixed, so "in the future" means the same thing on every run."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _activity(actor, biratnagar, **changes):
    values = {"held_on": dt.date(2026, 3, 1), "district": biratnagar.district, "local_level": biratnagar, "ward": 5,
              "audience": "students", "topics": ["red_flags", "safe_migration"], "female_under_18": 40,
              "male_under_18": 35, **changes}  # fmt: skip
    return services.activity_record(actor=actor, **values)


def _report(actor, biratnagar, **changes):
    values = {"reported_on": dt.date(2026, 3, 10), "district": biratnagar.district, "local_level": biratnagar,
              "ward": 3, "reporter": "Ward 3 vigilance committee", "kind": "child_travel",
              "seen": "Two girls of about 15 taken towards the border by a man at dawn.", **changes}  # fmt: skip
    return services.vigilance_report_record(actor=actor, **values)


# --- recording an activity -----------------------------------------------------------------------------------


def test_a_local_government_officer_records_an_activity_with_its_audit_row(np_localgov, np_municipality, biratnagar):
    activity = _activity(np_localgov, biratnagar, notes="  In the school hall.  ")

    activity.refresh_from_db()
    assert activity.organisation == np_municipality
    assert activity.total == 75
    assert activity.topics == ["safe_migration", "red_flags"]  # in the list's order
    assert activity.notes == "In the school hall."
    assert activity.created_by == np_localgov
    event = AuditEvent.objects.get(action="prevention.activity_record")
    assert event.outcome == "allowed"
    assert event.actor_username == "np_localgov"
    assert event.object_id == str(activity.public_id)
    assert event.object_type == "prevention.awarenessactivity"
    assert event.organisation_name == "Biratnagar Metropolitan City"
    assert set(event.fields) == {"organisation", "held_on", "district", "local_level", "ward", "audience",
                                 "female_under_18", "male_under_18", "topics", "notes"}  # fmt: skip


def test_a_border_monitor_records_for_the_transit_home(np_monitor, np_transit_home, biratnagar):
    activity = _activity(np_monitor, biratnagar, audience="transport_workers")
    assert activity.organisation == np_transit_home


def test_partners_are_saved_and_the_organisation_is_not_its_own_partner(
    np_localgov, np_municipality, np_transit_home, np_police_org, biratnagar
):
    activity = _activity(np_localgov, biratnagar, partners_other="Shree Janata School",
                         partner_organisations=[np_transit_home, np_police_org, np_municipality])  # fmt: skip
    assert set(activity.partner_organisations.all()) == {np_transit_home, np_police_org}
    assert activity.partners_other == "Shree Janata School"
    assert "partner_organisations" in AuditEvent.objects.get(action="prevention.activity_record").fields


def _refused(callable_, expected_field: str) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        callable_()
    assert expected_field in refused.value.message_dict, refused.value.message_dict
    assert all(refused.value.message_dict[expected_field])
    return refused.value


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"held_on": dt.date(2026, 3, 16)}, "held_on", "The date cannot be in the future."),
        ({"held_on": None}, "held_on", "Enter the date of the activity."),
        ({"ward": 20}, "ward", "Biratnagar has wards 1 to 19."),
        ({"ward": 0}, "ward", "Biratnagar has wards 1 to 19."),
        ({"ward": None}, "ward", "Enter the ward number."),
        ({"local_level": None}, "local_level", "Choose the municipality or rural municipality."),
        ({"female_under_18": 0, "male_under_18": 0}, "reached", "Enter how many people the activity reached."),
        ({"male_under_18": -3}, "male_under_18", "A number of people cannot be negative."),
        ({"male_under_18": "many"}, "male_under_18", "Enter a whole number."),
        ({"male_under_18": 1_000_000}, "male_under_18", "Ensure this value is less than or equal to 100000."),
        ({"topics": []}, "topics", "Choose at least one topic."),
        ({"topics": ["astrology"]}, "topics", "Choose the topics from the list."),
        ({"audience": ""}, "audience", "Choose the audience."),
        ({"audience": "tourists"}, "audience", "Value 'tourists' is not a valid choice."),
    ],
)
def test_a_bad_activity_is_refused_with_a_clear_message_and_nothing_saved(
    np_localgov, biratnagar, changes, field, message
):
    refused = _refused(lambda: _activity(np_localgov, biratnagar, **changes), field)
    assert message in refused.message_dict[field]
    assert not AwarenessActivity.objects.exists()
    assert not AuditEvent.objects.filter(action="prevention.activity_record").exists()


def test_a_local_level_of_another_district_is_refused(np_localgov, biratnagar, birgunj):
    refused = _refused(lambda: _activity(np_localgov, biratnagar, local_level=birgunj), "local_level")
    assert refused.message_dict["local_level"] == ["Birgunj is not in the district chosen."]
    assert not AwarenessActivity.objects.exists()


def test_a_district_the_organisation_does_not_work_in_is_refused(np_localgov, birgunj):
    refused = _refused(lambda: _activity(np_localgov, birgunj, district=birgunj.district), "district")
    assert "Biratnagar Metropolitan City does not work in Parsa" in refused.message_dict["district"][0]
    assert not AwarenessActivity.objects.exists()


def test_an_organisation_listing_no_district_may_record_anywhere(birgunj):
    roaming = OrganisationFactory(name_en="Roaming NGO")
    monitor = make_user("roaming_monitor", "border_monitor", roaming)
    assert _activity(monitor, birgunj, district=birgunj.district).organisation == roaming


def test_several_errors_come_back_together(np_localgov, biratnagar):
    refused = _refused(lambda: _activity(np_localgov, biratnagar, held_on=dt.date(2027, 1, 1), ward=99,
                                         topics=[], female_under_18=0, male_under_18=0), "held_on")  # fmt: skip
    assert {"held_on", "ward", "topics", "reached"} <= set(refused.message_dict)


@pytest.mark.parametrize("persona", ["np_caseworker", "np_police", "np_analyst", "np_focal_point", "np_admin"])
def test_a_role_without_prevention_record_gets_the_404_audited_and_nothing_saved(request, persona, biratnagar):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotFoundOrForbidden):
        _activity(user, biratnagar)
    with pytest.raises(NotFoundOrForbidden):
        _report(user, biratnagar)
    assert not AwarenessActivity.objects.exists() and not VigilanceReport.objects.exists()
    assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied", action="prevention.record").count() == 2


def test_recording_for_another_organisation_is_refused(np_localgov, np_transit_home, biratnagar):
    refused = _refused(lambda: _activity(np_localgov, biratnagar, organisation=np_transit_home), "organisation")
    assert refused.message_dict["organisation"] == ["You cannot record for this organisation."]
    assert not AwarenessActivity.objects.exists()


def test_a_member_of_two_organisations_says_which_one_records(np_localgov, np_transit_home, biratnagar):
    MembershipFactory(user=np_localgov, organisation=np_transit_home, role="border_monitor")
    _refused(lambda: _activity(np_localgov, biratnagar), "organisation")
    assert _activity(np_localgov, biratnagar, organisation=np_transit_home).organisation == np_transit_home


# --- editing an activity -------------------------------------------------------------------------------------


def test_an_update_saves_the_changes_and_audits_the_fields_changed(np_localgov, biratnagar, np_transit_home):
    activity = _activity(np_localgov, biratnagar)
    updated = services.activity_update(actor=np_localgov, activity=activity, ward=7, female_adult=12,
                                       partner_organisations=[np_transit_home], notes="Same")  # fmt: skip
    updated.refresh_from_db()
    assert (updated.ward, updated.female_adult, updated.total) == (7, 12, 87)
    assert list(updated.partner_organisations.all()) == [np_transit_home]
    event = AuditEvent.objects.get(action="prevention.activity_update")
    assert event.object_id == str(activity.public_id)
    assert event.fields == ["female_adult", "notes", "partner_organisations", "ward"]


def test_an_update_that_changes_nothing_is_audited_with_no_fields(np_localgov, biratnagar):
    activity = _activity(np_localgov, biratnagar)
    services.activity_update(actor=np_localgov, activity=activity, ward=5, topics=["red_flags", "safe_migration"])
    assert AuditEvent.objects.get(action="prevention.activity_update").fields == []


def test_a_refused_update_saves_nothing(np_localgov, biratnagar, rangeli):
    activity = _activity(np_localgov, biratnagar)
    refused = _refused(lambda: services.activity_update(actor=np_localgov, activity=activity, local_level=rangeli,
                                                        ward=12, male_under_18=-1), "ward")  # fmt: skip
    assert refused.message_dict["ward"] == ["Rangeli has wards 1 to 9."]
    activity.refresh_from_db()
    assert (activity.local_level, activity.ward, activity.male_under_18) == (biratnagar, 5, 35)
    assert not AuditEvent.objects.filter(action="prevention.activity_update").exists()


def test_moving_an_activity_to_a_district_the_organisation_does_not_work_in_is_refused(np_localgov, biratnagar,
                                                                                       birgunj):  # fmt: skip
    activity = _activity(np_localgov, biratnagar)
    _refused(lambda: services.activity_update(actor=np_localgov, activity=activity, district=birgunj.district,
                                              local_level=birgunj), "district")  # fmt: skip
    activity.refresh_from_db()
    assert activity.local_level == biratnagar


@pytest.mark.parametrize("persona", ["np_monitor", "np_parsa_localgov", "np_analyst", "np_caseworker"])
def test_only_the_activitys_own_organisation_may_edit_it(request, persona, np_municipality, biratnagar):
    """A border monitor of the same district sees the municipality's activity but may not change it."""
    activity = make_activity(organisation=np_municipality, local_level=biratnagar, ward=2)
    user = request.getfixturevalue(persona)
    with pytest.raises(NotFoundOrForbidden):
        services.activity_update(actor=user, activity=activity, ward=3)
    activity.refresh_from_db()
    assert activity.ward == 2
    assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied", object_id=str(activity.public_id)).exists()


def test_an_update_takes_only_the_fields_it_edits(np_localgov, biratnagar):
    activity = _activity(np_localgov, biratnagar)
    with pytest.raises(TypeError):
        services.activity_update(actor=np_localgov, activity=activity, organisation=None)


# --- vigilance reports ---------------------------------------------------------------------------------------


def test_a_vigilance_report_is_recorded_with_its_audit_row(np_localgov, np_municipality, biratnagar):
    report = _report(np_localgov, biratnagar, follow_up="police", follow_up_note="Rangeli police post told.")
    report.refresh_from_db()
    assert (report.organisation, report.kind, report.follow_up) == (np_municipality, "child_travel", "police")
    event = AuditEvent.objects.get(action="prevention.vigilance_record")
    assert event.object_id == str(report.public_id)
    assert event.object_type == "prevention.vigilancereport"
    assert set(event.fields) == {"organisation", "reported_on", "district", "local_level", "ward", "reporter", "kind",
                                 "seen", "follow_up", "follow_up_note"}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reported_on": dt.date(2026, 4, 1)}, "reported_on", "The date cannot be in the future."),
        ({"ward": 20}, "ward", "Biratnagar has wards 1 to 19."),
        ({"reporter": "   "}, "reporter", "Enter who reported it."),
        ({"seen": "\n  "}, "seen", "Describe what was seen."),
        ({"kind": ""}, "kind", "Choose what kind of report it is."),
        ({"follow_up": "other"}, "follow_up_note", "Say what the follow-up was."),
        ({"follow_up": "shrug"}, "follow_up", "Value 'shrug' is not a valid choice."),
    ],
)
def test_a_bad_vigilance_report_is_refused_with_a_clear_message_and_nothing_saved(
    np_localgov, biratnagar, changes, field, message
):
    refused = _refused(lambda: _report(np_localgov, biratnagar, **changes), field)
    assert message in refused.message_dict[field]
    assert not VigilanceReport.objects.exists()
    assert not AuditEvent.objects.filter(action="prevention.vigilance_record").exists()


def test_a_vigilance_report_from_a_local_level_of_another_district_is_refused(np_localgov, biratnagar, birgunj):
    _refused(lambda: _report(np_localgov, biratnagar, local_level=birgunj), "local_level")
    assert not VigilanceReport.objects.exists()
