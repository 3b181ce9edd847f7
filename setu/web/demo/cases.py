"""Demo survivor cases: about 150 a node, opened and moved through SOP v1 by the demo's logins.

Every write goes through `setu.cases.services` (access checks, SOP refusals, consent, audit), acting as the
login whose role the SOP names for each step, with the services' `now=` and date arguments, so each case
carries the history a real one would: rescued some time in the last ten months, produced before the CWC
or a magistrate within hours (a few late), placed in care, verified by the other country (its reply's
reference recorded by the focal point), decided on with the survivor's own view, handed over, followed up
and closed. Survivors are the node's demo people: a person of the other country goes home across the
border, a national within the country (the path follows nationality, as `case_open` decides it).

What the demo needs to show is planned, not left to chance: cases in every stage of both paths, some past
their statutory or target deadline now, about 40% children, a few on hold, withdrawn consent, a pending
transfer, suspects with their HTCDS roles, historic trafficking events, documents (small generated PDFs).

Deterministic: a seeded generator plans every case from the node's people in the order they were
registered, counting back from the moment of seeding. Idempotent: a person who already is the survivor of a
case is skipped, so seeding again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from setu.accounts import policy
from setu.accounts.models import Organisation, User
from setu.accounts.roles import Permission, Role
from setu.cases import choices, services
from setu.cases.models import Case, Consent
from setu.core.dates import age_on
from setu.geo.models import District
from setu.people.models import Person, Relation
from setu.web.demo import agencies

DEFAULT_CASES = 150
WINDOW = dt.timedelta(days=300)  # rescue dates reach back about ten months
MINOR_SHARE = 0.4
CROSS_BORDER_SHARE = {"NP": 0.2, "IN": 0.5}  # capped by the people of the other country on the node
OVERDUE_SHARE = 0.25  # of the open cases in a stage with a deadline
LATE_SHARE = 0.15  # of the stages a case has left: left after the deadline
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)

S = choices  # short alias for the value lists below
CROSS, DOMESTIC = choices.CasePath.CROSS_BORDER.value, choices.CasePath.DOMESTIC.value
CHECKLIST = [key for key, _label in choices.CONSENT_CHECKLIST]

# The route of a case through SOP v1, by path and age (the exits' `when` conditions in v1.yaml).
_START = {True: ["rescued", "cwc_production", "child_care"], False: ["rescued", "itpa_custody", "adult_care"]}
_REST = {
    CROSS: ["verification", "repatriation_decision", "handover", "reintegration", "closed"],
    DOMESTIC: ["reintegration_planning", "reintegration", "closed"],
}
_STAY = ["verification", "repatriation_decision", "reintegration_planning"]  # decided to stay after all

# Where the cases of a real node are: a few just rescued, most in care, verification or reintegration.
_WEIGHTS = {
    CROSS: {"rescued": 2, "cwc_production": 2, "itpa_custody": 2, "child_care": 6, "adult_care": 6, "verification": 14,
            "repatriation_decision": 8, "handover": 6, "reintegration_planning": 3, "reintegration": 22, "closed": 25},
    DOMESTIC: {"rescued": 3, "cwc_production": 3, "itpa_custody": 3, "child_care": 11, "adult_care": 11,
               "reintegration_planning": 13, "reintegration": 25, "closed": 29},
}  # fmt: skip
# Stages every group of cases covers first, so that even a small node shows each stage.
_FIRST = {
    (CROSS, True): ["verification", "handover", "repatriation_decision", "child_care", "cwc_production", "closed",
                    "reintegration"],
    (CROSS, False): ["verification", "repatriation_decision", "handover", "adult_care", "itpa_custody",
                     "reintegration_planning", "reintegration", "closed", "rescued"],
    (DOMESTIC, True): ["child_care", "cwc_production", "reintegration_planning", "reintegration", "closed", "rescued"],
    (DOMESTIC, False): ["adult_care", "itpa_custody", "reintegration_planning", "reintegration", "closed", "rescued"],
}  # fmt: skip


# --- the node's story ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scenario:
    how: str  # "{she}" / "{her}" stand for the survivor
    promise: str
    exploitation: tuple[str, ...]
    controls: tuple[str, ...]
    place: str  # where she was exploited ("" when intercepted before)
    country: str
    raid: bool  # rescued by the police (else intercepted at the border)
    suspect: tuple[str, tuple[str, ...]]  # who the suspect was, and his HTCDS roles


_SEX = ("SexualExploitation",)
_LABOUR = ("ForcedLabour",)
_PROMISES = ("FalsePromises",)
_TRAVEL = ("the man who travelled with {obj} and said he was {her} uncle", ("TravellingPartner", "Transporter"))
_AGENT = ("the placement agent who recruited {obj}", ("RecruiterOrIntermediary", "BrokerTravelAgent"))
_OWNER = ("the owner of the establishment", ("HarbouredIndividual", "Exploiter", "ControlledIndividual"))

SCENARIOS: dict[tuple[str, str], tuple[_Scenario, ...]] = {
    ("NP", DOMESTIC): (
        _Scenario("Intercepted at the Rani crossing on the way to India with a man who was not {her} relative",
                  "a job in a garment factory in Delhi", (), _PROMISES, "", "IN", False, _TRAVEL),
        _Scenario("Intercepted at the Rani crossing on the way to a Gulf job through India",
                  "domestic work in Kuwait", (), ("FalsePromises", "WithholdsDocuments"), "", "KW", False, _AGENT),
        _Scenario("Rescued in a police raid on a dance bar", "a waitress's job in Kathmandu", _SEX,
                  ("DebtBondage", "TakesEarnings", "PsychologicalAbuse"), "a dance bar in Thamel, Kathmandu", "NP",
                  True, _OWNER),
        _Scenario("Rescued from a carpet workshop", "schooling and work in Kathmandu", ("ChildLabour", "ForcedLabour"),
                  ("ExcessiveWorkingHours", "WithholdsNecessities", "TakesEarnings"),
                  "a carpet workshop in Kathmandu", "NP", True, _OWNER),
        _Scenario("Rescued from a massage parlour in Biratnagar", "a beautician's training", _SEX,
                  ("DebtBondage", "PhysicalThreats", "RestrictsFinancialAccess"), "a massage parlour in Biratnagar",
                  "NP", True, _OWNER),
    ),
    ("NP", CROSS): (
        _Scenario("Rescued from a dance restaurant in Biratnagar", "a singer's job in Nepal", _SEX,
                  ("DebtBondage", "WithholdsDocuments", "ThreatensChildrenFamily"),
                  "a dance restaurant in Biratnagar", "NP", True, _OWNER),
        _Scenario("Rescued from a brick kiln in Morang", "seasonal work with good pay", _LABOUR,
                  ("DebtBondage", "ExcessiveWorkingHours", "TakesEarnings"), "a brick kiln in Morang", "NP", True,
                  _AGENT),
        _Scenario("Intercepted at the Rani crossing on the way to Kathmandu", "a job in a Kathmandu hotel", (),
                  _PROMISES, "", "NP", False, _TRAVEL),
    ),
    ("IN", CROSS): (
        _Scenario("Intercepted at the Jogbani crossing by the SSB and the help desk with a man who was not {her} "
                  "relative", "a job in a Delhi garment factory", (), _PROMISES, "", "IN", False, _TRAVEL),
        _Scenario("Rescued in a raid on an orchestra troupe in Forbesganj", "a dancer's job with good pay", _SEX,
                  ("DebtBondage", "TakesEarnings", "PhysicalThreats"), "an orchestra troupe in Forbesganj, Araria",
                  "IN", True, _OWNER),
        _Scenario("Rescued from a brothel in a raid led by the AHTU", "work in a beauty parlour in Siliguri", _SEX,
                  ("DebtBondage", "PhysicalAbuse", "PsychoactiveSubstance", "WithholdsDocuments"),
                  "a brothel in Siliguri", "IN", True, _OWNER),
        _Scenario("Intercepted at the Jogbani crossing on the way to a Gulf job through Delhi",
                  "domestic work in Dubai", (), ("FalsePromises", "WithholdsDocuments"), "", "AE", False, _AGENT),
    ),
    ("IN", DOMESTIC): (
        _Scenario("Rescued in a raid on an orchestra troupe in Araria", "a dancer's job with good pay", _SEX,
                  ("DebtBondage", "TakesEarnings", "PhysicalThreats"), "an orchestra troupe in Araria", "IN", True,
                  _OWNER),
        _Scenario("Rescued from domestic servitude in Delhi", "a maid's job with a good family", ("Servitude",),
                  ("RestrictsFinancialAccess", "WithholdsNecessities", "PsychologicalAbuse"), "a house in Delhi",
                  "IN", True, _AGENT),
        _Scenario("Intercepted at Araria station on the way to a forced marriage in Haryana", "a good marriage",
                  ("ForcedMarriage",), _PROMISES, "", "IN", False, _TRAVEL),
        _Scenario("Rescued from a bangle workshop in Jaipur", "schooling and work in the city",
                  ("ChildLabour", "ForcedLabour"), ("ExcessiveWorkingHours", "WithholdsNecessities"),
                  "a bangle workshop in Jaipur", "IN", True, _OWNER),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class _Story:
    """The node's law and bodies in the words its officers would write."""

    district: str  # where the demo's cases are handled (the crossing's district)
    crossing: str
    crossing_district: str
    language: str
    child_care_basis: str
    child_sharing_basis: str
    child_family_basis: str
    child_determination: tuple[str, str]  # decider, basis
    adult_determination: tuple[str, str, str]  # decider, HTCDS org type, basis
    age_board: str
    embassy: str  # the other country's mission: verifies nationality
    repatriation_child: str
    repatriation_adult: str
    court: str


