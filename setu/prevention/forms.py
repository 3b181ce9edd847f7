"""HTML forms of the prevention pages. They parse what was typed; the services decide what is valid and say
why (setu.people.forms.ServiceErrorsMixin puts a service's message on its field).

The local level list holds the local levels of the district chosen: htmx reloads it when the district
changes, and without JavaScript the form comes back with the right list after "Show local levels" (or after
a refused save).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import Organisation
from setu.core.formfields import CalendarFormMixin, FlexibleDateField, format_in
from setu.geo.models import District, LocalLevel
from setu.people.forms import ServiceErrorsMixin, set_queryset
from setu.prevention.models import (
    MAX_REACHED,
    REACHED_LABELS,
    Audience,
    AwarenessActivity,
    FollowUp,
    Topic,
    VigilanceKind,
)
from setu.prevention.summary import REACHED_FIELDS

_BLANK: list[tuple[str, Any]] = [("", "—")]

# How far back the summary looks when no period is given.
DEFAULT_PERIOD_DAYS = 365


class DistrictField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: District) -> str:
        return obj.name


class LocalLevelField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("empty_label", "—")  # as the htmx partial's blank option
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: LocalLevel) -> str:
        return obj.name


def _count_field(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=REACHED_LABELS[name], required=False, min_value=0, max_value=MAX_REACHED,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "placeholder": "0"}),
    )  # fmt: skip


class PlaceFormMixin(forms.Form):
    """A district, and a local level of that district: the local level list follows the district."""

    district_field = "district"
    local_level_field = "local_level"

    def setup_place(self, districts: QuerySet[District]) -> None:
        set_queryset(self, self.district_field, districts)
        set_queryset(self, self.local_level_field, self._local_levels(districts))
        if len(districts) == 1 and not self.is_bound and not self.initial.get(self.district_field):
            self.initial[self.district_field] = districts[0].pk
            set_queryset(self, self.local_level_field, self._local_levels(districts))
        self.fields[self.district_field].widget.attrs.update(
            {
                "hx-get": reverse("prevention:local_level_options"),
                "hx-target": f"#{self[self.local_level_field].auto_id}",
                "hx-trigger": "change",
            }
        )

    def chosen_district(self) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(self.district_field))
        return self.initial.get(self.district_field)

    def _local_levels(self, districts: QuerySet[District]) -> QuerySet[LocalLevel]:
        queryset = LocalLevel.objects.order_by("name_en")
        district = self.chosen_district()
        try:
            key = int(getattr(district, "pk", district))
        except (TypeError, ValueError):
            return queryset.none()
        return queryset.filter(district_id=key) if 0 < key < 2**31 else queryset.none()


class RecordFormMixin(ServiceErrorsMixin, CalendarFormMixin, PlaceFormMixin):
    """What the activity and report forms share: the organisation (when the user has several) and the place."""

    def __init__(self, *args, organisations: QuerySet[Organisation] | None = None, districts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None or len(organisations) <= 1:
            del self.fields["organisation"]
        else:
            set_queryset(self, "organisation", organisations)
        self.setup_place(districts if districts is not None else District.objects.none())

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "organisation" not in self.fields:
            data.pop("organisation", None)
        return data


def _organisation_field() -> forms.ModelChoiceField:
    """Shown only to a user of several organisations that may record (RecordFormMixin removes it otherwise)."""
    return forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Recording organisation"))


_LOCAL_LEVEL_HELP = _("The list shows the local levels of the district chosen.")
_INVALID_LOCAL_LEVEL = {"invalid_choice": _("Choose a municipality or rural municipality of the district chosen.")}


class ActivityForm(RecordFormMixin):
    organisation = _organisation_field()
    held_on = FlexibleDateField(label=_("Date held"))
    district = DistrictField(queryset=District.objects.none(), label=_("District"))
    local_level = LocalLevelField(
        queryset=LocalLevel.objects.none(), label=_("Municipality / rural municipality"),
        help_text=_LOCAL_LEVEL_HELP, error_messages=_INVALID_LOCAL_LEVEL,
    )  # fmt: skip
    ward = forms.IntegerField(label=_("Ward"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    audience = forms.ChoiceField(label=_("Audience"), choices=_BLANK + Audience.choices)
    female_under_18 = _count_field("female_under_18")
    female_adult = _count_field("female_adult")
    male_under_18 = _count_field("male_under_18")
    male_adult = _count_field("male_adult")
    other_under_18 = _count_field("other_under_18")
    other_adult = _count_field("other_adult")
    topics = forms.MultipleChoiceField(
        label=_("Topics covered"), choices=Topic.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-grid"}),
    )  # fmt: skip
    partner_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), label=_("Partner organisations on Setu"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-grid"}),
    )  # fmt: skip
    partners_other = forms.CharField(
        label=_("Other partners"), max_length=300, required=False,
        help_text=_("Schools, clubs, mothers' groups and others not listed above."),
    )  # fmt: skip
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args,
        activity: AwarenessActivity | None = None,
        organisations: QuerySet[Organisation] | None = None,
        **kwargs,
    ) -> None:
        kwargs["organisations"] = organisations
        if activity is not None:
            kwargs.setdefault("initial", self.initial_for(activity))
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.reached_errors: list[str] = []
        if activity is not None:
            self.fields.pop("organisation", None)  # set once, when recorded
        partners = Organisation.objects.filter(is_active=True, country=settings.SETU_NODE).order_by("name_en")
        # The organisation that ran the activity is not its own partner (when it is known already).
        owners = [activity.organisation_id] if activity is not None else []
        if activity is None and organisations is not None and len(organisations) == 1:
            owners = [organisations[0].pk]
        set_queryset(self, "partner_organisations", partners.exclude(pk__in=owners))
        self.fields["held_on"].initial = timezone.localdate()

    @staticmethod
    def initial_for(activity: AwarenessActivity) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(activity, name)
            for name in ("held_on", "ward", "audience", *REACHED_FIELDS, "topics", "partners_other", "notes")
        }
        initial["district"] = activity.district_id
        initial["local_level"] = activity.local_level_id
        initial["partner_organisations"] = list(activity.partner_organisations.values_list("pk", flat=True))
        return initial

    def reached_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in REACHED_FIELDS]

    def add_service_errors(self, exc: ValidationError) -> None:
        """The service's "no one reached" message is shown with the counts, not at the top of the form."""
        if hasattr(exc, "error_dict") and "reached" in exc.error_dict:
            self.reached_errors = exc.message_dict["reached"]
            rest = {name: errors for name, errors in exc.error_dict.items() if name != "reached"}
            if not rest:
                return
            exc = ValidationError(rest)
        super().add_service_errors(exc)

    def service_kwargs(self) -> dict[str, Any]:
        data = super().service_kwargs()
        for name in REACHED_FIELDS:
            data[name] = data.get(name) or 0
        data["topics"] = list(data.get("topics") or [])
        data["partner_organisations"] = list(data.get("partner_organisations") or [])
        return data


