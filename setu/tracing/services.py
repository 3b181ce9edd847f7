"""Writes on missing-person reports: register one (with the missing person's record, found or created through
setu.people's services, and her photo), edit it, change its status. Each is one transaction, checks access
first (the same audited 404 as a missing record), writes its audit events (names of fields, never values)
and validates everything before writing: bad input raises one ValidationError listing every problem, keyed
by field, and nothing is written.

Who may write (setu.accounts.roles): TRACING_RECORD registers a report for one of the actor's own
organisations, and edits and changes the status of the reports its grant reaches (the organisation's own).
The missing person, when new, is registered for the same organisation (PERSON_CREATE); an existing person
must be one the actor may see (PERSON_VIEW).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.enums import Gender
from setu.core.ids import numbers_taken
from setu.geo.models import District, LocalLevel
from setu.people import services as people
from setu.people.models import BirthPrecision, Nationality, Person, Relation
from setu.people.selectors import person_can_edit
from setu.tracing import matching, selectors
from setu.tracing.models import (
    CandidateStatus,
    MatchCandidate,
    MatchNotice,
    MissingReport,
    MissingReportCounter,
    ReferenceKind,
    ReporterRelation,
    Status,
    Visibility,
)

REPORT_OBJECT_TYPE = selectors.REPORT_OBJECT_TYPE
# Report dates before this are typing slips (or a Bikram Sambat date typed as AD).
EARLIEST = dt.date(1950, 1, 1)
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
MAX_AGE = 120

# The fields of a report that `report_update` changes (the organisation, the person and the number are set once).
REPORT_FIELDS = (
    "reporter_name",
    "reporter_relation",
    "reporter_phone",
    "reported_on",
    "last_seen_on",
    "last_seen_time",
    "last_seen_place",
    "last_seen_district",
    "last_seen_local_level",
    "circumstances",
    "reference_kind",
    "reference",
    "visibility",
)
_ONE_LINE = ("reporter_name", "last_seen_place", "reference")
_LENGTHS = {"reporter_name": 200, "last_seen_place": 300, "reference": 100, "circumstances": 4000}
_FOREIGN_KEYS = ("last_seen_district", "last_seen_local_level")
# A person service's field, as the report's form calls it.
_PERSON_FIELDS = {"phones": "phone", "aliases": "other_name", "age_estimate": "age", "age_estimated_on": "age",
                  "birth_precision": "birth_date", "location_district": "last_seen_district"}  # fmt: skip


# --- what a form gives -----------------------------------------------------------------------------------------


@dataclass
class MissingPersonEntry:
    """The missing person: an existing record (`person`), or the details of a new one as her family gives them."""

    person: Person | None = None
    full_name: str = ""  # in Devanagari or Latin letters, as given
    other_name: str = ""  # her name in the other script, or another spelling: kept as an alias
    gender: str = ""
    birth_date: dt.date | None = None
    birth_calendar: str = ""  # the calendar the birth date was typed in: "AD" or "BS"
    age: int | None = None  # her age when last seen, when the birth date is not known
    nationality: str = ""
    father_name: str = ""
    mother_name: str = ""
    home_district: District | None = None
    home_local_level: LocalLevel | None = None
    home_ward: int | None = None
    home_address: str = ""
    phone: str = ""


@dataclass
class ReportEntry:
    person: MissingPersonEntry
    reporter_name: str = ""
    reporter_relation: str = ""
    reporter_phone: str = ""
    reported_on: dt.date | None = None  # None: today
    last_seen_on: dt.date | None = None
    last_seen_time: dt.time | None = None
    last_seen_place: str = ""
    last_seen_district: District | None = None
    last_seen_local_level: LocalLevel | None = None  # implies its district
    circumstances: str = ""
    reference_kind: str = ""
    reference: str = ""
    visibility: str = Visibility.STANDARD
    organisation: Organisation | None = None  # needed only when the actor registers for several
    photo: Any = None  # an uploaded file: stored on the person by setu.people (checked, re-encoded, no EXIF)


# --- the hook for matching -------------------------------------------------------------------------------------


def _saved(report: MissingReport) -> None:
    """Once the save commits, match the report (setu.tracing.matching): its candidates go to the review
    queue, or a report no longer open has its undecided candidates withdrawn."""
    matching.after_commit(matching.propose_for_report, report)


# --- access ----------------------------------------------------------------------------------------------------


def _organisation(actor, organisation: Organisation | None, errors: dict[str, list[str]]) -> Organisation | None:
    """The organisation that registers the report: the actor's own (one of them, when several)."""
    grant = policy.require(actor, Permission.TRACING_RECORD, object_type=REPORT_OBJECT_TYPE)
    if organisation is None:
        if len(grant.organisation_ids) != 1:
            errors["organisation"] = [_("Choose the organisation that registers this report.")]
            return None
        return Organisation.objects.get(pk=next(iter(grant.organisation_ids)))
    # Registering is always for one's own organisation: a district in the actor's jurisdiction is not enough.
    if organisation.pk not in grant.organisation_ids:
        errors["organisation"] = [_("You cannot register reports for this organisation.")]
        return None
    return organisation


