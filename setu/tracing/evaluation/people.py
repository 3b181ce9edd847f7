"""The true people behind the records: who they are, before anyone writes them down.

A `Person` is the ground truth: the name as the family gives it, the true birth date, parents, home and the
family's phone. Records (records.py) are what officers wrote about a person, with the noise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from . import names_in, names_np
from .places import NP_COMMUNITIES, District, Geography, Place
from .pools import Name, Weighted

# Ages of missing and trafficked Nepalis: children and young women dominate (NHRC: over 70% of the missing
# are children; rescued girls are mostly 13 to 19, reference/domain.md §8 and README.md).
MISSING_AGES: Weighted[tuple[int, int]] = Weighted(
    [
        ((4, 8), 4),
        ((9, 12), 10),
        ((13, 15), 22),
        ((16, 17), 22),
        ((18, 20), 18),
        ((21, 25), 14),
        ((26, 35), 8),
        ((36, 50), 2),
    ]
)
# Indians on the found side: missing and rescued children and adults of every age [I].
INDIAN_AGES: Weighted[tuple[int, int]] = Weighted(
    [((3, 8), 6), ((9, 12), 10), ((13, 17), 30), ((18, 25), 30), ((26, 40), 19), ((41, 60), 5)]
)
_HIMALAYAN_MALE = frozenset(names_np.MALE_HIMALAYAN)
BIRTH_ORDER_SHARES = (0.3, 0.25, 0.15, 0.05, 0.05, 0.2)  # eldest, second, third, fourth, "in between", youngest


@dataclass(frozen=True, slots=True)
class FullName:
    given: Name
    middle: Name | None
    family: Name | None


@dataclass(frozen=True, slots=True)
class Home:
    district: District
    local: Place | None  # Nepal: the local level; India: a block or town
    ward: int  # 0 when not known
    vdc: Place | None  # the former VDC the home was in, when known (former_vdcs.json)


@dataclass(frozen=True, slots=True)
class Person:
    entity: str
    nationality: str  # "NP" or "IN"
    community: str
    sex: str  # "F" or "M"
    name: FullName
    nickname: Name | None
    birth: date
    father: FullName
    mother: FullName
    home: Home
    phone: str  # the national number's digits ("9800123456"), "" when the family has none

    def age_on(self, day: date) -> int:
        return age_on(self.birth, day)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_for_age(rng: random.Random, age: int, on: date) -> date:
    """A birth date that makes someone `age` whole years old on `on`."""
    return years_before(on, age) - timedelta(days=int(rng.random() * 365))


_GIVEN_POOLS = {community: Weighted(pairs) for community, pairs in names_np.GIVEN_POOLS.items()}
_NP_COMMUNITIES = {region: Weighted(pairs) for region, pairs in NP_COMMUNITIES.items()}
_IN_COMMUNITIES = {region: Weighted(pairs) for region, pairs in names_in.COMMUNITIES.items()}
_GORKHA = Weighted(names_in.GORKHA_COMMUNITIES)
_FEMALE_MIDDLE = Weighted(names_np.FEMALE_MIDDLE)
_MALE_MIDDLE = Weighted(names_np.MALE_MIDDLE)
_MALE_MIDDLE_MADHESI = Weighted(names_np.MALE_MIDDLE_MADHESI)
_BIRTH_ORDER = {
    "F": Weighted(list(zip(names_np.BIRTH_ORDER_FEMALE, BIRTH_ORDER_SHARES, strict=True))),
    "M": Weighted(list(zip(names_np.BIRTH_ORDER_MALE, BIRTH_ORDER_SHARES, strict=True))),
}


def _overlaps(given: Name, middle: Name) -> bool:
    return middle.key.lower() in given.key.lower().replace(" ", "")


class Population:
    """Draws people. Every draw uses the one `rng`, so a population is reproducible from its seed."""

    def __init__(self, rng: random.Random, geo: Geography) -> None:
        self.rng = rng
        self.geo = geo

    # --- Nepali people ---------------------------------------------------------------------------------
    def _np_given(self, community: str, sex: str) -> Name:
        pools = names_np.FEMALE_POOLS if sex == "F" else names_np.MALE_POOLS
        return pools[_GIVEN_POOLS[community].pick(self.rng)].pick(self.rng)

    def _np_name(self, community: str, sex: str, family: Name, *, adult: bool = False) -> FullName:
        rng = self.rng
        given = self._np_given(community, sex)
        middle: Name | None = None
        if sex == "M":
            madhesi = community in ("madhesi", "tharu")
            share = 0.1 if given in _HIMALAYAN_MALE else 0.6 if adult else 0.25
            if given.key in names_np.STEMS or (community != "muslim" and rng.random() < share):
                middle = (_MALE_MIDDLE_MADHESI if madhesi else _MALE_MIDDLE).pick(rng)
        elif community != "muslim" and rng.random() < (0.45 if adult else 0.2):
            middle = _FEMALE_MIDDLE.pick(rng)
        if middle is not None and _overlaps(given, middle):
            middle = None
        return FullName(given, middle, family)

    def _np_family(self, community: str) -> Name:
        return names_np.FAMILY_POOLS[community].pick(self.rng)

    def _nickname(self, sex: str, given: Name) -> Name:
        rng = self.rng
        roll = rng.random()
        if given.short and roll < 0.15:
            deva, latin = given.short
            return Name(ne=deva, latin=(latin,), key=latin)
        if roll < 0.75:
            return _BIRTH_ORDER[sex].pick(rng)
        return rng.choice(names_np.PET_FEMALE if sex == "F" else names_np.PET_MALE)

    def _np_home(self, district: District) -> Home:
        rng = self.rng
        local = district.local_weights.pick(rng) if district.local_weights else None
        ward = 1 + int(rng.random() * local.wards) if local and local.wards else 0
        vdcs = district.vdcs.get(local.en, ()) if local else ()
        return Home(district, local, ward, rng.choice(vdcs) if vdcs else None)

    def _np_phone(self) -> str:
        # Nepal Telecom's 980 range, in a block full of zeros (9800xxxxxx): synthetic, never to be dialled.
        return f"9800{int(self.rng.random() * 1_000_000):06d}" if self.rng.random() < 0.9 else ""

    def nepali(
        self,
        entity: str,
        *,
        on: date,
        female_share: float = 0.85,
        ages: Weighted[tuple[int, int]] = MISSING_AGES,
        district: District | None = None,
        community: str | None = None,
        nationality: str = "NP",
    ) -> Person:
        """A Nepali (or, with nationality="IN", an Indian Gorkha) of an age drawn from `ages` on `on`."""
        rng = self.rng
        if district is None:
            district = self.geo.nepal_weights.pick(rng)
        if community is None:
            community = _NP_COMMUNITIES[district.region].pick(rng)
        sex = "F" if rng.random() < female_share else "M"
        low, high = ages.pick(rng)
        birth = birth_for_age(rng, low + int(rng.random() * (high - low + 1)), on)
        family = self._np_family(community)
        name = self._np_name(community, sex, family)
        if sex == "F" and community in names_np.FAMILY_FEMALE and rng.random() < 0.4:
            name = replace(name, family=names_np.FAMILY_FEMALE[community][0])
        father = self._np_name(community, "M", family, adult=True)
        mother = self._mother(community, family)
        home = self._np_home(district) if nationality == "NP" else self._in_home(district)
        phone = self._np_phone() if nationality == "NP" else self._in_phone()
        return Person(
            entity=entity,
            nationality=nationality,
            community=community,
            sex=sex,
            name=name,
            nickname=self._nickname(sex, name.given),
            birth=birth,
            father=father,
            mother=mother,
            home=home,
            phone=phone,
        )

    def _mother(self, community: str, husband_family: Name) -> FullName:
        rng = self.rng
        if community == "madhesi" and rng.random() < 0.5:
            return FullName(self._np_given(community, "F"), None, names_np.DEVI)
        if community in names_np.FAMILY_FEMALE and rng.random() < 0.5:
            return FullName(self._np_given(community, "F"), None, names_np.FAMILY_FEMALE[community][0])
        # Married women mostly carry the husband's family name; some keep their own (another family).
        family = husband_family if rng.random() < 0.6 else self._np_family(community)
        return self._np_name(community, "F", family, adult=True)

    # --- Hard negatives --------------------------------------------------------------------------------
    def _apart(self, of: Person, on: date, most: int) -> date:
        """A birth date 1 to `most` years from `of`'s (a year or more apart on any day), at least 3 on `on`."""
        rng = self.rng
        days = 366 * rng.randint(1, most) + rng.randint(0, 120)
        birth = of.birth + timedelta(days=days if rng.random() < 0.5 else -days)
        return of.birth - timedelta(days=days) if age_on(birth, on) < 3 else birth

    def sibling(self, of: Person, entity: str, *, on: date) -> Person:
        """A brother or sister: same parents, family name, home and phone; another given name and age."""
        rng = self.rng
        sex = "F" if rng.random() < 0.75 else "M"
        while True:
            name = self._np_name(of.community, sex, of.father.family or of.name.family or names_np.DEVI)
            if name.given.key != of.name.given.key:
                break
        if of.name.family is not None and of.name.family != of.father.family and sex == "F":
            name = replace(name, family=of.name.family)  # sisters both written Khatun
        birth = self._apart(of, on, 8)
        nickname = self._nickname(sex, name.given)
        if of.nickname is not None and nickname.key == of.nickname.key:
            nickname = names_np.PET_FEMALE[0] if sex == "F" else names_np.PET_MALE[0]
        return replace(of, entity=entity, sex=sex, name=name, nickname=nickname, birth=birth)

    def namesake(self, of: Person, entity: str, *, on: date) -> Person:
        """Someone else with the same name from the same district: other parents, a few years apart.

        Three in ten live in the same local level (another ward or the same), the rest elsewhere in the
        district.
        """
        rng = self.rng
        family = of.father.family or of.name.family or self._np_family(of.community)
        while True:
            father = self._np_name(of.community, "M", family, adult=True)
            if father.given.key != of.father.given.key:
                break
        home = self._np_home(of.home.district)
        if rng.random() < 0.3 and of.home.local is not None:
            home = Home(of.home.district, of.home.local, rng.randint(1, max(of.home.local.wards, 1)), of.home.vdc)
        return replace(
            of,
            entity=entity,
            birth=self._apart(of, on, 6),
            father=father,
            mother=self._mother(of.community, family),
            home=home,
            phone=self._np_phone(),
            nickname=self._nickname(of.sex, of.name.given),
        )

    # --- Indians ---------------------------------------------------------------------------------------
    def _in_home(self, district: District) -> Home:
        local = district.local_weights.pick(self.rng) if district.local_weights else None
        return Home(district, local, 0, None)

    def _in_phone(self) -> str:
        # A 9 series mobile in a block full of zeros (9000xxxxxx): synthetic, never to be dialled.
        return f"9000{int(self.rng.random() * 1_000_000):06d}" if self.rng.random() < 0.6 else ""

    def indian(self, entity: str, *, on: date) -> Person:
        """An Indian national of the border belt, as found or missing in India."""
        rng = self.rng
        district = self.geo.india_weights.pick(rng)
        community = _IN_COMMUNITIES[district.region].pick(rng)
        if community == "gorkha":
            nepali_community = _GORKHA.pick(rng)
            return self.nepali(
                entity,
                on=on,
                female_share=0.65,
                ages=INDIAN_AGES,
                district=district,
                community=nepali_community,
                nationality="IN",
            )
        sex = "F" if rng.random() < 0.65 else "M"
        low, high = INDIAN_AGES.pick(rng)
        age = low + int(rng.random() * (high - low + 1))
        birth = birth_for_age(rng, age, on)
        pools = names_in.FEMALE_POOLS if sex == "F" else names_in.MALE_POOLS
        given = pools[community].pick(rng)
        family = names_in.FAMILY_POOLS[community].pick(rng)
        own_family = family
        if sex == "F" and community == "muslim" and rng.random() < 0.5:
            own_family = names_in.KHATUN if rng.random() < 0.8 else names_in.BEGUM
        elif sex == "F" and community != "muslim" and rng.random() < 0.35:
            own_family = names_in.KUMARI if age < 22 else names_in.DEVI
        elif sex == "M" and community != "muslim" and rng.random() < 0.2:
            own_family = names_in.KUMAR
        father_given = names_in.MALE_POOLS[community].pick(rng)
        mother_given = names_in.FEMALE_POOLS[community].pick(rng)
        if community == "muslim":
            mother_family = names_in.KHATUN if rng.random() < 0.6 else family
        else:
            mother_family = names_in.DEVI if rng.random() < 0.6 else family
        return Person(
            entity=entity,
            nationality="IN",
            community=community,
            sex=sex,
            name=FullName(given, None, own_family),
            nickname=None,
            birth=birth,
            father=FullName(father_given, None, family),
            mother=FullName(mother_given, None, mother_family),
            home=self._in_home(district),
            phone=self._in_phone(),
        )
