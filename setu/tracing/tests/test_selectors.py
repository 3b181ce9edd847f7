"""Who sees which report: the permission and visibility matrix (setu.accounts.roles), restricted reports, the same
404 for missing and forbidden, and every read audited. Search by name across scripts."""

from __future__ import annotations

import uuid

import pytest

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.people.tests.factories import PersonFactory
from setu.tracing import selectors
from setu.tracing.models import Visibility
from setu.tracing.tests.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(np_transit_home, np_parsa_org, morang, parsa, sindhupalchok):
    """Four reports, as the Morang personas see them:
    - ours: by the Morang transit home, last seen in Morang;
    - seen_here: by the Parsa transit home, last seen in Morang (standard);
    - from_here: by the Parsa transit home, last seen in Parsa, but she lives in Morang (standard);
    - hidden_here: by the Parsa transit home, last seen in Morang, restricted (the family suspects her uncle);
    - elsewhere: by the Parsa transit home, last seen in Parsa, from Sindhupalchok."""
    from_morang = PersonFactory(full_name="सीता तामाङ", organisation=np_parsa_org, location_district=parsa,
                                home_district=morang)  # fmt: skip
    from_sindhupalchok = PersonFactory(full_name="Gita Rai", organisation=np_parsa_org, location_district=parsa,
                                       home_district=sindhupalchok)  # fmt: skip
    return {
        "ours": make_report(organisation=np_transit_home, last_seen_district=morang),
        "seen_here": make_report(organisation=np_parsa_org, last_seen_district=morang),
        "from_here": make_report(organisation=np_parsa_org, last_seen_district=parsa, person=from_morang),
        "hidden_here": make_report(
            organisation=np_parsa_org, last_seen_district=morang, visibility=Visibility.RESTRICTED
        ),  # fmt: skip
        "elsewhere": make_report(organisation=np_parsa_org, last_seen_district=parsa, person=from_sindhupalchok),
    }


def _visible(user, reports: dict) -> set[str]:
    ids = set(selectors.report_list_for(user).values_list("pk", flat=True))
    return {name for name, report in reports.items() if report.pk in ids}


ALL = {"ours", "seen_here", "from_here", "hidden_here", "elsewhere"}


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        # Jurisdiction: their organisation's, and the standard reports last seen in or from their districts.
        ("police_officer", {"ours", "seen_here", "from_here"}),
        ("caseworker", {"ours", "seen_here", "from_here"}),
        ("shelter_manager", {"ours", "seen_here", "from_here"}),
        ("cwc_member", {"ours", "seen_here", "from_here"}),
        ("local_government_officer", {"ours", "seen_here", "from_here"}),
        # Border monitors look up their own organisation's reports at the desk.
        ("border_monitor", {"ours"}),
        # Aggregates only, or no survivor data at all.
        ("prosecutor", set()),
        ("trainer", set()),
        ("analyst", set()),
        ("auditor", set()),
        ("administrator", set()),
    ],
)
def test_who_sees_which_report(role, visible, np_transit_home, reports):
    user = make_user(f"morang_{role}", role, np_transit_home)
    assert _visible(user, reports) == visible


def test_a_focal_point_sees_every_report_restricted_ones_too(np_focal_point, reports):
    assert _visible(np_focal_point, reports) == ALL


def test_a_restricted_report_is_seen_by_its_own_organisation(np_other_org, reports):
    assert _visible(np_other_org, reports) == {"seen_here", "from_here", "hidden_here", "elsewhere"}
    assert selectors.report_get_for(np_other_org, reports["hidden_here"].public_id) == reports["hidden_here"]


def test_not_found_and_forbidden_are_the_same_404_and_both_are_audited(np_caseworker, reports):
    for key in (reports["hidden_here"].public_id, reports["elsewhere"].public_id, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(policy.NotFoundOrForbidden):
            selectors.report_get_for(np_caseworker, key)
    denied = AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="denied", action="tracing.view")
    assert denied.count() == 4
    assert not AuditEvent.objects.filter(actor_id=np_caseworker.pk, outcome="allowed").exists()


def test_every_read_of_a_report_is_audited(np_caseworker, reports):
    report = selectors.report_get_for(np_caseworker, reports["seen_here"].public_id)
    [event] = AuditEvent.objects.filter(actor_id=np_caseworker.pk, action="tracing.report_view")
    assert event.object_id == str(report.public_id) and event.outcome == "allowed"


def test_a_role_without_the_permission_gets_the_same_404(np_analyst, reports):
    with pytest.raises(policy.NotFoundOrForbidden):
        selectors.report_get_for(np_analyst, reports["ours"].public_id)
    assert AuditEvent.objects.filter(actor_id=np_analyst.pk, outcome="denied").count() == 1


def test_only_the_reporting_organisation_may_record_on_a_report(np_caseworker, np_police, np_focal_point, reports):
    assert selectors.report_can_record(np_caseworker, reports["ours"])
    assert not selectors.report_can_record(np_police, reports["ours"])  # sees it: same district
    assert not selectors.report_can_record(np_focal_point, reports["ours"])  # sees every report
    with pytest.raises(policy.NotFoundOrForbidden):
        selectors.report_get_for(np_police, reports["ours"].public_id, permission=Permission.TRACING_RECORD)
    assert selectors.report_get_for(np_caseworker, reports["ours"].public_id, permission=Permission.TRACING_RECORD)


def test_a_name_is_found_in_either_script_and_spelling(np_focal_point, reports):
    for query in ("सीता", "Sita Tamang", "seeta", "tamang"):
        found = set(selectors.report_list_for(np_focal_point, query=query).values_list("pk", flat=True))
        assert found == {reports["from_here"].pk}, query
    results = selectors.report_results_for(np_focal_point, query="Sita")
    assert [report.pk for report in results[0:5]] == [reports["from_here"].pk]


def test_a_report_is_found_by_its_number(np_focal_point, reports):
    number = reports["elsewhere"].number
    assert list(selectors.report_results_for(np_focal_point, query=number.lower())[0:5]) == [reports["elsewhere"]]


def test_the_search_stays_within_scope(np_caseworker, reports):
    assert list(selectors.report_results_for(np_caseworker, query="Gita Rai")[0:5]) == []


def test_filters_by_status_and_district(np_focal_point, reports, parsa):
    from setu.tracing.models import Status

    reports["elsewhere"].status = Status.CLOSED
    reports["elsewhere"].closed_at = reports["elsewhere"].created_at
    reports["elsewhere"].save()
    assert set(selectors.report_list_for(np_focal_point, status="closed")) == {reports["elsewhere"]}
    assert set(selectors.report_list_for(np_focal_point, district_id=parsa.pk)) == {reports["from_here"],
                                                                                   reports["elsewhere"]}  # fmt: skip
    assert selectors.open_report_count_for(np_focal_point) == 4


def test_a_second_organisation_of_the_user_adds_its_reports(np_caseworker, reports, parsa):
    from setu.accounts.tests.factories import MembershipFactory

    other = OrganisationFactory(name_en="Another NGO", districts=[parsa])
    MembershipFactory(user=np_caseworker, organisation=other, role="border_monitor")
    np_caseworker.__dict__.pop("_setu_memberships", None)
    np_caseworker.__dict__.pop("_setu_grants", None)
    # A border monitor's organisation scope reaches only its own reports: Parsa's are not added.
    assert _visible(np_caseworker, reports) == {"ours", "seen_here", "from_here"}