def _require_record(actor, report: MissingReport) -> None:
    if not selectors.report_can_record(actor, report):
        policy.deny(actor, Permission.TRACING_RECORD.value, object_type=REPORT_OBJECT_TYPE,
                    object_id=str(report.public_id))  # fmt: skip


def _require_person_view(actor, person: Person) -> None:
    grant = policy.grants(actor, Permission.PERSON_VIEW)
    if not grant.covers(organisation_id=person.organisation_id, district_id=person.location_district_id):
        policy.deny(
            actor, Permission.TRACING_RECORD.value, object_type="people.person", object_id=str(person.public_id)
        )


# --- validation ------------------------------------------------------------------------------------------------


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    """Add another check's problems, keeping ours where both speak of the same field (ours say it better)."""
    for name, messages in more.items():
        if name not in errors:
            errors[name] = list(messages)


def _tidy(values: dict[str, Any]) -> None:
    for name in _ONE_LINE:
        if name in values:
            values[name] = " ".join(str(values[name] or "").split())
    if "circumstances" in values:
        values["circumstances"] = str(values["circumstances"] or "").strip()
    if "reporter_phone" in values:
        values["reporter_phone"] = str(values["reporter_phone"] or "").strip()


def _date_problems(name: str, value: dt.date | None, today: dt.date, errors: dict[str, list[str]]) -> None:
    if value is None:
        return
    if value > today:
        _add(errors, name, _("The date cannot be in the future."))
    elif value < EARLIEST:
        _add(errors, name, _("The date is before 1950: check the year (a Bikram Sambat date must be entered as BS)."))


def _report_problems(values: dict[str, Any], now: dt.datetime) -> dict[str, list[str]]:
    """The report's own fields: tidied in place (the local level's district filled in), and their problems."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate(now)
    _tidy(values)
    if not values["reporter_name"]:
        _add(errors, "reporter_name", _("Give the name of the person who reports her missing."))
    if not values["reporter_relation"]:
        _add(errors, "reporter_relation", _("Say how the person reporting is related to her."))
    elif values["reporter_relation"] not in ReporterRelation.values:
        _add(errors, "reporter_relation", _("Unknown choice: %(value)s.") % {"value": values["reporter_relation"]})
    if values["reporter_phone"]:
        try:
            values["reporter_phone"] = people.normalise_phone_or_error(values["reporter_phone"], field="reporter_phone")
        except ValidationError as exc:
            _merge(errors, exc.message_dict)
    if values["reported_on"] is None:
        _add(errors, "reported_on", _("Give the date of the report."))
    if values["last_seen_on"] is None:
        _add(errors, "last_seen_on", _("Give the date she was last seen."))
    _date_problems("reported_on", values["reported_on"], today, errors)
    _date_problems("last_seen_on", values["last_seen_on"], today, errors)
    seen, reported, time = values["last_seen_on"], values["reported_on"], values["last_seen_time"]
    if seen is not None and reported is not None and seen > reported and "last_seen_on" not in errors:
        _add(errors, "last_seen_on", _("She cannot be last seen after the report was made."))
    if (
        seen == today
        and time is not None
        and timezone.make_aware(dt.datetime.combine(seen, time)) > now + CLOCK_TOLERANCE
    ):
        _add(errors, "last_seen_time", _("The time cannot be in the future."))
    district, local_level = values["last_seen_district"], values["last_seen_local_level"]
    if local_level is not None:
        if district is None:
            values["last_seen_district"] = district = local_level.district
        elif local_level.district_id != district.pk:
            _add(errors, "last_seen_local_level",
                 _("%(place)s is not in the district chosen.") % {"place": local_level.name})  # fmt: skip
    if values["reference_kind"] and values["reference_kind"] not in ReferenceKind.values:
        _add(errors, "reference_kind", _("Unknown choice: %(value)s.") % {"value": values["reference_kind"]})
    if values["visibility"] not in Visibility.values:
        _add(errors, "visibility", _("Choose who may see the report."))
    for name, limit in _LENGTHS.items():
        if len(values[name]) > limit:
            _add(errors, name, _("At most %(limit)s characters.") % {"limit": limit})
    return errors


def _birth(entry: MissingPersonEntry, seen_on: dt.date | None, today: dt.date) -> dict[str, Any]:
    """person_create's birth arguments: the date if the family knows it, else her age when last seen."""
    if entry.birth_date is not None:
        calendar = entry.birth_calendar if entry.birth_calendar in ("AD", "BS") else "AD"
        return {"birth_precision": BirthPrecision.EXACT, "birth_date": entry.birth_date, "birth_calendar": calendar}
    if entry.age is not None:
        on = min(seen_on, today) if seen_on is not None and seen_on >= EARLIEST else today
        return {"birth_precision": BirthPrecision.ESTIMATED, "age_estimate": entry.age, "age_estimated_on": on}
    return {"birth_precision": BirthPrecision.UNKNOWN}


