"""The legal services: what they record, their audit rows, and bad input refused with clear messages and
nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from setu.accounts.policy import NotFoundOrForbidden
from setu.audit.models import AuditEvent
from setu.legal import services
from setu.legal.models import (
    Accused,
    Charge,
    CompensationOrder,
    CompensationPayment,
    Hearing,
    NeedStatus,
    Prosecution,
    SessionStatus,
    VideoTestimony,
    WitnessNeed,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


def _audited(action: str, actor) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, actor_id=actor.pk).latest("seq")


def _messages(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


def test_a_prosecutor_registers_a_prosecution_numbered_per_year_and_audited(np_prosecutor, morang):
    opened = timezone.localdate() - dt.timedelta(days=3)
    p = services.prosecution_create(
        actor=np_prosecutor,
        district=morang,
        police_case_number=" FIR  112/2083 ",
        police_unit="DPO Morang",
        opened_on=opened,
    )
    assert p.number == f"NP-PRS-{opened.year}-000001" and p.police_case_number == "FIR 112/2083"
    assert p.organisation.name_en == "District Attorney's Office, Morang"
    event = _audited("legal.prosecution_create", np_prosecutor)
    assert (
        event.object_id == str(p.public_id) and "police_case_number" in event.fields and "FIR" not in str(event.fields)
    )


def test_a_prosecution_without_fir_or_dated_in_the_future_is_refused(np_prosecutor, morang, rani):
    with pytest.raises(ValidationError) as refused:
        services.prosecution_create(
            actor=np_prosecutor,
            district=rani.counterpart.district,
            police_case_number=" ",
            police_unit="",
            opened_on=timezone.localdate() + dt.timedelta(days=1),
        )
    errors = _messages(refused)
    assert set(errors) == {"district", "police_case_number", "police_unit", "opened_on"}
    assert "future" in errors["opened_on"][0] and "this country" in errors["district"][0]
    assert not Prosecution.objects.exists()


def test_a_caseworker_cannot_register_a_prosecution(np_caseworker, morang):
    with pytest.raises(NotFoundOrForbidden):
        services.prosecution_create(
            actor=np_caseworker,
            district=morang,
            police_case_number="1",
            police_unit="x",
            opened_on=timezone.localdate(),
        )
    assert AuditEvent.objects.filter(action="legal.record", outcome="denied", actor_id=np_caseworker.pk).exists()


def test_charges_come_from_the_list_only_and_of_this_countrys_law(np_prosecutor, prosecution):
    charge = services.charge_add(
        actor=np_prosecutor,
        prosecution=prosecution,
        code="httca-4-1-a",
        particulars="Sold her for NPR 50,000 in Kathmandu",
    )
    assert charge.code == "HTTCA-4-1-a"
    assert set(_audited("legal.charge_add", np_prosecutor).fields) == {"code", "particulars"}
    with pytest.raises(ValidationError) as unknown:
        services.charge_add(actor=np_prosecutor, prosecution=prosecution, code="IPC-370")
    assert "Unknown charge IPC-370" in unknown.value.message_dict["code"][0]
    assert "version 2026-12-07" in unknown.value.message_dict["code"][0]
    with pytest.raises(ValidationError, match="another country"):
        services.charge_add(actor=np_prosecutor, prosecution=prosecution, code="BNS-143")
    with pytest.raises(ValidationError, match="already charged"):
        services.charge_add(actor=np_prosecutor, prosecution=prosecution, code="HTTCA-4-1-a")
    assert list(Charge.objects.values_list("code", flat=True)) == ["HTTCA-4-1-a"]


def test_an_accused_is_registered_as_a_person_of_the_office_with_htcds_roles(np_prosecutor, prosecution, morang):
    accused = services.accused_add(
        actor=np_prosecutor,
        prosecution=prosecution,
        entry=services.AccusedEntry(
            full_name="Ram Bahadur Khadka",
            gender="Masculine",
            age_years=41,
            roles=["Transporter", "RecruiterOrIntermediary", "Transporter"],
        ),
    )
    assert accused.roles == ["Transporter", "RecruiterOrIntermediary"]
    person = accused.person
    assert person.organisation_id == prosecution.organisation_id and person.location_district == morang
    assert person.name_latin == "Ram Bahadur Khadka" and person.age_estimate == 41
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.public_id)).exists()
    assert set(_audited("legal.accused_add", np_prosecutor).fields) == {"person", "roles"}
    # The same person again, by her record: refused.
    with pytest.raises(ValidationError, match="already accused"):
        services.accused_add(actor=np_prosecutor, prosecution=prosecution, entry=services.AccusedEntry(person=person))


def test_an_accused_with_an_unknown_role_or_no_name_is_refused(np_prosecutor, prosecution):
    with pytest.raises(ValidationError) as refused:
        services.accused_add(
            actor=np_prosecutor,
            prosecution=prosecution,
            entry=services.AccusedEntry(full_name=" ", roles=["Mastermind"], age_years=130),
        )
    assert set(refused.value.message_dict) == {"roles", "full_name", "age_years"}
    assert not Accused.objects.exists()


def test_an_accused_of_another_district_cannot_be_picked(np_prosecutor, prosecution, np_other_org, parsa):
    from setu.people.tests.factories import PersonFactory

    stranger = PersonFactory(organisation=np_other_org.memberships.first().organisation, location_district=parsa)
    with pytest.raises(NotFoundOrForbidden):
        services.accused_add(actor=np_prosecutor, prosecution=prosecution, entry=services.AccusedEntry(person=stranger))
    assert not Accused.objects.exists()


def test_hearing_dates_out_of_order_are_refused_and_nothing_is_saved(np_prosecutor, prosecution):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.hearing_record(
            actor=np_prosecutor,
            prosecution=prosecution,
            held_on=today - dt.timedelta(days=5),
            what_happened="Charges read",
            next_on=today - dt.timedelta(days=6),
        )
    assert refused.value.message_dict == {"next_on": ["The next date must come after the hearing's date."]}
    with pytest.raises(ValidationError, match="before the prosecution was registered"):
        services.hearing_record(
            actor=np_prosecutor, prosecution=prosecution, held_on=prosecution.opened_on - dt.timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="has not happened yet"):
        services.hearing_record(
            actor=np_prosecutor,
            prosecution=prosecution,
            held_on=today + dt.timedelta(days=3),
            what_happened="Adjourned",
        )
    assert not Hearing.objects.exists()
    assert not AuditEvent.objects.filter(action="legal.hearing_record").exists()
    hearing = services.hearing_record(
        actor=np_prosecutor,
        prosecution=prosecution,
        held_on=today - dt.timedelta(days=5),
        what_happened="Charges read",
        next_on=today + dt.timedelta(days=9),
    )
    assert hearing.next_on == today + dt.timedelta(days=9)
    assert set(_audited("legal.hearing_record", np_prosecutor).fields) == {"held_on", "what_happened", "next_on"}


def test_a_verdict_before_the_registration_or_a_fine_without_conviction_is_refused(np_prosecutor, prosecution):
    accused = services.accused_add(
        actor=np_prosecutor, prosecution=prosecution, entry=services.AccusedEntry(full_name="Hari Tamang")
    )
    with pytest.raises(ValidationError, match="before the prosecution was registered"):
        services.accused_verdict(
            actor=np_prosecutor,
            accused=accused,
            verdict="convicted",
            verdict_on=prosecution.opened_on - dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="Only a convicted accused is fined"):
        services.accused_verdict(
            actor=np_prosecutor,
            accused=accused,
            verdict="acquitted",
            verdict_on=timezone.localdate(),
            fine_amount="1000",
            fine_currency="NPR",
        )
    with pytest.raises(ValidationError, match="amount above zero"):
        services.accused_verdict(
            actor=np_prosecutor,
            accused=accused,
            verdict="convicted",
            verdict_on=timezone.localdate(),
            fine_amount="-5",
            fine_currency="NPR",
        )
    accused.refresh_from_db()
    assert accused.verdict == "pending" and accused.fine_amount is None


def test_compensation_below_half_the_fine_is_refused_citing_httca_s17(np_prosecutor, witness, convicted):
    ordered_on = timezone.localdate() - dt.timedelta(days=5)
    with pytest.raises(ValidationError) as refused:
        services.compensation_order(
            actor=np_prosecutor,
            witness=witness,
            accused=convicted,
            amount="60000",
            currency="NPR",
            ordered_on=ordered_on,
        )
    message = refused.value.message_dict["amount"][0]
    assert "HTTCA s.17" in message and "100000.00 NPR" in message
    assert not CompensationOrder.objects.exists()


def test_an_order_below_the_minimum_is_kept_flagged_when_the_court_did_order_it(np_prosecutor, witness, convicted):
    order = services.compensation_order(
        actor=np_prosecutor,
        witness=witness,
        accused=convicted,
        amount="60000",
        currency="NPR",
        ordered_on=timezone.localdate(),
        below_minimum_reason="As the judgment says; the office has appealed",
    )
    assert order.below_minimum_reason.startswith("As the judgment says")
    assert "below_minimum_reason" in _audited("legal.compensation_order", np_prosecutor).fields


def test_an_order_at_half_the_fine_needs_no_reason_and_keeps_none(np_prosecutor, witness, convicted):
    order = services.compensation_order(
        actor=np_prosecutor,
        witness=witness,
        accused=convicted,
        amount="100000",
        currency="NPR",
        ordered_on=timezone.localdate(),
        below_minimum_reason="not needed",
    )
    assert order.amount == Decimal("100000") and order.below_minimum_reason == ""


def test_compensation_in_another_currency_or_against_an_unconvicted_accused_is_refused(
    np_prosecutor, prosecution, witness, convicted
):
    with pytest.raises(ValidationError, match="currency of the fine"):
        services.compensation_order(
            actor=np_prosecutor,
            witness=witness,
            accused=convicted,
            amount="100000",
            currency="INR",
            ordered_on=timezone.localdate(),
        )
    pending = services.accused_add(
        actor=np_prosecutor, prosecution=prosecution, entry=services.AccusedEntry(full_name="Shyam Karki")
    )
    with pytest.raises(ValidationError, match="record the verdict first"):
        services.compensation_order(
            actor=np_prosecutor,
            witness=witness,
            accused=pending,
            amount="100000",
            currency="NPR",
            ordered_on=timezone.localdate(),
        )
    with pytest.raises(ValidationError, match="before the verdict"):
        services.compensation_order(
            actor=np_prosecutor,
            witness=witness,
            accused=convicted,
            amount="100000",
            currency="NPR",
            ordered_on=convicted.verdict_on - dt.timedelta(days=1),
        )
    assert not CompensationOrder.objects.exists()


def test_payments_are_tracked_to_the_balance_and_never_beyond(np_prosecutor, witness, convicted):
    order = services.compensation_order(
        actor=np_prosecutor,
        witness=witness,
        accused=convicted,
        amount="100000",
        currency="NPR",
        ordered_on=timezone.localdate() - dt.timedelta(days=2),
    )
    services.payment_record(
        actor=np_prosecutor,
        order=order,
        paid_on=timezone.localdate(),
        amount="40000",
        currency="NPR",
        method="bank",
        reference="NIC Asia 7781",
    )
    assert set(_audited("legal.payment_record", np_prosecutor).fields) == {
        "paid_on",
        "amount",
        "currency",
        "method",
        "reference",
    }
    with pytest.raises(ValidationError, match=r"More than the balance due \(60000.00 NPR\)"):
        services.payment_record(
            actor=np_prosecutor,
            order=order,
            paid_on=timezone.localdate(),
            amount="60000.01",
            currency="NPR",
            method="bank",
        )
    with pytest.raises(ValidationError, match="before the order"):
        services.payment_record(
            actor=np_prosecutor,
            order=order,
            paid_on=order.ordered_on - dt.timedelta(days=1),
            amount="10",
            currency="NPR",
            method="cash",
        )
    assert CompensationPayment.objects.count() == 1


def test_a_witness_need_with_dates_out_of_order_is_refused(np_prosecutor, witness):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.witness_need_record(
            actor=np_prosecutor,
            witness=witness,
            court="",
            place="Biratnagar",
            needed_from=today + dt.timedelta(days=10),
            needed_until=today,
            presence="hologram",
        )
    assert set(refused.value.message_dict) == {"court", "needed_until", "presence"}
    assert "must not come before" in refused.value.message_dict["needed_until"][0]
    assert not WitnessNeed.objects.exists()


def test_her_view_is_recorded_by_her_caseworker_not_by_the_prosecutor(np_prosecutor, np_caseworker, video_need):
    need = services.witness_need_her_view(
        actor=np_caseworker,
        need=video_need,
        her_consent="yes",
        her_view="She will speak by video from the transit home, not in court.",
    )
    assert need.her_consent == "yes"
    assert set(_audited("legal.witness_need_her_view", np_caseworker).fields) == {"her_consent", "her_view"}
    with pytest.raises(NotFoundOrForbidden):
        services.witness_need_her_view(actor=np_prosecutor, need=video_need, her_consent="no")


def test_a_prosecutor_schedules_a_video_testimony_in_a_time_zone(np_prosecutor, video_need):
    when = (timezone.now() + dt.timedelta(days=7)).replace(tzinfo=None, microsecond=0)
    session = services.testimony_schedule(
        actor=np_prosecutor,
        need=video_need,
        scheduled_at=when,
        timezone_name="Asia/Kolkata",
        court_end="Morang District Court, room 2",
        survivor_end="Transit home Biratnagar",
        interpreter="Hindi–Nepali",
    )
    assert session.status == SessionStatus.PROPOSED and session.court == "Morang District Court"
    assert session.scheduled_at.utcoffset() == dt.timedelta(hours=5, minutes=30)
    event = _audited("legal.testimony_schedule", np_prosecutor)
    assert "testimony.request" not in event.fields  # her case is not linked to the other node: nothing sent


def test_a_session_in_the_past_or_for_an_in_person_need_is_refused(np_prosecutor, witness, video_need):
    past = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        services.testimony_schedule(
            actor=np_prosecutor,
            need=video_need,
            scheduled_at=past,
            timezone_name="Mars/Base",
            court_end="",
            survivor_end="x",
        )
    assert set(refused.value.message_dict) == {"timezone", "court_end", "scheduled_at"}
    assert refused.value.message_dict["scheduled_at"] == ["The session must be in the future."]
    in_person = services.witness_need_record(
        actor=np_prosecutor,
        witness=witness,
        court="Morang District Court",
        place="Biratnagar",
        needed_from=timezone.localdate(),
        presence="physical",
    )
    with pytest.raises(ValidationError, match="video testimony is not possible"):
        services.testimony_schedule(
            actor=np_prosecutor,
            need=in_person,
            scheduled_at=timezone.now() + dt.timedelta(days=2),
            timezone_name="Asia/Kathmandu",
            court_end="a",
            survivor_end="b",
        )
    assert not VideoTestimony.objects.exists()


def test_a_held_session_meets_the_need(np_prosecutor, video_need):
    session = services.testimony_schedule(
        actor=np_prosecutor,
        need=video_need,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        timezone_name="Asia/Kathmandu",
        court_end="Court",
        survivor_end="Home",
    )
    with pytest.raises(ValidationError, match="before its time"):
        services.testimony_set_status(actor=np_prosecutor, session=session, status="held")
    with pytest.raises(ValidationError, match="Say why"):
        services.testimony_set_status(actor=np_prosecutor, session=session, status="adjourned")
    VideoTestimony.objects.filter(pk=session.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=5))
    services.testimony_set_status(actor=np_prosecutor, session=session, status="held")
    video_need.refresh_from_db()
    assert video_need.status == NeedStatus.MET
    assert set(_audited("legal.testimony_status", np_prosecutor).fields) == {"status"}


def test_a_prosecutor_of_another_office_cannot_write(np_parsa_prosecutor, prosecution):
    with pytest.raises(NotFoundOrForbidden):
        services.hearing_record(actor=np_parsa_prosecutor, prosecution=prosecution, held_on=timezone.localdate())
    assert AuditEvent.objects.filter(
        action="legal.record", outcome="denied", actor_id=np_parsa_prosecutor.pk, object_id=str(prosecution.public_id)
    ).exists()


def test_status_judgment_needs_an_outcome_and_date_in_order(np_prosecutor, prosecution):
    with pytest.raises(ValidationError) as refused:
        services.prosecution_set_status(actor=np_prosecutor, prosecution=prosecution, status="judgment")
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError, match="before the prosecution was registered"):
        services.prosecution_set_status(
            actor=np_prosecutor,
            prosecution=prosecution,
            status="judgment",
            outcome="conviction",
            judgment_on=prosecution.opened_on - dt.timedelta(days=1),
        )
    p = services.prosecution_set_status(
        actor=np_prosecutor,
        prosecution=prosecution,
        status="judgment",
        outcome="conviction",
        judgment_on=timezone.localdate(),
    )
    assert (p.status, p.outcome) == ("judgment", "conviction")


def test_no_session_is_proposed_when_she_said_no(np_prosecutor, np_caseworker, video_need):
    services.witness_need_her_view(actor=np_caseworker, need=video_need, her_consent="no", her_view="Not ready.")
    video_need.refresh_from_db()
    with pytest.raises(ValidationError, match="She does not agree to testify"):
        services.testimony_schedule(
            actor=np_prosecutor,
            need=video_need,
            scheduled_at=timezone.now() + dt.timedelta(days=2),
            timezone_name="Asia/Kathmandu",
            court_end="Court",
            survivor_end="Home",
        )
    assert not VideoTestimony.objects.exists()
