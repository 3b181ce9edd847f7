"""What each kind of sheet holds, and how one row becomes the records the apps' own services write.

A row is read cell by cell (setu.imports.cells: dates in BS or AD, ages as text, sex, districts and crossing
points looked up in the gazetteer, Preeti-encoded Nepali detected), then written by the service a person
at a desk would use: `interception_record` (setu.interceptions), `report_create` (setu.tracing), or
`person_create` and `case_open` (setu.people, setu.cases). So every rule exists once: the dry run runs the
same services and rolls them back, and their ValidationError is reported against the row and the column.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.geo.models import BorderPoint, District
from setu.imports import cells
from setu.imports.models import Kind

IGNORE = "-"  # the mapping's value for a column deliberately not imported

Reader = Callable[[Any, "Context"], Any]


@dataclass(frozen=True)
class Field:
    key: str
    label: Any  # lazy text
    readers: str = "text"  # text, devanagari, date, time, age, gender, district, station, number, country
    required: bool = False
    synonyms: tuple[str, ...] = ()


_PERSON = (
    Field("full_name", gettext_lazy("Name"), synonyms=("name", "fullname", "nameofgirl", "victimname",
                                                       "survivorname", "personname", "nam", "नाम", "पुरानाम")),
    Field("name_ne", gettext_lazy("Name in Devanagari"), "devanagari",
          synonyms=("namenepali", "naamnepali", "nepaliname", "namene", "नेपालीनाम", "नामनेपाली", "namedevanagari")),
    Field("gender", gettext_lazy("Sex"), "gender", synonyms=("sex", "gender", "लिङ्ग", "लिंग")),
    Field("age", gettext_lazy("Age"), "age", synonyms=("age", "ageyears", "उमेर", "umer")),
    Field("nationality", gettext_lazy("Nationality (NP, IN, …)"), "country", synonyms=("nationality", "country",
                                                                                       "राष्ट्रियता")),
    Field("home_district", gettext_lazy("Home district"), "district",
          synonyms=("homedistrict", "district", "permanentdistrict", "जिल्ला", "स्थायीजिल्ला", "address")),
    Field("phone", gettext_lazy("Phone"), synonyms=("phone", "mobile", "contact", "phoneno", "mobileno", "फोन")),
)  # fmt: skip

FIELDS: dict[str, tuple[Field, ...]] = {
    Kind.INTERCEPTIONS: (
        Field(
            "intercepted_on",
            gettext_lazy("Date of interception"),
            "date",
            required=True,
            synonyms=("date", "interceptiondate", "dateofinterception", "interceptedon", "मिति"),
        ),
        Field("intercepted_time", gettext_lazy("Time"), "time", synonyms=("time", "समय")),
        Field(
            "station",
            gettext_lazy("Station (crossing point)"),
            "station",
            required=True,
            synonyms=("station", "borderpoint", "post", "crossing", "checkpoint", "नाका", "bordercrossing"),
        ),
        *_PERSON,
        Field("destination", gettext_lazy("Destination"), synonyms=("destination", "goingto", "गन्तव्य")),
        Field(
            "destination_country",
            gettext_lazy("Destination country (IN, AE, …)"),
            "country",
            synonyms=("destinationcountry",),
        ),
        Field("staff_names", gettext_lazy("Staff"), synonyms=("staff", "staffname", "interceptedby", "monitor")),
        Field("notes", gettext_lazy("Notes"), synonyms=("notes", "remarks", "remark", "कैफियत")),
    ),
    Kind.MISSING_REPORTS: (
        *_PERSON,
        Field(
            "birth_date", gettext_lazy("Birth date"), "date", synonyms=("birthdate", "dob", "dateofbirth", "जन्ममिति")
        ),
        Field(
            "father_name", gettext_lazy("Father's name"), synonyms=("father", "fathername", "fathersname", "बुबाकोनाम")
        ),  # fmt: skip
        Field(
            "mother_name", gettext_lazy("Mother's name"), synonyms=("mother", "mothername", "mothersname", "आमाकोनाम")
        ),  # fmt: skip
        Field(
            "reported_on", gettext_lazy("Reported on"), "date", synonyms=("reportedon", "reportdate", "date", "मिति")
        ),
        Field(
            "last_seen_on",
            gettext_lazy("Last seen on"),
            "date",
            required=True,
            synonyms=("lastseen", "lastseenon", "lastseendate", "missingsince", "missingdate"),
        ),
        Field("last_seen_place", gettext_lazy("Last seen at (place)"), synonyms=("lastseenplace", "place")),
        Field("last_seen_district", gettext_lazy("District last seen in"), "district", synonyms=("lastseendistrict",)),
        Field(
            "reporter_name",
            gettext_lazy("Reported by"),
            required=True,
            synonyms=("reporter", "reportername", "reportedby", "informant", "उजुरीकर्ता"),
        ),
        Field(
            "reporter_relation",
            gettext_lazy("Reporter's relation"),
            "relation",
            required=True,
            synonyms=("relation", "reporterrelation", "relationship", "नाता"),
        ),
        Field("reporter_phone", gettext_lazy("Reporter's phone"), synonyms=("reporterphone", "reportermobile")),
        Field(
            "circumstances",
            gettext_lazy("Circumstances"),
            synonyms=("circumstances", "details", "description", "remarks", "कैफियत"),
        ),
        Field(
            "reference",
            gettext_lazy("Police or hotline reference"),
            synonyms=("reference", "refno", "policereference", "fir"),
        ),
    ),
    Kind.CASES: (
        Field(
            "identified_on",
            gettext_lazy("Identified on"),
            "date",
            required=True,
            synonyms=("identifiedon", "date", "dateidentified", "rescuedate", "मिति"),
        ),
        Field(
            "district",
            gettext_lazy("District of the case"),
            "district",
            required=True,
            synonyms=("casedistrict", "districtofcase", "identifieddistrict"),
        ),
        *_PERSON,
        Field(
            "exploitation_country",
            gettext_lazy("Country of exploitation (IN, AE, …)"),
            "country",
            synonyms=("exploitationcountry", "destinationcountry"),
        ),
        Field("recruitment_place", gettext_lazy("Place of recruitment"), synonyms=("recruitmentplace",)),
        Field("summary", gettext_lazy("Summary"), synonyms=("summary", "notes", "remarks", "कैफियत")),
    ),
}


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS[kind]


def _fold(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch.isalnum() or "\u0900" <= ch <= "\u097f")


def suggest_mapping(kind: str, header: list[str], saved: dict[str, str]) -> dict[str, str]:
    """The mapping to offer: the source's saved choice for each header it has seen, else the field whose
    name or usual spellings match, else nothing (the person must choose, or mark it not imported)."""
    wanted = {f.key: f for f in fields_of(kind)}
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for name in header:
        if name in saved and (saved[name] == IGNORE or saved[name] in wanted):
            mapping[name] = saved[name]
            taken.add(saved[name])
    for name in header:
        if name in mapping or not name:
            continue
        folded = _fold(name)
        for f in fields_of(kind):
            if f.key not in taken and folded in (_fold(f.key), _fold(str(f.label)), *f.synonyms):
                mapping[name] = f.key
                taken.add(f.key)
                break
    return mapping


def mapping_problems(kind: str, header: list[str], mapping: dict[str, str]) -> list[dict[str, Any]]:
    """Problems with the mapping itself: a column with no choice (never silently dropped), a field chosen
    twice, a required field with no column."""
    keys = {f.key for f in fields_of(kind)}
    problems: list[dict[str, Any]] = []
    used: dict[str, str] = {}
    for name in header:
        if not name:
            continue
        choice = mapping.get(name, "")
        if not choice:
            problems.append(_problem(0, name, _("Unknown column: choose its field, or mark it not to be imported.")))
        elif choice != IGNORE and choice not in keys:
            problems.append(_problem(0, name, _("Unknown field %(field)s.") % {"field": choice}))
        elif choice != IGNORE and choice in used:
            problems.append(_problem(0, name, _("%(field)s is already taken from column %(other)s.")
                                     % {"field": label_of(kind, choice), "other": used[choice]}))  # fmt: skip
        elif choice != IGNORE:
            used[choice] = name
    for f in fields_of(kind):
        if f.required and f.key not in used:
            problems.append(
                _problem(0, "", _("No column gives %(field)s, which every row needs.") % {"field": f.label})
            )
    return problems


def label_of(kind: str, key: str) -> str:
    return next((str(f.label) for f in fields_of(kind) if f.key == key), key)


def _problem(row: int, column: str, message: str) -> dict[str, Any]:
    return {"row": row, "column": column, "problem": str(message)}


# --- the gazetteer and the reading context ---------------------------------------------------------------------


class Places:
    """Districts and this node's crossing points by every name the gazetteer knows (English, Nepali, Hindi,
    other spellings), read once per run; a misspelt name gets the closest as a suggestion, never a guess."""

    def __init__(self) -> None:
        self.districts = self._index(District.objects.all())
        self.stations = self._index(BorderPoint.objects.filter(country=settings.SETU_NODE).select_related("district"))

    @staticmethod
    def _index(queryset) -> dict[str, Any]:
        index: dict[str, Any] = {}
        for place in queryset:
            for name in (place.name_en, place.name_ne, place.name_hi, *place.aliases):
                if name:
                    index.setdefault(_fold(name), place)
        return index

    def find(self, value: str, *, stations: bool) -> Any:
        index = self.stations if stations else self.districts
        found = index.get(_fold(value))
        if found is not None:
            return found
        close = difflib.get_close_matches(_fold(value), list(index), n=1, cutoff=0.75)
        if stations:
            message = _("%(value)s is not a crossing point of this country in the gazetteer.") % {"value": value}
        else:
            message = _("%(value)s is not a district in the gazetteer.") % {"value": value}
        if close:
            message += " " + _("Did you mean %(name)s?") % {"name": index[close[0]].name_en}
        raise cells.CellError(message)


@dataclass
class Context:
    kind: str
    actor: Any
    organisation: Organisation
    places: Places
    today: dt.date = field(default_factory=timezone.localdate)


def _read_cell(f: Field, cell: object, ctx: Context) -> tuple[Any, str]:
    """(value, note): the note says how a date was read."""
    raw = cells.text(cell)
    if f.readers == "date":
        if not raw:
            return None, ""
        value, calendar = cells.read_date(cell, today=ctx.today)
        return value, cells.date_note(value, calendar) if calendar == "BS" else ""
    if f.readers == "time":
        return cells.read_time(cell), ""
    if f.readers == "age":
        return cells.read_age(cell), ""
    if f.readers == "gender":
        return cells.read_gender(cell), ""
    if f.readers in ("district", "station"):
        return (ctx.places.find(raw, stations=f.readers == "station") if raw else None), ""
    if f.readers == "country":
        return raw.upper(), ""
    if f.readers == "relation":
        return raw.casefold().replace(" ", "_"), ""
    if f.readers == "devanagari" and cells.looks_like_preeti(raw):
        raise cells.CellError(
            _("%(value)s looks like Nepali typed in the Preeti font (a legacy font), not Unicode Devanagari. "
              "Convert the column to Unicode (a Preeti-to-Unicode converter) and import again.") % {"value": raw}
        )  # fmt: skip
    return raw, ""


@dataclass
class ReadRow:
    values: dict[str, Any]
    problems: list[dict[str, Any]]
    notes: list[dict[str, Any]]


def read_row(ctx: Context, number: int, header: list[str], mapping: dict[str, str], row: list) -> ReadRow:
    """The row's cells as field values, and the problems of reading them (row, column, problem)."""
    by_key = {f.key: f for f in fields_of(ctx.kind)}
    values: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    columns: dict[str, str] = {}
    if len(row) > len(header) and any(cells.text(c) for c in row[len(header) :]):
        problems.append(_problem(number, "", _("The row has more cells than the header has columns.")))
    for index, name in enumerate(header):
        key = mapping.get(name, "")
        if not key or key == IGNORE or key not in by_key:
            continue
        columns[key] = name
        cell = row[index] if index < len(row) else None
        try:
            values[key], note = _read_cell(by_key[key], cell, ctx)
        except cells.CellError as exc:
            problems.append(_problem(number, name, str(exc)))
            values[key] = None
            continue
        if note:
            notes.append(_problem(number, name, note))
        if by_key[key].readers == "date" and values[key] is not None:
            values[f"{key}_calendar"] = "BS" if note else "AD"
    for f in fields_of(ctx.kind):
        if (
            f.required
            and f.key in columns
            and values.get(f.key) in (None, "")
            and not _has_problem(problems, columns[f.key])
        ):
            problems.append(_problem(number, columns[f.key], _("This cell must not be blank.")))
    if (
        not values.get("full_name")
        and not values.get("name_ne")
        and not _has_problem(problems, columns.get("name_ne", ""))
    ):
        problems.append(
            _problem(number, columns.get("full_name", ""), _("Give her name (in Latin or Devanagari letters)."))
        )
    return ReadRow(values, problems, notes)


