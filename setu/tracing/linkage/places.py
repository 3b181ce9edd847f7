"""Home addresses read against the gazetteer: misspellings, Nepali or English names, district only, kind
words ("Municipality", "गाउँपालिका", "VDC"), and Nepal's pre-2017 VDC names where data exists. Pure: reads
the gazetteer's data files (setu/geo/data/), never the database, so the command line and Spark workers
read places exactly as a node does.

A place is returned as ids that compare with "=": a district is "NP:Sindhupalchok", a local level
"NP:Sindhupalchok:Barhabise". A place the gazetteer does not hold (most of India beyond the border
districts) keeps an id made from its name's skeleton ("IN:?ptn" for Patna), so two records naming it the
same way still agree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from setu.tracing.linkage.names import skeleton, spelled

DATA = Path(__file__).resolve().parents[2] / "geo" / "data"
GAZETTEER = DATA / "gazetteer.json"
FORMER_VDCS = DATA / "former_vdcs.json"  # optional: pre-2017 VDCs and municipalities → local levels

_COUNTRIES = {
    "np": "NP", "nepal": "NP", "nepali": "NP", "nepl": "NP", "नेपाल": "NP", "in": "IN", "india": "IN",
    "indian": "IN", "bharat": "IN", "भारत": "IN", "इन्डिया": "IN",
}  # fmt: skip
# Words that say what kind of place it is, not which: left out before the name is looked up.
_KIND_WORDS = frozenset(
    spelled(w)
    for w in (
        "district", "jilla", "zilla", "municipality", "rural", "metropolitan", "sub", "submetropolitan", "city",
        "mun", "np", "gaunpalika", "gaupalika", "nagarpalika", "gabisa", "vdc", "ward", "no", "tole", "village",
        "जिल्ला", "नगरपालिका", "गाउँपालिका", "गाउपालिका", "उपमहानगरपालिका", "महानगरपालिका", "गाविस", "वडा", "नं",
    )
)  # fmt: skip
_SPLIT = re.compile(r"[\s,;:/()\-–.]+")


def country_code(text: str) -> str:
    """ISO 3166 alpha-2 of a country as written ("Nepal", "नेपाल", "np"); "" when not one of the two."""
    word = (text or "").strip().lower()
    if not word:
        return ""
    return _COUNTRIES.get(word) or _COUNTRIES.get(spelled(word), "")


def place_key(text: str) -> str:
    """The comparable key of a place name: its words without kind words, as one skeleton."""
    words = [spelled(w) for w in _SPLIT.split(text or "") if w and not w.isdigit()]
    return skeleton("".join(w for w in words if w and w not in _KIND_WORDS))


@dataclass(frozen=True, slots=True)
class Place:
    country: str = ""
    district: str = ""
    local_level: str = ""


@dataclass
class _Index:
    districts: dict[str, dict[str, str]]  # country -> key -> district id
    local_levels: dict[str, dict[str, str]]  # district id -> key -> local level id
    local_levels_anywhere: dict[str, dict[str, set[str]]]  # country -> key -> local level ids
    district_of: dict[str, str]  # local level id -> district id


def _add(table: dict[str, str], names, value: str) -> None:
    for name in names:
        key = place_key(name)
        if key:
            table.setdefault(key, value)


@cache
def _index() -> _Index:
    data = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    districts: dict[str, dict[str, str]] = {"NP": {}, "IN": {}}
    local_levels: dict[str, dict[str, str]] = {}
    anywhere: dict[str, dict[str, set[str]]] = {"NP": {}, "IN": {}}
    district_of: dict[str, str] = {}
    for row in data["districts"]:
        ident = f"{row['country']}:{row['name_en']}"
        _add(districts[row["country"]], [row["name_en"], row.get("name_ne", ""), row.get("name_hi", ""),
                                         *row.get("aliases", [])], ident)  # fmt: skip
    for row in data["local_levels"]:
        district = f"NP:{row['district']}"
        ident = f"{district}:{row['name_en']}"
        district_of[ident] = district
        names = [row["name_en"], row.get("name_ne", ""), *row.get("aliases", [])]
        _add(local_levels.setdefault(district, {}), names, ident)
        for name in names:
            if place_key(name):
                anywhere["NP"].setdefault(place_key(name), set()).add(ident)
    if FORMER_VDCS.exists():
        for row in json.loads(FORMER_VDCS.read_text(encoding="utf-8")).get("former", []):
            district = f"NP:{row['district']}"
            ident = f"{district}:{row['local_level']}"
            if ident not in district_of:
                continue
            names = [row.get("name_en", ""), row.get("name_ne", "")]
            _add(local_levels.setdefault(district, {}), names, ident)
            for name in names:
                if place_key(name):
                    anywhere["NP"].setdefault(place_key(name), set()).add(ident)
    return _Index(districts, local_levels, anywhere, district_of)


def _fuzzy(key: str, table: dict[str, str]) -> str:
    """The one entry of `table` within a letter or two of `key` (two for longer names), if exactly one."""
    if not key or not table:
        return ""
    if key in table:
        return table[key]
    limit = 1 if len(key) < 6 else 2
    found = process.extract(key, list(table), scorer=Levenshtein.distance, score_cutoff=limit, limit=3)
    best = sorted(found, key=lambda hit: hit[1])
    if not best or (len(best) > 1 and best[1][1] == best[0][1] and table[best[1][0]] != table[best[0][0]]):
        return ""
    return table[best[0][0]]


def _near(key: str, table: dict[str, set[str]]) -> set[str]:
    """Every entry within a letter or two of `key` (two for longer names), merged."""
    limit = 1 if len(key) < 6 else 2
    found = process.extract(key, list(table), scorer=Levenshtein.distance, score_cutoff=limit, limit=5)
    if not found:
        return set()
    best = min(hit[1] for hit in found)
    return set().union(*(table[hit[0]] for hit in found if hit[1] == best))


@lru_cache(maxsize=100_000)
def read_place(country: str = "", district: str = "", local_level: str = "") -> Place:
    """Resolve an address as written. Unknown places keep a name-based id; nothing is guessed between two
    candidates (a local level name found in two districts and no district given stays unresolved)."""
    index = _index()
    code = country_code(country)
    district_key, level_key = place_key(district), place_key(local_level)
    countries = [code] if code else ["NP", "IN"]
    district_id = ""
    for candidate in countries:
        district_id = _fuzzy(district_key, index.districts[candidate])
        if district_id:
            break
    level_id = ""
    if district_id and level_key:
        level_id = _fuzzy(level_key, index.local_levels.get(district_id, {}))
    elif level_key and (code in ("", "NP")):
        anywhere = index.local_levels_anywhere["NP"]
        hits = anywhere.get(level_key) or _near(level_key, anywhere)
        if len(hits) == 1:
            level_id = next(iter(hits))
    if level_id and not district_id:
        district_id = index.district_of[level_id]
    if not district_id and district_key:
        district_id = f"{code or '?'}:?{district_key}"
    if not level_id and level_key and district_id:
        level_id = f"{district_id}:?{level_key}"
    if district_id and not code:
        code = district_id.split(":", 1)[0] if not district_id.startswith("?") else ""
    return Place(country=code, district=district_id, local_level=level_id)