STORIES = {
    "NP": _Story(
        district="Morang", crossing="Rani–Jogbani", crossing_district="Morang", language="ne",
        child_care_basis="Act relating to Children 2075 (2018) s.48: emergency protection of a child at risk",
        child_sharing_basis="Act relating to Children 2075 s.49 and the CWC's order for family tracing abroad",
        child_family_basis="Child Welfare Committee order for family tracing and reunification",
        child_determination=(
            "Child Welfare Committee, Morang (NCRC)",
            "Human Trafficking and Transportation (Control) Act 2064 s.4; Act relating to Children 2075 s.48; the "
            "interception record and the child's statement",
        ),
        adult_determination=(
            "Nepal Police, Women, Children and Senior Citizen Service Centre, Morang", S.DecisionMakingOrg.POLICE,
            "HTTCA 2064 s.4 and s.6: statement taken and certified at the District Court, Morang",
        ),
        age_board="Koshi Hospital, Biratnagar (radiological age estimation)",
        embassy="Embassy of India, Kathmandu (consular section)",
        repatriation_child="Child Welfare Committee, Morang, with the Ministry of Women, Children and Senior Citizens",
        repatriation_adult="Ministry of Women, Children and Senior Citizens, with the Ministry of Foreign Affairs",
        court="District Court, Morang",
    ),
    "IN": _Story(
        district="Araria", crossing="Jogbani–Rani", crossing_district="Araria", language="hi",
        child_care_basis="JJ Act 2015 s.31–32: child in need of care and protection, pending production before the CWC",
        child_sharing_basis="CWC Araria order under JJ Model Rules 2016 r.81 (repatriation of a foreign child)",
        child_family_basis="CWC Araria order for home study and family tracing (JJ Act 2015 s.36)",
        child_determination=(
            "Child Welfare Committee, Araria (bench of three members)",
            "JJ Act 2015 s.2(14) and s.31; the rescue memo and the child's statement before the Committee",
        ),
        adult_determination=(
            "Judicial Magistrate First Class, Araria", S.DecisionMakingOrg.COURT,
            "ITPA 1956 s.17(2) inquiry through the probation officer; MHA OM 14051/14/2011-F.VI (a victim is not "
            "prosecuted under the Foreigners Act)",
        ),
        age_board="Medical board, Sadar Hospital Araria (dental and wrist X-ray)",
        embassy="Embassy of Nepal, New Delhi (consular section)",
        repatriation_child="Child Welfare Committee, Araria, with the State Government in consultation with MHA and "
                           "MEA (JJ Model Rules 2016 r.81(5))",
        repatriation_adult="Ministry of Home Affairs, Women Safety Division, with the MEA CPV Division",
        court="Court of the Additional Sessions Judge, Araria",
    ),
}  # fmt: skip

SURVIVOR_VIEWS = (
    "{She} wants to go home to {her} mother and go back to school.",
    "{She} wants to go home but is afraid the agent will come to the village again.",
    "{She} says {she} was told {she} would earn enough to repay the family's loan; {she} wants to learn tailoring.",
    "{She} agrees, and asks that {her} father not be told the details.",
    "{She} wants to stay in the shelter until the case against the agent is heard.",
    "{She} is relieved and wants to phone {her} sister first.",
    "{She} asked for a female officer and for the interview in {her} own language; {she} agrees with the decision.",
)
CLOSURES = (
    (S.ClosureReason.REINTEGRATED, 16),
    (S.ClosureReason.DECLINED, 2),
    (S.ClosureReason.LOST_CONTACT, 2),
    (S.ClosureReason.REFERRED, 1),
)