def _has_problem(problems: list[dict[str, Any]], column: str) -> bool:
    return any(p["column"] == column for p in problems)


# --- writing one row through the apps' services ----------------------------------------------------------------


def _at(day: dt.date, time: dt.time | None) -> dt.datetime:
    # A register gives the day; without a time, noon keeps the day the same in any time zone of the region.
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time(12, 0)))


def _name(values: dict[str, Any]) -> str:
    return values.get("full_name") or values.get("name_ne") or ""


def _other_name(values: dict[str, Any]) -> str:
    """The Devanagari name when the Latin one is given too: kept as another name, never dropped."""
    return values.get("name_ne") or "" if values.get("full_name") else ""


def _interception_entry(ctx: Context, values: dict[str, Any]):
    from setu.interceptions.services import InterceptionEntry, PersonEntry

    day = values.get("intercepted_on")
    notes = values.get("notes") or ""
    if _other_name(values):
        notes = "\n".join(filter(None, [notes, _("Name in Devanagari: %(name)s") % {"name": _other_name(values)}]))
    person = PersonEntry(
        full_name=_name(values), gender=values.get("gender") or "NonSpecifiedUnknown", age_years=values.get("age"),
        nationality=values.get("nationality") or "", home_district=values.get("home_district"),
        phone=values.get("phone") or "",
    )  # fmt: skip
    return InterceptionEntry(
        station=values.get("station"), intercepted_at=_at(day, values.get("intercepted_time")) if day else None,
        persons=[person], organisation=ctx.organisation, staff_names=values.get("staff_names") or "",
        destination=values.get("destination") or "", destination_country=values.get("destination_country") or "",
        notes=notes,
    )  # fmt: skip