def _person_problems(entry: MissingPersonEntry, values: dict[str, Any], today: dt.date) -> dict[str, list[str]]:
    """The missing person's details, for a new record (setu.people checks the rest when it registers her)."""
    errors: dict[str, list[str]] = {}
    if entry.person is not None:
        birth = entry.person.birth_date if entry.person.birth_precision == BirthPrecision.EXACT else None
    else:
        if not " ".join(entry.full_name.split()):
            _add(errors, "full_name", _("Give her name (in Devanagari or Latin letters)."))
        if entry.gender not in Gender.values or entry.gender == Gender.NOT_SPECIFIED:
            _add(errors, "gender", _("Choose her sex / gender."))
        if entry.age is not None and not 0 <= entry.age <= MAX_AGE:
            _add(errors, "age", _("The age must be between 0 and 120."))
        if entry.nationality and entry.nationality not in Nationality.values:
            _add(errors, "nationality", _("Unknown choice: %(value)s.") % {"value": entry.nationality})
        for name in ("full_name", "other_name", "father_name", "mother_name"):
            if len(getattr(entry, name)) > 200:
                _add(errors, name, _("At most %(limit)s characters.") % {"limit": 200})
        if entry.phone:
            try:
                people.normalise_phone_or_error(entry.phone, field="phone")
            except ValidationError as exc:
                _merge(errors, exc.message_dict)
        birth = entry.birth_date
    seen = values["last_seen_on"]
    if birth is not None and seen is not None and seen < birth and "last_seen_on" not in errors:
        _add(errors, "last_seen_on", _("She cannot be last seen before she was born."))
    return errors


def _location(entry: MissingPersonEntry, values: dict[str, Any], organisation: Organisation | None) -> District | None:
    """Where a new person record is placed (Person.location_district, which scopes who sees it): where she was
    last seen, else her home district, else the district of the reporting organisation if it has only one."""
    if values["last_seen_district"] is not None:
        return values["last_seen_district"]
    if entry.home_district is not None:
        return entry.home_district
    if entry.home_local_level is not None:
        return entry.home_local_level.district
    if organisation is not None:
        districts = list(organisation.districts.all()[:2])
        if len(districts) == 1:
            return districts[0]
    return None


def _photo_problems(actor, entry: ReportEntry, errors: dict[str, list[str]]) -> None:
    if entry.photo is None:
        return
    existing = entry.person.person
    if existing is not None and not person_can_edit(actor, existing):
        _add(errors, "photo", _("You may not add a photo to this person's record; ask the organisation that "
                                "registered her."))  # fmt: skip
        return
    try:
        people.photo_check(entry.photo)
    except ValidationError as exc:
        _merge(errors, {"photo": exc.message_dict.get("photo", exc.messages)})


