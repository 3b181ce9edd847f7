"""Demo missing-person reports: 18 months of reports on each node, registered through the services.

What a node shows after seeding (reference/domain.md §8: Nepal's 104 hotline takes some 400 missing-child
calls a month, and about half of the missing are found): on the Nepal node 60 reports, on the India node 15,
reported over the last eighteen months, most still open, about a quarter found and a few closed. Each names
its missing person as her family gives her (names in Devanagari with a Latin spelling, sex, date of birth or
age, parents' names, home down to the ward where known, her phone), who reported her (mother, father,
brother, teacher, ...), when and where she was last seen, what happened, and the police or hotline reference:
a *zaheri* (FIR) at a district police office, a call to NCRC's 104 hotline, Maiti Nepal's register; on the
India side an FIR at the AHTU, Childline 1098, the Khoya-Paya / TrackChild portal. A few are restricted (the
family suspects someone close). The Ministry's focal point registers Nepali women missing in India.

Some Nepal-node reports are for the synthetic people that setu.web.demo.names records again on the India node
(`same_as`): the girl reported missing in Nepal is rescued in India, so an alert to India finds her. The
police or the 104 hotline registered these, and their reports stay open. On the India node most reports are
for Indian children; a few for Nepali girls and boys who went missing in Bihar.

A few reports on each node (MATCHED_REPORTS) are of girls the node registered later, as survivors of its
cases: her family reported her weeks before she was rescued, describing her as families do (her name in the
other script where there is one, her age rather than her birth date). The matcher proposes her record for
the report, as it does on a real node, and a reviewer who may see both confirms it with a reason
(`candidate_confirm`): the report is then found, and the reports dashboard has a match rate. If the matcher
does not propose her, the report stays open; nothing is linked by hand. The matcher also proposes, for a few
open reports, a registered girl who shares her name: one plainly someone else (another home district, or an
age years apart) is rejected by a reviewer a few days after the report and her case, saying what differs, so
the dashboard's share of possible matches confirmed is not 100%; the others wait in the review queue.

Every report goes through `report_create` (and `report_set_status`), acting as the login of the reporting
agency, with `now` set to the day it was reported, so the records are validated, numbered and audited like
real ones; the reports and the people registered for them then carry that day as their `created_at`. The
missing people are new person records (as a family describes her), never the node's registered people:
`seed_cases` leaves people with a report out of its plan, so seeding again changes nothing.

Deterministic: a `random.Random` seeded with the node plans every report, dates counting back from today.
Idempotent: a node that already has reports gets none.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from setu.accounts.models import Organisation, User
from setu.cases.models import Case
from setu.core.dates import DateInputError, ad_to_bs, age_on
from setu.geo.models import District, LocalLevel
from setu.people.models import Person
from setu.tracing import matching, selectors
from setu.tracing.models import (
    CandidateStatus,
    MatchCandidate,
    MissingReport,
    ReferenceKind,
    ReporterRelation,
    Status,
    Visibility,
)
from setu.tracing.services import (
    MissingPersonEntry,
    ReportEntry,
    candidate_confirm,
    candidate_reject,
    report_create,
    report_set_status,
)
from setu.web.demo.names import (
    FEMALE,
    IN_FAMILY,
    IN_GIVEN_FEMALE,
    IN_GIVEN_MALE,
    MALE,
    NP_FAMILY,
    NP_GIVEN_FEMALE,
    NP_GIVEN_MALE,
    Spelling,
    SyntheticPerson,
    generate_persons,
)

DEFAULT_MISSING_REPORTS = {"NP": 60, "IN": 15}
MATCHED_REPORTS = {"NP": 4, "IN": 2}  # at most, of `count`: reports of girls the node's cases later rescued
REVIEWERS = {"NP": ("np_caseworker", "np_shelter", "np_police", "np_cwc", "np_focal"),
             "IN": ("in_caseworker", "in_cwc", "in_police", "in_focal")}  # fmt: skip
WINDOW_DAYS = 548  # eighteen months
SAME_AS_REPORTS = 12  # at most, on the Nepal node: reports of people the India node records again
NAMES_SEED = 9104  # another stream of synthetic people than the registered people's and the interceptions'
FOUND_SHARE = 0.25
CLOSED_SHARE = 0.08
RESTRICTED_SHARE = 0.08
# How long families wait before reporting, in days (most within a week; some hope she comes back).
WAIT_DAYS = (0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 7, 10, 14, 21, 30)


@dataclass(frozen=True)
class Place:
    district: str  # gazetteer English name
    local_level: str  # gazetteer English name, "" on the India side (no local levels in the gazetteer)
    where: str


PLACES: dict[str, tuple[Place, ...]] = {
    "NP": (
        Place("Morang", "Biratnagar", "Biratnagar bus park"),
        Place("Morang", "Biratnagar", "Her school in Biratnagar"),
        Place("Morang", "Rangeli", "Rangeli bazaar, on the way to the border"),
        Place("Sunsari", "Itahari", "Itahari chowk"),
        Place("Sunsari", "Dharan", "Dharan clock tower"),
        Place("Jhapa", "Mechinagar", "Kakarbhitta bus park"),
        Place("Sindhupalchok", "Choutara Sangachowkgadhi", "Her school in Chautara"),
        Place("Sindhupalchok", "Melanchi", "Melamchi bazaar"),
        Place("Makwanpur", "Hetauda", "Hetauda bus park"),
        Place("Kathmandu", "Kathmandu", "Gongabu new bus park"),
        Place("Kathmandu", "Kathmandu", "The restaurant in Thamel where she worked"),
        Place("Nuwakot", "Bidur", "Bidur bazaar"),
        Place("Dhading", "Neelakantha", "Dhading Besi"),
        Place("Kavrepalanchok", "Banepa", "Banepa chowk"),
        Place("Sindhuli", "Kamalamai", "Sindhulimadi bus stop"),
        Place("Udayapur", "Triyuga", "Gaighat bazaar"),
        Place("Sarlahi", "Malangawa", "Malangawa market"),
        Place("Rautahat", "Gaur", "Gaur, near the border"),
        Place("Parsa", "Birgunj", "Birgunj Ghantaghar"),
        Place("Rupandehi", "Butwal", "Butwal Traffic Chowk"),
        Place("Banke", "Nepalgunj", "Nepalgunj, near the Jamunaha crossing"),
        Place("Kailali", "Dhangadhi", "Dhangadhi bus park"),
    ),
    "IN": (
        Place("Araria", "", "Jogbani railway station"),
        Place("Araria", "", "Forbesganj bazaar"),
        Place("Araria", "", "Her school in Araria"),
        Place("Kishanganj", "", "Kishanganj bus stand"),
        Place("Purbi Champaran", "", "Raxaul station"),
        Place("Madhubani", "", "Jaynagar station"),
        Place("Supaul", "", "Birpur bazaar"),
        Place("Sitamarhi", "", "Sitamarhi bus stand"),
        Place("Darjeeling", "", "Siliguri Junction"),
    ),
}
# Nepali women and girls missing in India, registered by the Ministry's focal point from the family's complaint.
ABROAD = ("Delhi, India (a garment factory in Okhla, through an agent)", "Mumbai, India (said to be a hotel job)",
          "Siliguri, India (a beauty parlour)", "Kolkata, India (housework for a family)")  # fmt: skip

# What happened, as families tell it; "{they}" is "she" or "he", "{their}" "her" or "his".
STORIES = {
    "girl": (
        "Left for school in the morning and did not come back. Her friends say a boy she met on Facebook had "
        "promised her a job in Kathmandu.",
        "Went to the bazaar with a woman from the next village who offered her work in a garment factory in "
        "India; neither has come back and the woman's phone is off.",
        "Left home after a quarrel about her marriage; her phone has been switched off since that evening.",
        "Went to the bus park saying she would visit her aunt; the aunt says she never arrived.",
        "Was taken to 'a job in a hotel' by a man who said he knew her father; he had given the family "
        "NPR 5,000 in advance.",
        "Wore a red kurta and carried a blue school bag. She had talked about going to India with a friend.",
    ),
    "woman": (
        "Worked in a restaurant in Thamel; the owner says she left with a customer and did not come back.",
        "Went to Kathmandu for a job in a carpet factory found by a relative; the family has heard nothing for "
        "three weeks.",
        "Eloped with a man from outside the district who said he worked in Delhi; his number no longer works.",
        "Was to fly to the Gulf through a manpower agent; the agent says she changed her mind in Kathmandu.",
    ),
    "boy": (
        "Left for work in India with older boys from the village; has not called since crossing the border.",
        "Ran away from the hostel of his school; was seen at the bus park with two men.",
        "Went to a brick kiln in India with a labour contractor; the contractor does not answer calls.",
    ),
}
RESTRICTED_STORY = (
    "The family suspects an uncle who once before took a child of the family to 'a job'; do not contact him."
)
BOY_FOUND_NOTES = ("Found working in a hotel in India by the police; returned to his family through the border.",
                   "Came home by himself after a month; counselled by the ward's social mobiliser.")  # fmt: skip
FOUND_NOTES = (
    "Found at the Rani crossing by the border monitors; returned to her family after counselling.",
    "Came home by herself after two weeks; the ward's social mobiliser visited the family.",
    "Traced by the police through her phone to a hotel in Birgunj; rescued and placed in a transit home.",
    "Found in a transit home in Kathmandu, where she had been placed after an interception; family informed.",
    "Called her mother from Delhi; the embassy and an NGO brought her back through Raxaul.",
)
CLOSED_NOTES = (
    "Withdrawn by the family: she had married and called home; she is safe.",
    "A second report of the same girl (registered by the ward office); the first is kept.",
    "Registered in error: she was staying with relatives, as the family later learnt.",
)
IN_FOUND_NOTES = (
    "Found at Jogbani station by the GRP and Childline; restored to the family by the CWC.",
    "Traced to a hotel in Siliguri and rescued by the AHTU; produced before the CWC.",
    "Came back home on his own; counselled by the DCPU.",
)

# Who registers the reports on each node (a demo username), how often, and where the report is also made.
REPORTERS = {
    "NP": (("np_police", 35, ReferenceKind.POLICE), ("np_cwc", 25, ReferenceKind.NCRC_104),
           ("np_caseworker", 20, ReferenceKind.NGO), ("np_localgov", 8, ReferenceKind.OTHER),
           ("np_monitor", 6, ReferenceKind.NGO), ("np_focal", 6, ReferenceKind.OTHER)),
    "IN": (("in_police", 40, ReferenceKind.POLICE), ("in_caseworker", 25, ReferenceKind.TRACKCHILD),
           ("in_cwc", 15, ReferenceKind.CHILDLINE), ("in_monitor", 20, ReferenceKind.CHILDLINE)),
}  # fmt: skip
RELATIONS = {ReporterRelation.MOTHER: 30, ReporterRelation.FATHER: 25, ReporterRelation.SIBLING: 12,
             ReporterRelation.OTHER_RELATIVE: 10, ReporterRelation.TEACHER: 5, ReporterRelation.NEIGHBOUR: 4,
             ReporterRelation.NGO_WORKER: 3, ReporterRelation.SPOUSE: 3}  # fmt: skip


def _age(plan: Plan) -> int:
    """Her age when last seen."""
    return max(1, age_on(plan.person.birth_date, plan.last_seen_on))


@dataclass
class Plan:
    person: SyntheticPerson
    reporter: str  # demo username
    reference_kind: str
    reported_on: dt.date
    last_seen_on: dt.date
    place: Place | None  # None: abroad (ABROAD)
    abroad: str = ""
    status: str = Status.OPEN
    status_on: dt.date | None = None
    restricted: bool = False
    same_as: bool = False


def _phone(rng: random.Random, country: str) -> str:
    """A synthetic number in the blocks names.py uses (full of zeros: never a real subscriber's)."""
    if country == "NP":
        return f"+97798000{rng.randrange(10_000, 100_000)}"
    return f"+917000{rng.randrange(100_000, 1_000_000)}"


def _weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()), k=1)[0]


