"""Names made comparable across Devanagari and Latin letters, Nepali and Hindi spelling. Pure: no Django.

A name reaches the matcher as "सीता तामाङ" from a Nepali police report and as "Km. Seeta Kumari Tamang"
from an Indian CWC register. Plain transliteration gets only about three in four true Devanagari/Latin
pairs above a usual Jaro-Winkler cut-off; what lifts it is comparing forms in which the differences that
carry no meaning are gone. Each word goes through three steps:

1. **Latin letters**: Devanagari through `setu.core.text.devanagari_to_latin` (Nepali and Hindi usage:
   ज्ञ is "gya", सिंह "singh", the anusvara becomes the nasal of the next letter, so तमांग and तामाङ
   are both "tamang", and the word-final inherent vowel is dropped where it is silent).
2. **Spelled form** (`spelled`): the spelling choices of romanisation made one: vowel length (ee, ii → i;
   oo, uu → u; aa → a: Seeta / Sita, Pooja / Puja), श/ष/स (sh → s: Sushma / Susma), व/ब (v, w → b:
   Vikas / Bikash, Vishwakarma / Bishwakarma), aspiration (kh, gh, chh, jh, th, dh, ph, bh → k, g, c, j,
   t, d, p, b: Bhagwati / Bagwati, Chhetri / Chetri), f → p (Fulmaya / फूलमाया), z → j, q → k,
   x → ks (Laxmi / Lakshmi), a final y → i (Chaudhary / चौधरी), ou → au, doubled letters once
   (Mahottari / Mahotari).
3. **Skeleton** (`skeleton`): the spelled form without an "a" between two consonants. Whether the
   inherent vowel is written is the commonest difference of all and says nothing (Kamala / Kamla / कमला,
   Srijana / सृजना, Bhagawati / भगवती); vowels that are written in Devanagari (i, u, e, o) stay.

On top of the words, a name is read into parts (`read_name`): titles dropped (Shri, Smt., Sushri, Miss,
श्री, स्व.), fillers that officers add or drop set aside (Kumari, Km., Devi, Kumar, Bahadur, Maya, Prasad,
Lal, Khatun, also when written together: Dilmaya = Dil Maya), birth-order and pet names recognised as
nicknames that say nothing of the given name (Kanchi, Maili, Nani, Babu, ...), and family names put in
their group where one family name is written several ways (BK / B.K. / Bishwakarma / Vishwakarma; Limbu /
Subba; Chaudhary / Choudhary / Chaudhari). Everything here is a rule of spelling, listed in tables below;
the weights of agreement come from the data (setu.tracing.linkage.model).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from setu.core.text import devanagari_to_latin, has_devanagari, phonetic_key

__all__ = [
    "NameParts",
    "is_nickname",
    "read_name",
    "skeleton",
    "spelled",
    "word_forms",
]

# --- words ----------------------------------------------------------------------------------------------------

# Digraphs first, in the order they must apply (chh before ch, ksh before sh). Aspiration is dropped after
# a stop; "h" after a vowel or at the start of a word is a sound of its own (Hari, Rahul, Bahadur).
_DIGRAPHS = (
    ("chh", "c"), ("ch", "c"), ("ksh", "ks"), ("kh", "k"), ("gh", "g"), ("jh", "j"), ("th", "t"), ("dh", "d"),
    ("ph", "p"), ("bh", "b"), ("sh", "s"), ("ee", "i"), ("ii", "i"), ("oo", "u"), ("uu", "u"), ("aa", "a"),
    ("ou", "au"),
)  # fmt: skip
_LETTERS = str.maketrans({"v": "b", "w": "b", "f": "p", "z": "j", "q": "k"})
_VOWELS = frozenset("aeiou")


def _latin(word: str) -> str:
    """One word in plain lower-case Latin letters (a Devanagari word romanised, Nepali/Hindi usage)."""
    if has_devanagari(word):
        word = devanagari_to_latin(word)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")


@lru_cache(maxsize=200_000)
def spelled(word: str) -> str:
    """The spelled form of one word in either script ("सीता", "Seeta" → "sita"; "Vishwakarma",
    "बिश्वकर्मा" → "bisbakarma"); "" when the word has no letters."""
    text = _latin(word).replace("x", "ks")
    for source, target in _DIGRAPHS:
        text = text.replace(source, target)
    text = text.translate(_LETTERS)
    if text.endswith("y") and len(text) > 1 and text[-2] not in _VOWELS:
        text = text[:-1] + "i"
    out: list[str] = []
    for ch in text:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=200_000)
def skeleton(form: str) -> str:
    """A spelled form without the "a" written between two consonants ("kamala", "kamla" → "kmla"). Takes a
    spelled form (use `word_forms` for raw words)."""
    out = []
    for i, ch in enumerate(form):
        if ch == "a" and 0 < i < len(form) - 1 and form[i - 1] not in _VOWELS and form[i + 1] not in _VOWELS:
            continue
        out.append(ch)
    return "".join(out)


def word_forms(word: str) -> tuple[str, str, str]:
    """(spelled form, skeleton, loose phonetic key) of one word in either script."""
    form = spelled(word)
    return form, skeleton(form), phonetic_key(form) if form else ""


# --- names ----------------------------------------------------------------------------------------------------


def _spelled_set(*words: str) -> frozenset[str]:
    return frozenset(spelled(word) for word in words)


# Titles say nothing about who it is (Shri, Smt., Sushri, Kumari as "Km." is a filler, see below).
TITLES = _spelled_set(
    "shri", "sri", "shree", "shriman", "smt", "shrimati", "srimati", "sushri", "mr", "mrs", "ms", "miss", "master",
    "late", "swargiya", "sw", "baby", "dr", "श्री", "श्रीमान्", "श्रीमती", "सुश्री", "स्व", "स्वर्गीय", "सुश्री",
)  # fmt: skip
# Words officers add or leave out, before or after the given name or in the family name's place: they are
# kept aside and never decide a comparison. "Km." and "कु." are Kumari.
FILLERS = _spelled_set(
    "kumari", "km", "kum", "ku", "kumar", "devi", "debi", "bahadur", "maya", "prasad", "lal", "khatun", "khatoon",
    "begum", "nath", "md", "mohd", "mohammad", "mohammed", "muhammad",
    "कुमारी", "कु", "कुमार", "देवी", "बहादुर", "माया", "प्रसाद", "लाल", "खातून", "बेगम",
)  # fmt: skip
# Fillers written as one word with the name before them (Dilmaya, Manbahadur, Hiralal): the stem must keep
# this many letters, so that Bilal or Kumari itself are not cut.
_SUFFIX_FILLERS = {spelled(w): n for w, n in (("maya", 2), ("bahadur", 2), ("kumari", 3), ("prasad", 3),
                                               ("lal", 3), ("kumar", 3), ("devi", 3))}  # fmt: skip
# Birth-order and pet names used in place of a given name: a match on them says nothing.
NICKNAMES = _spelled_set(
    "jethi", "jetho", "jethu", "maili", "maila", "saili", "saila", "kanchi", "kanchhi", "kancha", "kanchha",
    "antari", "thuli", "thulo", "sanu", "sani", "nani", "babu", "baby", "bebi", "chhori", "chhoro", "bhai",
    "bahini", "didi", "kanchu", "nanu", "munni", "munna", "guddi", "pinky", "chhoti", "chhotu",
    "जेठी", "माइली", "साइली", "कान्छी", "कान्छा", "अन्तरी", "ठूली", "सानु", "नानी", "बाबु", "छोरी", "मुन्नी",
)  # fmt: skip

# One family name, several spellings: each group's spellings meet in its first spelling's form.
_FAMILY_GROUPS = (
    ("bishwakarma", "bk", "b k", "vishwakarma", "biswakarma", "bishwokarma", "biswokarma", "bishokarma",
     "bisokarma", "viswakarma", "vishvakarma", "vishwokarma", "विश्वकर्मा", "बिश्वकर्मा", "बि.क.", "वि.क."),
    ("chaudhary", "choudhary", "chaudhari", "choudhari", "chaudhry", "choudhry", "chowdhury", "chowdhary",
     "चौधरी"),
    ("shrestha", "srestha", "shrestra", "srestra", "shresta", "श्रेष्ठ"),
    ("upadhyay", "upadhyaya", "upadhaya", "upadhya", "उपाध्याय"),
    ("khatri chhetri", "kc", "k c", "khatri", "के.सी.", "खत्री"),
    ("gharti magar", "gharti"),
    ("shah", "sah", "saha", "shaha", "साह", "शाह"),
    ("singh", "sinh", "singha", "सिंह"),
    ("mandal", "mondal", "mondol", "मण्डल", "मंडल"),
    ("yadav", "yadab", "jadav", "यादव"),
    ("mahato", "mahto", "mehta", "महतो"),
    ("tamang", "tamag", "तामाङ", "तमांग"),
    ("sherpa", "serpa", "शेर्पा"),
    ("sunuwar", "sunwar", "सुनुवार"),
)  # fmt: skip
# Family names of one community that the same family is recorded under (Limbu families also use the
# title Subba; Dalit families of the tailoring and music caste are Pariyar, Nepali, Damai): a weaker
# agreement than the same name, a level of its own in the model.
_FAMILY_COMMUNITIES = (
    ("limbu", "subba", "लिम्बू", "सुब्बा"),
    ("pariyar", "nepali", "damai", "dholi", "परियार", "नेपाली", "दमाई"),
    ("magar", "thapa magar", "rana magar", "ale magar", "pun magar", "gharti magar", "मगर"),
    ("rai", "kirati", "राई"),
    ("sarki", "mijar", "सार्की", "मिजार"),
    ("bishwakarma", "kami", "lohar", "sunar", "कामी", "सुनार"),
)  # fmt: skip
# Two-word family names (the first word alone would be read as a given name).
_COMPOUND_FAMILIES = frozenset(
    (spelled(a), spelled(b)) for a, b in (("thapa", "magar"), ("rana", "magar"), ("ale", "magar"), ("pun", "magar"),
                                           ("gharti", "magar"), ("khatri", "chhetri"), ("b", "k"), ("k", "c"))
)  # fmt: skip


def _phrase_key(phrase: str) -> str:
    words = [w for w in re.split(r"[\s.]+", phrase) if w]
    return skeleton("".join(spelled(w) for w in words))


def _group_table(groups: tuple[tuple[str, ...], ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for group in groups:
        canonical = _phrase_key(group[0])
        for spelling in group:
            table.setdefault(_phrase_key(spelling), canonical)
    return table


FAMILY_CANONICAL = _group_table(_FAMILY_GROUPS)
FAMILY_COMMUNITY = _group_table(_FAMILY_COMMUNITIES)


def is_nickname(word: str) -> bool:
    return spelled(word) in NICKNAMES


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name read into comparable parts; every string is a skeleton (see the module docstring).

    `given` is the first given name that is neither a title, a filler nor a nickname ("" if none);
    `family` the family name, put in its group where it has one; `community` its community group ("" if
    none); `tokens` every name word (given, family, fillers left out), for names written in another order.
    """

    given: str = ""
    given_spelled: str = ""  # the same given name as a spelled form (vowels kept), for "same spelling"
    other_given: tuple[str, ...] = ()
    family: str = ""
    community: str = ""
    tokens: frozenset[str] = frozenset()
    nickname: bool = False

    @property
    def given_key(self) -> str:
        return phonetic_key(self.given_spelled) if self.given_spelled else ""


