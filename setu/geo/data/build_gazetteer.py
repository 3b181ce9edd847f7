"""Build setu/geo/data/gazetteer.json from maintained sources. Run by hand when a source changes:

    python -m setu.geo.data.build_gazetteer [--wards-dataset DIR] [--check-dataset DIR]

Sources (docs/gazetteer.md has the full list, licences and decisions):
- Nepal's 7 provinces, 77 districts and 753 local levels with English and Nepali names and kind: the
  PyPI package `nepali` (opensource-nepal/py-nepali, MIT), already a dependency of Setu.
- Ward counts per local level: the dataset of github.com/sagautam5/local-states-nepal (MIT), in its
  `dataset/` layout (municipalities/en.json, districts/en.json). The PyPI package `pynepalgeo` 1.0.0
  (MIT) ships a copy of that dataset; by default it is read from there when installed
  (`pip install pynepalgeo==1.0.0` in a throw-away virtualenv is enough). Names are spelled differently
  from `nepali`'s, so they are matched by district and name, in stages; the few that no rule matches are
  resolved by hand in WARD_SOURCE_OVERRIDES below.
- Optional cross-check (`--check-dataset`): the PyPI package `nepali-address` 0.1.4 (MIT), which has its
  own ward counts (`total_wards`); disagreements are printed, not applied.
- India (the 5 states on the Nepal border, their border districts and LGD codes) and the border crossing
  points: written here from shared reference/domain.md §2.1, §3 and §6 (LGD codes checked against
  github.com/planemad/india-local-government-directory, GODL-India). Devanagari names by the Setu team.

Pure Python, no Django: the output is plain JSON that `gazetteer_load()` reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import importlib.util
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from setu.core.text import devanagari_to_latin, fold_latin, phonetic_key

OUTPUT = Path(__file__).with_name("gazetteer.json")
EXPECTED = {"provinces": 7, "districts": 77, "local_levels": 753, "wards": 6743}

# --- Nepal ------------------------------------------------------------------------------------------

# Constitutional province numbers (the codes Setu uses for Nepal's provinces), by English name.
PROVINCE_CODES = {
    "Koshi": "1",
    "Madhesh": "2",
    "Bagmati": "3",
    "Gandaki": "4",
    "Lumbini": "5",
    "Karnali": "6",
    "Sudurpaschim": "7",
}
PROVINCE_ALIASES = {"Sudurpaschim": ["Sudurpashchim", "Far-Western"], "Koshi": ["Kosi", "Province No. 1"]}

KINDS = {
    "Metropolitan City": "metropolitan",
    "Sub-Metropolitan City": "sub_metropolitan",
    "Municipality": "municipality",
    "Rural Municipality": "rural_municipality",
}
_SUFFIX_EN = re.compile(r"\s+(Rural Municipality|Sub-Metropolitan City|Metropolitan City|Municipality)$")
_SUFFIX_NE = re.compile(r"\s*(गाउँपालिका|उप-?महानगरपालिका|महानगरपालिका|नगरपालिका|Municipality)$")

# Other spellings of district names in common use (and in domain.md), searched but not displayed.
DISTRICT_ALIASES = {
    "Chitawan": ["Chitwan"],
    "Dhanusa": ["Dhanusha"],
    "Tanahu": ["Tanahun"],
    "Kavrepalanchok": ["Kavre", "Kabhrepalanchok"],
    "Nawalparasi East": ["Nawalpur", "Nawalparasi"],
    "Nawalparasi West": ["Parasi", "Nawalparasi"],
    "Rukum East": ["Eastern Rukum"],
    "Rukum West": ["Western Rukum"],
    "Makwanpur": ["Makawanpur"],
    "Sindhupalchok": ["Sindhupalchowk"],
}

# The 26 Nepali districts on the border as counted by the SSB (domain.md §6, [S 77]), in `nepali`'s
# spelling. "Nawalparasi" predates the 2015 split: Nawalparasi West (Lumbini) holds the Maheshpur entry
# point, so it is marked; whether Nawalparasi East also touches the border is unverified, so it is not.
NEPAL_BORDER_DISTRICTS = [
    "Taplejung", "Panchthar", "Ilam", "Jhapa", "Morang", "Sunsari", "Saptari", "Siraha", "Dhanusa",
    "Mahottari", "Sarlahi", "Rautahat", "Bara", "Parsa", "Chitawan", "Nawalparasi West", "Rupandehi",
    "Kapilvastu", "Dang", "Banke", "Bardiya", "Kailali", "Kanchanpur", "Dadeldhura", "Baitadi", "Darchula",
]  # fmt: skip
DISTRICT_NOTES = {
    "Nawalparasi West": "Marked as a border district for SSB's 'Nawalparasi' (pre-2015 district): it holds "
    "the Maheshpur entry point. Whether Nawalparasi East also touches the border is unverified.",
}

# District names in the ward source that no spelling rule maps to `nepali`'s (after the 2015 splits).
WARD_SOURCE_DISTRICTS = {
    "Nawalpur": "Nawalparasi East",
    "Parasi": "Nawalparasi West",
    "Eastern Rukum": "Rukum East",
    "Western Rukum": "Rukum West",
}

# Local levels that no automatic rule matched, resolved by hand against the official names:
# (district in `nepali`, local level in `nepali` without its kind) -> name in the ward source.
# Each was checked against the ward source's website field, `nepali`'s own Nepali name and nepali-address.
WARD_SOURCE_OVERRIDES: dict[tuple[str, str], str] = {
    # Renamed local levels: the ward source has the newer name, `nepali` the older one.
    ("Saptari", "Belhi Chapena"): "Rajgadh",  # the only one left in Saptari; nepali-address: 6 wards too
    ("Manang", "Neshang"): "Manang Ngisyang",  # `nepali`'s Nepali name is already मनाङ ङिस्याङ
    ("Rasuwa", "Aama Chhodingmo"): "Parbatikunda",  # the only one left in Rasuwa; nepali-address: 5 too
    ("Jajarkot", "Tribeni Nalagad"): "Nalgad",  # ward source website: tribeninalgaadmun.gov.np
    ("Salyan", "Dhorchaur"): "Siddha Kumakh",  # Kumakh Malika took "Kumakh" (website kumakhmalikamun)
    ("Solukhumbu", "Dhudhakoshi"): "Mapya Dudhkoshi",  # ward source website: dudhkoshimun.gov.np
    ("Solukhumbu", "Dhudha Koushika"): "Thulung Dudhkoshi",  # formerly Dudhkaushika; the one left
    # Spelling: `nepali`'s Nepali name is वैतेश्वर (Baiteshwor).
    ("Dolakha", "Baitedhar"): "Baiteshowr",
}

# Corrections to `nepali`'s Nepali names, where its English and Nepali names disagree with each other and
# with the other sources: (district, English name) -> Nepali name.
NEPALI_NAME_CORRECTIONS = {
    # `nepali` swaps these two: Dhudhakoshi is now Mapya Dudhkoshi, Dhudha Koushika is Thulung Dudhkoshi.
    ("Solukhumbu", "Dhudhakoshi"): "दुधकोशी",
    ("Solukhumbu", "Dhudha Koushika"): "थुलुङ दुधकोशी",
    # `nepali` gives Annapurna the Nepali name of its neighbour Machhapuchchhre.
    ("Kaski", "Annapurna"): "अन्नपूर्ण",
    # `nepali` cuts the name short (उदयपुरग).
    ("Udayapur", "Udayapurgadhi"): "उदयपुरगढी",
}

# --- India: the 5 states on the Nepal border (LGD state codes) and their border districts -----------

INDIA_STATES = [
    {"code": "5", "name_en": "Uttarakhand", "name_hi": "उत्तराखण्ड"},
    {"code": "9", "name_en": "Uttar Pradesh", "name_hi": "उत्तर प्रदेश"},
    {"code": "10", "name_en": "Bihar", "name_hi": "बिहार"},
    {"code": "19", "name_en": "West Bengal", "name_hi": "पश्चिम बंगाल"},
    {"code": "11", "name_en": "Sikkim", "name_hi": "सिक्किम"},
]
# (state code, LGD district code, English name as in domain.md §6, Hindi name, aliases, note)
INDIA_BORDER_DISTRICTS = [
    ("5", "53", "Pithoragarh", "पिथौरागढ़", [], ""),
    ("5", "48", "Champawat", "चम्पावत", [], ""),
    ("5", "56", "Udham Singh Nagar", "ऊधम सिंह नगर", ["Udam Singh Nagar"], ""),
    ("9", "173", "Pilibhit", "पीलीभीत", [], ""),
    ("9", "159", "Kheri", "खीरी", ["Lakhimpur Kheri"], ""),
    ("9", "125", "Bahraich", "बहराइच", [], ""),
    ("9", "181", "Shravasti", "श्रावस्ती", [], ""),
    ("9", "127", "Balrampur", "बलरामपुर", [], ""),
    ("9", "182", "Siddharthnagar", "सिद्धार्थनगर", ["Siddharth Nagar"], ""),
    ("9", "164", "Maharajganj", "महराजगंज", ["Mahrajganj"], ""),
    ("10", "211", "Pashchim Champaran", "पश्चिम चम्पारण", ["West Champaran", "Bettiah"], ""),
    ("10", "213", "Purbi Champaran", "पूर्वी चम्पारण", ["East Champaran", "Motihari"], ""),
    ("10", "221", "Sitamarhi", "सीतामढ़ी", [], ""),
    ("10", "206", "Madhubani", "मधुबनी", [], ""),
    ("10", "223", "Supaul", "सुपौल", [], ""),
    ("10", "188", "Araria", "अररिया", [], ""),
    ("10", "203", "Kishanganj", "किशनगंज", [], ""),
    ("19", "309", "Darjeeling", "दार्जिलिंग", ["Darjiling"], ""),
    ("11", "228", "Gyalshing", "ग्यालशिंग", ["West Sikkim", "Geyzing"], "LGD 'West District'."),
    (
        "11", "226", "Mangan", "मंगन", ["North Sikkim"],
        "LGD 'North District'. Inferred border district (domain.md §6: SSB's 20 districts need a second in "
        "Sikkim); not verified. Soreng (carved from West Sikkim in 2021) is not yet in LGD as used here.",
    ),
]  # fmt: skip

# --- Border crossing points (domain.md §2.1; immigration offices from §3 [S 71]) ----------------------
# Nepal's 20 entry points for returnees (2020) [S 43], west to east in the source's order reversed here
# to east → west. (name_en, district, name_ne, aliases, immigration office, note)
NEPAL_POINTS = [
    ("Pashupatinagar", "Ilam", "पशुपतिनगर", [], False, "Maiti Nepal transit home since 2001 [S 48]."),
    ("Kakarbhitta", "Jhapa", "काँकडभिट्टा", ["Kakadvitta", "Kakarvitta", "Kakadbhitta"], True,
     "Maiti Nepal regional HQ; KI Nepal [S 46, 47]."),
    ("Rani", "Morang", "रानी", ["Biratnagar"], True, "KI Nepal (Rani) [S 47]."),
    ("Kunauli", "Saptari", "कुनौली", [], False, ""),
    ("Thadi", "Siraha", "ठाडी", [], False, ""),
    ("Bhittamod", "Mahottari", "भिट्ठामोड", [], False, ""),
    ("Malangawa", "Sarlahi", "मलङ्गवा", [], False, ""),
    ("Gaur", "Rautahat", "गौर", [], False, ""),
    ("Birgunj", "Parsa", "वीरगञ्ज", ["Birganj"], True,
     "Maiti Nepal transit home since 1997; KI Nepal; Tiny Hands [S 49, 50]."),
    ("Maheshpur", "Nawalparasi West", "महेशपुर", [], False, "Source says 'Nawalparasi West' [S 43]."),
    ("Belahiya", "Rupandehi", "बेलहिया", ["Bhairahawa", "Belhiya"], True,
     "Maiti Nepal regional HQ; KI Nepal [S 51, 52]."),
    ("Taulihawa", "Kapilvastu", "तौलिहवा", [], False, ""),
    ("Krishnanagar", "Kapilvastu", "कृष्णनगर", [], False, "KI Nepal (Yatrugate, Linkgate) [S 47]."),
    ("Jamunaha", "Banke", "जमुनाहा", ["Nepalgunj", "Nepalganj"], True, "Maiti Nepal; KI Nepal [S 47, 54]."),
    ("Surajpur", "Bardiya", "सूरजपुर", [], False,
     "The source lists Surajpur without a district, between Banke and Bardiya; placed in Bardiya, unverified."),
    ("Gulariya", "Bardiya", "गुलरिया", [], False, ""),
    ("Gauriphanta", "Kailali", "गौरीफाँटा", ["Mohana", "Dhangadhi"], True,
     "Immigration office at Mohana [S 71]; Maiti Nepal programme area [S 25]."),
    ("Gaddachauki", "Kanchanpur", "गड्डाचौकी", ["Mahendranagar", "Bhimdatta"], True,
     "Maiti Nepal transit home since 2003 [S 55]."),
    ("Jhulaghat", "Baitadi", "झुलाघाट", [], False, ""),
    ("Darchula", "Darchula", "दार्चुला", [], False, ""),
]  # fmt: skip
# Indian counterparts of the pairs in domain.md §2.1's table: (name_en, district, name_hi, aliases,
# Nepal point it faces, note).
INDIA_POINTS = [
    ("Panitanki", "Darjeeling", "पानीटंकी", [], "Kakarbhitta", "Pair listed in the domain research [S 46]."),
    ("Mirik", "Darjeeling", "मिरिक", [], "Pashupatinagar", "The Indian side is reported as 'the Mirik side' [S 107]."),
    ("Jogbani", "Araria", "जोगबनी", [], "Rani", "Maiti Nepal (Jogbani point) [S 46]."),
    ("Raxaul", "Purbi Champaran", "रक्सौल", [], "Birgunj", "Pair listed in the domain research [S 49]."),
    ("Sunauli", "Maharajganj", "सोनौली", ["Sonauli"], "Belahiya", "PGSS booth on the Indian side [S 53]."),
    ("Barhni", "Siddharthnagar", "बढ़नी", ["Barhani"], "Krishnanagar", "Pair listed in the domain research [S 132]."),
    ("Rupaidiha", "Bahraich", "रुपईडीहा", [], "Jamunaha", "SSB 42nd Bn rescues [S 16]."),
    ("Gauriphanta", "Kheri", "गौरीफंटा", ["Dudhwa"], "Gauriphanta",
     "Pair in the domain research [S 132]; district inferred."),
    ("Banbasa", "Champawat", "बनबसा", [], "Gaddachauki", "Pair listed in the domain research [S 55]."),
    ("Jhulaghat", "Pithoragarh", "झूलाघाट", [], "Jhulaghat", "Pair in the domain research [S 132]; district inferred."),
    ("Dharchula", "Pithoragarh", "धारचूला", [], "Darchula", "Inferred counterpart of Darchula (domain.md [I])."),
]  # fmt: skip


def _clean_ne(text: str) -> str:
    """Nepali names from `nepali` sometimes carry zero-width joiners (कञ्‍चनपुर); they are invisible and
    break equality, so they go."""
    return unicodedata.normalize("NFC", text.replace("\u200d", "").replace("\u200c", "")).strip()


def _squash(text: str) -> str:
    return fold_latin(text).replace(" ", "")


def _key(text: str) -> str:
    return phonetic_key(_squash(text))


def _site_name(url: str) -> str:
    """ "http://www.lamidandamun.gov.np/" → "lamidandamun": local levels' sites keep their first name."""
    host = re.sub(r"^https?://", "", url.strip().lower()).split("/")[0]
    return host.removeprefix("www.").split(".")[0] if host.endswith(".gov.np") else ""


