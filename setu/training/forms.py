"""HTML forms of the training pages. They parse what was typed; the services decide what is valid and say
why (ServiceErrorsMixin puts a service's message on its field)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from setu.accounts.models import Organisation
from setu.core.enums import Gender
from setu.core.formfields import CalendarFormMixin, FlexibleDateField
from setu.people.forms import ServiceErrorsMixin, set_queryset
from setu.training.models import Country, ParticipantKind, TopicArea

_BLANK: list[tuple[str, Any]] = [("", "—")]


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class ProgrammeForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    organiser = OrganisationField(queryset=Organisation.objects.none(), label=_("Organiser"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    topics = forms.MultipleChoiceField(label=_("Topic areas"), choices=TopicArea.choices,
                                       widget=forms.CheckboxSelectMultiple, required=False)  # fmt: skip
    host_country = forms.ChoiceField(label=_("Host country"), choices=Country.choices)
    place = forms.CharField(label=_("Place"), max_length=200, help_text=_("e.g. Biratnagar, Morang"))
    starts_on = FlexibleDateField(label=_("First day"), required=False)
    ends_on = FlexibleDateField(label=_("Last day"), required=False)
    trainers = forms.CharField(label=_("Trainers"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One name a line."))  # fmt: skip
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    is_joint = forms.BooleanField(label=_("Joint training of both countries"), required=False, initial=True)
    seats = forms.IntegerField(label=_("Seats for the other country"), required=False, min_value=1, max_value=500)
    reply_by = FlexibleDateField(label=_("Nominations due by"), required=False)

    def __init__(self, *args, organisers: QuerySet[Organisation] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisers is None or len(organisers) <= 1:
            del self.fields["organiser"]
        else:
            set_queryset(self, "organiser", organisers)
        if not self.is_bound and "host_country" not in self.initial:
            self.initial["host_country"] = settings.SETU_NODE

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["topics"] = list(data.get("topics") or [])
        if "organiser" not in self.fields:
            data.pop("organiser", None)
        return data


class SessionForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic area"), choices=_BLANK + list(TopicArea.choices), required=False)
    day = FlexibleDateField(label=_("Day"))
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("Leave empty for the programme's place."))  # fmt: skip

    def service_field_names(self) -> dict[str, str]:
        return {"starts_at": "day", "ends_at": "end"}

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        day: dt.date = data["day"]
        return {
            "title": data["title"], "topic": data["topic"], "place": data["place"],
            "starts_at": dt.datetime.combine(day, data["start"], tzinfo=zone),
            "ends_at": dt.datetime.combine(day, data["end"], tzinfo=zone),
        }  # fmt: skip


class ParticipantForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("As the participant writes it, in Devanagari or Latin letters."))  # fmt: skip
    sex = forms.ChoiceField(label=_("Sex"), choices=_BLANK + list(Gender.choices), required=False)
    designation = forms.CharField(label=_("Designation / role"), max_length=200,
                                  help_text=_("e.g. Inspector, Public prosecutor, Social worker"))  # fmt: skip
    kind = forms.ChoiceField(label=pgettext_lazy("participant", "From"), choices=ParticipantKind.choices,
                             widget=forms.RadioSelect, initial=ParticipantKind.ORGANISATION)  # fmt: skip
    organisation = OrganisationField(queryset=Organisation.objects.none(), label=_("Organisation on this node"),
                                     required=False)  # fmt: skip
    organisation_name = forms.CharField(label=_("Organisation (other country or guest)"), max_length=200,
                                        required=False)  # fmt: skip
    node = forms.ChoiceField(label=_("Country"), choices=_BLANK + list(Country.choices), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organisation", Organisation.objects.filter(is_active=True).order_by("name_en"))

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class RevokeForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Why is it revoked?"), max_length=500, required=False)


class NomineeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=_BLANK + list(Gender.choices), required=False)
    designation = forms.CharField(label=_("Designation / role"), max_length=200, required=False)
    organisation = OrganisationField(queryset=Organisation.objects.none(), label=_("Organisation"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ours = Organisation.objects.filter(is_active=True, country=settings.SETU_NODE).order_by("name_en")
        set_queryset(self, "organisation", ours)

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(name) for name in ("name", "sex", "designation", "organisation"))


NomineeFormSet = forms.formset_factory(NomineeForm, extra=5, max_num=50)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=64,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "placeholder": "XXXX-XXXX-XXXX"}))  # fmt: skip
