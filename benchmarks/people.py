"""Person search and list with many persons, through the real views: `python benchmarks/people.py`.

A fresh node database is filled with synthetic persons (names in Devanagari and Latin letters, from the
demo's generator). A focal point (node-wide scope: the largest result sets) and then a caseworker (her
transit home's persons and those located in its district: the scope filter at work) sign in through the
login form, and the script times, one request at a time:
- the people list, first page (with its count), and pages further in;
- person search by name: Latin queries, Devanagari queries and partial names, sampled from the data;
- the person page.
Every request goes through login, the access check and an audit write, as in production.
Targets (issue "Foundation"): search p95 < 150 ms, list p95 < 200 ms with 100,000 persons.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Client, node_env, serve, time_requests  # noqa: E402

PASSWORD = "benchmark pass phrase 2026"  # noqa: S105 - a throwaway database


def _database_url(kind: str, var_dir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{var_dir / 'bench.sqlite3'}"
    import psycopg

    name = "setu_bench"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def seed(count: int) -> list[tuple[str, str, str]]:
    """Fill the database; returns (public id, Latin name, Devanagari name) of every person."""
    import django

    django.setup()
    from django.core.management import call_command

    from setu.accounts.models import Membership, Organisation, User
    from setu.geo.models import District
    from setu.geo.services import gazetteer_load
    from setu.people.models import Person
    from setu.people.rules import estimated_birth_date
    from setu.people.services import index_names_bulk, refresh_name_fields
    from setu.web.demo.names import generate_persons
    from setu.web.demo.seed import _birth_fields

    call_command("migrate", verbosity=0)
    gazetteer_load()
    ministry = Organisation.objects.create(name_en="Ministry", org_type="CentralGovernmentOrganisation", country="NP")
    user = User.objects.create_user("bench_focal", password=PASSWORD, full_name="Bench Focal Point")
    Membership.objects.create(user=user, organisation=ministry, role="focal_point")
    districts = list(District.objects.filter(province__country="NP"))
    organisations = [
        Organisation.objects.create(name_en=f"Transit home {d.name_en}", org_type="NGO", country="NP")
        for d in districts[:20]
    ]
    # A caseworker of one transit home: her organisation's persons and those located in its district.
    organisations[0].districts.set([districts[0]])
    caseworker = User.objects.create_user("bench_caseworker", password=PASSWORD, full_name="Bench Caseworker")
    Membership.objects.create(user=caseworker, organisation=organisations[0], role="caseworker")
    started = time.perf_counter()
    people = generate_persons("NP", count)
    print(f"generated {len(people)} synthetic persons in {time.perf_counter() - started:.1f} s", flush=True)
    rng = random.Random(7)  # noqa: S311
    rows, found = [], []
    for index, synthetic in enumerate(people):
        devanagari = synthetic.full_name_devanagari
        person = Person(
            full_name=devanagari or synthetic.full_name_latin,
            given_name=synthetic.given_name.devanagari or synthetic.given_name.latin,
            family_name=synthetic.family_name.devanagari or synthetic.family_name.latin,
            gender=synthetic.sex,  # HTCDS values already (setu.web.demo.names.FEMALE, MALE)
            **_birth_fields(synthetic),
            nationality=synthetic.nationality,
            organisation=organisations[index % len(organisations)],
            location_district=rng.choice(districts),
            created_by=user,
        )
        if person.age_estimate is not None:  # as person_create derives it
            person.birth_date = estimated_birth_date(person.age_estimate, person.age_estimated_on)
        refresh_name_fields(person, [synthetic.full_name_latin] if devanagari else [])
        rows.append(person)
        found.append((synthetic.full_name_latin, devanagari))
        if len(rows) == 5000:  # bulk: the services' one-by-one path would take an hour for 100,000
            Person.objects.bulk_create(rows)
            rows = []
    Person.objects.bulk_create(rows)
    index_names_bulk(Person.objects.only("id", "search_keys").iterator(chunk_size=5000))
    ids = list(Person.objects.order_by("id").values_list("public_id", flat=True))
    print(f"stored {len(ids)} persons in {time.perf_counter() - started:.1f} s", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return [(str(pid), latin, dev) for pid, (latin, dev) in zip(ids, found, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per kind")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the machine has 2 cores)")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="setu-bench-"))
    (var_dir / "static").mkdir()
    env = node_env(_database_url(args.database, var_dir), var_dir)
    os.environ.update(env)
    people = seed(args.persons)

    rng = random.Random(11)  # noqa: S311
    sample = rng.sample(people, min(args.requests, len(people)))
    latin_queries = [latin for _, latin, _ in sample]
    devanagari_queries = [dev for _, _, dev in sample if dev] or latin_queries
    partial_queries = [latin.split()[0][:4] for _, latin, _ in sample]
    pages = max(1, args.persons // 50)

    results = []
    with serve(env, workers=args.workers) as base:
        from urllib.parse import quote

        for username, who in (("bench_focal", "focal point"), ("bench_caseworker", "caseworker")):
            client = Client(base)
            client.login(username, PASSWORD)
            for _ in range(10):  # warm the workers and the database cache
                client.get("/people/?q=" + quote(latin_queries[0]))
            results += [
                time_requests(client, f"{who}: list, first page", ["/people/"] * args.requests),
                time_requests(
                    client,
                    f"{who}: list, pages 2..n",
                    [f"/people/?page={rng.randint(2, pages)}" for _ in range(args.requests)],
                ),  # fmt: skip
                time_requests(
                    client, f"{who}: search, Latin full name", ["/people/?q=" + quote(q) for q in latin_queries]
                ),  # fmt: skip
                time_requests(
                    client,
                    f"{who}: search, Devanagari full name",
                    ["/people/?q=" + quote(q) for q in devanagari_queries],
                ),  # fmt: skip
                time_requests(
                    client, f"{who}: search, 4-letter prefix", ["/people/?q=" + quote(q) for q in partial_queries]
                ),  # fmt: skip
            ]
            if who == "focal point":
                results.append(
                    time_requests(client, f"{who}: person page", [f"/people/{pid}/" for pid, _, _ in sample])
                )
    print()
    print(f"persons={args.persons} database={args.database} gunicorn workers={args.workers} "
          f"requests per kind={args.requests} (sequential, one signed-in user at a time)")  # fmt: skip
    for timing in results:
        print(timing.line())


if __name__ == "__main__":
    main()