def _contains(a: str, b: str) -> bool:
    a, b = _squash(a), _squash(b)
    return min(len(a), len(b)) >= 4 and (a in b or b in a)


def _ward_dataset_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    spec = importlib.util.find_spec("pynepalgeo")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("No ward dataset: pass --wards-dataset DIR or `pip install pynepalgeo==1.0.0`.")
    return Path(next(iter(spec.submodule_search_locations))) / "dataset"


def nepal_units() -> tuple[list[dict], list[dict], list[dict]]:
    """Provinces, districts and local levels of Nepal from `nepali.locations`, names without kind."""
    from nepali import locations

    provinces = []
    for p in locations.provinces:
        name = p.name.removesuffix(" Province")
        provinces.append(
            {
                "country": "NP",
                "code": PROVINCE_CODES[name],
                "name_en": name,
                "name_ne": _clean_ne(p.name_nepali).removesuffix(" प्रदेश"),
                "aliases": PROVINCE_ALIASES.get(name, []),
            }
        )
    districts = []
    for d in locations.districts:
        districts.append(
            {
                "country": "NP",
                "province": PROVINCE_CODES[d.province.name.removesuffix(" Province")],
                "name_en": d.name,
                "name_ne": _clean_ne(d.name_nepali),
                "aliases": DISTRICT_ALIASES.get(d.name, []),
                "borders_other_country": d.name in NEPAL_BORDER_DISTRICTS,
                "note": DISTRICT_NOTES.get(d.name, ""),
            }
        )
    local_levels = []
    for m in locations.municipalities:
        kind_label = str(m.municipality_type)
        name_en = _SUFFIX_EN.sub("", m.name).strip()
        name_ne = _SUFFIX_NE.sub("", _clean_ne(m.name_nepali)).strip()
        name_ne = NEPALI_NAME_CORRECTIONS.get((m.district.name, name_en), name_ne)
        local_levels.append(
            {
                "district": m.district.name,
                "name_en": name_en,
                "name_ne": name_ne,
                "kind": KINDS[kind_label],
                "aliases": [],
            }
        )
    return provinces, districts, local_levels


