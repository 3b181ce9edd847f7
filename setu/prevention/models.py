"""Prevention by local governments and NGOs: awareness activities held in a ward, and community vigilance
reports from a ward.

Both are placed on the gazetteer (district → local level → ward) and owned by the organisation that ran the
activity or took the report. Models hold data rules only; writes go through `setu.prevention.services`,
reads through `selectors`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.models import PublicIdModel
from setu.prevention.summary import REACHED_FIELDS

# Nepal's local levels have 5 to 33 wards (reference/domain.md §6): the bound when a local level's
# ward count is not in the gazetteer.
MAX_WARDS = 33
# More people than this in one sex × age band of one session is a typing slip, not a rally.
MAX_REACHED = 100_000


class Audience(models.TextChoices):
    STUDENTS = "students", _("Students")
    PARENTS = "parents", _("Parents and guardians")
    COMMUNITY = "community", _("Community members")
    MIGRANTS = "migrants", _("Migrants and job seekers")
    TRANSPORT_WORKERS = "transport_workers", _("Transport workers (bus, jeep, rickshaw)")
    HOTEL_OWNERS = "hotel_owners", _("Hotel and lodge owners")
    LOCAL_OFFICIALS = "local_officials", _("Local officials and ward members")
    OTHER = "other", _("Other audience")


class Topic(models.TextChoices):
    """What a session covered: a maintained list (an activity stores the values it covered)."""

    SAFE_MIGRATION = "safe_migration", _("Safe migration")
    RED_FLAGS = "red_flags", _("Signs of trafficking (red flags)")
    FOREIGN_EMPLOYMENT = "foreign_employment", _("Foreign employment rules")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    ONLINE_RECRUITMENT = "online_recruitment", _("Online recruitment and social media")
    HOTLINES = "hotlines", _("Hotlines: 104 missing children (NCRC), 1145 women's helpline, 100 police")
    VICTIMS_RIGHTS = "victims_rights", _("Victims' rights and compensation")
    OTHER = "other", _("Other topic")


class VigilanceKind(models.TextChoices):
    SUSPICIOUS_RECRUITER = "suspicious_recruiter", _("Suspicious recruiter or broker")
    CHILD_TRAVEL = "child_travel", _("Suspicious travel of a girl or child")
    MISSING_PERSON = "missing_person", _("Missing person heard of")
    FAKE_JOB = "fake_job", _("Fake job offer")
    OTHER = "other", _("Something else")


class FollowUp(models.TextChoices):
    NONE = "none", _("No follow-up yet")
    POLICE = "police", _("Passed to the police")
    BORDER_MONITORS = "border_monitors", _("Passed to border monitors")
    FAMILY_COUNSELLED = "family_counselled", _("Family counselled")
    OTHER = "other", _("Other follow-up")


REACHED_LABELS = {
    "female_under_18": _("Girls (under 18)"),
    "female_adult": _("Women (18 and over)"),
    "male_under_18": _("Boys (under 18)"),
    "male_adult": _("Men (18 and over)"),
    "other_under_18": _("Other gender, under 18"),
    "other_adult": _("Other gender, 18 and over"),
}


def _today() -> dt.date:
    return timezone.localdate()


class WardRecord(PublicIdModel):
    """What both records share: the owning organisation, the place down to the ward, who wrote it."""

    date_field = ""  # the concrete model's date: no later than today

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"),
        error_messages={"null": _("Choose the district.")},
    )  # fmt: skip
    local_level = models.ForeignKey(
        "geo.LocalLevel", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("municipality / rural municipality"),
        error_messages={"null": _("Choose the municipality or rural municipality.")},
    )  # fmt: skip
    ward = models.PositiveSmallIntegerField(_("ward"), error_messages={"null": _("Enter the ward number.")})
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict[str, list] = {}
        self.clean_place(errors)
        self.clean_date(errors)
        self.clean_record(errors)
        if errors:
            raise ValidationError(errors)

    def clean_record(self, errors: dict[str, list]) -> None:
        """The concrete model's own rules, added to `errors`."""

    def clean_place(self, errors: dict[str, list]) -> None:
        """The local level lies in the district; the ward in 1..the local level's ward count."""
        local_level = self.local_level if self.local_level_id is not None else None
        if local_level is not None and self.district_id is not None and local_level.district_id != self.district_id:
            errors.setdefault("local_level", []).append(
                _("%(place)s is not in the district chosen.") % {"place": local_level.name}
            )
        if self.ward is None:
            return
        count = (local_level.ward_count if local_level is not None else None) or MAX_WARDS
        if self.ward < 1 or self.ward > count:
            message = (
                _("%(place)s has wards 1 to %(count)s.") % {"place": local_level.name, "count": count}
                if local_level is not None and local_level.ward_count
                else _("Ward numbers run from 1 to %(count)s.") % {"count": count}
            )
            errors.setdefault("ward", []).append(message)

    def clean_date(self, errors: dict[str, list]) -> None:
        value = getattr(self, self.date_field)
        if value is not None and value > _today():
            errors.setdefault(self.date_field, []).append(_("The date cannot be in the future."))