def _person_draft(actor, entry: MissingPersonEntry, organisation: Organisation, location: District | None,
                  values: dict[str, Any], today: dt.date, in_memory: bool) -> people.PersonDraft:  # fmt: skip
    """The missing person's new record, checked by setu.people, with her other name, her parents' names and
    her phone. Its ValidationError uses the person service's field names."""
    return people.person_build(
        actor=actor, owner=organisation, full_name=entry.full_name, gender=entry.gender,
        nationality=entry.nationality, location_district=location, home_district=entry.home_district,
        home_local_level=entry.home_local_level, home_ward=entry.home_ward, home_address=entry.home_address,
        phones=[entry.phone] if entry.phone else [], spellings=[entry.other_name],
        relatives=[(Relation.Kind.FATHER, entry.father_name), (Relation.Kind.MOTHER, entry.mother_name)],
        in_memory=in_memory, **_birth(entry, values["last_seen_on"], today),
    )  # fmt: skip


def _number(year: int, taken: int) -> str:
    return f"{settings.SETU_NODE}-MPR-{year}-{taken:06d}"


def _given(report: MissingReport) -> list[str]:
    return [name for name in REPORT_FIELDS if getattr(report, _attname(name)) not in (None, "")]


def _attname(name: str) -> str:
    return f"{name}_id" if name in _FOREIGN_KEYS else name


# --- the services ----------------------------------------------------------------------------------------------


@dataclass
class ReportDraft:
    """A report checked and not yet written (`report_build`): the report, and her new record if she has none."""

    report: MissingReport
    person: people.PersonDraft | None
    photo: Any
    given: list[str]


def report_create(*, actor, entry: ReportEntry, now: dt.datetime | None = None) -> MissingReport:
    """Register a missing-person report for the actor's organisation: the missing person (an existing record
    the actor may see, or a new one registered through setu.people with her other name, her parents' names
    and her phone), the photo (stored on her record), who reported her, when and where she was last seen,
    what happened, the police or hotline reference, and who may see it.

    Refused, with every problem at once and nothing written: no name or sex for a new person, no reporter or
    relation, no last-seen date, a date in the future or before 1950, last seen after the report or before
    she was born, a municipality outside the district chosen, a phone that cannot be dialled, a bad photo."""
    draft = report_build(actor=actor, entry=entry, now=now)
    with transaction.atomic():
        return reports_write(actor=actor, drafts=[draft])[0]