_SPLIT = re.compile(r"[\s,;:/()\-–_'\"`|]+")


def _words(text: str) -> list[str]:
    """Words of a name; "B.K." and "K.C." stay one word each, "Km.Sita" becomes two."""
    text = unicodedata.normalize("NFC", text or "").replace("\u200c", "").replace("\u200d", "")
    words: list[str] = []
    for chunk in _SPLIT.split(text):
        if not chunk:
            continue
        parts = [p for p in chunk.split(".") if p]
        if len(parts) > 1 and all(len(p) == 1 for p in parts):
            words.append("".join(parts))  # B.K. -> BK
        else:
            words.extend(parts)
    return words


def _split_suffix(form: str) -> list[str]:
    for suffix, stem in _SUFFIX_FILLERS.items():
        if form.endswith(suffix) and len(form) - len(suffix) >= stem:
            return [form[: -len(suffix)], suffix]
    return [form]


def _forms(text: str) -> list[str]:
    """Spelled forms of the words of `text`, titles removed, joined fillers split off."""
    forms: list[str] = []
    for word in _words(text):
        form = spelled(word)
        if form and form not in TITLES:
            forms.extend(_split_suffix(form))
    return forms


def _family(forms: list[str]) -> tuple[str, str]:
    """(family, community) of the family-name words (spelled), fillers removed."""
    words = [f for f in forms if f not in FILLERS]
    if not words:
        return "", ""
    key = skeleton("".join(words))
    last = skeleton(words[-1])
    family = FAMILY_CANONICAL.get(key) or FAMILY_CANONICAL.get(last) or (key if len(words) <= 2 else last)
    community = FAMILY_COMMUNITY.get(key) or FAMILY_COMMUNITY.get(last) or FAMILY_COMMUNITY.get(family, "")
    return family, community


