"""Seed a demo node: the gazetteer, the agencies of the node's side, one login per role, synthetic people,
and survivors' cases moved through SOP v1 (setu.web.demo.cases).

Idempotent: whatever already exists (by organisation name, username, a person's registering
organisation + name + sex + home district, and a case by its survivor) is kept and not written again, so
re-running changes nothing and `setu demo` can seed on every start. Refused unless settings.SETU_DEMO is
on: the logins it creates share a password printed in the README.

Why the first administrator is written directly: `organisation_create` and `user_create` need an actor
holding ORGANISATION_MANAGE / USER_MANAGE, and only an administrator's membership grants them. An empty
node has no administrator, so the administrator's organisation, the administrator and that membership
are created here with the ORM (as `createsuperuser` would), each recorded in the audit chain under the
name "seed_demo". Everything else goes through the services, with the administrator as actor for
organisations and logins, the frontline user who would register a person as actor for the people, and
for the cases the login whose role the SOP names for each step. When cases were added, one deadline sweep
runs, as the node's scheduler would, so the demo opens with its escalations. Then, when asked for, a year of
border interceptions (setu.web.demo.interceptions), the prevention work of a local government and an NGO
(setu.prevention.demo) and, when asked for, eighteen months of missing-person reports (setu.web.demo.tracing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Membership, Organisation, User
from setu.accounts.services import membership_grant, organisation_create, user_create
from setu.audit.services import audit_record
from setu.cases.deadlines import SweepResult, escalation_sweep
from setu.cases.services import sop_load
from setu.cases.sop import SOP_V1_PATH
from setu.geo.models import BorderPoint, District
from setu.geo.services import gazetteer_load
from setu.people import rules
from setu.people.models import Person, Relation
from setu.people.services import person_add_relation, person_create
from setu.web.demo import agencies
from setu.web.demo.agencies import DEMO_PASSWORD, NATIONWIDE, DemoOrganisation
from setu.web.demo.cases import DEFAULT_CASES, seed_cases
from setu.web.demo.interceptions import seed_interceptions
from setu.web.demo.names import REFERENCE_DATE, SyntheticPerson, generate_persons
from setu.web.demo.tracing import seed_missing_reports

DEFAULT_PERSONS = 300
SEED_ACTOR = "seed_demo"

# Who registers the people on each node, and where those people are now (their location district), as a
# repeating pattern of (username, district): mostly border monitors and police at the crossing, some
# caseworkers, shelters and child-protection bodies.
_REGISTRARS = {
    "NP": (
        ("np_monitor", "Morang"), ("np_monitor", "Morang"), ("np_caseworker", "Morang"), ("np_police", "Kathmandu"),
        ("np_monitor", "Morang"), ("np_police", "Morang"), ("np_cwc", "Kathmandu"), ("np_monitor", "Morang"),
        ("np_caseworker", "Morang"), ("np_localgov", "Morang"),
    ),
    "IN": (
        ("in_monitor", "Araria"), ("in_police", "Araria"), ("in_monitor", "Araria"), ("in_shelter", "Araria"),
        ("in_caseworker", "Araria"), ("in_police", "Araria"), ("in_monitor", "Araria"), ("in_cwc", "Araria"),
        ("in_shelter", "Araria"), ("in_police", "Araria"),
    ),
}  # fmt: skip
_LANGUAGES = {"NP": ["ne"], "IN": ["hi"]}
# Whose prevention work the demo shows (setu.prevention.demo): the local government and an NGO of each node.
_PREVENTION = {"NP": ("np_biratnagar", "np_maiti"), "IN": ("in_jogbani", "in_helpdesk")}


class DemoSeedRefusedError(Exception):
    """Seeding was asked for on a node that is not a demo node."""


@dataclass
class SeedReport:
    node: str
    places_created: int = 0
    organisations_created: int = 0
    users_created: int = 0
    persons_created: int = 0
    cases_created: int = 0
    sweep: SweepResult | None = None  # the deadline sweep run after adding cases
    interceptions_created: int = 0
    prevention_created: int = 0  # awareness activities and vigilance reports
    missing_reports_created: int = 0
    # Place names of the demo data that the gazetteer does not know (should stay empty; tests check it).
    unknown_places: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        text = (
            f"{self.places_created} places, {self.organisations_created} organisations, "
            f"{self.users_created} logins and {self.persons_created} people created"
        )
        if self.cases_created:
            text += f"; {self.cases_created} cases opened and moved through the SOP"
        if self.sweep is not None:
            text += f" (deadline sweep: {self.sweep.cases} cases escalated, {self.sweep.tasks} tasks)"
        if self.interceptions_created:
            text += f"; {self.interceptions_created} border interceptions over the last 12 months"
        if self.prevention_created:
            text += f"; {self.prevention_created} prevention records (awareness activities, vigilance reports)"
        if self.missing_reports_created:
            text += f"; {self.missing_reports_created} missing-person reports over the last 18 months"
        if not (
            self.places_created
            or self.organisations_created
            or self.users_created
            or self.persons_created
            or self.cases_created
            or self.interceptions_created
            or self.prevention_created
            or self.missing_reports_created
        ):
            text = "already seeded, nothing to add"
        if self.unknown_places:
            text += f" (places not in the gazetteer, left blank: {', '.join(sorted(self.unknown_places))})"
        return text


class _Places:
    """The gazetteer's districts and crossing points by (country, lower-cased English name)."""

    def __init__(self, report: SeedReport) -> None:
        self.report = report
        self.districts = {
            (d.province.country, d.name_en.lower()): d for d in District.objects.select_related("province")
        }
        self.border_points = {(b.country, b.name_en.lower()): b for b in BorderPoint.objects.all()}

    def district(self, country: str, name: str) -> District | None:
        found = self.districts.get((country, name.lower()))
        if found is None:
            self.report.unknown_places.add(f"{name} ({country})")
        return found

    def districts_for(self, spec: DemoOrganisation) -> list[District]:
        if spec.districts == NATIONWIDE:
            return [d for (country, _name), d in self.districts.items() if country == spec.node]
        return [d for d in (self.district(spec.node, name) for name in spec.districts) if d is not None]

    def border_points_for(self, spec: DemoOrganisation) -> list[BorderPoint]:
        found = []
        for name in spec.border_points:
            point = self.border_points.get((spec.node, name.lower()))
            if point is None:
                self.report.unknown_places.add(f"{name} ({spec.node}, crossing point)")
            else:
                found.append(point)
        return found


