"""HTML forms of the legal pages. They parse what was typed; the services decide what is valid and say why
(ServiceErrorsMixin puts a service's message on its field). Dates are typed in the user's calendar (BS or AD);
a session's time is a date, a time and the time zone it is given in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from setu.cases.choices import PerpetratorRole
from setu.core.formfields import CalendarFormMixin, FlexibleDateField
from setu.legal.charges import charge_list
from setu.legal.models import (
    Currency,
    HerConsent,
    Outcome,
    PaymentMethod,
    Presence,
    ProsecutionStatus,
    SessionStatus,
    Verdict,
)
from setu.people.forms import ServiceErrorsMixin, district_choices
from setu.people.models import Nationality

BLANK = [("", "—")]
TIMEZONES = [
    ("Asia/Kathmandu", _("Nepal time (Asia/Kathmandu, UTC+5:45)")),
    ("Asia/Kolkata", _("India time (Asia/Kolkata, UTC+5:30)")),
]


class DistrictField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ProsecutionForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    district = DistrictField(
        queryset=district_choices(), label=_("District of the court"), empty_label="—", required=False
    )
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    police_case_number = forms.CharField(label=_("Police case / FIR number"), max_length=64, required=False)
    police_unit = forms.CharField(label=_("Police unit"), max_length=200, required=False)
    opened_on = FlexibleDateField(label=_("Registered on"), required=False)
    notes = forms.CharField(
        label=_("Notes (no testimony here)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = district_choices().filter(  # type: ignore[attr-defined]
            province__country=settings.SETU_NODE
        )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Number, FIR or court"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=BLANK + list(ProsecutionStatus.choices), required=False)
    act = forms.ChoiceField(label=_("Law"), required=False)
    year = forms.IntegerField(label=_("Year registered"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["act"].choices = BLANK + [(key, act.title()) for key, act in charge_list().acts.items()]  # type: ignore[attr-defined]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data["q"] or "",
            "status": data["status"] or "",
            "act": data["act"] or "",
            "year": data["year"],
        }


class StatusForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProsecutionStatus.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=BLANK + list(Outcome.choices), required=False)
    judgment_on = FlexibleDateField(label=_("Judgment given on"), required=False)


def charge_choices() -> list[tuple[str, str]]:
    return BLANK + [
        (c.code, c.label())
        for c in charge_list().for_country(settings.SETU_NODE)
        if c.act.country == settings.SETU_NODE
    ]


class ChargeForm(ServiceErrorsMixin, forms.Form):
    # A text field shown as the list of sections: whatever is posted goes to the service, which refuses a code
    # that is not on the list with the list's own message (the same as the API gives).
    code = forms.CharField(label=_("Section"), max_length=32, required=False, widget=forms.Select())
    particulars = forms.CharField(label=_("Particulars"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.choices = charge_choices()  # type: ignore[attr-defined]


class AccusedForm(ServiceErrorsMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    gender = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("NonSpecifiedUnknown", _("Not known")), ("Masculine", _("Male")), ("Feminine", _("Female"))],
    )
    age_years = forms.IntegerField(label=_("Age (years, estimate)"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=BLANK + list(Nationality.choices), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles (HTCDS)"), choices=PerpetratorRole.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class VerdictForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    verdict_on = FlexibleDateField(label=_("Verdict given on"), required=False)
    sentence = forms.CharField(label=_("Sentence"), max_length=300, required=False)
    fine_amount = forms.CharField(label=_("Fine"), max_length=20, required=False)
    fine_currency = forms.ChoiceField(label=_("Currency"), choices=BLANK + list(Currency.choices), required=False)


class WitnessForm(ServiceErrorsMixin, forms.Form):
    case_number = forms.CharField(
        label=_("Her case number"), max_length=24, help_text=_("The survivor case of the victim, e.g. NP-2026-000123.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HearingForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    held_on = FlexibleDateField(label=_("Date of the hearing"), required=False)
    what_happened = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Leave empty for a hearing still to come."),
    )
    next_on = FlexibleDateField(label=_("Next date"), required=False)


class CompensationForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    witness = forms.ChoiceField(label=_("To (victim)"))
    accused = forms.ChoiceField(label=_("Paid by (convicted accused)"))
    amount = forms.CharField(label=_("Amount ordered"), max_length=20, required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    ordered_on = FlexibleDateField(label=_("Ordered on"), required=False)
    below_minimum_reason = forms.CharField(
        label=_("If below the legal minimum: why"),
        max_length=300,
        required=False,
        help_text=_("HTTCA s.17: at least half the offender's fine. Only if the court did order less."),
    )

    def __init__(self, *args, witnesses=(), accused=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["witness"].choices = [(str(w.public_id), w.case.number) for w in witnesses]  # type: ignore[attr-defined]
        self.fields["accused"].choices = [(str(a.public_id), a.person.full_name) for a in accused]  # type: ignore[attr-defined]


class PaymentForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    paid_on = FlexibleDateField(label=_("Paid on"), required=False)
    amount = forms.CharField(label=_("Amount"), max_length=20, required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference (receipt, transaction)"), max_length=100, required=False)


class NeedForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    witness = forms.ChoiceField(label=_("Witness (her case)"))
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    place = forms.CharField(label=_("Where she is needed"), max_length=200, required=False)
    needed_from = FlexibleDateField(label=_("Needed from"), required=False)
    needed_until = FlexibleDateField(label=_("Needed until"), required=False)
    presence = forms.ChoiceField(label=_("Presence"), choices=Presence.choices, initial=Presence.VIDEO_POSSIBLE)

    def __init__(self, *args, witnesses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["witness"].choices = [(str(w.public_id), w.case.number) for w in witnesses]  # type: ignore[attr-defined]


class HerViewForm(ServiceErrorsMixin, forms.Form):
    her_consent = forms.ChoiceField(label=_("Does she agree to testify?"), choices=HerConsent.choices)
    her_view = forms.CharField(
        label=_("Her own view, in her words"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def _aware(day: dt.date | None, time: dt.time | None, zone: str) -> dt.datetime | None:
    if day is None or time is None:
        return None
    try:
        return dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone))
    except (KeyError, ValueError):
        return None


class SessionForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    on = FlexibleDateField(label=_("Date"), required=False)
    time = forms.TimeField(
        label=_("Time (24-hour clock)"), required=False, widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    timezone = forms.ChoiceField(label=_("Time zone of that time"), choices=TIMEZONES)
    court_end = forms.CharField(label=_("Court end (where the court sits)"), max_length=200, required=False)
    survivor_end = forms.CharField(label=_("Survivor end (where she testifies from)"), max_length=200, required=False)
    interpreter = forms.CharField(label=_("Interpreter (language, name)"), max_length=200, required=False)
    link_reference = forms.CharField(label=_("Link reference (room, meeting id)"), max_length=200, required=False)

    def service_field_names(self) -> dict[str, str]:
        return {"scheduled_at": "on"}

    def scheduled_at(self) -> dt.datetime | None:
        data = self.cleaned_data
        return _aware(data.get("on"), data.get("time"), data.get("timezone") or "Asia/Kathmandu")


class SessionStatusForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SessionStatus.choices)
    note = forms.CharField(label=_("Why (for adjourned or cancelled)"), max_length=300, required=False)
    accept_counter = forms.BooleanField(label=_("Take the time the other side proposed"), required=False)


class AnswerForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("confirmed", _("Confirm: she will testify then")),
            ("declined", _("Decline")),
            ("counter", _("Propose another time")),
        ],
    )
    reason = forms.CharField(label=_("Reason (the court's side sees it)"), max_length=200, required=False)
    on = FlexibleDateField(label=_("Other date"), required=False)
    time = forms.TimeField(
        label=_("Other time (24-hour clock)"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    survivor_end = forms.CharField(label=_("Where she testifies from"), max_length=200, required=False)

    def service_field_names(self) -> dict[str, str]:
        return {"proposed_at": "on"}

    def proposed_at(self, zone: str) -> dt.datetime | None:
        data = self.cleaned_data
        return _aware(data.get("on"), data.get("time"), zone)