def _candidates(node: str, persons: int) -> tuple[list[SyntheticPerson], list[SyntheticPerson]]:
    """(people the India node records again, to report on the Nepal node; other people to report missing)."""
    same_as: list[SyntheticPerson] = []
    if node == "NP" and persons > 0:
        refs = {p.same_as for p in generate_persons("IN", persons) if p.same_as}
        same_as = [p for p in generate_persons("NP", persons) if p.ref in refs and p.age <= 25][:SAME_AS_REPORTS]
    # Children and young people, mostly: on the India side the missing children of the border districts.
    oldest = {"NP": 19, "IN": 17}[node]
    others = [p for p in generate_persons(node, 400, seed=NAMES_SEED)
              if not p.same_as and p.age <= (oldest if p.nationality == node else 25)]  # fmt: skip
    return same_as, others


def plan_reports(*, node: str, count: int, persons: int, today: dt.date) -> list[Plan]:
    """Which reports the node gets (see the module's docstring), oldest first."""
    rng = random.Random(f"setu-demo-tracing-{node}")  # noqa: S311 - reproducible demo data, not secrets
    same_as, others = _candidates(node, persons)
    same_as = same_as[: max(0, count // 4)]
    nationals = [p for p in others if p.nationality == node]
    foreigners = [p for p in others if p.nationality != node]
    n_foreign = 0 if node == "NP" else max(1, round(count * 0.25))
    chosen = same_as + foreigners[:n_foreign] + nationals[: count - len(same_as) - n_foreign]
    reporters = REPORTERS[node]
    plans = []
    for person in chosen:
        is_same_as = person in same_as
        username, _weight, kind = rng.choices(reporters, weights=[w for _u, w, _k in reporters], k=1)[0]
        if is_same_as and username not in ("np_police", "np_cwc"):
            username, kind = "np_police", ReferenceKind.POLICE  # the police or the 104 hotline, for these
        # Within eighteen months; those the India node records again went missing months before they were found.
        age_days = rng.randrange(30, 300) if is_same_as else rng.randrange(1, WINDOW_DAYS)
        reported_on = today - dt.timedelta(days=age_days)
        last_seen_on = reported_on - dt.timedelta(days=rng.choice(WAIT_DAYS))
        place: Place | None = rng.choice(PLACES[node])
        home = [p for p in PLACES[node] if p.district == person.home_district]
        if home and rng.random() < 0.6:
            place = rng.choice(home)
        abroad = ""
        if username == "np_focal":
            place, abroad = None, rng.choice(ABROAD)
        plan = Plan(person=person, reporter=username, reference_kind=kind, reported_on=reported_on,
                    last_seen_on=last_seen_on, place=place, abroad=abroad, same_as=is_same_as,
                    restricted=not is_same_as and rng.random() < RESTRICTED_SHARE)  # fmt: skip
        if not is_same_as and age_days > 7:
            # Older reports are more often resolved.
            roll = rng.random() * min(1.0, 0.4 + age_days / WINDOW_DAYS)
            if roll > 1 - CLOSED_SHARE - FOUND_SHARE:
                plan.status = Status.CLOSED if roll > 1 - CLOSED_SHARE else Status.FOUND
                plan.status_on = reported_on + dt.timedelta(days=rng.randrange(1, min(age_days, 120)))
        plans.append(plan)
    return sorted(plans, key=lambda plan: (plan.reported_on, plan.person.ref))


# --- writing ---------------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, node: str, users: dict[str, User], organisations: dict[str, Organisation]) -> None:
        self.node = node
        self.users = users
        self.organisations = organisations
        self.rng = random.Random(f"setu-demo-tracing-writer-{node}")  # noqa: S311 - reproducible demo data
        self.districts = {(d.province.country, d.name_en): d for d in District.objects.select_related("province")}
        self.local_levels: dict[tuple[str, str], LocalLevel] = {
            (level.district.name_en, level.name_en): level for level in LocalLevel.objects.select_related("district")
        }
        self.levels_of: dict[str, list[LocalLevel]] = {}
        for level in self.local_levels.values():
            self.levels_of.setdefault(level.district.name_en, []).append(level)
        self.sequence = 0

    def _at(self, day: dt.date, hour: int) -> dt.datetime:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.randrange(0, 60))))
        return min(moment, timezone.now())

    def _names(self, person: SyntheticPerson) -> tuple[str, str]:
        """(her name as the family gives it, the other spelling): Devanagari first where there is one."""
        latin = person.full_name_latin
        devanagari = person.full_name_devanagari
        if devanagari and (self.node == "NP" or self.rng.random() < 0.5):
            return devanagari, latin
        return latin, devanagari

    def _reporter(self, plan: Plan) -> tuple[str, str]:
        """(name, relation) of the person who reports her."""
        person, rng = plan.person, self.rng
        adult = _age(plan) >= 18
        relations = dict(RELATIONS)
        if not adult:
            relations.pop(ReporterRelation.SPOUSE)
        relation = _weighted(rng, relations)
        family_pool = NP_FAMILY if person.nationality == "NP" else IN_FAMILY
        family = person.family_name.latin
        if relation == ReporterRelation.MOTHER:
            return f"{person.mother_name.latin} {family}", relation
        if relation == ReporterRelation.FATHER:
            return person.father_name.latin, relation
        nepali = person.nationality == "NP"
        if relation == ReporterRelation.SPOUSE:  # her husband (or his wife), of another family
            pool = (
                (NP_GIVEN_MALE if nepali else IN_GIVEN_MALE)
                if person.sex == FEMALE
                else (NP_GIVEN_FEMALE if nepali else IN_GIVEN_FEMALE)
            )
            return f"{rng.choice(pool).latin} {rng.choice(family_pool).latin}", relation
        if relation in (ReporterRelation.SIBLING, ReporterRelation.OTHER_RELATIVE):
            anyone: tuple[Spelling, ...] = (
                (NP_GIVEN_FEMALE + NP_GIVEN_MALE) if nepali else (IN_GIVEN_FEMALE + IN_GIVEN_MALE)
            )
            return f"{rng.choice(anyone).latin} {family}", relation
        if relation == ReporterRelation.NGO_WORKER:
            ngo = "Maiti Nepal" if self.node == "NP" else "the Jogbani help desk"
            return f"{rng.choice(NP_GIVEN_FEMALE if self.node == 'NP' else IN_GIVEN_FEMALE).latin} "\
                   f"{rng.choice(family_pool).latin} ({ngo})", relation  # fmt: skip
        given = rng.choice(NP_GIVEN_MALE if self.node == "NP" else IN_GIVEN_MALE).latin
        return f"{given} {rng.choice(family_pool).latin}", relation

    def _reference(self, plan: Plan, place_district: str) -> str:
        return self._reference_of(plan.reference_kind, plan.reporter, plan.reported_on, place_district)

    def _reference_of(self, kind: str, reporter: str, day: dt.date, place_district: str) -> str:
        n = self.rng.randrange(12, 480)
        if kind == ReferenceKind.POLICE and self.node == "NP":
            try:
                year, month, _day = ad_to_bs(day)
            except DateInputError:
                year, month = day.year + 57, 1
            first = year if month >= 4 else year - 1  # the fiscal year starts in Shrawan
            return f"Zaheri {n}/{first}-{str(first + 1)[-2:]}, District Police Office {place_district or 'Kathmandu'}"
        if kind == ReferenceKind.POLICE:
            return f"FIR {n}/{day.year}, {place_district or 'Araria'} police station"
        if kind == ReferenceKind.NCRC_104:
            return f"104 call {day:%Y%m%d}-{self.rng.randrange(100, 999)}"
        if kind == ReferenceKind.NGO:
            return f"MN-BRT-{day.year}-{n:03d}"
        if kind == ReferenceKind.TRACKCHILD:
            return f"TrackChild BR/ARR/{day.year}/{self.rng.randrange(10_000, 99_999)}"
        if kind == ReferenceKind.CHILDLINE:
            return f"1098 call {day:%d%m%y}-{self.rng.randrange(10, 99)}"
        if reporter == "np_focal":
            return f"Complaint {n}/{day.year} to the Department of Foreign Employment"
        return f"Ward office letter {n}"

    def _story(self, plan: Plan) -> str:
        adult = _age(plan) >= 18
        kind = "boy" if plan.person.sex == MALE else ("woman" if adult else "girl")
        story = self.rng.choice(STORIES[kind])
        return f"{story} {RESTRICTED_STORY}" if plan.restricted else story

    def _entry(self, plan: Plan) -> ReportEntry:
        person, rng = plan.person, self.rng
        full_name, other_name = self._names(person)
        home = self.districts.get((person.nationality, person.home_district))
        level, ward = None, None
        if home is not None and self.levels_of.get(home.name_en) and rng.random() < 0.7:
            level = rng.choice(self.levels_of[home.name_en])
            ward = rng.randrange(1, (level.ward_count or 5) + 1)
        birth_date, age = None, None
        if person.birth_precision == "day":
            birth_date = person.birth_date
        else:
            age = _age(plan)
        father = person.father_name.devanagari if full_name == person.full_name_devanagari else person.father_name.latin
        mother = person.mother_name.devanagari if full_name == person.full_name_devanagari else person.mother_name.latin
        missing = MissingPersonEntry(
            full_name=full_name, other_name=other_name, gender=person.sex, birth_date=birth_date,
            birth_calendar="BS" if person.nationality == "NP" else "AD", age=age, nationality=person.nationality,
            father_name=father or person.father_name.latin, mother_name=mother or person.mother_name.latin,
            home_district=home, home_local_level=level, home_ward=ward,
            phone=person.phone if person.phone and rng.random() < 0.6 else "",
        )  # fmt: skip
        place = plan.place
        district = self.districts.get((self.node, place.district)) if place else None
        local_level = (
            self.local_levels.get((place.district, place.local_level)) if place and place.local_level else None
        )
        reporter_name, relation = self._reporter(plan)
        return ReportEntry(
            person=missing, reporter_name=reporter_name, reporter_relation=relation,
            reporter_phone=_phone(rng, self.node) if rng.random() < 0.85 else "", reported_on=plan.reported_on,
            last_seen_on=plan.last_seen_on,
            last_seen_time=self._time(plan),
            last_seen_place=place.where if place else plan.abroad, last_seen_district=district,
            last_seen_local_level=local_level, circumstances=self._story(plan), reference_kind=plan.reference_kind,
            reference=self._reference(plan, place.district if place else ""),
            visibility=Visibility.RESTRICTED if plan.restricted else Visibility.STANDARD,
        )  # fmt: skip

    def _time(self, plan: Plan) -> dt.time | None:
        """When she was last seen, if known: before the report was made (at 11 o'clock) on the same day."""
        if self.rng.random() < 0.5:
            return None
        latest = 10 if plan.last_seen_on == plan.reported_on else 20
        return dt.time(self.rng.randrange(6, latest), self.rng.choice((0, 15, 30, 45)))

    def write(self, plans: list[Plan], rescued: list[Case], today: dt.date) -> int:
        """Every report in the order it was reported, so that the numbers follow the dates: the planned ones, and
        her family's report of each girl the node's cases rescued later (`rescued`). Returns how many."""
        dated = [(plan.reported_on, 0, n) for n, plan in enumerate(plans)]
        dated += [(self._reported_before(case, today), 1, n) for n, case in enumerate(rescued)]
        for reported_on, kind, n in sorted(dated):
            if kind == 0:
                self._write_plan(plans[n])
            else:
                self._write_rescued_later(rescued[n], reported_on)
        return len(dated)

    def _write_plan(self, plan: Plan) -> None:
        actor = self.users[plan.reporter]
        report = report_create(actor=actor, entry=self._entry(plan), now=self._at(plan.reported_on, 11))
        if plan.status != Status.OPEN and plan.status_on is not None:
            notes: tuple[str, ...] = IN_FOUND_NOTES if self.node == "IN" else FOUND_NOTES
            if plan.person.sex == MALE and self.node == "NP":
                notes = BOY_FOUND_NOTES
            note = self.rng.choice(notes if plan.status == Status.FOUND else CLOSED_NOTES)
            report_set_status(actor=actor, report=report, status=plan.status, note=note,
                              now=self._at(plan.status_on, 15))  # fmt: skip
        reported_at = self._at(plan.reported_on, 11)
        MissingReport.objects.filter(pk=report.pk).update(created_at=reported_at)
        Person.objects.filter(pk=report.person_id).update(created_at=reported_at, updated_at=reported_at)

    def _reported_before(self, case: Case, today: dt.date) -> dt.date:
        """When her family reported her: 10 to 45 days before her case identified her, within the window."""
        earliest = today - dt.timedelta(days=WINDOW_DAYS - 1)
        identified_on = timezone.localdate(case.identified_at)
        return max(earliest, identified_on - dt.timedelta(days=self.rng.randrange(10, 45)))

    def _write_rescued_later(self, case: Case, reported_on: dt.date) -> None:
        """Her family's report of the case's survivor, made before she was rescued; the matcher proposes her
        record and the first reviewer who may decide it confirms (see the module's docstring)."""
        girl = case.survivor
        identified_on = timezone.localdate(case.identified_at)
        reporter = "np_police" if self.node == "NP" else "in_police"
        entry = self._family_report(girl, reported_on, reporter)
        reported_at = self._at(reported_on, 11)
        report = report_create(actor=self.users[reporter], entry=entry, now=reported_at)
        MissingReport.objects.filter(pk=report.pk).update(created_at=reported_at)
        Person.objects.filter(pk=report.person_id).update(created_at=reported_at, updated_at=reported_at)
        # What the commits of her case and of this report do (setu.tracing.matching): index her record, then
        # propose candidates for the report.
        matching.index_person(girl)
        matching.propose_for_report(report)
        candidate = MatchCandidate.objects.filter(report=report, person=girl).first()
        if candidate is None:
            return
        reviewer = next((self.users[name] for name in REVIEWERS[self.node] if name in self.users
                         and selectors.candidate_can_review(self.users[name], candidate)), None)  # fmt: skip
        if reviewer is None:
            return
        reason = (f"Case {case.number} and her family's report {report.number}: the same name, age and home "
                  "district; her family identified her from the case's photograph.")  # fmt: skip
        candidate_confirm(actor=reviewer, candidate=candidate, reason=reason, now=self._at(identified_on, 16))

    def reject_namesakes(self, today: dt.date) -> int:
        """Each candidate the matcher proposed for a report still open who is plainly another girl (her home
        district differs, or her age by more than two years) is rejected a few days after the report and her
        case by the first reviewer who may decide it, saying what differs; the others wait in the review queue.
        Returns how many were rejected.

        The seed runs in one transaction, so the matcher's work after each commit has not run yet: the node's
        case survivors are indexed and each open report's candidates proposed here first, as those commits
        would (the interceptions' people are left to the node's matching sweep, which the demo's worker runs
        within its first minutes: their candidates wait in the review queue)."""
        for case in Case.objects.select_related("survivor"):
            matching.index_person(case.survivor)
        for report in MissingReport.objects.filter(status=Status.OPEN).select_related("person"):
            matching.propose_for_report(report)
        proposed = (MatchCandidate.objects.filter(status=CandidateStatus.PROPOSED, report__status=Status.OPEN)
                    .select_related("report__person__home_district", "person__home_district")
                    .order_by("report__number", "pk"))  # fmt: skip
        rejected = 0
        for candidate in proposed:
            differences = _differences(candidate.report.person, candidate.person, candidate.report.last_seen_on)
            reviewer = next((self.users[name] for name in REVIEWERS[self.node] if name in self.users
                             and selectors.candidate_can_review(self.users[name], candidate)), None)  # fmt: skip
            if not differences or reviewer is None:
                continue
            # A few days after both the report and her case (the matcher could not propose her before).
            rescued = (Case.objects.filter(survivor=candidate.person).order_by("identified_at")
                       .values_list("identified_at", flat=True).first())  # fmt: skip
            since = (
                max(candidate.report.reported_on, timezone.localdate(rescued))
                if rescued
                else candidate.report.reported_on
            )
            decided_on = min(today, since + dt.timedelta(days=self.rng.randrange(2, 8)))
            reason = f"Not the girl reported: {'; '.join(differences)}."
            candidate_reject(actor=reviewer, candidate=candidate, reason=reason, now=self._at(decided_on, 15))
            rejected += 1
        return rejected

    def _family_report(self, girl: Person, reported_on: dt.date, reporter: str) -> ReportEntry:
        """Her family's report of her: her name (in the other script, half the time), her age, her home
        district, her parents' names, as her case records them."""
        rng = self.rng
        last_seen_on = reported_on - dt.timedelta(days=rng.choice(WAIT_DAYS))
        parents = {r.kind: r.related_name for r in girl.relations.all() if r.related_name}
        other = girl.aliases.first()
        names = [girl.full_name, other.name if other else ""]
        if other and rng.random() < 0.5:
            names.reverse()
        home = girl.home_district.name_en if girl.home_district else ""
        place = rng.choice([p for p in PLACES[self.node] if p.district == home] or PLACES[self.node])
        if parents.get("mother") or parents.get("father"):
            relation = ReporterRelation.MOTHER if parents.get("mother") else ReporterRelation.FATHER
            reporter_name = parents.get("mother") or parents["father"]
        else:  # her case names no parent: her brother reports her
            brothers = NP_GIVEN_MALE if girl.nationality == "NP" else IN_GIVEN_MALE
            family = girl.family_name or (girl.name_latin.split() or [""])[-1].title()
            relation, reporter_name = ReporterRelation.SIBLING, f"{rng.choice(brothers).latin} {family}"
        return ReportEntry(
            person=MissingPersonEntry(
                full_name=names[0], other_name=names[1], gender=girl.gender,
                age=age_on(girl.birth_date, last_seen_on) if girl.birth_date else girl.age_estimate,
                nationality=girl.nationality, father_name=parents.get("father", ""),
                mother_name=parents.get("mother", ""), home_district=girl.home_district,
            ),
            reporter_name=reporter_name, reporter_relation=relation,
            reported_on=reported_on, last_seen_on=last_seen_on, last_seen_place=place.where,
            last_seen_district=self.districts.get((self.node, place.district)),
            circumstances=rng.choice(STORIES["girl"]), reference_kind=ReferenceKind.POLICE,
            reference=self._reference_of(ReferenceKind.POLICE, reporter, reported_on, place.district),
        )  # fmt: skip


