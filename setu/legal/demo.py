"""Demo prosecutions for the demo seed (setu.web.demo.seed calls `seed`): on each node, a few prosecutions by
the node's demo prosecutor (np_prosecutor of np_attorney, in_prosecutor of in_prosecution), linked to the
demo cases that prosecutor may see.

    from setu.legal import demo
    demo.seed(node="IN", users=users)

What is made, all through the services (validated and audited like real records):
1. On trial: charges of the node's law, two accused with HTCDS roles, victims as witnesses, a past hearing
   with the next date the court gave, a hearing to come; a witness need where video will do, with a video
   testimony session proposed; and, for a survivor going home across the border before her handover, a need
   for her in person (the case page's SOP panel and the dashboard say prosecution holds up repatriation).
2. Judged: one accused convicted with a fine, compensation ordered to the victim (HTTCA s.17 on Nepal's
   node: half the fine) and partly paid.
3. Under investigation: a charge and an accused who absconds.

Witnesses are demo cases the prosecutor may see (CASE_VIEW reaches her office's districts): with none, the
prosecutions are seeded without witnesses, needs or compensation, and the result says so. Idempotent: an
office that already has a prosecution gets nothing more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from setu.accounts import policy
from setu.accounts.models import User
from setu.cases.choices import OPEN_STATUSES, CasePath
from setu.cases.selectors import case_list_for
from setu.legal import selectors, services
from setu.legal.models import Prosecution


@dataclass(frozen=True)
class _Law:
    """Per node: the charges, the court, the fine's currency and amount, the police."""

    charges: tuple[str, ...]
    other: str
    currency: str
    fine: int
    court: str
    police: str
    fir: str
    zone: str
    survivor_end: str


_LAW = {
    "NP": _Law(
        ("HTTCA-4-1-a", "HTTCA-4-2-b"),
        "HTTCA-4-2-a",
        "NPR",
        200000,
        "Morang District Court",
        "Nepal Police, Anti-Human Trafficking Bureau",
        "AHTB {n}/2083-84",
        "Asia/Kathmandu",
        "Maiti Nepal transit home, video room",
    ),
    "IN": _Law(
        ("BNS-143", "ITPA-5"),
        "BNS-144",
        "INR",
        50000,
        "Court of the Additional Sessions Judge, Araria",
        "AHTU Araria (Bihar Police)",
        "Jogbani PS {n}/2026",
        "Asia/Kolkata",
        "District Child Protection Unit, video room",
    ),
}


@dataclass
class Seeded:
    prosecutions: int = 0
    witnesses: int = 0
    sessions: int = 0

    def __str__(self) -> str:
        return f"{self.prosecutions} prosecutions, {self.witnesses} witnesses, {self.sessions} video sessions"