def _interception_written(interception) -> dict[str, str]:
    first = interception.persons.select_related("person").first()
    return {"number": interception.number, "person": str(first.person.public_id) if first else ""}


def write_interception(ctx: Context, values: dict[str, Any]) -> dict[str, str]:
    from setu.interceptions.services import interception_record

    return _interception_written(interception_record(actor=ctx.actor, entry=_interception_entry(ctx, values)))


def build_interception(ctx: Context, values: dict[str, Any]) -> Any:
    from setu.interceptions.services import interception_build

    return interception_build(actor=ctx.actor, entry=_interception_entry(ctx, values), in_memory=True)


def write_interceptions(ctx: Context, drafts: list[Any]) -> list[dict[str, str]]:
    from setu.interceptions.services import interceptions_write
    from setu.people.services import PersonDraft

    interceptions_write(actor=ctx.actor, drafts=drafts)
    written = []
    for draft in drafts:
        found = draft.persons[0][1]  # a sheet's row is one person stopped, new (existing ones are not imported)
        person = found.person if isinstance(found, PersonDraft) else found
        written.append({"number": draft.interception.number, "person": str(person.public_id)})
    return written


def _report_entry(ctx: Context, values: dict[str, Any]):
    from setu.tracing.services import MissingPersonEntry, ReportEntry

    person = MissingPersonEntry(
        full_name=_name(values), other_name=_other_name(values), gender=values.get("gender") or "",
        birth_date=values.get("birth_date"), birth_calendar=values.get("birth_date_calendar") or "",
        age=values.get("age"), nationality=values.get("nationality") or "",
        father_name=values.get("father_name") or "", mother_name=values.get("mother_name") or "",
        home_district=values.get("home_district"), phone=values.get("phone") or "",
    )  # fmt: skip
    return ReportEntry(
        person=person, reporter_name=values.get("reporter_name") or "",
        reporter_relation=values.get("reporter_relation") or "", reporter_phone=values.get("reporter_phone") or "",
        reported_on=values.get("reported_on"), last_seen_on=values.get("last_seen_on"),
        last_seen_place=values.get("last_seen_place") or "", last_seen_district=values.get("last_seen_district"),
        circumstances=values.get("circumstances") or "", reference=values.get("reference") or "",
        organisation=ctx.organisation,
    )  # fmt: skip


