"""Writes for interceptions: record one (with the people stopped, their companions and the screening), add
to it, call a family, decide the outcome and refer to a case. Each is one transaction, access-checked and
audited (STYLE.md, "Services")."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.cases.choices import PerpetratorRole
from setu.core.ids import numbers_taken
from setu.core.validators import country_code_problems
from setu.geo.models import BorderPoint, District
from setu.interceptions import screening
from setu.interceptions.models import (
    CallVerdict,
    Checklist,
    Companion,
    Document,
    FamilyCall,
    InterceptedPerson,
    Interception,
    InterceptionCounter,
    NoticedBy,
    Outcome,
    Purpose,
    Transport,
    age_band,
)
from setu.interceptions.selectors import posted_stations
from setu.people.models import Person
from setu.people.services import PersonDraft, normalise_phone_or_error, person_build, persons_write

CLOCK_TOLERANCE = dt.timedelta(minutes=5)
EARLIEST = dt.date(2000, 1, 1)


# --- the checklist ---------------------------------------------------------------------------------------------


def checklist_load(*, actor, text: str, make_current: bool = True) -> Checklist:
    """Load a checklist file as a new version (ChecklistError lists its problems; nothing is saved then)."""
    if actor is not None:
        policy.require(actor, Permission.SOP_MANAGE, object_type="interceptions.checklist")
    parsed = screening.load_checklist(text)
    with transaction.atomic():
        if Checklist.objects.filter(version=parsed.version).exists():
            raise screening.ChecklistError(
                [f"version {parsed.version} is already loaded; give the new one a new version"]
            )
        if make_current:
            Checklist.objects.filter(is_current=True).update(is_current=False)
        checklist = Checklist.objects.create(version=parsed.version, title=parsed.title, source=text,
                                             sha256=hashlib.sha256(text.encode()).hexdigest(), loaded_by=actor,
                                             is_current=make_current)  # fmt: skip
        audit_record(actor=actor, action="checklist.load", obj=checklist, fields=["version", "is_current"])
    return checklist


def checklist_current() -> Checklist:
    """The checklist new records are screened with; the one shipped with Setu if none was loaded yet."""
    current = Checklist.objects.filter(is_current=True).first()
    if current is not None:
        return current
    try:
        return checklist_load(actor=None, text=screening.default_checklist_text())
    except screening.ChecklistError:  # loaded meanwhile by another request
        return Checklist.objects.get(is_current=True)


_PARSED: dict[str, screening.Checklist] = {}


def parsed(checklist: Checklist) -> screening.Checklist:
    """A stored checklist, parsed (cached by its hash: a stored version never changes)."""
    if checklist.sha256 not in _PARSED:
        _PARSED[checklist.sha256] = screening.load_checklist(checklist.source)
    return _PARSED[checklist.sha256]


# --- what a form gives ------------------------------------------------------------------------------------------


@dataclass
class PersonEntry:
    """A person stopped or a companion, as the desk enters her: an existing record (`person`) or the details
    of a new one."""

    person: Person | None = None
    full_name: str = ""
    gender: str = "NonSpecifiedUnknown"
    age_years: int | None = None
    nationality: str = ""
    home_district: District | None = None
    phone: str = ""
    # a person stopped
    relationship: str = ""
    # a companion
    is_suspect: bool = False
    roles: Sequence[str] = ()
    claimed_relationship: str = ""
    description: str = ""


@dataclass
class InterceptionEntry:
    station: BorderPoint | None
    intercepted_at: dt.datetime | None
    persons: list[PersonEntry]
    companions: list[PersonEntry] = field(default_factory=list)
    organisation: Organisation | None = None
    staff_names: str = ""
    noticed_by: str = NoticedBy.STAFF
    transport: str = ""
    vehicle: str = ""
    coming_from: str = ""
    from_district: District | None = None
    purpose: str = ""
    purpose_detail: str = ""
    destination: str = ""
    destination_country: str = ""
    onward_country: str = ""
    documents: Sequence[str] = ()
    flags: Sequence[str] = ()
    certainty: int | None = None
    notes: str = ""
    draft_key: str = ""  # the browser draft it was typed in: the same draft is saved once


def _organisation(actor, organisation: Organisation | None, station: BorderPoint | None) -> Organisation:
    grant = policy.require(actor, Permission.INTERCEPTION_RECORD, object_type="interceptions.interception")
    if organisation is None:
        candidates = Organisation.objects.filter(pk__in=sorted(grant.organisation_ids))
        if station is not None:
            posted = candidates.filter(border_points=station).first()
            organisation = posted or candidates.first()
        else:
            organisation = candidates.first()
    if organisation is None or not grant.covers(organisation_id=organisation.pk):
        policy.deny(actor, "interception.record", object_type="accounts.organisation",
                    object_id=str(getattr(organisation, "public_id", "")))  # fmt: skip
    return organisation


def _station_problems(actor, organisation: Organisation, station: BorderPoint | None) -> list[str]:
    if station is None:
        return [_("Choose the station (crossing point).")]
    if station.country != settings.SETU_NODE:
        return [_("%(station)s is on the other side of the border; choose a station of this country.")
                % {"station": station.name_en}]  # fmt: skip
    # The same rule as reading (selectors.posted_stations): a monitor posted at a station records there only.
    posted = posted_stations(actor).get(organisation.pk)
    if posted and station.pk not in posted:
        return [_("You are posted at another station.")]
    return []


def _when_problems(when: dt.datetime | None, now: dt.datetime) -> list[str]:
    if when is None:
        return [_("Give the date and time of the interception.")]
    if when > now + CLOCK_TOLERANCE:
        return [_("The interception cannot be in the future.")]
    if when.date() < EARLIEST:
        return [_("The date is before 2000; check the year (a Bikram Sambat date must be entered as such).")]
    return []


def _choice_problems(entry: InterceptionEntry) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    checks = [("noticed_by", entry.noticed_by, NoticedBy.values, False), ("transport", entry.transport,
              Transport.values, True), ("purpose", entry.purpose, Purpose.values, True)]  # fmt: skip
    for name, value, allowed, blank_ok in checks:
        if (value or not blank_ok) and value not in allowed:
            errors[name] = [_("Unknown choice: %(value)s.") % {"value": value}]
    unknown = [d for d in entry.documents if d not in Document.values]
    if unknown:
        errors["documents"] = [_("Unknown document: %(value)s.") % {"value": ", ".join(unknown)}]
    for name in ("destination_country", "onward_country"):
        if problems := country_code_problems(getattr(entry, name)):
            errors[name] = problems
    if entry.certainty is not None and not 1 <= entry.certainty <= 5:
        errors["certainty"] = [_("Certainty is from 1 (not sure) to 5 (sure).")]
    return errors


def _person_problems(entries: Sequence[PersonEntry], where: str, *, companions: bool) -> list[str]:
    problems = []
    for n, entry in enumerate(entries, start=1):
        if entry.person is None and not entry.full_name.strip():
            problems.append(
                _("%(where)s %(n)s: give a name (or choose an existing record).") % {"where": where, "n": n}
            )
        if entry.age_years is not None and not 0 <= entry.age_years <= 120:
            problems.append(_("%(where)s %(n)s: the age must be between 0 and 120.") % {"where": where, "n": n})
        if companions:
            unknown = [r for r in entry.roles if r not in PerpetratorRole.values]
            if unknown:
                problems.append(_("%(where)s %(n)s: unknown role %(role)s.") % {"where": where, "n": n,
                                                                               "role": ", ".join(unknown)})  # fmt: skip
        if entry.phone:
            try:
                normalise_phone_or_error(entry.phone)
            except ValidationError as exc:
                problems.append(f"{where} {n}: {' '.join(exc.messages)}")
    return problems


def _person_for(actor, entry: PersonEntry, organisation: Organisation, station: BorderPoint, on: dt.date,
                in_memory: bool) -> Person | PersonDraft:  # fmt: skip
    """The existing record the actor may see, or the draft of a new one placed at the station's district."""
    if entry.person is not None:
        if not policy.grants(actor, Permission.PERSON_VIEW).covers(
            organisation_id=entry.person.organisation_id, district_id=entry.person.location_district_id
        ):
            policy.deny(
                actor, "interception.record", object_type="people.person", object_id=str(entry.person.public_id)
            )
        return entry.person
    return person_build(
        actor=actor, owner=organisation, full_name=entry.full_name, location_district=station.district,
        gender=entry.gender or "NonSpecifiedUnknown", age_estimate=entry.age_years,
        age_estimated_on=on if entry.age_years is not None else None, nationality=entry.nationality,
        home_district=entry.home_district, phones=[entry.phone] if entry.phone else [],
        birth_precision="estimated" if entry.age_years is not None else "unknown", in_memory=in_memory,
    )  # fmt: skip


