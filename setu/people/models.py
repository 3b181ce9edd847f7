"""Persons: names as entered (Devanagari or Latin) with a computed Latin form and search keys, aliases,
birth date with its precision, nationality, home address on the gazetteer, identity documents, phones,
relations and photos. HTCDS v2.0 prs_ fields where HTCDS defines them (reference/domain.md §5.1).

Models hold data rules only. Writes go through `setu.people.services`, reads through `selectors`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.enums import DatePreference, Gender
from setu.core.models import PublicIdModel
from setu.people import rules

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
MAX_AGE_ESTIMATE = 120


class Script(models.TextChoices):
    """ISO 15924 code of the script a name is written in."""

    DEVANAGARI = rules.DEVANAGARI, _("Devanagari")
    LATIN = rules.LATIN, _("Latin")


class Nationality(models.TextChoices):
    """ISO 3166-1 alpha-2 codes of the nationalities met at this border; ZZ for any other."""

    NEPAL = "NP", _("Nepal")
    INDIA = "IN", _("India")
    BANGLADESH = "BD", _("Bangladesh")
    BHUTAN = "BT", _("Bhutan")
    MYANMAR = "MM", _("Myanmar")
    PAKISTAN = "PK", _("Pakistan")
    SRI_LANKA = "LK", _("Sri Lanka")
    CHINA = "CN", _("China")
    OTHER = "ZZ", _("Other country")


class Language(models.TextChoices):
    """ISO 639 codes (639-1 where it exists, else 639-3) of the languages most often spoken."""

    NEPALI = "ne", _("Nepali")
    HINDI = "hi", _("Hindi")
    MAITHILI = "mai", _("Maithili")
    BHOJPURI = "bho", _("Bhojpuri")
    TAMANG = "taj", _("Tamang")
    NEWAR = "new", _("Newar")
    THARU = "thl", _("Tharu")
    LIMBU = "lif", _("Limbu")
    MAGAR = "mgp", _("Magar")
    BENGALI = "bn", _("Bengali")
    URDU = "ur", _("Urdu")
    ENGLISH = "en", _("English")


class BirthPrecision(models.TextChoices):
    EXACT = "exact", _("Exact date known")
    YEAR = "year", _("Only the year is known")
    ESTIMATED = "estimated", _("Age estimated")
    UNKNOWN = "unknown", _("Not known")


def _today() -> dt.date:
    return timezone.localdate()


class Person(PublicIdModel):
    """A person the response deals with: survivor, intercepted traveller, missing person, relative."""

    # Names as entered, in their script; `name_latin` and `search_keys` are computed by the services.
    full_name = models.CharField(_("full name"), max_length=200)
    name_script = models.CharField(
        _("script"), max_length=4, choices=Script.choices, default=Script.LATIN, editable=False
    )
    given_name = models.CharField(_("given name"), max_length=100, blank=True)  # HTCDS prs_FirstName
    family_name = models.CharField(_("family name"), max_length=100, blank=True)  # HTCDS prs_SecondName
    other_names = models.CharField(_("other names"), max_length=200, blank=True)  # HTCDS prs_MiddleName
    name_latin = models.CharField(_("name in Latin letters"), max_length=400, blank=True, editable=False)
    # Space-separated keys over all names and aliases, in both scripts (setu.core.text.search_keys).
    search_keys = models.TextField(blank=True, editable=False)

    gender = models.CharField(_("sex / gender"), max_length=24, choices=Gender.choices, default=Gender.NOT_SPECIFIED)

    # Birth: stored in AD. A year-only date is the first day of that year in the calendar it was given in.
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_precision = models.CharField(
        _("how the birth date is known"), max_length=12, choices=BirthPrecision.choices,
        default=BirthPrecision.UNKNOWN,
    )  # fmt: skip
    birth_calendar = models.CharField(
        _("calendar the birth date was given in"), max_length=2, choices=DatePreference.choices, blank=True
    )
    age_estimate = models.PositiveSmallIntegerField(_("estimated age (years)"), null=True, blank=True)
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)

    nationality = models.CharField(_("nationality"), max_length=2, choices=Nationality.choices, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    # Who registered the person, and where the person is now: together they scope access.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="persons",
        verbose_name=_("registering organisation"),
    )  # fmt: skip
    location_district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="persons_located",
        verbose_name=_("district where the person is now"),
    )  # fmt: skip

    # Home address, linked to the gazetteer where it can be.
    home_district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("home district"),
    )  # fmt: skip
    home_local_level = models.ForeignKey(
        "geo.LocalLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("home municipality / rural municipality"),
    )  # fmt: skip
    home_ward = models.PositiveSmallIntegerField(_("home ward"), null=True, blank=True)
    home_address = models.CharField(_("home address (village, tole, landmark)"), max_length=300, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["-created_at", "-id"], name="people_person_recent")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(birth_precision=BirthPrecision.UNKNOWN, birth_date__isnull=True)
                    | Q(birth_precision__in=[BirthPrecision.EXACT, BirthPrecision.YEAR], birth_date__isnull=False)
                    | Q(birth_precision=BirthPrecision.ESTIMATED, birth_date__isnull=False)
                ),
                name="people_person_birth_date_matches_precision",
                violation_error_message=_("The date of birth does not match how it is known."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        birth_precision=BirthPrecision.ESTIMATED,
                        age_estimate__isnull=False,
                        age_estimated_on__isnull=False,
                    )
                    | (
                        ~Q(birth_precision=BirthPrecision.ESTIMATED)
                        & Q(age_estimate__isnull=True, age_estimated_on__isnull=True)
                    )
                ),
                name="people_person_age_estimate_only_when_estimated",
                violation_error_message=_("An estimated age needs the age and the date it was estimated on."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(age_estimate__isnull=True) | Q(age_estimate__lte=MAX_AGE_ESTIMATE),
                name="people_person_age_estimate_range",
                violation_error_message=_("An estimated age is at most 120 years."),
            ),
            models.CheckConstraint(
                condition=Q(home_ward__isnull=True) | Q(home_ward__gte=1, home_local_level__isnull=False),
                name="people_person_ward_needs_local_level",
                violation_error_message=_("A ward number needs its municipality or rural municipality."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        errors: dict[str, list] = {}
        today = _today()
        if self.full_name is not None and not self.full_name.strip():
            errors.setdefault("full_name", []).append(_("Enter the person's name."))
        if self.birth_date is not None and self.birth_date > today:
            errors.setdefault("birth_date", []).append(_("The date of birth cannot be in the future."))
        if self.birth_date is not None and self.birth_date < EARLIEST_BIRTH_DATE:
            errors.setdefault("birth_date", []).append(_("The date of birth is before 1900."))
        precision = self.birth_precision
        if precision in (BirthPrecision.EXACT, BirthPrecision.YEAR) and self.birth_date is None:
            errors.setdefault("birth_date", []).append(_("Enter the date of birth, or choose another precision."))
        if precision == BirthPrecision.UNKNOWN and self.birth_date is not None:
            errors.setdefault("birth_precision", []).append(_("Say how the date of birth is known."))
        if precision == BirthPrecision.ESTIMATED:
            if self.age_estimate is None:
                errors.setdefault("age_estimate", []).append(_("Enter the estimated age in years."))
            elif self.age_estimate > MAX_AGE_ESTIMATE:
                errors.setdefault("age_estimate", []).append(_("An estimated age is at most 120 years."))
            if self.age_estimated_on is None:
                errors.setdefault("age_estimated_on", []).append(_("Enter the date the age was estimated on."))
            elif self.age_estimated_on > today:
                errors.setdefault("age_estimated_on", []).append(_("The estimate cannot be dated in the future."))
            elif self.age_estimated_on < EARLIEST_BIRTH_DATE:
                errors.setdefault("age_estimated_on", []).append(_("The estimate cannot be dated before 1900."))
        elif self.age_estimate is not None or self.age_estimated_on is not None:
            errors.setdefault("age_estimate", []).append(_("An estimated age is only kept when the age is estimated."))
        languages = self.languages
        if languages is not None and (
            not isinstance(languages, list) or any(code not in Language.values for code in languages)
        ):
            errors.setdefault("languages", []).append(_("Choose languages from the list."))
        self._clean_home(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_home(self, errors: dict[str, list]) -> None:
        local_level = self.home_local_level
        district_id = self.home_district_id
        if local_level is not None and district_id is not None and local_level.district_id != district_id:
            errors.setdefault("home_local_level", []).append(_("This municipality is not in the home district chosen."))
        if self.home_ward is not None:
            if local_level is None:
                errors.setdefault("home_ward", []).append(
                    _("A ward number needs its municipality or rural municipality.")
                )
            elif self.home_ward < 1 or (local_level.ward_count and self.home_ward > local_level.ward_count):
                count = local_level.ward_count
                errors.setdefault("home_ward", []).append(
                    _("%(place)s has wards 1 to %(count)s.") % {"place": local_level.name, "count": count}
                    if count
                    else _("Ward numbers start at 1.")
                )

    @property
    def is_child(self) -> bool | None:
        """Under 18 today, by the best date known; None when the age is not known."""
        if self.birth_date is None:
            return None
        from setu.core.dates import age_on

        return age_on(self.birth_date, _today()) < 18

    @property
    def age(self) -> int | None:
        if self.birth_date is None:
            return None
        from setu.core.dates import age_on

        return age_on(self.birth_date, _today())


def search_tokens_used() -> bool:
    """Whether name search reads PersonSearchToken. SQLite does; PostgreSQL instead searches a GIN index over
    each person's own `search_keys` (a generated tsvector column, migration 0004), which intersects the
    words of a name inside the index: five to seven times faster with 800,000 persons (docs/performance.md),
    and no token rows to write."""
    return connection.vendor != "postgresql"


class PersonSearchToken(models.Model):
    """One token of a person's `search_keys`. Name search looks tokens up by prefix in an index instead of
    reading every person's keys, so it stays fast with hundreds of thousands of persons
    (docs/performance.md). Written by the services whenever the names change, where `search_tokens_used()`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_tokens")
    token = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "person"], name="people_searchtoken_unique")]

    def __str__(self) -> str:
        return self.token


