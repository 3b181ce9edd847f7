"""Demo joint training, for the demo seed (setu.web.demo.seed) to call on each node:

    from setu.training import demo
    demo.seed(node="NP", organisations=organisations, users=users)

Two joint trainings with participants from both countries, each seeded on both demo nodes, each node with
its own side, consistently:
- "Border monitoring and information sharing", hosted by the Nepal Police Academy in Biratnagar two months
  ago. On NP: the programme, its sessions, its participants (four of Nepal's, three nominated by India, a
  guest of IOM), attendance, scores and certificates. On IN: the invitation as received, India's three
  nominations and their results, with the same certificate codes.
- "Repatriation protocols and mutual legal assistance", hosted by the Bihar Police Academy in Rajgir a month
  ago: the same the other way round.
Each node also gets one programme of its own a few weeks ahead, so the dashboard shows upcoming sessions.

The host's records go through the services, acting as the node's demo trainer, so they are validated and
audited like real ones. The cross-border part is what the exchange would have left (the invitation, the
nominees' references, the results) without running the relay. Deterministic: references are UUIDv5 of
fixed names; attendance and scores come from one plan both nodes compute; a demo certificate's code is
derived from its reference (so both demo databases agree; real codes are random). Idempotent: a programme
or invitation already there is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Organisation, User
from setu.training import services
from setu.training.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Certificate,
    Invitation,
    Nomination,
    Participant,
    ParticipantKind,
    Programme,
    TopicArea,
)

NAMESPACE = uuid.UUID("6f1f4a52-6c1e-4c53-9d1a-7a5e1e7b7c01")
TRAINER = {"NP": "np_trainer", "IN": "in_trainer"}
HOST_ORGANISATION = {"NP": "np_academy", "IN": "in_academy"}


@dataclass(frozen=True)
class Person:
    name: str
    sex: str
    designation: str
    organisation: str  # a demo organisation's key (setu.web.demo.agencies), or a guest organisation's name
    node: str  # NP, IN; "" for an external guest
    attended: tuple[bool, bool, bool]  # the three sessions
    pre: int
    post: int


@dataclass(frozen=True)
class Plan:
    key: str
    host: str
    title: str
    topics: tuple[str, ...]
    place: str
    days_ago: int
    trainers: str
    description: str
    sessions: tuple[tuple[str, str], ...]  # (title, topic), one a day
    people: tuple[Person, ...]

    @property
    def ref(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"programme:{self.key}")


F, M = "Feminine", "Masculine"
YES3 = (True, True, True)

PLANS = (
    Plan(
        key="biratnagar-border",
        host="NP",
        title="Joint training: border monitoring and information sharing",
        topics=(TopicArea.BORDER_MONITORING, TopicArea.INFORMATION_SHARING, TopicArea.TECHNOLOGY),
        place="Biratnagar, Morang",
        days_ago=60,
        trainers="DSP Nirmala Gurung\nInspector Rajendra Karki\nAnuradha Pokharel (Maiti Nepal)",
        description="Three days for police, border forces, monitors and local governments of Morang and Araria: "
        "red flags at the crossing, what to share with the post across the border and how, and "
        "using the exchange instead of telephone calls.",
        sessions=(
            ("Red flags at the crossing", TopicArea.BORDER_MONITORING),
            ("What to share across the border, and how", TopicArea.INFORMATION_SHARING),
            ("Alerts and the exchange in practice", TopicArea.TECHNOLOGY),
        ),
        people=(
            Person("सीता तामाङ", F, "Police Inspector", "np_htib", "NP", YES3, 48, 81),
            Person("Ramesh Shrestha", M, "Sub-Inspector", "np_htib", "NP", YES3, 55, 78),
            Person("Bimala Rai", F, "Border monitor", "np_maiti", "NP", YES3, 40, 74),
            Person("Dipak Adhikari", M, "Ward secretary", "np_biratnagar", "NP", (True, False, False), 35, 52),
            Person("सुनीता कुमारी", F, "Sub-Inspector", "in_ahtu", "IN", YES3, 50, 84),
            Person("Amit Kumar", M, "Assistant Commandant", "in_ssb", "IN", YES3, 58, 80),
            Person("Pooja Singh", F, "Counsellor", "in_helpdesk", "IN", (True, True, False), 44, 70),
            Person("Anjali Thapa", F, "Programme officer", "IOM Nepal", "", YES3, 62, 85),
        ),
    ),
    Plan(
        key="rajgir-repatriation",
        host="IN",
        title="Joint training: repatriation protocols and mutual legal assistance",
        topics=(TopicArea.REPATRIATION, TopicArea.MLA, TopicArea.SURVIVOR_CARE),
        place="Bihar Police Academy, Rajgir",
        days_ago=30,
        trainers="DSP Kiran Paswan\nRakesh Mishra (Directorate of Prosecution)\nDr. Anil Jha (CWC Araria)",
        description="Three days for the officers who send a girl home and those who receive her: the steps of "
        "repatriation under JJ Model Rules r.81 and the HTTCA, the handover at the border, and "
        "requests for mutual legal assistance.",
        sessions=(
            ("Repatriation step by step: JJ Model Rules r.81", TopicArea.REPATRIATION),
            ("Handover at the border and care on arrival", TopicArea.SURVIVOR_CARE),
            ("Mutual legal assistance: requests that work", TopicArea.MLA),
        ),
        people=(
            Person("Md. Arif", M, "Protection officer", "in_dcpu", "IN", YES3, 45, 77),
            Person("Renu Devi", F, "CWC member", "in_cwc", "IN", YES3, 52, 79),
            Person("Vikas Mishra", M, "Assistant public prosecutor", "in_prosecution", "IN", YES3, 60, 88),
            Person("सुनीता कुमारी", F, "Sub-Inspector", "in_ahtu", "IN", (False, True, False), 49, 61),
            Person("सीता तामाङ", F, "Police Inspector", "np_htib", "NP", YES3, 51, 83),
            Person("Sarita Bhandari", F, "Government attorney", "np_attorney", "NP", YES3, 57, 90),
            Person("Gita Karki", F, "Social worker", "np_maiti", "NP", (True, True, False), 42, 71),
            Person("Rahul Verma", M, "National programme officer", "UNODC South Asia", "", YES3, 64, 86),
        ),
    ),
)

# One programme of each node's own, a few weeks ahead: the dashboard's upcoming sessions.
UPCOMING = {
    "NP": Plan(
        key="kathmandu-care",
        host="NP",
        title="Survivor care: trauma-informed interviewing",
        topics=(TopicArea.SURVIVOR_CARE,),
        place="Nepal Police Academy, Maharajgunj",
        days_ago=-21,
        trainers="DSP Nirmala Gurung",
        description="Two days for investigators and shelter staff.",
        sessions=(
            ("Listening first", TopicArea.SURVIVOR_CARE),
            ("The statement and the court", TopicArea.SURVIVOR_CARE),
        ),
        people=(
            Person("Ramesh Shrestha", M, "Sub-Inspector", "np_htib", "NP", YES3, 0, 0),
            Person("Bimala Rai", F, "Border monitor", "np_maiti", "NP", YES3, 0, 0),
        ),
    ),
    "IN": Plan(
        key="patna-technology",
        host="IN",
        title="Use of technology: alerts and the exchange",
        topics=(TopicArea.TECHNOLOGY, TopicArea.INFORMATION_SHARING),
        place="Patna",
        days_ago=-28,
        trainers="DSP Kiran Paswan",
        description="Two days for AHTU and SSB officers.",
        sessions=(
            ("Alerts from the crossing", TopicArea.TECHNOLOGY),
            ("Answering the other country", TopicArea.INFORMATION_SHARING),
        ),
        people=(
            Person("Amit Kumar", M, "Assistant Commandant", "in_ssb", "IN", YES3, 0, 0),
            Person("Md. Arif", M, "Protection officer", "in_dcpu", "IN", YES3, 0, 0),
        ),
    ),
}


def person_ref(plan: Plan, person: Person) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"participant:{plan.key}:{person.name}")


def demo_code(ref: uuid.UUID) -> str:
    """A demo certificate's code, derived from the participant's reference (see the module's docstring)."""
    digest = hashlib.sha256(f"setu-demo-certificate:{ref}".encode()).digest()
    return "".join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:CODE_LENGTH])