def interception_record(*, actor, entry: InterceptionEntry, now: dt.datetime | None = None) -> Interception:
    """Record an interception in one sitting: the people stopped (existing records or new ones), the
    companions and suspects, the red flags (scored with the checklist in use now) and the certainty.
    Bad input raises ValidationError with every problem, and nothing is saved."""
    organisation = _organisation(actor, entry.organisation, entry.station)
    saved = _saved_draft(organisation, entry.draft_key)
    if saved is not None:
        return saved
    draft = interception_build(actor=actor, entry=entry, now=now)
    try:
        with transaction.atomic():
            return interceptions_write(actor=actor, drafts=[draft])[0]
    except IntegrityError:
        saved = _saved_draft(organisation, entry.draft_key)  # the same draft sent twice at once
        if saved is None:
            raise
        return saved


@dataclass
class InterceptionDraft:
    """An interception checked and not yet written (`interception_build`): each person stopped and each
    companion as an existing record or a new one's draft (setu.people.person_build), with their entries."""

    interception: Interception
    persons: list[tuple[PersonEntry, Person | PersonDraft]]
    companions: list[tuple[PersonEntry, Person | PersonDraft]]


def interception_build(*, actor, entry: InterceptionEntry, now: dt.datetime | None = None,
                       in_memory: bool = False) -> InterceptionDraft:  # fmt: skip
    """Check an interception as `interception_record` does and return its draft, writing nothing;
    `interceptions_write` writes drafts. `in_memory=True` checks new persons without asking the database
    (setu.people.person_build), for an import's chunk written in one bulk write."""
    now = now or timezone.now()
    organisation = _organisation(actor, entry.organisation, entry.station)
    errors: dict[str, list[str]] = _choice_problems(entry)
    checks = [
        ("station", _station_problems(actor, organisation, entry.station)),
        ("intercepted_at", _when_problems(entry.intercepted_at, now)),
        ("persons", _person_problems(entry.persons, _("Person"), companions=False)),
        ("companions", _person_problems(entry.companions, _("Companion"), companions=True)),
    ]
    for name, problems in checks:
        if problems:
            errors.setdefault(name, []).extend(problems)
    if not entry.persons:
        errors.setdefault("persons", []).append(_("Add at least one person stopped."))
    for name, entries in (("persons", entry.persons), ("companions", entry.companions)):
        seen: set[int] = set()
        for person in (e.person for e in entries if e.person is not None):
            if person.pk in seen:
                message = _("%(name)s is already on this record.") % {"name": person.full_name}
                errors.setdefault(name, []).append(message)
            seen.add(person.pk)
    checklist = checklist_current()
    try:
        result = screening.score(parsed(checklist), list(entry.flags))
    except screening.ChecklistError as exc:
        errors.setdefault("flags", []).extend(exc.problems)
    if errors:
        raise ValidationError(errors)
    assert entry.station is not None and entry.intercepted_at is not None  # noqa: S101 - checked above
    on = timezone.localdate(entry.intercepted_at)
    interception = Interception(
        station=entry.station, district_id=entry.station.district_id, organisation=organisation,
        intercepted_at=entry.intercepted_at, staff_names=entry.staff_names, noticed_by=entry.noticed_by,
        transport=entry.transport, vehicle=entry.vehicle, coming_from=entry.coming_from,
        from_district=entry.from_district, purpose=entry.purpose, purpose_detail=entry.purpose_detail,
        destination=entry.destination, destination_country=entry.destination_country,
        onward_country=entry.onward_country, documents=sorted(set(entry.documents)), checklist=checklist,
        flags=[key for key, _w in result.drivers], score=result.points, risk_level=result.level,
        certainty=entry.certainty, notes=entry.notes, created_by=actor, draft_key=entry.draft_key[:64],
    )  # fmt: skip
    persons = [(e, _person_for(actor, e, organisation, entry.station, on, in_memory)) for e in entry.persons]
    companions = [(e, _person_for(actor, e, organisation, entry.station, on, in_memory)) for e in entry.companions]
    return InterceptionDraft(interception, persons, companions)