class PersonAlias(PublicIdModel):
    """Another name the person is known by: nickname, former name, another spelling."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("Alias")
        NICKNAME = "nickname", _("Nickname")
        FORMER_NAME = "former_name", _("Former name")
        SPELLING = "spelling", _("Other spelling")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ALIAS)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"], name="people_alias_unique",
                violation_error_message=_("This person already has this name."),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.name is not None and not self.name.strip():
            raise ValidationError({"name": _("Enter the name.")})


class IdentityDocument(PublicIdModel):
    class DocumentType(models.TextChoices):
        CITIZENSHIP = "citizenship", _("Citizenship certificate")
        PASSPORT = "passport", _("Passport")
        AADHAAR = "aadhaar", _("Aadhaar")
        VOTER_ID = "voter_id", _("Voter ID")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("document"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=40)
    # For exact-match search: ASCII digits, upper case, no separators.
    number_normalised = models.CharField(max_length=40, editable=False, db_index=True)
    issuing_country = models.CharField(_("issued by"), max_length=2, choices=Nationality.choices)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        # Not unique across persons: a clash would reveal a record the user cannot see; the matcher finds it.
        constraints = [
            models.UniqueConstraint(
                fields=["person", "document_type", "issuing_country", "number_normalised"],
                name="people_document_unique", violation_error_message=_("This document is already recorded."),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return rules.mask_document_number(self.document_type, self.number)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        normalised = rules.normalise_document_number(self.number or "")
        if not normalised or not normalised.isalnum():
            errors["number"] = [_("Enter the document number (letters and digits).")]
        elif self.document_type == self.DocumentType.AADHAAR and not (
            len(normalised) == 12 and normalised.isdigit() and normalised[0] not in "01"
        ):
            errors["number"] = [_("An Aadhaar number has 12 digits and does not start with 0 or 1.")]
        elif self.document_type == self.DocumentType.AADHAAR and self.issuing_country not in ("", "IN"):
            errors["issuing_country"] = [_("Aadhaar is issued by India.")]
        if self.issued_on is not None and self.issued_on > _today():
            errors["issued_on"] = [_("The issue date cannot be in the future.")]
        if errors:
            raise ValidationError(errors)


class PhoneNumber(PublicIdModel):
    class Kind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        HOME = "home", _("Home")
        FAMILY = "family", _("Family member's")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20, db_index=True, help_text=_("E.164, e.g. +977..."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MOBILE)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "number"], name="people_phone_unique",
                violation_error_message=_("This phone number is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^\+[1-9][0-9]{1,14}$"), name="people_phone_e164",
                violation_error_message=_("Enter the phone number in international form, e.g. +9779841234567."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return rules.format_phone(self.number)


class Relation(PublicIdModel):
    """`person` has `related_person` (or a relative known only by name) as their `kind`."""

    class Kind(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        SIBLING = "sibling", _("Brother or sister")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        OTHER = "other", _("Other relative")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations")
    related_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="related_as"
    )
    related_name = models.CharField(_("relative's name"), max_length=200, blank=True)
    kind = models.CharField(_("relation"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.CheckConstraint(
                condition=Q(related_person__isnull=False) | ~Q(related_name=""),
                name="people_relation_has_relative",
                violation_error_message=_("Choose a registered person or enter the relative's name."),
            ),
            models.CheckConstraint(
                condition=~Q(related_person=models.F("person")), name="people_relation_not_self",
                violation_error_message=_("A person cannot be their own relative."),
            ),
            models.UniqueConstraint(
                fields=["person", "related_person", "kind"], condition=Q(related_person__isnull=False),
                name="people_relation_unique", violation_error_message=_("This relation is already recorded."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.related_person or self.related_name}"


def _photo_path(instance, filename: str) -> str:  # pragma: no cover - names are always given by the service
    return f"people/photos/{filename}"


class Photo(PublicIdModel):
    """A photo, re-encoded on upload (no EXIF/GPS) and stored under MEDIA_ROOT with a server-made name.

    Never served from a URL of its own: only `views.photo` after an access check, with `nosniff`.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(max_length=200, upload_to=_photo_path)
    thumbnail = models.FileField(max_length=200, upload_to=_photo_path)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"photo {self.public_id}"
