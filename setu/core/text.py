"""Script folding for names: one search key for a name written in Latin letters or in Devanagari.

Pure: no Django import. The gazetteer (setu.geo) and person search (setu.people) both build their
`search_text` with `search_keys(...)` and read queries with `query_plans(...)` (or test one record with
`matches(...)`), so a place or a person entered as "विराटनगर" is found by "Biratnagar" and "Sita Tamang"
finds "सीता तामाङ".

Why a phonetic key and not just a transliteration: the same name is spelled many ways in Latin letters
(Kakarbhitta / Kakadvitta, Bardiya / Bardia, Laxmi / Lakshmi) and Devanagari spelling differs from the
English one in ways no transliteration scheme undoes (व is written "b" or "w", ी and ि are both "i", the
inherent vowel is usually silent, काठमाडौं ends in a nasal vowel that English writes as "n" before the "d").
So every word gets three forms:

1. its plain lower-case form in its own script ("biratnagar", "विराटनगर");
2. the other script: Devanagari → readable ASCII ("viratnagar"); Latin → a rough Devanagari rendering;
3. a loose **phonetic key** computed from the ASCII form (for Devanagari, the form that keeps every
   inherent vowel, so the key does not depend on guessing which are silent), prefixed with "~" so it
   never collides with a plain word: the first letter (any vowel → "a"), then the consonants only, with
   - aspiration dropped (kh→k, th→t, bh→b, sh→s, chh→c: "h" after a stop or "s" is silent in the key),
   - v/w→b, f→p, z→j, q→k, x and क्ष ("ks", "ksh")→c (Laxmi / Lakshmi, Kshetri / Chhetri),
   - a "w" glide after a vowel dropped ("chowk" is चोक),
   - vowels, "y" and "n" dropped after the first letter (vowel length, schwa, "ia"/"iya", nasal vowels
     and homorganic nasals: काठमाडौं and Kathmandu both become "~ktmd"), and "m" before "p"/"b",
   - repeated letters collapsed (Mahottari / Mahotari).
   A name of several words also gets the key of its words written together ("Kamal Bazar" / "कमलबजार").
   The key is deliberately loose; it finds candidates, and callers rank exact and prefix matches first.

`search_text` is a space-separated list of tokens with a leading and a trailing space, so a query word
matches a token prefix with a plain `LIKE '% word%'`, which every database can do.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from indic_transliteration import sanscript

__all__ = [
    "devanagari_to_latin",
    "fold_latin",
    "has_devanagari",
    "latin_to_devanagari",
    "matches",
    "phonetic_key",
    "query_plans",
    "search_keys",
    "word_key",
]

KEY_PREFIX = "~"

# --- Devanagari character classes -------------------------------------------------------------------
_VIRAMA = "\u094d"
_NUKTA = "\u093c"
_ANUSVARA = "\u0902"
_CHANDRABINDU = "\u0901"
_VISARGA = "\u0903"
_AVAGRAHA = "\u093d"


def _is_consonant(ch: str) -> bool:
    return "\u0915" <= ch <= "\u0939" or "\u0958" <= ch <= "\u095f" or ch in "\u0978\u0979\u097a"


def _is_matra(ch: str) -> bool:
    return "\u093e" <= ch <= "\u094c" or ch in "\u0955\u0956\u0957\u0962\u0963"


def _is_devanagari(ch: str) -> bool:
    return "\u0900" <= ch <= "\u097f" or "\ua8e0" <= ch <= "\ua8ff"


def has_devanagari(text: str) -> bool:
    """True when any character of `text` is Devanagari."""
    return any(_is_devanagari(ch) for ch in text)


_LABIALS = set("पफबभम")
_VELARS = set("कखगघङ")
# Letters whose nukta form is pronounced differently (ड़ is a flap, "r"); other nuktas are dropped.
_NUKTA_FORMS = {
    "\u095c": "र",  # ड़
    "\u095d": "र्ह",  # ढ़
    "ड" + _NUKTA: "र",
    "ढ" + _NUKTA: "र्ह",
    "\u0958": "क",
    "\u0959": "ख",
    "\u095a": "ग",
    "\u095b": "ज",
    "\u095e": "फ",
    "\u095f": "य",
    "\u0929": "न",
    "\u0931": "र",
    "\u0934": "ळ",
}
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def _normalise_devanagari(word: str) -> str:
    """Spellings read alike → one spelling, before transliteration (Nepali and Hindi pronunciation)."""
    word = unicodedata.normalize("NFC", word)
    for src, dst in _NUKTA_FORMS.items():
        word = word.replace(src, dst)
    word = word.replace(_NUKTA, "").replace(_AVAGRAHA, "")
    word = word.replace("ज्ञ", "ग्य")  # jña is said "gya" in Nepali and Hindi
    word = word.replace("\u0943", "्रि").replace("ऋ", "रि")  # ृ / ऋ → ri
    word = word.replace(_VISARGA, "")
    # Anusvara and chandrabindu become the nasal consonant of the following letter (पंप → पम्प).
    out: list[str] = []
    for i, ch in enumerate(word):
        if ch not in (_ANUSVARA, _CHANDRABINDU):
            out.append(ch)
            continue
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if nxt in _LABIALS:
            out.append("म" + _VIRAMA)
        elif nxt == "ह":
            out.append("ङ" + _VIRAMA)  # सिंह → singh
        elif nxt in _VELARS:
            out.append("न" + _VIRAMA)  # गंगा → ganga, not gangga
        else:
            out.append("न" + _VIRAMA)
    return "".join(out)


def _syllables(word: str) -> list[list[str]]:
    """Split a normalised Devanagari word into aksharas: each a list of its code points."""
    sylls: list[list[str]] = []
    for ch in word:
        if sylls and (_is_matra(ch) or ch == _VIRAMA):
            sylls[-1].append(ch)
        elif sylls and _is_consonant(ch) and sylls[-1][-1] == _VIRAMA:
            sylls[-1].append(ch)  # conjunct: क्ष, न्द्र
        else:
            sylls.append([ch])
    return sylls


def _has_inherent_vowel(syll: list[str]) -> bool:
    return _is_consonant(syll[-1])


# Place-name endings that are words of their own: the vowel before them is silent (विराट|नगर "viratnagar",
# जनक|पुर "janakpur"), which the right-to-left rule below cannot see inside a compound.
_COMPOUND_ENDINGS = ("नगर", "पुर", "गञ्ज", "गन्ज", "गढी", "गढ", "कोट", "बजार", "बाजार", "घाट", "धाम", "पाटन")


_NASALS = set("ङञणनम")


def _final_vowel_spoken(syll: list[str]) -> bool:
    """A word-final inherent vowel is spoken after most clusters (चन्द्र "chandra", श्रेष्ठ "shrestha"),
    but not after nasal + stop (गञ्ज "ganj") or a cluster ending in ह (सिंह "singh", गढ़ "garh")."""
    consonants = [ch for ch in syll if _is_consonant(ch)]
    if len(consonants) < 2:
        return False
    if consonants[-1] == "ह":
        return False
    return not (len(consonants) == 2 and consonants[0] in _NASALS)


def _delete_schwa(word: str) -> str:
    """Mark the silent inherent vowels with a virama (Ohala's rule, simplified), so "विराटनगर" reads
    "viratnagar" rather than "viratanagara". Only for readability: the phonetic key ignores vowels."""
    for ending in _COMPOUND_ENDINGS:
        stem = word.removesuffix(ending)
        if stem != word and len(_syllables(stem)) >= 2:
            return _delete_schwa(stem) + _delete_schwa(ending)
    sylls = _syllables(word)
    if len(sylls) < 2:
        return word
    last = sylls[-1]
    if _has_inherent_vowel(last) and not _final_vowel_spoken(last):
        last.append(_VIRAMA)
    # Medial: a → ∅ / V C _ C V, scanning right to left (Hindi and Nepali usage).
    for i in range(len(sylls) - 2, 0, -1):
        syll, prev, nxt = sylls[i], sylls[i - 1], sylls[i + 1]
        if len(syll) != 1 or not _is_consonant(syll[0]):
            continue
        prev_voiced = prev[-1] != _VIRAMA
        # The next akshara must be one consonant with its vowel: a schwa before a cluster is spoken.
        next_voiced = nxt[-1] != _VIRAMA and _is_consonant(nxt[0]) and (len(nxt) < 2 or nxt[1] != _VIRAMA)
        if prev_voiced and next_voiced:
            syll.append(_VIRAMA)
    return "".join("".join(s) for s in sylls)


# IAST letters → plain ASCII, longest first. च is IAST "c", छ is "ch": spelled "ch" and "chh" in Nepal.
_IAST_TO_ASCII = [
    ("ch", "chh"),
    ("c", "ch"),
    ("ṅg", "ng"),
    ("ṅk", "nk"),
    ("ṅ", "ng"),
    ("ñ", "n"),
    ("ṇ", "n"),
    ("ś", "sh"),
    ("ṣ", "sh"),
    ("ṛ", "ri"),
    ("ṝ", "ri"),
    ("ḷ", "l"),
    ("ḥ", "h"),
    ("ṃ", "n"),
    ("m̐", "n"),
]


def _iast_to_ascii(text: str) -> str:
    # A single left-to-right pass, so "ch" produced for च is not read again as छ.
    out: list[str] = []
    i = 0
    while i < len(text):
        for src, dst in _IAST_TO_ASCII:
            if text.startswith(src, i):
                out.append(dst)
                i += len(src)
                break
        else:
            out.append(text[i])
            i += 1
    return fold_latin("".join(out))


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters and digits, words separated by single spaces; diacritics removed.

    "Kāṭhmāḍauṃ" → "kathmadaum", "Sita-Tamang" → "sita tamang". Devanagari is left out (use
    `devanagari_to_latin` for that).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if ch.isascii())
    return " ".join(re.findall(r"[a-z0-9]+", ascii_only.lower()))


# Names repeat (a district's surnames, the common given names): the word-level forms below are pure functions of
# their text, kept for the process's life. An import of 50,000 rows computes far fewer than 50,000 words' forms.
_WORDS_KEPT = 65_536


@functools.lru_cache(maxsize=_WORDS_KEPT)
def devanagari_to_latin(text: str, *, silent_vowels: bool = False) -> str:
    """Readable plain-ASCII romanisation of Devanagari (Nepali or Hindi).

    "विराटनगर" → "viratnagar", "सीता तामाङ" → "sita tamang", "श्रेष्ठ" → "shreshtha". The inherent vowel
    is dropped where it is usually silent, unless `silent_vowels` is true ("viratanagara"): the phonetic
    key is built from that full form, because which vowels are silent is a guess and the key must not
    depend on it (रौतहट is "rautahat" in English, not "rauthat"). Latin letters in `text` pass through.
    """
    text = unicodedata.normalize("NFC", text).translate(_DEVANAGARI_DIGITS)
    words = []
    for raw in re.split(r"[\s\u0964\u0965,;/()\-–.]+", text):
        if not raw:
            continue
        if not has_devanagari(raw):
            words.append(fold_latin(raw))
            continue
        word = _normalise_devanagari(raw)
        if not silent_vowels:
            word = _delete_schwa(word)
        words.append(_iast_to_ascii(sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.IAST)))
    return " ".join(w for w in words if w)


_ITRANS_PREP = [
    ("aa", "A"),
    ("ee", "I"),
    ("oo", "U"),
    ("w", "v"),
    ("x", "kSh"),
    ("q", "k"),
    ("f", "ph"),
    ("z", "j"),
    ("y", "y"),
]
_LATIN_VOWELS = set("aeiouAIU")


def latin_to_devanagari(text: str) -> str:
    """A rough Devanagari rendering of a Latin-letter name, for search only ("Biratnagar" → "बिरतनगर").

    English spellings do not say vowel length or retroflexion, so this is a guess; the phonetic key, not
    this rendering, is what makes "Biratnagar" find "विराटनगर".
    """
    words = []
    for word in fold_latin(text).split():
        if word.isdigit():
            words.append(word)
            continue
        for src, dst in _ITRANS_PREP:
            word = word.replace(src, dst)
        word = word.replace("c", "ch").replace("chh", "Ch").replace("chCh", "Ch")
        if word[-1] not in _LATIN_VOWELS:
            word += "a"  # a final consonant keeps its inherent vowel instead of a visible virama
        words.append(sanscript.transliterate(word, sanscript.ITRANS, sanscript.DEVANAGARI))
    return " ".join(words)


_GLIDE_W = re.compile(r"(?<=[aeiou])w(?![aeiouy])")
_KEY_MAP = str.maketrans({"v": "b", "w": "b", "f": "p", "z": "j", "q": "k"})
_VOWELS = set("aeiou")
# After these, "h" is aspiration (kh, gh, chh, jh, th, dh, ph, bh) or makes "sh": silent in the key. After
# n, m, l, r, y, v it is a sound of its own (तनहुँ "tanhun", सीतामढ़ी "sitamarhi").
_ASPIRABLE = set("kgcjtdpbs")
_DROPPED_AFTER_FIRST = set("aeiouyn")


def phonetic_key(word: str) -> str:
    """The loose phonetic key of one ASCII word (see the module docstring), without the "~" prefix.

    "biratnagar" and "viratanagara" → "brtgr"; "kathmandu" and "kathamadaun" → "ktmd"; digits are kept.
    """
    word = fold_latin(word).replace(" ", "")
    if not word or word.isdigit():
        return word
    # A "w" after a vowel and before a consonant or the end is a glide, not व: "chowk" is चोक.
    word = _GLIDE_W.sub("", word).replace("x", "ks").translate(_KEY_MAP)
    spoken: list[str] = []
    for i, ch in enumerate(word):
        prev = word[i - 1] if i else ""
        if ch == "h" and (prev in _ASPIRABLE or (prev == "h" and spoken[-1:] != ["h"])):
            continue  # aspiration: kh, chh, th, bh, sh
        if ch == "s" and spoken[-1:] == ["k"]:
            spoken[-1] = "c"  # क्ष: "ksh" / "x" / "chh" (Laxmi, Lakshmi; Kshetri, Chhetri)
            continue
        spoken.append(ch)
    if not spoken:
        return ""
    first = "a" if spoken[0] in _VOWELS else spoken[0]
    key = [first]
    consonants = [ch for ch in spoken[1:] if ch not in _DROPPED_AFTER_FIRST and not ch.isdigit()]
    for i, ch in enumerate(consonants):
        if ch == "m" and consonants[i + 1 : i + 2] in (["p"], ["b"]):
            continue  # homorganic nasal: साँफे "samphe" / Sanphe, विश्रामपुर / Bishrampur
        if ch != key[-1]:
            key.append(ch)
    return "".join(key)


def word_key(word: str) -> str:
    """The phonetic key of one word in either script ("विराटनगर" and "Biratnagar" → "brtgr")."""
    if has_devanagari(word):
        return phonetic_key(devanagari_to_latin(word, silent_vowels=True).replace(" ", ""))
    return phonetic_key(fold_latin(word).replace(" ", ""))


@functools.lru_cache(maxsize=_WORDS_KEPT)
def _word_forms(word: str) -> tuple[str, ...]:
    """The forms of one word that go into search text: itself, the other script, the phonetic key."""
    key = word_key(word)
    keys = (KEY_PREFIX + key,) if key else ()
    if has_devanagari(word):
        return (word, devanagari_to_latin(word), *keys)
    latin = fold_latin(word)
    return (latin, latin_to_devanagari(latin), *keys)


_IGNORED = dict.fromkeys(map(ord, "\u200c\u200d\u00ad"))


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).translate(_IGNORED).translate(_DEVANAGARI_DIGITS).lower()
    return [w for w in re.split(r"[\s\u0964\u0965,;:/()\-–.'\"]+", text) if w]


def _joined_key(words: list[str]) -> str:
    """Key of the words written together: "Kamal Bazar" must find "कमलबजार" and "ठुली भेरी" "Thulibheri"."""
    if len(words) < 2:
        return ""
    latin = (devanagari_to_latin(w, silent_vowels=True) if has_devanagari(w) else fold_latin(w) for w in words)
    return phonetic_key("".join(latin).replace(" ", ""))


def search_keys(*names: str) -> str:
    """Search text for a record known by these names (any script): every word's plain form, its form in
    the other script and its phonetic key, and the key of each name written as one word; space-separated,
    with a space at both ends so that `" " + term` finds a token prefix.

    >>> search_keys("Biratnagar", "विराटनगर")
    ' biratnagar बिरतनगर ~brtgr विराटनगर viratnagar '
    """
    tokens: list[str] = []
    for name in names:
        words = _words(name or "")
        for word in words:
            for form in _word_forms(word):
                tokens.extend(form.split())
        joined = _joined_key(words)
        if joined:
            tokens.append(KEY_PREFIX + joined)
    unique = [t for t in dict.fromkeys(tokens) if t and t != KEY_PREFIX]
    return f" {' '.join(unique)} " if unique else ""


Term = tuple[str, ...]  # alternatives for one query word: any of them may match
Plan = list[Term]  # every term must match


def query_plans(query: str) -> list[Plan]:
    """How a query may match: a list of plans, any of which suffices; a plan is a list of terms, all of
    which must match; a term is a tuple of alternatives, one of which must be a token prefix of the
    search text (`" " + alternative in search_text`; a one-letter key ends in a space, so it must be a
    whole token). The first plan is word by word; a query of several words has a second plan, its words
    written as one ("Kamal Bazar" → "~kmlbjr").

    >>> query_plans("Sita Tamang")
    [[('sita', '~st'), ('tamang', '~tmg')], [('~sttmg',)]]
    """
    words = _words(query)
    per_word: Plan = []
    for word in words:
        plain = word if has_devanagari(word) else fold_latin(word).replace(" ", "")
        term = tuple(dict.fromkeys(a for a in (plain, _key_term(word_key(word))) if a))
        if term:
            per_word.append(term)
    plans = [per_word] if per_word else []
    joined = _joined_key(words)
    if joined:
        plans.append([(_key_term(joined),)])
    return plans


def _key_term(key: str) -> str:
    """A key of one letter ("Rani" → "r") would start half the names in the country, so it must match a
    whole key token (the trailing space); longer keys match as prefixes, so "Birat" finds Biratnagar."""
    if not key:
        return ""
    return KEY_PREFIX + key + (" " if len(key) < 2 else "")


def matches(search_text: str, query: str) -> bool:
    """True when `search_text` (from `search_keys`) matches `query` by `query_plans`. For tests and for
    filtering in Python; databases do the same with `LIKE '% term%'`."""
    return any(
        all(any(" " + alternative in search_text for alternative in term) for term in plan)
        for plan in query_plans(query)
    )