def _map_districts(source_districts: list[dict], names: list[str]) -> dict[int, str]:
    by_fold = {_squash(n): n for n in names}
    by_key = {_key(n): n for n in names}
    mapped: dict[int, str] = {}
    for sd in source_districts:
        name = sd["name"]
        target = WARD_SOURCE_DISTRICTS.get(name) or by_fold.get(_squash(name)) or by_key.get(_key(name))
        if target is None:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.8)
            target = close[0] if close else None
        if target is None:
            sys.exit(f"Ward source district {name!r} matches no district in `nepali`; add it to WARD_SOURCE_DISTRICTS.")
        mapped[sd["id"]] = target
    if len(set(mapped.values())) != len(names):
        missing = set(names) - set(mapped.values())
        sys.exit(f"Districts without a ward-source district: {sorted(missing)}")
    return mapped


def attach_ward_counts(local_levels: list[dict], dataset: Path) -> Counter:
    """Give every local level its ward count from the ward source; returns how each was matched."""
    source_districts = json.loads((dataset / "districts" / "en.json").read_text(encoding="utf-8"))
    source_units = json.loads((dataset / "municipalities" / "en.json").read_text(encoding="utf-8"))
    district_of = _map_districts(source_districts, sorted({ll["district"] for ll in local_levels}))

    pending: dict[str, list[dict]] = {}
    for unit in source_units:
        wards = str(unit.get("wards", "")).strip()
        if not wards.isdigit():
            sys.exit(f"Ward source has no ward count for {unit['name']!r}")
        kind = KINDS.get(unit.get("type", ""), "")
        pending.setdefault(district_of[unit["district_id"]], []).append(
            {
                "name": _SUFFIX_EN.sub("", unit["name"]).strip(),
                "wards": int(wards),
                "kind": kind,
                "site": _site_name(unit.get("website", "")),
            }
        )

    stats: Counter = Counter()
    by_district: dict[str, list[dict]] = {}
    for ll in local_levels:
        by_district.setdefault(ll["district"], []).append(ll)

    for district, units in by_district.items():
        candidates = pending.get(district, [])
        unmatched = list(units)
        rules = [
            ("exact name", lambda ll, c: _squash(ll["name_en"]) == _squash(c["name"])),
            ("phonetic key", lambda ll, c: _key(ll["name_en"]) == _key(c["name"])),
            ("website name", lambda ll, c: bool(c["site"]) and c["site"].startswith(_squash(ll["name_en"]))),
            ("one name inside the other", lambda ll, c: _contains(ll["name_en"], c["name"])),
            ("same kind, close spelling", None),
        ]
        for label, same in rules:
            still: list[dict] = []
            for ll in unmatched:
                override = WARD_SOURCE_OVERRIDES.get((district, ll["name_en"]))
                if override is not None:
                    hits = [c for c in candidates if c["name"] == override]
                    rule = "hand override"
                elif same is None:
                    names = [c["name"] for c in candidates if c["kind"] == ll["kind"]]
                    close = difflib.get_close_matches(ll["name_en"], names, n=2, cutoff=0.75)
                    hits = [c for c in candidates if close and c["name"] == close[0] and c["kind"] == ll["kind"]]
                    rule = label
                else:
                    hits = [c for c in candidates if same(ll, c)]
                    rule = label
                if len(hits) == 1:
                    found = hits[0]
                    candidates.remove(found)
                    ll["ward_count"] = found["wards"]
                    if _squash(found["name"]) != _squash(ll["name_en"]):
                        ll["aliases"].append(found["name"])
                    if found["kind"] and found["kind"] != ll["kind"]:
                        stats["kind differs between sources"] += 1
                    stats[rule] += 1
                    if rule != "exact name":
                        print(f"  {rule}: {district}/{ll['name_en']} = {found['name']} ({found['wards']} wards)")
                else:
                    still.append(ll)
            unmatched = still
        for ll in unmatched:
            print(f"UNMATCHED {district}: {ll['name_en']} (left in source: {[c['name'] for c in candidates]})")
            stats["unmatched"] += 1
    return stats