def seed_demo(
    *,
    persons: int = DEFAULT_PERSONS,
    cases: int = DEFAULT_CASES,
    interceptions: int = 0,
    missing_reports: int = 0,
    node: str | None = None,
) -> SeedReport:
    """Load the gazetteer, then add what is missing of the node's demo organisations, logins, SOP, people and
    cases (at most `cases`, and no more than there are people to be their survivors), a year of border
    interceptions (`interceptions` of them, if the node has none yet; the commands ask for
    DEFAULT_INTERCEPTIONS, a direct call for none, as they add thousands of people), prevention work, and
    `missing_reports` missing-person reports if the node has none yet (the command asks for the node's
    default, setu.web.demo.tracing.DEFAULT_MISSING_REPORTS; a direct call for none)."""
    if not settings.SETU_DEMO:
        raise DemoSeedRefusedError(
            "Demo data is only seeded on a demo node (SETU_DEMO=1): it creates logins with a published password."
        )
    node = node or settings.SETU_NODE
    report = SeedReport(node=node)
    report.places_created = gazetteer_load()["created"]
    with transaction.atomic():
        places = _Places(report)
        admin = _bootstrap_administrator(node, places, report)
        organisations = _seed_organisations(node, admin, places, report)
        users = _seed_users(node, admin, organisations, report)
        # The SOP shipped with Setu, loaded by the node's administrator as a real node's would be.
        sop_load(actor=admin, text=SOP_V1_PATH.read_text(encoding="utf-8"))
        _seed_persons(node, persons, users, organisations, places, report)
        report.cases_created = seed_cases(node=node, count=cases, users=users, organisations=organisations)
        if report.cases_created:
            report.sweep = escalation_sweep()
        report.interceptions_created = seed_interceptions(
            node=node, count=interceptions, users=users, organisations=organisations
        )
        report.prevention_created = _seed_prevention(node, organisations)
        report.missing_reports_created = seed_missing_reports(
            node=node, users=users, organisations=organisations, persons=persons, count=missing_reports
        )
        # Joint training: this node's side of the two demo joint trainings (setu.training.demo).
        from setu.training import demo as training_demo

        training_demo.seed(node=node, organisations=organisations, users=users)
        # Prosecutions by the node's demo prosecutor, linked to the demo cases she may see (setu.legal.demo).
        from setu.legal import demo as legal_demo

        legal_demo.seed(node=node, users=users)
        # MLA requests in every status, both sides of each story under one reference (setu.mla.demo); after
        # the prosecutions, which they link.
        from setu.mla import demo as mla_demo

        mla_demo.seed(node=node, organisations=organisations, users=users)
    return report


