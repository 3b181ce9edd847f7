"""The services: registering a report (with a new or existing missing person and her photo), editing it,
changing its status. Every write is audited; every refusal lists every problem and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from setu.accounts import policy
from setu.accounts.tests.factories import MembershipFactory, make_user
from setu.audit.models import AuditEvent
from setu.audit.services import audit_verify
from setu.people.models import Person, PersonAlias, PhoneNumber, Photo, Relation
from setu.people.tests.factories import PersonFactory
from setu.people.tests.images import gif, jpeg_with_gps
from setu.tracing import services
from setu.tracing.models import MissingReport, MissingReportCounter, Status, Visibility
from setu.tracing.tests.factories import entry, make_report, person_entry

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def _written() -> tuple[int, ...]:
    """Everything a refused registration must leave as it was."""
    return (MissingReport.objects.count(), Person.objects.count(), Relation.objects.count(),
            PersonAlias.objects.count(), PhoneNumber.objects.count(), Photo.objects.count(),
            AuditEvent.objects.exclude(outcome="denied").count(),
            sum(MissingReportCounter.objects.values_list("last", flat=True)))  # fmt: skip


# --- registering -----------------------------------------------------------------------------------------------


def test_a_caseworker_registers_a_report_with_a_new_missing_person(np_caseworker, np_transit_home, morang, biratnagar):
    report = services.report_create(actor=np_caseworker, entry=entry(last_seen_local_level=biratnagar))

    assert report.number == f"NP-MPR-{timezone.localdate().year}-000001"
    assert report.organisation == np_transit_home and report.status == Status.OPEN
    assert report.visibility == Visibility.STANDARD
    # The local level gives the district; the phone is stored in E.164.
    assert report.last_seen_district == morang and report.reporter_phone == "+9779800012345"
    person = report.person
    assert person.full_name == "सीता तामाङ" and person.name_latin == "Sita Tamang"
    assert person.organisation == np_transit_home and person.location_district == morang
    assert person.birth_precision == "estimated" and person.age_estimate == 15
    assert person.age_estimated_on == report.last_seen_on
    assert list(person.aliases.values_list("name", "kind")) == [("Sita Tamang", "spelling")]
    assert set(person.relations.values_list("kind", "related_name")) == {("father", "राम तामाङ"),
                                                                           ("mother", "माया तामाङ")}  # fmt: skip
    # One event for the report (field names, never values), and the person's own through setu.people.
    [event] = _events("tracing.report_create")
    assert event.object_id == str(report.public_id) and event.actor_id == np_caseworker.pk
    assert {"organisation", "person", "reporter_name", "last_seen_on", "last_seen_local_level"} <= set(event.fields)
    assert "Maya" not in " ".join(event.fields)
    # her record, her other spelling and her parents: one event, naming them
    [created] = _events("person.create")
    assert {"aliases", "relations"} <= set(created.fields)
    assert not _events("person.add_relation") and not _events("person.add_alias")
    assert audit_verify() == []


def test_numbers_run_without_gaps_per_year_and_a_refusal_takes_none(np_caseworker, morang):
    year = timezone.localdate().year
    first = services.report_create(actor=np_caseworker, entry=entry(last_seen_district=morang))
    with pytest.raises(ValidationError):
        services.report_create(actor=np_caseworker, entry=entry(reporter_name=""))
    second = services.report_create(actor=np_caseworker, entry=entry(last_seen_district=morang))
    last_year = services.report_create(
        actor=np_caseworker,
        entry=entry(
            last_seen_district=morang, reported_on=dt.date(year - 1, 12, 30), last_seen_on=dt.date(year - 1, 12, 29)
        ),
    )
    assert [first.number, second.number] == [f"NP-MPR-{year}-000001", f"NP-MPR-{year}-000002"]
    assert last_year.number == f"NP-MPR-{year - 1}-000001"


def test_the_photo_is_stored_on_her_record_without_its_location(np_caseworker, morang, media):
    upload = SimpleUploadedFile("sita.jpg", jpeg_with_gps(), content_type="image/jpeg")
    report = services.report_create(actor=np_caseworker, entry=entry(last_seen_district=morang, photo=upload))
    [photo] = report.person.photos.all()
    assert photo.content_type == "image/jpeg" and b"GPS" not in photo.image.read()
    assert "photo" in _events("tracing.report_create")[0].fields
    assert len(_events("person.add_photo")) == 1


def test_a_birth_date_given_in_bikram_sambat_keeps_its_calendar(np_caseworker, morang):
    missing = person_entry(age=None, birth_date=dt.date(2010, 4, 14), birth_calendar="BS")
    report = services.report_create(actor=np_caseworker, entry=entry(person=missing, last_seen_district=morang))
    assert report.person.birth_precision == "exact" and report.person.birth_calendar == "BS"
    assert report.person.birth_date == dt.date(2010, 4, 14)


def test_every_problem_is_listed_at_once_and_nothing_is_written(np_caseworker, morang, parsa, birgunj_city, media):
    before = _written()
    missing = person_entry(full_name=" ", gender="", age=130, phone="12")
    bad = entry(
        person=missing, reporter_name="", reporter_relation="", reporter_phone="abc",
        last_seen_on=TODAY() + dt.timedelta(days=3), last_seen_district=morang, last_seen_local_level=birgunj_city,
        photo=SimpleUploadedFile("x.gif", gif(), content_type="image/gif"),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=np_caseworker, entry=bad)
    errors = refused.value.message_dict
    assert set(errors) >= {"full_name", "gender", "age", "phone", "reporter_name", "reporter_relation",
                           "reporter_phone", "last_seen_on", "last_seen_local_level", "photo"}  # fmt: skip
    assert errors["last_seen_on"] == ["The date cannot be in the future."]
    assert _written() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_seen_on": TODAY() - dt.timedelta(days=1), "reported_on": TODAY() - dt.timedelta(days=5)},
         "last_seen_on", "She cannot be last seen after the report was made."),
        ({"reported_on": dt.date(1949, 12, 31), "last_seen_on": dt.date(1949, 12, 30)}, "reported_on",
         "The date is before 1950: check the year (a Bikram Sambat date must be entered as BS)."),
        ({"reported_on": TODAY() + dt.timedelta(days=1)}, "reported_on", "The date cannot be in the future."),
        ({"last_seen_on": None}, "last_seen_on", "Give the date she was last seen."),
        ({"reporter_relation": "landlord"}, "reporter_relation", "Unknown choice: landlord."),
    ],
)  # fmt: skip
def test_impossible_dates_and_missing_fields_are_refused(np_caseworker, morang, changes, field, message):
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=np_caseworker, entry=entry(last_seen_district=morang, **changes))
    assert message in refused.value.message_dict[field]
    assert _written() == before


def test_she_cannot_be_last_seen_before_she_was_born(np_caseworker, morang):
    missing = person_entry(age=None, birth_date=TODAY() - dt.timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        services.report_create(
            actor=np_caseworker,
            entry=entry(person=missing, last_seen_district=morang, last_seen_on=TODAY() - dt.timedelta(days=60)),
        )
    assert refused.value.message_dict["last_seen_on"] == ["She cannot be last seen before she was born."]


def test_what_setu_people_refuses_about_her_comes_back_on_the_reports_fields(np_caseworker, morang, biratnagar):
    missing = person_entry(home_district=morang, home_local_level=biratnagar, home_ward=40)
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=np_caseworker, entry=entry(person=missing, last_seen_district=morang,
                                                                reporter_name=""))  # fmt: skip
    errors = refused.value.message_dict
    assert errors["home_ward"] == ["Biratnagar has wards 1 to 19."]
    assert "reporter_name" in errors
    assert Person.objects.count() == 0


def test_without_a_district_she_is_placed_in_the_reporting_organisations_own(np_caseworker, morang):
    report = services.report_create(actor=np_caseworker, entry=entry())
    assert report.person.location_district == morang and report.last_seen_district is None


def test_a_body_without_districts_must_say_where_she_was_last_seen_or_lives(np_focal_point, sindhupalchok):
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=np_focal_point, entry=entry())
    assert "last_seen_district" in refused.value.message_dict
    report = services.report_create(
        actor=np_focal_point,
        entry=entry(person=person_entry(home_district=sindhupalchok), last_seen_place="Delhi, India"),
    )
    assert report.person.location_district == sindhupalchok


def test_a_report_for_an_existing_record_the_reporter_may_see(np_police, np_transit_home, morang):
    sita = PersonFactory(full_name="Sita Tamang", organisation=np_transit_home, location_district=morang)
    report = services.report_create(actor=np_police, entry=entry(person=services.MissingPersonEntry(person=sita)))
    assert report.person == sita and Person.objects.count() == 1
    assert not _events("person.create")


def test_a_record_the_reporter_may_not_see_is_the_same_404_and_audited(np_caseworker, np_parsa_org, parsa):
    hidden = PersonFactory(full_name="Gita Rai", organisation=np_parsa_org, location_district=parsa)
    with pytest.raises(policy.NotFoundOrForbidden):
        services.report_create(actor=np_caseworker, entry=entry(person=services.MissingPersonEntry(person=hidden)))
    assert MissingReport.objects.count() == 0
    assert AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied").count() == 1


def test_a_photo_for_someone_elses_record_is_refused_with_the_rest(np_police, np_transit_home, morang, media):
    sita = PersonFactory(full_name="Sita Tamang", organisation=np_transit_home, location_district=morang)
    upload = SimpleUploadedFile("sita.jpg", jpeg_with_gps(), content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=np_police, entry=entry(person=services.MissingPersonEntry(person=sita),
                                                            photo=upload))  # fmt: skip
    assert "photo" in refused.value.message_dict and MissingReport.objects.count() == 0


@pytest.mark.parametrize("role", ["analyst", "prosecutor", "trainer", "auditor", "administrator"])
def test_roles_without_the_permission_get_a_404_and_nothing_is_written(np_ministry, role):
    user = make_user(f"np_{role}_x", role, np_ministry)
    with pytest.raises(policy.NotFoundOrForbidden):
        services.report_create(actor=user, entry=entry())
    assert MissingReport.objects.count() == 0 and Person.objects.count() == 0
    assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied", action="tracing.record").count() == 1


def test_a_member_of_two_organisations_says_which_one_registers(np_caseworker, np_police_org, np_transit_home):
    MembershipFactory(user=np_caseworker, organisation=np_police_org, role="police_officer")
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=np_caseworker, entry=entry(reporter_name=""))
    assert {"organisation", "reporter_name"} <= set(refused.value.message_dict)
    report = services.report_create(actor=np_caseworker, entry=entry(organisation=np_police_org))
    assert report.organisation == np_police_org


def test_a_saved_report_schedules_the_matching_hook_after_commit(np_caseworker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_create(actor=np_caseworker, entry=entry())
    assert len(callbacks) >= 1  # services.on_report_saved: empty until matching is built


def test_the_database_refuses_a_report_last_seen_after_it_was_made(np_transit_home, morang):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(organisation=np_transit_home, last_seen_district=morang, last_seen_on=TODAY())
        MissingReport.objects.update(last_seen_on=TODAY() + dt.timedelta(days=2))


# --- editing ---------------------------------------------------------------------------------------------------


def test_the_reporting_organisation_edits_its_report(np_caseworker, morang, rangeli):
    report = services.report_create(actor=np_caseworker, entry=entry(last_seen_district=morang))
    changed = services.report_update(actor=np_caseworker, report=report, last_seen_local_level=rangeli,
                                     reference="Zaheri 45/2082-83", visibility=Visibility.RESTRICTED)  # fmt: skip
    assert changed.last_seen_local_level == rangeli and changed.is_restricted
    [event] = _events("tracing.report_update")
    assert event.fields == ["last_seen_local_level", "reference", "visibility"]


def test_an_edit_is_refused_whole_and_changes_nothing(np_caseworker, morang):
    report = services.report_create(actor=np_caseworker, entry=entry(last_seen_district=morang))
    with pytest.raises(ValidationError) as refused:
        services.report_update(
            actor=np_caseworker, report=report, reporter_name="New name",
            last_seen_on=report.reported_on + dt.timedelta(days=1), reporter_relation="",
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"last_seen_on", "reporter_relation"}
    report.refresh_from_db()
    assert report.reporter_name == "Maya Tamang"
    assert not _events("tracing.report_update")


def test_another_organisation_cannot_edit_even_in_its_district(np_caseworker, np_police, morang):
    report = services.report_create(actor=np_caseworker, entry=entry(last_seen_district=morang))
    with pytest.raises(policy.NotFoundOrForbidden):
        services.report_update(actor=np_police, report=report, reporter_name="Changed")
    report.refresh_from_db()
    assert report.reporter_name == "Maya Tamang"
    assert AuditEvent.objects.filter(actor_id=np_police.pk, outcome="denied").count() == 1


def test_update_takes_only_the_reports_fields(np_caseworker):
    report = services.report_create(actor=np_caseworker, entry=entry())
    with pytest.raises(TypeError):
        services.report_update(actor=np_caseworker, report=report, organisation=None)


# --- status ----------------------------------------------------------------------------------------------------


def test_found_then_closed_then_open_again(np_caseworker):
    report = services.report_create(actor=np_caseworker, entry=entry())
    found = services.report_set_status(actor=np_caseworker, report=report, status=Status.FOUND,
                                       note="Found at the Rani crossing; returned home.")  # fmt: skip
    assert found.status == Status.FOUND and found.found_at is not None and found.status_changed_by == np_caseworker
    closed = services.report_set_status(actor=np_caseworker, report=found, status=Status.CLOSED, note="Family is safe.")
    assert closed.closed_at is not None and closed.found_at == found.found_at
    reopened = services.report_set_status(actor=np_caseworker, report=closed, status=Status.OPEN,
                                          note="She left home again.")  # fmt: skip
    assert reopened.found_at is None and reopened.closed_at is None and reopened.status_note == "She left home again."
    events = _events("tracing.report_status")
    assert len(events) == 3 and all(e.fields == ["status", "status_note"] for e in events)


def test_a_status_change_needs_a_new_status_and_a_note(np_caseworker):
    report = services.report_create(actor=np_caseworker, entry=entry())
    with pytest.raises(ValidationError) as refused:
        services.report_set_status(actor=np_caseworker, report=report, status=Status.OPEN, note=" ")
    assert set(refused.value.message_dict) == {"status", "note"}
    with pytest.raises(ValidationError) as refused:
        services.report_set_status(actor=np_caseworker, report=report, status=Status.FOUND, note="")
    assert refused.value.message_dict["note"] == ["Say where and how she was found."]
    report.refresh_from_db()
    assert report.status == Status.OPEN and not _events("tracing.report_status")


def test_a_focal_point_sees_every_report_but_changes_only_its_own(np_caseworker, np_focal_point):
    report = services.report_create(actor=np_caseworker, entry=entry())
    with pytest.raises(policy.NotFoundOrForbidden):
        services.report_set_status(actor=np_focal_point, report=report, status=Status.FOUND, note="Found.")
    report.refresh_from_db()
    assert report.status == Status.OPEN