def cross_check(local_levels: list[dict], dataset: Path) -> None:
    """Compare with `nepali-address`'s ward counts by Nepali name within district; print disagreements."""
    sys.path.insert(0, str(dataset))
    from nepali_address.data.districts import DISTRICTS  # type: ignore[import-not-found]
    from nepali_address.data.local_levels import LOCAL_LEVELS  # type: ignore[import-not-found]

    district_ne = {d["id"]: _clean_ne(d["name_ne"]) for d in DISTRICTS}
    theirs = {}
    for unit in LOCAL_LEVELS:
        name = _SUFFIX_NE.sub("", _clean_ne(unit["name_ne"])).strip()
        theirs[(_key_ne(district_ne[unit["district_id"]]), _key_ne(name))] = unit["total_wards"]
    ours_district_ne = {}
    from nepali import locations

    for d in locations.districts:
        ours_district_ne[d.name] = _clean_ne(d.name_nepali)
    agree = differ = missing = 0
    for ll in local_levels:
        key = (_key_ne(ours_district_ne[ll["district"]]), _key_ne(ll["name_ne"]))
        if key not in theirs:
            missing += 1
        elif theirs[key] == ll.get("ward_count"):
            agree += 1
        else:
            differ += 1
            print(f"CHECK {ll['district']}/{ll['name_en']}: {ll['ward_count']} here, {theirs[key]} in nepali-address")
    print(f"cross-check with nepali-address: {agree} agree, {differ} differ, {missing} not found there by name")