def _seed_prevention(node: str, organisations: dict[str, Organisation]) -> int:
    """Prevention work (awareness activities, vigilance reports) of the node's local government and one NGO in
    last calendar year and this one so far, each year with its own generator (setu.prevention.demo). The
    gazetteer has local levels for Nepal only, so the India node's get none."""
    from setu.prevention import demo as prevention

    created = 0
    this_year = timezone.localdate().year
    for key in _PREVENTION[node]:
        organisation = organisations[key]
        districts = list(organisation.districts.all())
        for year in (this_year - 1, this_year):
            rng = random.Random(f"setu-demo-prevention-{node}-{key}-{year}")  # noqa: S311 - reproducible demo data
            result = prevention.seed(organisation=organisation, districts=districts, rng=rng, year=year)
            created += result.activities + result.reports
    return created


def _organisation_fields(spec: DemoOrganisation) -> dict:
    local = {"NP": "name_ne", "IN": "name_hi"}[spec.node]
    return {
        "name_en": spec.name_en,
        local: spec.name_local,
        "short_name": spec.short_name,
        "org_type": spec.org_type,
        "country": spec.node,
        "phone": spec.phone,
        "address": spec.address,
    }


def _bootstrap_administrator(node: str, places: _Places, report: SeedReport) -> User:
    """The first organisation and its administrator, written directly (see the module docstring)."""
    spec_user = next(u for u in agencies.users_of(node) if u.username == agencies.ADMIN_USERNAME[node])
    spec_org = agencies.organisation(spec_user.organisation)
    org = Organisation.objects.filter(country=node, name_en=spec_org.name_en).first()
    if org is None:
        org = Organisation(**_organisation_fields(spec_org))
        org.full_clean()
        org.save()
        org.districts.set(places.districts_for(spec_org))
        org.border_points.set(places.border_points_for(spec_org))
        audit_record(
            actor=None, actor_username=SEED_ACTOR, action="organisation.create", obj=org,
            fields=sorted(_organisation_fields(spec_org)),
        )  # fmt: skip
        report.organisations_created += 1
    admin = User.objects.filter(username=spec_user.username).first()
    if admin is None:
        admin = User(username=spec_user.username, full_name=spec_user.full_name)
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        audit_record(
            actor=None, actor_username=SEED_ACTOR, action="user.create", obj=admin,
            fields=["username", "full_name", "password"],
        )  # fmt: skip
        report.users_created += 1
    if not Membership.objects.filter(user=admin, organisation=org, role=spec_user.role.value).exists():
        membership_grant(actor=None, user=admin, organisation=org, role=spec_user.role)
    return admin


