"""Case list, case page and the deadline sweep with many cases, through the real views:
`python benchmarks/cases.py` (SQLite) or `python benchmarks/cases.py --database postgres`.

A fresh India node database (a destination node: a third of its survivors are Nepali and go home across
the border) is filled with 100,000 cases in bulk, consistent with what the services write: each case has
its survivor, the stage records of its route through SOP v1 (from the demo's timing, setu.web.demo.cases),
its timeline, `due_at`/`escalate_at` as the services set them (the SOP engine's `due_at`, plus the stage's
escalation delay), its owner on its team, and stages spread
as on a real node (most closed or in reintegration, a few percent in each care and verification stage);
about 5% are past their deadline and not yet escalated. A few thousand cases also carry decisions,
consents, documents, care, history and a suspect, as a busy case does; the case page is timed on those.

A focal point (node-wide: every case in scope) and then a caseworker of one children's home (her home's
cases, those of its district, and the cases whose team she is on) sign in through the login form, and the
script times, one request at a time, the case list (first page; filtered by stage, overdue, organisation,
children; searched by the survivor's name) and the case page. Every request passes the session check, the
access policy and an audit write, as in production. Last, one deadline sweep runs in a process of its own
with the node's environment, as the task worker runs it, over the overdue cases.

Targets: list p95 < 200 ms, case page p95 < 150 ms, sweep < 10 s with 100,000 cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

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
NODE = "IN"
PG_NAME = "setu_bench_cases"  # our own database: other benchmarks and people use other names
BATCH = 5000
RICH_EVERY = 30  # one case in 30 is a busy one (decisions, consents, documents, care, history)

# Stages of the cases on a node that has run for some years, by path (fractions of the path's cases).
STAGE_SHARES = {
    "cross_border": {
        "rescued": 0.2,
        "cwc_production": 0.4,
        "itpa_custody": 0.6,
        "child_care": 3,
        "adult_care": 3,
        "verification": 14,
        "repatriation_decision": 6,
        "handover": 3,
        "reintegration_planning": 1,
        "reintegration": 10,
        "closed": 58.8,
    },
    "domestic": {
        "rescued": 0.2,
        "cwc_production": 0.4,
        "itpa_custody": 0.6,
        "child_care": 3,
        "adult_care": 3,
        "reintegration_planning": 4,
        "reintegration": 12,
        "closed": 76.8,
    },
}
OVERDUE_SHARE = 0.5  # of the open cases in a stage with a deadline
ESCALATED_SHARE = 0.1  # of the overdue ones: the sweep has already been by
CHILD_ONLY, ADULT_ONLY = ("cwc_production", "child_care"), ("itpa_custody", "adult_care")


def _database_url(kind: str, var_dir: Path) -> str:
    return fresh_database(kind, var_dir, PG_NAME)


def _drop_database(kind: str) -> None:
    drop_database(kind, PG_NAME)


@dataclass
class Seeded:
    cases: int
    rich_cases: list[str]  # public ids of busy cases (the case page is timed on these)
    caseworker_cases: list[str]  # public ids of busy cases the caseworker may see
    names: list[str]  # survivors' names as searched (Latin letters and Devanagari)
    caseworker_names: list[str]
    stages: dict[str, int]
    overdue: int
    overdue_not_escalated: int
    caseworker_org: int
    other_org: int
    minors: int


def _pdf_file() -> str:
    """One small PDF in MEDIA_ROOT that every benchmark document row points to."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from setu.web.demo.cases import minimal_pdf

    return default_storage.save("case-documents/bench.pdf", ContentFile(minimal_pdf("Benchmark document", ["-"])))


def set_due(case, stage, events: dict, engine) -> None:
    """The current stage's deadline and escalation time, as the services set them when a case moves."""
    case.due_at = engine.due_at(stage.deadline, events, case.stage_entered_at)
    escalation = stage.escalation
    after = dt.timedelta(hours=escalation.after_hours) if escalation else None
    case.escalate_at = case.due_at + after if case.due_at is not None and after is not None else None


