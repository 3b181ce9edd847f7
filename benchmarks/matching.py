"""Interactive matching: the candidates for one record against a million stored persons, as a node finds them
when a report, a case or an interception is saved. `python benchmarks/matching.py [--database postgres]`.

A fresh Nepal node database is filled in bulk with the found side of Setu's Nepal–India generator
(setu/tracing/evaluation; 1,000,000 persons by default: girls and women found in India or stopped at the
border, their namesakes and siblings, Indian nationals), each with the matcher's index as the node keeps it
(MatchProfile: the features; BlockKey: the blocking keys; what `setu.tracing.matching.index_person` writes),
and a trained model (setu.tracing.linkage, EM on those records against the generator's reports, as
`setu tracing train` trains a node's). Then, in the node's environment, it times
`setu.tracing.matching.candidates` for the generator's missing-person reports (their features, as the
service reads a report's person), one after another: the blocking-key lookups in the database, the
profiles read, the scoring by the model's SQL in DuckDB and the explanations. Every stored person may be a
candidate (`among=ANYONE`, as when a node looks for the same person registered twice).

It prints its figures (docs/performance.md records them); it never asserts them. Target (issue "Tracing"):
candidates for one record against 1,000,000 stored persons, p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Timings, drop_database, fresh_database, node_env  # noqa: E402

PG_NAME = "setu_bench_matching"
CHUNK = 5000


def seed(persons: int, reports: int, var_dir: Path, seed_value: int) -> list[dict]:
    """Fill the database; returns the report records to time with."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from setu.accounts.tests.factories import OrganisationFactory
    from setu.geo.models import District
    from setu.geo.services import gazetteer_load
    from setu.people.models import Person
    from setu.tracing.evaluation.generator import write_link_files
    from setu.tracing.linkage.blocking import keys
    from setu.tracing.linkage.engine import DuckDBEngine
    from setu.tracing.linkage.features import read_record
    from setu.tracing.linkage.model import Model
    from setu.tracing.models import BlockKey, MatchModel, MatchProfile

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    gazetteer_load()
    files = write_link_files(var_dir / "generated", left=reports, right=persons, matched=reports // 5,
                             seed=seed_value)  # fmt: skip
    print(f"generated {reports:,} reports and {persons:,} found persons in {time.perf_counter() - started:.0f} s",
          flush=True)  # fmt: skip
    morang = District.objects.get(province__country="NP", name_en="Morang")
    organisation = OrganisationFactory(name_en="Benchmark shelter", districts=[morang])
    user = get_user_model().objects.create(username="benchmark")
    today = timezone.localdate()
    count = 0
    with files.right.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        while True:
            chunk = [row for _, row in zip(range(CHUNK), rows, strict=False)]
            if not chunk:
                break
            with transaction.atomic():
                created = Person.objects.bulk_create([
                    Person(full_name=(row["full_name"] or f"{row['given_name']} {row['family_name']}")[:200],
                           given_name=row["given_name"][:100], family_name=row["family_name"][:100],
                           organisation=organisation, location_district=morang, created_by=user)
                    for row in chunk
                ])  # fmt: skip
                profiles, block_keys = [], []
                for person, row in zip(created, chunk, strict=True):
                    features = dataclasses.replace(read_record(row, today=today), record_id=str(person.pk))
                    profiles.append(MatchProfile(person=person, features=dataclasses.asdict(features),
                                                 indexed_at=timezone.now()))  # fmt: skip
                    block_keys += [BlockKey(key=key, person=person) for key in keys(features)]
                MatchProfile.objects.bulk_create(profiles)
                BlockKey.objects.bulk_create(block_keys, batch_size=CHUNK)
            count += len(chunk)
            if count % 100_000 == 0:
                print(f"  {count:,} persons indexed ({time.perf_counter() - started:.0f} s)", flush=True)
    engine = DuckDBEngine()
    with files.left.open(encoding="utf-8", newline="") as handle:
        engine.load("l", csv.DictReader(handle), today=today)
    with files.right.open(encoding="utf-8", newline="") as handle:
        engine.load("r", csv.DictReader(handle), today=today)
    model = engine.run("l", "r", Model.default(), threshold=0.99).model
    engine.close()
    MatchModel.objects.create(trained_at=timezone.now(), model=model.to_json(), summary=model.trained)
    with files.left.open(encoding="utf-8", newline="") as handle:
        left = list(csv.DictReader(handle))
    total = BlockKey.objects.count()
    seconds = time.perf_counter() - started
    print(f"stored {count:,} persons, {total:,} blocking keys, a trained model, in {seconds:.0f} s", flush=True)
    return left


def measure(left: list[dict], n: int, persons: int) -> list[Timings]:
    from django.utils import timezone

    from setu.tracing import matching
    from setu.tracing.linkage.features import read_record

    today = timezone.localdate()
    records = [read_record(row, today=today) for row in left[: n + 10]]
    for record in records[:10]:  # warm-up: the model read, DuckDB started
        matching.candidates(record, among=matching.ANYONE)
    timings = Timings(f"candidates for one record, among {persons:,} persons", [])
    found = 0
    for record in records[10:]:
        started = time.perf_counter()
        result = matching.candidates(record, among=matching.ANYONE)
        timings.seconds.append(time.perf_counter() - started)
        found += len(result)
    print(f"  {found:,} candidates at or above {matching.REVIEW_THRESHOLD} for {n} records", flush=True)
    return [timings]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=500, help="records timed")
    parser.add_argument("--database", "--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="setu-bench-matching-"))
    url = fresh_database(args.database, var_dir, PG_NAME)
    os.environ.update(node_env(url, var_dir, node="NP"))
    try:
        left = seed(args.persons, args.reports, var_dir, args.seed)
        if args.database == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        results = measure(left, args.records, args.persons)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(args.database, PG_NAME)
        shutil.rmtree(var_dir, ignore_errors=True)
    print()
    print(f"persons={args.persons:,} database={args.database} records={args.records} (one at a time, one process)")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for timing in results:
        print(timing.line())


if __name__ == "__main__":
    main()
