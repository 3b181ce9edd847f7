"""Writes on prosecutions and on survivors' witness needs. Each service takes `actor=`, checks access with
`setu.accounts.policy` before anything else (refusals audited, the same 404 as a missing record), runs in one
transaction, validates (a ValidationError with field messages, and nothing saved) and writes one audit event
naming the fields it touched, never their values.

Who may write (README.md): LEGAL_RECORD, for the actor's own office's prosecutions: the prosecution, its
charges, accused, victims as witnesses, hearings, verdicts, compensation and payments, witness needs and video
testimony sessions. The survivor's own view and consent on a witness need, and the answer to a session asked
for by the other country, are recorded by who works her case (CASE_WORK).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.cases.choices import PerpetratorRole
from setu.cases.models import Case
from setu.core.ids import numbers_taken
from setu.geo.models import District
from setu.legal import rules
from setu.legal.charges import charge_list
from setu.legal.models import (
    Accused,
    Charge,
    CompensationOrder,
    CompensationPayment,
    Currency,
    Hearing,
    HerConsent,
    NeedStatus,
    Outcome,
    PaymentMethod,
    Presence,
    Prosecution,
    ProsecutionCounter,
    ProsecutionStatus,
    SessionStatus,
    Verdict,
    VideoTestimony,
    Witness,
    WitnessNeed,
)
from setu.people.models import Person

PROSECUTION_OBJECT_TYPE = "legal.prosecution"
NEED_OBJECT_TYPE = "legal.witnessneed"
SESSION_OBJECT_TYPE = "legal.videotestimony"
EARLIEST = dt.date(2000, 1, 1)


def _errors(**fields: str | list[str]) -> ValidationError:
    return ValidationError({k: v if isinstance(v, list) else [v] for k, v in fields.items()})


def _line(value: str) -> str:
    return " ".join(str(value or "").split())


def _date_problem(value: dt.date | None, *, today: dt.date, future_ok: bool = False) -> str:
    if value is None:
        return _("Give the date.")
    if value < EARLIEST:
        return _("The date is before 2000; check the year (a Bikram Sambat date must be entered as such).")
    if not future_ok and value > today:
        return _("The date cannot be in the future.")
    return ""


# --- access --------------------------------------------------------------------------------------------------


def require_record(actor, prosecution: Prosecution) -> None:
    """LEGAL_RECORD for this prosecution's office; otherwise the audited 404."""
    grant = policy.grants(actor, Permission.LEGAL_RECORD)
    if not grant.covers(organisation_id=prosecution.organisation_id):
        policy.deny(
            actor,
            Permission.LEGAL_RECORD.value,
            object_type=PROSECUTION_OBJECT_TYPE,
            object_id=str(prosecution.public_id),
        )


def _require_case_view(actor, case: Case) -> None:
    """The case must be one the actor may see (a prosecutor sees her district's: roles.py)."""
    from setu.cases.selectors import case_list_for

    if not case_list_for(actor).filter(pk=case.pk).exists():
        policy.deny(actor, Permission.CASE_VIEW.value, object_type="cases.case", object_id=str(case.public_id))


def _require_case_work(actor, case: Case) -> None:
    from setu.cases.services.common import require_work

    require_work(actor, case)


def _organisation_for_record(actor, organisation: Organisation | None) -> Organisation:
    grant = policy.require(actor, Permission.LEGAL_RECORD, object_type=PROSECUTION_OBJECT_TYPE)
    if organisation is None:
        if grant.node_wide or len(grant.organisation_ids) != 1:
            raise _errors(organisation=_("Choose the prosecuting office."))
        return Organisation.objects.get(pk=next(iter(grant.organisation_ids)))
    if not (grant.node_wide or organisation.pk in grant.organisation_ids):
        raise _errors(organisation=_("You cannot record prosecutions for this office."))
    return organisation


def _locked(prosecution: Prosecution) -> Prosecution:
    return Prosecution.objects.select_for_update(of=("self",)).get(pk=prosecution.pk)


# --- prosecutions --------------------------------------------------------------------------------------------


