"""Records: what a reporter in Nepal or an officer in India wrote about a person, noise and all.

A `Profile` holds the rate of every kind of noise for one kind of record: `REPORT` for missing-person
reports made in Nepal (police, the NCRC 104 hotline, NGOs), `FOUND` for people found in India (AHTU, CWC,
shelters) or intercepted at the border. README.md documents each rate and where it comes from; the
`Dice` counts every roll so the rates can be measured on generated data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from nepali.datetime import nepalidate

from . import names_in, names_np, spelling
from .people import FullName, Person, age_on, years_before
from .places import SUFFIXES_DEVANAGARI, SUFFIXES_LATIN, Place, devanagari_digits
from .pools import Dice, Name, n
from .spelling import DevanagariRates, LatinRates

COLUMNS = (
    "record_id",
    "full_name",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "birth_date_bs",
    "age",
    "recorded_on",
    "father_name",
    "mother_name",
    "home_country",
    "home_district",
    "home_local_level",
    "home_ward",
    "phone",
)


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    # Script of the name fields: Devanagari, Latin, or "both" (full name in Devanagari, parts in Latin).
    scripts: tuple[tuple[str, float], ...]
    # Which name fields are filled: the parts, the full name only, or all three.
    layouts: tuple[tuple[str, float], ...]
    hindi_orthography: float  # a Devanagari name written as Hindi spells it (सुनिता→सुनीता, तामाङ→तमांग)
    latin_variant: float  # one of the name's other usual spellings rather than the most common one
    latin: LatinRates  # slips in names the writer heard once (a Nepali name written in India)
    devanagari: DevanagariRates
    latin_native: LatinRates  # slips in names of the writer's own language
    devanagari_native: DevanagariRates
    nickname: float  # a birth-order, pet or short name instead of the given name (Kanchhi, Nani, Samju)
    filler_drop: float  # a true middle name (Kumari, Maya, Bahadur, Prasad) left out
    filler_add: float  # one added that is not in the name ("Sita Kumari Tamang", "Sunita Devi")
    title: float  # Km., Miss, Smt., Sushri, सुश्री, Mr, Shri, श्री before the name
    swap: float  # family name written first, or in the given-name field
    surname_alternate: float  # another surname of the same family: Pariyar→Nepali, Limbu→Subba, Tamang→Lama
    family_missing: float  # no family name (blank, or Kumari/Devi/Kumar, or "Nepali" in its place)
    upper_case: float  # Latin names in capitals, as many Indian police forms are filled
    sex_blank: float
    sex_word: float  # "Female", "female", "f", "महिला" instead of F
    birth_dates: tuple[tuple[str, float], ...]  # bs, ad, both, year (AD year only), none
    date_error: float  # the family gives a birth date a few days or a year off
    document_adult: float  # a 13-17-year-old's document date makes her an adult (forged papers)
    age_with_date: float  # an age is written even though a birth date is
    running_age: float  # the age counted as the running year (one more than whole years), as Nepalis say it
    age_error: tuple[tuple[str, float], ...]  # an officer's estimate: off by this many years (either way)
    minor_claims_adult: float  # a 13-17-year-old says she is 18-20 (as traffickers coach), and it is written
    father: float
    mother: float
    parent_filler_drop: float
    parent_family_missing: float
    parent_initials: float  # "M.B. Tamang"
    parent_title: float
    countries: tuple[tuple[str, float], ...]  # code (NP), name (Nepal), devanagari (नेपाल), blank
    country_wrong: float  # a Nepali recorded as Indian
    district: float
    place_alias: float  # another name the gazetteer lists (Sindhupalchowk, Kavre, Chitwan)
    district_misspelt: float
    local_level: float
    vdc: float  # the pre-2017 VDC named instead of the local level (when former_vdcs.json is present)
    local_first_word: float  # "Choutara" for Choutara Sangachowkgadhi
    local_suffix: float  # "... Rural Municipality", "... गाउँपालिका", "... VDC"
    local_misspelt: float
    ward: float
    phone: float


# A Nepali reporter writing Nepali names: few slips (README.md, "Noise model").
NEPALI_WRITER = LatinRates(
    aspirate=0.05, sibilant=0.08, sh_added=0.01, ba_va=0.08, vowel_length=0.08, schwa=0.05, double=0.08, typo=0.02
)
NEPALI_WRITER_DEVANAGARI = DevanagariRates(
    ng_anusvara=0.10, vowel_length=0.06, sibilant=0.04, ba_va=0.06, gya=0.05, typo=0.02
)
# An Indian officer writing Indian names: few slips, counted apart ("native_" kinds).
INDIAN_WRITER = LatinRates(
    aspirate=0.03,
    sibilant=0.05,
    sh_added=0.01,
    ba_va=0.05,
    vowel_length=0.05,
    schwa=0.03,
    double=0.05,
    typo=0.02,
    label="native_",
)
INDIAN_WRITER_DEVANAGARI = DevanagariRates(
    ng_anusvara=0.0, vowel_length=0.04, sibilant=0.03, ba_va=0.03, gya=0.0, typo=0.02, label="native_"
)
REPORT = Profile(
    name="report",
    scripts=(("devanagari", 0.65), ("latin", 0.25), ("both", 0.10)),
    layouts=(("split", 0.45), ("full", 0.30), ("all", 0.25)),
    hindi_orthography=0.0,
    latin_variant=0.25,
    latin=NEPALI_WRITER,
    devanagari=NEPALI_WRITER_DEVANAGARI,
    latin_native=NEPALI_WRITER,
    devanagari_native=NEPALI_WRITER_DEVANAGARI,
    nickname=0.03,
    filler_drop=0.15,
    filler_add=0.05,
    title=0.03,
    swap=0.01,
    surname_alternate=0.03,
    family_missing=0.02,
    upper_case=0.02,
    sex_blank=0.02,
    sex_word=0.03,
    birth_dates=(("bs", 0.45), ("ad", 0.15), ("both", 0.15), ("year", 0.05), ("none", 0.20)),
    date_error=0.05,
    document_adult=0.0,
    age_with_date=0.6,
    running_age=0.15,
    age_error=(("0", 1.0),),
    minor_claims_adult=0.0,
    father=0.92,
    mother=0.82,
    parent_filler_drop=0.1,
    parent_family_missing=0.05,
    parent_initials=0.02,
    parent_title=0.15,
    countries=(("code", 0.85), ("name", 0.07), ("devanagari", 0.03), ("blank", 0.05)),
    country_wrong=0.0,
    district=0.95,
    place_alias=0.3,
    district_misspelt=0.05,
    local_level=0.85,
    vdc=0.15,
    local_first_word=0.1,
    local_suffix=0.25,
    local_misspelt=0.05,
    ward=0.75,
    phone=0.85,
)
FOUND = Profile(
    name="found",
    scripts=(("devanagari", 0.25), ("latin", 0.65), ("both", 0.10)),
    layouts=(("split", 0.35), ("full", 0.45), ("all", 0.20)),
    hindi_orthography=0.70,
    latin_variant=0.35,
    latin=LatinRates(
        aspirate=0.15, sibilant=0.20, sh_added=0.03, ba_va=0.20, vowel_length=0.20, schwa=0.20, double=0.20, typo=0.04
    ),
    devanagari=DevanagariRates(ng_anusvara=0.10, vowel_length=0.12, sibilant=0.10, ba_va=0.10, gya=0.30, typo=0.04),
    latin_native=INDIAN_WRITER,
    devanagari_native=INDIAN_WRITER_DEVANAGARI,
    nickname=0.08,
    filler_drop=0.40,
    filler_add=0.15,
    title=0.10,
    swap=0.04,
    surname_alternate=0.08,
    family_missing=0.10,
    upper_case=0.08,
    sex_blank=0.06,
    sex_word=0.03,
    birth_dates=(("none", 0.88), ("ad", 0.06), ("year", 0.04), ("bs", 0.02)),
    date_error=0.0,
    document_adult=0.3,
    age_with_date=0.5,
    running_age=0.0,
    age_error=(("0", 0.35), ("1", 0.33), ("2", 0.17), ("3", 0.10), ("4", 0.03), ("5", 0.015), ("6", 0.005)),
    minor_claims_adult=0.12,
    father=0.45,
    mother=0.12,
    parent_filler_drop=0.35,
    parent_family_missing=0.20,
    parent_initials=0.05,
    parent_title=0.10,
    countries=(("code", 0.55), ("name", 0.30), ("devanagari", 0.05), ("blank", 0.10)),
    country_wrong=0.02,
    district=0.65,
    place_alias=0.3,
    district_misspelt=0.30,
    local_level=0.25,
    vdc=0.30,
    local_first_word=0.2,
    local_suffix=0.10,
    local_misspelt=0.30,
    ward=0.10,
    phone=0.12,
)
PROFILES = {"report": REPORT, "found": FOUND}

# Slips for misspelling a place: each applicable rule fires half the time (README.md: "Places").
PLACE_SLIPS = LatinRates(
    aspirate=0.5,
    sibilant=0.5,
    sh_added=0.1,
    ba_va=0.5,
    vowel_length=0.5,
    schwa=0.5,
    double=0.5,
    typo=0.0,
    label="place_",
)
NEPALI = n("नेपाली", "Nepali")
FEMALE_FILLERS = ((names_np.KUMARI, 0.5), (names_np.DEVI, 0.3), (names_np.MAYA, 0.2))
MALE_FILLERS = ((names_np.BAHADUR, 0.5), (names_np.KUMAR, 0.3), (names_np.PRASAD, 0.2))
SEX_WORDS_LATIN = {"F": ("Female", "female", "f", "FEMALE"), "M": ("Male", "male", "m", "MALE")}
SEX_WORDS_DEVANAGARI = {"F": ("महिला", "म"), "M": ("पुरुष", "पु")}


def _alternates() -> dict[str, tuple[Name, ...]]:
    by_key: dict[str, Name] = {}
    for rows in names_np.FAMILY.values():
        for row in rows:
            by_key.setdefault(row.key, row)
    table: dict[str, tuple[Name, ...]] = {}
    for group in names_np.SURNAME_ALTERNATES:
        for key in group:
            table[key] = tuple(by_key[other] for other in group if other != key)
    return table


ALTERNATES = _alternates()


@cache
def bs_date(day: date) -> str:
    """The Bikram Sambat date of an AD date, "YYYY-MM-DD"."""
    bs = nepalidate.from_date(day)
    return f"{bs.year:04d}-{bs.month:02d}-{bs.day:02d}"


@cache
def _hindi(text: str) -> str:
    return spelling.hindi_orthography(text)


def _pick(rng: random.Random, pairs: tuple[tuple[Name, float], ...]) -> Name:
    x = rng.random()
    for name, weight in pairs:
        x -= weight
        if x < 0:
            return name
    return pairs[-1][0]


def _title_of(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for title, weight in pairs:
        x -= weight
        if x < 0:
            return title
    return pairs[-1][0]


class Writer:
    """Writes records of people. One `Dice` per profile counts the noise; `tags` are the last record's."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.dice = {name: Dice(rng) for name in PROFILES}
        self._scratch = Dice(rng)  # the inner slips of a misspelt place: not part of the name statistics
        self._native = False  # the record being written is of a name in the writer's own language

    # --- names -------------------------------------------------------------------------------------------
    def _word(self, name: Name, deva: bool, hindi: bool, p: Profile, dice: Dice) -> str:
        if deva:
            text = (name.hi or _hindi(name.ne)) if hindi else name.ne
            if name.ne_alt and dice.roll("devanagari_variant", p.latin_variant):
                text = self.rng.choice(name.ne_alt)
            return spelling.devanagari(text, p.devanagari_native if self._native else p.devanagari, dice)
        written = name.latin[0]
        if len(name.latin) > 1 and dice.roll("latin_variant", p.latin_variant):
            written = name.latin[1 + int(self.rng.random() * (len(name.latin) - 1))]
        return spelling.latin(written, p.latin_native if self._native else p.latin, dice)

    def _words(self, names: list[Name], deva: bool, hindi: bool, p: Profile, dice: Dice) -> str:
        return " ".join(self._word(name, deva, hindi, p, dice) for name in names)

    def _parent(self, parent: FullName, sex: str, deva: bool, hindi: bool, p: Profile, dice: Dice) -> str:
        rng = self.rng
        middle = parent.middle
        if middle is not None and dice.roll("parent_filler_drop", p.parent_filler_drop):
            middle = None
        family = parent.family
        if family is not None and dice.roll("parent_family_missing", p.parent_family_missing):
            family = None
        firsts = [parent.given] + ([middle] if middle else [])
        if not deva and family is not None and middle is not None and dice.roll("parent_initials", p.parent_initials):
            initials = "".join(self._word(name, False, False, p, dice)[:1] + "." for name in firsts)
            text = f"{initials} {self._word(family, False, False, p, dice)}"
        else:
            text = self._words(firsts + ([family] if family else []), deva, hindi, p, dice)
        if dice.roll("parent_title", p.parent_title):
            if deva:
                text = ("श्री " if sex == "M" else "श्रीमती ") + text
            elif sex == "M":
                text = ("Shri " if rng.random() < 0.6 else "Mr. ") + text
            else:
                text = ("Smt. " if rng.random() < 0.7 else "Shrimati ") + text
        return text

    # --- the record -----------------------------------------------------------------------------------
    def record(self, person: Person, record_id: str, on: date, p: Profile) -> list[str]:
        """The row (in COLUMNS order) that a writer of profile `p` made about `person` on day `on`."""
        rng = self.rng
        dice = self.dice[p.name]
        dice.tags = []
        hindi_native = person.nationality == "IN" and person.community in names_in.FAMILY
        self._native = hindi_native or p is REPORT
        script = dice.choose("script", p.scripts)
        deva = script != "latin"
        hindi = (
            deva
            and not hindi_native
            and p.hindi_orthography > 0
            and dice.roll("hindi_orthography", p.hindi_orthography)
        )

        # The name as this writer has it.
        given, middle, family = person.name.given, person.name.middle, person.name.family
        if person.nickname is not None and dice.roll("nickname", p.nickname):
            given, middle = person.nickname, None
        elif middle is not None:
            if dice.roll("filler_drop", p.filler_drop):
                middle = None
        elif not hindi_native and dice.roll("filler_add", p.filler_add):
            middle = _pick(rng, FEMALE_FILLERS if person.sex == "F" else MALE_FILLERS)
            if middle.key.lower() in given.key.lower().replace(" ", ""):
                middle = None
        if family is not None:
            if dice.roll("family_missing", p.family_missing):
                roll = rng.random()
                if roll < 0.6 or hindi_native:
                    family = None
                elif roll < 0.85:
                    family = names_np.KUMAR if person.sex == "M" else names_np.DEVI if roll < 0.7 else names_np.KUMARI
                else:
                    family = NEPALI
            elif (others := ALTERNATES.get(family.key)) and dice.roll("surname_alternate", p.surname_alternate):
                family = rng.choice(others)
        firsts = [given] + ([middle] if middle else [])
        title = dice.roll("title", p.title)
        swap = dice.roll("swap", p.swap)
        upper = script != "devanagari" and dice.roll("upper_case", p.upper_case)
        layout = "all" if script == "both" else dice.choose("layout", p.layouts)

        written: dict[bool, tuple[str, str, str]] = {}  # one spelling per script: a writer filling in the
        # full name and its parts in the same script spells them the same way

        def parts(in_deva: bool) -> tuple[str, str, str]:
            if in_deva in written:
                return written[in_deva]
            first = self._words(firsts, in_deva, hindi, p, dice)
            last = self._word(family, in_deva, hindi, p, dice) if family else ""
            prefix = ""
            if title:
                pairs: tuple[tuple[str, float], ...]
                if in_deva:
                    pairs = names_np.TITLES_FEMALE_DEVANAGARI if person.sex == "F" else names_np.TITLES_MALE_DEVANAGARI
                else:
                    pairs = names_np.TITLES_FEMALE_LATIN if person.sex == "F" else names_np.TITLES_MALE_LATIN
                prefix = _title_of(rng, pairs)
            if upper and not in_deva:
                first, last, prefix = first.upper(), last.upper(), prefix.upper()
            written[in_deva] = (prefix, first, last)
            return prefix, first, last

        full = given_field = family_field = ""
        if layout in ("full", "all"):
            prefix, first, last = parts(script != "latin")
            words = [last, first] if swap else [first, last]
            full = " ".join(w for w in [prefix, *words] if w)
        if layout in ("split", "all"):
            prefix, first, last = parts(script == "devanagari")
            if layout == "split" and prefix:
                first = f"{prefix} {first}"
            given_field, family_field = (last, first) if swap else (first, last)

        sex = person.sex
        if dice.roll("sex_blank", p.sex_blank):
            sex = ""
        elif dice.roll("sex_word", p.sex_word):
            sex = rng.choice((SEX_WORDS_DEVANAGARI if script == "devanagari" else SEX_WORDS_LATIN)[person.sex])

        birth_date, birth_date_bs, age = self._dates(person, on, p, dice)

        father = self._parent(person.father, "M", deva, hindi, p, dice) if dice.roll("father", p.father) else ""
        mother = self._parent(person.mother, "F", deva, hindi, p, dice) if dice.roll("mother", p.mother) else ""

        country, district, local, ward = self._home(person, p, dice, script == "devanagari", hindi)
        phone = ""
        if person.phone and dice.roll("phone", p.phone):
            phone = self._phone(person, script == "devanagari")
        return [
            record_id,
            full,
            given_field,
            family_field,
            sex,
            birth_date,
            birth_date_bs,
            age,
            on.isoformat(),
            father,
            mother,
            country,
            district,
            local,
            ward,
            phone,
        ]

    # --- dates and ages -------------------------------------------------------------------------------
    def _dates(self, person: Person, on: date, p: Profile, dice: Dice) -> tuple[str, str, str]:
        rng = self.rng
        true_age = age_on(person.birth, on)
        mode = dice.choose("birth_date", p.birth_dates)
        birth = person.birth
        if mode != "none":
            if p.date_error and dice.roll("date_error", p.date_error):
                if rng.random() < 0.5:
                    birth = years_before(birth, rng.choice((-1, 1)))
                else:
                    birth += timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 20))
            if p.document_adult and 13 <= true_age < 18 and dice.roll("document_adult", p.document_adult):
                birth = years_before(birth, 18 - true_age + rng.randint(0, 2))
        ad = birth.isoformat() if mode in ("ad", "both") else str(birth.year) if mode == "year" else ""
        bs = bs_date(birth) if mode in ("bs", "both") else ""
        if mode != "none" and not dice.roll("age_with_date", p.age_with_date):
            return ad, bs, ""
        stated = true_age
        if p.running_age and dice.roll("running_age", p.running_age):
            stated += 1
        if p.minor_claims_adult and 13 <= true_age < 18 and dice.roll("minor_claims_adult", p.minor_claims_adult):
            stated = rng.randint(18, 20)
        elif len(p.age_error) > 1:
            off = int(dice.choose("age_error", p.age_error))
            if true_age < 10:  # a small child's age is easier to tell
                off = min(off, 2)
            stated += off if rng.random() < 0.5 else -off
        return ad, bs, str(max(stated, 1))

    # --- home ---------------------------------------------------------------------------------------------
    def _place(self, place: Place, kind: str, deva: bool, hindi: bool, p: Profile, dice: Dice) -> str:
        rng = self.rng
        if deva and place.deva:
            return _hindi(place.deva) if hindi else place.deva
        text = place.en
        if place.aliases and dice.roll("place_alias", p.place_alias):
            text = rng.choice(place.aliases)
        if kind == "local" and " " in text and dice.roll("local_first_word", p.local_first_word):
            text = text.split()[0]
        if dice.roll(f"{kind}_misspelt", p.district_misspelt if kind == "district" else p.local_misspelt):
            slipped = spelling.latin(text, PLACE_SLIPS, self._scratch)
            text = slipped if slipped != text else spelling.latin_typo(text, self._scratch)
        return text

    def _home(self, person: Person, p: Profile, dice: Dice, deva: bool, hindi: bool) -> tuple[str, str, str, str]:
        rng = self.rng
        home = person.home
        nationality = person.nationality
        if p.country_wrong and nationality == "NP" and dice.roll("country_wrong", p.country_wrong):
            nationality = "IN"
        form = dice.choose("home_country", p.countries)
        country = {
            "code": nationality,
            "name": "Nepal" if nationality == "NP" else "India",
            "devanagari": "नेपाल" if nationality == "NP" else "भारत",
            "blank": "",
        }[form]
        district = local = ward = ""
        if dice.roll("district", p.district):
            district = self._place(home.district.place, "district", deva, hindi, p, dice)
            if home.local is not None and dice.roll("local_level", p.local_level):
                place = home.local
                if home.vdc is not None and dice.roll("vdc", p.vdc):
                    place = home.vdc
                local = self._place(place, "local", deva, hindi, p, dice)
                if place.kind in SUFFIXES_LATIN and dice.roll("local_suffix", p.local_suffix):
                    suffixes = SUFFIXES_DEVANAGARI if deva and place.deva else SUFFIXES_LATIN
                    local = f"{local} {rng.choice(suffixes[place.kind])}"
                if home.ward and dice.roll("ward", p.ward):
                    ward = self._ward(home.ward, deva)
        return country, district, local, ward

    def _ward(self, number: int, deva: bool) -> str:
        roll = self.rng.random()
        if deva:
            if roll < 0.3:
                return str(number)
            if roll < 0.7:
                return devanagari_digits(str(number))
            return f"वडा नं. {devanagari_digits(str(number))}"
        if roll < 0.7:
            return str(number)
        if roll < 0.8:
            return f"{number:02d}"
        return f"Ward {number}" if roll < 0.9 else f"Ward No. {number}"

    def _phone(self, person: Person, deva: bool) -> str:
        number = person.phone
        roll = self.rng.random()
        if number.startswith("98"):
            if roll < 0.45:
                return devanagari_digits(number) if deva and roll < 0.1 else number
            if roll < 0.65:
                return f"+977{number}"
            if roll < 0.8:
                return f"+977-{number}"
            if roll < 0.9:
                return f"977 {number}"
            return f"{number[:3]}-{number[3:]}"
        if roll < 0.5:
            return number
        if roll < 0.7:
            return f"+91{number}"
        if roll < 0.8:
            return f"+91-{number}"
        if roll < 0.9:
            return f"0{number}"
        return f"+91 {number[:5]} {number[5:]}"
