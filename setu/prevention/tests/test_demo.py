"""The demo's prevention records: realistic, valid (through the services), deterministic, idempotent."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.prevention import demo
from setu.prevention.models import AwarenessActivity, VigilanceReport

pytestmark = pytest.mark.django_db


def _content() -> list[tuple]:
    activities = AwarenessActivity.objects.order_by("held_on", "id").values_list(
        "held_on", "local_level__name_en", "ward", "audience", "topics", "female_under_18", "female_adult",
        "male_under_18", "male_adult", "other_adult", "partners_other", "notes",
    )  # fmt: skip
    reports = VigilanceReport.objects.order_by("reported_on", "id").values_list(
        "reported_on", "local_level__name_en", "ward", "reporter", "kind", "seen", "follow_up", "follow_up_note"
    )
    return [*activities, *reports]


def test_a_local_government_gets_a_year_of_records_in_its_own_local_level(np_localgov, np_municipality, morang,
                                                                           biratnagar, rangeli):  # fmt: skip
    result = demo.seed(organisation=np_municipality, districts=[morang], rng=random.Random(7), year=2025)

    activities = AwarenessActivity.objects.all()
    assert result.activities == activities.count() >= 12 * demo.ACTIVITIES_PER_MONTH[0]
    assert result.reports == VigilanceReport.objects.count() > 0
    assert {a.local_level for a in activities} == {biratnagar}
    assert {a.held_on.month for a in activities} == set(range(1, 13))
    assert all(a.held_on.year == 2025 and a.total > 0 and a.topics for a in activities)
    assert AuditEvent.objects.filter(action="prevention.activity_record", actor_username="np_localgov").count() == (
        result.activities
    )
    assert str(result) == f"{result.activities} awareness activities and {result.reports} vigilance reports"


def test_an_ngo_works_in_several_local_levels_of_its_district(np_monitor, np_transit_home, morang, biratnagar,
                                                              rangeli, birgunj, parsa):  # fmt: skip
    demo.seed(organisation=np_transit_home, districts=[morang, parsa], rng=random.Random(1), year=2025)
    levels = set(AwarenessActivity.objects.values_list("local_level__name_en", flat=True))
    assert levels == {"Biratnagar", "Rangeli"}  # Parsa is not among the transit home's districts


def test_the_same_generator_gives_the_same_records(np_localgov, np_municipality, morang, biratnagar):
    demo.seed(organisation=np_municipality, districts=[morang], rng=random.Random("same"), year=2025)
    first = _content()
    AwarenessActivity.objects.all().delete()
    VigilanceReport.objects.all().delete()
    demo.seed(organisation=np_municipality, districts=[morang], rng=random.Random("same"), year=2025)
    assert _content() == first


def test_seeding_the_same_year_again_adds_nothing(np_localgov, np_municipality, morang, biratnagar):
    demo.seed(organisation=np_municipality, districts=[morang], rng=random.Random(3), year=2025)
    before = _content()
    assert demo.seed(organisation=np_municipality, districts=[morang], rng=random.Random(4), year=2025) == (
        demo.SeedResult()
    )
    assert _content() == before


def test_the_current_year_stops_at_today(np_localgov, np_municipality, morang, biratnagar):
    today = timezone.localdate()
    demo.seed(organisation=np_municipality, districts=[morang], rng=random.Random(5), year=today.year)
    assert all(a.held_on <= today for a in AwarenessActivity.objects.all())
    assert all(r.reported_on <= today for r in VigilanceReport.objects.all())


def test_an_organisation_without_a_login_that_may_record_is_refused(np_municipality, morang, biratnagar):
    with pytest.raises(ValueError, match="no active login"):
        demo.seed(organisation=np_municipality, districts=[morang], rng=random.Random(5), year=2025)


def test_districts_without_local_levels_give_nothing(np_localgov, np_municipality, morang):
    assert demo.seed(organisation=np_municipality, districts=[morang], rng=random.Random(5),
                     year=2025) == demo.SeedResult()  # fmt: skip