def write_missing_report(ctx: Context, values: dict[str, Any]) -> dict[str, str]:
    from setu.tracing.services import report_create

    report = report_create(actor=ctx.actor, entry=_report_entry(ctx, values))
    return {"number": report.number, "person": str(report.person.public_id)}


def build_missing_report(ctx: Context, values: dict[str, Any]) -> Any:
    from setu.tracing.services import report_build

    return report_build(actor=ctx.actor, entry=_report_entry(ctx, values), in_memory=True)


def write_missing_reports(ctx: Context, drafts: list[Any]) -> list[dict[str, str]]:
    from setu.tracing.services import reports_write

    return [{"number": report.number, "person": str(report.person.public_id)}
            for report in reports_write(actor=ctx.actor, drafts=drafts)]  # fmt: skip


def write_case(ctx: Context, values: dict[str, Any]) -> dict[str, str]:
    """Register the survivor and open her case (`person_create`, `case_open`), one row at a time: opening a case
    starts its SOP, its deadlines and its tasks. Her record is checked in memory, without the queries of
    `full_clean()` (half of a row's time); if the database refuses it, the row is written again with them,
    which name the problem."""
    try:
        with transaction.atomic():
            return _open_case(ctx, values, in_memory=True)
    except IntegrityError:
        return _open_case(ctx, values, in_memory=False)