# --- planning ------------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    person: Person
    path: str
    minor: bool
    route: list[str]
    entered: list[dt.datetime] = field(default_factory=list)  # when each stage of the route was entered
    late: set[str] = field(default_factory=set)  # stages left after their deadline
    overdue: bool = False
    hold: bool = False
    withdraw: str = ""  # the consent purpose she withdraws
    transfer: bool = False
    seed: int = 0

    @property
    def stage(self) -> str:
        return self.route[-1]


def _allocate(count: int, weights: dict[str, int], first: list[str]) -> list[str]:
    """`count` stages: one of each in `first` while they last, the rest in proportion (largest remainder)."""
    stages = first[:count]
    rest = count - len(stages)
    if rest <= 0:
        return stages
    total = sum(weights.values())
    quotas = {stage: rest * weight / total for stage, weight in weights.items()}
    counts = {stage: int(quota) for stage, quota in quotas.items()}
    for stage in sorted(quotas, key=lambda s: counts[s] - quotas[s])[: rest - sum(counts.values())]:
        counts[stage] += 1
    return stages + [stage for stage in weights for _ in range(counts[stage])]


def route(path: str, minor: bool, target: str) -> list[str]:
    """The stages of SOP v1 a case of this path and age goes through to reach `target`."""
    if path == CROSS and target == "reintegration_planning":  # she decided to stay in this country
        full = _START[minor] + _STAY
    else:
        full = _START[minor] + _REST[path]
    return full[: full.index(target) + 1]


def _age_is_settled(person: Person, now: dt.datetime) -> bool:
    """Whether she was a child (or an adult) throughout the window: her case's SOP route depends on it."""
    if person.birth_date is None:
        return False
    return (age_on(person.birth_date, (now - WINDOW).date()) < 18) == (age_on(person.birth_date, now.date()) < 18)


def plan_cases(people: list[Person], *, node: str, count: int, now: dt.datetime) -> list[_Plan]:
    """Who becomes a survivor, which stage her case has reached, and when each stage began."""
    rng = random.Random(f"setu-demo-cases-{node}")  # noqa: S311 - reproducible demo data, not secrets
    eligible = [p for p in people if _age_is_settled(p, now)]
    groups: dict[tuple[str, bool], list[Person]] = {}
    for person in eligible:
        path = CROSS if person.nationality and person.nationality != node else DOMESTIC
        assert person.birth_date is not None  # noqa: S101 - _age_is_settled
        groups.setdefault((path, age_on(person.birth_date, now.date()) < 18), []).append(person)
    for members in groups.values():
        rng.shuffle(members)
    crossing = sum(len(groups.get((CROSS, minor), [])) for minor in (True, False))
    n_cross = min(crossing, round(count * CROSS_BORDER_SHARE[node]))
    n_domestic = min(len(eligible) - crossing, count - n_cross)
    n_cross = min(crossing, count - n_domestic)  # few nationals: more of the other country's people
    plans: list[_Plan] = []
    for path, total in ((CROSS, n_cross), (DOMESTIC, n_domestic)):
        minors, adults = groups.get((path, True), []), groups.get((path, False), [])
        n_minor = min(len(minors), round(total * MINOR_SHARE))
        n_adult = min(len(adults), total - n_minor)
        n_minor = min(len(minors), total - n_adult)
        for minor, chosen in ((True, minors[:n_minor]), (False, adults[:n_adult])):
            weights = {
                stage: weight
                for stage, weight in _WEIGHTS[path].items()
                if stage not in _START[not minor]  # a child's case never sees ITPA custody, an adult's never the CWC
            }
            stages = _allocate(len(chosen), weights, _FIRST[(path, minor)])
            rng.shuffle(stages)
            for person, target in zip(chosen, stages, strict=True):
                plans.append(_Plan(person=person, path=path, minor=minor, route=route(path, minor, target)))
    for plan in plans:
        plan.seed = rng.randrange(1 << 30)
        timing = schedule(plan.route, minor=plan.minor, rng=random.Random(plan.seed), now=now)  # noqa: S311
        plan.entered, plan.overdue, plan.late = timing.entered, timing.overdue, set(timing.late)
    _mark_special(plans, rng)
    return sorted(plans, key=lambda p: p.entered[0])


def _deadline_left(stage: str, rng: random.Random, late: bool) -> dt.timedelta:
    """How long a case stayed in `stage` before leaving it (after its deadline when `late`)."""
    days = {
        "child_care": (17, 30) if late else (7, 14),
        "adult_care": (32, 50) if late else (8, 27),
        "verification": (35, 75) if late else (10, 28),
        "repatriation_decision": (4, 18),
        "handover": (15, 22) if late else (3, 12),
        "reintegration_planning": (32, 45) if late else (10, 27),
        "reintegration": (120, 210),
    }[stage]
    return rng.uniform(*days) * D


def _current_stay(stage: str, rng: random.Random, overdue: bool) -> dt.timedelta:
    """How long the case has been in its current stage now (past its deadline when `overdue`)."""
    days = {
        "rescued": (1 / 24, 7 / 24),
        "adult_care": (34, 70) if overdue else (2, 27),
        "child_care": (17, 40) if overdue else (1, 13),
        "verification": (34, 90) if overdue else (3, 27),
        "repatriation_decision": (2, 20),
        "handover": (17, 30) if overdue else (1, 12),
        "reintegration_planning": (33, 60) if overdue else (2, 27),
        "reintegration": (5, 200),
        "closed": (1, 60),
    }[stage]
    return rng.uniform(*days) * D


@dataclass(frozen=True)
class Schedule:
    entered: list[dt.datetime]  # when each stage of the route was entered
    overdue: bool  # the current stage is past its deadline now
    late: frozenset[str]  # stages left after their deadline