def _key_ne(text: str) -> str:
    return phonetic_key(devanagari_to_latin(text).replace(" ", ""))


def india_units() -> tuple[list[dict], list[dict]]:
    states = [{"country": "IN", "aliases": [], **s} for s in INDIA_STATES]
    districts = [
        {
            "country": "IN",
            "province": state,
            "code": code,
            "name_en": name,
            "name_hi": name_hi,
            "aliases": aliases,
            "borders_other_country": True,
            "note": note,
        }
        for state, code, name, name_hi, aliases, note in INDIA_BORDER_DISTRICTS
    ]
    return states, districts


def border_points() -> list[dict]:
    counterpart_of = {nepal: india for india, _d, _h, _a, nepal, _n in INDIA_POINTS}
    points = []
    for name, district, name_ne, aliases, immigration, note in NEPAL_POINTS:
        points.append(
            {
                "country": "NP",
                "district": district,
                "name_en": name,
                "name_ne": name_ne,
                "aliases": aliases,
                "is_formal": True,  # all 20 are entry points named by the government [S 43]
                "has_immigration_office": immigration,
                "counterpart": counterpart_of.get(name, ""),
                "note": note,
            }
        )
    for name, district, name_hi, aliases, nepal, note in INDIA_POINTS:
        points.append(
            {
                "country": "IN",
                "district": district,
                "name_en": name,
                "name_hi": name_hi,
                "aliases": aliases,
                "is_formal": True,
                # Domain research lists Nepal's immigration offices only; India's are not recorded yet.
                "has_immigration_office": False,
                "counterpart": nepal,
                "note": note,
            }
        )
    return points


