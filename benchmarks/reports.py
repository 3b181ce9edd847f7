"""The dashboards with many records, through the real views: `python benchmarks/reports.py` (SQLite) or
`python benchmarks/reports.py --database postgres`.

The data are those of two other benchmarks, made by their own seeders so that they stay as realistic as
those benchmarks keep them: an India node with 100,000 cases (benchmarks/cases.py: each with the stage
records of its route through SOP v1, deadlines, statutory clocks, handovers for the cases that went home)
and a Nepal node with 500,000 interceptions over three years at 12 crossing points
(benchmarks/interceptions.py). Each dashboard counts only its own kind of record, so each is timed on the
node that holds them: SOP compliance, repatriations and missing persons on the cases' node, interceptions on
the interceptions' node; the index on both.

Each node is served with gunicorn (DEBUG off); a focal point (node-wide: every record counted) and, on the
interceptions' node, an analyst sign in through the login form, and the script times each dashboard page one
request at a time, with the default filters (the last 12 months) and with a whole year, and the CSV of one
table. Every request passes the session check and the access policy. It prints p50/p95 per page; it never
asserts them.

Target (issue "Reports, statistics, imports and exports"): every dashboard under 1 s with 100,000 cases and
500,000 interceptions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (  # noqa: E402
    ROOT,
    Client,
    Timings,
    drop_database,
    fresh_database,
    node_env,
    serve,
    time_requests,
)

PASSWORD = "benchmark pass phrase 2026"  # noqa: S105 - the seeders' (a throwaway database)
NODES = {"cases": ("IN", "setu_bench_reports_cases"), "interceptions": ("NP", "setu_bench_reports_interceptions")}
SEEDERS = {
    # Run in a process of its own per node: Django is set up once per process, with that node's settings.
    "cases": "from benchmarks import cases; cases.seed({count})",
    "interceptions": "from pathlib import Path; from benchmarks import interceptions; "
    "interceptions.seed({count}, Path({var_dir!r}))",
}
PAGES = {"cases": ("sop", "repatriation", "missing"), "interceptions": ("interceptions",)}
USERS = {"cases": (("bench_focal", "focal point"),),
         "interceptions": (("bench_focal", "focal point"), ("bench_analyst", "analyst"))}  # fmt: skip


def seed(kind: str, count: int, env: dict[str, str], var_dir: Path) -> None:
    code = SEEDERS[kind].format(count=count, var_dir=str(var_dir))
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, check=True)


def measure(kind: str, env: dict[str, str], args) -> list[Timings]:
    year = dt.date.today().year - 1
    results = []
    with serve(env, workers=args.workers) as base:
        for username, who in USERS[kind]:
            client = Client(base)
            client.login(username, PASSWORD)
            pages = [f"/reports/{key}/" for key in PAGES[kind]]
            for _ in range(3):  # warm the workers and the database cache
                for page in ["/reports/", *pages]:
                    client.get(page)
            results.append(time_requests(client, f"{kind} node, {who}: index", ["/reports/"] * args.requests))
            for page in pages:
                label = f"{kind} node, {who}: {page}"
                results.append(time_requests(client, f"{label}, last 12 months", [page] * args.requests))
                results.append(time_requests(client, f"{label}, year {year}", [f"{page}?year={year}"] * args.requests))
            first = pages[0]
            results.append(
                time_requests(client, f"{kind} node, {who}: {first} CSV, every table (zip)",
                              [f"{first}?format=csv"] * args.requests)
            )  # fmt: skip
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--interceptions", type=int, default=500_000)
    parser.add_argument("--database", "--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per kind of page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the machine has 2 cores)")
    parser.add_argument("--only", choices=list(NODES), help="one node only")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards (and print where)")
    args = parser.parse_args()
    # Options that other benchmarks take (run_all.py passes them to every web benchmark) are accepted above.

    counts = {"cases": args.cases, "interceptions": args.interceptions}
    results: list[Timings] = []
    for kind in [args.only] if args.only else list(NODES):
        node, name = NODES[kind]
        var_dir = Path(tempfile.mkdtemp(prefix=f"setu-bench-reports-{kind}-"))
        (var_dir / "static").mkdir()
        env = node_env(fresh_database(args.database, var_dir, name), var_dir, node=node)
        try:
            seed(kind, counts[kind], env, var_dir)
            measured = measure(kind, env, args)
            for timing in measured:  # as soon as a node is done: the other node's seeding takes long
                print(timing.line(), flush=True)
            results += measured
        finally:
            if not args.keep:
                drop_database(args.database, name)
                shutil.rmtree(var_dir, ignore_errors=True)
            else:
                print(f"kept: {env['DATABASE_URL']} (var dir {var_dir})")
    print()
    print(
        f"cases={args.cases} interceptions={args.interceptions} database={args.database} "
        f"gunicorn workers={args.workers} requests per kind={args.requests} (sequential, one user at a time)"
    )
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for timing in results:
        print(timing.line())


if __name__ == "__main__":
    main()
