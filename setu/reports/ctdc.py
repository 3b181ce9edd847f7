"""The CTDC-compatible extract: one row per survivor case, in the CTDC Global Dataset's k-anonymised columns,
with k = 11 and -99 for a missing or suppressed value (reference/domain.md §5.2), mapped from the HTCDS values
the cases hold (§5.1). Who may download it: `statistics.export` at node scope (docs/statistics.md).

Which cases: those with a live consent (or recorded legal basis) for statistics and research
(`ConsentPurpose.STATISTICS`). The extract is record-level and meant for research outside the node, so a
survivor who did not agree, or withdrew, is not in it at all, not even generalised.

The quasi-identifiers are CTDC's (§5.2 "Export design"): gender, ageBroad (and majorityStatus, which ageBroad
gives away), citizenship, CountryOfExploitation, yearOfRegistration and the type of exploitation. They are
given up in this order when a row's group is smaller than k: citizenship, CountryOfExploitation, ageBroad,
majorityStatus, the type of exploitation (with its is* flags), yearOfRegistration, gender; a row whose group is
still smaller than k is left out. Everything else (means of control) is not a quasi-identifier: it is what
the data set is for, and it is published as 0/1 or -99."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import timezone

from setu.core.spreadsheet import csv_text
from setu.reports.kanon import MISSING, K, RecordReport, kanonymise_records

AGE_BANDS = (  # CTDC ageBroad, (low, high, label)
    (0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"), (24, 26, "24--26"),
    (27, 29, "27--29"), (30, 38, "30--38"), (39, 47, "39--47"), (48, 200, "48+"),
)  # fmt: skip

# CTDC meansOfControl columns <- the HTCDS vic_MethodsOfControl values each one covers (§5.3: one to one,
# except that HTCDS splits threats into physical threats and threats to children or family).
MEANS_OF_CONTROL = {
    "DebtBondage": ("DebtBondage",),
    "TakesEarnings": ("TakesEarnings",),
    "RestrictsFinancialAccess": ("RestrictsFinancialAccess",),
    "Threats": ("PhysicalThreats", "ThreatensChildrenFamily"),
    "PsychologicalAbuse": ("PsychologicalAbuse",),
    "PhysicalAbuse": ("PhysicalAbuse",),
    "SexualAbuse": ("SexualAbuse",),
    "FalsePromises": ("FalsePromises",),
    "PsychoactiveSubstances": ("PsychoactiveSubstance",),
    "RestrictsMovement": (),
    "RestrictsMedicalCare": ("RestrictsMedicalCare",),
    "ExcessiveWorkingHours": ("ExcessiveWorkingHours",),
    "UsesChildren": (),
    "ThreatOfLawEnforcement": ("ThreatsLawEnforcement",),
    "WithholdsNecessities": ("WithholdsNecessities",),
    "WithholdsDocuments": ("WithholdsDocuments",),
    "Other": ("Other",),
}
# CTDC is* exploitation flags <- HTCDS vic_TypeOfExploitation values.
EXPLOITATION_FLAGS = {
    "isForcedLabour": ("ForcedLabour", "ChildLabour", "ForcedBegging"),
    "isSexualExploit": ("SexualExploitation",),
    "isOtherExploit": ("ForcedAdoption", "Surrogacy", "Other"),
    "isForcedMarriage": ("ForcedMarriage",),
    "isForcedMilitary": ("ForcedMilitaryByNonStateActors",),
    "isOrganRemoval": ("OrganRemoval",),
    "isSlaveryAndPractices": ("Servitude",),
}
TYPE_NAMES = {  # the wording of CTDC's typeOfExploitConcatenated
    "isForcedLabour": "Forced labour", "isSexualExploit": "Sexual exploitation", "isOtherExploit": "Other",
    "isForcedMarriage": "Forced marriage", "isForcedMilitary": "Forced military", "isOrganRemoval": "Organ removal",
    "isSlaveryAndPractices": "Slavery and similar practices",
}  # fmt: skip
LABOUR_TYPES = ("Agriculture", "Aquafarming", "Begging", "Construction", "DomesticWork", "Hospitality",
                "IllicitActivities", "Manufacturing", "MiningOrDrilling", "Peddling", "Transportation", "Other",
                "NotSpecified")  # fmt: skip
SEX_TYPES = ("Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices")
RECRUITER_RELATIONS = ("IntimatePartner", "Friend", "Family", "Other", "Unknown")

# The CTDC k-anonymised data set's columns (2020), in its order (reference/domain.md §5.2).
COLUMNS: tuple[str, ...] = (
    "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "majorityStatusAtExploit",
    "majorityEntry", "citizenship",
    *(f"meansOfControl{name}" for name in MEANS_OF_CONTROL), "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage", "isForcedMilitary",
    "isOrganRemoval", "isSlaveryAndPractices", "typeOfExploitConcatenated",
    *(f"typeOfLabour{name}" for name in LABOUR_TYPES), "typeOfLabourConcatenated",
    *(f"typeOfSex{name}" for name in SEX_TYPES), "typeOfSexConcatenated",
    "isAbduction", "RecruiterRelationship", "CountryOfExploitation",
    *(f"recruiterRelation{name}" for name in RECRUITER_RELATIONS),
)  # fmt: skip

QUASI_IDENTIFIERS = (
    ("citizenship",), ("CountryOfExploitation",), ("ageBroad",), ("majorityStatus", "majorityStatusAtExploit"),
    ("typeOfExploitConcatenated",), ("yearOfRegistration",), ("gender",),
)  # fmt: skip
# Suppressed with the concatenated type, which they would give back.
LINKED = {"typeOfExploitConcatenated": (*EXPLOITATION_FLAGS, "isSexAndLabour")}
_OTHER_GENDER = "Transgender/NonConforming"
GENDERS = {"Feminine": "Female", "Masculine": "Male", "TransgenderFeminine": _OTHER_GENDER,
           "TransgenderMasculine": _OTHER_GENDER, "NonConforming": _OTHER_GENDER}  # fmt: skip


def age_broad(age: int | None) -> str | int:
    if age is None:
        return MISSING
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def ctdc_row(
    *,
    year: int,
    gender: str,
    age: int | None,
    is_minor: bool | None,
    citizenship: str,
    exploitation_country: str,
    exploitation_types: Iterable[str],
    control_methods: Iterable[str],
) -> dict:
    """One case in CTDC's columns. Values the node does not record are -99, never guessed."""  # fmt: skip
    row: dict = dict.fromkeys(COLUMNS, MISSING)
    types, methods = set(exploitation_types), set(control_methods)
    majority = MISSING if is_minor is None else ("Minor" if is_minor else "Adult")
    row.update(yearOfRegistration=year, Datasource="Case Management", gender=GENDERS.get(gender, MISSING),
               ageBroad=age_broad(age), majorityStatus=majority, majorityStatusAtExploit=majority,
               citizenship=citizenship or MISSING, CountryOfExploitation=exploitation_country or MISSING)  # fmt: skip
    if methods:
        for name, sources in MEANS_OF_CONTROL.items():
            row[f"meansOfControl{name}"] = int(bool(methods & set(sources))) if sources else MISSING
        row["meansOfControlNotSpecified"] = 0
        row["meansOfControlConcatenated"] = ";".join(
            name for name, sources in MEANS_OF_CONTROL.items() if methods & set(sources)
        )
    else:
        row["meansOfControlNotSpecified"] = 1
    if types:
        for flag, sources in EXPLOITATION_FLAGS.items():
            row[flag] = int(bool(types & set(sources)))
        row["isSexAndLabour"] = int(bool(row["isForcedLabour"] and row["isSexualExploit"]))
        row["typeOfExploitConcatenated"] = ";".join(TYPE_NAMES[flag] for flag in EXPLOITATION_FLAGS if row[flag])
        if "ForcedBegging" in types:
            row["typeOfLabourBegging"] = 1
    return row


