"""Demo interceptions: a year of border monitoring at the node's demo crossing points.

What a node shows after seeding (reference/domain.md §2): 2,000 interceptions over the last twelve months,
spread over the node's crossing points with the busy ones busier and more in the wedding and migration
months; the people stopped (mostly girls and young women, about three in ten of them children) with their
companions (about half the records) and, for some, suspects with their HTCDS roles; red flags from the
checklist in use, scored by it; the monitor's certainty; calls to the families (seven records in ten); and
outcomes in the proportions the published figures suggest: most counselled and released or returned to their
family, about one in ten placed in a transit home, a couple of per cent referred to the police, each referral
opening a survivor's case; on the India side many Nepali girls are handed to the Nepal side. One man escorts
different girls through three crossing points and more over the year (and a woman recruiter through two), so
repeat detection and the hotspots' "suspects seen at more than one crossing point" have someone to show.

Where: the Nepal node's NGO (np_monitor) watches Rani, Kakarbhitta and Pashupatinagar, Maiti Nepal's eastern
points; police border posts (np_police) record at Birgunj and Belahiya. The India node's help desk
(in_monitor) watches Jogbani, Panitanki and Raxaul, and the AHTU (in_police) records at Jogbani. The monitors
are not posted at one station (Membership.border_point stays empty), so each sees her organisation's stations
and the repeat detection across them.

Volumes (§2.4): Maiti Nepal stopped 120 at Jogbani, 195 at Pashupatinagar and rescued 174 at Kakarbhitta in
six months of 2018; 3 Angels intercepted 1,085 at six stations in six months of 2020, 271 of them referred
to the police; KI Nepal registers some 20 cases a year from about 500 rescued; Maiti Nepal Bhairahawa
counselled 7,258 in 2023 besides 167 rescued. So a busy station records a few hundred interceptions a year,
counselling in the street aside: stations of 160 to 1,100 a year give the default.

How they are written. The services take 25–50 ms an interception (most of it `person_create`'s validation),
so 2,000 of them would double the demo's seeding time. A realistic share goes through the real services, as
the login who records at the station (`interception_record`, `family_call_record`, `interception_decide`):
every referral to the police (each opens a survivor's case through `interception_decide`), every stop of the
recurring suspects, and the last three days' records. The rest are written in bulk exactly as the services
would write them (the same person fields and search tokens, the same scoring with the checklist in use,
numbers from the same counter in date order), with one audit event for the lot, as an import of past records
would be. `created_at` of the records and of the people registered at them is set to the interception's
time, so lists sorted by registration read as a year of work.

Deterministic: a `random.Random` seeded with the node plans every record, dates counting back from `now`.
Idempotent: a node that already has interceptions gets none.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from setu.accounts.models import Organisation, User
from setu.audit.services import audit_record
from setu.core.ids import numbers_taken
from setu.geo.models import BorderPoint, District
from setu.interceptions import screening
from setu.interceptions.models import (
    CallVerdict,
    Companion,
    FamilyCall,
    InterceptedPerson,
    Interception,
    InterceptionCounter,
    NoticedBy,
    Outcome,
    Purpose,
    Transport,
    age_band,
)
from setu.interceptions.services import (
    InterceptionEntry,
    PersonEntry,
    checklist_current,
    family_call_record,
    interception_decide,
    interception_record,
    parsed,
)
from setu.people import rules
from setu.people.models import BirthPrecision, Person, PhoneNumber
from setu.people.services import index_names_bulk, refresh_name_fields
from setu.web.demo import agencies
from setu.web.demo.names import FEMALE, MALE, SyntheticPerson, generate_persons

DEFAULT_INTERCEPTIONS = 2000
WINDOW_DAYS = 365
RECENT_DAYS = 3  # the records of the last few days go through the services
MIN_REFERRALS = 10  # referrals to the police (each opens a case), at least, when there are enough records
NAMES_SEED = 7301  # another stream of synthetic people than the registered people's (names.DEFAULT_SEED)
SEED_ACTOR = "seed_demo"
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
M = dt.timedelta(minutes=1)


# --- where: the node's crossing points -------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A crossing point where one demo login records: its share of the node's interceptions, the names of the
    people on duty there (the record's "staff present"), and the bazaar towns either side, where people cross
    to shop."""

    station: str  # gazetteer English name
    weight: int
    recorder: str  # demo username
    staff: tuple[str, ...]
    indian_town: str
    nepali_town: str


POSTS: dict[str, tuple[Post, ...]] = {
    # The demo's NGO watches the three eastern crossings (§2.4 gives Maiti Nepal's figures for exactly these);
    # police border posts record at Birgunj and Belahiya.
    "NP": (
        Post("Rani", 40, "np_monitor", ("Sabina Rai", "Januka Khadka", "Sarita Karki"), "Jogbani", "Biratnagar"),
        Post("Kakarbhitta", 25, "np_monitor", ("Bimala Tamang", "Sunita Rajbanshi"), "Panitanki", "Kakarbhitta"),
        Post("Pashupatinagar", 15, "np_monitor", ("Pasang Sherpa", "Menuka Limbu"), "Mirik", "Pashupatinagar"),
        Post("Birgunj", 12, "np_police", ("ASI Rita Chaudhary", "HC Mohan Yadav"), "Raxaul", "Birgunj"),
        Post("Belahiya", 8, "np_police", ("ASI Gita Tharu", "HC Bishnu Pun"), "Sunauli", "Bhairahawa"),
    ),
    "IN": (
        Post("Jogbani", 45, "in_monitor", ("Rekha Kumari", "Shabnam Khatun", "Puja Kumari"), "Jogbani", "Biratnagar"),
        Post("Jogbani", 10, "in_police", ("SI Manoj Kumar Singh", "Constable Anita Kumari"), "Jogbani", "Biratnagar"),
        Post("Panitanki", 25, "in_monitor", ("Rinku Das", "Pema Lepcha"), "Panitanki", "Kakarbhitta"),
        Post("Raxaul", 20, "in_monitor", ("Sangita Devi", "Anwar Alam"), "Raxaul", "Birgunj"),
    ),
}

# Wedding seasons (Magh–Falgun, Baisakh–Jestha, Mangsir) and the migration after the festivals and the
# harvest are busier; the monsoon is quieter. By calendar month.
MONTH_WEIGHTS = {1: 11, 2: 12, 3: 10, 4: 11, 5: 12, 6: 9, 7: 7, 8: 7, 9: 8, 10: 10, 11: 13, 12: 12}
# Buses and rickshaws reach the border from early morning to the evening.
HOUR_WEIGHTS = {5: 1, 6: 3, 7: 6, 8: 8, 9: 9, 10: 9, 11: 8, 12: 6, 13: 6, 14: 7, 15: 7, 16: 6, 17: 5, 18: 4, 19: 2,
                20: 1}  # fmt: skip
# Of the people stopped at each node's stations, how many are nationals of the node (the rest of the other
# country: on the India side most of those stopped are Nepali girls coming in).
NATIONAL_SHARE = {"NP": 0.96, "IN": 0.35}

