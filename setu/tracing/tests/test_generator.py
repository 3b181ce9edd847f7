"""The synthetic Nepal–India missing/found records: truth, noise rates, hard negatives, streaming."""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from nepali.datetime import nepalidate

from setu.tracing.evaluation import generator, names_in, names_np, places, spelling
from setu.tracing.evaluation.generator import (
    COLUMNS,
    dedupe_dataset,
    link_dataset,
    write_csv,
    write_link_files,
)
from setu.tracing.evaluation.people import Home, Population, age_on
from setu.tracing.evaluation.pools import Dice, Pool
from setu.tracing.evaluation.records import FOUND, REPORT, Profile, Writer

DEVANAGARI = re.compile("[\u0900-\u097f]")
LATIN_LETTER = re.compile("[A-Za-z]")
NAME_FIELDS = ("full_name", "given_name", "family_name")
README = Path(generator.__file__).with_name("README.md")
BINARY_KINDS = (
    *("nickname", "filler_drop", "filler_add", "title", "swap", "surname_alternate", "family_missing"),
    *("upper_case", "sex_blank", "sex_word", "date_error", "document_adult", "age_with_date", "running_age"),
    *("minor_claims_adult", "father", "mother", "parent_filler_drop", "parent_family_missing", "parent_initials"),
    *("parent_title", "country_wrong", "district", "place_alias", "district_misspelt", "local_level", "vdc"),
    *("local_first_word", "local_suffix", "local_misspelt", "ward", "phone", "hindi_orthography", "latin_variant"),
)


@pytest.fixture(scope="module")
def data() -> generator.LinkDataset:
    return link_dataset(left=3000, right=6000, matched=2000, seed=7)


@pytest.fixture(scope="module")
def dedupe() -> generator.DedupeDataset:
    return dedupe_dataset(records=2000, seed=7)


def _by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["record_id"]: row for row in rows}


def _near(measured: float, expected: float, n: int) -> bool:
    """Within four standard errors (and a point) of the expected rate."""
    return abs(measured - expected) <= 4 * math.sqrt(expected * (1 - expected) / n) + 0.01


# --- determinism and shape -------------------------------------------------------------------------------


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows() -> None:
    first = link_dataset(left=300, right=700, matched=150, seed=11)
    again = link_dataset(left=300, right=700, matched=150, seed=11)
    other = link_dataset(left=300, right=700, matched=150, seed=12)
    assert first.left == again.left and first.right == again.right and first.matches == again.matches
    assert first.left != other.left and first.right != other.right


def test_every_row_has_exactly_the_columns_and_record_ids_are_unique(data: generator.LinkDataset) -> None:
    rows = data.left + data.right
    assert all(tuple(row) == COLUMNS for row in rows)
    assert all(isinstance(value, str) for row in rows for value in row.values())
    assert all(row["record_id"] for row in rows)
    assert len({row["record_id"] for row in rows}) == len(rows) == 9000
    assert len(data.left) == 3000 and len(data.right) == 6000


def test_matches_are_exactly_the_pairs_of_the_same_person(data: generator.LinkDataset) -> None:
    left_ids, right_ids = set(_by_id(data.left)), set(_by_id(data.right))
    assert set(data.entity) == left_ids | right_ids
    by_person: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for record_id, person in data.entity.items():
        by_person[person][0 if record_id in left_ids else 1].append(record_id)
    expected = {(lid, rid) for lefts, rights in by_person.values() for lid in lefts for rid in rights}
    assert data.matches == expected
    assert len({rid for _lid, rid in data.matches}) == 2000  # one found record per matched person
    assert all(lid in left_ids and rid in right_ids for lid, rid in data.matches)


# --- hard negatives --------------------------------------------------------------------------------------


def test_duplicate_reports_give_two_true_pairs_with_one_found_record(data: generator.LinkDataset) -> None:
    reports_per_found = Counter(rid for _lid, rid in data.matches)
    assert sum(1 for count in reports_per_found.values() if count == 2) == 200  # 10% of 2000