def _completed(person: Person) -> bool:
    held = len(person.attended)
    return sum(person.attended) >= services.sessions_needed(held)


@dataclass
class SeedResult:
    programmes: int = 0
    participants: int = 0
    certificates: int = 0
    invitations: int = 0
    nominations: int = 0


def seed(*, node: str, organisations: dict[str, Organisation], users: dict[str, User],
         today: dt.date | None = None) -> SeedResult:  # fmt: skip
    """Seed the node's side of the demo trainings (see the module's docstring)."""
    today = today or timezone.localdate()
    result = SeedResult()
    trainer = users.get(TRAINER[node]) or User.objects.get(username=TRAINER[node])
    with transaction.atomic():
        for plan in (*PLANS, UPCOMING[node]):
            if plan.host == node:
                _seed_host(plan, node, organisations, trainer, today, result)
            else:
                _seed_guest(plan, node, organisations, trainer, today, result)
    return result


def _organisation(key: str, organisations: dict[str, Organisation]) -> Organisation | None:
    return organisations.get(key) or Organisation.objects.filter(name_en=_name_of(key)).first()


def _name_of(key: str) -> str:
    from setu.web.demo.agencies import organisation

    try:
        return organisation(key).name_en
    except KeyError:
        return key


def _seed_host(plan: Plan, node: str, organisations: dict[str, Organisation], trainer: User, today: dt.date,
               result: SeedResult) -> None:  # fmt: skip
    if Programme.objects.filter(public_id=plan.ref).exists():
        return
    starts_on = today - dt.timedelta(days=plan.days_ago)
    ends_on = starts_on + dt.timedelta(days=len(plan.sessions) - 1)
    joint = plan in PLANS
    programme = services.programme_create(
        actor=trainer, title=plan.title, topics=list(plan.topics), host_country=node, place=plan.place,
        starts_on=starts_on, ends_on=ends_on, organiser=organisations.get(HOST_ORGANISATION[node]),
        trainers=plan.trainers, description=plan.description, is_joint=joint, seats=4 if joint else None,
    )  # fmt: skip
    Programme.objects.filter(pk=programme.pk).update(public_id=plan.ref)
    programme.refresh_from_db()
    result.programmes += 1
    zone = timezone.get_current_timezone()
    sessions = []
    for day, (title, topic) in enumerate(plan.sessions):
        on = starts_on + dt.timedelta(days=day)
        sessions.append(services.session_add(
            actor=trainer, programme=programme, title=title, topic=topic,
            starts_at=dt.datetime.combine(on, dt.time(10, 0), tzinfo=zone),
            ends_at=dt.datetime.combine(on, dt.time(16, 0), tzinfo=zone),
        ))  # fmt: skip
    participants: list[tuple[Person, Participant]] = []
    for person in plan.people:
        if person.node == node:
            participant = services.participant_add(
                actor=trainer, programme=programme, name=person.name, sex=person.sex, designation=person.designation,
                kind=ParticipantKind.ORGANISATION, organisation=_organisation(person.organisation, organisations),
            )  # fmt: skip
        elif person.node:
            participant = services.participant_add(
                actor=trainer, programme=programme, name=person.name, sex=person.sex, designation=person.designation,
                kind=ParticipantKind.OTHER_NODE, organisation_name=_name_of(person.organisation), node=person.node,
            )  # fmt: skip
            # As if nominated through the exchange: the nomination's reference on the other node.
            Participant.objects.filter(pk=participant.pk).update(remote_ref=person_ref(plan, person))
        else:
            participant = services.participant_add(
                actor=trainer, programme=programme, name=person.name, sex=person.sex, designation=person.designation,
                kind=ParticipantKind.EXTERNAL, organisation_name=person.organisation, node=node,
            )  # fmt: skip
        participants.append((person, participant))
        result.participants += 1
    if plan.days_ago <= 0:  # not held yet
        return
    for index, session in enumerate(sessions):
        present = [participant for person, participant in participants if person.attended[index]]
        services.attendance_mark(actor=trainer, session=session, present=present)
    services.scores_record_many(
        actor=trainer,
        programme=programme,
        scores={participant: (person.pre, person.post) for person, participant in participants},
    )
    for certificate in services.certificates_issue_all(
        actor=trainer, programme=programme, now=timezone.make_aware(dt.datetime.combine(ends_on, dt.time(17)))
    ):
        Certificate.objects.filter(pk=certificate.pk).update(
            code=demo_code(person_ref(plan, _person_of(plan, certificate)))
        )
        result.certificates += 1


