"""HTML forms of missing-person reports. They parse what was typed; the services decide what is valid and say
why (setu.people.forms.ServiceErrorsMixin puts a service's message on its field).

The report form is one page built for a 360 px phone: the missing person (her name in Devanagari and/or Latin
letters, sex, date of birth in the user's calendar or her age, parents' names, home, phone, photo), who
reports her, when and where she was last seen, what happened, the police or hotline reference and who may
see it. Each local level list holds the local levels of the district chosen beside it: htmx reloads it when
the district changes; without JavaScript "Show the local levels" reloads the form as typed.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import Organisation
from setu.core.enums import Gender
from setu.core.formfields import CalendarFormMixin, FlexibleDateField
from setu.geo.models import District, LocalLevel
from setu.people.forms import DistrictChoiceField, ServiceErrorsMixin, district_choices, set_queryset
from setu.people.models import Nationality, Person
from setu.tracing.models import MissingReport, ReferenceKind, ReporterRelation, Status, Visibility
from setu.tracing.services import REPORT_FIELDS, MissingPersonEntry, ReportEntry

_BLANK: list[tuple[str, Any]] = [("", "—")]
# The fields of the missing person, asked only when she has no record yet.
PERSON_FIELDS = ("full_name", "other_name", "gender", "birth_date", "age", "nationality", "father_name",
                 "mother_name", "home_district", "home_local_level", "home_ward", "home_address", "phone")  # fmt: skip
# Each local level select follows the district select named here.
PLACES = {"home_local_level": "home_district", "last_seen_local_level": "last_seen_district"}


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _one_line(label, *, max_length: int = 200, help_text: Any = "", **attrs: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, help_text=help_text,
                           widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}))  # fmt: skip


def _phone(label) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=32, required=False,
        help_text=_("A national number is read as this country's; add +977 or +91 otherwise."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip


class LocalLevelField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("empty_label", "—")  # as the htmx partial's blank option
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("The list shows the local levels of the district chosen."))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Choose a municipality or rural municipality of the district chosen.")},
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: LocalLevel) -> str:
        return obj.name


class ReportForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    """Register a report (`report=None`) or edit one (the missing person's own details are then edited on her
    record). With `person`, the report is for that existing record and her details are not asked."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Registering organisation"),
                                          required=False)  # fmt: skip
    # The missing person
    full_name = _one_line(_("Her name"), help_text=_("As her family says it, in Devanagari or Latin letters."),
                          spellcheck="false")  # fmt: skip
    other_name = _one_line(_("Her name in the other script, or another spelling"),
                           help_text=_("e.g. सीता तामाङ and Sita Tamang: both are searched."),
                           spellcheck="false")  # fmt: skip
    gender = forms.ChoiceField(label=_("Sex / gender"), choices=_BLANK + Gender.choices, required=False)
    birth_date = FlexibleDateField(label=_("Date of birth"), required=False,
                                   help_text=_("If her family knows it; otherwise give her age below."))  # fmt: skip
    age = forms.IntegerField(
        label=_("Age when last seen (years)"), required=False, min_value=0, max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )  # fmt: skip
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_BLANK + Nationality.choices, required=False)
    father_name = _one_line(_("Father's name"))
    mother_name = _one_line(_("Mother's name"))
    home_district = DistrictChoiceField(label=_("Home district"), queryset=District.objects.none(), required=False,
                                        empty_label="—")  # fmt: skip
    home_local_level = LocalLevelField(label=_("Home municipality / rural municipality"),
                                       queryset=LocalLevel.objects.none())  # fmt: skip
    home_ward = forms.IntegerField(
        label=_("Ward"), required=False, min_value=1, max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )  # fmt: skip
    home_address = _one_line(_("Village, tole or landmark"), max_length=300,
                             help_text=_("Old VDC names are welcome here."))  # fmt: skip
    phone = _phone(_("Her phone"))
    photo = forms.FileField(
        label=_("Photo"), required=False,
        help_text=_("A recent photo, if the family has one. JPEG, PNG or WebP; location and camera details are "
                    "removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    # Who reports her
    reporter_name = _one_line(_("Reported by"), help_text=_("The name of the person who reports her missing."))
    reporter_relation = forms.ChoiceField(label=_("Relation to her"), choices=_BLANK + ReporterRelation.choices,
                                          required=False)  # fmt: skip
    reporter_phone = _phone(_("Reporter's phone"))
    reported_on = FlexibleDateField(label=_("Reported on"), required=False)
    # Last seen
    last_seen_on = FlexibleDateField(label=_("Last seen on"), required=False)
    last_seen_time = forms.TimeField(
        label=_("Time (if known)"), required=False, widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": _("Enter the time as HH:MM (24-hour clock).")},
    )  # fmt: skip
    last_seen_place = _one_line(
        _("Last seen at (place)"), max_length=300,
        help_text=_("e.g. the bus park in Itahari, her school, the border at Rani."),
    )  # fmt: skip
    last_seen_district = DistrictChoiceField(label=_("District last seen in"), queryset=District.objects.none(),
                                             required=False, empty_label="—")  # fmt: skip
    last_seen_local_level = LocalLevelField(label=_("Municipality / rural municipality last seen in"),
                                            queryset=LocalLevel.objects.none())  # fmt: skip
    circumstances = forms.CharField(
        label=_("What happened"), max_length=4000, required=False, widget=_text(4),
        help_text=_("Who she was with, what she said she would do, any job offer or new friend, what she wore."),
    )  # fmt: skip
    # References and visibility
    reference_kind = forms.ChoiceField(label=_("Also reported to"), choices=_BLANK + ReferenceKind.choices,
                                       required=False)  # fmt: skip
    reference = _one_line(_("Reference (FIR, complaint or call number)"), max_length=100)
    visibility = forms.ChoiceField(
        label=_("Who may see this report"), choices=Visibility.choices, initial=Visibility.STANDARD,
        widget=forms.RadioSelect, help_text=_("Restrict it when the family suspects someone close to her."),
    )  # fmt: skip

    def __init__(self, *args, organisations: QuerySet[Organisation] | None = None, report: MissingReport | None = None,
                 person: Person | None = None, **kwargs) -> None:  # fmt: skip
        if report is not None:
            kwargs.setdefault("initial", self.initial_for(report))
        super().__init__(*args, **kwargs)
        self.report = report
        self.person = person if report is None else report.person
        if report is not None or organisations is None or len(organisations) <= 1:
            del self.fields["organisation"]
        else:
            set_queryset(self, "organisation", organisations)
        if report is not None or person is not None:
            for name in (*PERSON_FIELDS, "photo"):
                if report is not None or name != "photo":
                    del self.fields[name]
        else:
            self.fields["nationality"].initial = settings.SETU_NODE if settings.SETU_NODE in Nationality.values else ""
        if report is None:
            self.fields["reported_on"].initial = timezone.localdate()
        for local_level, district in PLACES.items():
            if district in self.fields:
                set_queryset(self, district, district_choices())
                set_queryset(self, local_level, self._local_levels(district))
                self.fields[district].widget.attrs.update({
                    "hx-get": reverse("tracing:local_levels"),
                    "hx-target": f"#{self[local_level].auto_id}",
                    "hx-trigger": "change",
                })  # fmt: skip

    @staticmethod
    def initial_for(report: MissingReport) -> dict[str, Any]:
        initial = {name: getattr(report, name) for name in REPORT_FIELDS}
        initial["last_seen_district"] = report.last_seen_district_id
        initial["last_seen_local_level"] = report.last_seen_local_level_id
        return initial

    def chosen(self, name: str) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        return self.initial.get(name)

    def _local_levels(self, district_field: str) -> QuerySet[LocalLevel]:
        """The local levels of the district chosen; of any district when a sent form chose none (the local level
        then gives the district)."""
        queryset = LocalLevel.objects.select_related("district").order_by("name_en")
        district = self.chosen(district_field)
        if district in (None, ""):
            return queryset if self.is_bound else queryset.none()
        try:
            key = int(getattr(district, "pk", district))
        except (TypeError, ValueError):
            return queryset.none()
        return queryset.filter(district_id=key) if 0 < key < 2**31 else queryset.none()

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PERSON_FIELDS if name in self.fields]

    def entry(self, *, photo=None) -> ReportEntry:
        data = self.cleaned_data
        person = MissingPersonEntry(person=self.person)
        if self.person is None:
            person = MissingPersonEntry(
                full_name=data["full_name"], other_name=data["other_name"], gender=data["gender"],
                birth_date=data["birth_date"], birth_calendar=self.calendar, age=data["age"],
                nationality=data["nationality"], father_name=data["father_name"], mother_name=data["mother_name"],
                home_district=data["home_district"], home_local_level=data["home_local_level"],
                home_ward=data["home_ward"], home_address=data["home_address"], phone=data["phone"],
            )  # fmt: skip
        return ReportEntry(person=person, organisation=data.get("organisation"), photo=photo, **self.report_values())

    def report_values(self) -> dict[str, Any]:
        """The report's own fields, as report_update's keyword arguments."""
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}


class StatusForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices, required=False,
                               widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=_text(3),
        help_text=_("Where and how she was found, or why the report is closed or opened again."),
    )  # fmt: skip

    def __init__(self, *args, report: MissingReport, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(value, label) for value, label in Status.choices if value != report.status]
        cast(forms.ChoiceField, self.fields["status"]).choices = choices
        if not self.is_bound:
            self.initial.setdefault("status", Status.FOUND if report.status == Status.OPEN else Status.OPEN)

    def service_kwargs(self) -> dict[str, Any]:
        return {"status": self.cleaned_data["status"], "note": self.cleaned_data["note"]}


class ReportFilterForm(forms.Form):
    """The list's search and filters (a GET form: a bad value is dropped, not fatal)."""

    q = forms.CharField(
        label=_("Name, phone or report number"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *Status.choices], required=False)
    district = DistrictChoiceField(label=_("District last seen in"), queryset=District.objects.none(),
                                   required=False, empty_label=_("Any"))  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "district", district_choices())

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        district = data.get("district")
        return {"query": data.get("q", ""), "status": data.get("status", ""),
                "district_id": district.pk if district else None}  # fmt: skip