def test_siblings_share_parents_family_home_and_phone_but_are_other_people(data: generator.LinkDataset) -> None:
    families: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for person in data.people.values():
        if person.nationality == "NP":
            families[(person.father, person.mother, person.home, person.phone)].append(person.entity)
    pairs = [members for members in families.values() if len(members) == 2]
    assert len(pairs) >= 200  # 10% of the matched people have a sibling in the data
    for first, second in (tuple(data.people[e] for e in members) for members in pairs):
        assert first.entity != second.entity
        assert first.name.given.key != second.name.given.key
        assert abs((first.birth - second.birth).days) >= 366
        assert abs((first.birth - second.birth).days) <= 8 * 366 + 120
    on_records = {data.entity[row["record_id"]] for row in data.left + data.right}
    assert sum(1 for members in pairs if set(members) <= on_records) >= 200


def test_namesakes_from_the_same_district_are_other_people(data: generator.LinkDataset) -> None:
    seen: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for person in data.people.values():
        if person.nationality == "NP" and person.name.family is not None:
            key = (person.name.given.key, person.name.family.key, person.home.district.place.en)
            seen[key].append(person.entity)
    namesakes = 0
    for members in seen.values():
        people = [data.people[e] for e in members]
        for a in people:
            for b in people:
                if a.entity < b.entity and a.father.given.key != b.father.given.key and a.phone != b.phone:
                    namesakes += 1
    assert namesakes >= 200  # at least the planted ones (10% of the matched); common names add more


# --- noise -----------------------------------------------------------------------------------------------


def _documented(profile: Profile) -> dict[str, float]:
    """Each kind of noise and its rate as the profile states it."""
    rates: dict[str, float] = {}
    for kind in BINARY_KINDS:
        rates[kind] = getattr(profile, kind)
    for field in ("scripts", "layouts", "birth_dates", "countries", "age_error"):
        kind = {"scripts": "script", "layouts": "layout", "birth_dates": "birth_date", "countries": "home_country"}
        for value, rate in getattr(profile, field):
            rates[f"{kind.get(field, field)}={value}"] = rate
    for rates_of in (profile.latin, profile.latin_native):
        for kind, rate in zip(rates_of.kinds, (*rates_of.values, rates_of.typo), strict=True):
            rates[kind] = rate
    for rates_of in (profile.devanagari, profile.devanagari_native):
        values = (rates_of.ng_anusvara, rates_of.gya, rates_of.vowel_length, rates_of.sibilant, rates_of.ba_va)
        for kind, rate in zip(rates_of.kinds, (*values, rates_of.typo), strict=True):
            rates[kind] = rate
    return rates


@pytest.mark.parametrize("profile", [REPORT, FOUND], ids=["report", "found"])
def test_measured_noise_rates_are_the_documented_ones(data: generator.LinkDataset, profile: Profile) -> None:
    tally = data.tally[profile.name]
    checked = 0
    for kind, expected in _documented(profile).items():
        tried = tally.tries.get(kind.split("=")[0], 0)
        if tried < 300 or expected in (0.0, 1.0):
            continue
        assert _near(tally.rate(kind), expected, tried), (kind, tally.rate(kind), expected, tried)
        checked += 1
    assert checked >= 40


def test_every_kind_of_noise_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for profile in (REPORT, FOUND):
        for kind in _documented(profile):
            assert f"`{kind.split('=')[0].removeprefix('native_')}`" in text, kind


def _matched_found(data: generator.LinkDataset) -> list[dict[str, str]]:
    matched = {rid for _lid, rid in data.matches}
    return [row for row in data.right if row["record_id"] in matched]


def test_found_records_of_the_reported_are_written_as_documented(data: generator.LinkDataset) -> None:
    rows = _matched_found(data)
    n = len(rows)
    with_devanagari = sum(1 for r in rows if any(DEVANAGARI.search(r[f]) for f in NAME_FIELDS)) / n
    with_latin = sum(1 for r in rows if any(LATIN_LETTER.search(r[f]) for f in NAME_FIELDS)) / n
    assert _near(with_devanagari, 0.35, n)  # Devanagari 25% + both scripts 10%
    assert _near(with_latin, 0.75, n)
    assert _near(sum(1 for r in rows if r["father_name"]) / n, 0.45, n)
    assert _near(sum(1 for r in rows if r["mother_name"]) / n, 0.12, n)
    assert _near(sum(1 for r in rows if r["home_district"]) / n, 0.65, n)