def report_build(*, actor, entry: ReportEntry, now: dt.datetime | None = None, in_memory: bool = False) -> ReportDraft:
    """Check a report as `report_create` does and return its draft, writing nothing; `reports_write` writes
    drafts. `in_memory=True` checks her new record without asking the database (setu.people.person_build),
    for an import's chunk written in one bulk write."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    organisation = _organisation(actor, entry.organisation, errors)
    existing = entry.person.person
    if existing is not None:
        _require_person_view(actor, existing)
    values: dict[str, Any] = {name: getattr(entry, name) for name in REPORT_FIELDS}
    values["reported_on"] = values["reported_on"] or today
    _merge(errors, _report_problems(values, now))
    _merge(errors, _person_problems(entry.person, values, today))
    _photo_problems(actor, entry, errors)
    location = _location(entry.person, values, organisation) if existing is None else None
    if existing is None and location is None and organisation is not None:
        _add(errors, "last_seen_district", _("Give the district where she was last seen, or her home district: it "
                                             "decides who may see her record."))  # fmt: skip
    person_draft = None
    if existing is None and organisation is not None:
        try:
            person_draft = _person_draft(actor, entry.person, organisation, location, values, today, in_memory)
        except ValidationError as exc:  # say what setu.people refused, in the report's words
            _merge(errors, {_PERSON_FIELDS.get(name, name): messages for name, messages in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    assert organisation is not None  # noqa: S101 - no errors means it was found
    report = MissingReport(organisation=organisation, person=existing, created_by=actor, **values)
    given = ["organisation", "person", *_given(report), *(["photo"] if entry.photo is not None else [])]
    return ReportDraft(report, person_draft, entry.photo, given)


def reports_write(*, actor, drafts: list[ReportDraft]) -> list[MissingReport]:
    """Write checked reports (`report_build`) inside the caller's transaction: the new persons in one bulk write
    (setu.people.persons_write), the numbers taken once a year, the reports in one insert, an audit event each,
    and each report matched once the transaction commits."""
    new = [draft for draft in drafts if draft.person is not None]
    people.persons_write(actor=actor, drafts=[draft.person for draft in new if draft.person is not None])
    for draft in new:
        assert draft.person is not None  # noqa: S101 - filtered above
        draft.report.person = draft.person.person
    by_year: dict[int, list[MissingReport]] = {}
    for draft in drafts:
        by_year.setdefault(draft.report.reported_on.year, []).append(draft.report)
    for year, reports in by_year.items():
        first = numbers_taken(MissingReportCounter, year=year, count=len(reports))
        for offset, report in enumerate(reports):
            report.number = _number(year, first + offset)
    reports = MissingReport.objects.bulk_create([draft.report for draft in drafts])
    for draft in drafts:
        if draft.photo is not None:
            people.person_add_photo(actor=actor, person=draft.report.person, upload=draft.photo)
        audit_record(actor=actor, action="tracing.report_create", obj=draft.report,
                     organisation=draft.report.organisation, fields=draft.given)  # fmt: skip
        _saved(draft.report)
    return reports


def report_update(*, actor, report: MissingReport, now: dt.datetime | None = None, **changes: Any) -> MissingReport:
    """Change some of a report's fields (any of REPORT_FIELDS), by the rules of `report_create`; the missing
    person's own details are edited on her record (setu.people). A refused change writes nothing."""
    unknown = set(changes) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"report_update() got fields it does not edit: {sorted(unknown)}")
    now = now or timezone.now()
    # Checked before the transaction opens, so that the audit row of a refusal is not rolled back with it.
    _require_record(actor, report)
    with transaction.atomic():
        report = (
            MissingReport.objects.select_for_update(of=("self",))
            .select_related("person", "organisation", "last_seen_local_level")
            .get(pk=report.pk)
        )
        before = {name: getattr(report, _attname(name)) for name in REPORT_FIELDS}
        values: dict[str, Any] = {name: getattr(report, name) for name in REPORT_FIELDS}
        values.update(changes)
        if "last_seen_district" in changes and "last_seen_local_level" not in changes:
            local_level = values["last_seen_local_level"]
            if local_level is not None and local_level.district_id != getattr(values["last_seen_district"], "pk", None):
                values["last_seen_local_level"] = None  # another district: its municipality no longer applies
        errors = _report_problems(values, now)
        _merge(errors, _person_problems(MissingPersonEntry(person=report.person), values, timezone.localdate(now)))
        if errors:
            raise ValidationError(errors)
        for name, value in values.items():
            setattr(report, name, value)
        fields = sorted(name for name in REPORT_FIELDS if before[name] != getattr(report, _attname(name)))
        if fields:
            report.save()
            _saved(report)
        audit_record(actor=actor, action="tracing.report_update", obj=report, organisation=report.organisation,
                     fields=fields)  # fmt: skip
    return report


_NOTE_NEEDED = {
    Status.FOUND: gettext_lazy("Say where and how she was found."),
    Status.CLOSED: gettext_lazy("Say why the report is closed."),
    Status.OPEN: gettext_lazy("Say why the report is opened again."),
}


def report_set_status(*, actor, report: MissingReport, status: str, note: str,
                      now: dt.datetime | None = None) -> MissingReport:  # fmt: skip
    """Mark her found, close the report (withdrawn, a duplicate, made in error), or open it again; always with
    a note. Found and closed keep their time; opening again clears both."""
    now = now or timezone.now()
    _require_record(actor, report)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in Status.values:
        _add(errors, "status", _("Choose the new status."))
    elif status == report.status:
        _add(errors, "status", _("The report is already “%(status)s”.") % {"status": Status(status).label})
    if not note:
        _add(errors, "note", str(_NOTE_NEEDED[Status(status)]) if status in Status.values else _("Add a note."))
    elif len(note) > 2000:
        _add(errors, "note", _("At most %(limit)s characters.") % {"limit": 2000})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = MissingReport.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=report.pk)
        report.status, report.status_note = status, note
        report.status_changed_at, report.status_changed_by = now, actor
        if status == Status.FOUND:
            report.found_at, report.closed_at = now, None
        elif status == Status.CLOSED:
            report.closed_at = now
        else:
            report.found_at = report.closed_at = None
        report.save(update_fields=["status", "status_note", "status_changed_at", "status_changed_by", "found_at",
                                   "closed_at", "updated_at"])  # fmt: skip
        audit_record(actor=actor, action="tracing.report_status", obj=report, organisation=report.organisation,
                     fields=["status", "status_note"])  # fmt: skip
        _saved(report)
    return report