def extract_rows(*, year: int | None = None) -> list[dict]:
    """CTDC rows for the cases with a live statistics consent (all years, or one), before k-anonymisation."""
    from setu.cases.choices import ConsentPurpose
    from setu.cases.models import Case, Consent

    consented = Consent.objects.filter(case=OuterRef("pk"), purpose=ConsentPurpose.STATISTICS,
                                       withdrawn_at__isnull=True)  # fmt: skip
    cases = Case.objects.filter(Exists(consented))
    if year is not None:
        cases = cases.filter(identified_at__year=year)
    rows = []
    for case in cases.select_related("survivor").order_by("identified_at", "id").iterator():
        rows.append(ctdc_row(year=timezone.localtime(case.identified_at).year, gender=case.survivor.gender,
                             age=case.age_at_identification, is_minor=case.is_minor,
                             citizenship=case.survivor.nationality, exploitation_country=case.exploitation_country,
                             exploitation_types=case.exploitation_types,
                             control_methods=case.control_methods))  # fmt: skip
    return rows


def extract(*, year: int | None = None, k: int = K) -> tuple[list[dict], RecordReport]:
    """The k-anonymised extract (rows in a stable order) and the report of what was suppressed."""
    rows, report = kanonymise_records(extract_rows(year=year), quasi_identifiers=QUASI_IDENTIFIERS, k=k,
                                      linked=LINKED)  # fmt: skip
    rows.sort(key=lambda row: tuple(str(row[column]) for column in COLUMNS))  # the cases' order would be a clue
    return rows, report


def to_csv(rows: list[dict]) -> str:
    """The extract as CSV, CTDC's column names as its header (through setu.core.spreadsheet: numbers, -99
    included, stay numbers; text that a spreadsheet would read as a formula is quoted)."""
    return csv_text(COLUMNS, ([row[column] for column in COLUMNS] for row in rows))


def report_csv(report: RecordReport) -> str:
    """The suppression report, as CSV: one line per measure."""
    lines: list[list[object]] = [
        ["k", "", report.k], ["rows_with_consent", "", report.rows_in], ["rows_published", "", report.rows_out],
        ["rows_dropped", "", report.rows_dropped], ["smallest_group", "", report.smallest_group],
    ]  # fmt: skip
    lines += [["values_suppressed", column, count] for column, count in report.values_suppressed.items()]
    return csv_text(["measure", "column", "value"], lines)