def test_reports_name_parents_and_give_a_family_phone(data: generator.LinkDataset) -> None:
    rows = data.left
    n = len(rows)
    assert _near(sum(1 for r in rows if r["father_name"]) / n, 0.92, n)
    assert _near(sum(1 for r in rows if r["mother_name"]) / n, 0.82, n)
    assert _near(sum(1 for r in rows if r["birth_date_bs"]) / n, 0.60, n)  # BS only 45% + both 15%
    assert 0.7 < sum(1 for r in rows if r["phone"]) / n < 0.8  # 85% of the 90% of families with a phone


def test_estimated_ages_are_mostly_within_three_years(data: generator.LinkDataset) -> None:
    errors = []
    for row in _matched_found(data):
        person = data.people[data.entity[row["record_id"]]]
        true_age = age_on(person.birth, date.fromisoformat(row["recorded_on"]))
        if row["age"] and "minor_claims_adult" not in data.noise[row["record_id"]]:
            errors.append(abs(int(row["age"]) - true_age))
    assert len(errors) > 1500
    assert sum(1 for e in errors if e <= 3) / len(errors) > 0.93
    assert _near(sum(1 for e in errors if e == 0) / len(errors), 0.35, len(errors))
    assert max(errors) <= 6


def test_reported_ages_are_whole_years_or_the_running_year(data: generator.LinkDataset) -> None:
    for row in data.left:
        if row["age"]:
            person = data.people[data.entity[row["record_id"]]]
            true_age = age_on(person.birth, date.fromisoformat(row["recorded_on"]))
            assert int(row["age"]) - true_age in (0, 1)


def test_devanagari_is_nfc_and_never_mixed_with_latin_letters(data: generator.LinkDataset) -> None:
    for row in data.left + data.right:
        for value in row.values():
            assert unicodedata.normalize("NFC", value) == value
            if DEVANAGARI.search(value):
                assert not LATIN_LETTER.search(value), value


def test_bs_dates_are_valid_and_agree_with_the_ad_date(data: generator.LinkDataset) -> None:
    checked_pairs = 0
    for row in data.left + data.right:
        if not row["birth_date_bs"]:
            continue
        year, month, day = (int(part) for part in row["birth_date_bs"].split("-"))
        ad = nepalidate(year, month, day).to_date()
        if len(row["birth_date"]) == 10:  # both written: the same day
            assert ad == date.fromisoformat(row["birth_date"])
            checked_pairs += 1
        person = data.people[data.entity[row["record_id"]]]
        tags = data.noise[row["record_id"]]
        if "date_error" not in tags and "document_adult" not in tags:
            assert ad == person.birth
        elif "date_error" in tags:  # a year or up to 20 days off
            assert abs((ad - person.birth).days) <= 20 or abs(ad.year - person.birth.year) == 1
    assert checked_pairs > 300


def test_sex_is_mostly_a_code_and_sometimes_a_word_or_blank(data: generator.LinkDataset) -> None:
    values = Counter(row["sex"] for row in data.left + data.right)
    coded = values["F"] + values["M"]
    assert coded / sum(values.values()) > 0.85
    assert values[""] > 0
    assert set(values) - {"F", "M", ""} <= {"Female", "female", "f", "FEMALE", "Male", "male", "m", "MALE"} | {
        "महिला",
        "म",
        "पुरुष",
        "पु",
    }


def test_phones_are_synthetic_nepal_or_india_mobiles(data: generator.LinkDataset) -> None:
    digits = str.maketrans("०१२३४५६७८९", "0123456789")
    for row in data.left + data.right:
        if row["phone"]:
            number = re.sub(r"\D", "", row["phone"].translate(digits))
            assert re.fullmatch(r"(977)?9800\d{6}|(91|0)?9000\d{6}", number), row["phone"]


# --- spelling rules --------------------------------------------------------------------------------------


def _only(kind: str) -> spelling.LatinRates:
    rates = dict.fromkeys(spelling.LATIN_KINDS, 0.0)
    rates[kind] = 1.0
    return spelling.LatinRates(**rates, typo=0.0)