def _person_of(plan: Plan, certificate: Certificate) -> Person:
    name = Participant.objects.values_list("name", flat=True).get(pk=certificate.participant_id)
    return next(person for person in plan.people if person.name == name)


def _seed_guest(plan: Plan, node: str, organisations: dict[str, Organisation], trainer: User, today: dt.date,
                result: SeedResult) -> None:  # fmt: skip
    if plan not in PLANS or Invitation.objects.filter(from_node=plan.host, ref=plan.ref).exists():
        return
    starts_on = today - dt.timedelta(days=plan.days_ago)
    ends_on = starts_on + dt.timedelta(days=len(plan.sessions) - 1)
    received = timezone.make_aware(dt.datetime.combine(starts_on - dt.timedelta(days=30), dt.time(11)))
    invitation = Invitation.objects.create(
        from_node=plan.host, ref=plan.ref, title=plan.title, topics=list(plan.topics), host_country=plan.host,
        organiser=_name_of(HOST_ORGANISATION[plan.host]), place=plan.place, starts_on=starts_on, ends_on=ends_on,
        seats=4, reply_by=starts_on - dt.timedelta(days=14), description=plan.description, received_at=received,
        answer=Invitation.Answer.NOMINATED, answered_at=received + dt.timedelta(days=3), answered_by=trainer,
        results_received_at=timezone.make_aware(dt.datetime.combine(ends_on + dt.timedelta(days=2), dt.time(11))),
    )  # fmt: skip
    result.invitations += 1
    held = len(plan.sessions)
    for person in plan.people:
        if person.node != node:
            continue
        done = _completed(person)
        ref = person_ref(plan, person)
        organisation = _organisation(person.organisation, organisations)
        if organisation is None:
            continue
        Nomination.objects.create(
            public_id=ref, invitation=invitation, name=person.name, sex=person.sex, designation=person.designation,
            organisation=organisation, nominated_by=trainer,
            sessions_attended=sum(person.attended), sessions_held=held, pre_score=person.pre, post_score=person.post,
            completed=done, certificate_code=demo_code(ref) if done else "",
        )  # fmt: skip
        result.nominations += 1