class VigilanceReportForm(RecordFormMixin):
    organisation = _organisation_field()
    reported_on = FlexibleDateField(label=_("Date reported"))
    district = DistrictField(queryset=District.objects.none(), label=_("District"))
    local_level = LocalLevelField(
        queryset=LocalLevel.objects.none(), label=_("Municipality / rural municipality"),
        help_text=_LOCAL_LEVEL_HELP, error_messages=_INVALID_LOCAL_LEVEL,
    )  # fmt: skip
    ward = forms.IntegerField(label=_("Ward"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reporter = forms.CharField(
        label=_("Reported by (committee)"), max_length=200,
        help_text=_("The vigilance committee or group, e.g. “Ward 5 community vigilance committee”."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("What kind"), choices=_BLANK + VigilanceKind.choices)
    seen = forms.CharField(
        label=_("What was seen"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where, when, what happened. Do not write the names of children or of the people travelling."),
    )  # fmt: skip
    follow_up = forms.ChoiceField(
        label=_("Follow-up"), choices=FollowUp.choices, initial=FollowUp.NONE, widget=forms.RadioSelect
    )
    follow_up_note = forms.CharField(
        label=_("Follow-up note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()


def default_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS), today


class FilterForm(CalendarFormMixin, PlaceFormMixin):
    """The period and place of a list or of the summary (a GET form: bad values are dropped, not fatal)."""

    date_from = FlexibleDateField(label=_("From"), required=False)
    date_to = FlexibleDateField(label=_("To"), required=False)
    district = DistrictField(queryset=District.objects.none(), label=_("District"), required=False)
    local_level = LocalLevelField(
        queryset=LocalLevel.objects.none(), label=_("Municipality / rural municipality"), required=False
    )
    kind = forms.ChoiceField(label=_("What kind"), choices=_BLANK + VigilanceKind.choices, required=False)

    def __init__(
        self, data: QueryDict, *, districts: QuerySet[District], kinds: bool = False, period: bool = False, **kwargs
    ) -> None:
        if period and not (data.get("date_from") or data.get("date_to")):
            # The summary's default period, shown in the inputs in the user's calendar.
            data = data.copy()
            calendar = kwargs.get("calendar", "AD")
            data["date_from"], data["date_to"] = (format_in(day, calendar) for day in default_period())
        super().__init__(data, **kwargs)
        self.default_period = period
        if not kinds:
            del self.fields["kind"]
        self.setup_place(districts)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end of the period is before its start."))
        local_level, district = data.get("local_level"), data.get("district")
        if local_level is not None and district is not None and local_level.district_id != district.pk:
            self.add_error("local_level", _INVALID_LOCAL_LEVEL["invalid_choice"])
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters, with the default period for the summary; an invalid one is dropped."""
        self.is_valid()
        data = self.cleaned_data
        # A period that ends before it starts is dropped whole.
        reversed_period = "date_to" in self.errors
        date_from = None if reversed_period else data.get("date_from")
        date_to = None if reversed_period else data.get("date_to")
        if self.default_period:
            default_from, default_to = default_period()
            date_from, date_to = date_from or default_from, date_to or default_to
            if date_from > date_to:
                date_from, date_to = default_from, default_to
        district, local_level = data.get("district"), data.get("local_level")
        filters: dict[str, Any] = {
            "date_from": date_from,
            "date_to": date_to,
            "district_id": district.pk if district else None,
            "local_level_id": local_level.pk if local_level else None,
        }
        if "kind" in self.fields:
            filters["kind"] = data.get("kind", "")
        return filters