def seed(count: int) -> Seeded:  # noqa: C901 - one linear script, easier to read whole
    """Fill the database in bulk; returns what the timed requests need."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from setu.accounts.models import Membership, Organisation, User
    from setu.cases import services
    from setu.cases.models import (
        Assessment,
        Case,
        CaseCounter,
        CaseDocument,
        CaseEvent,
        Consent,
        Decision,
        FollowUp,
        RelatedPerson,
        ServiceDelivery,
        StageRecord,
        SupportPlan,
        TraffickingEvent,
        Transfer,
    )
    from setu.cases.sop import SOP_V1_PATH, engine
    from setu.geo.models import District
    from setu.geo.services import gazetteer_load
    from setu.people.models import Person
    from setu.people.rules import estimated_birth_date
    from setu.people.services import index_names_bulk, refresh_name_fields
    from setu.web.demo.cases import route, schedule
    from setu.web.demo.names import generate_persons
    from setu.web.demo.seed import _birth_fields

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    gazetteer_load()
    sop = services.sop_load(actor=None, text=SOP_V1_PATH.read_text(encoding="utf-8"))
    definition = services.definition_of(sop)
    now = timezone.now()
    rng = random.Random(2026)
    districts = list(District.objects.filter(province__country=NODE).order_by("name_en"))

    def organisation(name: str, org_type: str, districts_=()) -> Organisation:
        org = Organisation.objects.create(name_en=name, org_type=org_type, country=NODE)
        org.districts.set(districts_)
        return org

    def member(username: str, role: str, org: Organisation, password: str | None = None) -> User:
        user = User.objects.create_user(username, password=password, full_name=username.replace("_", " ").title())
        Membership.objects.create(user=user, organisation=org, role=role)
        return user

    ministry = organisation("Ministry of Home Affairs", "CentralGovernmentOrganisation")
    focal = member("bench_focal", "focal_point", ministry, PASSWORD)
    police_org = organisation("Anti-Human Trafficking Units", "LawEnforcement", districts)
    police = member("bench_police", "police_officer", police_org)
    homes, caseworkers = [], []
    for index, district in enumerate(districts):
        home = organisation(f"Children's Home, {district.name_en}", "NGO", [district])
        homes.append(home)
        caseworkers.append(member(f"bench_caseworker_{index}", "caseworker", home))
        member(f"bench_shelter_{index}", "shelter_manager", home)
        member(
            f"bench_cwc_{index}",
            "cwc_member",
            organisation(f"CWC {district.name_en}", "LocalGovernmentOrganisation", [district]),
        )
    # The caseworker who signs in: her home's cases, and those located in its district.
    caseworker = caseworkers[0]
    caseworker.set_password(PASSWORD)
    caseworker.username = "bench_caseworker"
    caseworker.save()

    # --- survivors ---
    people = generate_persons(NODE, count)
    print(f"generated {len(people)} synthetic persons in {time.perf_counter() - started:.1f} s", flush=True)
    plans = []
    persons = []
    for synthetic in people:
        path = "cross_border" if synthetic.nationality != NODE else "domestic"
        minor = rng.random() < 0.4
        shares = STAGE_SHARES[path]
        stage = rng.choices(list(shares), weights=list(shares.values()))[0]
        if minor and stage in ADULT_ONLY:
            stage = CHILD_ONLY[ADULT_ONLY.index(stage)]
        elif not minor and stage in CHILD_ONLY:
            stage = ADULT_ONLY[CHILD_ONLY.index(stage)]
        home_index = rng.randrange(len(homes))
        in_police = rng.random() < 0.25
        org = police_org if in_police else homes[home_index]
        district = districts[home_index] if not in_police or rng.random() < 0.9 else rng.choice(districts)
        devanagari = synthetic.full_name_devanagari
        person = Person(
            full_name=devanagari or synthetic.full_name_latin,
            given_name=synthetic.given_name.devanagari or synthetic.given_name.latin,
            family_name=synthetic.family_name.devanagari or synthetic.family_name.latin,
            gender=synthetic.sex,
            **_birth_fields(synthetic),
            nationality=synthetic.nationality,
            organisation=org,
            location_district=district,
            created_by=police if in_police else caseworkers[home_index],
        )
        if person.age_estimate is not None:  # as person_create derives it
            person.birth_date = estimated_birth_date(person.age_estimate, person.age_estimated_on)
        refresh_name_fields(person, [synthetic.full_name_latin] if devanagari else [])
        persons.append(person)
        plans.append((synthetic, path, minor, stage, org, district))
    suspects = [
        Person(
            full_name=f"Suspect {n}",
            given_name="Suspect",
            family_name=str(n),
            gender="Masculine",
            nationality=NODE,
            organisation=police_org,
            location_district=rng.choice(districts),
            created_by=police,
        )
        for n in range(500)
    ]
    for suspect in suspects:
        refresh_name_fields(suspect, [])

    def bulk(model, rows: list) -> list:
        created = []
        for start in range(0, len(rows), BATCH):
            created += model.objects.bulk_create(rows[start : start + BATCH])
        return created

    with transaction.atomic():
        persons = bulk(Person, persons)
        suspects = bulk(Person, suspects)
        tokens = index_names_bulk(persons + suspects)
    print(
        f"stored {len(persons)} survivors and {tokens} search tokens in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    # --- cases: the fields the services would have written ---
    cases = []
    routes = []
    for person, (_synthetic, path, minor, stage, org, district) in zip(persons, plans, strict=True):
        stages = route(path, minor, stage)
        timing = schedule(stages, minor=minor, rng=rng, now=now, overdue_share=OVERDUE_SHARE)
        entered = timing.entered
        if stage in ("closed", "reintegration"):  # a node that has run for years: older cases, long closed
            back = rng.uniform(0, 4 * 365 if stage == "closed" else 60) * dt.timedelta(days=1)
            entered = [moment - back for moment in entered]
        owner = police if org == police_org else caseworkers[homes.index(org)]
        moments = {"rescued": entered[0]}  # the SOP's named events (v1: the rescue, the first production)
        if "cwc_production" in stages:
            moments["first_production"] = entered[1]
        events = {name: moment.isoformat() for name, moment in moments.items()}
        case = Case(
            number="",
            survivor=person,
            sop_version=sop,
            stage=stage,
            stage_entered_at=entered[-1],
            sop_events=events,
            path=path,
            organisation=org,
            opened_by_organisation=org,
            owner=owner,
            district=district,
            identified_at=entered[0],
            age_at_identification=rng.randint(11, 17) if minor else rng.randint(18, 38),
            is_minor=minor,
            trafficking_status="ActualVictimOfTrafficking" if len(stages) > 2 else "PossibleVictimOfTrafficking",
            exploitation_types=[
                rng.choice(["SexualExploitation", "ForcedLabour", "ChildLabour" if minor else "ForcedMarriage"])
            ],
            control_methods=["FalsePromises", "DebtBondage"],
            exploitation_country=NODE,
            created_by=owner,
        )
        set_due(case, definition.stages[stage], moments, engine)
        if stage == "closed":
            case.status, case.closure_reason, case.closed_at = "Closed", "reintegrated", entered[-1]
        elif stage == "reintegration":
            case.status = "FollowUp"
        elif rng.random() < 0.01:
            case.status, case.hold_reason = "OnHold", "Waiting for the court."
        if case.escalate_at and case.escalate_at < now - dt.timedelta(hours=1) and rng.random() < ESCALATED_SHARE:
            case.escalated_at = case.escalate_at + dt.timedelta(hours=1)
        cases.append(case)
        routes.append((stages, entered))
    order = sorted(range(len(cases)), key=lambda i: cases[i].identified_at)
    counters: dict[int, int] = {}
    for i in order:  # numbered in the order they were opened, gap-free per year
        year = cases[i].identified_at.year
        counters[year] = counters.get(year, 0) + 1
        cases[i].number = f"{NODE}-{year}-{counters[year]:06d}"

    pdf = _pdf_file()
    actions = {(s.key, e.to): e.action for s in definition.stages.values() for e in s.exits}
    with transaction.atomic():
        cases = bulk(Case, cases)
        CaseCounter.objects.bulk_create([CaseCounter(year=y, last=n) for y, n in counters.items()])
        bulk(Case.team.through, [Case.team.through(case_id=c.pk, user_id=c.owner_id) for c in cases])
        records: list[StageRecord] = []
        timeline: list[CaseEvent] = []
        follow_ups: list[FollowUp] = []
        totals = [0, 0, 0]

        def flush(final: bool = False) -> None:
            if final or len(records) + len(timeline) >= 4 * BATCH:
                for index, (model, rows_) in enumerate(
                    ((StageRecord, records), (CaseEvent, timeline), (FollowUp, follow_ups))
                ):
                    bulk(model, rows_)
                    totals[index] += len(rows_)
                    rows_.clear()

        for case, (stages, entered) in zip(cases, routes, strict=True):
            flush()
            events = {"rescued": entered[0]}
            timeline.append(
                CaseEvent(
                    case=case,
                    at=entered[0] + dt.timedelta(hours=1),
                    kind="opened",
                    actor_id=case.owner_id,
                    organisation_id=case.organisation_id,
                    summary="Case opened under SOP 1",
                    message="Case opened under SOP %(version)s",
                    params={"version": "1"},
                )
            )
            for index, stage in enumerate(stages):
                if stage == "cwc_production":
                    events.setdefault("first_production", entered[index])
                deadline = definition.stages[stage].deadline
                bilateral = index > 0 and definition.stages[stages[index - 1]].bilateral
                mover = focal.pk if bilateral else case.owner_id
                records.append(
                    StageRecord(
                        case=case,
                        stage=stage,
                        entered_at=entered[index],
                        left_at=entered[index + 1] if index + 1 < len(stages) else None,
                        action=actions[(stages[index - 1], stage)] if index else "",
                        moved_by_id=mover,
                        reason="Moved on." if index else "Case opened",
                        counterpart_reference="Embassy of Nepal, New Delhi, letter 2083/114" if bilateral else "",
                        due_at=engine.due_at(deadline, events, entered[index]),
                        deadline_kind=deadline.kind if deadline else "",
                    )
                )
                if index:
                    timeline.append(
                        CaseEvent(
                            case=case,
                            at=entered[index],
                            kind="stage",
                            actor_id=mover,
                            summary=f"Moved from {stages[index - 1]} to {stage}: Moved on.",
                            # Put into words in the reader's language when shown, as the services write it.
                            message="Moved from “%(from)s” to “%(to)s”: %(reason)s",
                            params={
                                "from": {"stage": stages[index - 1]},
                                "to": {"stage": stage},
                                "reason": "Moved on.",
                            },
                        )
                    )
            if "reintegration" in stages:
                start = entered[stages.index("reintegration")]
                for days in definition.stages["reintegration"].followups_days:
                    due = (start + dt.timedelta(days=days)).date()
                    done = due if due < now.date() - dt.timedelta(days=3) and rng.random() < 0.8 else None
                    follow_ups.append(
                        FollowUp(
                            case=case,
                            due_on=due,
                            done_on=done,
                            outcome="Well." if done else "",
                            recorded_by_id=case.owner_id if done else None,
                        )
                    )
        flush(final=True)
        print(
            f"stored {len(cases)} cases, {totals[0]} stage records, {totals[1]} timeline events, "
            f"{totals[2]} follow-up visits in {time.perf_counter() - started:.1f} s",
            flush=True,
        )

        # --- busy cases: what the case page shows ---
        rich = [c for c in cases if c.pk % RICH_EVERY == 0]
        rows: dict[type, list] = {
            model: []
            for model in (
                Decision,
                Consent,
                CaseDocument,
                Assessment,
                SupportPlan,
                TraffickingEvent,
                RelatedPerson,
                CaseEvent,
            )
        }
        answers = {
            "guardian_knew_destination": "no",
            "family_pressure_for_broker": "no",
            "risk_of_being_sent_again": "unknown",
            "feels_safe_with_guardian": "yes",
            "abuse_at_home": "no",
            "guardian_alcohol_or_drugs": "no",
            "family_economic_hardship": "yes",
            "suicidal_thoughts": "no",
            "evidence_family_sold_her": "no",
        }
        for case in rich:
            day = case.identified_at.date()
            common = {
                "case": case,
                "decided_by_id": case.owner_id,
                "organisation_id": case.organisation_id,
                "decided_on": day,
                "basis": "ITPA 1956 s.17(2).",
                "survivor_view": "She wants to go home.",
            }
            rows[Decision] += [
                Decision(
                    kind="victim_determination",
                    favourable=True,
                    outcome="Victim of trafficking",
                    decider_name="Judicial Magistrate, Araria",
                    decision_org_type="CourtOrProsecution",
                    **common,
                ),
                Decision(
                    kind="age_assessment",
                    favourable=True,
                    outcome="About 16",
                    assessed_age=16,
                    decider_name="Medical board",
                    **common,
                ),
                Decision(
                    kind="best_interest_assessment",
                    favourable=True,
                    outcome="Safe to return",
                    decider_name="Caseworker",
                    answers=answers,
                    **common,
                ),
            ]
            rows[Consent] += [
                Consent(
                    case=case,
                    purpose="care",
                    given_by="legal_basis",
                    legal_basis="JJ Act 2015 s.31",
                    given_at=case.identified_at,
                    recorded_by_id=case.owner_id,
                ),
                Consent(
                    case=case,
                    purpose="sharing_with_other_country",
                    given_by="survivor",
                    given_at=case.identified_at,
                    checklist=["assent_to_interview"],
                    language="ne",
                    recorded_by_id=case.owner_id,
                ),
            ]
            rows[CaseDocument] += [
                CaseDocument(
                    case=case,
                    doc_type=kind,
                    title=kind,
                    file=pdf,
                    original_name=f"{kind}.pdf",
                    content_type="application/pdf",
                    size=600,
                    sha256="0" * 64,
                    uploaded_by_id=case.owner_id,
                )
                for kind in ("cwc_order", "social_investigation")
            ]
            rows[Assessment] += [
                Assessment(
                    case=case,
                    kind=kind,
                    assessed_on=day,
                    summary="Needs counselling and schooling.",
                    recorded_by_id=case.owner_id,
                )
                for kind in ("needs", "risk")
            ]
            rows[SupportPlan].append(
                SupportPlan(
                    case=case,
                    plan_type="Education",
                    objectives="Back to school.",
                    starts_on=day,
                    recorded_by_id=case.owner_id,
                )
            )
            rows[TraffickingEvent] += [
                TraffickingEvent(
                    case=case, kind="Recruitment", date=day - dt.timedelta(days=30), place="Her village", country="NP"
                ),
                TraffickingEvent(case=case, kind="Transit", date=day, place="Jogbani crossing", country="IN"),
            ]
            rows[RelatedPerson].append(
                RelatedPerson(
                    case=case,
                    person=rng.choice(suspects),
                    role="suspect",
                    perpetrator_roles=["RecruiterOrIntermediary"],
                )
            )
            rows[CaseEvent] += [
                CaseEvent(
                    case=case,
                    at=case.identified_at + dt.timedelta(hours=h),
                    kind="care",
                    actor_id=case.owner_id,
                    summary="Assessment recorded: Needs",
                    message="Assessment recorded: %(kind)s",
                    params={"kind": {"choice": "AssessmentKind", "value": "needs"}},
                )
                for h in range(2, 12)
            ]
        for model, model_rows in rows.items():
            bulk(model, model_rows)
        bulk(
            ServiceDelivery,
            [
                ServiceDelivery(
                    case=c,
                    service="Counselling",
                    provider_id=c.organisation_id,
                    delivered_on=c.identified_at.date(),
                    recorded_by_id=c.owner_id,
                )
                for c in rich
            ],
        )
        open_cases = [c for c in cases if c.status in ("Active", "OnHold") and c.organisation_id == police_org.pk]
        bulk(
            Transfer,
            [
                Transfer(
                    case=c,
                    from_organisation=police_org,
                    to_organisation=homes[0],
                    reason="Placed there.",
                    requested_by=police,
                )
                for c in open_cases[:50]
            ],
        )
    print(
        f"stored {len(rich)} busy cases' decisions, consents, documents, care and history in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    if connection.vendor == "postgresql":  # autovacuum would soon; SQLite is measured as a node runs it (no stats)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    home_ids = {homes[0].pk}
    seen_by_caseworker = [c for c in rich if c.organisation_id in home_ids or c.district_id == districts[0].pk]
    survivors = {p.pk: p for p in persons}

    def searched(case) -> str:
        person = survivors[case.survivor_id]
        return person.full_name if rng.random() < 0.5 else person.name_latin

    sample = rng.sample(cases, 2000)
    own = [c for c in cases if c.organisation_id in home_ids or c.district_id == districts[0].pk]
    overdue = [c for c in cases if c.due_at and c.due_at < now and c.status in ("Active", "FollowUp")]
    stages_count: dict[str, int] = {}
    for c in cases:
        stages_count[c.stage] = stages_count.get(c.stage, 0) + 1
    connection.close()
    return Seeded(
        cases=len(cases),
        rich_cases=[str(c.public_id) for c in rich],
        caseworker_cases=[str(c.public_id) for c in seen_by_caseworker],
        names=[searched(c) for c in sample],
        caseworker_names=[searched(c) for c in rng.sample(own, min(500, len(own)))],
        stages=stages_count,
        overdue=len(overdue),
        overdue_not_escalated=sum(
            1 for c in overdue if c.escalated_at is None and c.escalate_at and c.escalate_at <= now
        ),
        caseworker_org=homes[0].pk,
        other_org=homes[1].pk,
        minors=sum(1 for c in cases if c.is_minor),
    )


def sweep(env: dict[str, str]) -> dict:
    """One escalation sweep in a process of its own, with the node's environment (as the task worker runs it)."""
    code = (
        "import json, time, django; django.setup()\n"
        "from setu.cases.deadlines import escalation_sweep\n"
        "started = time.perf_counter(); result = escalation_sweep()\n"
        "print(json.dumps({'cases': result.cases, 'tasks': result.tasks, 'notifications': result.notifications,"
        " 'seconds': time.perf_counter() - started}))\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database", "--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per kind")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the machine has 2 cores)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (and print where)")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="setu-bench-cases-"))
    (var_dir / "static").mkdir()
    env = node_env(_database_url(args.database, var_dir), var_dir, node=NODE)
    os.environ.update(env)
    try:
        seeded = seed(args.cases)
        results = measure(env, seeded, args)
        swept = sweep(env)
    finally:
        if not args.keep:
            _drop_database(args.database)
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            print(f"kept: {env['DATABASE_URL']} (var dir {var_dir})")
    print()
    print(
        f"cases={seeded.cases} database={args.database} gunicorn workers={args.workers} "
        f"requests per kind={args.requests} (sequential, one signed-in user at a time)"
    )
    print(f"stages: {', '.join(f'{k} {v}' for k, v in sorted(seeded.stages.items(), key=lambda kv: -kv[1]))}")
    print(
        f"children {seeded.minors}; overdue {seeded.overdue}, of which not yet escalated {seeded.overdue_not_escalated}"
    )
    for timing in results:
        print(timing.line())
    print(
        f"escalation sweep: {swept['cases']} cases escalated, {swept['tasks']} tasks, "
        f"{swept['notifications']} notifications in {swept['seconds']:.2f} s "
        f"({swept['process_seconds']:.2f} s with the process start)"
    )


