"""Synthetic people for the demo: Nepali and Indian names in Devanagari with their Latin forms.

Pure and deterministic: the same (node, count, seed) always gives the same people, so a demo can be
rebuilt exactly and tests can name the people they expect. No real person is described here.

What makes the data useful for the matching work (DESIGN.md, "Matching"):
- a Nepali name written by an Indian officer often follows Hindi orthography (सुनिता → सुनीता) or is
  recorded only in Latin letters, in one of several spellings (Laxmi, Lakshmi, Laxmee);
- ages are estimates, so the same girl is "17" on one side and "19" on the other;
- so the India node holds some Nepali nationals who are the same people as Nepal-node records
  (`same_as` names them), written as the other side would write them.

Phone numbers are drawn from blocks full of zeros to make collisions with real subscribers unlikely;
they are synthetic all the same and must never be dialled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

DEFAULT_SEED = 2026
# A fixed "today" keeps the generator deterministic; ages are counted back from it.
REFERENCE_DATE = date(2026, 1, 1)

FEMALE = "Feminine"  # HTCDS prs_Gender values (setu.core.enums.Gender)
MALE = "Masculine"


@dataclass(frozen=True)
class Spelling:
    """One name as Nepali writes it, its usual Latin form, other Latin spellings, and Hindi orthography."""

    devanagari: str
    latin: str
    variants: tuple[str, ...] = ()
    devanagari_hi: str = ""  # empty when Hindi writes it as Nepali does


@dataclass(frozen=True)
class Name:
    """A name as one record holds it. `devanagari` is empty when it was recorded in Latin letters only."""

    devanagari: str
    latin: str


@dataclass(frozen=True)
class SyntheticPerson:
    ref: str  # stable key, "NP-0001": seeding is idempotent on it
    nationality: str  # ISO 3166 alpha-2
    sex: str  # FEMALE or MALE
    given_name: Name
    family_name: Name
    father_name: Name
    mother_name: Name
    age: int  # in whole years at REFERENCE_DATE (as recorded: may be an estimate)
    birth_date: date
    birth_precision: str  # "day", "year" or "estimate" (age estimated, birth date approximate)
    home_district: str  # English gazetteer name
    phone: str  # E.164, or "" when none was given
    same_as: str = ""  # on the India node: the ref of the Nepal-node record of the same person

    @property
    def full_name_latin(self) -> str:
        return f"{self.given_name.latin} {self.family_name.latin}"

    @property
    def full_name_devanagari(self) -> str:
        if not self.given_name.devanagari:
            return ""
        return f"{self.given_name.devanagari} {self.family_name.devanagari}".strip()


def _s(devanagari: str, latin: str, *variants: str, hi: str = "") -> Spelling:
    return Spelling(devanagari, latin, tuple(variants), hi)


# --- Nepal ---------------------------------------------------------------------------------------------
NP_GIVEN_FEMALE = (
    _s("सीता", "Sita", "Seeta"),
    _s("गीता", "Gita", "Geeta"),
    _s("सुनिता", "Sunita", "Suneeta", hi="सुनीता"),
    _s("अनिता", "Anita", "Aneeta", hi="अनीता"),
    _s("लक्ष्मी", "Laxmi", "Lakshmi", "Laxmee"),
    _s("माया", "Maya", "Maaya"),
    _s("सरिता", "Sarita", "Saritaa"),
    _s("कमला", "Kamala", "Kamla"),
    _s("पवित्रा", "Pabitra", "Pavitra"),
    _s("सबिना", "Sabina", "Sabeena", hi="सबीना"),
    _s("मनिषा", "Manisha", "Maneesha", hi="मनीषा"),
    _s("अस्मिता", "Asmita", "Ashmita"),
    _s("पूजा", "Puja", "Pooja"),
    _s("सुष्मा", "Sushma", "Susma", hi="सुषमा"),
    _s("बिमला", "Bimala", "Bimla", "Vimala", hi="विमला"),
    _s("निर्मला", "Nirmala", "Nirmla"),
    _s("रोजिना", "Rojina", "Rozina"),
    _s("सम्झना", "Samjhana", "Samjhanaa"),
    _s("दिलमाया", "Dil Maya", "Dilmaya"),
    _s("फूलमाया", "Phul Maya", "Phulmaya", "Fulmaya"),
    _s("पासाङ", "Pasang", "Pasaang", hi="पासांग"),
    _s("डोल्मा", "Dolma"),
    _s("कविता", "Kabita", "Kavita"),
    _s("सृजना", "Srijana", "Sirjana", "Shrijana"),
    _s("मेनुका", "Menuka"),
    _s("सङ्गीता", "Sangita", "Sangeeta", hi="संगीता"),
    _s("मीना", "Mina", "Meena"),
    _s("दुर्गा", "Durga"),
    _s("तुलसी", "Tulasi", "Tulsi"),
    _s("रञ्जना", "Ranjana", hi="रंजना"),
    _s("अञ्जली", "Anjali", "Anjalee", hi="अंजली"),
)
NP_GIVEN_MALE = (
    _s("राम", "Ram", "Raam"),
    _s("हरि", "Hari"),
    _s("कृष्ण", "Krishna", "Krisna"),
    _s("विकास", "Bikash", "Bikas", "Vikas"),
    _s("सुमन", "Suman"),
    _s("दीपक", "Dipak", "Deepak"),
    _s("सन्तोष", "Santosh", "Santos", hi="संतोष"),
    _s("प्रकाश", "Prakash", "Prakas"),
    _s("नवीन", "Nabin", "Navin", "Naveen"),
    _s("विशाल", "Bishal", "Vishal"),
    _s("सागर", "Sagar"),
    _s("मिङ्मा", "Mingma", hi="मिंगमा"),
    _s("वीरबहादुर", "Bir Bahadur", "Birbahadur"),
    _s("मानबहादुर", "Man Bahadur", "Manbahadur"),
    _s("दलबहादुर", "Dal Bahadur", "Dalbahadur"),
    _s("रमेश", "Ramesh"),
)
NP_FAMILY = (
    _s("तामाङ", "Tamang", "Tamaang", hi="तमांग"),
    _s("श्रेष्ठ", "Shrestha", "Srestha", "Shrestra"),
    _s("राई", "Rai"),
    _s("लिम्बू", "Limbu", "Limboo"),
    _s("मगर", "Magar"),
    _s("गुरुङ", "Gurung", hi="गुरुंग"),
    _s("थापा", "Thapa"),
    _s("शेर्पा", "Sherpa"),
    _s("लामा", "Lama"),
    _s("यादव", "Yadav", "Yadab"),
    _s("चौधरी", "Chaudhary", "Chaudhari", "Choudhary"),
    _s("थारू", "Tharu"),
    _s("विश्वकर्मा", "Bishwakarma", "Biswakarma", "Vishwakarma"),
    _s("परियार", "Pariyar"),
    _s("नेपाली", "Nepali"),
    _s("अधिकारी", "Adhikari"),
    _s("खड्का", "Khadka"),
    _s("कार्की", "Karki"),
    _s("बस्नेत", "Basnet", "Basnyat"),
    _s("भट्टराई", "Bhattarai", "Bhatarai"),
    _s("पौडेल", "Poudel", "Paudel", "Poudyal"),
    _s("घिमिरे", "Ghimire"),
    _s("माझी", "Majhi", "Manjhi", hi="मांझी"),
    _s("दनुवार", "Danuwar"),
    _s("भुजेल", "Bhujel"),
    _s("मोक्तान", "Moktan", "Mokthan"),
    _s("घिसिङ", "Ghising", "Ghishing", hi="घिसिंग"),
    _s("स्याङ्तान", "Syangtan", "Syangtang", hi="स्यांगतान"),
    _s("वाइबा", "Waiba", "Vaiba"),
    _s("सुनार", "Sunar"),
)
# Home districts of people on the Nepal node, weighted towards the districts the trafficking literature
# names as sources (central hills after the 2015 earthquake, the eastern Terai) (reference/domain.md §8).
NP_HOME_DISTRICTS = (
    ("Sindhupalchok", 12),
    ("Makwanpur", 10),
    ("Nuwakot", 8),
    ("Dhading", 6),
    ("Kavrepalanchok", 5),
    ("Dolakha", 4),
    ("Sindhuli", 4),
    ("Morang", 9),
    ("Sunsari", 7),
    ("Jhapa", 6),
    ("Udayapur", 3),
    ("Sarlahi", 4),
    ("Rautahat", 4),
    ("Parsa", 3),
    ("Rupandehi", 3),
    ("Banke", 3),
    ("Kailali", 4),
)

# --- India (Bihar and the other border states) ---------------------------------------------------------
IN_GIVEN_FEMALE = (
    _s("प्रिया", "Priya", "Preeya"),
    _s("पूजा", "Pooja", "Puja"),
    _s("रानी", "Rani", "Ranee"),
    _s("सुनीता", "Sunita", "Suneeta"),
    _s("रेखा", "Rekha"),
    _s("किरण", "Kiran"),
    _s("नेहा", "Neha"),
    _s("खुशबू", "Khushboo", "Khushbu"),
    _s("रिंकी", "Rinki", "Rinky"),
    _s("पिंकी", "Pinki", "Pinky"),
    _s("सोनम", "Sonam"),
    _s("काजल", "Kajal"),
    _s("निशा", "Nisha"),
    _s("गुड्डी", "Guddi"),
    _s("बबीता", "Babita", "Bobita"),
    _s("मंजू", "Manju", "Manjoo"),
    _s("सावित्री", "Savitri", "Sabitri"),
    _s("राधा", "Radha"),
    _s("आरती", "Aarti", "Arti", "Arati"),
    _s("रूबी", "Rubi", "Ruby"),
)
IN_GIVEN_MALE = (
    _s("राजू", "Raju"),
    _s("संजय", "Sanjay", "Sanjai"),
    _s("मनोज", "Manoj"),
    _s("राकेश", "Rakesh"),
    _s("अमित", "Amit"),
    _s("सुनील", "Sunil", "Suneel"),
    _s("पप्पू", "Pappu"),
    _s("रवि", "Ravi", "Rabi"),
    _s("मुकेश", "Mukesh"),
    _s("दिनेश", "Dinesh"),
    _s("संतोष", "Santosh"),
    _s("बबलू", "Bablu", "Bablo"),
)
IN_FAMILY = (
    _s("यादव", "Yadav"),
    _s("सिंह", "Singh"),
    _s("मंडल", "Mandal", "Mondal"),
    _s("पासवान", "Paswan"),
    _s("दास", "Das"),
    _s("महतो", "Mahto", "Mahato"),
    _s("साह", "Sah", "Shah"),
    _s("झा", "Jha"),
    _s("मिश्रा", "Mishra"),
    _s("राजवंशी", "Rajbanshi", "Rajbangshi"),
    _s("ऋषिदेव", "Rishideo", "Rishidev"),
    _s("शर्मा", "Sharma"),
    _s("ठाकुर", "Thakur"),
    _s("मांझी", "Manjhi", "Majhi"),
    _s("उरांव", "Oraon", "Uraon"),
    _s("गुप्ता", "Gupta"),
)
# In Bihar many women's records carry Kumari or Devi where a family name would be, men's Kumar.
IN_FAMILY_FEMALE_ONLY = (_s("कुमारी", "Kumari"), _s("देवी", "Devi", "Debi"))
IN_FAMILY_MALE_ONLY = (_s("कुमार", "Kumar"),)
IN_MUSLIM_GIVEN_FEMALE = (
    _s("शबनम", "Shabnam", "Sabnam"),
    _s("रुख़सार", "Rukhsar", "Ruksar"),
    _s("नसरीन", "Nasreen", "Nasrin"),
    _s("रुबीना", "Rubina", "Rubeena"),
    _s("फ़रहाना", "Farhana"),
    _s("यास्मीन", "Yasmin", "Yasmeen"),
)
IN_MUSLIM_GIVEN_MALE = (
    _s("इमरान", "Imran"),
    _s("सलीम", "Salim", "Saleem"),
    _s("मोहम्मद", "Mohammad", "Mohammed", "Md"),
    _s("अनवर", "Anwar"),
    _s("शाहिद", "Shahid"),
)
IN_MUSLIM_FAMILY = (_s("अंसारी", "Ansari"), _s("आलम", "Alam"), _s("शेख़", "Sheikh", "Shaikh"))
IN_MUSLIM_FAMILY_FEMALE_ONLY = (_s("ख़ातून", "Khatun", "Khatoon"), _s("बेगम", "Begum"))
IN_HOME_DISTRICTS = (
    ("Araria", 14),
    ("Kishanganj", 8),
    ("Supaul", 6),
    ("Madhubani", 6),
    ("Sitamarhi", 5),
    ("Purbi Champaran", 5),
    ("Pashchim Champaran", 4),
    ("Darjeeling", 3),
    ("Maharajganj", 3),
    ("Bahraich", 3),
)

# Of the people on each node, how many are nationals of the other country.
FOREIGN_SHARE = {"NP": 0.05, "IN": 0.35}
# Of the Nepali nationals on the India node, how many are Nepal-node people seen again.
SAME_PERSON_SHARE = 0.5


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _w in pairs], weights=[w for _n, w in pairs], k=1)[0]


def _phone(rng: random.Random, nationality: str) -> str:
    if rng.random() < 0.35:
        return ""
    if nationality == "NP":
        return f"+97798000{rng.randrange(10_000, 100_000)}"
    return f"+917000{rng.randrange(100_000, 1_000_000)}"


def _plain(spelling: Spelling) -> Name:
    return Name(spelling.devanagari, spelling.latin)


def _community(rng: random.Random, nationality: str) -> str:
    if nationality == "NP":
        return "np"
    return "in_muslim" if rng.random() < 0.25 else "in_hindu"


_SHARED_FAMILY: dict[str, tuple[Spelling, ...]] = {
    "np": NP_FAMILY,
    "in_hindu": IN_FAMILY,
    "in_muslim": IN_MUSLIM_FAMILY,
}


def _pools(community: str, sex: str) -> tuple[tuple[Spelling, ...], tuple[Spelling, ...]]:
    """(given names, family names) of a community for one sex; some family names are for one sex only."""
    female = sex == FEMALE
    given: tuple[Spelling, ...]
    if community == "np":
        return (NP_GIVEN_FEMALE if female else NP_GIVEN_MALE), NP_FAMILY
    if community == "in_muslim":
        given = IN_MUSLIM_GIVEN_FEMALE if female else IN_MUSLIM_GIVEN_MALE
        return given, IN_MUSLIM_FAMILY + (IN_MUSLIM_FAMILY_FEMALE_ONLY if female else ())
    given = IN_GIVEN_FEMALE if female else IN_GIVEN_MALE
    return given, IN_FAMILY + (IN_FAMILY_FEMALE_ONLY if female else IN_FAMILY_MALE_ONLY)


def _age_and_birth(rng: random.Random, sex: str, reference_date: date) -> tuple[int, date, str]:
    # Mostly adolescent girls and young women; boys and men mostly in labour trafficking, a little older.
    age = round(rng.triangular(11, 35, 17) if sex == FEMALE else rng.triangular(13, 40, 20))
    birth = reference_date - timedelta(days=age * 365 + rng.randrange(0, 365))
    precision = rng.choices(["day", "year", "estimate"], weights=[35, 35, 30], k=1)[0]
    if precision == "year":
        birth = date(birth.year, 1, 1)
    elif precision == "estimate":
        birth = date(birth.year, 7, 1)
    return age, birth, precision


def _new_person(rng: random.Random, ref: str, nationality: str, reference_date: date) -> SyntheticPerson:
    sex = FEMALE if rng.random() < 0.8 else MALE
    community = _community(rng, nationality)
    given_pool, family_pool = _pools(community, sex)
    father_given_pool, _ = _pools(community, MALE)
    mother_given_pool, _ = _pools(community, FEMALE)
    family = rng.choice(family_pool)
    # A child recorded as "Kumari", "Kumar" or "Khatun" has a father with a family name proper.
    shared = _SHARED_FAMILY[community]
    father_family = family if family in shared else rng.choice(shared)
    father_given = rng.choice(father_given_pool)
    mother_given = rng.choice(mother_given_pool)
    age, birth, precision = _age_and_birth(rng, sex, reference_date)
    districts = NP_HOME_DISTRICTS if nationality == "NP" else IN_HOME_DISTRICTS
    return SyntheticPerson(
        ref=ref,
        nationality=nationality,
        sex=sex,
        given_name=_plain(rng.choice(given_pool)),
        family_name=_plain(family),
        father_name=Name(
            f"{father_given.devanagari} {father_family.devanagari}", f"{father_given.latin} {father_family.latin}"
        ),
        mother_name=_plain(mother_given),
        age=age,
        birth_date=birth,
        birth_precision=precision,
        home_district=_weighted(rng, districts),
        phone=_phone(rng, nationality),
    )


_ALL_SPELLINGS = {s.devanagari: s for s in NP_GIVEN_FEMALE + NP_GIVEN_MALE + NP_FAMILY}


def _as_written_in_india(rng: random.Random, name: Name) -> Name:
    """How an Indian record may write a Nepali name: Hindi orthography, another Latin spelling, or Latin only."""
    spelling = _ALL_SPELLINGS.get(name.devanagari)
    if spelling is None:
        return name
    latin = rng.choice(spelling.variants) if spelling.variants and rng.random() < 0.6 else spelling.latin
    if rng.random() < 0.3:
        return Name("", latin)
    devanagari = spelling.devanagari_hi if spelling.devanagari_hi and rng.random() < 0.7 else spelling.devanagari
    return Name(devanagari, latin)


def _seen_again(rng: random.Random, original: SyntheticPerson, ref: str, reference_date: date) -> SyntheticPerson:
    """The same person recorded by the other country: names re-spelt, age estimated again, phone maybe kept."""
    age = max(8, original.age + rng.choice([-2, -1, 0, 0, 1, 2, 3]))
    birth = date(reference_date.year - age, 7, 1)
    return replace(
        original,
        ref=ref,
        given_name=_as_written_in_india(rng, original.given_name),
        family_name=_as_written_in_india(rng, original.family_name),
        age=age,
        birth_date=birth,
        birth_precision="estimate",
        phone=original.phone if rng.random() < 0.5 else "",
        same_as=original.ref,
    )


def generate_persons(
    node: str, count: int, *, seed: int = DEFAULT_SEED, reference_date: date = REFERENCE_DATE
) -> list[SyntheticPerson]:
    """`count` synthetic people registered on `node` ("NP" or "IN"), refs "<node>-0001" upwards.

    On the India node, some Nepali nationals are people of `generate_persons("NP", count, seed=seed)`
    recorded again (their `same_as` is the Nepal ref), as happens when a girl reported missing in Nepal
    is rescued in India.
    """
    if node not in ("NP", "IN"):
        raise ValueError(f"unknown node {node!r}")
    if count < 0:
        raise ValueError("count must be zero or more")
    rng = random.Random(f"setu-demo-{seed}-{node}")  # noqa: S311 - reproducible synthetic data, not secrets
    other = "IN" if node == "NP" else "NP"
    nepal_people: list[SyntheticPerson] = []
    if node == "IN":
        nepal_people = [
            p for p in generate_persons("NP", count, seed=seed, reference_date=reference_date) if p.nationality == "NP"
        ]
        rng.shuffle(nepal_people)
    people: list[SyntheticPerson] = []
    for number in range(1, count + 1):
        ref = f"{node}-{number:04d}"
        nationality = other if rng.random() < FOREIGN_SHARE[node] else node
        if node == "IN" and nationality == "NP" and nepal_people and rng.random() < SAME_PERSON_SHARE:
            people.append(_seen_again(rng, nepal_people.pop(), ref, reference_date))
        else:
            people.append(_new_person(rng, ref, nationality, reference_date))
    return people