# Outcomes (domain.md §2.3) of the records decided, by whether the person stopped is a national of the node.
# Most are counselled and released or returned to their family, some placed in a transit home, a few per
# cent referred to the police; people of the other country are often handed to its side (SSB practice).
OUTCOME_WEIGHTS: dict[tuple[str, bool], dict[str, int]] = {
    ("NP", True): {Outcome.COUNSELLED: 625, Outcome.RETURNED: 245, Outcome.TRANSIT_HOME: 115, Outcome.POLICE: 15},
    ("NP", False): {Outcome.COUNSELLED: 40, Outcome.RETURNED: 10, Outcome.OTHER_SIDE: 45, Outcome.POLICE: 5},
    ("IN", True): {Outcome.COUNSELLED: 615, Outcome.RETURNED: 255, Outcome.TRANSIT_HOME: 110, Outcome.POLICE: 20},
    ("IN", False): {Outcome.COUNSELLED: 430, Outcome.RETURNED: 100, Outcome.TRANSIT_HOME: 90, Outcome.POLICE: 20,
                    Outcome.OTHER_SIDE: 360},
}  # fmt: skip
OPEN_SHARE = 0.008  # the last day or two: still being worked on

# How risky the records of each outcome looked (the checklist's bands: low < 40 <= medium < 80 <= high).
LEVELS: dict[str, dict[str, int]] = {
    Outcome.OPEN: {"low": 40, "medium": 40, "high": 20},
    Outcome.COUNSELLED: {"low": 75, "medium": 25},
    Outcome.RETURNED: {"low": 30, "medium": 55, "high": 15},
    Outcome.TRANSIT_HOME: {"medium": 45, "high": 55},
    Outcome.POLICE: {"medium": 10, "high": 90},
    Outcome.OTHER_SIDE: {"low": 30, "medium": 50, "high": 20},
}
BANDS = {"low": (0, 39), "medium": (40, 79), "high": (80, 400)}
CERTAINTY = {"low": (None, 1, 1, 2, 2), "medium": (None, 2, 3, 3, 3), "high": (3, 4, 4, 5, 5)}


# --- what: the stories travellers tell -------------------------------------------------------------------


@dataclass(frozen=True)
class Trip:
    purpose: str
    words: str  # the purpose in her words; "{market}" is the bazaar town of the other country at the post
    destination: str
    onward: str = ""  # a third country


@dataclass(frozen=True)
class Story:
    key: str
    trips: tuple[Trip, ...]
    light: tuple[str, ...]  # flags that often come with the story
    serious: tuple[str, ...]  # flags that make it medium or high risk
    with_companion: float
    claims: tuple[str, ...]  # who the companion says he or she is
    roles: tuple[str, ...]  # HTCDS roles of a suspect


def _trips(purpose: str, *pairs: tuple[str, ...]) -> tuple[Trip, ...]:
    return tuple(Trip(purpose, *pair) for pair in pairs)


STORIES: dict[str, Story] = {
    story.key: story
    for story in (
        Story("job",
              _trips(Purpose.WORK, ("a job in a garment factory in Delhi", "Delhi"),
                     ("a hotel job in Mumbai", "Mumbai"), ("housework for a family in Delhi", "Delhi"),
                     ("a job in a noodle factory in Bengaluru", "Bengaluru"),
                     ("work in a beauty parlour in Siliguri", "Siliguri"),
                     ("a job in a spinning mill in Ludhiana", "Ludhiana"), ("a restaurant job in Kolkata", "Kolkata")),
              ("first_time_travelling", "job_unconfirmed", "no_job_address", "destination_unknown", "one_way_ticket",
               "no_luggage"),
              ("family_unaware", "companion_met_recently", "unregistered_agent", "pay_too_high", "caught_in_lie",
               "not_real_job", "isolation", "owes_debt"),
              0.55, ("uncle", "cousin brother", "the employer's man", "a neighbour from the village", "aunt"),
              ("RecruiterOrIntermediary", "TravellingPartner", "Transporter")),
        Story("gulf",
              _trips(Purpose.WORK, ("domestic work in Kuwait", "New Delhi (airport)", "KW"),
                     ("a cleaner's job in Dubai", "Mumbai (airport)", "AE"),
                     ("a factory job in Malaysia", "New Delhi (airport)", "MY"),
                     ("a job in a hospital kitchen in Riyadh", "Lucknow (airport)", "SA"),
                     ("housework for a family in Muscat", "New Delhi (airport)", "OM"),
                     ("a hotel job in Doha", "Mumbai (airport)", "QA")),
              ("third_country", "unregistered_agent", "one_way_ticket", "job_unconfirmed"),
              ("documents_with_broker", "visa_misuse", "forged_documents", "owes_debt", "pay_too_high",
               "family_unaware", "caught_in_lie"),
              0.6, ("the agent's brother", "uncle", "a friend who works there", "the manpower company's man"),
              ("BrokerTravelAgent", "RecruiterOrIntermediary", "Smuggler")),
        Story("marriage",
              _trips(Purpose.MARRIAGE, ("to marry a man she met on Facebook", "Rohtak, Haryana"),
                     ("to go to her husband's home after the wedding", "Meerut, Uttar Pradesh"),
                     ("to meet the family of the boy she will marry", "Hisar, Haryana"),
                     ("to marry a man her aunt found for her", "Alwar, Rajasthan")),
              ("met_online", "first_time_travelling", "married_two_months"),
              ("family_unaware", "married_two_weeks", "companion_met_recently", "caught_in_lie", "refuses_family_info",
               "nervous"),
              0.8, ("husband", "fiancé", "husband's brother"), ("TravellingPartner", "Transporter")),
        Story("relatives",
              _trips(Purpose.RELATIVES, ("to visit her sister in Siliguri", "Siliguri"),
                     ("to her aunt's wedding in Purnia", "Purnia"), ("to her uncle's house in Patna", "Patna"),
                     ("to see her father, who works in Delhi", "Delhi")),
              ("first_time_travelling", "no_id", "one_way_ticket"),
              ("family_unaware", "caught_in_lie", "companion_met_recently"),
              0.35, ("mother", "sister", "uncle", "brother-in-law"), ("TravellingPartner",)),
        Story("market",
              (Trip(Purpose.SHOPPING, "shopping at the bazaar in {market}", "{market}"),
               Trip(Purpose.SHOPPING, "buying clothes for a wedding in {market}", "{market}"),
               Trip(Purpose.MEDICAL, "to the hospital in Purnia", "Purnia"),
               Trip(Purpose.PILGRIMAGE, "to the temples in Varanasi", "Varanasi"),
               Trip(Purpose.STUDY, "an entrance exam in Siliguri", "Siliguri")),
              ("no_id", "walking_to_border"),
              ("caught_in_lie", "family_unaware"),
              0.45, ("mother", "sister", "a friend from school", "brother"), ("TravellingPartner",)),
        Story("orchestra",
              _trips(Purpose.WORK, ("dancing in an orchestra troupe in Bihar", "Forbesganj"),
                     ("singing at weddings with a music group", "Purnia"),
                     ("a dancer's job with a troupe in Katihar", "Katihar")),
              ("pay_too_high", "job_unconfirmed", "first_time_travelling"),
              ("not_real_job", "isolation", "threats", "appears_drugged", "owes_debt", "family_unaware", "nervous"),
              0.85, ("the troupe's manager", "uncle", "a friend"),
              ("RecruiterOrIntermediary", "Exploiter", "ControlledIndividual")),
    )
}  # fmt: skip
STORY_WEIGHTS: dict[str, dict[str, int]] = {
    Outcome.OPEN: {"job": 35, "marriage": 20, "relatives": 20, "market": 10, "gulf": 10, "orchestra": 5},
    Outcome.COUNSELLED: {"relatives": 30, "market": 25, "job": 25, "marriage": 10, "gulf": 10},
    Outcome.RETURNED: {"job": 35, "marriage": 30, "relatives": 20, "gulf": 10, "orchestra": 5},
    Outcome.TRANSIT_HOME: {"job": 35, "marriage": 25, "orchestra": 20, "gulf": 20},
    Outcome.POLICE: {"job": 30, "orchestra": 30, "gulf": 25, "marriage": 15},
    Outcome.OTHER_SIDE: {"job": 40, "relatives": 30, "marriage": 20, "gulf": 10},
}
CALL_SHARE: dict[str, float] = {Outcome.OPEN: 0.6, Outcome.COUNSELLED: 0.55, Outcome.TRANSIT_HOME: 0.9,
                                Outcome.POLICE: 0.85, Outcome.OTHER_SIDE: 0.7}  # fmt: skip  # returned: always
