"""HTML forms for persons. They parse what was typed; the services decide what is valid and say why.

Service ValidationErrors come back onto the form's fields with `add_service_errors`, so a rule is written
once (in the model or service) and shows up the same in the page and in the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Case, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import Organisation
from setu.core.dates import DateInputError, ad_to_bs, bs_to_ad
from setu.core.enums import Gender
from setu.core.formfields import CALENDAR_LABELS, CalendarFormMixin, FlexibleDateField
from setu.geo.models import District, LocalLevel
from setu.people.models import (
    BirthPrecision,
    IdentityDocument,
    Language,
    Nationality,
    Person,
    PersonAlias,
    PhoneNumber,
    Relation,
)

_BLANK: list[tuple[str, Any]] = [("", "—")]


def district_choices() -> QuerySet[District]:
    """The districts a form offers: this node's country's first, then the other's, each by name."""
    theirs = Case(When(province__country=settings.SETU_NODE, then=Value(0)), default=Value(1))
    return District.objects.select_related("province").order_by(theirs, "name_en")


def set_queryset(form: forms.Form, name: str, queryset: QuerySet) -> None:
    """The choices of the form's model choice field `name`."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: District) -> str:
        return f"{obj.name} ({obj.province.country})"


class ServiceErrorsMixin(forms.Form):
    """Put a service's ValidationError on the form: on the field it names when the form has it."""

    def service_field_names(self) -> dict[str, str]:
        """Service field name → form field name, where they differ."""
        return {}

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(None, message)
            return
        renames = self.service_field_names()
        for name, messages in exc.message_dict.items():
            target: str | None = renames.get(name, name)
            if target not in self.fields or target == NON_FIELD_ERRORS:
                target = None
            for message in messages:
                self.add_error(target, message)


class PersonForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    """Register or edit a person. The birth date is typed in the user's calendar (BS or AD)."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Registering organisation"), required=False
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, help_text=_("As the person says it, in Devanagari or Latin letters.")
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    other_names = forms.CharField(label=_("Other names"), max_length=200, required=False)
    gender = forms.ChoiceField(label=_("Sex / gender"), choices=Gender.choices, initial=Gender.NOT_SPECIFIED)
    birth_precision = forms.ChoiceField(
        label=_("Date of birth"), choices=BirthPrecision.choices, initial=BirthPrecision.UNKNOWN,
        widget=forms.RadioSelect(attrs={"class": "birth-precision"}),
    )  # fmt: skip
    birth_date = FlexibleDateField(label=_("Exact date of birth"), required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2200)
    age_estimate = forms.IntegerField(label=_("Estimated age (years)"), required=False, min_value=0, max_value=120)
    age_estimated_on = FlexibleDateField(label=_("Age estimated on"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_BLANK + Nationality.choices, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    location_district = DistrictChoiceField(
        queryset=District.objects.none(), label=_("District where the person is now"),
        help_text=_("Decides who may see the record: organisations working in this district."),
    )  # fmt: skip
    home_district = DistrictChoiceField(queryset=District.objects.none(), label=_("Home district"), required=False)
    home_local_level = forms.ModelChoiceField(
        queryset=LocalLevel.objects.none(), label=_("Home municipality / rural municipality"), required=False
    )
    home_ward = forms.IntegerField(label=_("Ward"), required=False, min_value=1, max_value=99)
    home_address = forms.CharField(
        label=_("Village, tole or landmark"), max_length=300, required=False,
        help_text=_("Old VDC names are welcome here."),
    )  # fmt: skip
    phone = forms.CharField(
        label=_("Phone number"), max_length=32, required=False,
        help_text=_("A national number is read as this country's; add +977 or +91 otherwise."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip

    def __init__(self, *args, organisations=None, person: Person | None = None, **kwargs) -> None:
        if person is not None:
            kwargs.setdefault("initial", self.initial_for(person, kwargs.get("calendar", "AD")))
        super().__init__(*args, **kwargs)
        self.person = person
        calendar_name = CALENDAR_LABELS[self.calendar]
        self.fields["birth_year"].label = _("Year of birth (%(calendar)s)") % {"calendar": calendar_name}
        self.fields["age_estimated_on"].initial = timezone.localdate()
        set_queryset(self, "location_district", district_choices())
        set_queryset(self, "home_district", district_choices())
        cast(forms.ModelChoiceField, self.fields["home_local_level"]).queryset = self._local_levels()
        # With htmx, choosing the home district reloads the local levels of that district.
        self.fields["home_district"].widget.attrs.update(
            {
                "hx-get": reverse("people:local_level_options"),
                "hx-target": f"#{self['home_local_level'].auto_id}",
                "hx-trigger": "change",
            }
        )
        if person is not None or organisations is None or len(organisations) <= 1:
            del self.fields["organisation"]
        else:
            cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
            self.fields["organisation"].required = True
        if person is not None:
            del self.fields["phone"]  # phones of a registered person have their own form

    def _local_levels(self):
        """Only the local levels of the chosen home district (htmx refreshes them when it changes)."""
        district = self.data.get(self.add_prefix("home_district")) if self.is_bound else None
        if district is None and not self.is_bound:
            district = self.initial.get("home_district")
        queryset = LocalLevel.objects.order_by("name_en")
        if district in (None, ""):
            return queryset.none() if not self.is_bound else queryset
        try:
            key = int(getattr(district, "pk", district))
        except (TypeError, ValueError):
            return queryset.none()
        return queryset.filter(district_id=key) if 0 < key < 2**31 else queryset.none()

    @staticmethod
    def initial_for(person: Person, calendar: str) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(person, name)
            for name in (
                "full_name", "given_name", "family_name", "other_names", "gender", "birth_precision",
                "age_estimate", "age_estimated_on", "nationality", "languages", "home_ward", "home_address",
            )
        }  # fmt: skip
        initial["location_district"] = person.location_district_id
        initial["home_district"] = person.home_district_id
        initial["home_local_level"] = person.home_local_level_id
        if person.birth_precision == BirthPrecision.EXACT:
            initial["birth_date"] = person.birth_date
        if person.birth_precision == BirthPrecision.YEAR and person.birth_date:
            initial["birth_year"] = _year_in(person.birth_date, calendar)
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        precision = data.get("birth_precision")
        if precision == BirthPrecision.EXACT and not data.get("birth_date") and "birth_date" not in self.errors:
            self.add_error("birth_date", _("Enter the date of birth, or choose another option."))
        if precision == BirthPrecision.YEAR:
            year = data.get("birth_year")
            if year is None and "birth_year" not in self.errors:
                self.add_error("birth_year", _("Enter the year of birth."))
            elif year is not None:
                try:
                    data["birth_year_date"] = _year_start(year, self.calendar)
                except DateInputError:
                    self.add_error("birth_year", _("This year is outside the calendar's range."))
        estimated = precision == BirthPrecision.ESTIMATED
        if estimated and data.get("age_estimate") is None and "age_estimate" not in self.errors:
            self.add_error("age_estimate", _("Enter the estimated age in years."))
        return data

    def service_field_names(self) -> dict[str, str]:
        precision = self.data.get("birth_precision") if self.is_bound else None
        birth = {"year": "birth_year", "estimated": "age_estimate"}.get(precision or "", "birth_date")
        return {"phones": "phone", "birth_date": birth}

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments of person_create / person_update."""
        data = self.cleaned_data
        precision = data["birth_precision"]
        kwargs: dict[str, Any] = {
            name: data[name]
            for name in (
                "full_name", "given_name", "family_name", "other_names", "gender", "nationality",
                "location_district", "home_district", "home_local_level", "home_ward", "home_address",
            )
        }  # fmt: skip
        kwargs["languages"] = list(data["languages"])
        kwargs["birth_precision"] = precision
        kwargs["birth_date"] = None
        kwargs["birth_calendar"] = ""
        kwargs["age_estimate"] = None
        kwargs["age_estimated_on"] = None
        if precision == BirthPrecision.EXACT:
            kwargs["birth_date"] = data["birth_date"]
            kwargs["birth_calendar"] = self.calendar
        elif precision == BirthPrecision.YEAR:
            kwargs["birth_date"] = data.get("birth_year_date")
            kwargs["birth_calendar"] = self.calendar
        elif precision == BirthPrecision.ESTIMATED:
            kwargs["age_estimate"] = data["age_estimate"]
            kwargs["age_estimated_on"] = data.get("age_estimated_on") or timezone.localdate()
        if "organisation" in self.fields:
            kwargs["organisation"] = data.get("organisation")
        if "phone" in self.fields:
            kwargs["phones"] = [data["phone"]] if data.get("phone") else []
        return kwargs