# --- the review queue --------------------------------------------------------------------------------------------


def _decision_problems(candidate: MatchCandidate, reason: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if candidate.status != CandidateStatus.PROPOSED:
        _add(errors, "__all__", _("This candidate was already decided: %(status)s.")
             % {"status": CandidateStatus(candidate.status).label})  # fmt: skip
    if not reason:
        _add(errors, "reason", _("Say why: what you checked and what you found."))
    elif len(reason) > 2000:
        _add(errors, "reason", _("At most %(limit)s characters.") % {"limit": 2000})
    return errors


def _require_review(actor, candidate: MatchCandidate) -> None:
    """Checked before any transaction opens, so that the audit row of a refusal is not rolled back."""
    if not selectors.candidate_can_review(actor, candidate):
        policy.deny(actor, Permission.MATCH_REVIEW.value, object_type=selectors.CANDIDATE_OBJECT_TYPE,
                    object_id=str(candidate.public_id))  # fmt: skip


def _decide(actor, candidate: MatchCandidate, status: str, reason: str, now: dt.datetime | None) -> MatchCandidate:
    reason = (reason or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        candidate = (MatchCandidate.objects.select_for_update(of=("self",))
                     .select_related("report__organisation", "person__organisation").get(pk=candidate.pk))  # fmt: skip
        errors = _decision_problems(candidate, reason)
        if errors:
            raise ValidationError(errors)
        candidate.status, candidate.reason = status, reason
        candidate.decided_by, candidate.decided_at = actor, now
        candidate.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
        action = "tracing.match_confirm" if status == CandidateStatus.CONFIRMED else "tracing.match_reject"
        audit_record(actor=actor, action=action, obj=candidate, organisation=candidate.report.organisation,
                     fields=["status", "reason"])  # fmt: skip
    return candidate


def candidate_confirm(
    *, actor, candidate: MatchCandidate, reason: str, now: dt.datetime | None = None
) -> MatchCandidate:
    """A person confirms that the candidate is the one the report is about. The report is marked found
    (if still open), its other undecided candidates are withdrawn, and the organisations holding the
    report, the person and the person's cases are told (MatchNotice). Audited with who and why."""
    now = now or timezone.now()
    _require_review(actor, candidate)
    with transaction.atomic():
        candidate = _decide(actor, candidate, CandidateStatus.CONFIRMED, reason, now)
        report = MissingReport.objects.select_for_update(of=("self",)).get(pk=candidate.report_id)
        if report.status == Status.OPEN:
            report.status, report.found_at, report.closed_at = Status.FOUND, now, None
            report.status_note = _("Found: matched to a person record; confirmed by %(name)s. %(reason)s") % {
                "name": actor.get_full_name() or actor.username,
                "reason": candidate.reason,
            }
            report.status_changed_at, report.status_changed_by = now, actor
            report.save(update_fields=["status", "status_note", "found_at", "closed_at", "status_changed_at",
                                       "status_changed_by", "updated_at"])  # fmt: skip
            audit_record(actor=actor, action="tracing.report_status", obj=report, organisation=report.organisation,
                         fields=["status", "status_note"])  # fmt: skip
        MatchCandidate.objects.filter(report=report, status=CandidateStatus.PROPOSED).delete()
        holders = {report.organisation_id, candidate.person.organisation_id}
        holders |= set(candidate.person.cases.values_list("organisation_id", flat=True))
        notices = [MatchNotice(candidate=candidate, organisation_id=org) for org in sorted(holders)]
        MatchNotice.objects.bulk_create(notices, ignore_conflicts=True)
    return candidate


def candidate_reject(
    *, actor, candidate: MatchCandidate, reason: str, now: dt.datetime | None = None
) -> MatchCandidate:
    """A person rejects the candidate: not the same person. It stays in the record (who, when, why) and is not
    proposed again for this report."""
    _require_review(actor, candidate)
    return _decide(actor, candidate, CandidateStatus.REJECTED, reason, now)


def notices_seen(*, actor, candidate: MatchCandidate, now: dt.datetime | None = None) -> int:
    """Someone of the organisations told of this confirmed match opened it: their notices are done."""
    organisations = [m.organisation_id for m in policy.memberships(actor)]
    unseen = MatchNotice.objects.filter(candidate=candidate, organisation_id__in=organisations, seen_at__isnull=True)
    return unseen.update(seen_at=now or timezone.now())