VERDICTS: dict[str, dict[str, int]] = {
    Outcome.OPEN: {CallVerdict.UNREACHABLE: 5, CallVerdict.NOT_VERIFIED: 3, CallVerdict.CONTRADICTED: 2},
    Outcome.COUNSELLED: {CallVerdict.VERIFIED: 80, CallVerdict.UNREACHABLE: 10, CallVerdict.NOT_VERIFIED: 10},
    Outcome.RETURNED: {
        CallVerdict.CONTRADICTED: 65,
        CallVerdict.VERIFIED: 10,
        CallVerdict.NOT_VERIFIED: 10,
        CallVerdict.UNREACHABLE: 15,
    },
    Outcome.TRANSIT_HOME: {CallVerdict.CONTRADICTED: 40, CallVerdict.UNREACHABLE: 35, CallVerdict.NOT_VERIFIED: 25},
    Outcome.POLICE: {CallVerdict.CONTRADICTED: 50, CallVerdict.UNREACHABLE: 30, CallVerdict.NOT_VERIFIED: 20},
    Outcome.OTHER_SIDE: {CallVerdict.VERIFIED: 30, CallVerdict.CONTRADICTED: 30, CallVerdict.UNREACHABLE: 40},
}
SAID: dict[str, tuple[str, ...]] = {
    CallVerdict.VERIFIED: ("Her mother knows she is going and who she travels with.",
                           "The family confirmed the trip and the address where she will stay.",
                           "Her father sent her; he gave the name and phone of the relative she is going to."),
    CallVerdict.NOT_VERIFIED: ("The person who answered knew her but not where she was going.",
                               "A neighbour answered; the family is away in the fields."),
    CallVerdict.CONTRADICTED: ("Her mother did not know she had left; she asked us to keep her until they come.",
                               "The family said she told them she was going to her aunt's in the next village.",
                               "Her father does not know the man she travels with and wants her home."),
    CallVerdict.UNREACHABLE: ("", "Switched off.", "Rang three times, no answer."),
}  # fmt: skip
DESCRIPTIONS = ("About 30, thin, black jacket, red cap", "About 25, tall, jeans and a checked shirt, earphones",
                "About 40, moustache, white kurta, carries two phones", "About 35, heavy build, leather jacket",
                "About 45, woman, green sari, gold nose ring", "About 28, shaved head, football shirt")  # fmt: skip
HOTLINES = {"NP": "1145, 1098", "IN": "181, 1098"}  # women's and children's helplines of each country
RETURNED_NOTES = (
    "Her father came to the post and took her home.",
    "Her brother came from {home} the next morning; she stayed at the post overnight.",
    "Sent home on the evening bus with the family's agreement; the family met her at the bus park.",
)
OTHER_SIDE_NOTES = {
    "NP": "Handed to the SSB and the anti-trafficking help desk at {indian_town} with a memo, to go home.",
    "IN": "Handed to the Nepali NGO's post at {nepali_town} with a memo (SSB practice).",
}
# Where a transit-home placement goes (a demo organisation; on the India side an adult woman goes to the One
# Stop Centre, which is not a demo organisation), and the police a referral goes to.
TRANSIT_HOME = {"NP": "np_maiti", "IN": "in_home"}
ADULT_SHELTER_NOTE = {"IN": "Placed in the district's One Stop Centre (Sakhi) until her family comes."}
POLICE = {"NP": "np_htib", "IN": "in_ahtu"}
STOPPED_AGAIN = 0.03  # of the people stopped, how many are stopped again later in the year
KATHMANDU_JOBS = ("a hotel job in Kathmandu", "work in a dance restaurant in Kathmandu",
                  "a job in a carpet factory in Kathmandu")  # fmt: skip
KIN = ("uncle", "aunt", "cousin brother", "brother", "sister")  # relatives who would carry her family name
VEHICLES = {
    "NP": ("Night bus from Kathmandu, Ba 3 Kha {n}", "Microbus from Itahari, Ko 1 Ja {n}", "Bus, Me 1 Kha {n}",
           "Motorbike, Ko 28 Pa {n}", "Jeep from Dharan, Ko 2 Ja {n}"),
    "IN": ("Bus from Siliguri, WB 73 {n}", "Auto-rickshaw, BR 38 R {n}", "Jeep, BR 05 P {n}",
           "Motorbike, BR 38 K {n}", "Forbesganj bus, BR 38 A {n}"),
}  # fmt: skip
TRANSPORT_WEIGHTS = {Transport.BUS: 40, Transport.RICKSHAW: 20, Transport.WALKING: 15, Transport.MICROBUS: 12,
                     Transport.MOTORBIKE: 6, Transport.CAR: 4, Transport.TRAIN: 3}  # fmt: skip
NOTICED_WEIGHTS = {NoticedBy.STAFF: 75, NoticedBy.POLICE: 12, NoticedBy.FAMILY: 5, NoticedBy.PUBLIC: 5,
                   NoticedBy.SELF: 3}  # fmt: skip


# --- the recurring suspects -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sighting:
    days_ago: int
    station: str
    recorder: str
    girls: tuple[int, ...]  # their ages
    claim: str
    story: str
    outcome: str
    extra_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recurring:
    """Someone who travels with different people over the year: one person record, seen at several posts."""

    name: str  # as the desk first wrote it
    surname: str  # in Latin letters
    sex: str
    age: int
    nationality: str
    home_district: str
    description: str
    roles: tuple[str, ...]
    sightings: tuple[Sighting, ...]