def schedule(
    stages: list[str], *, minor: bool, rng: random.Random, now: dt.datetime, overdue_share: float = OVERDUE_SHARE
) -> Schedule:
    """When a case on this route entered each stage: realistic stays counted from the rescue (a few past their
    deadline), the current stage past its deadline now with the chance `overdue_share`, the whole history
    ending now and starting at most about ten months ago. (Also used by benchmarks/cases.py.)"""
    current = stages[-1]
    has_deadline = {"cwc_production", "itpa_custody", "child_care", "adult_care", "verification", "handover",
                    "reintegration_planning"} | ({"repatriation_decision"} if minor else set())  # fmt: skip
    overdue = current in has_deadline and rng.random() < overdue_share
    late_stages: set[str] = set()
    offsets = [dt.timedelta(0)]
    for stage in stages[:-1]:
        late = rng.random() < LATE_SHARE
        if stage == "rescued":  # produced before the CWC or a magistrate within hours
            step = rng.uniform(2, 10) * H
        elif stage == "cwc_production":  # the CWC's order within 24 h of the rescue, a few late
            step = (rng.uniform(28, 72) if late else rng.uniform(offsets[-1] / H + 2, 23)) * H - offsets[-1]
        elif stage == "itpa_custody":  # at most 10 days from the rescue
            step = rng.uniform(11, 16) * D if late else rng.uniform(2, 9.5) * D
            step -= offsets[-1]
        else:
            step = _deadline_left(stage, rng, late)
        if late and stage not in ("rescued", "repatriation_decision", "reintegration"):
            late_stages.add(stage)
        offsets.append(offsets[-1] + step)
    entered = offsets[-1]
    if current == "cwc_production":
        end = rng.uniform(30, 120) * H if overdue else rng.uniform(max(4, entered / H + 1), 20) * H
    elif current == "itpa_custody":
        end = rng.uniform(11, 25) * D if overdue else max(entered + 6 * H, rng.uniform(1, 8) * D)
    else:
        end = entered + _current_stay(current, rng, overdue)
    if current == "repatriation_decision" and minor:  # 4 months from the first production
        limit = offsets[1] + 120 * D
        end = max(end, limit + rng.uniform(2, 15) * D) if overdue else max(entered + D, min(end, limit - 2 * D))
    if end > WINDOW and "reintegration" in stages[:-1]:  # keep the rescue within about ten months
        index = stages.index("reintegration") + 1
        cut = max(dt.timedelta(0), min(end - WINDOW, offsets[index] - offsets[index - 1] - 35 * D))
        offsets[index:] = [o - cut for o in offsets[index:]]
        end -= cut
    if end > WINDOW and current in ("reintegration", "closed"):
        end = max(entered + (5 if current == "reintegration" else 1) * D, WINDOW)
    return Schedule([now - end + offset for offset in offsets], overdue, frozenset(late_stages))


def _mark_special(plans: list[_Plan], rng: random.Random) -> None:
    """A few cases on hold, a few with consent withdrawn, a pending transfer or two."""
    open_care = [p for p in plans if p.stage in ("adult_care", "verification", "repatriation_decision",
                                                 "reintegration_planning", "child_care")]  # fmt: skip
    for plan in rng.sample(open_care, min(len(open_care), max(1, round(len(plans) * 0.025)))):
        plan.hold = True
    wishes = [
        ("statistics", [p for p in plans if p.stage in ("reintegration", "closed")]),
        ("prosecution", [p for p in plans if not p.minor and p.stage in ("adult_care", "reintegration", "closed")]),
        ("sharing_with_other_country", [p for p in plans if p.path == CROSS and p.stage == "adult_care"]),
        ("family_contact", [p for p in plans if p.stage == "reintegration"]),
        ("statistics", [p for p in plans if p.stage in ("verification", "reintegration_planning", "child_care")]),
    ]
    for purpose, candidates in wishes:
        candidates = [p for p in candidates if not p.withdraw and not p.hold]
        if candidates:
            rng.choice(candidates).withdraw = purpose
    movable = [p for p in plans if p.stage in ("child_care", "adult_care") and not p.hold and not p.withdraw]
    for plan in rng.sample(movable, min(len(movable), 2)):
        plan.transfer = True