def prosecution_create(
    *,
    actor,
    district: District | None,
    police_case_number: str,
    police_unit: str,
    opened_on: dt.date | None,
    court: str = "",
    notes: str = "",
    organisation: Organisation | None = None,
) -> Prosecution:
    """Register a prosecution for the actor's office (or `organisation`, if she has several), numbered
    NP-PRS-2026-000001. Refused with field messages, nothing saved: no district, FIR number or police unit, a
    district of another country, a registration date in the future."""
    owner = _organisation_for_record(actor, organisation)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if district is None:
        errors["district"] = [_("Choose the district of the court.")]
    elif district.province.country != settings.SETU_NODE:
        errors["district"] = [_("Choose a district of this country: the prosecution is before its courts.")]
    if not _line(police_case_number):
        errors["police_case_number"] = [_("Give the police case / FIR number.")]
    if not _line(police_unit):
        errors["police_unit"] = [_("Give the police unit that investigated.")]
    problem = _date_problem(opened_on, today=today)
    if problem:
        errors["opened_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    assert opened_on is not None  # noqa: S101 - checked above
    assert district is not None  # noqa: S101 - validated above
    with transaction.atomic():
        number = (
            f"{settings.SETU_NODE}-PRS-{opened_on.year}-{numbers_taken(ProsecutionCounter, year=opened_on.year):06d}"
        )
        prosecution = Prosecution.objects.create(
            number=number,
            organisation=owner,
            district=district,
            police_case_number=_line(police_case_number)[:64],
            police_unit=_line(police_unit)[:200],
            court=_line(court)[:200],
            opened_on=opened_on,
            notes=(notes or "").strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="legal.prosecution_create",
            obj=prosecution,
            organisation=owner,
            fields=["organisation", "district", "police_case_number", "police_unit", "opened_on"]
            + (["court"] if court else [])
            + (["notes"] if notes else []),
        )
        return prosecution


PROSECUTION_FIELDS = ("court", "police_case_number", "police_unit", "notes")


def prosecution_update(*, actor, prosecution: Prosecution, **changes: str) -> Prosecution:
    """Change the court, FIR number, police unit or notes."""
    unknown = set(changes) - set(PROSECUTION_FIELDS)
    if unknown:
        raise TypeError(f"prosecution_update() got fields it does not edit: {sorted(unknown)}")
    require_record(actor, prosecution)
    errors = {}
    for name in ("police_case_number", "police_unit"):
        if name in changes and not _line(changes[name]):
            errors[name] = [_("This cannot be empty.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prosecution = _locked(prosecution)
        fields = []
        for name, value in changes.items():
            value = (value or "").strip() if name == "notes" else _line(value)
            if getattr(prosecution, name) != value:
                setattr(prosecution, name, value)
                fields.append(name)
        if fields:
            prosecution.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="legal.prosecution_update", obj=prosecution, fields=fields)
        return prosecution


def prosecution_set_status(
    *, actor, prosecution: Prosecution, status: str, outcome: str = "", judgment_on: dt.date | None = None
) -> Prosecution:
    """Move the prosecution on (charged, trial, judgment, appeal, closed) and, at judgment, give its outcome.

    Refused: an unknown status or outcome; a judgment without an outcome or its date; a judgment dated before
    the prosecution was registered or in the future."""
    require_record(actor, prosecution)
    errors: dict[str, list[str]] = {}
    if status not in ProsecutionStatus.values:
        errors["status"] = [_("Unknown status.")]
    if outcome and outcome not in Outcome.values:
        errors["outcome"] = [_("Unknown outcome.")]
    judged = status in (ProsecutionStatus.JUDGMENT, ProsecutionStatus.APPEAL, ProsecutionStatus.CLOSED)
    if status == ProsecutionStatus.JUDGMENT and outcome in ("", Outcome.PENDING):
        errors["outcome"] = [_("Give the outcome of the judgment.")]
    if outcome and outcome != Outcome.PENDING:
        if judgment_on is None and judged:
            errors["judgment_on"] = [_("Give the date of the judgment.")]
        elif judgment_on is not None:
            problem = _date_problem(judgment_on, today=timezone.localdate())
            if problem:
                errors["judgment_on"] = [problem]
            elif judgment_on < prosecution.opened_on:
                errors["judgment_on"] = [
                    _("The judgment cannot come before the prosecution was registered (%(date)s).")
                    % {"date": prosecution.opened_on.isoformat()}
                ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prosecution = _locked(prosecution)
        prosecution.status = status
        fields = ["status"]
        if outcome:
            prosecution.outcome, prosecution.judgment_on = outcome, judgment_on
            fields += ["outcome", "judgment_on"]
        prosecution.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="legal.prosecution_status", obj=prosecution, fields=fields)
        return prosecution


# --- charges -------------------------------------------------------------------------------------------------


def charge_add(*, actor, prosecution: Prosecution, code: str, particulars: str = "") -> Charge:
    """Charge a section from the maintained list (setu/legal/data/charges.yaml), with particulars.

    Refused: a code not on the list (with the list's version), a section of another country's law (a court
    here tries under this country's law), the same section twice."""
    require_record(actor, prosecution)
    code = (code or "").strip()
    listed = charge_list()
    charge = listed.get(code)
    if charge is None:
        raise _errors(
            code=_("Unknown charge %(code)s: choose a section from the list of charges (version %(version)s).")
            % {"code": code or "—", "version": listed.version}
        )
    if charge.act.country != settings.SETU_NODE:
        raise _errors(
            code=_("%(act)s is a law of another country: a court here tries under this country's law.")
            % {"act": charge.act.title()}
        )
    code = charge.code
    with transaction.atomic():
        prosecution = _locked(prosecution)
        if prosecution.charges.filter(code=code).exists():
            raise _errors(code=_("This section is already charged; add to its particulars instead."))
        row = Charge.objects.create(
            prosecution=prosecution, code=code, particulars=(particulars or "").strip(), created_by=actor
        )
        audit_record(
            actor=actor,
            action="legal.charge_add",
            obj=prosecution,
            fields=["code"] + (["particulars"] if row.particulars else []),
        )
        return row


def charge_remove(*, actor, charge: Charge) -> None:
    require_record(actor, charge.prosecution)
    with transaction.atomic():
        prosecution = _locked(charge.prosecution)
        Charge.objects.filter(pk=charge.pk).delete()
        audit_record(actor=actor, action="legal.charge_remove", obj=prosecution, fields=["code"])


# --- accused -------------------------------------------------------------------------------------------------


@dataclass
class AccusedEntry:
    """An accused: an existing person record the actor may see, or the details of a new one."""

    person: Person | None = None
    full_name: str = ""
    gender: str = "NonSpecifiedUnknown"
    age_years: int | None = None
    nationality: str = ""
    roles: Sequence[str] = field(default_factory=list)


def _register_accused(actor, prosecution: Prosecution, entry: AccusedEntry) -> Person:
    """A person record for an accused not yet on the node, kept by the prosecuting office and placed in the
    court's district. Registered under LEGAL_RECORD (a prosecutor does not register survivors, PERSON_CREATE),
    with the people app's own name rules and audit action, as the interceptions app registers suspects."""
    from setu.people.services import _derive_birth, index_names, refresh_name_fields

    today = timezone.localdate()
    person = Person(
        full_name=_line(entry.full_name),
        gender=entry.gender or "NonSpecifiedUnknown",
        nationality=entry.nationality,
        birth_precision="estimated" if entry.age_years is not None else "unknown",
        age_estimate=entry.age_years,
        age_estimated_on=today if entry.age_years is not None else None,
        organisation=prosecution.organisation,
        location_district=prosecution.district,
        created_by=actor,
    )
    _derive_birth(person)
    refresh_name_fields(person, [])
    try:
        person.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        raise ValidationError({"person": [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()]}) from exc
    person.save()
    index_names(person)
    audit_record(
        actor=actor,
        action="person.create",
        obj=person,
        organisation=prosecution.organisation,
        fields=["organisation", "full_name", "gender"]
        + (["age_estimate"] if entry.age_years else [])
        + (["nationality"] if entry.nationality else []),
    )
    return person


def accused_add(*, actor, prosecution: Prosecution, entry: AccusedEntry) -> Accused:
    """Add an accused with the HTCDS roles they played (the roles the interceptions app uses for suspects).

    Refused: neither a record nor a name; an unknown role; an age outside 0–120; a person already accused here;
    an existing person the actor may not see (the audited 404)."""
    require_record(actor, prosecution)
    errors: dict[str, list[str]] = {}
    roles = list(dict.fromkeys(entry.roles or []))
    unknown = [role for role in roles if role not in PerpetratorRole.values]
    if unknown:
        errors["roles"] = [_("Unknown role: %(role)s.") % {"role": ", ".join(unknown)}]
    if entry.person is None and not _line(entry.full_name):
        errors["full_name"] = [_("Give a name (or choose an existing record).")]
    if entry.age_years is not None and not 0 <= entry.age_years <= 120:
        errors["age_years"] = [_("The age must be between 0 and 120.")]
    if errors:
        raise ValidationError(errors)
    if entry.person is not None and not policy.grants(actor, Permission.PERSON_VIEW).covers(
        organisation_id=entry.person.organisation_id, district_id=entry.person.location_district_id
    ):
        policy.deny(actor, "legal.accused_add", object_type="people.person", object_id=str(entry.person.public_id))
    with transaction.atomic():
        prosecution = _locked(prosecution)
        if entry.person is not None and prosecution.accused.filter(person=entry.person).exists():
            raise _errors(person=_("This person is already accused in this prosecution."))
        person = entry.person or _register_accused(actor, prosecution, entry)
        accused = Accused.objects.create(
            prosecution=prosecution,
            person=person,
            roles=[r for r in PerpetratorRole.values if r in roles],
            created_by=actor,
        )
        audit_record(
            actor=actor, action="legal.accused_add", obj=prosecution, fields=["person"] + (["roles"] if roles else [])
        )
        return accused


def _money(value, name: str, errors: dict[str, list[str]], *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[name] = [_("Give the amount.")]
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = [_("Enter an amount, e.g. 50000 or 50000.50.")]
        return None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12") or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors[name] = [_("Enter an amount above zero, with at most two decimals.")]
        return None
    return amount


def _currency_problem(currency: str) -> str:
    return "" if currency in Currency.values else _("Choose the currency (NPR or INR).")


def accused_verdict(
    *,
    actor,
    accused: Accused,
    verdict: str,
    verdict_on: dt.date | None,
    sentence: str = "",
    fine_amount=None,
    fine_currency: str = "",
) -> Accused:
    """Record an accused's verdict; a convicted accused may have a sentence and a fine.

    Refused: an unknown verdict; a verdict (other than pending or absconding) without its date, dated in the
    future or before the prosecution was registered; a fine for someone not convicted; a fine without its
    currency."""
    prosecution = accused.prosecution
    require_record(actor, prosecution)
    errors: dict[str, list[str]] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = [_("Unknown verdict.")]
    decided = verdict in (Verdict.CONVICTED, Verdict.ACQUITTED, Verdict.DISCHARGED)
    if decided:
        problem = _date_problem(verdict_on, today=timezone.localdate())
        if problem:
            errors["verdict_on"] = [problem]
        elif verdict_on is not None and verdict_on < prosecution.opened_on:
            errors["verdict_on"] = [
                _("The verdict cannot come before the prosecution was registered (%(date)s).")
                % {"date": prosecution.opened_on.isoformat()}
            ]
    fine = _money(fine_amount, "fine_amount", errors, required=False)
    if fine is not None and verdict != Verdict.CONVICTED:
        errors["fine_amount"] = [_("Only a convicted accused is fined.")]
    if fine is not None and _currency_problem(fine_currency):
        errors["fine_currency"] = [_currency_problem(fine_currency)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked(prosecution)
        accused = Accused.objects.select_for_update().get(pk=accused.pk)
        if verdict != Verdict.CONVICTED and accused.compensation_orders.exists():
            raise _errors(
                verdict=_(
                    "Compensation is ordered against this accused: record the change of verdict on "
                    "appeal only after correcting those orders."
                )
            )
        accused.verdict, accused.verdict_on = verdict, verdict_on if decided else None
        accused.sentence = _line(sentence)[:300] if verdict == Verdict.CONVICTED else ""
        accused.fine_amount, accused.fine_currency = fine, fine_currency if fine is not None else ""
        accused.save()
        audit_record(
            actor=actor,
            action="legal.accused_verdict",
            obj=prosecution,
            fields=["verdict", "verdict_on"]
            + (["sentence"] if accused.sentence else [])
            + (["fine_amount", "fine_currency"] if fine is not None else []),
        )
        return accused


# --- victims as witnesses ------------------------------------------------------------------------------------


def witness_add(*, actor, prosecution: Prosecution, case: Case, note: str = "") -> Witness:
    """Link a victim's survivor case to the prosecution (she is a witness). The case must be one the actor may
    see; the same case twice is refused."""
    require_record(actor, prosecution)
    _require_case_view(actor, case)
    with transaction.atomic():
        prosecution = _locked(prosecution)
        if prosecution.witnesses.filter(case=case).exists():
            raise _errors(case=_("This survivor is already a witness in this prosecution."))
        witness = Witness.objects.create(prosecution=prosecution, case=case, note=_line(note)[:300], created_by=actor)
        audit_record(actor=actor, action="legal.witness_add", obj=prosecution, fields=["case"])
        return witness


# --- hearings ------------------------------------------------------------------------------------------------


def hearing_record(
    *, actor, prosecution: Prosecution, held_on: dt.date | None, what_happened: str = "", next_on: dt.date | None = None
) -> Hearing:
    """Record a hearing (past, with what happened; or coming, scheduled) and the next date the court gave.

    Refused, nothing saved: no date; a hearing before the prosecution was registered; a next date on or before
    the hearing; what happened written for a hearing still to come."""
    require_record(actor, prosecution)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    problem = _date_problem(held_on, today=today, future_ok=True)
    if problem:
        errors["held_on"] = [problem]
    elif held_on is not None and held_on < prosecution.opened_on:
        errors["held_on"] = [
            _("The hearing cannot come before the prosecution was registered (%(date)s).")
            % {"date": prosecution.opened_on.isoformat()}
        ]
    if rules.next_date_problem(held_on, next_on):
        errors["next_on"] = [_("The next date must come after the hearing's date.")]
    if held_on is not None and held_on > today and (what_happened or "").strip():
        errors["what_happened"] = [_("This hearing has not happened yet: leave what happened empty until it has.")]
    if errors:
        raise ValidationError(errors)
    assert held_on is not None  # noqa: S101 - validated above
    with transaction.atomic():
        prosecution = _locked(prosecution)
        hearing = Hearing.objects.create(
            prosecution=prosecution,
            held_on=held_on,
            next_on=next_on,
            what_happened=(what_happened or "").strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="legal.hearing_record",
            obj=prosecution,
            fields=["held_on"]
            + (["what_happened"] if hearing.what_happened else [])
            + (["next_on"] if next_on else []),
        )
        return hearing


# --- compensation --------------------------------------------------------------------------------------------


def compensation_order(
    *,
    actor,
    witness: Witness,
    accused: Accused,
    amount,
    currency: str,
    ordered_on: dt.date | None,
    below_minimum_reason: str = "",
) -> CompensationOrder:
    """Record compensation a court ordered to a victim, paid by a convicted accused.

    HTTCA s.17 (reference/domain.md §1.1 stage 10): the court orders the victim compensation of at least half
    of the fine imposed on the offender. Setu records what the court ordered, so an order below that is not
    simply refused: it is refused *unless* the recorder says why (`below_minimum_reason`: "as the judgment
    says; the office has appealed"), and is then kept flagged on the prosecution and the dashboard. A typing
    slip is caught, and a real order below the law's minimum is kept visible instead of being lost or
    silently "corrected". Also refused: an accused or victim of another prosecution, an accused not convicted,
    an amount not above zero, a currency other than the fine's, a date in the future or before the verdict."""
    prosecution = witness.prosecution
    require_record(actor, prosecution)
    errors: dict[str, list[str]] = {}
    if accused.prosecution_id != prosecution.pk:
        errors["accused"] = [_("Choose an accused of this prosecution.")]
    elif accused.verdict != Verdict.CONVICTED:
        errors["accused"] = [_("Compensation is ordered against a convicted accused: record the verdict first.")]
    value = _money(amount, "amount", errors)
    if _currency_problem(currency):
        errors["currency"] = [_currency_problem(currency)]
    elif accused.fine_currency and currency != accused.fine_currency:
        errors["currency"] = [_("Use the currency of the fine (%(currency)s).") % {"currency": accused.fine_currency}]
    problem = _date_problem(ordered_on, today=timezone.localdate())
    if problem:
        errors["ordered_on"] = [problem]
    elif ordered_on is not None and accused.verdict_on is not None and ordered_on < accused.verdict_on:
        errors["ordered_on"] = [
            _("The order cannot come before the verdict (%(date)s).") % {"date": accused.verdict_on.isoformat()}
        ]
    reason = _line(below_minimum_reason)[:300]
    share = minimum_share(prosecution)
    if value is not None and not errors and rules.below_minimum(value, accused.fine_amount, share):
        assert share is not None and accused.fine_amount is not None  # noqa: S101 - below_minimum checked them
        if not reason:
            errors["amount"] = [
                _(
                    "HTTCA s.17: the court orders the victim at least half of the offender's fine, here %(minimum)s "
                    "%(currency)s (fine %(fine)s). Check the amount; if the court did order less, say why below."
                )
                % {
                    "minimum": rules.minimum_compensation(accused.fine_amount, share),
                    "currency": currency,
                    "fine": accused.fine_amount,
                }
            ]
    else:
        reason = ""  # only an order below the minimum keeps a reason for being there
    if errors:
        raise ValidationError(errors)
    assert value is not None  # noqa: S101 - validated above
    assert ordered_on is not None  # noqa: S101 - validated above
    with transaction.atomic():
        _locked(prosecution)
        order = CompensationOrder.objects.create(
            witness=witness,
            accused=accused,
            amount=value,
            currency=currency,
            ordered_on=ordered_on,
            below_minimum_reason=reason,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="legal.compensation_order",
            obj=prosecution,
            fields=["witness", "accused", "amount", "currency", "ordered_on"]
            + (["below_minimum_reason"] if reason else []),
        )
        return order


def minimum_share(prosecution: Prosecution) -> Decimal | None:
    """The least share of a fine owed to the victim under the law of the prosecution's charges (HTTCA s.17:
    one half), or None when none of its charges' acts sets one."""
    listed = charge_list()
    shares = [
        c.act.compensation_min_share
        for code in prosecution.charges.values_list("code", flat=True)
        if (c := listed.get(code)) is not None and c.act.compensation_min_share is not None
    ]
    return max(shares) if shares else None


def payment_record(
    *, actor, order: CompensationOrder, paid_on: dt.date | None, amount, currency: str, method: str, reference: str = ""
) -> CompensationPayment:
    """Record a payment to the survivor against an order. Refused: more than the balance due, another
    currency than the order's, a date in the future or before the order, an unknown method."""
    prosecution = order.witness.prosecution
    require_record(actor, prosecution)
    errors: dict[str, list[str]] = {}
    value = _money(amount, "amount", errors)
    if currency != order.currency:
        errors["currency"] = [_("Use the currency of the order (%(currency)s).") % {"currency": order.currency}]
    if method not in PaymentMethod.values:
        errors["method"] = [_("Choose how it was paid.")]
    problem = _date_problem(paid_on, today=timezone.localdate())
    if problem:
        errors["paid_on"] = [problem]
    elif paid_on is not None and paid_on < order.ordered_on:
        errors["paid_on"] = [
            _("A payment cannot come before the order (%(date)s).") % {"date": order.ordered_on.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    assert value is not None  # noqa: S101 - validated above
    assert paid_on is not None  # noqa: S101 - validated above
    with transaction.atomic():
        order = CompensationOrder.objects.select_for_update().get(pk=order.pk)
        paid = order.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        due = rules.balance_due(order.amount, [paid])
        if value is not None and value > due:
            raise _errors(
                amount=_("More than the balance due (%(due)s %(currency)s).") % {"due": due, "currency": order.currency}
            )
        payment = CompensationPayment.objects.create(
            order=order,
            paid_on=paid_on,
            amount=value,
            currency=currency,
            method=method,
            reference=_line(reference)[:100],
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="legal.payment_record",
            obj=prosecution,
            fields=["paid_on", "amount", "currency", "method"] + (["reference"] if reference else []),
        )
        return payment


# --- witness needs -------------------------------------------------------------------------------------------


def witness_need_record(
    *,
    actor,
    witness: Witness,
    court: str,
    place: str,
    needed_from: dt.date | None,
    needed_until: dt.date | None = None,
    presence: str = Presence.VIDEO_POSSIBLE,
) -> WitnessNeed:
    """Say that a victim is needed as a witness: before which court, where, from when (until when), and whether
    she must come in person or video will do. Kept on her case, where her caseworker sees it.

    Refused: no court or place; the dates out of order (until before from); an unknown presence."""
    prosecution = witness.prosecution
    require_record(actor, prosecution)
    errors: dict[str, list[str]] = {}
    if not _line(court):
        errors["court"] = [_("Give the court.")]
    if not _line(place):
        errors["place"] = [_("Say where she is needed.")]
    problem = _date_problem(needed_from, today=timezone.localdate(), future_ok=True)
    if problem:
        errors["needed_from"] = [problem]
    elif needed_until is not None and needed_from is not None and needed_until < needed_from:
        errors["needed_until"] = [_("'Needed until' must not come before 'needed from'.")]
    if presence not in Presence.values:
        errors["presence"] = [_("Say whether she must come in person or video will do.")]
    if errors:
        raise ValidationError(errors)
    assert needed_from is not None  # noqa: S101 - validated above
    with transaction.atomic():
        _locked(prosecution)
        need = WitnessNeed.objects.create(
            case=witness.case,
            prosecution=prosecution,
            court=_line(court)[:200],
            place=_line(place)[:200],
            needed_from=needed_from,
            needed_until=needed_until,
            presence=presence,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="legal.witness_need_record",
            obj=need,
            organisation=prosecution.organisation,
            fields=["case", "court", "place", "needed_from", "presence"] + (["needed_until"] if needed_until else []),
        )
        return need


def witness_need_set_status(*, actor, need: WitnessNeed, status: str) -> WitnessNeed:
    require_record(actor, need.prosecution)
    if status not in NeedStatus.values:
        raise _errors(status=_("Unknown status."))
    with transaction.atomic():
        need = WitnessNeed.objects.select_for_update().get(pk=need.pk)
        need.status = status
        need.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="legal.witness_need_status", obj=need, fields=["status"])
        return need


def witness_need_her_view(*, actor, need: WitnessNeed, her_consent: str, her_view: str = "") -> WitnessNeed:
    """Her own view and whether she agrees to testify, recorded by who works her case (CASE_WORK): the
    prosecutor reads it, the survivor's voice is kept in the decision (DESIGN.md)."""
    _require_case_work(actor, need.case)
    if her_consent not in HerConsent.values:
        raise _errors(her_consent=_("Say whether she agrees to testify."))
    with transaction.atomic():
        need = WitnessNeed.objects.select_for_update().get(pk=need.pk)
        need.her_consent, need.her_view = her_consent, (her_view or "").strip()
        need.save(update_fields=["her_consent", "her_view", "updated_at"])
        audit_record(
            actor=actor,
            action="legal.witness_need_her_view",
            obj=need,
            fields=["her_consent"] + (["her_view"] if need.her_view else []),
        )
        return need


# --- video testimony -----------------------------------------------------------------------------------------


def _zone_problem(zone: str) -> str:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return _("Unknown time zone; use e.g. Asia/Kathmandu or Asia/Kolkata.")
    return ""


def testimony_schedule(
    *,
    actor,
    need: WitnessNeed,
    scheduled_at: dt.datetime | None,
    timezone_name: str,
    court_end: str,
    survivor_end: str,
    interpreter: str = "",
    link_reference: str = "",
    now: dt.datetime | None = None,
) -> VideoTestimony:
    """Propose a video testimony session for a witness need. When her case is linked to the other country's
    node (she has gone home), the session is asked of that node at once (testimony.request, setu.legal.exchange):
    its caseworker confirms, declines or proposes another time.

    Refused: a need that is not open, that wants her in person only, or whose survivor said no; no time; a
    time in the past or before the need's first date; an unknown time zone; no court or survivor end."""
    from setu.legal import exchange

    require_record(actor, need.prosecution)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if need.status != NeedStatus.OPEN:
        errors["__all__"] = [_("This witness need is closed.")]
    elif need.presence == Presence.PHYSICAL:
        errors["__all__"] = [_("The court wants her in person for this need: video testimony is not possible for it.")]
    elif need.her_consent == HerConsent.NO:
        # Survivor-centred (DESIGN.md): her "no", recorded by her caseworker, is not overridden by a booking.
        errors["__all__"] = [
            _(
                "She does not agree to testify (her caseworker recorded it): talk with her "
                "caseworker before proposing a session."
            )
        ]
    zone_problem = _zone_problem(timezone_name)
    if zone_problem:
        errors["timezone"] = [zone_problem]
    if scheduled_at is None:
        errors["scheduled_at"] = [_("Give the date and time of the session.")]
    elif timezone.is_naive(scheduled_at) and not zone_problem:
        scheduled_at = scheduled_at.replace(tzinfo=ZoneInfo(timezone_name))
    if scheduled_at is not None and not errors.get("scheduled_at") and timezone.is_aware(scheduled_at):
        if scheduled_at <= now:
            errors["scheduled_at"] = [_("The session must be in the future.")]
        elif scheduled_at.astimezone(ZoneInfo(timezone_name) if not zone_problem else dt.UTC).date() < need.needed_from:
            errors["scheduled_at"] = [
                _("The session cannot come before she is needed (from %(date)s).")
                % {"date": need.needed_from.isoformat()}
            ]
    if not _line(court_end):
        errors["court_end"] = [_("Say where the court sits for the session.")]
    if not _line(survivor_end):
        errors["survivor_end"] = [_("Say where she testifies from.")]
    if errors:
        raise ValidationError(errors)
    assert scheduled_at is not None  # noqa: S101
    with transaction.atomic():
        session = VideoTestimony.objects.create(
            case=need.case,
            need=need,
            scheduled_at=scheduled_at,
            timezone=timezone_name,
            court=need.court,
            court_end=_line(court_end)[:200],
            survivor_end=_line(survivor_end)[:200],
            interpreter=_line(interpreter)[:200],
            link_reference=_line(link_reference)[:200],
            created_by=actor,
        )
        sent = exchange.send_request(actor=actor, session=session)
        audit_record(
            actor=actor,
            action="legal.testimony_schedule",
            obj=session,
            organisation=need.prosecution.organisation,
            fields=["scheduled_at", "timezone", "court_end", "survivor_end"]
            + (["interpreter"] if interpreter else [])
            + (["link_reference"] if link_reference else [])
            + (["testimony.request"] if sent else []),
        )
        return session


def testimony_set_status(
    *, actor, session: VideoTestimony, status: str, note: str = "", accept_counter: bool = False
) -> VideoTestimony:
    """The court side moves a session on: confirmed, held, adjourned, cancelled; or takes the other side's
    proposed time (`accept_counter`). A session asked of the other country's node tells it (testimony.request
    with the new state), so both sides show the same."""
    from setu.legal import exchange

    if session.need is None:
        policy.deny(
            actor, Permission.LEGAL_RECORD.value, object_type=SESSION_OBJECT_TYPE, object_id=str(session.public_id)
        )
    assert session.need is not None  # noqa: S101
    require_record(actor, session.need.prosecution)
    if status not in SessionStatus.values:
        raise _errors(status=_("Unknown status."))
    if status in (SessionStatus.ADJOURNED, SessionStatus.CANCELLED) and not _line(note):
        raise _errors(note=_("Say why: the survivor's side sees it."))
    with transaction.atomic():
        session = VideoTestimony.objects.select_for_update().get(pk=session.pk)
        if status == SessionStatus.HELD and session.scheduled_at > timezone.now():
            raise _errors(status=_("A session cannot be held before its time."))
        fields = ["status"]
        if accept_counter:
            if session.counter_at is None:
                raise _errors(status=_("The other side has not proposed another time."))
            session.scheduled_at, session.counter_at = session.counter_at, None
            fields += ["scheduled_at"]
        session.status, session.status_note = status, _line(note)[:300]
        session.save()
        if status == SessionStatus.HELD and session.need is not None:
            WitnessNeed.objects.filter(pk=session.need.pk, status=NeedStatus.OPEN).update(status=NeedStatus.MET)
        exchange.send_request(actor=actor, session=session)
        audit_record(actor=actor, action="legal.testimony_status", obj=session, fields=fields)
        return session


def testimony_answer(
    *,
    actor,
    session: VideoTestimony,
    answer: str,
    reason: str = "",
    proposed_at: dt.datetime | None = None,
    survivor_end: str = "",
) -> VideoTestimony:
    """The survivor's side answers a session asked for by the other country's node: confirm, decline (with the
    reason) or propose another time. Recorded by who works her case (CASE_WORK); the answer goes back as
    testimony.reply; the case's task is done."""
    from setu.legal import exchange

    _require_case_work(actor, session.case)
    if not session.peer:
        policy.deny(actor, "legal.testimony_answer", object_type=SESSION_OBJECT_TYPE, object_id=str(session.public_id))
    errors: dict[str, list[str]] = {}
    if answer not in exchange.ANSWERS:
        errors["answer"] = [_("Confirm, decline or propose another time.")]
    if answer == "declined" and not _line(reason):
        errors["reason"] = [_("Say why: the court's side sees the reason.")]
    if answer == "counter":
        if proposed_at is None:
            errors["proposed_at"] = [_("Give the time you propose.")]
        elif timezone.is_naive(proposed_at):
            proposed_at = proposed_at.replace(tzinfo=ZoneInfo(session.timezone))
        if proposed_at is not None and proposed_at <= timezone.now():
            errors["proposed_at"] = [_("The time you propose must be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = VideoTestimony.objects.select_for_update().get(pk=session.pk)
        if session.status not in (SessionStatus.PROPOSED, SessionStatus.CONFIRMED):
            raise _errors(
                answer=_("This session is %(status)s: there is nothing to answer.")
                % {"status": session.get_status_display().lower()}
            )
        if answer == "confirmed":
            session.status = SessionStatus.CONFIRMED
        elif answer == "declined":
            session.status = SessionStatus.CANCELLED
        else:
            session.counter_at = proposed_at
        if survivor_end:
            session.survivor_end = _line(survivor_end)[:200]
        session.status_note = _line(reason)[:300]
        session.save()
        exchange.send_reply(actor=actor, session=session, answer=answer, reason=_line(reason), proposed_at=proposed_at)
        audit_record(
            actor=actor,
            action="legal.testimony_answer",
            obj=session,
            fields=["answer"] + (["reason"] if reason else []) + (["proposed_at"] if proposed_at else []),
        )
        return session
