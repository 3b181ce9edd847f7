"""Missing-person reports for tests: `entry(...)` builds what a form gives the service (valid by default);
`make_report(...)` writes a report straight to the database (no audit event), for tests that need reports in
place. The services' own tests go through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Organisation, User
from setu.accounts.tests.factories import UserFactory
from setu.core.enums import Gender
from setu.core.ids import numbers_taken
from setu.geo.models import District
from setu.people.models import Person
from setu.people.tests.factories import PersonFactory
from setu.tracing.models import MissingReport, MissingReportCounter
from setu.tracing.services import MissingPersonEntry, ReportEntry, _number


def person_entry(**values: Any) -> MissingPersonEntry:
    """A new missing person as her family describes her: a girl of 15 from Morang."""
    defaults: dict[str, Any] = {"full_name": "सीता तामाङ", "other_name": "Sita Tamang", "gender": Gender.FEMININE,
                                "age": 15, "nationality": "NP", "father_name": "राम तामाङ",
                                "mother_name": "माया तामाङ"}  # fmt: skip
    return MissingPersonEntry(**{**defaults, **values})


def entry(*, person: MissingPersonEntry | None = None, **values: Any) -> ReportEntry:
    """A valid report: her mother reports her missing today, last seen two days ago at the bus park."""
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "reporter_name": "Maya Tamang", "reporter_relation": "mother", "reporter_phone": "9800012345",
        "reported_on": today, "last_seen_on": today - dt.timedelta(days=2), "last_seen_place": "Biratnagar bus park",
        "circumstances": "Left for school and did not come back; a new friend had offered her a job in Kathmandu.",
        "reference_kind": "ncrc_104", "reference": "104-2026-0042",
    }  # fmt: skip
    return ReportEntry(person=person or person_entry(), **{**defaults, **values})


def make_report(
    *, organisation: Organisation, person: Person | None = None, last_seen_district: District | None = None,
    created_by: User | None = None, reported_on: dt.date | None = None, **values: Any,
) -> MissingReport:  # fmt: skip
    """A report saved directly, numbered from the node's counter like the service numbers them."""
    reported_on = reported_on or timezone.localdate()
    if person is None:
        person = PersonFactory(full_name="Kamala Thapa", organisation=organisation,
                               location_district=last_seen_district or organisation.districts.first())  # fmt: skip
    defaults: dict[str, Any] = {"reporter_name": "Her father", "reporter_relation": "father",
                                "last_seen_on": reported_on - dt.timedelta(days=1)}  # fmt: skip
    with transaction.atomic():
        taken = numbers_taken(MissingReportCounter, year=reported_on.year)
        return MissingReport.objects.create(
            number=_number(reported_on.year, taken), organisation=organisation, person=person,
            last_seen_district=last_seen_district, reported_on=reported_on,
            created_by=created_by or UserFactory(), **{**defaults, **values},
        )  # fmt: skip