@pytest.mark.parametrize(
    ("kind", "written", "slipped"),
    [
        ("schwa", "Kamala", "Kamla"),
        ("schwa", "Bimala", "Bimla"),
        ("aspirate", "Bhagwati", "Bagwati"),
        ("aspirate", "Chhetri", "Chetri"),
        ("sibilant", "Sushma", "Susma"),
        ("sibilant", "Shanti", "Santi"),
        ("ba_va", "Bikash", "Vikash"),
        ("vowel_length", "Sita", "Seeta"),
        ("vowel_length", "Puja", "Pooja"),
        ("double", "Mahottari", "Mahotari"),
    ],
)
def test_latin_slips(kind: str, written: str, slipped: str) -> None:
    dice = Dice(__import__("random").Random(1))
    assert spelling.latin(written, _only(kind), dice) == slipped
    assert dice.tags == [kind]


def test_abbreviations_are_written_as_they_are() -> None:
    dice = Dice(__import__("random").Random(1))
    rates = spelling.LatinRates(**dict.fromkeys(spelling.LATIN_KINDS, 1.0), typo=1.0)
    assert spelling.latin("B.K.", rates, dice) == "B.K." and spelling.latin("BK", rates, dice) == "BK"


@pytest.mark.parametrize(
    ("nepali", "hindi"),
    [("तामाङ", "तामांग"), ("सङ्गीता", "संगीता"), ("पासाङ", "पासांग"), ("रञ्जना", "रंजना"), ("सन्तोष", "संतोष")],
)
def test_hindi_orthography_writes_nasals_as_anusvara(nepali: str, hindi: str) -> None:
    assert spelling.hindi_orthography(nepali) == hindi


# --- tables ----------------------------------------------------------------------------------------------


def test_name_pools_are_big_enough_for_a_million_people() -> None:
    def keys(*tables: tuple[names_np.Name, ...]) -> set[str]:
        return {name.key for table in tables for name in table}

    assert len(keys(names_np.FEMALE_GENERAL, names_np.FEMALE_HIMALAYAN, names_np.FEMALE_MADHESI)) >= 150
    assert len(keys(names_np.MALE_GENERAL, names_np.MALE_HIMALAYAN, names_np.MALE_MADHESI)) >= 80
    assert len(keys(*names_np.FAMILY.values())) >= 80
    assert len(keys(names_in.FEMALE_HINDI, names_in.FEMALE_BENGALI, names_in.FEMALE_MUSLIM)) >= 150
    assert len(keys(names_in.MALE_HINDI, names_in.MALE_BENGALI, names_in.MALE_MUSLIM)) >= 80
    assert len(keys(*names_in.FAMILY.values())) >= 80


def test_name_frequencies_are_zipf_like() -> None:
    pool = names_np.FEMALE_POOLS["general"]
    assert 0.04 < pool.share(0) < 0.08
    assert pool.share(0) > 2 * pool.share(9) > 4 * pool.share(99)
    assert Pool(names_np.FEMALE_GENERAL[:3]).share(0) > Pool(names_np.FEMALE_GENERAL[:3]).share(2)


def test_every_table_row_has_clean_devanagari_and_latin() -> None:
    rows = list(names_np.all_names())
    rows += [*names_in.FEMALE_HINDI, *names_in.FEMALE_BENGALI, *names_in.FEMALE_MUSLIM]
    rows += [*names_in.MALE_HINDI, *names_in.MALE_BENGALI, *names_in.MALE_MUSLIM]
    rows += [name for table in names_in.FAMILY.values() for name in table]
    for row in rows:
        for text in (row.ne, row.hindi, *row.ne_alt):
            assert DEVANAGARI.search(text) and not LATIN_LETTER.search(text), row
            assert unicodedata.normalize("NFC", text) == text
        for written in row.latin:
            assert re.fullmatch(r"[A-Za-z. ]+", written), row


# --- places ----------------------------------------------------------------------------------------------


