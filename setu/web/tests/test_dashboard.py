import pytest
from django.test import Client

from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_users_roles_and_their_own_work(np_caseworker, np_transit_home, morang):
    mine = PersonFactory(full_name="सीता तामाङ", organisation=np_transit_home, location_district=morang,
                         created_by=np_caseworker)  # fmt: skip
    client = Client()
    client.force_login(np_caseworker)
    client.get(f"/people/{mine.public_id}/")
    body = client.get("/").content.decode()
    assert "Caseworker" in body and "Maiti Nepal Biratnagar Transit Home" in body
    assert body.count("सीता तामाङ") == 2  # registered by me, and opened by me
    assert "Opened a person&#x27;s record" in body


def test_dashboard_of_a_role_without_person_access_shows_no_people(np_analyst, np_transit_home, morang):
    PersonFactory(full_name="सीता तामाङ", organisation=np_transit_home, location_district=morang)
    client = Client()
    client.force_login(np_analyst)
    body = client.get("/").content.decode()
    assert "सीता" not in body
    assert "People you registered" not in body


def test_dashboard_does_not_show_records_no_longer_in_scope(np_caseworker, np_parsa_org, parsa):
    elsewhere = PersonFactory(full_name="Gita Rai", organisation=np_parsa_org, location_district=parsa)
    from setu.audit.services import audit_record

    audit_record(actor=np_caseworker, action="person.view", obj=elsewhere)  # seen when still in scope
    client = Client()
    client.force_login(np_caseworker)
    assert "Gita Rai" not in client.get("/").content.decode()


def test_dashboard_shows_my_cases_with_their_clocks_and_the_work_waiting(np_caseworker, morang):
    import datetime as dt

    from django.utils import timezone

    from setu.cases import services
    from setu.cases.tests.factories import open_case

    late = open_case(np_caseworker, district=morang, age=15, identified_at=timezone.now() - dt.timedelta(hours=30))
    services.case_act(actor=np_caseworker, case=late, action="produce_before_cwc", reason="produced",
                      revision=late.revision)  # fmt: skip
    client = Client()
    client.force_login(np_caseworker)
    body = client.get("/").content.decode()
    assert late.number in body and "Overdue" in body
    assert "1 case overdue" in body and "0 tasks waiting" in body


def test_dashboard_of_a_role_without_cases_has_no_case_section(np_analyst):
    client = Client()
    client.force_login(np_analyst)
    assert "Your cases" not in client.get("/").content.decode()


def test_dashboard_shows_legal_and_training_work_to_those_whose_work_it_is(np_caseworker, np_transit_home, morang):
    import datetime as dt

    from django.utils import timezone

    from setu.accounts.tests.factories import OrganisationFactory, make_user
    from setu.training import services as training
    from setu.training.models import TopicArea

    office = OrganisationFactory(name_en="District Attorney Morang", districts=[morang])
    prosecutor = make_user("dash_prosecutor", "prosecutor", office)
    focal = make_user("dash_focal", "focal_point", OrganisationFactory(name_en="Ministry"))
    academy = OrganisationFactory(name_en="Police Academy")
    trainer = make_user("dash_trainer", "trainer", academy)
    soon = timezone.localdate() + dt.timedelta(days=5)
    programme = training.programme_create(
        actor=trainer, title="Border monitoring", topics=[TopicArea.BORDER_MONITORING], host_country="NP",
        place="Biratnagar", starts_on=soon, ends_on=soon,
    )  # fmt: skip
    zone = timezone.get_current_timezone()
    training.session_add(actor=trainer, programme=programme, title="Red flags", topic=TopicArea.BORDER_MONITORING,
                         starts_at=dt.datetime.combine(soon, dt.time(10), tzinfo=zone),
                         ends_at=dt.datetime.combine(soon, dt.time(12), tzinfo=zone))  # fmt: skip

    def page(user) -> str:
        client = Client()
        client.force_login(user)
        return client.get("/").content.decode()

    assert "0 hearings in the next 30 days" in page(prosecutor) and "0 open requests" in page(prosecutor)
    assert "0 open requests" in page(focal) and "0 deadlines overdue" in page(focal)
    assert "1 training session in the next 30 days" in page(trainer)
    caseworker = page(np_caseworker)
    assert "hearings in the next 30 days" not in caseworker and "open requests" not in caseworker
    assert "training session" not in caseworker
