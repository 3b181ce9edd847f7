"""HTML forms of interceptions. They parse what was typed; the services decide what is valid and say why.

The record form is one page built for a phone at a border post: the station, the date and time, the people
stopped (three rows, empty ones ignored), their companions and suspects (three rows), the red flags of the
checklist in use (grouped, named in the user's language), the certainty, then the journey. Service
ValidationErrors come back next to the fields they name (`add_service_errors`); the persons' and
companions' problems next to their rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.cases.choices import PerpetratorRole
from setu.core.enums import Gender
from setu.core.formfields import CalendarFormMixin, FlexibleDateField
from setu.geo.models import BorderPoint, District
from setu.interceptions import screening, selectors
from setu.interceptions.models import (
    CallVerdict,
    Document,
    InterceptedPerson,
    Interception,
    NoticedBy,
    Outcome,
    Purpose,
    Transport,
)
from setu.interceptions.services import InterceptionEntry, PersonEntry
from setu.people import selectors as people_selectors
from setu.people.forms import DistrictChoiceField, ServiceErrorsMixin, district_choices, set_queryset
from setu.people.models import Nationality, Person

PERSON_ROWS = 3
COMPANION_ROWS = 3
_BLANK: list[tuple[str, Any]] = [("", "—")]
CERTAINTY_CHOICES = [
    ("1", _("1 — not sure")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 — sure it is trafficking")),
]
# Suggestions for the two-letter country inputs: the destinations met at this border (domain.md §2.2).
COUNTRY_SUGGESTIONS = [
    ("IN", _("India")), ("NP", _("Nepal")), ("AE", _("United Arab Emirates")), ("SA", _("Saudi Arabia")),
    ("QA", _("Qatar")), ("KW", _("Kuwait")), ("OM", _("Oman")), ("BH", _("Bahrain")), ("MY", _("Malaysia")),
    ("KR", _("South Korea")), ("JP", _("Japan")), ("CN", _("China")), ("BD", _("Bangladesh")),
    ("LK", _("Sri Lanka")), ("MM", _("Myanmar")), ("IL", _("Israel")), ("RU", _("Russia")), ("PL", _("Poland")),
]  # fmt: skip


def language() -> str:
    return (get_language() or "en")[:2]


def _text(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _country_input() -> forms.TextInput:
    return forms.TextInput(attrs={"maxlength": "2", "size": "3", "list": "country-codes", "autocomplete": "off",
                                  "autocapitalize": "characters", "class": "short"})  # fmt: skip


def _country(value: str) -> str:
    return (value or "").strip().upper()


# --- stations ----------------------------------------------------------------------------------------------


def posted_stations(user) -> set[int]:
    """The stations a border monitor is posted at, where that limits her (selectors.posted_stations)."""
    return set().union(*selectors.posted_stations(user).values())


def station_choices(user) -> tuple[QuerySet[BorderPoint], int | None]:
    """This node's crossing points the user may record at, and the one to preselect: where she is posted,
    else the first crossing point of her organisations."""
    stations = BorderPoint.objects.filter(country=settings.SETU_NODE).select_related("district")
    posted = posted_stations(user)
    if posted:
        stations = stations.filter(pk__in=sorted(posted))
    stations = stations.order_by("name_en")
    grant = policy.grants(user, Permission.INTERCEPTION_RECORD)
    ours = stations.filter(organisations__in=sorted(grant.organisation_ids)).order_by("name_en").first()
    preselect = ours.pk if ours is not None else None
    if preselect is None and posted:
        first = stations.first()
        preselect = first.pk if first is not None else None
    return stations, preselect


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BorderPoint) -> str:
        return f"{obj.name} ({obj.district.name})"


# --- the red flags -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagOption:
    key: str
    name: str
    weight: int
    checked: bool


@dataclass(frozen=True)
class FlagGroup:
    key: str
    name: str
    flags: list[FlagOption]


class ScreeningMixin(forms.Form):
    """The red flags of one checklist version, as checkboxes grouped like the checklist, and the certainty."""

    flags = forms.MultipleChoiceField(label=_("Red flags"), required=False, widget=forms.CheckboxSelectMultiple)
    certainty = forms.TypedChoiceField(
        label=_("How sure are you that it is trafficking?"), choices=CERTAINTY_CHOICES, coerce=int,
        empty_value=None, required=False, widget=forms.RadioSelect(attrs={"class": "scale"}),
    )  # fmt: skip

    def set_checklist(self, checklist: screening.Checklist) -> None:
        self.checklist = checklist
        lang = language()
        cast(forms.MultipleChoiceField, self.fields["flags"]).choices = [
            (key, flag.name(lang)) for key, flag in checklist.flags.items()
        ]

    def flag_groups(self) -> list[FlagGroup]:
        lang = language()
        chosen = set(self["flags"].value() or [])
        groups = []
        for key, flags in self.checklist.by_group().items():
            names = self.checklist.groups.get(key, {})
            options = [FlagOption(flag.key, flag.name(lang), flag.weight, flag.key in chosen) for flag in flags]
            groups.append(FlagGroup(key, names.get(lang) or names.get("en") or key, options))
        return groups


# --- a person stopped, a companion -------------------------------------------------------------------------


class PersonRowForm(forms.Form):
    """One person stopped: an existing record (her Setu id, found by the name search) or a new one."""

    existing = forms.CharField(
        label=_("Existing record (Setu id)"), required=False, max_length=40,
        help_text=_("Filled when you choose a record found under the name; leave empty for a new person."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "setu-id"}),
    )  # fmt: skip
    full_name = forms.CharField(
        label=_("Name"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
    gender = forms.ChoiceField(label=_("Sex / gender"), choices=Gender.choices, initial=Gender.NOT_SPECIFIED)
    age_years = forms.IntegerField(
        label=_("Age (years)"), required=False, min_value=0, max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short", "placeholder": _("about")}),
    )  # fmt: skip
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_BLANK + Nationality.choices, required=False)
    home_district = DistrictChoiceField(label=_("Home district"), queryset=District.objects.none(), required=False)
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip
    relationship = forms.CharField(
        label=_("Relationship with her companions, as she tells it"), required=False, max_length=120
    )

    kind = "person"
    # Fields that count as "something was typed" (sex and nationality have defaults).
    TYPED: tuple[str, ...] = ("existing", "full_name", "age_years", "phone", "relationship", "home_district")

    def __init__(self, *args, user, repeats_url: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.person: Person | None = None
        self.fields["nationality"].initial = settings.SETU_NODE if settings.SETU_NODE in Nationality.values else ""
        set_queryset(self, "home_district", district_choices())
        if repeats_url:
            # As the name is typed: the earlier interceptions of matching records (repeat detection).
            self.fields["full_name"].widget.attrs.update({
                "hx-get": f"{repeats_url}?kind={self.kind}&row={self.prefix}",
                "hx-trigger": "keyup changed delay:400ms",
                "hx-target": f"#repeats-{self.prefix}",
                "hx-sync": "this:replace",
            })  # fmt: skip

    def has_entry(self) -> bool:
        if not self.is_bound:
            return False
        return any(str(self.data.get(self.add_prefix(name), "") or "").strip() for name in self.TYPED)

    def clean_existing(self) -> str:
        value = self.cleaned_data.get("existing", "").strip()
        if value:
            try:
                self.person = people_selectors.person_get_for(self.user, value)
            except Http404:
                raise ValidationError(_("No person you may see has this Setu id.")) from None
        return value

    def entry(self) -> PersonEntry:
        data = self.cleaned_data
        return PersonEntry(
            person=self.person, full_name=data.get("full_name", ""), gender=data.get("gender") or Gender.NOT_SPECIFIED,
            age_years=data.get("age_years"), nationality=data.get("nationality", ""),
            home_district=data.get("home_district"), phone=data.get("phone", ""),
            relationship=data.get("relationship", ""),
        )  # fmt: skip


class CompanionRowForm(PersonRowForm):
    """Someone travelling with them: a companion, or a suspect with HTCDS perpetrator roles."""

    is_suspect = forms.BooleanField(label=_("Suspect"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles (HTCDS)"), choices=PerpetratorRole.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-grid"}),
    )  # fmt: skip
    claimed_relationship = forms.CharField(label=_("Says he or she is her…"), required=False, max_length=120,
                                           help_text=_("e.g. uncle, husband, brother-in-law, employer"))  # fmt: skip
    description = forms.CharField(label=_("Description (build, clothes, marks)"), required=False, max_length=300)

    kind = "companion"
    TYPED = (*PersonRowForm.TYPED, "is_suspect", "roles", "claimed_relationship", "description")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["relationship"]
        self.fields["nationality"].initial = ""

    def entry(self) -> PersonEntry:
        entry = super().entry()
        data = self.cleaned_data
        entry.is_suspect = bool(data.get("is_suspect"))
        entry.roles = list(data.get("roles") or [])
        entry.claimed_relationship = data.get("claimed_relationship", "")
        entry.description = data.get("description", "")
        return entry


# --- the record form ---------------------------------------------------------------------------------------


class InterceptionForm(ServiceErrorsMixin, CalendarFormMixin, ScreeningMixin):
    station = StationChoiceField(
        label=_("Station (crossing point)"), queryset=BorderPoint.objects.none(),
        error_messages={"required": _("Choose the station (crossing point)."),
                        "invalid_choice": _("Unknown station: choose one from the list.")},
    )  # fmt: skip
    intercepted_on = FlexibleDateField(
        label=_("Date"), error_messages={"required": _("Give the date and time of the interception.")}
    )
    intercepted_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"required": _("Give the date and time of the interception."),
                        "invalid": _("Enter the time as HH:MM (24-hour clock).")},
    )  # fmt: skip
    staff_names = forms.CharField(label=_("Staff present"), required=False, max_length=300)
    noticed_by = forms.ChoiceField(label=_("Who noticed"), choices=NoticedBy.choices, initial=NoticedBy.STAFF)
    transport = forms.ChoiceField(label=_("Transport"), choices=_BLANK + Transport.choices, required=False)
    vehicle = forms.CharField(label=_("Vehicle (number plate, operator, colour)"), required=False, max_length=120)
    coming_from = forms.CharField(label=_("Coming from (place)"), required=False, max_length=120)
    from_district = DistrictChoiceField(label=_("District coming from"), queryset=District.objects.none(),
                                        required=False)  # fmt: skip
    purpose = forms.ChoiceField(label=_("Stated purpose"), choices=_BLANK + Purpose.choices, required=False)
    purpose_detail = forms.CharField(label=_("Purpose, in her words"), required=False, max_length=300)
    destination = forms.CharField(label=_("Destination (place)"), required=False, max_length=120)
    destination_country = forms.CharField(
        label=_("Destination country"), required=False, max_length=2, widget=_country_input(),
        help_text=_("Two-letter code, e.g. IN."),
    )  # fmt: skip
    onward_country = forms.CharField(
        label=_("Going on to a third country"), required=False, max_length=2, widget=_country_input(),
        help_text=_("Two-letter code, e.g. AE, MY, SA; empty if not."),
    )  # fmt: skip
    documents = forms.MultipleChoiceField(
        label=_("Documents carried"), choices=Document.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-grid"}),
    )  # fmt: skip
    notes = forms.CharField(label=_("Notes"), required=False, widget=_text(3))

    field_order = ["station", "intercepted_on", "intercepted_time"]

    def __init__(self, *args, user, checklist: screening.Checklist, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        stations, preselect = station_choices(user)
        set_queryset(self, "station", stations)
        self.fields["station"].initial = preselect
        now = timezone.localtime()
        self.fields["intercepted_on"].initial = now.date()
        self.fields["intercepted_time"].initial = now.time().replace(second=0, microsecond=0)
        self.fields["staff_names"].initial = user.get_full_name()
        set_queryset(self, "from_district", district_choices())
        self.set_checklist(checklist)

    def clean_destination_country(self) -> str:
        return _country(self.cleaned_data.get("destination_country", ""))

    def clean_onward_country(self) -> str:
        return _country(self.cleaned_data.get("onward_country", ""))

    def intercepted_at(self) -> dt.datetime | None:
        day, time = self.cleaned_data.get("intercepted_on"), self.cleaned_data.get("intercepted_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))

    def service_field_names(self) -> dict[str, str]:
        return {"intercepted_at": "intercepted_on"}


class InterceptionRecordForm:
    """The record form with its person and companion rows: valid when every part is, and turned into one
    InterceptionEntry. Rows left empty are ignored."""

    def __init__(self, data=None, *, user, checklist: screening.Checklist, calendar: str = "AD") -> None:
        repeats_url = reverse("interceptions:repeats")
        self.main = InterceptionForm(data, user=user, checklist=checklist, calendar=calendar)
        self.persons = [PersonRowForm(data, user=user, prefix=f"p{n}", repeats_url=repeats_url)
                        for n in range(PERSON_ROWS)]  # fmt: skip
        self.companions = [CompanionRowForm(data, user=user, prefix=f"c{n}", repeats_url=repeats_url)
                           for n in range(COMPANION_ROWS)]  # fmt: skip
        self.person_errors: list[str] = []
        self.companion_errors: list[str] = []

    @property
    def is_bound(self) -> bool:
        return self.main.is_bound

    def _used(self, rows: Sequence[PersonRowForm]) -> list[PersonRowForm]:
        return [row for row in rows if row.has_entry()]

    def is_valid(self) -> bool:
        results = [self.main.is_valid()] + [row.is_valid() for row in self._used([*self.persons, *self.companions])]
        return all(results)

    @property
    def errors(self) -> bool:
        return bool(
            self.main.errors or self.person_errors or self.companion_errors
            or any(row.errors for row in self._used([*self.persons, *self.companions]))
        )  # fmt: skip

    # Which folded parts of the page to show open: those with something typed or refused.
    DETAIL_FIELDS = ("staff_names", "noticed_by", "vehicle", "coming_from", "from_district", "purpose_detail", "notes")

    def more_persons_open(self) -> bool:
        return any(row.has_entry() for row in self.persons[1:])

    def more_companions_open(self) -> bool:
        return any(row.has_entry() for row in self.companions[1:])

    def details_open(self) -> bool:
        return any(name in self.main.errors for name in self.DETAIL_FIELDS)

    def entry(self) -> InterceptionEntry:
        data = self.main.cleaned_data
        return InterceptionEntry(
            station=data.get("station"), intercepted_at=self.main.intercepted_at(),
            persons=[row.entry() for row in self._used(self.persons)],
            companions=[row.entry() for row in self._used(self.companions)],
            staff_names=data.get("staff_names", ""), noticed_by=data.get("noticed_by") or NoticedBy.STAFF,
            transport=data.get("transport", ""), vehicle=data.get("vehicle", ""),
            coming_from=data.get("coming_from", ""), from_district=data.get("from_district"),
            purpose=data.get("purpose", ""), purpose_detail=data.get("purpose_detail", ""),
            destination=data.get("destination", ""), destination_country=data.get("destination_country", ""),
            onward_country=data.get("onward_country", ""), documents=list(data.get("documents") or []),
            flags=list(data.get("flags") or []), certainty=data.get("certainty"), notes=data.get("notes", ""),
        )  # fmt: skip

    def add_service_errors(self, exc: ValidationError) -> None:
        """The service's problems next to what they are about: the persons' and companions' above their rows,
        the rest on the fields (or at the top of the form)."""
        if not hasattr(exc, "error_dict"):
            self.main.add_service_errors(exc)
            return
        rest: dict[str, list[str]] = {}
        for name, messages in exc.message_dict.items():
            if name == "persons":
                self.person_errors.extend(messages)
            elif name == "companions":
                self.companion_errors.extend(messages)
            else:
                rest[name] = messages
        if rest:
            self.main.add_service_errors(ValidationError(rest))


# --- after the record: screening again, adding someone, the family call, the outcome -----------------------


class ScreenForm(ServiceErrorsMixin, ScreeningMixin):
    """Screen again with the record's own checklist version (never the one in use now)."""

    def __init__(self, *args, checklist: screening.Checklist, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_checklist(checklist)


class AddPersonForm(ServiceErrorsMixin, PersonRowForm):
    """One more person stopped (the service's problems, keyed "persons", go to the top of the form)."""


class AddCompanionForm(ServiceErrorsMixin, CompanionRowForm):
    """One more companion or suspect."""


class FamilyCallForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    called_on = FlexibleDateField(label=_("Called on"), required=False, help_text=_("Empty: today."))
    called_time = forms.TimeField(label=_("Time"), required=False, help_text=_("Empty: now."),
                                  widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))  # fmt: skip
    called_name = forms.CharField(label=_("Name of the person called"), max_length=120, required=False)
    relation = forms.CharField(label=_("Relation to her"), max_length=60, required=False,
                               help_text=_("e.g. mother, father, husband, brother"))  # fmt: skip
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))  # fmt: skip
    said = forms.CharField(label=_("What they said"), required=False, widget=_text(3))
    verdict = forms.ChoiceField(label=_("Result"), choices=CallVerdict.choices, required=False,
                                widget=forms.RadioSelect)  # fmt: skip

    def called_at(self) -> dt.datetime | None:
        day, time = self.cleaned_data.get("called_on"), self.cleaned_data.get("called_time")
        if day is None and time is None:
            return None
        now = timezone.localtime()
        return timezone.make_aware(dt.datetime.combine(day or now.date(), time or now.time()))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"called_at": self.called_at(), "called_name": data["called_name"], "relation": data["relation"],
                "phone": data["phone"], "said": data["said"], "verdict": data["verdict"]}  # fmt: skip

    def service_field_names(self) -> dict[str, str]:
        return {"called_at": "called_on"}


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.country})"


class PersonsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: InterceptedPerson) -> str:
        label = obj.person.full_name
        if obj.age_years is not None:
            label += f", {obj.age_years}"
        if obj.case is not None:
            label += " — " + _("case %(number)s") % {"number": obj.case.number}
        return label


class DecideForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, widget=forms.RadioSelect,
        choices=[(value, label) for value, label in Outcome.choices if value != Outcome.OPEN],
    )  # fmt: skip
    refer = PersonsChoiceField(
        label=_("Who is referred to the police"), queryset=InterceptedPerson.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A case is opened for each, from what this record holds (or her open case is linked)."),
    )  # fmt: skip
    handed_to = OrganisationChoiceField(
        label=_("Handed to (transit home, police, the other side's authority)"),
        queryset=Organisation.objects.none(), required=False,
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, widget=_text(3))

    def __init__(self, *args, interception: Interception, **kwargs) -> None:
        initial = kwargs.setdefault("initial", {})
        if interception.outcome != Outcome.OPEN:
            initial.setdefault("outcome", interception.outcome)
            initial.setdefault("handed_to", interception.handed_to_id)
            initial.setdefault("note", interception.outcome_note)
        super().__init__(*args, **kwargs)
        set_queryset(self, "refer", interception.persons.select_related("person", "case"))
        set_queryset(self, "handed_to", Organisation.objects.filter(is_active=True).order_by("country", "name_en"))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"outcome": data["outcome"], "note": data["note"], "handed_to": data["handed_to"],
                "refer": list(data["refer"] or [])}  # fmt: skip

    def service_field_names(self) -> dict[str, str]:
        # A case the referral opens may be refused (no age, no SOP loaded): said at the top of the form.
        return {"age_at_identification": NON_FIELD_ERRORS}


class InterceptionFilterForm(forms.Form):
    station = StationChoiceField(label=_("Station"), queryset=BorderPoint.objects.none(), required=False,
                                 empty_label=_("Any"))  # fmt: skip
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Any")), *Outcome.choices], required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stations = BorderPoint.objects.filter(country=settings.SETU_NODE).select_related("district")
        posted = posted_stations(user)
        if posted:
            stations = stations.filter(pk__in=sorted(posted))
        set_queryset(self, "station", stations.order_by("name_en"))

    def filters(self) -> dict[str, Any]:
        """The valid filters as interception_list_for's arguments; an invalid one is dropped, not fatal."""
        self.is_valid()
        station = self.cleaned_data.get("station")
        return {"station_id": station.pk if station else None, "outcome": self.cleaned_data.get("outcome") or ""}