RECURRING: dict[str, tuple[Recurring, ...]] = {
    "NP": (
        Recurring("दीपक थापा", "Thapa", MALE, 34, "NP", "Sindhupalchok",
                  "About 34, thin moustache, red cap, says he works for a hotel in Delhi",
                  ("RecruiterOrIntermediary", "TravellingPartner"), (
                      Sighting(330, "Kakarbhitta", "np_monitor", (16, 17), "uncle", "job", Outcome.RETURNED),
                      Sighting(240, "Pashupatinagar", "np_monitor", (15,), "cousin brother", "job",
                               Outcome.TRANSIT_HOME),
                      Sighting(180, "Rani", "np_monitor", (19,), "husband", "marriage", Outcome.RETURNED,
                               ("caught_in_lie",)),
                      Sighting(120, "Birgunj", "np_police", (17, 18), "uncle", "job", Outcome.TRANSIT_HOME),
                      Sighting(21, "Rani", "np_monitor", (16,), "uncle", "job", Outcome.POLICE,
                               ("known_trafficker", "caught_in_lie")),
                  )),
        Recurring("कमला गुरुङ", "Gurung", FEMALE, 42, "NP", "Makwanpur", "About 42, woman, green sari, gold nose ring",
                  ("RecruiterOrIntermediary",), (
                      Sighting(270, "Rani", "np_monitor", (18,), "aunt", "gulf", Outcome.COUNSELLED),
                      Sighting(60, "Kakarbhitta", "np_monitor", (17,), "aunt", "gulf", Outcome.TRANSIT_HOME),
                  )),
    ),
    "IN": (
        Recurring("Mohammad Salim", "Salim", MALE, 38, "IN", "Araria",
                  "About 38, beard, white kurta, carries two phones, says he runs an orchestra troupe",
                  ("RecruiterOrIntermediary", "Transporter"), (
                      Sighting(300, "Jogbani", "in_monitor", (17,), "the troupe's manager", "orchestra",
                               Outcome.OTHER_SIDE),
                      Sighting(210, "Panitanki", "in_monitor", (16, 18), "uncle", "orchestra", Outcome.TRANSIT_HOME),
                      Sighting(150, "Raxaul", "in_monitor", (15,), "the troupe's manager", "orchestra",
                               Outcome.OTHER_SIDE),
                      Sighting(45, "Jogbani", "in_police", (17,), "uncle", "orchestra", Outcome.POLICE,
                               ("known_trafficker",)),
                  )),
        Recurring("Sunita Devi", "Devi", FEMALE, 40, "IN", "Kishanganj", "About 40, woman, blue sari, many bangles",
                  ("BrokerTravelAgent",), (
                      Sighting(250, "Jogbani", "in_monitor", (19,), "aunt", "gulf", Outcome.COUNSELLED),
                      Sighting(80, "Raxaul", "in_monitor", (18,), "aunt", "gulf", Outcome.TRANSIT_HOME),
                  )),
    ),
}  # fmt: skip


# --- the plan ----------------------------------------------------------------------------------------------


@dataclass
class Traveller:
    """A person stopped or a companion: a synthetic person as the desk writes her, or a recurring suspect."""

    key: str  # synthetic ref, or "recurring:<name>"
    full_name: str
    sex: str
    age: int
    nationality: str
    home_district: str
    phone: str = ""
    family: str = ""  # the family name as written
    surname: str = ""  # in Latin letters, to compare with a companion's whatever the script of the record
    devanagari: bool = False  # the record's script
    father: str = ""
    mother: str = ""
    # a person stopped
    relationship: str = ""
    # a companion
    is_suspect: bool = False
    roles: tuple[str, ...] = ()
    claim: str = ""
    description: str = ""


@dataclass
class Call:
    at: dt.datetime
    name: str
    relation: str
    phone: str
    said: str
    verdict: str


@dataclass
class Plan:
    post: Post
    at: dt.datetime
    outcome: str
    story: Story
    persons: list[Traveller]
    companions: list[Traveller] = field(default_factory=list)
    purpose: str = ""
    purpose_detail: str = ""
    destination: str = ""
    destination_country: str = ""
    onward_country: str = ""
    coming_from: str = ""
    transport: str = ""
    vehicle: str = ""
    noticed_by: str = NoticedBy.STAFF
    documents: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    certainty: int | None = None
    staff_names: str = ""
    calls: list[Call] = field(default_factory=list)
    outcome_at: dt.datetime | None = None
    outcome_note: str = ""
    handed_to: str = ""  # a demo organisation's key
    via_services: bool = False


def _family_phone(rng: random.Random, person: Traveller) -> str:
    """A synthetic number in the blocks names.py uses (full of zeros: never a real subscriber's)."""
    if person.nationality == "NP":
        return f"+97798000{rng.randrange(10_000, 100_000)}"
    return f"+917000{rng.randrange(100_000, 1_000_000)}"


