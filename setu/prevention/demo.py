"""Demo prevention records: a year of awareness activities and community vigilance reports for one
organisation, for the demo seed (setu.web.demo) to call.

    from setu.prevention import demo
    demo.seed(organisation=biratnagar_metro, districts=[morang], rng=random.Random("setu-demo-prevention"),
              year=2025)

Every record goes through the services (`activity_record`, `vigilance_report_record`), acting as a login of
the organisation whose role may record prevention work (a local government officer or a border monitor), so
the records are validated and audited like real ones. Deterministic: the same `rng` state, organisation,
districts and gazetteer give the same records. Idempotent: an organisation that already has prevention
records dated in `year` gets nothing more.

Where: a local government works in its own local level (the one whose name begins its name, e.g. "Biratnagar"
for "Biratnagar Metropolitan City"), an NGO in up to four local levels of each district. Only districts with
local levels in the gazetteer (Nepal's) and that the organisation works in are used. Dates: spread over the
year's months, never after today.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Membership, Organisation, User
from setu.accounts.roles import ROLE_PERMISSIONS, Permission, Role
from setu.geo.models import District, LocalLevel
from setu.prevention import services
from setu.prevention.models import Audience, AwarenessActivity, FollowUp, Topic, VigilanceKind, VigilanceReport

NGO_LOCAL_LEVELS = 4  # per district
ACTIVITIES_PER_MONTH = (2, 5)
REPORTS_PER_MONTH = (0, 3)
DEFAULT_WARDS = 9  # when the gazetteer does not know a local level's ward count

# Who comes, how often (weights), and how many by sex × age band: (female <18, female 18+, male <18,
# male 18+) as (low, high) ranges; a few of other gender now and then.
_AUDIENCES: dict[str, tuple[int, tuple[tuple[int, int], ...]]] = {
    Audience.STUDENTS: (5, ((20, 60), (0, 3), (15, 50), (0, 3))),
    Audience.PARENTS: (3, ((0, 5), (15, 45), (0, 3), (5, 20))),
    Audience.COMMUNITY: (4, ((5, 20), (20, 70), (5, 15), (15, 50))),
    Audience.MIGRANTS: (2, ((0, 2), (3, 15), (0, 2), (10, 35))),
    Audience.TRANSPORT_WORKERS: (2, ((0, 0), (0, 3), (0, 2), (10, 30))),
    Audience.HOTEL_OWNERS: (1, ((0, 0), (2, 8), (0, 0), (5, 15))),
    Audience.LOCAL_OFFICIALS: (1, ((0, 0), (4, 12), (0, 0), (6, 15))),
}
# The topics each audience most needs, first; one or two others are added at random.
_TOPICS: dict[str, tuple[str, ...]] = {
    Audience.STUDENTS: (Topic.ONLINE_RECRUITMENT, Topic.CHILD_MARRIAGE, Topic.HOTLINES),
    Audience.PARENTS: (Topic.CHILD_MARRIAGE, Topic.RED_FLAGS, Topic.HOTLINES),
    Audience.COMMUNITY: (Topic.RED_FLAGS, Topic.SAFE_MIGRATION, Topic.HOTLINES),
    Audience.MIGRANTS: (Topic.SAFE_MIGRATION, Topic.FOREIGN_EMPLOYMENT, Topic.VICTIMS_RIGHTS),
    Audience.TRANSPORT_WORKERS: (Topic.RED_FLAGS, Topic.HOTLINES),
    Audience.HOTEL_OWNERS: (Topic.RED_FLAGS, Topic.HOTLINES),
    Audience.LOCAL_OFFICIALS: (Topic.VICTIMS_RIGHTS, Topic.RED_FLAGS, Topic.SAFE_MIGRATION),
}
_PARTNERS = ("", "", "", "Shree Janata Secondary School", "Ward women's group", "Youth club", "Mothers' group",
             "Red Cross sub-branch", "Community radio")  # fmt: skip
_NOTES: dict[str, tuple[str, ...]] = {
    Audience.STUDENTS: ("Talk and quiz in grades 8 to 10.", "Street drama in the school yard.", ""),
    Audience.PARENTS: ("Meeting after the parents' day.", "Door-to-door visits in the tole.", ""),
    Audience.COMMUNITY: ("Street drama at the haat bazaar.", "Ward assembly, with the ward chair.", ""),
    Audience.MIGRANTS: ("Session at the labour desk.", "Orientation before the foreign employment fair.", ""),
    Audience.TRANSPORT_WORKERS: ("At the bus park, with the drivers' union.", "Leaflets for rickshaw pullers.", ""),
    Audience.HOTEL_OWNERS: ("Meeting of the hotel association.", ""),
    Audience.LOCAL_OFFICIALS: ("Orientation of the ward members.", ""),
}
_KINDS = {VigilanceKind.SUSPICIOUS_RECRUITER: 3, VigilanceKind.CHILD_TRAVEL: 3, VigilanceKind.FAKE_JOB: 3,
          VigilanceKind.MISSING_PERSON: 1, VigilanceKind.OTHER: 1}  # fmt: skip
_SEEN: dict[str, tuple[str, ...]] = {
    VigilanceKind.SUSPICIOUS_RECRUITER: (
        "A man from outside the ward asking families about their daughters' age and offering work in the city.",
        "An agent visiting houses in the evening, promising jobs in a carpet factory.",
    ),
    VigilanceKind.CHILD_TRAVEL: (
        "Two girls of about 15 taken towards the border by a man who said he was their uncle.",
        "A girl travelling alone at dawn to the bus park, saying she had a job in India.",
    ),
    VigilanceKind.FAKE_JOB: (
        "Posters on the tea shop offering hotel jobs abroad with no fee and no licence number.",
        "A social media group recruiting young women for 'dance jobs' in the Gulf.",
    ),
    VigilanceKind.MISSING_PERSON: (
        "Neighbours say a girl of the tole has not come home for a week; the family has not gone to the police.",
    ),
    VigilanceKind.OTHER: ("A new lodge near the border with girls coming and going at night.",),
}
_FOLLOW_UP = {FollowUp.POLICE: 3, FollowUp.BORDER_MONITORS: 3, FollowUp.FAMILY_COUNSELLED: 2, FollowUp.NONE: 1,
              FollowUp.OTHER: 1}  # fmt: skip
_FOLLOW_UP_NOTES: dict[str, str] = {
    FollowUp.POLICE: "Passed to the area police office by phone.",
    FollowUp.BORDER_MONITORS: "Description given to the border monitors at the crossing.",
    FollowUp.FAMILY_COUNSELLED: "Ward member and social mobiliser visited the family.",
    FollowUp.OTHER: "Raised in the ward committee meeting.",
    FollowUp.NONE: "",
}


@dataclass(frozen=True)
class SeedResult:
    activities: int = 0
    reports: int = 0

    def __str__(self) -> str:
        return f"{self.activities} awareness activities and {self.reports} vigilance reports"


def recorder_for(organisation: Organisation) -> User:
    """An active login of `organisation` whose role may record prevention work."""
    roles = [role.value for role in Role if Permission.PREVENTION_RECORD in ROLE_PERMISSIONS[role]]
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=roles, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__username")
        .first()
    )
    if membership is None:
        raise ValueError(f"{organisation.name_en} has no active login that may record prevention work.")
    return membership.user


def _places(organisation: Organisation, districts: Iterable[District], rng: random.Random) -> list[LocalLevel]:
    own = set(organisation.districts.values_list("pk", flat=True))
    usable = [d for d in districts if not own or d.pk in own]
    levels = list(LocalLevel.objects.filter(district__in=usable).order_by("district__name_en", "name_en", "pk"))
    mine = [level for level in levels if organisation.name_en.lower().startswith(level.name_en.lower() + " ")]
    if mine:
        return mine[:1]
    chosen: list[LocalLevel] = []
    for district in sorted(usable, key=lambda d: (d.name_en, d.pk)):
        in_district = [level for level in levels if level.district_id == district.pk]
        chosen += rng.sample(in_district, min(NGO_LOCAL_LEVELS, len(in_district)))
    return chosen


def _weighted(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def _days(year: int, month: int, count: int, rng: random.Random, today: dt.date) -> list[dt.date]:
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    days = sorted(dt.date(year, month, rng.randint(1, last)) for _ in range(count))
    return [day for day in days if day <= today]


def _ward(level: LocalLevel, rng: random.Random) -> int:
    return rng.randint(1, level.ward_count or DEFAULT_WARDS)


def _activity(level: LocalLevel, held_on: dt.date, rng: random.Random) -> dict:
    audience = _weighted(rng, {key: weight for key, (weight, _ranges) in _AUDIENCES.items()})
    ranges = _AUDIENCES[audience][1]
    female_young, female_adult, male_young, male_adult = (rng.randint(low, high) for low, high in ranges)
    others = [topic for topic in Topic.values if topic not in _TOPICS[audience] and topic != Topic.OTHER]
    topics = rng.sample(_TOPICS[audience], min(2, len(_TOPICS[audience]))) + rng.sample(others, rng.randint(0, 2))
    return {
        "held_on": held_on, "district": level.district, "local_level": level, "ward": _ward(level, rng),
        "audience": audience, "topics": topics,
        "female_under_18": female_young, "female_adult": female_adult, "male_under_18": male_young,
        "male_adult": male_adult, "other_under_18": 0, "other_adult": 1 if rng.random() < 0.1 else 0,
        "partners_other": rng.choice(_PARTNERS), "notes": rng.choice(_NOTES[audience]),
    }  # fmt: skip


def _report(level: LocalLevel, reported_on: dt.date, rng: random.Random) -> dict:
    kind = _weighted(rng, _KINDS)
    follow_up = _weighted(rng, _FOLLOW_UP)
    ward = _ward(level, rng)
    return {
        "reported_on": reported_on, "district": level.district, "local_level": level, "ward": ward,
        "reporter": f"Ward {ward} community vigilance committee", "kind": kind, "seen": rng.choice(_SEEN[kind]),
        "follow_up": follow_up, "follow_up_note": _FOLLOW_UP_NOTES[follow_up],
    }  # fmt: skip


def seed(*, organisation: Organisation, districts: Sequence[District], rng: random.Random, year: int) -> SeedResult:
    """Record a year of awareness activities and vigilance reports for `organisation` in the local levels of
    `districts` (see the module's docstring). Returns how many of each were recorded."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if (
        AwarenessActivity.objects.filter(organisation=organisation, held_on__range=(start, end)).exists()
        or VigilanceReport.objects.filter(organisation=organisation, reported_on__range=(start, end)).exists()
    ):
        return SeedResult()
    levels = _places(organisation, districts, rng)
    if not levels:
        return SeedResult()
    actor = recorder_for(organisation)
    partners = list(
        Organisation.objects.filter(is_active=True, country=organisation.country, districts__in=districts)
        .exclude(pk=organisation.pk)
        .distinct()
        .order_by("name_en", "pk")
    )
    today = timezone.localdate()
    activities = reports = 0
    with transaction.atomic():
        for month in range(1, 13):
            for held_on in _days(year, month, rng.randint(*ACTIVITIES_PER_MONTH), rng, today):
                values = _activity(rng.choice(levels), held_on, rng)
                values["partner_organisations"] = rng.sample(partners, min(len(partners), rng.choice((0, 0, 1, 2))))
                services.activity_record(actor=actor, organisation=organisation, **values)
                activities += 1
            for reported_on in _days(year, month, rng.randint(*REPORTS_PER_MONTH), rng, today):
                services.vigilance_report_record(actor=actor, organisation=organisation,
                                                 **_report(rng.choice(levels), reported_on, rng))  # fmt: skip
                reports += 1
    return SeedResult(activities=activities, reports=reports)
