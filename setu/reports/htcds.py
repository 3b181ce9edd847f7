"""The HTCDS v2.0 case export (reference/domain.md §5.1): one record per case, the field names and values of
the standard, the fields Setu does not record left blank. The field list and where each value comes from are
in data/htcds_fields.yaml (and docs/exports.md); this module computes the values.

Reads only: the views (setu.reports.views_exports) check EXPORT_BULK, scope the cases to the user's CASE_VIEW
grant and audit the export. Cases are read in chunks with their related records prefetched per chunk, so a
node's whole caseload streams without sitting in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation

from setu.cases import choices
from setu.cases.models import Case, Decision, Transfer
from setu.core.dates import age_on
from setu.people.models import BirthPrecision, Nationality, PhoneNumber

FIELDS_FILE = Path(__file__).parent / "data" / "htcds_fields.yaml"
ROW_GROUPS = ("case", "person", "victim", "organisation")  # the flat record (a CSV row)
LIST_GROUPS = {"historic_trafficking_events": "hte_", "perpetrators": "per_", "support_plans": "spl_"}
CHUNK = 500  # cases read (and prefetched) at a time
MULTI_SEPARATOR = ";"  # a multi-valued field in one CSV cell

# ISO 639-2 codes for the languages Setu records (ISO 639-1, or 639-3 where there is no 639-1). Tamang, Limbu
# and Magar have no 639-2 code of their own: the collective "sit" (Sino-Tibetan); Tharu: "inc" (Indic).
ISO_639_2 = {"ne": "nep", "hi": "hin", "mai": "mai", "bho": "bho", "taj": "sit", "new": "new", "thl": "inc",
             "lif": "sit", "mgp": "sit", "bn": "ben", "ur": "urd", "en": "eng"}  # fmt: skip


@cache
def field_spec() -> dict[str, list[dict[str, Any]]]:
    """The groups of data/htcds_fields.yaml: each a list of {name, core, source}."""
    with FIELDS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def row_fields() -> list[str]:
    """The flat record's field names, in order: the CSV header."""
    spec = field_spec()
    return [field["name"] for group in ROW_GROUPS for field in spec[group]]


def list_fields(group: str) -> list[str]:
    return [field["name"] for field in field_spec()[group]]


def mapped_fields() -> set[str]:
    """The fields Setu fills (a source in the field list); the others are blank."""
    return {field["name"] for fields in field_spec().values() for field in fields if field["source"]}