def seed(*, node: str, users: dict[str, User], today: dt.date | None = None) -> Seeded:
    """Seed the node's demo prosecutions (see the module's docstring); what was made."""
    prosecutor = users.get(f"{node.lower()}_prosecutor")
    result = Seeded()
    if prosecutor is None:
        return result
    office = policy.primary_organisation(prosecutor)
    if office is None or Prosecution.objects.filter(organisation=office).exists():
        return result
    district = office.districts.filter(province__country=node).first()
    if district is None:
        return result
    law = _LAW[node]
    today = today or timezone.localdate()
    cases = list(case_list_for(prosecutor).filter(status__in=OPEN_STATUSES).order_by("identified_at", "id")[:4])
    crossing = [c for c in cases if c.path == CasePath.CROSS_BORDER and c.stage in selectors.before_handover(c)]
    others = [c for c in cases if c not in crossing[:1]]
    with transaction.atomic():
        # 1. On trial.
        trial = _prosecution(prosecutor, district, law, 1, today - dt.timedelta(days=150), status="trial")
        for code in law.charges:
            services.charge_add(
                actor=prosecutor,
                prosecution=trial,
                code=code,
                particulars="Recruited her with a promise of work; sold her on across the border.",
            )
        for name, roles in (
            ("Ram Bahadur Khadka", ["RecruiterOrIntermediary", "Transporter"]),
            ("Sunil Kumar Yadav", ["BrokerTravelAgent", "SoldIndividual"]),
        ):
            services.accused_add(
                actor=prosecutor,
                prosecution=trial,
                entry=services.AccusedEntry(full_name=name, gender="Masculine", age_years=38, roles=roles),
            )
        services.hearing_record(
            actor=prosecutor,
            prosecution=trial,
            held_on=today - dt.timedelta(days=30),
            what_happened="Charges framed; the accused pleaded not guilty.",
            next_on=today + dt.timedelta(days=12),
        )
        services.hearing_record(actor=prosecutor, prosecution=trial, held_on=today + dt.timedelta(days=12))
        trial_cases = others[:2]
        for case in trial_cases:
            services.witness_add(actor=prosecutor, prosecution=trial, case=case, note="Prime witness")
            result.witnesses += 1
        if trial_cases:
            witness = trial.witnesses.get(case=trial_cases[0])
            need = services.witness_need_record(
                actor=prosecutor,
                witness=witness,
                court=law.court,
                place=district.name_en,
                needed_from=today + dt.timedelta(days=10),
                needed_until=today + dt.timedelta(days=40),
                presence="video_possible",
            )
            services.testimony_schedule(
                actor=prosecutor,
                need=need,
                timezone_name=law.zone,
                court_end=f"{law.court}, video room",
                scheduled_at=dt.datetime.combine(today + dt.timedelta(days=14), dt.time(11), tzinfo=None),
                survivor_end=law.survivor_end,
                interpreter="Nepali–Hindi",
            )
            result.sessions += 1
        if crossing:
            case = crossing[0]
            witness = services.witness_add(actor=prosecutor, prosecution=trial, case=case, note="Eyewitness")
            result.witnesses += 1
            services.witness_need_record(
                actor=prosecutor,
                witness=witness,
                court=law.court,
                place=district.name_en,
                needed_from=today + dt.timedelta(days=20),
                presence="physical",
            )
        result.prosecutions += 1

        # 2. Judged: a conviction, a fine, compensation partly paid.
        judged = _prosecution(prosecutor, district, law, 2, today - dt.timedelta(days=400), status="trial")
        services.charge_add(actor=prosecutor, prosecution=judged, code=law.charges[0])
        convicted = services.accused_add(
            actor=prosecutor,
            prosecution=judged,
            entry=services.AccusedEntry(
                full_name="Maya Gurung", gender="Feminine", age_years=45, roles=["HarbouredIndividual", "Exploiter"]
            ),
        )
        services.hearing_record(
            actor=prosecutor,
            prosecution=judged,
            held_on=today - dt.timedelta(days=120),
            what_happened="The survivor testified by video from her home district.",
            next_on=today - dt.timedelta(days=60),
        )
        services.hearing_record(
            actor=prosecutor,
            prosecution=judged,
            held_on=today - dt.timedelta(days=60),
            what_happened="Judgment: convicted.",
        )
        verdict_on = today - dt.timedelta(days=60)
        convicted = services.accused_verdict(
            actor=prosecutor,
            accused=convicted,
            verdict="convicted",
            verdict_on=verdict_on,
            sentence="12 years' imprisonment",
            fine_amount=str(law.fine),
            fine_currency=law.currency,
        )
        services.prosecution_set_status(
            actor=prosecutor, prosecution=judged, status="judgment", outcome="conviction", judgment_on=verdict_on
        )
        if len(others) > 2:
            witness = services.witness_add(actor=prosecutor, prosecution=judged, case=others[2])
            result.witnesses += 1
            half = law.fine // 2
            order = services.compensation_order(
                actor=prosecutor,
                witness=witness,
                accused=convicted,
                amount=str(half),
                currency=law.currency,
                ordered_on=verdict_on,
            )
            services.payment_record(
                actor=prosecutor,
                order=order,
                paid_on=today - dt.timedelta(days=20),
                amount=str(half * 2 // 5),
                currency=law.currency,
                method="bank",
                reference="Transfer to her account, first instalment",
            )
        result.prosecutions += 1

        # 3. Under investigation.
        fresh = _prosecution(prosecutor, district, law, 3, today - dt.timedelta(days=20), status="investigation")
        services.charge_add(actor=prosecutor, prosecution=fresh, code=law.other)
        absconding = services.accused_add(
            actor=prosecutor,
            prosecution=fresh,
            entry=services.AccusedEntry(
                full_name="Bikash Thapa", gender="Masculine", age_years=30, roles=["Transporter"]
            ),
        )
        services.accused_verdict(actor=prosecutor, accused=absconding, verdict="absconding", verdict_on=None)
        result.prosecutions += 1
    return result


def _prosecution(prosecutor, district, law: _Law, n: int, opened_on: dt.date, *, status: str) -> Prosecution:
    prosecution = services.prosecution_create(
        actor=prosecutor,
        district=district,
        police_case_number=law.fir.format(n=100 + n),
        police_unit=law.police,
        court=law.court,
        opened_on=opened_on,
    )
    if status != "investigation":
        services.prosecution_set_status(actor=prosecutor, prosecution=prosecution, status="charged")
        prosecution = services.prosecution_set_status(actor=prosecutor, prosecution=prosecution, status=status)
    return prosecution
