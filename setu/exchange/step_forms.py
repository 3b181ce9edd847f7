"""Forms of the bilateral steps people take on a case, and of answering a message from the other country."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from setu.accounts.models import Organisation
from setu.cases.forms import YES_NO_UNKNOWN
from setu.core.formfields import CalendarFormMixin, FlexibleDateField
from setu.geo.models import District
from setu.people.forms import DistrictChoiceField, ServiceErrorsMixin


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _time(label) -> forms.TimeField:
    return forms.TimeField(label=label, widget=forms.TimeInput(format="%H:%M", attrs={
        "placeholder": "HH:MM", "inputmode": "numeric", "size": "6"}))  # fmt: skip


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _maybe(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


CHECKS = [
    ("identity", _("Identity")),
    ("nationality", _("Nationality")),
    ("family_tracing", _("Family tracing")),
    ("home_study", _("Home study (is home safe?)")),
]


class NotifyForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    checks = forms.MultipleChoiceField(label=_("Ask her country to verify"), choices=CHECKS,
                                       initial=[c for c, _label in CHECKS],
                                       widget=forms.CheckboxSelectMultiple(attrs={"class": "check-grid"}))  # fmt: skip
    reply_by = FlexibleDateField(label=_("Reply needed by"), required=False)
    note = forms.CharField(label=_("Note for the other country"), required=False, max_length=2000, widget=_text())

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class VerificationResponseForm(ServiceErrorsMixin, forms.Form):
    identity_confirmed = forms.BooleanField(label=_("Her identity is confirmed"), required=False)
    nationality_confirmed = forms.BooleanField(label=_("She is a national of this country"), required=False)
    family_traced = forms.ChoiceField(label=_("Family traced"), choices=YES_NO_UNKNOWN, initial="unknown")
    family_willing = forms.ChoiceField(label=_("Family willing to receive her"), choices=YES_NO_UNKNOWN,
                                       initial="unknown")  # fmt: skip
    safe_to_return = forms.ChoiceField(label=_("Safe for her to return home"), choices=YES_NO_UNKNOWN,
                                       initial="unknown")  # fmt: skip
    home_study = forms.CharField(label=_("Home study: what was found"), required=False, max_length=2000,
                                 widget=_text(5))  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_text(2))

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("family_traced", "family_willing", "safe_to_return"):
            data[name] = _maybe(data[name])
        return data


class ProposalForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    proposed_on = FlexibleDateField(label=_("Proposed date of return"))
    border_point = forms.CharField(label=_("Crossing point"), max_length=200)
    escort = forms.CharField(label=_("Escort"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_text(2))

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ScheduleForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    on = FlexibleDateField(label=_("Handover on"))
    time = _time(_("At (time, 24-hour clock)"))
    border_point = forms.CharField(label=_("Crossing point"), max_length=200)
    escort = forms.CharField(label=_("Escort"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_text(2))

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["at"] = _at(data.pop("on"), data.pop("time"))
        return data


class CertificateForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    on = FlexibleDateField(label=_("Handed over on"))
    time = _time(_("At (time, 24-hour clock)"))
    border_point = forms.CharField(label=_("Crossing point"), max_length=200)
    belongings = forms.CharField(label=_("Her belongings handed over"), required=False, max_length=2000,
                                 widget=_text(2))  # fmt: skip
    documents = forms.CharField(label=_("Documents handed over"), required=False, max_length=2000, widget=_text(2))

    def __init__(self, *args, **kwargs) -> None:
        now = timezone.localtime()
        kwargs.setdefault("initial", {"on": now.date(), "time": now.time().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["handed_over_at"] = _at(data.pop("on"), data.pop("time"))
        return data


class TransferForm(ServiceErrorsMixin, forms.Form):
    care_summary = forms.CharField(label=_("Care given here, in short"), max_length=2000, widget=_text(4))
    needs = forms.CharField(label=_("Her needs at home (one per line)"), required=False, max_length=2000,
                            widget=_text(3))  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_text(2))

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["needs"] = [line.strip()[:200] for line in data["needs"].splitlines() if line.strip()][:20]
        return data


class FollowUpReportForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    visited_on = FlexibleDateField(label=_("Visited on"))
    summary = forms.CharField(label=_("What was found (no sensitive details)"), max_length=2000, widget=_text(4))
    next_visit_on = FlexibleDateField(label=_("Next visit"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AnswerForm(ServiceErrorsMixin, forms.Form):
    """Accept (with what the message's type needs) or reject with a reason."""

    answer = forms.ChoiceField(choices=[("accept", pgettext_lazy("verb", "Accept")),
                                        ("reject", pgettext_lazy("verb", "Reject"))],
                               widget=forms.HiddenInput, required=False)  # fmt: skip
    organisation = forms.ModelChoiceField(label=_("Organisation that takes her case"),
                                          queryset=Organisation.objects.none(), required=False)  # fmt: skip
    district = DistrictChoiceField(label=_("Her district (the case's jurisdiction)"), queryset=District.objects.none(),
                                   required=False)  # fmt: skip
    receiving_officer = forms.CharField(label=_("Officer who will receive her"), required=False, max_length=200)
    note = forms.CharField(label=_("Note (her own view, or for the other country)"), required=False,
                           max_length=300, widget=_text(2))  # fmt: skip
    reason = forms.CharField(label=_("Reason, if you reject (the other country sees it)"), required=False,
                             max_length=300, widget=_text(2))  # fmt: skip

    def __init__(self, *args, message_type: str, organisations, district_initial=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if message_type == "case.notification":
            organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
            organisation.queryset = organisations
            organisation.required = False
            if organisations.count() == 1:
                organisation.initial = organisations.first().pk
            district = cast(forms.ModelChoiceField, self.fields["district"])
            district.queryset = District.objects.select_related("province").order_by("province__country", "name_en")
            district.initial = district_initial
        else:
            del self.fields["organisation"], self.fields["district"]
        if message_type != "repatriation.proposal":
            del self.fields["receiving_officer"]