def _open_case(ctx: Context, values: dict[str, Any], *, in_memory: bool) -> dict[str, str]:
    from setu.cases.services import case_open
    from setu.people.services import person_create

    day, age = values.get("identified_on"), values.get("age")
    survivor = person_create(
        actor=ctx.actor, organisation=ctx.organisation, full_name=_name(values),
        location_district=values.get("district"), gender=values.get("gender") or "NonSpecifiedUnknown",
        birth_precision="estimated" if age is not None else "unknown", age_estimate=age,
        age_estimated_on=day if age is not None else None, nationality=values.get("nationality") or "",
        home_district=values.get("home_district"), phones=[values["phone"]] if values.get("phone") else [],
        aliases=[_other_name(values)] if _other_name(values) else [], in_memory=in_memory,
    )  # fmt: skip
    case = case_open(
        actor=ctx.actor, survivor=survivor, district=values.get("district"),
        identified_at=_at(day, None) if day else timezone.now(), organisation=ctx.organisation,
        age_at_identification=age, exploitation_country=values.get("exploitation_country") or "",
        recruitment_place=values.get("recruitment_place") or "", summary=values.get("summary") or "",
    )  # fmt: skip
    return {"number": case.number, "person": str(survivor.public_id)}


WRITERS: dict[str, Callable[[Context, dict[str, Any]], dict[str, str]]] = {
    Kind.INTERCEPTIONS: write_interception,
    Kind.MISSING_REPORTS: write_missing_report,
    Kind.CASES: write_case,
}


@dataclass(frozen=True)
class Bulk:
    """A kind whose rows can be checked one by one and written a chunk at a time: `build` checks a row as its
    service does and returns a draft, writing nothing (ValidationError as the service raises it); `write`
    writes a chunk's drafts in a few bulk inserts and returns each row's number and person."""

    build: Callable[[Context, dict[str, Any]], Any]
    write: Callable[[Context, list[Any]], list[dict[str, str]]]


# Kinds without an entry are written row by row through WRITERS (a case opens its SOP, deadlines and tasks).
BULK: dict[str, Bulk] = {
    Kind.INTERCEPTIONS: Bulk(build_interception, write_interceptions),
    Kind.MISSING_REPORTS: Bulk(build_missing_report, write_missing_reports),
}

# The permission each kind's service asks for: checked once before a run, so that a refusal is one clear
# line in the report rather than the same refusal on every row.
NEEDS: dict[str, tuple[Permission, ...]] = {
    Kind.INTERCEPTIONS: (Permission.INTERCEPTION_RECORD, Permission.PERSON_CREATE),
    Kind.MISSING_REPORTS: (Permission.TRACING_RECORD, Permission.PERSON_CREATE),
    Kind.CASES: (Permission.CASE_OPEN, Permission.PERSON_CREATE),
}

# The services' field names where they differ from the sheet's fields (their errors are keyed by them).
SERVICE_FIELDS = {
    "intercepted_at": "intercepted_on", "persons": "full_name", "age_years": "age", "age_estimate": "age",
    "age_at_identification": "age", "identified_at": "identified_on", "location_district": "district",
    "phones": "phone", "other_name": "name_ne", "aliases": "name_ne", "survivor": "full_name",
}  # fmt: skip


def person_record(number: int, values: dict[str, Any], today: dt.date) -> dict[str, str]:
    """The row's person in the matcher's columns (setu.tracing.linkage.features.COLUMNS)."""
    record = {"record_id": str(number), "full_name": _name(values), "sex": values.get("gender") or "",
              "home_country": values.get("nationality") or "", "phone": values.get("phone") or "",
              "father_name": values.get("father_name") or "",
              "mother_name": values.get("mother_name") or ""}  # fmt: skip
    district = values.get("home_district")
    record["home_district"] = district.name_en if district is not None else ""
    if values.get("birth_date"):
        record["birth_date"] = values["birth_date"].isoformat()
    elif values.get("age") is not None:
        on = values.get("intercepted_on") or values.get("last_seen_on") or values.get("identified_on") or today
        record["age"], record["recorded_on"] = str(values["age"]), on.isoformat()
    return record