def export_queryset(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` with what the export reads, fetched per chunk (prefetches work with iterator(chunk_size))."""
    victim_determinations = Decision.objects.filter(kind=choices.DecisionKind.VICTIM_DETERMINATION).order_by(
        "-decided_on", "-id"
    )
    return (
        cases.select_related(
            "survivor", "survivor__home_district__province", "survivor__home_local_level", "organisation", "owner",
            "recruitment_district",
        )
        .prefetch_related(
            "survivor__phones", "survivor__documents", "trafficking_events__district", "support_plans",
            Prefetch("related_persons", to_attr="export_related"),
            Prefetch("decisions", queryset=victim_determinations, to_attr="export_determinations"),
            Prefetch("transfers", queryset=Transfer.objects.select_related(
                "from_organisation", "to_organisation", "requested_by").order_by("-created_at", "-id"),
                to_attr="export_transfers"),
        )
        .order_by("identified_at", "id")
    )  # fmt: skip


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def _place(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def _birthdate(case: Case) -> str:
    person = case.survivor
    if person.birth_date is None:
        return ""
    if person.birth_precision == BirthPrecision.EXACT:
        return person.birth_date.isoformat()
    if person.birth_precision == BirthPrecision.YEAR:
        return str(person.birth_date.year)
    return ""  # an estimated age is not a birth date


def _age_when_trafficked(case: Case) -> int | str:
    person = case.survivor
    recruited = [event.date for event in case.trafficking_events.all()
                 if event.kind == choices.EventType.RECRUITMENT and event.date]  # fmt: skip
    if person.birth_precision != BirthPrecision.EXACT or person.birth_date is None or not recruited:
        return ""
    return age_on(person.birth_date, min(recruited))


def _phone(case: Case, kind: str) -> str:
    numbers = [phone.number for phone in case.survivor.phones.all() if phone.kind == kind]
    return numbers[0] if numbers else ""


def _language(case: Case, index: int) -> str:
    languages = case.survivor.languages or []
    return ISO_639_2.get(languages[index], "") if len(languages) > index else ""


def _prefetched(case: Case, name: str) -> list:
    """A list `export_queryset` prefetched onto the case (to_attr)."""
    return getattr(case, name)


def _incoming(case: Case) -> Transfer | None:
    """The transfer by which the organisation in charge received the case (HTCDS's incoming referral)."""
    accepted = Transfer.State.ACCEPTED
    transfers = _prefetched(case, "export_transfers")
    return next((t for t in transfers if t.state == accepted and t.to_organisation_id == case.organisation_id), None)


def _outgoing(case: Case) -> Transfer | None:
    """A transfer offered and not yet answered: the organisation in charge is referring the case on."""
    return next((t for t in _prefetched(case, "export_transfers") if t.state == Transfer.State.PENDING), None)


def _status(case: Case) -> str:
    # HTCDS has no "on hold": a case waiting (for a court, say) is still an active case.
    return choices.CaseStatus.ACTIVE.value if case.status == choices.CaseStatus.ON_HOLD else case.status


def _closure(case: Case) -> str:
    if not case.closure_reason:
        return ""
    with translation.override("en"):
        return str(choices.ClosureReason(case.closure_reason).label)


def _street(case: Case) -> str:
    person = case.survivor
    ward = f"ward {person.home_ward}" if person.home_ward else ""
    return _place(person.home_address, ward)


def _decision_org(case: Case) -> str:
    determinations = _prefetched(case, "export_determinations")
    return determinations[0].decision_org_type if determinations else ""


Getter = Callable[[Case], Any]

# Every mapped field of the flat record, by HTCDS name (the others of data/htcds_fields.yaml are blank).
GETTERS: dict[str, Getter] = {
    "setu_CaseNumber": lambda c: c.number,
    "cas_Status": _status,
    "cas_ReasonForCaseClosure": _closure,
    "cas_CaseOwner": lambda c: _person_name(c.owner),
    "cas_ReferringOrganisation": lambda c: (t := _incoming(c)) and t.from_organisation.name_en or "",
    "cas_IncomingReferralDate": lambda c: (t := _incoming(c)) and _date(t.answered_at) or "",
    "cas_ReferringPrimaryCaseWorker": lambda c: (t := _incoming(c)) and _person_name(t.requested_by) or "",
    "cas_IncomingReferralDetails": lambda c: (t := _incoming(c)) and t.reason or "",
    "cas_ReferredOrganisation": lambda c: (t := _outgoing(c)) and t.to_organisation.name_en or "",
    "cas_OutgoingReferralDate": lambda c: (t := _outgoing(c)) and _date(t.created_at) or "",
    "cas_OutgoingReferralDetails": lambda c: (t := _outgoing(c)) and t.reason or "",
    "prs_FirstName": lambda c: c.survivor.given_name or c.survivor.full_name,
    "prs_MiddleName": lambda c: c.survivor.other_names,
    "prs_SecondName": lambda c: c.survivor.family_name,
    "prs_Birthdate": _birthdate,
    "prs_Gender": lambda c: c.survivor.gender,
    "prs_Deceased": lambda c: True if c.closure_reason == choices.ClosureReason.DECEASED else "",
    "prs_PrimaryLanguage": lambda c: _language(c, 0),
    "prs_SecondaryLanguage": lambda c: _language(c, 1),
    "prs_Citizenship": lambda c: [] if c.survivor.nationality in ("", Nationality.OTHER) else [c.survivor.nationality],
    "prs_IdentityNumber": lambda c: next((d.number for d in c.survivor.documents.all()), ""),
    "prs_HomePhone": lambda c: _phone(c, PhoneNumber.Kind.HOME),
    "prs_MobilePhone": lambda c: _phone(c, PhoneNumber.Kind.MOBILE),
    "prs_MailingCity": lambda c: c.survivor.home_local_level.name_en if c.survivor.home_local_level else "",
    "prs_MailingCountry": lambda c: c.survivor.home_district.province.country if c.survivor.home_district else "",
    "prs_MailingState": lambda c: c.survivor.home_district.name_en if c.survivor.home_district else "",
    "prs_MailingStreet": _street,
    "vic_TraffickingStatus": lambda c: c.trafficking_status,
    "vic_TraffickingStatusDecisionMakingOrg": _decision_org,
    "vic_AgeWhenTrafficked": _age_when_trafficked,
    "vic_LocationOfRecruitment": lambda c: _place(
        c.recruitment_place, c.recruitment_district.name_en if c.recruitment_district else ""
    ),
    "vic_MethodsOfControl": lambda c: list(c.control_methods or []),
    "vic_TypeOfExploitation": lambda c: list(c.exploitation_types or []),
    "vic_LocationOfExploitation": lambda c: _place(c.exploitation_place, c.exploitation_country),
    "org_Name": lambda c: c.organisation.name_en,
    "org_ShippingCountry": lambda c: c.organisation.country,
    "org_ShippingStreet": lambda c: c.organisation.address,
    "org_Phone": lambda c: c.organisation.phone,
    "org_Type": lambda c: c.organisation.org_type,
}


def _events(case: Case) -> list[dict[str, Any]]:
    return [
        {"hte_Type": e.kind, "hte_Date": _date(e.date), "hte_City": e.place,
         "hte_State": e.district.name_en if e.district else "", "hte_Country": e.country, "hte_Street": "",
         "hte_PostalCode": "", "hte_Longitude": "", "hte_Latitude": "", "hte_Description": e.description}
        for e in case.trafficking_events.all()
    ]  # fmt: skip


def _perpetrators(case: Case) -> list[dict[str, Any]]:
    # Their roles only: a suspect's name stays in the case (and in setu.legal's prosecutions).
    return [{"per_RoleInProcess": list(link.perpetrator_roles or []), "per_RoleDetails": link.details}
            for link in _prefetched(case, "export_related") if link.role == choices.RelatedRole.SUSPECT]  # fmt: skip


def _plans(case: Case) -> list[dict[str, Any]]:
    return [{"spl_Type": p.plan_type, "spl_Objectives": p.objectives, "spl_ActionPlan": p.action_plan,
             "spl_PlannedEndDate": _date(p.planned_end), "spl_ActualEndDate": _date(p.actual_end)}
            for p in case.support_plans.all()]  # fmt: skip


def record(case: Case) -> dict[str, Any]:
    """The case's flat HTCDS record: every field of `row_fields()`, blank ("") where Setu has no value;
    a multi-valued field (prs_Citizenship, vic_MethodsOfControl, vic_TypeOfExploitation) as a list."""
    return {name: GETTERS[name](case) if name in GETTERS else "" for name in row_fields()}


def json_record(case: Case) -> dict[str, Any]:
    """The flat record and the case's repeating records, as lists under their group names."""
    return {**record(case), "historic_trafficking_events": _events(case), "perpetrators": _perpetrators(case),
            "support_plans": _plans(case)}  # fmt: skip


def csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(item) for item in value)
    return value


def csv_row(case: Case) -> list[Any]:
    values = record(case)
    return [csv_cell(values[name]) for name in row_fields()]


def iterate(cases: QuerySet[Case]) -> Iterator[Case]:
    """The cases, `CHUNK` at a time, with the export's relations."""
    return export_queryset(cases).iterator(chunk_size=CHUNK)


def csv_rows(cases: QuerySet[Case]) -> Iterable[list[Any]]:
    return (csv_row(case) for case in iterate(cases))