def _reached(name: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(REACHED_LABELS[name], default=0, validators=[MaxValueValidator(MAX_REACHED)])


class AwarenessActivity(WardRecord):
    """One awareness session (a school talk, a ward meeting, a street drama): where, when, for whom, how many
    people it reached by sex and age band, what it covered and with whom."""

    date_field = "held_on"

    held_on = models.DateField(_("held on"), error_messages={"null": _("Enter the date of the activity.")})
    audience = models.CharField(
        _("audience"), max_length=24, choices=Audience.choices, error_messages={"blank": _("Choose the audience.")}
    )
    female_under_18 = _reached("female_under_18")
    female_adult = _reached("female_adult")
    male_under_18 = _reached("male_under_18")
    male_adult = _reached("male_adult")
    other_under_18 = _reached("other_under_18")
    other_adult = _reached("other_adult")
    topics = models.JSONField(_("topics"), default=list, blank=True)  # Topic values, in Topic's order
    partner_organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    # Bodies that are not organisations on this node: a school, a youth club, a mothers' group.
    partners_other = models.CharField(_("other partners"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("awareness activity")
        verbose_name_plural = _("awareness activities")
        indexes = [
            models.Index(fields=["district", "held_on"], name="prevention_activity_district"),
            models.Index(fields=["organisation", "held_on"], name="prevention_activity_org"),
            models.Index(fields=["local_level", "ward", "held_on"], name="prevention_activity_ward"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ward__gte=1), name="prevention_activity_ward_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()}, {self.held_on:%Y-%m-%d}"

    def clean_record(self, errors: dict[str, list]) -> None:
        if self.total == 0:
            errors.setdefault("reached", []).append(_("Enter how many people the activity reached."))
        topics = self.topics if isinstance(self.topics, list) else None
        if topics is None or any(topic not in Topic.values for topic in topics):
            errors.setdefault("topics", []).append(_("Choose the topics from the list."))
        elif not topics:
            errors.setdefault("topics", []).append(_("Choose at least one topic."))

    @property
    def total(self) -> int:
        """Everyone reached, all sexes and ages."""
        return sum(getattr(self, name) or 0 for name in REACHED_FIELDS)

    @property
    def reached(self) -> list[tuple[str, int]]:
        """(label, count) per sex × age band, in the order shown."""
        return [(str(REACHED_LABELS[name]), getattr(self, name)) for name in REACHED_FIELDS]

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic(topic).label) for topic in self.topics if topic in Topic.values]


class VigilanceReport(WardRecord):
    """What a community vigilance (surveillance) committee saw in its ward and what was done about it.

    No names: the report says what was seen; the people concerned are for the police or the border
    monitors it was passed to."""

    date_field = "reported_on"

    reported_on = models.DateField(_("reported on"), error_messages={"null": _("Enter the date of the report.")})
    reporter = models.CharField(
        _("reported by (committee)"), max_length=200, error_messages={"blank": _("Enter who reported it.")},
        help_text=_("The vigilance committee or group, e.g. “Ward 5 community vigilance committee”."),
    )  # fmt: skip
    kind = models.CharField(
        _("what kind"), max_length=24, choices=VigilanceKind.choices,
        error_messages={"blank": _("Choose what kind of report it is.")},
    )  # fmt: skip
    seen = models.TextField(_("what was seen"), max_length=4000, error_messages={"blank": _("Describe what was seen.")})
    follow_up = models.CharField(_("follow-up"), max_length=24, choices=FollowUp.choices, default=FollowUp.NONE)
    follow_up_note = models.TextField(_("follow-up note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("vigilance report")
        verbose_name_plural = _("vigilance reports")
        indexes = [
            models.Index(fields=["district", "reported_on"], name="prevention_vigilance_district"),
            models.Index(fields=["organisation", "reported_on"], name="prevention_vigilance_org"),
            models.Index(fields=["local_level", "ward", "reported_on"], name="prevention_vigilance_ward"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ward__gte=1), name="prevention_vigilance_ward_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.reported_on:%Y-%m-%d}"

    def clean_record(self, errors: dict[str, list]) -> None:
        if self.follow_up == FollowUp.OTHER and not (self.follow_up_note or "").strip():
            errors.setdefault("follow_up_note", []).append(_("Say what the follow-up was."))
