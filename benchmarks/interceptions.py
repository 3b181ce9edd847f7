"""Recording interceptions with repeat detection, and the hotspots page, with many interceptions:
`python benchmarks/interceptions.py` (SQLite) or `python benchmarks/interceptions.py --database postgres`.

A fresh Nepal node database is filled in bulk with 500,000 interceptions over the last three years at 12
crossing points (Birgunj, Belahiya, Kakarbhitta, Jamunaha and Rani the busiest), more in the winter after
the festivals and a little more each year, consistent with what the services write: each has its number
(gap-free per year), station, district and organisation (the post's NGO, or the police), the red flags
ticked and their score under checklist v1, documents, route (district coming from, destination place and
country, any third country beyond) and outcome (most counselled or returned home; a few percent still open,
most of them recent). The people stopped (one, sometimes two or three: 1.19 an interception) are persons
with search tokens, named by the demo's generator, their ages spread over CTDC's bands; 2% of them were
stopped before. Companions travel with 45%: most are new persons, a quarter of them suspects; 4% are one
of 400 recurring escorts (nine in ten suspects), each working one to three crossing points.

Then, in a process of its own with the node's environment (as a web worker runs it), a border monitor posted
at Birgunj records interceptions through the real service `interception_record` (one or two people stopped,
new or an earlier record of her post; half with a companion, a third of those a recurring escort), each
followed by the repeat detection the desk runs: `repeats_for` for everyone on the record and
`repeats_for_name` for the name she typed. Last, the node is served with gunicorn (DEBUG off) and a focal
point (node-wide, so the suspects' names too), an analyst (counts only) and the monitor sign in through the
login form; the script times the hotspots page with its default filters (the last 12 months) and with a year
filter, and for the focal point also one station over a year and the export of every table as CSV. Every
request passes the access policy; the focal point's pages write an audit event (the suspects' names are
read). It prints its figures (docs/performance.md records them); it never asserts them.

Targets (issue "Interceptions"): with 500,000 interceptions, saving one with repeat detection p95 under
300 ms; the hotspots page under 1 s.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import accumulate
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

PASSWORD = "benchmark pass phrase 2026"  # noqa: S105 - a throwaway database
NODE = "NP"
PG_NAME = "setu_bench_interceptions"  # our own database: other benchmarks and people use other names
CHUNK = 5000  # interceptions written per transaction
YEARS = 3
DESK_STATION = "Birgunj"

# Interceptions a year at each post, relative (reference/domain.md §2.4: Birgunj, Bhairahawa/Belahiya,
# Kakarbhitta and Nepalgunj/Jamunaha report the most).
STATIONS = {
    "Birgunj": 18, "Belahiya": 16, "Kakarbhitta": 14, "Jamunaha": 12, "Rani": 10, "Gaddachauki": 7,
    "Krishnanagar": 6, "Gauriphanta": 5, "Pashupatinagar": 4, "Bhittamod": 3, "Malangawa": 3, "Kunauli": 2,
}  # fmt: skip
# Winter after Dashain and Tihar is busiest; the monsoon the quietest.
SEASON = {1: 11, 2: 10, 3: 9, 4: 8, 5: 7, 6: 6, 7: 6, 8: 7, 9: 8, 10: 10, 11: 12, 12: 12}
OUTCOMES = {"counselled": 52, "returned": 20, "transit_home": 13, "police": 5, "other_side": 3, "open": 2}
# Ages of the people stopped: mostly adolescent girls and young women.
AGES = [((9, 17), 30), ((18, 20), 20), ((21, 23), 15), ((24, 26), 10), ((27, 29), 6), ((30, 38), 9),
        ((39, 47), 3), ((48, 60), 1), ((0, 8), 1), (None, 5)]  # fmt: skip
SOURCE_DISTRICTS = {
    "Sindhupalchok": 9, "Makawanpur": 8, "Nuwakot": 7, "Dhading": 6, "Kavrepalanchok": 6, "Sunsari": 6,
    "Morang": 6, "Jhapa": 5, "Rupandehi": 5, "Banke": 5, "Kailali": 5, "Parsa": 5, "Chitwan": 4, "Dang": 4,
    "Sarlahi": 4, "Dhanusha": 4, "Siraha": 3, "Saptari": 3, "Kanchanpur": 3, "Ramechhap": 3,
}  # fmt: skip
DESTINATIONS = [
    (("Delhi", "delhi", "New Delhi", "दिल्ली"), 25), (("Mumbai", "Bombay", "मुम्बई"), 12), (("Kolkata", "Calcutta"), 8),
    (("Bengaluru", "Bangalore"), 6), (("Pune",), 5), (("Siliguri",), 5), (("Lucknow",), 4), (("Gorakhpur",), 4),
    (("Patna",), 3), (("Varanasi", "Banaras"), 3), (("Hyderabad",), 3), (("Ludhiana", "Punjab"), 3),
    (("Surat",), 3), (("Chennai",), 2), (("Dehradun",), 2), (("",), 5),
]  # fmt: skip
ONWARD = {"AE": 35, "KW": 20, "QA": 15, "SA": 10, "MY": 10, "OM": 5, "LB": 5}
PURPOSES = {"work": 45, "relatives": 20, "marriage": 6, "study": 4, "medical": 8, "pilgrimage": 7, "shopping": 5,
            "other": 5}  # fmt: skip
TRANSPORT = {"bus": 40, "rickshaw": 20, "walking": 15, "microbus": 12, "motorbike": 5, "car": 5, "train": 3}
NOTICED = {"staff": 80, "police": 10, "self": 3, "family": 3, "public": 3, "other": 1}
DOCUMENTS = ["citizenship", "voter_id", "birth_certificate", "school_id", "passport", "labour_permit", "none"]
ESCORTS = 400
ESCORT_SHARE = 0.04  # of companions
REPEAT_SHARE = 0.02  # of people stopped: stopped before


def _database_url(kind: str, var_dir: Path) -> str:
    return fresh_database(kind, var_dir, PG_NAME)


def _drop_database(kind: str) -> None:
    drop_database(kind, PG_NAME)


class Picker:
    """Weighted choice, fast: cumulative weights and a bisection."""

    def __init__(self, rng: random.Random, weights: dict) -> None:
        self.rng, self.items = rng, list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def __call__(self):
        return self.items[bisect.bisect_right(self.cumulative, self.rng.random() * self.cumulative[-1])]


def seed(count: int, var_dir: Path) -> dict:  # noqa: C901 - one linear script, easier to read whole
    """Fill the database in bulk; returns what the timed parts need (also written to var_dir/seeded.json)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from setu.accounts.models import Membership, Organisation, User
    from setu.geo.models import BorderPoint, District
    from setu.geo.services import gazetteer_load
    from setu.interceptions import screening
    from setu.interceptions.models import Companion, InterceptedPerson, Interception, InterceptionCounter, age_band
    from setu.interceptions.services import checklist_current, parsed
    from setu.people.models import Person
    from setu.people.rules import estimated_birth_date
    from setu.people.services import index_names_bulk, refresh_name_fields
    from setu.web.demo.names import FEMALE, MALE, generate_persons

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    gazetteer_load()
    checklist = checklist_current()
    rules = parsed(checklist)
    flag_keys = sorted(rules.flags)
    rng = random.Random(2026)
    zone = timezone.get_default_timezone()
    now = timezone.now()

    stations = {p.name_en: p for p in BorderPoint.objects.filter(country=NODE, name_en__in=list(STATIONS))}
    missing = set(STATIONS) - set(stations)
    if missing:
        raise RuntimeError(f"stations not in the gazetteer: {sorted(missing)}")
    districts = list(District.objects.filter(province__country=NODE))
    by_name = {d.name_en: d for d in districts}
    sources = {by_name[name]: w for name, w in SOURCE_DISTRICTS.items() if name in by_name}

    def organisation(name: str, org_type: str, districts_=(), points=()) -> Organisation:
        org = Organisation.objects.create(name_en=name, org_type=org_type, country=NODE)
        org.districts.set(districts_)
        org.border_points.set(points)
        return org

    def member(username: str, role: str, org: Organisation, point=None, password: str | None = None) -> User:
        user = User.objects.create_user(username, password=password, full_name=username.replace("_", " ").title())
        Membership.objects.create(user=user, organisation=org, role=role, border_point=point)
        return user

    ministry = organisation("Ministry of Women, Children and Senior Citizens", "CentralGovernmentOrganisation")
    member("bench_focal", "focal_point", ministry, password=PASSWORD)
    member("bench_analyst", "analyst", ministry, password=PASSWORD)
    police = organisation("Nepal Police border units", "LawEnforcement", {p.district for p in stations.values()})
    police_user = member("bench_police", "police_officer", police)
    posts, monitors = {}, {}
    for name, point in stations.items():
        posts[name] = organisation(f"Border post {name}", "NGO", [point.district], [point])
        monitors[name] = member(
            f"bench_monitor_{name.lower()}", "border_monitor", posts[name], point,
            PASSWORD if name == DESK_STATION else None,
        )  # fmt: skip

    # --- names: a pool from the demo's generator, name fields computed once per distinct name ---
    pool = generate_persons(NODE, 40_000, seed=7)
    women = [p for p in pool if p.sex == FEMALE]
    men = [p for p in pool if p.sex == MALE]
    computed: dict[tuple, tuple[str, str, str]] = {}

    def named(synthetic, **fields) -> Person:
        devanagari = synthetic.full_name_devanagari
        full = devanagari or synthetic.full_name_latin
        given = synthetic.given_name.devanagari or synthetic.given_name.latin
        family = synthetic.family_name.devanagari or synthetic.family_name.latin
        person = Person(full_name=full, given_name=given, family_name=family, nationality=synthetic.nationality,
                        **fields)  # fmt: skip
        key = (full, given, family, synthetic.full_name_latin if devanagari else "")
        if key not in computed:
            refresh_name_fields(person, [synthetic.full_name_latin] if devanagari else [])
            computed[key] = (person.name_script, person.name_latin, person.search_keys)
        person.name_script, person.name_latin, person.search_keys = computed[key]
        return person

    def birth(age: int | None, on: dt.date) -> dict:
        if age is None:
            return {"birth_precision": "unknown"}
        return {"birth_precision": "estimated", "age_estimate": age, "age_estimated_on": on,
                "birth_date": estimated_birth_date(age, on)}  # fmt: skip

    def store_persons(persons: list[Person]) -> list[Person]:
        created = Person.objects.bulk_create(persons, batch_size=2000)
        index_names_bulk(created)
        return created

    # --- recurring escorts: each works one to three crossing points ---
    names_list = list(stations)
    escort_rows = []
    escort_posts: list[list[str]] = []
    for _n in range(ESCORTS):
        where = rng.sample(names_list, rng.choices([1, 2, 3], weights=[60, 30, 10])[0])
        escort_posts.append(where)
        synthetic = rng.choice(men) if rng.random() < 0.85 else rng.choice(women)
        home = where[0]
        escort_rows.append(
            named(synthetic, gender=synthetic.sex, organisation=posts[home], location_district=stations[home].district,
                  created_by=monitors[home], birth_precision="unknown")
        )  # fmt: skip
    with transaction.atomic():
        escorts = store_persons(escort_rows)
    escorts_at: dict[str, list[int]] = {name: [] for name in stations}
    for index, where in enumerate(escort_posts):
        for name in where:
            escorts_at[name].append(index)
    activity = [rng.paretovariate(1.5) for _ in escorts]  # a few very busy ones

    # --- when: three years back from now, by season, a little more each year ---
    first_month = dt.date(now.year - YEARS, now.month, 1)
    months = []
    day = first_month
    while day <= now.date():
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    month_weights = {m: SEASON[m.month] * (1 + 0.1 * (i / 12)) for i, m in enumerate(months)}
    pick_month = Picker(rng, month_weights)
    moments = []
    for _n in range(count):
        month = pick_month()
        nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        span = (min(nxt, now.date() + dt.timedelta(days=1)) - month).days
        moment = dt.datetime(month.year, month.month, 1, tzinfo=zone) + dt.timedelta(
            days=rng.randrange(span), hours=rng.triangular(5, 21, 10)
        )
        moments.append(min(moment, now - dt.timedelta(minutes=rng.randrange(1, 600))))
    moments.sort()
    print(f"set up the node, {len(escorts)} recurring escorts and {len(moments)} moments "
          f"in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip

    pick_station = Picker(rng, STATIONS)
    pick_outcome = Picker(rng, OUTCOMES)
    pick_age = Picker(rng, dict(AGES))
    pick_source = Picker(rng, sources)
    pick_destination = Picker(rng, dict(DESTINATIONS))
    pick_onward = Picker(rng, ONWARD)
    pick_purpose = Picker(rng, PURPOSES)
    pick_transport = Picker(rng, TRANSPORT)
    pick_noticed = Picker(rng, NOTICED)
    counters: dict[int, int] = {}
    stopped_at: dict[str, list[int]] = {name: [] for name in stations}  # person ids, for the repeats
    desk_persons: list[int] = []  # registered by the desk's post: she may pick them as an earlier record
    scores: dict[tuple, tuple[int, str]] = {}
    totals = {"persons stopped": 0, "companions": 0, "suspects": 0, "escort rows": 0, "repeat rows": 0}

    for start in range(0, count, CHUNK):
        rows = []
        people: list[tuple[int, Person | int, int | None]] = []  # (row, new person or id, age)
        companions: list[tuple[int, Person | int, bool]] = []
        for index, moment in enumerate(moments[start : start + CHUNK]):
            name = pick_station()
            point = stations[name]
            by_police = rng.random() < 0.15
            org = police if by_police else posts[name]
            author = police_user if by_police else monitors[name]
            local = moment.astimezone(zone)
            counters[local.year] = counters.get(local.year, 0) + 1
            recent = now - moment < dt.timedelta(days=7)
            outcome = "open" if recent and rng.random() < 0.4 else pick_outcome()
            flags = tuple(sorted(rng.sample(flag_keys, min(len(flag_keys), rng.choice([0, 1, 1, 2, 2, 3, 4, 5])))))
            if flags not in scores:
                result = screening.score(rules, list(flags))
                scores[flags] = (result.points, result.level)
            source = pick_source() if rng.random() < 0.7 else rng.choice(districts)
            spellings = pick_destination()
            onward = pick_onward() if rng.random() < 0.08 else ""
            rows.append(
                Interception(
                    number=f"{NODE}-INT-{local.year}-{counters[local.year]:06d}", station=point,
                    district_id=point.district_id, organisation=org, intercepted_at=moment,
                    noticed_by=pick_noticed(), transport=pick_transport(),
                    coming_from=source.name_en if rng.random() < 0.92 else "",
                    from_district=source if rng.random() < 0.92 else None, purpose=pick_purpose(),
                    destination=rng.choice(spellings), destination_country="IN" if rng.random() < 0.97 else onward,
                    onward_country=onward, documents=rng.sample(DOCUMENTS, rng.choice([0, 1, 1, 2])),
                    checklist=checklist, flags=list(flags), score=scores[flags][0], risk_level=scores[flags][1],
                    certainty=rng.choice([None, 1, 2, 3, 3, 4, 5]), outcome=outcome,
                    outcome_at=None if outcome == "open" else moment + dt.timedelta(hours=rng.uniform(1, 6)),
                    created_by=author,
                )
            )  # fmt: skip
            for _k in range(rng.choices([1, 2, 3], weights=[85, 12, 3])[0]):
                band = pick_age()
                age = None if band is None else rng.randint(*band)
                earlier = stopped_at[name]
                if earlier and rng.random() < REPEAT_SHARE:
                    people.append((index, rng.choice(earlier), age))
                    totals["repeat rows"] += 1
                    continue
                synthetic = rng.choice(women) if rng.random() < 0.92 else rng.choice(men)
                people.append((index, named(synthetic, gender=synthetic.sex, organisation=org,
                                            location_district_id=point.district_id, created_by=author,
                                            **birth(age, local.date())), age))  # fmt: skip
            for _k in range(rng.choices([0, 1, 2], weights=[55, 40, 5])[0]):
                if escorts_at[name] and rng.random() < ESCORT_SHARE:
                    chosen = rng.choices(escorts_at[name], weights=[activity[i] for i in escorts_at[name]])[0]
                    companions.append((index, escorts[chosen].pk, rng.random() < 0.9))
                    totals["escort rows"] += 1
                    continue
                synthetic = rng.choice(men) if rng.random() < 0.8 else rng.choice(women)
                companions.append((index, named(synthetic, gender=synthetic.sex, organisation=org,
                                                location_district_id=point.district_id, created_by=author,
                                                birth_precision="unknown"), rng.random() < 0.25))  # fmt: skip
        with transaction.atomic():
            rows = Interception.objects.bulk_create(rows, batch_size=1000)
            new = [p for _i, p, _a in people if isinstance(p, Person)] + [
                p for _i, p, _s in companions if isinstance(p, Person)
            ]
            store_persons(new)
            stopped, seen = [], set()
            for index, person, age in people:
                pk = person.pk if isinstance(person, Person) else person
                if (index, pk) in seen:
                    continue
                seen.add((index, pk))
                stopped.append(InterceptedPerson(interception=rows[index], person_id=pk, age_years=age,
                                                 age_band=age_band(age)))  # fmt: skip
                stopped_at[rows[index].station.name_en].append(pk)
                if isinstance(person, Person) and person.organisation_id == posts[DESK_STATION].pk:
                    desk_persons.append(pk)
            travelling = []
            for index, person, suspect in companions:
                pk = person.pk if isinstance(person, Person) else person
                if (index, -pk) in seen:
                    continue
                seen.add((index, -pk))
                roles = ["RecruiterOrIntermediary"] if suspect else []
                travelling.append(Companion(interception=rows[index], person_id=pk, is_suspect=suspect, roles=roles,
                                            claimed_relationship=rng.choice(["uncle", "brother", "husband", "friend",
                                                                             "neighbour"])))  # fmt: skip
            InterceptedPerson.objects.bulk_create(stopped, batch_size=2000)
            Companion.objects.bulk_create(travelling, batch_size=2000)
        totals["persons stopped"] += len(stopped)
        totals["companions"] += len(travelling)
        totals["suspects"] += sum(1 for c in travelling if c.is_suspect)
        done = min(start + CHUNK, count)
        if done % (CHUNK * 10) == 0 or done == count:
            print(f"  {done:>7} interceptions, {totals['persons stopped']} people stopped, {totals['companions']} "
                  f"companions ({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
    InterceptionCounter.objects.bulk_create([InterceptionCounter(year=y, last=n) for y, n in counters.items()])
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table loaded long ago (statistics, and the visibility map that index-only scans
        # need); SQLite is measured as a node runs it (no statistics).
        with connection.cursor() as cursor:  # Django's autocommit: outside a transaction, as VACUUM must be
            cursor.execute("VACUUM (ANALYZE)")
    print(f"stored {count} interceptions, {Person.objects.count()} persons in {time.perf_counter() - started:.1f} s",
          flush=True)  # fmt: skip

    # What the desk at Birgunj may pick as an earlier record: people her post stopped, escorts it registered.
    desk_org = posts[DESK_STATION]
    desk_escorts = [e.pk for e in escorts if e.organisation_id == desk_org.pk]
    seeded = {
        "interceptions": count,
        "totals": totals,
        "desk_station": stations[DESK_STATION].pk,
        "earlier_persons": rng.sample(desk_persons, min(1000, len(desk_persons))),
        "desk_escorts": desk_escorts,
        "names": [
            p.full_name_latin if rng.random() < 0.5 else (p.full_name_devanagari or p.full_name_latin)
            for p in rng.sample(women, 1000)
        ],
        "districts": [d.pk for d in sources],
        "last_full_year": now.year - 1,
    }
    (var_dir / "seeded.json").write_text(json.dumps(seeded))
    connection.close()
    return seeded


def desk(var_dir: Path, saves: int) -> None:
    """(In a process of its own.) The Birgunj monitor records `saves` interceptions through the real service,
    each followed by the repeat detection; prints the timings as JSON."""
    import django

    django.setup()
    from django.utils import timezone

    from setu.accounts.models import User
    from setu.geo.models import BorderPoint, District
    from setu.interceptions.selectors import repeats_for, repeats_for_name
    from setu.interceptions.services import InterceptionEntry, PersonEntry, interception_record
    from setu.people.models import Person

    seeded = json.loads((var_dir / "seeded.json").read_text())
    rng = random.Random(99)
    monitor = User.objects.get(username=f"bench_monitor_{DESK_STATION.lower()}")
    station = BorderPoint.objects.get(pk=seeded["desk_station"])
    districts = list(District.objects.filter(pk__in=seeded["districts"]))
    names = seeded["names"]

    def one(index: int) -> tuple[float, float, float, float, int]:
        user = User.objects.get(pk=monitor.pk)  # a request's user: permissions read afresh
        persons, typed = [], ""
        for _k in range(rng.choices([1, 2], weights=[85, 15])[0]):
            if rng.random() < 0.1:
                person = Person.objects.get(pk=rng.choice(seeded["earlier_persons"]))
                persons.append(PersonEntry(person=person, age_years=rng.randint(14, 30)))
                typed = typed or person.name_latin
            else:
                name = rng.choice(names)
                persons.append(PersonEntry(full_name=name, gender="Feminine", age_years=rng.randint(12, 35),
                                           nationality="NP", home_district=rng.choice(districts)))  # fmt: skip
                typed = typed or name
        companions = []
        if rng.random() < 0.5:
            if seeded["desk_escorts"] and rng.random() < 1 / 3:
                escort = Person.objects.get(pk=rng.choice(seeded["desk_escorts"]))
                companions.append(PersonEntry(person=escort, is_suspect=True, roles=["RecruiterOrIntermediary"]))
            else:
                companions.append(PersonEntry(full_name=rng.choice(names), gender="Masculine",
                                              is_suspect=rng.random() < 0.3, claimed_relationship="uncle"))  # fmt: skip
        entry = InterceptionEntry(
            station=station, intercepted_at=timezone.now() - dt.timedelta(minutes=20), persons=persons,
            companions=companions, transport="bus", coming_from="Hetauda", from_district=rng.choice(districts),
            purpose="work", destination="Delhi", destination_country="IN", documents=["citizenship"],
            flags=rng.sample(["first_time_travelling", "no_phone", "family_unaware", "companion_met_recently"], 2),
            certainty=3,
        )  # fmt: skip
        started = time.perf_counter()
        interception = interception_record(actor=user, entry=entry)
        saved = time.perf_counter()
        found = 0
        for row in interception.persons.select_related("person"):
            found += len(repeats_for(user, row.person, exclude=interception).seen)
        for row in interception.companions.select_related("person"):
            found += len(repeats_for(user, row.person, exclude=interception).seen)
        checked = time.perf_counter()
        found += len(repeats_for_name(user, typed))
        ended = time.perf_counter()
        return ended - started, saved - started, checked - saved, ended - checked, found

    for index in range(5):  # warm the process and the database cache
        one(index)
    results = [one(index) for index in range(saves)]
    print(json.dumps({"total": [r[0] for r in results], "save": [r[1] for r in results],
                      "repeats": [r[2] for r in results], "by_name": [r[3] for r in results],
                      "found": sum(r[4] for r in results)}))  # fmt: skip


def desk_in_process(env: dict[str, str], var_dir: Path, saves: int) -> list[Timings]:
    done = subprocess.run(
        [sys.executable, __file__, "--desk", str(var_dir), "--saves", str(saves)], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"desk: repeat detection found {figures['found']} earlier sightings over {saves} saves", flush=True)
    return [
        Timings("desk: save + repeat detection", figures["total"]),
        Timings("desk: interception_record alone", figures["save"]),
        Timings("desk: repeats_for, everyone on the record", figures["repeats"]),
        Timings("desk: repeats_for_name, the name typed", figures["by_name"]),
    ]


def measure(env: dict[str, str], seeded: dict, args) -> list[Timings]:
    n = args.requests
    year = seeded["last_full_year"]
    page = "/interceptions/hotspots/"
    results = []
    with serve(env, workers=args.workers) as base:
        for username, who in (("bench_focal", "focal point"), ("bench_analyst", "analyst"),
                              (f"bench_monitor_{DESK_STATION.lower()}", "monitor")):  # fmt: skip
            client = Client(base)
            client.login(username, PASSWORD)
            for _ in range(3):  # warm the workers and the database cache
                client.get(page)
                client.get(f"{page}?year={year}")
            results.append(time_requests(client, f"{who}: hotspots, last 12 months", [page] * n))
            results.append(time_requests(client, f"{who}: hotspots, year {year}", [f"{page}?year={year}"] * n))
            if who == "focal point":
                results.append(
                    time_requests(
                        client,
                        f"{who}: hotspots, one station, a year",
                        [f"{page}?year={year}&station={seeded['desk_station']}"] * n,
                    )
                )
                results.append(time_requests(client, f"{who}: CSV, every table (zip)", [f"{page}?format=csv"] * n))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interceptions", type=int, default=500_000)
    parser.add_argument("--database", "--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per kind of page")
    parser.add_argument("--saves", type=int, default=200, help="interceptions recorded at the desk (timed)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the machine has 2 cores)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (and print where)")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="measure again on a database kept with --keep (its var dir), without filling one",
    )
    parser.add_argument("--desk", type=Path, help=argparse.SUPPRESS)  # internal: the desk's own process
    args = parser.parse_args()
    if args.desk:
        desk(args.desk, args.saves)
        return

    if args.reuse:
        var_dir, args.keep = args.reuse, True
        url = f"sqlite:///{var_dir / 'bench-interceptions.sqlite3'}" if args.database == "sqlite" else (
            f"postgres://postgres@127.0.0.1:5432/{PG_NAME}")  # fmt: skip
    else:
        var_dir = Path(tempfile.mkdtemp(prefix="setu-bench-interceptions-"))
        (var_dir / "static").mkdir()
        url = _database_url(args.database, var_dir)
    env = node_env(url, var_dir, node=NODE)
    os.environ.update(env)
    try:
        if args.reuse:
            subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
            seeded = json.loads((var_dir / "seeded.json").read_text())
        else:
            seeded = seed(args.interceptions, var_dir)
        results = desk_in_process(env, var_dir, args.saves)
        results += measure(env, seeded, args)
    finally:
        if not args.keep:
            _drop_database(args.database)
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            print(f"kept: {env['DATABASE_URL']} (var dir {var_dir})")
    print()
    print(f"interceptions={seeded['interceptions']} database={args.database} gunicorn workers={args.workers} "
          f"requests per kind={args.requests} saves={args.saves} (sequential, one user at a time)")  # fmt: skip
    print(", ".join(f"{k} {v}" for k, v in seeded["totals"].items()))
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for timing in results:
        print(timing.line())


if __name__ == "__main__":
    main()