def _weighted(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def _allocate(count: int, weights: dict[str, int]) -> dict[str, int]:
    """`count` split in proportion to `weights` (largest remainder)."""
    total = sum(weights.values())
    quotas = {key: count * weight / total for key, weight in weights.items()}
    counts = {key: int(quota) for key, quota in quotas.items()}
    for key in sorted(quotas, key=lambda k: counts[k] - quotas[k])[: count - sum(counts.values())]:
        counts[key] += 1
    return counts


class _People:
    """Synthetic people to stop and to travel with them, drawn without repeats, by sex and nationality."""

    def __init__(self, node: str, count: int, rng: random.Random) -> None:
        self.node, self.rng = node, rng
        self.pools: dict[tuple[str, str], list[SyntheticPerson]] = defaultdict(list)
        # Enough of each nationality for the node's mix; men (a fifth of the generator's people) run out first.
        sizes = {"NP": count * 3, "IN": count // 3} if node == "NP" else {"NP": count * 2, "IN": count * 2}
        for source, size in sizes.items():
            for person in generate_persons(source, size + 100, seed=NAMES_SEED):
                if person.nationality == source:
                    self.pools[(person.nationality, person.sex)].append(person)
        for pool in self.pools.values():
            rng.shuffle(pool)
        # The few who will be stopped again later, by the login who recorded them (who can find her record).
        self.stopped: dict[str, list[Traveller]] = defaultdict(list)

    def take(self, nationality: str, sex: str) -> SyntheticPerson:
        pool = self.pools[(nationality, sex)]
        if not pool:  # a tiny demo that ran out: reuse from the other nationality
            pool = self.pools[("IN" if nationality == "NP" else "NP", sex)]
        return pool.pop()

    def traveller(self, person: SyntheticPerson, age: int | None = None, *, like: Traveller | None = None) -> Traveller:
        """`person` as the desk of this node writes her: mostly in Devanagari on the Nepal node, mostly in Latin
        letters on the India node (as seed.py writes the registered people); in the script of `like`, the
        first person of the record, when given."""
        number = int(person.ref.rsplit("-", 1)[1])
        devanagari = number % 10 < (7 if self.node == "NP" else 4) if like is None else like.devanagari
        devanagari = devanagari and bool(person.given_name.devanagari)
        script = "devanagari" if devanagari else "latin"
        given, family = getattr(person.given_name, script), getattr(person.family_name, script)
        return Traveller(key=person.ref, full_name=f"{given} {family}".strip(), sex=person.sex,
                         age=person.age if age is None else age, nationality=person.nationality,
                         home_district=person.home_district, phone=person.phone, family=family,
                         surname=person.family_name.latin, devanagari=devanagari,
                         father=getattr(person.father_name, script),
                         mother=getattr(person.mother_name, script))  # fmt: skip

    def relative(self, person: SyntheticPerson, of: Traveller, claim: str, age: int) -> Traveller:
        """`person` made a relative of `of`: her family name, written in the script of her record (a mother
        is her mother, by the name she gave)."""
        traveller = self.traveller(person, age=age)
        if claim == "mother" and of.mother:
            given = of.mother
        else:
            given = getattr(person.given_name, "devanagari" if of.devanagari else "latin") or person.given_name.latin
        traveller.full_name, traveller.family, traveller.surname = f"{given} {of.family}".strip(), of.family, of.surname
        traveller.home_district, traveller.devanagari = of.home_district, of.devanagari
        return traveller


class _Planner:
    def __init__(self, node: str, count: int, now: dt.datetime) -> None:
        self.node, self.count, self.now = node, count, now
        self.rng = random.Random(f"setu-demo-interceptions-{node}")  # noqa: S311 - reproducible demo data
        self.people = _People(node, count, self.rng)
        self.posts = POSTS[node]

    # --- when ---
    def _day_weights(self) -> list[tuple[int, int]]:
        today = timezone.localdate(self.now)
        return [(days, MONTH_WEIGHTS[(today - days * D).month]) for days in range(WINDOW_DAYS)]

    def _moment(self, days_ago: int) -> dt.datetime:
        day = timezone.localdate(self.now) - days_ago * D
        hour = int(_weighted(self.rng, {str(h): w for h, w in HOUR_WEIGHTS.items()}))
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60))))
        if at > self.now - 8 * H:  # today's: early enough for its calls and decision to be over by now
            at = self.now - self.rng.uniform(8, 20) * H
        return at

    # --- the whole year ---
    def plans(self) -> list[Plan]:
        plans = self._recurring()[: self.count]
        rest = self.count - len(plans)
        by_post = _allocate(rest, {str(i): post.weight for i, post in enumerate(self.posts)})
        days = self._day_weights()
        moments = []
        for index, post in enumerate(self.posts):
            picks = self.rng.choices([d for d, _w in days], weights=[w for _d, w in days], k=by_post[str(index)])
            moments += [(self._moment(d), post) for d in picks]
        moments.sort(key=lambda item: item[0])
        outcomes = self._outcomes(len(moments))
        for (at, post), (national, outcome) in zip(moments, outcomes, strict=True):
            plans.append(self._plan(post, at, outcome, national))
        plans.sort(key=lambda p: p.at)
        recent = self.now - RECENT_DAYS * D
        for plan in plans:
            plan.via_services = plan.via_services or plan.outcome == Outcome.POLICE or plan.at >= recent
        return plans

    def _outcomes(self, count: int) -> list[tuple[bool, str]]:
        """(national, outcome) for `count` records in date order: the newest few still open, and among the
        rest the shares of OUTCOME_WEIGHTS, with at least MIN_REFERRALS referrals when there is room."""
        opened = min(count, max(1, round(count * OPEN_SHARE))) if count else 0
        decided = count - opened
        nationals = round(decided * NATIONAL_SHARE[self.node])
        counts: dict[tuple[bool, str], int] = {}
        for national, size in ((True, nationals), (False, decided - nationals)):
            for outcome, n in _allocate(size, OUTCOME_WEIGHTS[(self.node, national)]).items():
                counts[(national, outcome)] = n
        police = counts[(True, Outcome.POLICE)] + counts.get((False, Outcome.POLICE), 0)
        missing = min(MIN_REFERRALS - police, counts[(True, Outcome.COUNSELLED)] - 1, decided // 8)
        if missing > 0:
            counts[(True, Outcome.POLICE)] += missing
            counts[(True, Outcome.COUNSELLED)] -= missing
        decided_list = [key for key, n in counts.items() for _ in range(n)]
        self.rng.shuffle(decided_list)
        newest = [(self.rng.random() < NATIONAL_SHARE[self.node], Outcome.OPEN) for _ in range(opened)]
        return decided_list + newest

    # --- one record ---
    def _plan(self, post: Post, at: dt.datetime, outcome: str, national: bool) -> Plan:
        rng = self.rng
        story = STORIES[_weighted(rng, STORY_WEIGHTS[outcome])]
        nationality = self.node if national else ("IN" if self.node == "NP" else "NP")
        groups = [65, 25, 10] if story.key in ("job", "orchestra") else [80, 16, 4]
        size = rng.choices([1, 2, 3], weights=groups)[0]
        persons = []
        before = self.people.stopped[post.recorder]
        if before and rng.random() < STOPPED_AGAIN:  # stopped before, and on her way again
            persons.append(replace(before.pop(0), relationship=""))
            size -= 1
        for _ in range(size):  # boys and young men are stopped too, on their way to work
            sex = MALE if story.key in ("job", "gulf") and rng.random() < 0.08 else FEMALE
            like = persons[0] if persons else None
            persons.append(self.people.traveller(self.people.take(nationality, sex), like=like))
        plan = Plan(post=post, at=at, outcome=outcome, story=story, persons=persons)
        if rng.random() < story.with_companion:
            plan.companions.append(self._companion(story, nationality, outcome, persons[0]))
        self._fill(plan, _weighted(rng, LEVELS[outcome]))
        if rng.random() < STOPPED_AGAIN:
            self.people.stopped[post.recorder].append(persons[-1])
        return plan

    def _companion(self, story: Story, nationality: str, outcome: str, girl: Traveller) -> Traveller:
        """Who travels with her, and what he (or she) says he is: most who say they are family are, and
        carry her family name; fewer among those whose travellers end in a transit home or with the police."""
        rng = self.rng
        claim = rng.choice(story.claims)
        female = claim in ("mother", "sister", "aunt") or (
            claim not in ("husband", "fiancé", "brother", "husband's brother") and rng.random() < 0.2
        )
        age = rng.randint(30, 50) if claim in ("mother", "aunt", "uncle") else rng.randint(19, 45)
        family = (claim == "mother" or claim in KIN and nationality == "NP") and girl.nationality == nationality
        family = family and rng.random() < (0.25 if outcome in (Outcome.POLICE, Outcome.TRANSIT_HOME) else 0.8)
        for _attempt in range(5):  # her sister is not her namesake
            person = self.people.take(nationality, FEMALE if female else MALE)
            companion = (self.people.relative(person, girl, claim, age) if family
                         else self.people.traveller(person, age, like=girl))  # fmt: skip
            if companion.full_name != girl.full_name:
                break
        companion.claim = claim
        companion.description = rng.choice(DESCRIPTIONS) if rng.random() < 0.6 else ""
        return companion

    def _fill(self, plan: Plan, level: str) -> None:
        """The rest of the record: purpose, route, documents, flags to the level, calls and the outcome."""
        rng, story, first = self.rng, plan.story, plan.persons[0]
        plan.staff_names = ", ".join(rng.sample(plan.post.staff, 2))
        trip = rng.choice(story.trips)
        plan.purpose, plan.onward_country = trip.purpose, trip.onward
        market = plan.post.nepali_town if first.nationality == "IN" else plan.post.indian_town
        plan.purpose_detail = trip.words.format(market=market)
        plan.destination = trip.destination.format(market=market)
        plan.destination_country = "IN"
        # Indian nationals at the border are mostly going into Nepal: to its bazaars, to Kathmandu for work or
        # for its airport; Nepali nationals into India.
        if first.nationality == "IN" and story.key in ("job", "gulf", "market"):
            plan.destination_country = "NP"
            if story.key == "gulf":
                plan.destination = "Kathmandu (airport)"
            elif story.key == "job":
                plan.purpose_detail, plan.destination = rng.choice(KATHMANDU_JOBS), "Kathmandu"
        plan.coming_from = first.home_district
        plan.transport = _weighted(rng, TRANSPORT_WEIGHTS)
        motor = (Transport.BUS, Transport.MICROBUS, Transport.MOTORBIKE, Transport.CAR)
        if plan.transport in motor and rng.random() < 0.5:
            plan.vehicle = rng.choice(VEHICLES[self.node]).format(n=rng.randint(1000, 9999))
        plan.noticed_by = _weighted(rng, NOTICED_WEIGHTS)
        plan.documents = self._documents(first, story)
        plan.flags = self._flags(plan, level)
        if "walking_to_border" in plan.flags:
            plan.transport, plan.vehicle = Transport.WALKING, ""
        plan.certainty = rng.choice(CERTAINTY[level])
        if plan.outcome == Outcome.POLICE and (plan.certainty or 0) < 4:
            plan.certainty = rng.choice((4, 5))
        self._relationships(plan)
        self._calls(plan)
        self._outcome(plan)

    def _documents(self, person: Traveller, story: Story) -> list[str]:
        rng = self.rng
        if story.key == "gulf":
            return ["passport"] + (["citizenship"] if person.nationality == "NP" and rng.random() < 0.5 else [])
        minor = person.age < 18
        if person.nationality == "NP":
            weights = ({"birth_certificate": 35, "school_id": 35, "none": 30} if minor
                       else {"citizenship": 65, "voter_id": 15, "none": 15, "passport": 5})  # fmt: skip
        else:
            weights = ({"aadhaar": 50, "school_id": 20, "none": 30} if minor
                       else {"aadhaar": 65, "voter_id": 20, "none": 15})  # fmt: skip
        return [_weighted(rng, weights)]

    def _flags(self, plan: Plan, level: str) -> list[str]:
        """Flags that follow from who she is and whom she travels with, then the story's, to the level."""
        rng, story, first = self.rng, plan.story, plan.persons[0]
        weights = parsed_checklist_weights()
        flags: list[str] = []
        companion = plan.companions[0] if plan.companions else None
        guardian = companion is not None and companion.claim in ("mother", "father")
        if first.age < 18 and not guardian:
            flags.append("minor_without_guardian")
        if first.age <= 14:
            flags.append("very_young")
        if plan.documents == ["none"]:
            flags.append("no_id")
        if not first.phone and rng.random() < 0.5:
            flags.append("no_phone")
        if companion and companion.claim in KIN and companion.surname != first.surname:
            flags.append("different_surname")
        if first.age < 18 and plan.purpose == Purpose.WORK:
            flags.append("minor_recruited_for_work")
        if plan.onward_country:
            flags.append("third_country")
        flags += rng.sample(story.light, rng.randint(0, min(2, len(story.light))))
        if level != "low" and story.key != "market" and rng.random() < 0.7:
            flags.append("family_unaware")  # the commonest serious flag (IRF weight 45)
        flags = list(dict.fromkeys(flags))
        low, high = BANDS[level]
        serious = [f for f in story.serious if f not in flags]
        rng.shuffle(serious)
        while sum(weights[f] for f in flags) < low and serious:
            flags.append(serious.pop())
        removable = [f for f in flags if f in story.light or f in story.serious or f == "family_unaware"]
        while sum(weights[f] for f in flags) > high and removable:
            flags.remove(max(removable, key=weights.__getitem__))
            removable = [f for f in flags if f in removable]
        return flags

    def _relationships(self, plan: Plan) -> None:
        """Whether the companion is a suspect, and what each person stopped says the companion is to her."""
        rng = self.rng
        companion = plan.companions[0] if plan.companions else None
        if companion is not None:
            points = sum(parsed_checklist_weights()[flag] for flag in plan.flags)
            by_outcome: dict[str, float] = {Outcome.POLICE: 0.95, Outcome.TRANSIT_HOME: 0.6}
            if rng.random() < by_outcome.get(plan.outcome, 0.02 if points < 40 else 0.25):
                companion.is_suspect = True
                companion.roles = tuple(rng.sample(plan.story.roles, rng.randint(1, min(2, len(plan.story.roles)))))
        group = rng.choice(("friends from the same village", "friends from school", "cousins"))
        for person in plan.persons:
            if companion is not None:
                he = "he" if companion.sex == MALE else "she"
                her = "his" if person.sex == MALE else "her"
                claim = companion.claim
                person.relationship = f"says {he} is {claim}" if claim.startswith(("the ", "a ")) else (
                    f"says {he} is {her} {claim}")  # fmt: skip
            elif len(plan.persons) > 1:
                person.relationship = group

    def _calls(self, plan: Plan) -> None:
        rng = self.rng
        if plan.outcome == Outcome.RETURNED and "refuses_family_info" in plan.flags:
            plan.flags.remove("refuses_family_info")  # her family was found: she gave their number after all
        returned = plan.outcome == Outcome.RETURNED
        if not returned and (rng.random() >= CALL_SHARE[plan.outcome] or "refuses_family_info" in plan.flags):
            return
        first = plan.persons[0]
        at = plan.at + rng.uniform(15, 90) * M
        calls = 2 if rng.random() < 0.3 else 1
        for attempt in range(calls):
            # Mostly the mother first; a second call goes to the other parent.
            mother = plan.calls[0].relation != "mother" if plan.calls else rng.random() < 0.65 or not first.father
            verdict = _weighted(rng, VERDICTS[plan.outcome])
            if attempt + 1 < calls:
                verdict = CallVerdict.UNREACHABLE  # no answer at first; the other parent answered later
            plan.calls.append(Call(at=at, name=(first.mother if mother else first.father) or first.surname,
                                   relation="mother" if mother else "father", phone=_family_phone(rng, first),
                                   said=rng.choice(SAID[verdict]), verdict=verdict))  # fmt: skip
            at += rng.uniform(10, 60) * M

    def _outcome(self, plan: Plan) -> None:
        rng = self.rng
        if plan.outcome == Outcome.OPEN:
            return
        last = plan.calls[-1].at if plan.calls else plan.at
        hours = (1, 4) if plan.outcome in (Outcome.COUNSELLED, Outcome.OTHER_SIDE) else (2, 10)
        plan.outcome_at = min(last + rng.uniform(*hours) * H, self.now - M)
        first = plan.persons[0]
        plan.outcome_note = self._note(plan)
        if plan.outcome == Outcome.POLICE:
            plan.handed_to = POLICE[self.node]
        elif plan.outcome == Outcome.TRANSIT_HOME and (first.age < 18 or self.node not in ADULT_SHELTER_NOTE):
            plan.handed_to = TRANSIT_HOME[self.node]
        elif plan.outcome == Outcome.TRANSIT_HOME:
            plan.outcome_note = ADULT_SHELTER_NOTE[self.node]

    def _note(self, plan: Plan) -> str:
        """The outcome note, in keeping with what the record holds."""
        rng, first = self.rng, plan.persons[0]
        reached = [call for call in plan.calls if call.verdict != CallVerdict.UNREACHABLE]
        if plan.outcome == Outcome.OTHER_SIDE:
            return OTHER_SIDE_NOTES[self.node].format(indian_town=plan.post.indian_town,
                                                      nepali_town=plan.post.nepali_town)  # fmt: skip
        if plan.outcome == Outcome.RETURNED:
            return rng.choice(RETURNED_NOTES).format(home=first.home_district)
        if plan.outcome == Outcome.TRANSIT_HOME:
            return "Placed in the transit home until her family comes." if reached else (
                "Placed in the transit home: her family could not be reached yet.")  # fmt: skip
        if plan.outcome == Outcome.POLICE:
            if "not_real_job" in plan.flags:
                return "Referred to the police: the job she was promised does not exist; a case was opened."
            if plan.companions:
                return "Referred to the police with her companion; a case was opened."
            return "Referred to the police; a case was opened."
        if any(call.verdict == CallVerdict.VERIFIED for call in plan.calls):
            return "Counselled on the risks and the helplines; her family confirmed the trip."
        if rng.random() < 0.7:
            return f"Counselled on safe migration and the helplines ({HOTLINES[self.node]}); she went on."
        return ""

    # --- the recurring suspects ---
    def _recurring(self) -> list[Plan]:
        plans = []
        posts = {(p.station, p.recorder): p for p in self.posts}
        for suspect in RECURRING[self.node]:
            who = Traveller(key=f"recurring:{suspect.name}", full_name=suspect.name, sex=suspect.sex, age=suspect.age,
                            nationality=suspect.nationality, home_district=suspect.home_district,
                            surname=suspect.surname)  # fmt: skip
            for sighting in suspect.sightings:
                if sighting.days_ago >= WINDOW_DAYS:
                    continue
                at = self._moment(sighting.days_ago)
                story = STORIES[sighting.story]
                persons: list[Traveller] = []
                for age in sighting.girls:  # Nepali girls, on both sides of the border
                    girl = self.people.take("NP", FEMALE)
                    persons.append(self.people.traveller(girl, age=age, like=persons[0] if persons else None))
                plan = Plan(post=posts[(sighting.station, sighting.recorder)], at=at, outcome=sighting.outcome,
                            story=story, persons=persons, via_services=True)  # fmt: skip
                companion = replace(who, claim=sighting.claim, description=suspect.description)
                plan.companions.append(companion)
                level = "high" if sighting.outcome in (Outcome.POLICE, Outcome.TRANSIT_HOME) else "medium"
                self._fill(plan, level)
                plan.flags = list(dict.fromkeys([*plan.flags, *sighting.extra_flags]))
                companion.is_suspect, companion.roles = True, suspect.roles
                plans.append(plan)
        return plans


_WEIGHTS: dict[str, int] = {}


def parsed_checklist_weights() -> dict[str, int]:
    """The weight of each flag of the shipped checklist (the plan aims at a band; the services score)."""
    if not _WEIGHTS:
        checklist = screening.load_checklist(screening.default_checklist_text())
        _WEIGHTS.update({key: flag.weight for key, flag in checklist.flags.items()})
    return _WEIGHTS


def plan_interceptions(*, node: str, count: int, now: dt.datetime) -> list[Plan]:
    """The node's interceptions over the last year, in date order (pure: no database)."""
    if count <= 0:
        return []
    return _Planner(node, count, now).plans()


# --- writing ------------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, node: str, users: dict[str, User], organisations: dict[str, Organisation]) -> None:
        self.node, self.users, self.organisations = node, users, organisations
        specs = {u.username: u.organisation for u in agencies.users_of(node)}
        self.org_of = {username: organisations[key] for username, key in specs.items()}
        self.stations = {b.name_en: b for b in BorderPoint.objects.filter(country=node).select_related("district")}
        self.districts = {(d.province.country, d.name_en.lower()): d
                          for d in District.objects.select_related("province")}  # fmt: skip
        self.checklist = checklist_current()
        self.parsed = parsed(self.checklist)
        self.persons: dict[str, Person] = {}  # traveller key -> person record
        self.pending: list[Plan] = []
        self.name_fields: dict[str, tuple[str, str, str]] = {}
        self.bulk = 0

    def district(self, country: str, name: str) -> District | None:
        return self.districts.get((country, name.lower()))

    def write(self, plans: list[Plan]) -> int:
        for plan in plans:
            if plan.via_services:
                self.flush()
                self._through_services(plan)
            else:
                self.pending.append(plan)
        self.flush()
        if self.bulk:
            audit_record(actor=None, actor_username=SEED_ACTOR, action="interception.import",
                         object_type="interceptions.interception",
                         fields=["persons", "companions", "calls", "flags", "score", "outcome"])  # fmt: skip
        self._date_the_records()
        return len(plans)

    # --- through the services ---
    def _entry(self, traveller: Traveller, *, companion: bool) -> PersonEntry:
        known = self.persons.get(traveller.key)
        values: dict = {"relationship": traveller.relationship}
        if companion:
            values = {"is_suspect": traveller.is_suspect, "roles": traveller.roles,
                      "claimed_relationship": traveller.claim, "description": traveller.description}  # fmt: skip
        if known is not None:
            return PersonEntry(person=known, age_years=traveller.age, **values)
        return PersonEntry(full_name=traveller.full_name, gender=traveller.sex, age_years=traveller.age,
                           nationality=traveller.nationality,
                           home_district=self.district(traveller.nationality, traveller.home_district),
                           phone=traveller.phone, **values)  # fmt: skip

    def _flags(self, plan: Plan) -> list[str]:
        """The plan's flags that the checklist in use knows (an administrator may have loaded another)."""
        return [flag for flag in plan.flags if flag in self.parsed.flags]

    def _handed_to(self, plan: Plan) -> Organisation | None:
        return self.organisations[plan.handed_to] if plan.handed_to else None

    def _through_services(self, plan: Plan) -> None:
        actor = self.users[plan.post.recorder]
        station = self.stations[plan.post.station]
        first = plan.persons[0]
        entry = InterceptionEntry(
            station=station, intercepted_at=plan.at, organisation=self.org_of[plan.post.recorder],
            persons=[self._entry(p, companion=False) for p in plan.persons],
            companions=[self._entry(c, companion=True) for c in plan.companions],
            staff_names=plan.staff_names, noticed_by=plan.noticed_by, transport=plan.transport,
            vehicle=plan.vehicle, coming_from=plan.coming_from,
            from_district=self.district(first.nationality, first.home_district), purpose=plan.purpose,
            purpose_detail=plan.purpose_detail, destination=plan.destination,
            destination_country=plan.destination_country, onward_country=plan.onward_country,
            documents=plan.documents, flags=self._flags(plan), certainty=plan.certainty,
        )  # fmt: skip
        interception = interception_record(actor=actor, entry=entry)
        stopped = list(interception.persons.select_related("person"))
        for traveller, row in zip(plan.persons, stopped, strict=True):
            self.persons.setdefault(traveller.key, row.person)
        companions = interception.companions.select_related("person")
        for traveller, companion in zip(plan.companions, companions, strict=True):
            self.persons.setdefault(traveller.key, companion.person)
        for call in plan.calls:
            family_call_record(actor=actor, interception=interception, called_at=call.at, called_name=call.name,
                               relation=call.relation, phone=call.phone, said=call.said,
                               verdict=call.verdict)  # fmt: skip
        if plan.outcome != Outcome.OPEN:
            interception_decide(
                actor=actor, interception=interception, outcome=plan.outcome, note=plan.outcome_note,
                handed_to=self._handed_to(plan), now=plan.outcome_at,
                refer=stopped if plan.outcome == Outcome.POLICE else (),
            )  # fmt: skip

    # --- in bulk, as the services would write them ---
    def _names(self, person: Person) -> None:
        """What `refresh_name_fields` computes (script, Latin form, search keys), once per distinct name: only
        the full name is given, as at the desk, so the name alone decides them."""
        known = self.name_fields.get(person.full_name)
        if known is None:
            refresh_name_fields(person, [])
            self.name_fields[person.full_name] = (person.name_script, person.name_latin, person.search_keys)
        else:
            person.name_script, person.name_latin, person.search_keys = known

    def _person(self, traveller: Traveller, plan: Plan) -> Person:
        on = timezone.localdate(plan.at)
        person = Person(
            full_name=traveller.full_name, gender=traveller.sex, birth_precision=BirthPrecision.ESTIMATED,
            age_estimate=traveller.age, age_estimated_on=on, birth_date=rules.estimated_birth_date(traveller.age, on),
            nationality=traveller.nationality, location_district=self.stations[plan.post.station].district,
            home_district=self.district(traveller.nationality, traveller.home_district),
            organisation=self.org_of[plan.post.recorder], created_by=self.users[plan.post.recorder],
        )  # fmt: skip
        self._names(person)
        return person

    def flush(self) -> None:
        if not self.pending:
            return
        plans, self.pending = self.pending, []
        new: dict[str, tuple[Person, str]] = {}
        for plan in plans:
            for traveller in [*plan.persons, *plan.companions]:
                if traveller.key not in self.persons and traveller.key not in new:
                    new[traveller.key] = (self._person(traveller, plan), traveller.phone)
        created = Person.objects.bulk_create([person for person, _phone in new.values()], batch_size=500)
        for key, person in zip(new, created, strict=True):
            self.persons[key] = person
        index_names_bulk(created)
        PhoneNumber.objects.bulk_create(
            [PhoneNumber(person=person, number=phone) for person, phone in new.values() if phone], batch_size=1000
        )
        numbers = self._numbers([plan.at for plan in plans])
        rows = []
        for plan, number in zip(plans, numbers, strict=True):
            first = plan.persons[0]
            result = screening.score(self.parsed, self._flags(plan))
            station = self.stations[plan.post.station]
            rows.append(Interception(
                number=number, station=station, district_id=station.district_id,
                organisation=self.org_of[plan.post.recorder], intercepted_at=plan.at,
                staff_names=plan.staff_names, noticed_by=plan.noticed_by, transport=plan.transport,
                vehicle=plan.vehicle, coming_from=plan.coming_from,
                from_district=self.district(first.nationality, first.home_district), purpose=plan.purpose,
                purpose_detail=plan.purpose_detail, destination=plan.destination,
                destination_country=plan.destination_country, onward_country=plan.onward_country,
                documents=sorted(set(plan.documents)), checklist=self.checklist,
                flags=[key for key, _w in result.drivers], score=result.points, risk_level=result.level,
                certainty=plan.certainty, outcome=plan.outcome, outcome_at=plan.outcome_at,
                outcome_note=plan.outcome_note, handed_to=self._handed_to(plan),
                created_by=self.users[plan.post.recorder],
            ))  # fmt: skip
        interceptions = Interception.objects.bulk_create(rows, batch_size=500)
        stopped, companions, calls = [], [], []
        for plan, interception in zip(plans, interceptions, strict=True):
            for traveller in plan.persons:
                stopped.append(InterceptedPerson(interception=interception, person=self.persons[traveller.key],
                                                 age_years=traveller.age, age_band=age_band(traveller.age),
                                                 relationship=traveller.relationship))  # fmt: skip
            for traveller in plan.companions:
                companions.append(Companion(interception=interception, person=self.persons[traveller.key],
                                            is_suspect=traveller.is_suspect, roles=list(traveller.roles),
                                            claimed_relationship=traveller.claim,
                                            description=traveller.description))  # fmt: skip
            for call in plan.calls:
                calls.append(FamilyCall(interception=interception, called_at=call.at, called_name=call.name,
                                        relation=call.relation, phone=call.phone, said=call.said,
                                        verdict=call.verdict, called_by=self.users[plan.post.recorder]))  # fmt: skip
        InterceptedPerson.objects.bulk_create(stopped, batch_size=1000)
        Companion.objects.bulk_create(companions, batch_size=1000)
        FamilyCall.objects.bulk_create(calls, batch_size=1000)
        self.bulk += len(plans)

    def _numbers(self, moments: list[dt.datetime]) -> list[str]:
        """Numbers from the node's counter (as the service gives them), a block per year, in date order."""
        years = [timezone.localtime(at).year for at in moments]
        first: dict[int, int] = {}
        for year, n in sorted(Counter(years).items()):
            first[year] = numbers_taken(InterceptionCounter, year=year, count=n)
        numbers = []
        for year in years:
            numbers.append(f"{self.node}-INT-{year}-{first[year]:06d}")
            first[year] += 1
        return numbers

    def _date_the_records(self) -> None:
        """Records and the people registered at them carry the interception's time, not the seeding's (the
        node had no interceptions before: every one is ours)."""
        Interception.objects.update(created_at=F("intercepted_at"),
                                    updated_at=Coalesce(F("outcome_at"), F("intercepted_at")))  # fmt: skip
        earliest = Min("interception__intercepted_at")
        stopped = Subquery(InterceptedPerson.objects.filter(person=OuterRef("pk")).values("person")
                           .annotate(at=earliest).values("at"))  # fmt: skip
        escorting = Subquery(Companion.objects.filter(person=OuterRef("pk")).values("person")
                             .annotate(at=earliest).values("at"))  # fmt: skip
        first_seen = Least(Coalesce(stopped, escorting), Coalesce(escorting, stopped))
        people = [person.pk for person in self.persons.values()]
        for start in range(0, len(people), 500):
            Person.objects.filter(pk__in=people[start : start + 500]).update(created_at=first_seen,
                                                                             updated_at=first_seen)  # fmt: skip


def seed_interceptions(
    *,
    node: str,
    users: dict[str, User],
    organisations: dict[str, Organisation],
    count: int = DEFAULT_INTERCEPTIONS,
    now: dt.datetime | None = None,
) -> int:
    """Record a year of interceptions at the node's demo crossing points (see the module's docstring), unless
    the node already has interceptions. Returns how many were recorded."""
    if count <= 0 or Interception.objects.exists():
        return 0
    now = now or timezone.now()
    plans = plan_interceptions(node=node, count=count, now=now)
    return _Writer(node, users, organisations).write(plans)
