"""Homes: Nepal's districts and local levels from the gazetteer, former VDCs, Indian districts and blocks.

The gazetteer (setu/geo/data/gazetteer.json) is read as plain JSON, without Django. The former VDCs
(setu/geo/data/former_vdcs.json: the Village Development Committees merged into the 753 local levels in
2017) are used when that file is present; without it no record names a VDC (README.md says which).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import names_in
from .pools import Weighted, nfc

DATA = Path(__file__).resolve().parents[2] / "geo" / "data"
GAZETTEER = DATA / "gazetteer.json"
FORMER_VDCS = DATA / "former_vdcs.json"


@dataclass(frozen=True, slots=True)
class Place:
    en: str
    deva: str  # Nepali for places in Nepal, Hindi for places in India
    aliases: tuple[str, ...] = ()
    kind: str = ""  # local levels: metropolitan, sub_metropolitan, municipality, rural_municipality, vdc
    wards: int = 0


@dataclass(frozen=True, slots=True, eq=False)  # one object per district: compared (and hashed) by identity
class District:
    place: Place
    country: str
    region: str  # picks the community mix (names_np / names_in)
    locals: tuple[Place, ...]
    local_weights: Weighted[Place] | None
    vdcs: dict[str, tuple[Place, ...]]  # local level (English) -> former VDCs now inside it


# Regions of Nepal with a similar mix of communities, and that mix [I: an informed estimate of each region's
# main communities, not census counts; README.md says so].
NP_REGIONS = {
    "tamang_belt": "Sindhupalchok Makwanpur Nuwakot Dhading Rasuwa Kavrepalanchok Dolakha Ramechhap Sindhuli",
    "valley": "Kathmandu Lalitpur Bhaktapur",
    "east_hill": "Taplejung Panchthar Ilam Dhankuta Tehrathum Sankhuwasabha Bhojpur Khotang Okhaldhunga Solukhumbu",
    "east_terai": "Jhapa Morang Sunsari Udayapur",
    "madhesh": "Saptari Siraha Dhanusa Mahottari Sarlahi Rautahat Bara Parsa",
    "gandaki_hill": "Gorkha Lamjung Tanahu Kaski Syangja Parbat Baglung Myagdi Manang Mustang",
    "lumbini_hill": "Palpa Gulmi Arghakhanchi Pyuthan Rolpa Rukum_East",
    "west_terai": "Chitawan Nawalparasi_East Nawalparasi_West Rupandehi Kapilvastu Dang Banke Bardiya",
    "far_west_terai": "Kailali Kanchanpur",
    "far_west_hill": "Achham Baitadi Bajhang Bajura Dadeldhura Darchula Doti",
    "karnali": "Dailekh Dolpa Humla Jajarkot Jumla Kalikot Mugu Rukum_West Salyan Surkhet",
}
NP_COMMUNITIES = {
    "tamang_belt": (("tamang", 40), ("khas", 28), ("dalit", 9), ("newar", 8), ("magar", 5), ("himalayan", 5)),
    "valley": (("newar", 35), ("khas", 33), ("tamang", 14), ("dalit", 5), ("magar", 4), ("gurung", 3), ("rai", 3)),
    "east_hill": (("rai", 30), ("khas", 25), ("limbu", 22), ("dalit", 8), ("tamang", 6), ("himalayan", 5)),
    "east_terai": (
        ("khas", 28),
        ("tharu", 15),
        ("madhesi", 14),
        ("rai", 10),
        ("dalit", 8),
        ("limbu", 7),
        ("tamang", 6),
        ("muslim", 5),
        ("newar", 4),
        ("magar", 3),
    ),
    "madhesh": (("madhesi", 62), ("muslim", 12), ("khas", 8), ("dalit", 8), ("tharu", 6), ("tamang", 4)),
    "gandaki_hill": (("khas", 35), ("gurung", 20), ("magar", 20), ("dalit", 15), ("newar", 5), ("tamang", 3)),
    "lumbini_hill": (("khas", 40), ("magar", 35), ("dalit", 15), ("newar", 5), ("gurung", 3), ("tharu", 2)),
    "west_terai": (
        ("tharu", 30),
        ("khas", 30),
        ("madhesi", 12),
        ("muslim", 8),
        ("dalit", 8),
        ("magar", 6),
        ("gurung", 3),
        ("newar", 3),
    ),
    "far_west_terai": (("khas", 45), ("tharu", 35), ("dalit", 15), ("madhesi", 3), ("muslim", 2)),
    "far_west_hill": (("khas", 72), ("dalit", 25), ("magar", 3)),
    "karnali": (("khas", 65), ("dalit", 22), ("magar", 13)),
}
# Home districts of missing and trafficked Nepalis: the central hills hit by the 2015 earthquake and the
# eastern Terai are named again and again as sources (NHRC national reports; police and Maiti Nepal
# rescue figures; README.md cites them); the rest of the country weighs 1 each [I].
SOURCE_WEIGHTS = {
    "Sindhupalchok": 14,
    "Makwanpur": 10,
    "Nuwakot": 9,
    "Dhading": 7,
    "Kavrepalanchok": 6,
    "Rasuwa": 4,
    "Dolakha": 4,
    "Sindhuli": 5,
    "Ramechhap": 3,
    "Kathmandu": 5,
    "Morang": 7,
    "Sunsari": 6,
    "Jhapa": 6,
    "Udayapur": 3,
    "Chitawan": 3,
    "Sarlahi": 3,
    "Rautahat": 3,
    "Dhanusa": 2,
    "Mahottari": 2,
    "Siraha": 2,
    "Saptari": 2,
    "Parsa": 2,
    "Bara": 2,
    "Rupandehi": 3,
    "Kailali": 3,
    "Kanchanpur": 3,
    "Banke": 2,
    "Bardiya": 2,
    "Dang": 2,
    "Kapilvastu": 2,
}

SUFFIXES_LATIN = {
    "rural_municipality": ("Rural Municipality", "Gaunpalika", "RM", "Gaupalika"),
    "municipality": ("Municipality", "Nagarpalika", "Mun."),
    "sub_metropolitan": ("Sub-Metropolitan City", "Sub Metropolitan", "Upamahanagarpalika"),
    "metropolitan": ("Metropolitan City", "Metropolitan", "Mahanagarpalika"),
    "vdc": ("VDC", "V.D.C.", "Gaun Bikas Samiti"),
}
SUFFIXES_DEVANAGARI = {
    "rural_municipality": ("गाउँपालिका", "गाउँ पालिका", "गा.पा."),
    "municipality": ("नगरपालिका", "न.पा."),
    "sub_metropolitan": ("उपमहानगरपालिका", "उ.म.न.पा."),
    "metropolitan": ("महानगरपालिका", "म.न.पा."),
    "vdc": ("गाविस", "गा.वि.स."),
}


def _place(row: dict[str, object], deva_key: str) -> Place:
    aliases = row.get("aliases") or []
    assert isinstance(aliases, list)  # noqa: S101 - the gazetteer's own shape
    return Place(
        en=str(row["name_en"]),
        deva=nfc(str(row.get(deva_key) or "")),
        aliases=tuple(str(a) for a in aliases),
        kind=str(row.get("kind", "")),
        wards=int(str(row.get("ward_count", 0) or 0)),
    )


@dataclass(frozen=True, slots=True)
class Geography:
    nepal: tuple[District, ...]
    nepal_weights: Weighted[District]
    india: tuple[District, ...]
    india_weights: Weighted[District]
    has_vdcs: bool


def _former_vdcs(path: Path) -> dict[tuple[str, str], tuple[Place, ...]]:
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))
    grouped: dict[tuple[str, str], list[Place]] = {}
    for row in rows:
        if not row.get("name_en") or not row.get("district") or not row.get("local_level"):
            continue
        vdc = Place(en=str(row["name_en"]), deva=nfc(str(row.get("name_ne") or "")), kind="vdc")
        grouped.setdefault((str(row["district"]), str(row["local_level"])), []).append(vdc)
    return {key: tuple(sorted(set(places), key=lambda p: p.en)) for key, places in grouped.items()}


@cache
def geography() -> Geography:
    """Read the gazetteer (and the former VDCs, if present) once."""
    data = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    region_of = {name.replace("_", " "): region for region, names in NP_REGIONS.items() for name in names.split()}
    vdcs = _former_vdcs(FORMER_VDCS)
    locals_by_district: dict[str, list[Place]] = {}
    for row in data["local_levels"]:
        locals_by_district.setdefault(row["district"], []).append(_place(row, "name_ne"))
    nepal: list[District] = []
    india: list[District] = []
    gazetteer_hindi: dict[str, Place] = {}
    for row in data["districts"]:
        if row["country"] == "NP":
            place = _place(row, "name_ne")
            levels = tuple(locals_by_district.get(place.en, ()))
            pairs: list[tuple[Place, float]] = [(level, max(level.wards, 1)) for level in levels]
            weights = Weighted(pairs) if levels else None
            district_vdcs = {level.en: vdcs[(place.en, level.en)] for level in levels if (place.en, level.en) in vdcs}
            nepal.append(District(place, "NP", region_of[place.en], levels, weights, district_vdcs))
        else:
            gazetteer_hindi[str(row["name_en"])] = _place(row, "name_hi")
    weights_in: list[tuple[District, float]] = []
    for english, hindi, region, weight in names_in.DISTRICTS:
        place = gazetteer_hindi.get(english) or Place(en=english, deva=nfc(hindi))
        blocks = tuple(Place(en=en, deva=nfc(hi), kind="block") for en, hi in names_in.BLOCKS.get(english, ()))
        block_weights = Weighted([(b, 1.0) for b in blocks]) if blocks else None
        district = District(place, "IN", region, blocks, block_weights, {})
        india.append(district)
        weights_in.append((district, weight))
    return Geography(
        nepal=tuple(nepal),
        nepal_weights=Weighted([(d, SOURCE_WEIGHTS.get(d.place.en, 1)) for d in nepal]),
        india=tuple(india),
        india_weights=Weighted(weights_in),
        has_vdcs=bool(vdcs),
    )


DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")


def devanagari_digits(text: str) -> str:
    return text.translate(DEVANAGARI_DIGITS)
