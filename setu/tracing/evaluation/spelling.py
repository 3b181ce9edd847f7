"""How a name or a place gets written down: the spelling slips of people who heard it once.

Each function takes a correct form and returns the form one writer produced, rolling the `Dice` for each
kind of slip that could apply to that form (a rule that cannot apply is not rolled, so a kind's rate is
its rate among the names it could touch). The rules are this module's own, written from how Nepali and
Hindi writers and Indian officers spell Nepali names (README.md, "Noise model"); they deliberately share
nothing with the matcher's normalisation in setu/tracing/linkage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .pools import Dice

_C = "b-df-hj-np-tv-z"  # Latin consonant letters (y counts as one)
_UNIT = rf"(?:chh|[bcdgjkpst]h|[{_C}])"  # one consonant sound as Nepali romanisation writes it


@dataclass(frozen=True, slots=True)
class LatinRates:
    aspirate: float  # bh/dh/gh/jh/kh/chh lose the h, or ch gains one: Bhagwati→Bagwati, Chhetri→Chetri
    sibilant: float  # sh→s: Sushma→Susma, Shanti→Santi, Shrestha→Srestha
    sh_added: float  # s→sh at the start of a word, as Bengali speakers say it: Sabita→Shabita
    ba_va: float  # b↔v, w→v: Bikash→Vikash, Bishwakarma→Vishwakarma, Bhagwati→Bhagvati
    vowel_length: float  # i↔ee, u↔oo, aa→a: Sita→Seeta, Puja→Pooja, Tamaang→Tamang
    schwa: float  # the inherent vowel of the next-to-last syllable dropped: Kamala→Kamla, Mamata→Mamta
    double: float  # a doubled consonant written once: Mahottari→Mahotari, Bhattarai→Bhatarai
    typo: float  # one letter dropped, two swapped, or one doubled
    label: str = ""  # prefixed to the kinds counted ("native_aspirate"), so each set of rates is measured apart
    values: tuple[float, ...] = field(init=False, repr=False, compare=False)  # in LATIN_KINDS order
    kinds: tuple[str, ...] = field(init=False, repr=False, compare=False)  # LATIN_KINDS and "typo", labelled

    def __post_init__(self) -> None:
        rates = (self.aspirate, self.sibilant, self.sh_added, self.ba_va, self.vowel_length, self.schwa, self.double)
        object.__setattr__(self, "values", rates)
        object.__setattr__(self, "kinds", tuple(self.label + kind for kind in (*LATIN_KINDS, "typo")))


@dataclass(frozen=True, slots=True)
class DevanagariRates:
    ng_anusvara: float  # ङ written ंग / ं: तामाङ→तामांग, सङ्गीता→संगीता
    vowel_length: float  # ि↔ी, ु↔ू: सुनिता→सुनीता
    sibilant: float  # श/ष/स confused: सुष्मा→सुस्मा, शान्ति→सान्ति
    ba_va: float  # ब↔व: बिमला→विमला
    gya: float  # ज्ञ written as it is said in Nepali, ग्य: ज्ञानु→ग्यानु
    typo: float  # a vowel sign dropped or two syllables swapped
    label: str = ""
    kinds: tuple[str, ...] = field(init=False, repr=False, compare=False)  # DEVANAGARI_KINDS, labelled

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", tuple(self.label + kind for kind in DEVANAGARI_KINDS))


LATIN_KINDS = ("aspirate", "sibilant", "sh_added", "ba_va", "vowel_length", "schwa", "double")
DEVANAGARI_KINDS = ("ng_anusvara", "gya", "deva_vowel_length", "deva_sibilant", "deva_ba_va", "deva_typo")


# --- Latin -------------------------------------------------------------------------------------------------
_ASPIRATE = re.compile(r"chh|[bdgjk]h|ch(?!h)")
_SH = re.compile(r"sh")
_INITIAL_S = re.compile(r"\bs(?=[aeiou])")
_BA_VA = re.compile(rf"b(?!h)|v|(?<=[{_C}])w")
_VOWEL = re.compile(rf"ee|oo|aa|(?<=[{_C}])[iu](?![aeiou])")
_SCHWA = re.compile(rf"(?<=[aeiou])({_UNIT})a({_UNIT})a\b")
_DOUBLE = re.compile(rf"([{_C}])\1")
_LONG = {"ee": "i", "oo": "u", "aa": "a", "i": "ee", "u": "oo"}


def is_literal(spelling: str) -> bool:
    """Abbreviations (BK, B.K., Md.) are written as they are: no phonetic slip applies to them."""
    return "." in spelling or any(c.isupper() for word in spelling.split() for c in word[1:])


_BA_VA_SWAP = {"b": "v", "v": "b", "w": "v"}
Slips = tuple[tuple[tuple[int, int, str], ...], ...]


@lru_cache(maxsize=200_000)
def _latin_slips(text: str) -> Slips:
    """Where each Latin rule (in LATIN_KINDS order) could change `text`: (start, end, replacement)."""
    sh = tuple((m.start(), m.end(), "s") for m in _SH.finditer(text))
    return (
        tuple((m.start(), m.end(), "chh" if m.group() == "ch" else m.group()[:-1]) for m in _ASPIRATE.finditer(text)),
        sh,
        () if sh else tuple((m.start(), m.end(), "sh") for m in _INITIAL_S.finditer(text)),
        tuple((m.start(), m.end(), _BA_VA_SWAP[m.group()]) for m in _BA_VA.finditer(text)),
        tuple((m.start(), m.end(), _LONG[m.group()]) for m in _VOWEL.finditer(text)),
        tuple((m.start(), m.end(), m.group(1) + m.group(2) + "a") for m in _SCHWA.finditer(text)),
        tuple((m.start(), m.start() + 1, "") for m in _DOUBLE.finditer(text)),
    )


@lru_cache(maxsize=50_000)
def _lowered(spelling: str) -> str | None:
    return None if is_literal(spelling) else spelling.lower()


def latin(spelling: str, rates: LatinRates, dice: Dice) -> str:
    """One writer's Latin spelling of `spelling` (a usual spelling from the tables, capitalised)."""
    text = _lowered(spelling)
    if text is None:
        return spelling
    slips = _latin_slips(text)
    values = rates.values
    kinds = rates.kinds
    changed = False
    for i in range(7):
        places = slips[i]
        if places and dice.roll(kinds[i], values[i]):
            start, end, new = places[int(dice.random() * len(places))]
            text = text[:start] + new + text[end:]
            slips = _latin_slips(text)
            if i == 1:  # an sh just written as s is not then written sh again
                slips = (*slips[:2], (), *slips[3:])
            changed = True
    if len(text) > 3 and dice.roll(kinds[7], rates.typo):
        text = latin_typo(text, dice)
        changed = True
    if not changed:
        return spelling
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def latin_typo(text: str, dice: Dice) -> str:
    """One keying slip inside a word: a letter dropped, two neighbours swapped, or a letter doubled."""
    rng = dice.rng
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    kind = rng.randrange(3)
    if kind == 0:
        at = rng.choice(letters[1:])  # the first letter is the one people get right
        return text[:at] + text[at + 1 :]
    if kind == 1:
        pairs = [i for i in letters[1:-1] if text[i + 1].isalpha()]
        if pairs:
            at = rng.choice(pairs)
            return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    at = rng.choice(letters)
    return text[: at + 1] + text[at] + text[at + 1 :]


