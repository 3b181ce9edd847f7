"""`setu link LEFT.csv RIGHT.csv --out PAIRS.csv` and `setu dedupe FILE.csv --out CLUSTERS.csv`.

A fixed contract other tools can rely on (docs/tracing.md has it in full):

- input: UTF-8 CSV with a header and the columns `record_id, full_name, given_name, family_name, sex,
  birth_date, birth_date_bs, age, recorded_on, father_name, mother_name, home_country, home_district,
  home_local_level, home_ward, phone`, any but record_id blank or absent;
- `link` writes PAIRS.csv: `left_id, right_id, probability, explanation`, one row per pair at or above
  the threshold (default 0.5), best first;
- `dedupe` writes CLUSTERS.csv: `record_id, cluster_id, cluster_size`, one row per record, the cluster
  named by its smallest record_id (a record with no duplicate is a cluster of one); `--pairs` also
  writes the pairs as `link` does;
- malformed rows are reported on stderr with their line numbers; by default the run is refused (exit 2,
  nothing written), with `--on-error skip` they are left out and the rest is linked;
- an empty or one-sided input gives an empty result (a header-only file), not an error;
- exit 0 on success, 2 on refused input or usage, 1 on an unexpected failure.

The model is trained on the input by EM (weights from the data, with sane defaults where the data says
too little); `--model` uses a saved one instead, `--save-model` keeps the one used. Progress goes to
stderr. No match is ever acted on here: these are proposals for a person to confirm.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from setu.tracing.linkage.model import Model
from setu.tracing.linkage.records import InputError, Reading, count_lines, read_records

EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2
PAIRS_HEADER = ("left_id", "right_id", "probability", "explanation")
CLUSTERS_HEADER = ("record_id", "cluster_id", "cluster_size")


class Reporter:
    """Progress on stderr: a bar (tqdm) on a terminal, a line per stage otherwise; nothing with --quiet."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()
        self.bars: dict = {}

    def say(self, text: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.started:7.1f}s] {text}", file=sys.stderr, flush=True)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total or None, desc=stage, unit=" rec" if "load" in stage else "",
                                          file=sys.stderr, dynamic_ncols=True, mininterval=0.5)  # fmt: skip
        if total and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)
        if total and done >= total:
            bar.close()


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--threshold", type=float, default=0.5,
                        help="write pairs whose match probability is at least this (default 0.5)")  # fmt: skip
    common.add_argument("--on-error", choices=("refuse", "skip"), default="refuse",
                        help="malformed rows: refuse the run (default) or leave them out; either way they are "
                             "reported with their line numbers")  # fmt: skip
    common.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="duckdb (embedded, default) or spark (local[*] unless SPARK_MASTER / --spark-master)",
    )
    common.add_argument("--spark-master", default=os.environ.get("SPARK_MASTER", "local[*]"))
    common.add_argument("--model", type=Path, help="use this saved model instead of training on the input")
    common.add_argument("--save-model", type=Path, help="write the model used (JSON) here")
    common.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        help="the date ages are counted to when a row has no recorded_on (default today)",
    )
    common.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    common.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 8GB")
    common.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser = argparse.ArgumentParser(prog="setu", description="Record linkage across scripts and borders.")
    commands = parser.add_subparsers(dest="command", required=True)
    link = commands.add_parser("link", parents=[common], help="pairs of records in two files: the same person?")
    link.add_argument("left", type=Path)
    link.add_argument("right", type=Path)
    link.add_argument("--out", type=Path, required=True, help="PAIRS.csv to write")
    dedupe = commands.add_parser("dedupe", parents=[common], help="clusters of records in one file: one person?")
    dedupe.add_argument("file", type=Path)
    dedupe.add_argument("--out", type=Path, required=True, help="CLUSTERS.csv to write")
    dedupe.add_argument("--pairs", type=Path, help="also write the scored pairs here (as `link` writes them)")
    return parser