def interceptions_write(*, actor, drafts: list[InterceptionDraft]) -> list[Interception]:
    """Write checked interceptions (`interception_build`) inside the caller's transaction: the new persons in
    one bulk write (setu.people.persons_write), the numbers taken once a year, each table in one insert, an
    audit event each; each person stopped is matched once the transaction commits."""
    new = [p for d in drafts for _e, p in (*d.persons, *d.companions) if isinstance(p, PersonDraft)]
    persons_write(actor=actor, drafts=new)
    by_year: dict[int, list[Interception]] = {}
    for draft in drafts:
        by_year.setdefault(timezone.localtime(draft.interception.intercepted_at).year, []).append(draft.interception)
    for year, interceptions in by_year.items():
        first = numbers_taken(InterceptionCounter, year=year, count=len(interceptions))
        for offset, interception in enumerate(interceptions):
            interception.number = f"{settings.SETU_NODE}-INT-{year}-{first + offset:06d}"
    written = Interception.objects.bulk_create([draft.interception for draft in drafts])
    stopped, companions = [], []
    for draft in drafts:
        interception = draft.interception
        on = timezone.localdate(interception.intercepted_at)
        stopped += [_stopped(interception, entry, _written(found), on) for entry, found in draft.persons]
        companions += [_companion(interception, entry, _written(found)) for entry, found in draft.companions]
    InterceptedPerson.objects.bulk_create(stopped)
    Companion.objects.bulk_create(companions)
    for draft in drafts:
        audit_record(actor=actor, action="interception.record", obj=draft.interception,
                     fields=["station", "persons", "companions", "flags", "score"])  # fmt: skip
    return written