# --- Devanagari --------------------------------------------------------------------------------------------
_STOPS = "कखगघचछजझटठडढतथदधपफबभ"
_HALF_NASAL = re.compile(f"[ञणनम]्(?=[{_STOPS}])")
# ङ before a velar stop becomes anusvara (सङ्गीता→संगीता); elsewhere, and at the end, ंग (तामाङ→तामांग,
# मिङ्मा→मिंगमा, स्याङ्तान→स्यांगतान). ङ with a vowel sign after it is left alone.
_NG = re.compile("(ङ्(?=[कखगघ]))|ङ्?(?![\u093e-\u094c])")
_D_VOWEL = re.compile("[िीुू]")
_D_SIBILANT = re.compile("[शषस]")
_D_BA_VA = re.compile("[बव]")
_SWAP_VOWEL = {"ि": "ी", "ी": "ि", "ु": "ू", "ू": "ु"}
_AKSHARA = re.compile(
    "(?:[\u0915-\u0939]\u093c?(?:\u094d[\u0915-\u0939]\u093c?)*|[\u0905-\u0914])"
    "[\u093e-\u094c\u0962\u0963]?[\u0901-\u0903]?\u094d?|."
)
_MATRA = re.compile("[\u093e-\u094c\u0901\u0902]")


def _ng_sub(match: re.Match[str]) -> str:
    return "ं" if match.group(1) else "ंग"