def _seed_organisations(node: str, admin: User, places: _Places, report: SeedReport) -> dict[str, Organisation]:
    existing = {o.name_en: o for o in Organisation.objects.filter(country=node)}
    organisations = {}
    for spec in agencies.organisations_of(node):
        org = existing.get(spec.name_en)
        if org is None:
            org = organisation_create(
                actor=admin,
                districts=places.districts_for(spec),
                border_points=places.border_points_for(spec),
                **_organisation_fields(spec),
            )
            report.organisations_created += 1
        organisations[spec.key] = org
    return organisations


def _seed_users(node: str, admin: User, organisations: dict[str, Organisation], report: SeedReport) -> dict[str, User]:
    users = {}
    for spec in agencies.users_of(node):
        org = organisations[spec.organisation]
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                actor=admin, username=spec.username, full_name=spec.full_name, password=DEMO_PASSWORD,
                organisation=org, role=spec.role,
            )  # fmt: skip
            report.users_created += 1
        elif not Membership.objects.filter(user=user, organisation=org, role=spec.role.value).exists():
            membership_grant(actor=admin, user=user, organisation=org, role=spec.role)
        users[spec.username] = user
    return users


# --- people ----------------------------------------------------------------------------------------------


def _recorded_name(person: SyntheticPerson, node: str) -> tuple[str, str, str]:
    """(full, given, family) as the registering officer wrote them: Devanagari or Latin letters.

    On the Nepal node most records are in Devanagari; Indian records are more often in Latin letters.
    A name known only in Latin letters (as the other side recorded it) stays Latin.
    """
    number = int(person.ref.rsplit("-", 1)[1])
    in_devanagari = bool(person.given_name.devanagari) and (number % 10 < (7 if node == "NP" else 4))
    if in_devanagari:
        given, family = person.given_name.devanagari, person.family_name.devanagari
    else:
        given, family = person.given_name.latin, person.family_name.latin
    return f"{given} {family}".strip(), given, family


def _birth_fields(person: SyntheticPerson) -> dict:
    if person.birth_precision == "estimate":
        return {"birth_precision": "estimated", "age_estimate": person.age, "age_estimated_on": REFERENCE_DATE}
    precision = "exact" if person.birth_precision == "day" else "year"
    return {"birth_precision": precision, "birth_date": person.birth_date}


def _seed_persons(
    node: str,
    count: int,
    users: dict[str, User],
    organisations: dict[str, Organisation],
    places: _Places,
    report: SeedReport,
) -> None:
    registrars = _REGISTRARS[node]
    user_specs = {u.username: u for u in agencies.users_of(node)}
    existing: set[tuple[int, str, str, int | None]] = set(
        Person.objects.filter(organisation__in=list(organisations.values())).values_list(
            "organisation_id", "full_name", "gender", "home_district_id"
        )
    )
    for index, person in enumerate(generate_persons(node, count)):
        username, location_name = registrars[index % len(registrars)]
        actor = users[username]
        organisation = organisations[user_specs[username].organisation]
        location = places.district(node, location_name)
        home = places.district(person.nationality, person.home_district)
        full_name, given, family = _recorded_name(person, node)
        key = (organisation.pk, full_name, person.sex, home.pk if home else None)
        if location is None or key in existing:
            continue
        created = person_create(
            actor=actor,
            organisation=organisation,
            full_name=full_name,
            given_name=given,
            family_name=family,
            gender=person.sex,
            nationality=person.nationality,
            languages=_LANGUAGES[person.nationality],
            location_district=location,
            home_district=home,
            phones=[person.phone] if person.phone else [],
            **_birth_fields(person),
        )
        existing.add(key)
        report.persons_created += 1
        # Parents' names, as families give them at interviews: the matcher compares them besides the name.
        if index % 3 != 2:
            in_devanagari = created.name_script == rules.DEVANAGARI
            for kind, name in ((Relation.Kind.FATHER, person.father_name), (Relation.Kind.MOTHER, person.mother_name)):
                written = name.devanagari if in_devanagari and name.devanagari else name.latin
                person_add_relation(actor=actor, person=created, kind=kind, related_name=written)