def measure(env: dict[str, str], seeded: Seeded, args) -> list[Timings]:
    rng = random.Random(11)
    n = args.requests
    stages = [stage for stage, count in seeded.stages.items() if stage != "closed" for _ in range(count)]
    results = []
    with serve(env, workers=args.workers) as base:
        for username, who in (("bench_focal", "focal point"), ("bench_caseworker", "caseworker")):
            client = Client(base)
            client.login(username, PASSWORD)
            names = seeded.names if who == "focal point" else seeded.caseworker_names
            pages = seeded.rich_cases if who == "focal point" else seeded.caseworker_cases
            organisation = seeded.other_org if who == "focal point" else seeded.caseworker_org
            for _ in range(10):  # warm the workers and the database cache
                client.get("/cases/")
                client.get(f"/cases/{pages[0]}/")
            results += [
                time_requests(client, f"{who}: list, first page", ["/cases/"] * n),
                time_requests(
                    client, f"{who}: list, by stage", [f"/cases/?stage={rng.choice(stages)}" for _ in range(n)]
                ),
                time_requests(client, f"{who}: list, overdue", ["/cases/?overdue=on"] * n),
                time_requests(client, f"{who}: list, by organisation", [f"/cases/?organisation={organisation}"] * n),
                time_requests(client, f"{who}: list, children", ["/cases/?minor=yes"] * n),
                time_requests(
                    client, f"{who}: list, survivor's name", ["/cases/?q=" + quote(rng.choice(names)) for _ in range(n)]
                ),
                time_requests(client, f"{who}: case page", [f"/cases/{rng.choice(pages)}/" for _ in range(n)]),
            ]
    return results


if __name__ == "__main__":
    main()