@lru_cache(maxsize=100_000)
def read_name(full_name: str = "", given_name: str = "", family_name: str = "") -> NameParts:
    """Read a person's name into comparable parts. With `given_name`/`family_name` the parts are taken as
    given; with only `full_name`, the last word (or a known two-word family name, BK, Thapa Magar) is the
    family name unless it is a filler ("Sunita Devi": no family name recorded)."""
    if given_name or family_name:
        given_forms, family_forms = _forms(given_name), _forms(family_name)
        if not given_forms and not family_forms:
            given_forms = _forms(full_name)
    else:
        forms = _forms(full_name)
        cut = len(forms)
        while cut and forms[cut - 1] in FILLERS:
            cut -= 1  # trailing fillers: "Sunita Devi", "Sita Kumari" - no family name written
        if cut >= 3 and (forms[cut - 2], forms[cut - 1]) in _COMPOUND_FAMILIES:
            given_forms, family_forms = forms[: cut - 2], forms[cut - 2 :]
        elif cut >= 2:
            given_forms, family_forms = forms[: cut - 1], forms[cut - 1 :]
        else:
            given_forms, family_forms = forms, []
    real = [f for f in given_forms if f not in FILLERS and f not in NICKNAMES]
    nickname = not real and any(f in NICKNAMES for f in given_forms)
    if not real and not nickname:
        real = [f for f in given_forms if f not in NICKNAMES][:1]  # "Maya" alone is her name
    family, community = _family(family_forms)
    tokens = frozenset(skeleton(f) for f in real) | ({family} if family else set())
    return NameParts(
        given=skeleton(real[0]) if real else "",
        given_spelled=real[0] if real else "",
        other_given=tuple(skeleton(f) for f in real[1:]),
        family=family,
        community=community,
        tokens=frozenset(t for t in tokens if t),
        nickname=nickname,
    )