def hindi_orthography(text: str) -> str:
    """The Hindi spelling rule for a Nepali spelling: a nasal before a stop is written as anusvara.

    सन्तोष→संतोष, सङ्गीता→संगीता, रञ्जना→रंजना, तामाङ→तामांग. Names whose Hindi spelling differs in more than
    this (सुनिता→सुनीता) carry it in the tables as `Name.hi`.
    """
    return _HALF_NASAL.sub("ं", _NG.sub(_ng_sub, text))


_SWAP_SIBILANT = {"स": "श", "श": "स", "ष": "स"}  # ष is written स, or (below) श


@lru_cache(maxsize=200_000)
def _devanagari_slips(text: str) -> Slips:
    """Where each Devanagari rule could change `text` (vowel length, sibilant, ba/va): (start, end, new)."""
    return (
        tuple((m.start(), m.end(), _SWAP_VOWEL[m.group()]) for m in _D_VOWEL.finditer(text)),
        tuple((m.start(), m.end(), _SWAP_SIBILANT[m.group()]) for m in _D_SIBILANT.finditer(text)),
        tuple((m.start(), m.end(), "व" if m.group() == "ब" else "ब") for m in _D_BA_VA.finditer(text)),
    )


def devanagari(text: str, rates: DevanagariRates, dice: Dice) -> str:
    """One writer's Devanagari for `text` (already in the writer's orthography, Nepali or Hindi)."""
    rng = dice.rng
    kinds = rates.kinds
    if "ङ" in text and dice.roll(kinds[0], rates.ng_anusvara):
        text = _NG.sub(_ng_sub, text)
    if "ज्ञ" in text and dice.roll(kinds[1], rates.gya):
        text = text.replace("ज्ञ", "ग्य")
    slips = _devanagari_slips(text)
    for i, rate in enumerate((rates.vowel_length, rates.sibilant, rates.ba_va)):
        places = slips[i]
        if places and dice.roll(kinds[2 + i], rate):
            start, end, new = places[int(dice.random() * len(places))]
            if new == "स" and text[start] == "ष" and rng.random() < 0.4:
                new = "श"
            text = text[:start] + new + text[end:]
            slips = _devanagari_slips(text)
    if len(text) > 2 and dice.roll(kinds[5], rates.typo):
        text = devanagari_typo(text, dice)
    return text


def devanagari_typo(text: str, dice: Dice) -> str:
    """A vowel sign or nasal mark dropped, or two neighbouring syllables swapped."""
    rng = dice.rng
    units = _AKSHARA.findall(text)
    with_sign = [i for i, unit in enumerate(units) if _MATRA.search(unit) and len(unit) > 1]
    if with_sign and rng.random() < 0.6:
        i = rng.choice(with_sign)
        signs = list(_MATRA.finditer(units[i]))
        sign = signs[rng.randrange(len(signs))]
        units[i] = units[i][: sign.start()] + units[i][sign.end() :]
        return "".join(units)
    pairs = [i for i in range(len(units) - 1) if units[i] not in ". " and units[i + 1] not in ". "]
    if pairs:
        i = rng.choice(pairs)
        units[i], units[i + 1] = units[i + 1], units[i]
    return "".join(units)