METADATA: dict[str, Any] = {
    "title": "Setu gazetteer: Nepal (provinces, districts, local levels with wards), India's Nepal-border "
    "states and districts, and the Nepal-India border crossing points",
    "built_by": "setu/geo/data/build_gazetteer.py",
    "licence": "Compiled from MIT-licensed data (below) and Government Open Data Licence-India codes; the "
    "compilation is distributed with Setu under its licence, keeping the notices of its sources.",
    "sources": [
        {
            "what": "Nepal provinces, districts, local levels: English and Nepali names, kind",
            "source": "PyPI nepali 1.2.0 (github.com/opensource-nepal/py-nepali, nepali/locations/_data.py)",
            "licence": "MIT",
        },
        {
            "what": "Ward count per local level",
            "source": "github.com/sagautam5/local-states-nepal dataset/municipalities/en.json, as shipped in "
            "PyPI pynepalgeo 1.0.0 (pynepalgeo/dataset)",
            "licence": "MIT",
        },
        {
            "what": "Cross-check of ward counts (not applied)",
            "source": "PyPI nepali-address 0.1.4 (nepali_address/data/local_levels.py)",
            "licence": "MIT",
        },
        {
            "what": "India LGD state and district codes",
            "source": "github.com/planemad/india-local-government-directory administrative/1-state.csv, 2-district.csv",
            "licence": "Government Open Data Licence - India",
        },
        {
            "what": "Border districts, crossing points, immigration offices",
            "source": "Setu shared/reference/domain.md §2.1, §3, §6 (sources numbered [S n] there)",
            "licence": "facts; Devanagari names written by the Setu team",
        },
    ],
}