def _write_atomically(path: Path, header: tuple[str, ...], rows) -> None:
    """Write the CSV next to its place and rename it there: a failed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _report(readings: list[Reading], reporter: Reporter, *, refuse: bool) -> bool:
    """Print every problem; True when the run must stop."""
    bad = False
    for reading in readings:
        if reading.unknown_columns:
            print(f"{reading.path}: columns not in the contract, ignored: {', '.join(reading.unknown_columns)}",
                  file=sys.stderr)  # fmt: skip
        for problem in reading.problems:
            print(f"{reading.path}: {problem}", file=sys.stderr)
        if reading.problems:
            bad = True
            verb = "refused" if refuse else "skipped"
            print(f"{reading.path}: {len(reading.problems)} malformed row(s) {verb}", file=sys.stderr)
    if bad and refuse:
        print("nothing written: fix the rows above, or run with --on-error skip to leave them out", file=sys.stderr)
    reporter.say(", ".join(f"{r.path.name}: {r.records:,} records" for r in readings))
    return bad and refuse


def _engine(args):
    if args.engine == "spark":
        from setu.tracing.linkage.spark import SparkEngine

        return SparkEngine(master=args.spark_master)
    from setu.tracing.linkage.engine import DuckDBEngine

    return DuckDBEngine(threads=args.threads, memory_limit=args.memory_limit)


def _load(engine, table: str, path: Path, today: dt.date, reporter: Reporter) -> Reading:
    reading, records = read_records(path)
    total = max(count_lines(path) - 1, 0)
    engine.load(table, records, today=today, progress=reporter, total=total)
    return reading


def clusters(record_ids: list[str], pairs: list[tuple[str, str, float, str]]) -> list[tuple[str, str, int]]:
    """(record_id, cluster_id, cluster_size) for every record: connected components of the pairs, each
    named by its smallest record_id."""
    parent = {rid: rid for rid in record_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for left, right, _p, _e in pairs:
        a, b = find(left), find(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    roots = {rid: find(rid) for rid in record_ids}
    sizes: dict[str, int] = {}
    for root in roots.values():
        sizes[root] = sizes.get(root, 0) + 1
    return [(rid, roots[rid], sizes[roots[rid]]) for rid in record_ids]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not 0 <= args.threshold <= 1:
        print("--threshold must be between 0 and 1", file=sys.stderr)
        return EXIT_REFUSED
    reporter = Reporter(quiet=args.quiet)
    today = args.as_of or dt.date.today()  # noqa: DTZ011 - ages are whole years of a calendar date
    try:
        model = Model.load(args.model) if args.model else Model.default()
    except (OSError, ValueError, KeyError) as exc:
        print(f"{args.model}: not a usable model ({exc})", file=sys.stderr)
        return EXIT_REFUSED
    engine = _engine(args)
    try:
        if args.command == "link":
            readings = [_load(engine, "l", args.left, today, reporter), _load(engine, "r", args.right, today, reporter)]
            right = "r"
        else:
            readings = [_load(engine, "l", args.file, today, reporter)]
            right = "l"
        if _report(readings, reporter, refuse=args.on_error == "refuse"):
            return EXIT_REFUSED
        result = engine.run("l", right, model, dedupe=args.command == "dedupe", train=args.model is None,
                            threshold=args.threshold, progress=reporter)  # fmt: skip
        rows = [(a, b, f"{p:.6f}", text) for a, b, p, text in result.pairs]
        if args.command == "link":
            _write_atomically(args.out, PAIRS_HEADER, rows)
        else:
            ids = engine.record_ids("l")
            _write_atomically(args.out, CLUSTERS_HEADER, clusters(ids, result.pairs))
            if args.pairs:
                _write_atomically(args.pairs, PAIRS_HEADER, rows)
        if args.save_model:
            args.save_model.write_text(result.model.to_json(), encoding="utf-8")
        counts = result.counts
        reporter.say(f"{counts.get('blocked_pairs', 0):,} pairs compared, {len(rows):,} at or above "
                     f"{args.threshold}: {args.out}")  # fmt: skip
        return EXIT_OK
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.close()