def _year_start(year: int, calendar: str) -> dt.date:
    """The AD date of the first day of `year` in `calendar` (1 Baishakh for BS)."""
    return bs_to_ad(year, 1, 1) if calendar == "BS" else dt.date(year, 1, 1)


def _year_in(value: dt.date, calendar: str) -> int:
    if calendar == "BS":
        try:
            return ad_to_bs(value)[0]
        except DateInputError:
            return value.year
    return value.year


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, phone or document number"), required=False)
    gender = forms.ChoiceField(label=_("Sex / gender"), choices=_BLANK + Gender.choices, required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_BLANK + Nationality.choices, required=False)

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is dropped rather than failing the whole search."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q", "")[:100],
            "gender": data.get("gender", ""),
            "nationality": data.get("nationality", ""),
        }


class AliasForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("In Devanagari or Latin letters."))
    kind = forms.ChoiceField(label=_("Kind"), choices=PersonAlias.Kind.choices, initial=PersonAlias.Kind.ALIAS)


class DocumentForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    document_type = forms.ChoiceField(label=_("Document"), choices=IdentityDocument.DocumentType.choices)
    number = forms.CharField(label=_("Number"), max_length=40)
    issuing_country = forms.ChoiceField(label=_("Issued by"), choices=Nationality.choices)
    issued_on = FlexibleDateField(label=_("Issued on"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_country"].initial = settings.SETU_NODE


class PhoneForm(ServiceErrorsMixin, forms.Form):
    number = forms.CharField(
        label=_("Phone number"), max_length=32,
        help_text=_("A national number is read as this country's; add +977 or +91 otherwise."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind"), choices=PhoneNumber.Kind.choices, initial=PhoneNumber.Kind.MOBILE)


class RelationForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("This person's"), choices=Relation.Kind.choices)
    related_name = forms.CharField(label=_("Relative's name"), max_length=200, required=False)
    related_person_id = forms.CharField(
        label=_("Or the Setu id of a registered person"), max_length=40, required=False,
        help_text=_("Shown on that person's page."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("related_name") and not data.get("related_person_id"):
            raise ValidationError(_("Enter the relative's name or the Setu id of a registered person."))
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"), help_text=_("JPEG, PNG or WebP. Location and camera details are removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