def build(wards_dataset: Path, check_dataset: Path | None = None) -> dict:
    provinces, districts, local_levels = nepal_units()
    stats = attach_ward_counts(local_levels, wards_dataset)
    if check_dataset is not None:
        cross_check(local_levels, check_dataset)
    states, india_districts = india_units()
    points = border_points()

    wards = sum(ll.get("ward_count", 0) for ll in local_levels)
    counts = {"provinces": len(provinces), "districts": len(districts), "local_levels": len(local_levels)}
    counts["wards"] = wards
    for name, expected in EXPECTED.items():
        if counts[name] != expected:
            sys.exit(f"{name}: {counts[name]}, expected {expected}")
    if any("ward_count" not in ll for ll in local_levels):
        sys.exit("Some local levels have no ward count; resolve them in WARD_SOURCE_OVERRIDES.")
    district_names = {(d["country"], d["name_en"]) for d in districts + india_districts}
    for p in points:
        if (p["country"], p["district"]) not in district_names:
            sys.exit(f"Border point {p['name_en']}: unknown district {p['district']}")

    print("ward counts matched:", dict(stats))
    meta: dict[str, Any] = dict(METADATA)
    meta["built_on"] = dt.date.today().isoformat()  # noqa: DTZ011 - a calendar date for people
    meta["counts"] = {
        **counts,
        "india_states": len(states),
        "india_districts": len(india_districts),
        "nepal_border_districts": sum(d["borders_other_country"] for d in districts),
        "border_points": len(points),
    }
    meta["ward_count_matching"] = dict(sorted(stats.items()))
    return {
        "meta": meta,
        "provinces": sorted(provinces + states, key=lambda p: (p["country"] != "NP", int(p["code"]))),
        "districts": sorted(
            districts + india_districts, key=lambda d: (d["country"] != "NP", int(d["province"]), d["name_en"])
        ),
        "local_levels": sorted(local_levels, key=lambda ll: (ll["district"], ll["name_en"])),
        "border_points": sorted(points, key=lambda p: (p["country"] != "NP", p["name_en"])),
    }


def write(data: dict, path: Path = OUTPUT) -> None:
    """One record per line, so a change in the sources shows as a readable diff."""
    meta = json.dumps(data["meta"], ensure_ascii=False, indent=2).replace("\n", "\n  ")
    lines = ["{", f'  "meta": {meta},']
    sections = ["provinces", "districts", "local_levels", "border_points"]
    for i, section in enumerate(sections):
        lines.append(f'  "{section}": [')
        records = data[section]
        for j, record in enumerate(records):
            comma = "," if j < len(records) - 1 else ""
            lines.append(f"    {json.dumps(record, ensure_ascii=False, sort_keys=True)}{comma}")
        lines.append("  ]" + ("," if i < len(sections) - 1 else ""))
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards-dataset", help="directory in sagautam5/local-states-nepal's dataset/ layout")
    parser.add_argument("--check-dataset", help="directory holding the nepali_address package, to cross-check")
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    data = build(_ward_dataset_dir(args.wards_dataset), Path(args.check_dataset) if args.check_dataset else None)
    write(data, Path(args.output))
    print(f"wrote {args.output}: {data['meta']['counts']}")


if __name__ == "__main__":
    main()