def _written(found: Person | PersonDraft) -> Person:
    return found.person if isinstance(found, PersonDraft) else found


def _stopped(interception: Interception, entry: PersonEntry, person: Person, on: dt.date) -> InterceptedPerson:
    """A person stopped, unsaved, with her age that day; matched once the caller's transaction commits."""
    from setu.core.dates import age_on
    from setu.tracing import matching

    age = entry.age_years
    if age is None and person.birth_date is not None:
        age = age_on(person.birth_date, on)
    if age is None:
        age = person.age_estimate
    # Someone stopped at the border may be a girl reported missing: matched once this commits.
    matching.after_commit(matching.propose_for_person, person)
    return InterceptedPerson(interception=interception, person=person, age_years=age, age_band=age_band(age),
                             relationship=entry.relationship)  # fmt: skip


def _companion(interception: Interception, entry: PersonEntry, person: Person) -> Companion:
    return Companion(interception=interception, person=person, is_suspect=entry.is_suspect,
                     roles=list(dict.fromkeys(entry.roles)), claimed_relationship=entry.claimed_relationship,
                     description=entry.description)  # fmt: skip


def _add_person(actor, interception: Interception, entry: PersonEntry, organisation: Organisation,
                on: dt.date) -> InterceptedPerson:  # fmt: skip
    person = _person_written(actor, entry, organisation, interception.station, on)
    if InterceptedPerson.objects.filter(interception=interception, person=person).exists():
        raise ValidationError({"persons": [_("%(name)s is already on this record.") % {"name": person.full_name}]})
    added = _stopped(interception, entry, person, on)
    added.save()
    return added