# --- writing the cases through the services ------------------------------------------------------------------


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid one-page PDF (Helvetica, ASCII): enough for the document list and the download."""

    def text(value: str) -> str:
        value = value.encode("ascii", "replace").decode("ascii")
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = f"BT /F1 15 Tf 56 780 Td ({text(title)}) Tj /F1 10 Tf 16 TL 0 -10 Td"
    content += "".join(f" ({text(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return out


def _bs_year(day: dt.date) -> int:
    """The Bikram Sambat year a Nepali office would write (its new year falls in mid-April)."""
    return day.year + (57 if (day.month, day.day) >= (4, 14) else 56)


@dataclass
class _Staff:
    node: str
    by_role: dict[Role, User]
    organisations: dict[str, Organisation]
    districts: dict[tuple[str, str], District]

    def __getitem__(self, role: Role) -> User:
        return self.by_role[role]

    def organisation_of(self, role: Role) -> Organisation:
        spec = next(u for u in agencies.users_of(self.node) if u.role == role)
        return self.organisations[spec.organisation]


class _CaseWriter:
    """Writes one planned case, stage by stage, as the logins the SOP names would."""

    def __init__(self, staff: _Staff, plan: _Plan, now: dt.datetime, suspects: list[Person]) -> None:
        self.staff, self.plan, self.now = staff, plan, now
        self.rng = random.Random(plan.seed)  # noqa: S311
        self.story = STORIES[staff.node]
        self.person = plan.person
        self.scenario = self.rng.choice(SCENARIOS[(staff.node, plan.path)])
        self.words = {"she": "she", "her": "her", "obj": "her", "She": "She", "Her": "Her"}
        if self.person.gender == "Masculine":
            self.words = {"she": "he", "her": "his", "obj": "him", "She": "He", "Her": "His"}
        self.suspects = suspects
        self.consents: dict[str, Consent] = {}
        self.case: Case
        self.opener = self._opener()
        # When the plan's hold, withdrawal or transfer happens: halfway through the current stage.
        self.special_at = self._at(plan.entered[-1], now, 0.5)

    def say(self, text: str) -> str:
        return text.format(**self.words)

    def _opener(self) -> User:
        """Who opens the case: the border monitor or police officer who registered her, else the caseworker."""
        registrar = {u.pk: u for u in self.staff.by_role.values()}.get(self.person.created_by_id)
        memberships = registrar.memberships.all() if registrar else []
        role = next((Role(m.role) for m in memberships), None)
        if role in (Role.BORDER_MONITOR, Role.POLICE_OFFICER):
            return self.staff[role]
        caseworker = self.staff[Role.CASEWORKER]
        if policy.grants(caseworker, Permission.PERSON_VIEW).covers(
            organisation_id=self.person.organisation_id, district_id=self.person.location_district_id
        ):
            return caseworker
        return self.staff[Role.POLICE_OFFICER]

    # --- the run ---
    def write(self) -> Case:
        route, entered = self.plan.route, self.plan.entered
        for index, stage in enumerate(route):
            start = entered[index]
            end = entered[index + 1] if index + 1 < len(route) else self.now
            current = index + 1 == len(route)
            getattr(self, f"_in_{stage}")(start, end, current)
            if not current:
                self._move(stage, route[index + 1], end)
        self._special()
        return self.case

    def _at(self, start: dt.datetime, end: dt.datetime, fraction: float) -> dt.datetime:
        return start + (end - start) * fraction

    def _act(self, actor: User, action: str, reason: str, at: dt.datetime, **extra) -> None:
        self.case = services.case_act(actor=actor, case=self.case, action=action, reason=reason, revision=None,
                                      now=at, **extra)  # fmt: skip

    def _document(self, actor: User, doc_type: str, at: dt.datetime, lines: list[str]) -> None:
        with translation.override("en"):  # the demo's records are in English, whatever the node's language
            label = str(choices.DocumentType(doc_type).label)
        dated = f"Dated {timezone.localdate(at).isoformat()}"
        data = minimal_pdf(f"{label} - case {self.case.number}", [*lines, dated])
        services.document_add(actor=actor, case=self.case, doc_type=doc_type, title=label, now=at,
                              upload=ContentFile(data, name=f"{doc_type.replace('_', '-')}.pdf"))  # fmt: skip

    def _decide(self, actor: User, kind: str, at: dt.datetime, *, outcome: str, decider: str, basis: str,
                favourable: bool = True, **extra) -> None:  # fmt: skip
        services.decision_record(
            actor=actor, case=self.case, kind=kind, favourable=favourable, outcome=outcome, decider_name=decider,
            decided_on=timezone.localdate(at), basis=basis, survivor_view=self.say(self.rng.choice(SURVIVOR_VIEWS)),
            now=at, **extra,
        )  # fmt: skip

    def _consent(self, actor: User, purpose: str, at: dt.datetime, *, basis: str = "", guardian: str = "") -> None:
        if purpose in self.consents:
            return
        fields: dict[str, Any]
        if basis:
            fields = {"given_by": S.ConsentGiver.LEGAL_BASIS, "legal_basis": basis}
        elif guardian:
            fields = {"given_by": S.ConsentGiver.GUARDIAN, "giver_name": guardian, "checklist": CHECKLIST}
        else:
            fields = {"given_by": S.ConsentGiver.SURVIVOR, "checklist": CHECKLIST}
        language = self.story.language if self.person.nationality == self.staff.node else (
            "ne" if self.person.nationality == "NP" else "hi")  # fmt: skip
        self.consents[purpose] = services.consent_give(actor=actor, case=self.case, purpose=purpose, given_at=at,
                                                       language=language, now=at, **fields)  # fmt: skip

    def _mother(self) -> str:
        mother = self.person.relations.filter(kind=Relation.Kind.MOTHER).first()
        return f"{mother.related_name} (mother)" if mother else ""

    # --- stages: what happens while the case is in each ---
    def _in_rescued(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        person, scenario, story = self.person, self.scenario, self.story
        home = person.home_district
        self.case = services.case_open(
            actor=self.opener, survivor=person, district=self.staff.districts[(self.staff.node, story.district)],
            identified_at=start, organisation=policy.primary_organisation(self.opener),
            exploitation_types=list(scenario.exploitation),
            control_methods=list(self.rng.sample(scenario.controls, self.rng.randint(1, len(scenario.controls)))),
            recruitment_place=f"{home.name_en} district" if home else "", recruitment_district=home,
            exploitation_place=scenario.place, exploitation_country=scenario.country,
            summary=self.say(f"{scenario.how}. Recruited with the promise of {scenario.promise}."),
            now=self._at(start, end, 0.15),
        )  # fmt: skip
        worker = self.opener
        if self.plan.minor:
            self._consent(worker, "care", self._at(start, end, 0.2), basis=story.child_care_basis)
        else:
            self._consent(worker, "care", self._at(start, end, 0.2))
        recruited = start - self.rng.uniform(5, 90) * D
        services.trafficking_event_add(
            actor=worker, case=self.case, kind=S.EventType.RECRUITMENT, date=timezone.localdate(recruited),
            place=f"{home.name_en} district" if home else "", district=home, country=person.nationality,
            description=f"Recruited with the promise of {scenario.promise}.", now=self._at(start, end, 0.3),
        )  # fmt: skip
        crossing = self.staff.districts[(self.staff.node, story.crossing_district)]
        services.trafficking_event_add(
            actor=worker, case=self.case, kind=S.EventType.TRANSIT,
            date=timezone.localdate(start - self.rng.uniform(0, 2) * D if scenario.raid else start),
            place=f"{story.crossing} crossing", district=crossing, country=self.staff.node,
            description="Crossed the border by bus with the recruiter.", now=self._at(start, end, 0.35),
        )  # fmt: skip
        if scenario.place:
            services.trafficking_event_add(
                actor=worker, case=self.case, kind=S.EventType.EXPLOITATION,
                date=timezone.localdate(start - self.rng.uniform(3, min(60, (start - recruited) / D)) * D),
                place=scenario.place, country=scenario.country, description=self.say(scenario.how + "."),
                now=self._at(start, end, 0.4),
            )  # fmt: skip
        if self.suspects and self.rng.random() < 0.3:
            who, roles = scenario.suspect
            for suspect in self.rng.sample(self.suspects, 2 if self.rng.random() < 0.2 else 1):
                services.related_person_add(
                    actor=self.staff[Role.POLICE_OFFICER], case=self.case, person=suspect,
                    role=S.RelatedRole.SUSPECT, perpetrator_roles=list(roles), details=self.say(who.capitalize()),
                    now=self._at(start, end, 0.5),
                )  # fmt: skip
        if self.rng.random() < 0.3:
            services.sensitive_note_add(
                actor=self.opener, case=self.case, kind=S.SensitiveKind.TESTIMONY, now=self._at(start, end, 0.6),
                text=self.say(
                    "Statement taken with a female officer present, in {her} own language. {She} describes how the "
                    f"recruiter approached the family and arranged the journey; details of {scenario.promise} and of "
                    "the people met on the way are in the police statement."
                ),
            )  # fmt: skip

    def _in_cwc_production(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        if not current:
            self._document(self.staff[Role.CWC_MEMBER], "cwc_order", self._at(start, end, 0.8),
                           ["The Committee places the child in the Children's Home pending social investigation.",
                            "Social investigation report due within 15 days (JJ Act 2015 s.36)."])  # fmt: skip

    def _in_itpa_custody(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        if current and self.rng.random() < 0.5:
            return
        decider, org_type, basis = self.story.adult_determination
        self._decide(self.staff[Role.POLICE_OFFICER], S.DecisionKind.VICTIM_DETERMINATION, self._at(start, end, 0.7),
                     outcome="Victim of trafficking: released to a protective home", decider=decider, basis=basis,
                     decision_org_type=org_type)  # fmt: skip

    def _care(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        """Assessments, a plan and services while she is in a shelter."""
        shelter, caseworker = self.staff[Role.SHELTER_MANAGER], self.staff[Role.CASEWORKER]
        if "care" not in self.consents:
            return
        services.assessment_add(actor=shelter, case=self.case, kind=S.AssessmentKind.NEEDS,
                                assessed_on=timezone.localdate(self._at(start, end, 0.1)),
                                summary=self.say("Admitted; needs clothing, counselling and contact with {her} "
                                                 "family."),
                                now=self._at(start, end, 0.1))  # fmt: skip
        services.assessment_add(actor=caseworker, case=self.case, kind=S.AssessmentKind.RISK,
                                assessed_on=timezone.localdate(self._at(start, end, 0.2)),
                                summary="The recruiter knows the family's address; no contact from him since the "
                                        "rescue.", now=self._at(start, end, 0.2))  # fmt: skip
        if current and self.rng.random() < 0.4 and not self.plan.withdraw:
            return
        plan_type = S.SupportType.EDUCATION if self.plan.minor else S.SupportType.SEXUAL_REHABILITATION if (
            "SexualExploitation" in self.scenario.exploitation) else S.SupportType.SOCIAL_CARE  # fmt: skip
        starts = self._at(start, end, 0.3)
        plan = services.support_plan_add(
            actor=caseworker, case=self.case, plan_type=plan_type, starts_on=timezone.localdate(starts),
            objectives="Counselling twice a week; literacy classes; prepare the return home.",
            planned_end=timezone.localdate(starts + 60 * D), now=starts,
        )  # fmt: skip
        services.service_record(
            actor=shelter, case=self.case, service="Psychosocial counselling",
            provider=self.staff.organisation_of(Role.SHELTER_MANAGER),
            delivered_on=timezone.localdate(self._at(start, end, 0.4)), plan=plan, now=self._at(start, end, 0.4),
        )  # fmt: skip
        guardian = self._mother() if self.plan.minor else ""
        if (self.rng.random() < 0.6 or self.plan.withdraw == "statistics") and (guardian or not self.plan.minor):
            self._consent(caseworker, "statistics", self._at(start, end, 0.45), guardian=guardian)

    def _in_child_care(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        cwc, caseworker = self.staff[Role.CWC_MEMBER], self.staff[Role.CASEWORKER]
        self._care(start, end, current)
        if current and self.rng.random() < 0.5:
            return
        decider, basis = self.story.child_determination
        self._decide(cwc, S.DecisionKind.VICTIM_DETERMINATION, self._at(start, end, 0.5),
                     outcome="Child in need of care and protection; victim of trafficking", decider=decider,
                     basis=basis, decision_org_type=S.DecisionMakingOrg.GOVERNMENT)  # fmt: skip
        if self.plan.path == CROSS or self.rng.random() < 0.3:
            self._age_assessment(cwc, self._at(start, end, 0.55))
        if self.plan.path == CROSS:
            self._consent(cwc, "sharing_with_other_country", self._at(start, end, 0.6),
                          basis=self.story.child_sharing_basis)  # fmt: skip
        if not current:
            self._document(caseworker, "social_investigation", self._at(start, end, 0.85),
                           ["Home and family circumstances, schooling, and how the child was recruited.",
                            "Recommendation: restore to the family with follow-up by the local level."])  # fmt: skip

    def _in_adult_care(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        caseworker = self.staff[Role.CASEWORKER]
        self._care(start, end, current)
        if current and self.rng.random() < 0.5 and not self.plan.withdraw:
            return
        if self.rng.random() < 0.5 or self.plan.withdraw == "prosecution":
            self._consent(caseworker, "prosecution", self._at(start, end, 0.5))
        if self.plan.path == CROSS:
            self._age_assessment(caseworker, self._at(start, end, 0.55))
            self._consent(caseworker, "sharing_with_other_country", self._at(start, end, 0.6))

    def _age_assessment(self, actor: User, at: dt.datetime) -> None:
        age = self.case.age_at_identification
        self._decide(actor, S.DecisionKind.AGE_ASSESSMENT, at, outcome=f"About {age} years old", assessed_age=age,
                     decider=self.story.age_board, basis="No birth certificate; medical age estimation with a "
                     "margin of one year.")  # fmt: skip

    def _in_verification(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        if current:
            return
        home = self.person.home_district.name_en if self.person.home_district else "the home district"
        country = "Nepali" if self.person.nationality == "NP" else "Indian"
        self._decide(self.staff[Role.FOCAL_POINT], S.DecisionKind.NATIONALITY_VERIFICATION, self._at(start, end, 0.9),
                     outcome=f"{country} citizen; identity and home address in {home} confirmed",
                     decider=self.story.embassy, decision_org_type=S.DecisionMakingOrg.GOVERNMENT,
                     basis=f"The mission's letter after verification by the police and the ward office in "
                           f"{home}.")  # fmt: skip

    def _in_repatriation_decision(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        stays = self.plan.route[-1] == "reintegration_planning" and self.plan.path == CROSS
        if current and self.rng.random() < 0.4:
            return
        self._best_interest(self._at(start, end, 0.3), safe=not stays)
        if current or stays:
            return
        focal, cwc, police = self.staff[Role.FOCAL_POINT], self.staff[Role.CWC_MEMBER], self.staff[Role.POLICE_OFFICER]
        if self.plan.minor:
            self._decide(cwc, S.DecisionKind.REPATRIATION_ORDER, self._at(start, end, 0.6),
                         outcome="Restoration to the family ordered; the case file travels with the child",
                         decider=self.story.repatriation_child, decision_org_type=S.DecisionMakingOrg.GOVERNMENT,
                         basis="Verification confirmed by the other country; best-interest assessment.")  # fmt: skip
            self._document(cwc, "escort_order", self._at(start, end, 0.8),
                           ["Escort at government expense: one female officer and one caseworker.",
                            "The case file travels with the child (JJ Model Rules 2016 r.81(3)-(4))."])  # fmt: skip
        else:
            self._decide(focal, S.DecisionKind.REPATRIATION_ORDER, self._at(start, end, 0.6),
                         outcome="Repatriation cleared", decider=self.story.repatriation_adult,
                         decision_org_type=S.DecisionMakingOrg.GOVERNMENT,
                         basis=self.say("Nationality verified; {she} wishes to return; no proceeding needs {her} "
                                       "presence."))  # fmt: skip
            self._document(focal, "clearance_letter", self._at(start, end, 0.65), ["Clearance for repatriation."])
            self._document(police, "escort_order", self._at(start, end, 0.8),
                           ["Escort to the border by a woman constable."])  # fmt: skip
        self._consent(self.staff[Role.CASEWORKER], "family_contact", self._at(start, end, 0.85),
                      basis=self.story.child_family_basis if self.plan.minor else "")  # fmt: skip

    def _best_interest(self, at: dt.datetime, *, safe: bool) -> None:
        rng = self.rng
        answers = {
            "guardian_knew_destination": rng.choice(["no", "no", "unknown", "yes"]),
            "family_pressure_for_broker": "no" if safe else "yes",
            "risk_of_being_sent_again": rng.choice(["no", "unknown"]) if safe else "yes",
            "feels_safe_with_guardian": "yes" if safe else "no",
            "abuse_at_home": "no" if safe else rng.choice(["yes", "unknown"]),
            "guardian_alcohol_or_drugs": rng.choice(["no", "no", "yes", "unknown"]),
            "family_economic_hardship": rng.choice(["yes", "yes", "no"]),
            "suicidal_thoughts": rng.choice(["no", "no", "unknown"]),
            "evidence_family_sold_her": "no" if safe else "yes",
        }
        actor = self.staff[Role.CWC_MEMBER] if self.plan.minor else self.staff[Role.CASEWORKER]
        decider = (
            f"{self.story.child_determination[0]}, on the caseworker's home study"
            if self.plan.minor
            else "Caseworker and counsellor, with the survivor"
        )
        home = self.person.home_district.name_en if self.person.home_district else "the home district"
        self._decide(
            actor, S.DecisionKind.BEST_INTEREST_ASSESSMENT, at, favourable=safe, answers=answers,
            outcome=f"Return to the family in {home} is safe, with follow-up by the local level" if safe
            else "Return to the family is not safe now: the family was paid by the recruiter",
            decider=decider, basis="Home study report and interviews with "
            "the survivor and the family (safety-of-return questions).",
        )  # fmt: skip

    def _in_handover(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        if not current:
            self._document(self.staff[Role.POLICE_OFFICER], "handover_memo", self._at(start, end, 0.95),
                           [f"Handed over at the {self.story.crossing} border point with the case file."])  # fmt: skip

    def _in_reintegration_planning(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        caseworker, localgov = self.staff[Role.CASEWORKER], self.staff[Role.LOCAL_GOVERNMENT_OFFICER]
        if "care" in self.consents:
            services.assessment_add(actor=localgov, case=self.case, kind=S.AssessmentKind.FAMILY,
                                    assessed_on=timezone.localdate(self._at(start, end, 0.2)),
                                    summary=self.say("Home visit: the family is willing to receive {obj}; a loan "
                                                     "from the recruiter is still unpaid."),
                                    now=self._at(start, end, 0.2))  # fmt: skip
            services.support_plan_add(
                actor=localgov, case=self.case, plan_type=S.SupportType.LIVELIHOOD,
                objectives="Tailoring training and a start-up grant from the local level.",
                starts_on=timezone.localdate(self._at(start, end, 0.3)), now=self._at(start, end, 0.3),
            )  # fmt: skip
        self._consent(caseworker, "family_contact", self._at(start, end, 0.35),
                      basis=self.story.child_family_basis if self.plan.minor else "")  # fmt: skip
        stays = self.plan.path == CROSS  # she decided to stay: her assessment found the family unsafe
        if not stays and (not current or self.rng.random() < 0.5):
            self._best_interest(self._at(start, end, 0.6), safe=True)

    def _in_reintegration(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        caseworker, localgov = self.staff[Role.CASEWORKER], self.staff[Role.LOCAL_GOVERNMENT_OFFICER]
        visits = list(self.case.follow_ups.filter(done_on__isnull=True).order_by("due_on"))
        for number, visit in enumerate(visits):
            done = dt.datetime.combine(visit.due_on, dt.time(11), tzinfo=start.tzinfo) + self.rng.randint(0, 6) * D
            if done >= end or "family_contact" not in self.consents:
                break
            if self.plan.withdraw == "family_contact" and done >= self.special_at:
                break
            services.follow_up_record(
                actor=localgov if number % 2 else caseworker, follow_up=visit, done_on=timezone.localdate(done),
                outcome=self.say(self.rng.choice([
                    "Living with {her} family; attending the tailoring course.",
                    "Back at school; the family receives the local level's support.",
                    "Working in a shop in the bazaar; no contact from the recruiter.",
                    "Not at home on the first visit; seen at {her} aunt's house, well.",
                ])), now=done,
            )  # fmt: skip
        if self.plan.path == DOMESTIC and not current and self.rng.random() < 0.15:
            self._decide(caseworker, S.DecisionKind.COMPENSATION_ORDER, self._at(start, end, 0.7),
                         outcome="Compensation of half the fine ordered to the survivor", decider=self.story.court,
                         basis="HTTCA 2064 s.17" if self.staff.node == "NP" else "BNSS 2023 s.396 victim compensation",
                         amount=self.rng.choice([50000, 100000, 150000]))  # fmt: skip

    def _in_closed(self, start: dt.datetime, end: dt.datetime, current: bool) -> None:
        pass

    # --- leaving a stage ---
    def _move(self, stage: str, to: str, at: dt.datetime) -> None:
        focal, caseworker = self.staff[Role.FOCAL_POINT], self.staff[Role.CASEWORKER]
        late = " (late: the order came after the deadline)" if stage in self.plan.late else ""
        if stage == "rescued":
            action = "produce_before_cwc" if to == "cwc_production" else "produce_before_magistrate"
            who = "the Child Welfare Committee" if to == "cwc_production" else "the magistrate"
            self._act(self.staff[Role.POLICE_OFFICER], action, f"Produced before {who}.", at)
        elif stage == "cwc_production":
            self._act(self.staff[Role.CWC_MEMBER], "place_in_care", "Placed in the children's home by order of "
                      f"the Committee{late}.", at)  # fmt: skip
        elif stage == "itpa_custody":
            self._act(self.staff[Role.POLICE_OFFICER], "place_in_care", f"Released to the protective home{late}.", at)
        elif stage in ("child_care", "adult_care"):
            if to == "verification":
                self._act(caseworker, "request_verification", "Nationality and family verification requested from "
                          f"the other country through the focal point{late}.", at)  # fmt: skip
            else:
                self._act(caseworker, "plan_reintegration", f"Social investigation done; planning the return{late}.",
                          at)  # fmt: skip
        elif stage == "verification":
            reference = self._reference("verification", at)
            self._act(focal, "verification_confirmed", f"Nationality and home address confirmed{late}.", at,
                      counterpart_reference=reference)  # fmt: skip
        elif stage == "repatriation_decision":
            if to == "handover":
                self._act(focal, "order_repatriation", "Repatriation ordered; escort arranged.", at)
            else:
                self._act(focal, "decide_to_stay", self.say("{She} does not wish to return now and the "
                          "best-interest assessment found {her} family unsafe."), at)  # fmt: skip
        elif stage == "handover":
            self._act(focal, "handover_confirmed", f"Handed over at the border{late}.", at,
                      counterpart_reference=self._reference("handover", at))  # fmt: skip
        elif stage == "reintegration_planning":
            self._act(self.staff[Role.LOCAL_GOVERNMENT_OFFICER], "return_home",
                      self.say("Returned to {her} family with a reintegration plan."), at)  # fmt: skip
        elif stage == "reintegration":
            reason = self.rng.choices([c for c, _w in CLOSURES], weights=[w for _c, w in CLOSURES])[0]
            self._act(caseworker, "close", "Follow-up complete." if reason == S.ClosureReason.REINTEGRATED
                      else str(S.ClosureReason(reason).label) + ".", at, closure_reason=reason)  # fmt: skip

    def _reference(self, stage: str, at: dt.datetime) -> str:
        number, day = self.rng.randint(100, 480), timezone.localdate(at)
        if self.staff.node == "IN":  # Nepal answers: its embassy in New Delhi, its police at the border
            if stage == "verification":
                return f"Embassy of Nepal, New Delhi, letter {_bs_year(day)}/{number}"
            return (
                f"Handover memo, Jogbani–Rani, received by Nepal Police Morang and MoWCSC, memo "
                f"{_bs_year(day)}/{number}"
            )
        if stage == "verification":
            return f"Embassy of India, Kathmandu, note verbale KAT/CONS/{number}/{day.year}"
        return f"Handover receipt, Rani–Jogbani, received by SSB Jogbani and AHTU Araria, no. {number}/{day.year}"

    # --- what the plan marks: hold, withdrawn consent, transfer ---
    def _special(self) -> None:
        plan, caseworker, when = self.plan, self.staff[Role.CASEWORKER], self.special_at
        if plan.withdraw and plan.withdraw in self.consents:
            reasons = {
                "statistics": "{She} does not want {her} case counted in research.",
                "prosecution": "{She} no longer wishes to testify; {she} fears for {her} family.",
                "sharing_with_other_country": "{She} does not want {her} family in {her} home country contacted.",
                "family_contact": "{She} asked that the family not be visited again.",
            }
            services.consent_withdraw(actor=caseworker, consent=self.consents[plan.withdraw],
                                      reason=self.say(reasons[plan.withdraw]), now=when)  # fmt: skip
        if plan.hold:
            reason = self.rng.choice([
                "Waiting for the court to record the statement by video conference.",
                "In hospital; the stage resumes after discharge.",
                "Waiting for the family's answer from the ward office.",
            ])  # fmt: skip
            self.case = services.case_hold(actor=caseworker, case=self.case, reason=reason, revision=None, now=when)
        if plan.transfer:
            shelter = self.staff.organisation_of(Role.SHELTER_MANAGER)
            if self.case.organisation_id != shelter.pk:
                to, reason = shelter, self.say("{She} is in the care of the shelter: its caseworker should lead.")
            else:
                to = self.staff.organisation_of(Role.LOCAL_GOVERNMENT_OFFICER)
                reason = self.say("{Her} family lives here: the local level should lead the reintegration.")
            # The owner (who opened it) offers the case: the receiving organisation accepts or refuses.
            services.case_transfer_request(actor=self.opener, case=self.case, to_organisation=to, reason=reason,
                                           revision=None, now=when)  # fmt: skip


def seed_cases(*, node: str, count: int, users: dict[str, User], organisations: dict[str, Organisation]) -> int:
    """Open and move the demo's cases on `node` that do not exist yet; returns how many were created."""
    now = timezone.now()
    # The people of the demo's interception records (setu.web.demo.interceptions), of its missing-person
    # reports (setu.web.demo.tracing) and the accused of its prosecutions (setu.legal.demo) are not candidates:
    # leaving them out keeps the plan, and so a second seeding, the same once they exist.
    people = list(
        Person.objects.filter(organisation__in=list(organisations.values()))
        .filter(
            interceptions__isnull=True,
            escorts__isnull=True,
            missing_reports__isnull=True,
            prosecutions_as_accused__isnull=True,
        )
        .select_related("home_district")
        .order_by("pk")
    )
    plans = plan_cases(people, node=node, count=count, now=now)
    taken = set(Case.objects.values_list("survivor_id", flat=True))
    survivors = {plan.person.pk for plan in plans}
    # Suspects are people of the node who are nobody's survivor: the men first (most recruiters in the data).
    pool = sorted((p for p in people if p.pk not in survivors and p.pk not in taken),
                  key=lambda p: (p.gender != "Masculine", p.pk))[:15]  # fmt: skip
    by_role = {spec.role: users[spec.username] for spec in agencies.users_of(node)}
    districts = {(d.province.country, d.name_en): d for d in District.objects.filter(
        name_en__in=[STORIES[node].district, STORIES[node].crossing_district]).select_related("province")}  # fmt: skip
    staff = _Staff(node=node, by_role=by_role, organisations=organisations, districts=districts)
    created = 0
    for plan in plans:
        if plan.person.pk in taken:
            continue
        _CaseWriter(staff, plan, now, pool).write()
        created += 1
    return created