def test_homes_come_from_the_gazetteer_weighted_to_source_districts(data: generator.LinkDataset) -> None:
    geography = places.geography()
    assert len(geography.nepal) == 77
    homes = Counter(p.home.district.place.en for p in data.people.values() if p.nationality == "NP")
    assert homes.most_common(1)[0][0] == "Sindhupalchok"
    names = {d.place.en for d in geography.nepal} | {a for d in geography.nepal for a in d.place.aliases}
    written = [row["home_district"] for row in data.left if LATIN_LETTER.search(row["home_district"])]
    assert sum(1 for w in written if w in names) / len(written) > 0.9


def test_a_former_vdc_is_written_for_the_local_level_it_became_part_of(tmp_path: Path) -> None:
    vdcs = tmp_path / "former_vdcs.json"
    rows = [
        {"name_en": "Ichok", "name_ne": "इचोक", "district": "Sindhupalchok", "local_level": "Melanchi"},
        {"name_en": "Nowhere", "district": "Sindhupalchok", "local_level": ""},
    ]
    vdcs.write_text(json.dumps(rows), encoding="utf-8")
    parsed = places._former_vdcs(vdcs)
    assert list(parsed) == [("Sindhupalchok", "Melanchi")]
    vdc = parsed[("Sindhupalchok", "Melanchi")][0]

    import random

    rng = random.Random(3)
    sindhupalchok = next(d for d in places.geography().nepal if d.place.en == "Sindhupalchok")
    melamchi = next(level for level in sindhupalchok.locals if level.en == "Melanchi")
    person = Population(rng, places.geography()).nepali("P1", on=date(2020, 1, 1), district=sindhupalchok)
    person = replace(person, home=Home(sindhupalchok, melamchi, 4, vdc))
    always = replace(
        REPORT, district=1.0, local_level=1.0, vdc=1.0, local_suffix=0.0, local_misspelt=0.0, place_alias=0.0
    )
    always = replace(always, scripts=(("latin", 1.0),), local_first_word=0.0)
    row = dict(zip(COLUMNS, Writer(rng).record(person, "L1", date(2020, 2, 1), always), strict=True))
    assert row["home_district"] == "Sindhupalchok" and row["home_local_level"] == "Ichok"


# --- streaming and dedupe --------------------------------------------------------------------------------


def test_write_link_files_streams_the_same_rows_whatever_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "CHUNK", 64)  # several chunks even at this size
    arguments = {"left": 120, "right": 500, "matched": 60, "seed": 5}
    one = write_link_files(tmp_path / "one", **arguments, workers=1)
    write_link_files(tmp_path / "two", **arguments, workers=2)
    assert (one.left_rows, one.right_rows, one.matches) == (120, 500, 66)
    for name in ("left.csv", "right.csv", "truth.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    data = link_dataset(**arguments)
    write_csv(tmp_path / "left.csv", data.left)
    write_csv(tmp_path / "right.csv", data.right)
    assert (tmp_path / "left.csv").read_bytes() == one.left.read_bytes()
    assert (tmp_path / "right.csv").read_bytes() == one.right.read_bytes()
    with one.truth.open(encoding="utf-8") as handle:
        truth = {(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)}
    assert truth == data.matches
    with one.right.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(COLUMNS)


def test_too_many_matched_people_for_the_sides_is_an_error() -> None:
    with pytest.raises(ValueError, match="need"):
        link_dataset(left=100, right=1000, matched=100)


def test_dedupe_clusters_are_the_people_recorded_more_than_once(dedupe: generator.DedupeDataset) -> None:
    rows = dedupe.rows
    assert len(rows) == 2000 and all(tuple(row) == COLUMNS for row in rows)
    assert set(dedupe.clusters) == {row["record_id"] for row in rows}
    assert set(dedupe.clusters.values()) <= set(dedupe.people)
    sizes = Counter(Counter(dedupe.clusters.values()).values())
    people = sum(sizes.values())
    assert 0.2 < (people - sizes[1]) / people < 0.3  # 25% of people have more than one record
    assert sizes[2] > sizes[3] > sizes[4] > 0
    recorded = {dedupe.people[e] for e in set(dedupe.clusters.values())}
    families = Counter((p.father, p.mother, p.home, p.phone) for p in recorded)
    assert any(count > 1 for count in families.values())  # siblings, in separate clusters
    assert dedupe_dataset(records=2000, seed=7).rows == rows