def _add_companion(actor, interception: Interception, entry: PersonEntry, organisation: Organisation,
                   on: dt.date) -> Companion:  # fmt: skip
    person = _person_written(actor, entry, organisation, interception.station, on)
    if Companion.objects.filter(interception=interception, person=person).exists():
        raise ValidationError({"companions": [_("%(name)s is already on this record.") % {"name": person.full_name}]})
    added = _companion(interception, entry, person)
    added.save()
    return added


def _person_written(actor, entry: PersonEntry, organisation: Organisation, station: BorderPoint,
                    on: dt.date) -> Person:  # fmt: skip
    found = _person_for(actor, entry, organisation, station, on, in_memory=False)
    return persons_write(actor=actor, drafts=[found])[0] if isinstance(found, PersonDraft) else found


def _saved_draft(organisation: Organisation, draft_key: str) -> Interception | None:
    return Interception.objects.filter(organisation=organisation, draft_key=draft_key).first() if draft_key else None


def _editable(actor, interception: Interception) -> None:
    from setu.interceptions.selectors import interception_can_record

    if not interception_can_record(actor, interception):
        policy.deny(actor, "interception.record", object_type="interceptions.interception",
                    object_id=str(interception.public_id))  # fmt: skip


def interception_add_person(*, actor, interception: Interception, entry: PersonEntry) -> InterceptedPerson:
    _editable(actor, interception)
    problems = _person_problems([entry], _("Person"), companions=False)
    if problems:
        raise ValidationError({"persons": problems})
    with transaction.atomic():
        added = _add_person(actor, interception, entry, interception.organisation,
                            timezone.localdate(interception.intercepted_at))  # fmt: skip
        audit_record(actor=actor, action="interception.add_person", obj=interception, fields=["persons"])
    return added


def interception_add_companion(*, actor, interception: Interception, entry: PersonEntry) -> Companion:
    _editable(actor, interception)
    problems = _person_problems([entry], _("Companion"), companions=True)
    if problems:
        raise ValidationError({"companions": problems})
    with transaction.atomic():
        added = _add_companion(actor, interception, entry, interception.organisation,
                               timezone.localdate(interception.intercepted_at))  # fmt: skip
        audit_record(actor=actor, action="interception.add_companion", obj=interception, fields=["companions"])
    return added


