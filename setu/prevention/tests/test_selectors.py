"""Scoping: who sees which activities and reports, and the same audited 404 for missing and forbidden."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from setu.accounts.policy import NotFoundOrForbidden
from setu.accounts.roles import Permission
from setu.audit.models import AuditEvent
from setu.prevention import selectors
from setu.prevention.tests.factories import make_activity, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(np_municipality, np_transit_home, np_parsa_municipality, np_parsa_org, biratnagar, rangeli, birgunj):
    """The municipality's own activity; the Morang transit home's; a Parsa municipality's in Parsa; and one that
    a Parsa organisation held in Morang (inside the Morang bodies' jurisdiction by its place)."""
    return {
        "own": make_activity(organisation=np_municipality, local_level=biratnagar, ward=4),
        "neighbour": make_activity(organisation=np_transit_home, local_level=rangeli, ward=2),
        "parsa": make_activity(organisation=np_parsa_municipality, local_level=birgunj, ward=1),
        "parsa_in_morang": make_activity(organisation=np_parsa_org, local_level=biratnagar, ward=9),
        "own_report": make_report(organisation=np_municipality, local_level=biratnagar),
        "parsa_report": make_report(organisation=np_parsa_municipality, local_level=birgunj),
    }


def test_a_morang_local_government_officer_sees_the_district_but_not_parsa(np_localgov, records):
    visible = set(selectors.activity_list_for(np_localgov))
    assert visible == {records["own"], records["neighbour"], records["parsa_in_morang"]}
    assert set(selectors.vigilance_report_list_for(np_localgov)) == {records["own_report"]}


def test_a_parsa_activity_is_the_same_404_as_a_missing_one_and_both_are_audited(np_localgov, records):
    for public_id in (records["parsa"].public_id, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(NotFoundOrForbidden):
            selectors.activity_get_for(np_localgov, public_id)
    denied = AuditEvent.objects.filter(actor_id=np_localgov.pk, outcome="denied").order_by("seq")
    assert [event.action for event in denied] == ["prevention.view"] * 3
    assert denied[0].object_id == str(records["parsa"].public_id)


def test_a_parsa_vigilance_report_is_a_404_and_a_visible_one_is_audited_when_read(np_localgov, records):
    with pytest.raises(NotFoundOrForbidden):
        selectors.vigilance_report_get_for(np_localgov, records["parsa_report"].public_id)
    assert selectors.vigilance_report_get_for(np_localgov, records["own_report"].public_id) == records["own_report"]
    events = AuditEvent.objects.filter(actor_id=np_localgov.pk, action="prevention.vigilance_view")
    assert sorted(event.outcome for event in events) == ["allowed", "denied"]


@pytest.mark.parametrize("persona", ["np_analyst", "np_focal_point"])
def test_node_wide_roles_see_every_activity(request, persona, records):
    user = request.getfixturevalue(persona)
    assert selectors.activity_list_for(user).count() == 4
    assert selectors.activity_get_for(user, records["parsa"].public_id) == records["parsa"]


@pytest.mark.parametrize("persona", ["np_caseworker", "np_police", "np_auditor", "np_admin", "np_other_org"])
def test_roles_without_prevention_view_see_nothing(request, persona, records):
    user = request.getfixturevalue(persona)
    assert not selectors.activity_list_for(user).exists()
    assert not selectors.vigilance_report_list_for(user).exists()
    with pytest.raises(NotFoundOrForbidden):
        selectors.activity_get_for(user, records["own"].public_id)


def test_a_border_monitor_sees_the_municipalitys_activity_but_may_not_edit_it(np_monitor, records):
    activity = selectors.activity_get_for(np_monitor, records["own"].public_id)
    assert not selectors.activity_can_edit(np_monitor, activity)
    with pytest.raises(NotFoundOrForbidden):
        selectors.activity_get_for(np_monitor, records["own"].public_id, permission=Permission.PREVENTION_RECORD)


def test_the_edit_fetch_reaches_only_the_own_organisations_activities(np_localgov, records):
    assert selectors.activity_can_edit(np_localgov, records["own"])
    assert selectors.activity_get_for(np_localgov, records["own"].public_id, permission=Permission.PREVENTION_RECORD)
    with pytest.raises(NotFoundOrForbidden):
        selectors.activity_get_for(np_localgov, records["neighbour"].public_id,
                                   permission=Permission.PREVENTION_RECORD)  # fmt: skip


def test_the_list_filters_by_period_both_ends_included_and_by_place(np_localgov, np_municipality, biratnagar,
                                                                    rangeli):  # fmt: skip
    first = make_activity(organisation=np_municipality, local_level=biratnagar, held_on=dt.date(2026, 1, 1))
    last = make_activity(organisation=np_municipality, local_level=rangeli, held_on=dt.date(2026, 1, 31))
    make_activity(organisation=np_municipality, local_level=biratnagar, held_on=dt.date(2025, 12, 31))
    make_activity(organisation=np_municipality, local_level=biratnagar, held_on=dt.date(2026, 2, 1))
    january = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 1, 31)}
    assert list(selectors.activity_list_for(np_localgov, **january)) == [last, first]  # latest first
    assert list(selectors.activity_list_for(np_localgov, **january, local_level_id=rangeli.pk)) == [last]
    assert selectors.activity_list_for(np_localgov, **january, district_id=biratnagar.district_id).count() == 2


def test_the_filter_offers_the_districts_the_user_reaches(np_localgov, np_analyst, records, morang, parsa):
    assert list(selectors.districts_for(np_localgov)) == [morang]
    assert list(selectors.districts_for(np_analyst)) == [morang, parsa]


def test_a_body_records_in_its_own_districts(np_municipality, np_transit_home, morang, parsa, biratnagar, birgunj):
    assert list(selectors.recording_districts_for([np_municipality])) == [morang]
    assert list(selectors.recording_districts_for([np_municipality], also=parsa.pk)) == [morang, parsa]
