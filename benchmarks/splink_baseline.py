"""Splink 5 on DuckDB, configured as a competent engineer would, for benchmarks/linkage.py to compare with.

Run as its own process (so its imports count in its time, as ours count in `setu link`'s):

    python benchmarks/splink_baseline.py febrl A.csv B.csv --out PAIRS.csv
    python benchmarks/splink_baseline.py contract LEFT.csv RIGHT.csv --out PAIRS.csv

`febrl` takes FEBRL's own columns (given_name, surname, street_number, address_1, suburb, postcode, state,
date_of_birth, soc_sec_id) and uses all of them. `contract` takes Setu's input contract (docs/tracing.md)
and prepares it the usual way: Devanagari romanised by plain transliteration (indic_transliteration,
IAST, diacritics dropped), full names split into first and last word, Bikram Sambat dates converted to AD,
a birth year from the date or from the age on the day recorded, phones as digits. Both use Splink's
standard comparisons (NameComparison: exact and Jaro-Winkler 0.92/0.88/0.7; DateOfBirthComparison;
Damerau-Levenshtein on identifiers; absolute differences on years), a spread of blocking rules, u by
random sampling and m by EM in two sessions, and write the pairs at or above 0.5 as `left_id, right_id,
probability`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import logging
import re
import sys
import unicodedata
from pathlib import Path


def _write(pairs, out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "probability"])
        for row in pairs.itertuples(index=False):
            writer.writerow([row.unique_id_l, row.unique_id_r, f"{row.match_probability:.6f}"])


def _link(frames, settings, training, out: Path) -> None:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI()
    tables = [db_api.register(frame, dataset_display_name=name) for name, frame in frames]
    linker = Linker(tables, settings)
    training(linker)
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    _write(predictions, out)


def febrl(a: Path, b: Path, out: Path) -> None:
    import pandas as pd
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    frames = []
    for name, path in (("a", a), ("b", b)):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
        frame = frame.rename(columns={"rec_id": "unique_id"})
        frames.append((name, frame))
    settings = SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"), block_on("soc_sec_id"),
            block_on("postcode", "suburb"),
        ],
        comparisons=[
            cl.NameComparison("given_name"), cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]), cl.ExactMatch("street_number"),
            cl.LevenshteinAtThresholds("address_1", [1, 3]), cl.JaroWinklerAtThresholds("suburb"),
            cl.ExactMatch("postcode"), cl.ExactMatch("state"),
        ],
    )  # fmt: skip

    def training(linker) -> None:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given_name", "surname", "date_of_birth")], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))

    _link(frames, settings, training, out)


# --- Setu's contract, prepared the usual way -----------------------------------------------------------------


def _roman(text: str) -> str:
    """Plain transliteration: Devanagari to IAST, then diacritics dropped; Latin lower-cased."""
    from indic_transliteration import sanscript

    text = (text or "").strip()
    if any("\u0900" <= ch <= "\u097f" for ch in text):
        text = sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.IAST)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z]+", text))


def _birth(row: dict) -> tuple[str | None, float | None]:
    """(ISO date of birth if known, birth year)."""
    from setu.core.dates import bs_to_ad

    for column, bs in (("birth_date", False), ("birth_date_bs", True)):
        value = (row.get(column) or "").strip()
        match = re.match(r"^(\d{4})(?:-(\d{1,2})-(\d{1,2}))?$", value)
        if not match:
            continue
        year = int(match.group(1))
        if not match.group(2):
            return None, float(year - 57 if bs else year)
        try:
            when = bs_to_ad(year, int(match.group(2)), int(match.group(3))) if bs else dt.date.fromisoformat(value)
        except ValueError:
            continue
        return when.isoformat(), float(when.year)
    try:
        age = float(row.get("age") or "")
        on = dt.date.fromisoformat(row.get("recorded_on") or "")
    except ValueError:
        return None, None
    return None, on.year - age


def _prepared(path: Path):
    import pandas as pd

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    prepared = []
    for row in rows:
        given, family = _roman(row.get("given_name", "")), _roman(row.get("family_name", ""))
        if not given and not family:
            words = _roman(row.get("full_name", "")).split()
            given, family = (words[0] if words else ""), (words[-1] if len(words) > 1 else "")
        dob, year = _birth(row)
        father = _roman(row.get("father_name", "")).split()
        mother = _roman(row.get("mother_name", "")).split()
        phone = re.sub(r"\D", "", row.get("phone", ""))[-10:]
        sex = (row.get("sex") or "").strip().lower()[:1]
        prepared.append({
            "unique_id": row["record_id"], "given_name": given or None, "family_name": family or None,
            "sex": sex if sex in ("f", "m") else None, "dob": dob, "birth_year": year,
            "father_name": father[0] if father else None, "mother_name": mother[0] if mother else None,
            "district": _roman(row.get("home_district", "")) or None, "phone": phone or None,
        })  # fmt: skip
    return pd.DataFrame(prepared)


def contract(left: Path, right: Path, out: Path) -> None:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    frames = [("a_reports", _prepared(left)), ("b_found", _prepared(right))]  # Splink orders pairs by name
    settings = SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"), block_on("given_name", "district"),
            block_on("family_name", "father_name"), block_on("phone"), block_on("dob"),
        ],
        comparisons=[
            cl.NameComparison("given_name"), cl.NameComparison("family_name"), cl.ExactMatch("sex"),
            cl.CustomComparison([cll.NullLevel("birth_year"), cll.ExactMatchLevel("birth_year"),
                                 *(cll.AbsoluteDifferenceLevel("birth_year", t) for t in (1, 2, 5)), cll.ElseLevel()],
                                output_column_name="birth_year"),
            cl.NameComparison("father_name"), cl.NameComparison("mother_name"),
            cl.JaroWinklerAtThresholds("district", [0.9]), cl.DamerauLevenshteinAtThresholds("phone", [1, 2]),
        ],
    )  # fmt: skip

    def training(linker) -> None:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given_name", "family_name", "father_name")], recall=0.5
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "family_name"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("family_name", "father_name"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))

    _link(frames, settings, training, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["febrl", "contract"])
    parser.add_argument("left", type=Path)
    parser.add_argument("right", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    (febrl if args.kind == "febrl" else contract)(args.left, args.right, args.out)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