def interception_screen(*, actor, interception: Interception, flags: Sequence[str],
                        certainty: int | None) -> Interception:  # fmt: skip
    """Change the flags ticked and the certainty. The record is scored with its own checklist version, never
    the one in use now: a checklist change never rewrites a past score."""
    _editable(actor, interception)
    errors: dict[str, list[str]] = {}
    try:
        result = screening.score(parsed(interception.checklist), list(flags))
    except screening.ChecklistError as exc:
        errors["flags"] = exc.problems
    if certainty is not None and not 1 <= certainty <= 5:
        errors["certainty"] = [_("Certainty is from 1 (not sure) to 5 (sure).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        interception.flags = [key for key, _w in result.drivers]
        interception.score, interception.risk_level, interception.certainty = result.points, result.level, certainty
        interception.save(update_fields=["flags", "score", "risk_level", "certainty", "updated_at"])
        audit_record(
            actor=actor, action="interception.screen", obj=interception, fields=["flags", "score", "certainty"]
        )
    return interception


def family_call_record(*, actor, interception: Interception, called_at: dt.datetime | None, called_name: str,
                       relation: str, phone: str, said: str, verdict: str,
                       now: dt.datetime | None = None) -> FamilyCall:  # fmt: skip
    """A call to her family to check her story: who was called, what they said, whether it confirmed it."""
    _editable(actor, interception)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if called_at is None:
        called_at = now
    if called_at > now + CLOCK_TOLERANCE:
        errors["called_at"] = [_("The call cannot be in the future.")]
    elif called_at < interception.intercepted_at - dt.timedelta(days=1):
        errors["called_at"] = [_("The call is dated before the interception.")]
    if not called_name.strip():
        errors["called_name"] = [_("Who was called?")]
    if not relation.strip():
        errors["relation"] = [_("Say how the person called is related to her.")]
    try:
        phone = normalise_phone_or_error(phone, field="phone")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if verdict not in CallVerdict.values:
        errors["verdict"] = [_("Say what the call showed.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        call = FamilyCall.objects.create(interception=interception, called_at=called_at,
                                         called_name=called_name.strip(), relation=relation.strip(), phone=phone,
                                         said=said.strip(), verdict=verdict, called_by=actor)  # fmt: skip
        audit_record(actor=actor, action="interception.call", obj=interception, fields=["calls", "verdict"])
    return call


def interception_decide(*, actor, interception: Interception, outcome: str, note: str = "",
                        handed_to: Organisation | None = None, refer: Sequence[InterceptedPerson] = (),
                        now: dt.datetime | None = None) -> Interception:  # fmt: skip
    """Decide the outcome (reference/domain.md §2.3). A referral to the police opens a survivor case under the
    SOP for each person referred, from what the interception already holds (or links her open case)."""
    _editable(actor, interception)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values or outcome == Outcome.OPEN:
        errors["outcome"] = [_("Choose the outcome.")]
    if outcome in (Outcome.TRANSIT_HOME, Outcome.OTHER_SIDE) and handed_to is None and not note.strip():
        errors["handed_to"] = [_("Say to whom she was handed.")]
    if outcome == Outcome.POLICE and not refer:
        errors["refer"] = [_("Choose who is referred: a case is opened for each.")]
    if any(item.interception_id != interception.pk for item in refer):
        errors["refer"] = [_("Only the people stopped in this interception can be referred.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        interception.outcome, interception.outcome_at = outcome, now
        interception.outcome_note, interception.handed_to = note.strip(), handed_to
        interception.save(update_fields=["outcome", "outcome_at", "outcome_note", "handed_to", "updated_at"])
        for item in refer:
            _refer(actor, interception, item, now)
        audit_record(actor=actor, action="interception.decide", obj=interception, fields=["outcome"])
    return interception


def _refer(actor, interception: Interception, item: InterceptedPerson, now: dt.datetime) -> None:
    """Open her case (or link the open one she already has), without re-typing what was recorded here."""
    from setu.cases.choices import OPEN_STATUSES
    from setu.cases.models import Case
    from setu.cases.services import case_open

    if item.case_id is not None:
        return
    existing = Case.objects.filter(survivor=item.person, status__in=OPEN_STATUSES).first()
    if existing is None:
        summary = _("Intercepted at %(station)s on %(date)s (%(number)s); red-flag points %(score)s.") % {
            "station": interception.station.name_en, "date": timezone.localdate(interception.intercepted_at),
            "number": interception.number, "score": interception.score,
        }  # fmt: skip
        existing = case_open(
            actor=actor, survivor=item.person, district=interception.district,
            identified_at=interception.intercepted_at, organisation=interception.organisation,
            age_at_identification=item.age_years, summary=summary,
            exploitation_country=interception.onward_country or interception.destination_country, now=now,
        )  # fmt: skip
    item.case = existing
    item.save(update_fields=["case", "updated_at"])