def seed_missing_reports(
    *, node: str, users: dict[str, User], organisations: dict[str, Organisation], persons: int, count: int,
    today: dt.date | None = None,
) -> int:  # fmt: skip
    """Register `count` missing-person reports of the last eighteen months on `node` (see the module's
    docstring), unless it has reports already; `persons` is how many synthetic people each node registered
    (to find those the India node records again). Returns how many were registered."""
    if count <= 0 or MissingReport.objects.exists():
        return 0
    today = today or timezone.localdate()
    rescued = _rescued_later(node, min(MATCHED_REPORTS[node], count // 4), today)
    plans = plan_reports(node=node, count=count - len(rescued), persons=persons, today=today)
    writer = _Writer(node, users, organisations)
    written = writer.write(plans, rescued, today)
    writer.reject_namesakes(today)
    return written


def _differences(reported: Person, other: Person, on: dt.date) -> list[str]:
    """What shows that `other` is not the person reported: another home district, or an age more than two years
    apart (her age as her family gives it is often a year off). Names are not compared: the matcher weighed
    them already, and a family may write her name in the other script."""
    found = []
    homes = reported.home_district, other.home_district
    if homes[0] is not None and homes[1] is not None and homes[0] != homes[1]:
        found.append(f"her home is in {homes[0].name_en}, not {homes[1].name_en}")
    ages = [age_on(p.birth_date, on) if p.birth_date else p.age_estimate for p in (reported, other)]
    if ages[0] is not None and ages[1] is not None and abs(ages[0] - ages[1]) > 2:
        found.append(f"she was {ages[0]}, the other girl {ages[1]}")
    return found


def _rescued_later(node: str, count: int, today: dt.date) -> list[Case]:
    """Cases of the node whose survivor is a girl of the node, 19 or younger, identified within the window
    (a month at least after its start, so that her family's report fits in it): the first `count` by number."""
    earliest = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=WINDOW_DAYS - 45), dt.time()))
    cases = (Case.objects.filter(survivor__gender=FEMALE, survivor__nationality=node, identified_at__gte=earliest)
             .exclude(survivor__birth_date=None).select_related("survivor__home_district")
             .order_by("number"))  # fmt: skip
    return [
        c
        for c in cases
        if c.survivor.birth_date and age_on(c.survivor.birth_date, timezone.localdate(c.identified_at)) <= 19
    ][:count]
