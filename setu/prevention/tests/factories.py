"""Prevention records written straight to the database (no audit event), for tests that need them in place:
the services' own tests go through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from setu.accounts.models import Organisation, User
from setu.accounts.tests.factories import UserFactory
from setu.geo.models import District, LocalLevel
from setu.prevention.models import AwarenessActivity, VigilanceReport


def local_level(name: str, *, district: District, wards: int | None = 19,
                kind: str = LocalLevel.Kind.MUNICIPALITY) -> LocalLevel:  # fmt: skip
    return LocalLevel.objects.get_or_create(district=district, name_en=name,
                                            defaults={"kind": kind, "ward_count": wards})[0]  # fmt: skip


def _author(created_by: User | None) -> User:
    return created_by or UserFactory()


def make_activity(
    *, organisation: Organisation, local_level: LocalLevel, ward: int = 1, held_on: dt.date | None = None,
    created_by: User | None = None, **values: Any,
) -> AwarenessActivity:  # fmt: skip
    """An activity held in `local_level` (and its district); by default 10 women reached, on safe migration."""
    values = {"audience": "community", "topics": ["safe_migration"], "female_adult": 10, **values}
    return AwarenessActivity.objects.create(
        organisation=organisation, district_id=local_level.district_id, local_level=local_level, ward=ward,
        held_on=held_on or timezone.localdate(), created_by=_author(created_by), **values,
    )  # fmt: skip


def make_report(
    *, organisation: Organisation, local_level: LocalLevel, ward: int = 1, reported_on: dt.date | None = None,
    created_by: User | None = None, **values: Any,
) -> VigilanceReport:  # fmt: skip
    values = {"reporter": "Ward vigilance committee", "kind": "fake_job", "seen": "A man offering jobs abroad.",
              **values}  # fmt: skip
    return VigilanceReport.objects.create(
        organisation=organisation, district_id=local_level.district_id, local_level=local_level, ward=ward,
        reported_on=reported_on or timezone.localdate(), created_by=_author(created_by), **values,
    )  # fmt: skip
