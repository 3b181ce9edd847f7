"""Form fields every app reuses. `FlexibleDateField`: a date typed in the user's calendar (BS or AD).

Dates are stored in AD; people at a Nepali border post think in Bikram Sambat. The field reads
`YYYY-MM-DD` (Latin or Devanagari digits) in the calendar the form was given, shows that calendar's name
next to the input, and a trailing "BS" or "AD" typed by the user wins over the preference.

    class MyForm(CalendarFormMixin, forms.Form):
        born = FlexibleDateField(required=False)

    MyForm(request.POST, calendar=request.user.date_preference)
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from setu.core.dates import DateInputError, format_bs, parse_date

CALENDARS = ("AD", "BS")
CALENDAR_LABELS = {"AD": _("AD"), "BS": _("BS")}
CALENDAR_TITLES = {"AD": _("AD (Gregorian)"), "BS": _("Bikram Sambat (BS)")}
_SUFFIX = re.compile(r"\s*\b(BS|B\.S\.|AD|A\.D\.|वि\.?\s?सं\.?|ई\.?\s?सं\.?)\s*$", re.IGNORECASE)
_SUFFIX_CALENDAR = {"BS": "BS", "B.S.": "BS", "AD": "AD", "A.D.": "AD"}


def format_in(value: dt.date, calendar: str) -> str:
    """`value` as YYYY-MM-DD in `calendar`; AD when the date is outside the BS tables."""
    if calendar == "BS":
        try:
            return format_bs(value)
        except DateInputError:
            return value.isoformat()
    return value.isoformat()


def split_calendar(text: str, default: str) -> tuple[str, str]:
    """("2081-01-01", "BS") from "2081-01-01 BS"; the default calendar when no suffix is typed."""
    match = _SUFFIX.search(text)
    if not match:
        return text.strip(), default
    suffix = match.group(1).upper().replace(" ", "")
    calendar = _SUFFIX_CALENDAR.get(suffix) or ("BS" if suffix.startswith("व") else "AD")
    return text[: match.start()].strip(), calendar


class CalendarDateInput(forms.TextInput):
    """A text input followed by the name of the calendar it is read in."""

    def __init__(self, attrs=None, calendar: str = "AD") -> None:
        defaults = {"placeholder": "YYYY-MM-DD", "autocomplete": "off", "spellcheck": "false", "size": "12"}
        super().__init__({**defaults, **(attrs or {})})
        self.calendar = calendar

    def format_value(self, value):
        if isinstance(value, dt.date):
            return format_in(value, self.calendar)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id")
        if widget_id:
            context["widget"]["attrs"]["aria-describedby"] = f"{widget_id}_calendar"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        widget_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return format_html(
            '<span class="date-input">{}<span class="calendar-name" id="{}_calendar" title="{}">{}</span></span>',
            html,
            widget_id,
            CALENDAR_TITLES[self.calendar],
            CALENDAR_LABELS[self.calendar],
        )


class FlexibleDateField(forms.Field):
    """A date entered and shown in the user's calendar (BS or AD); cleaned to a `datetime.date` in AD."""

    widget = CalendarDateInput
    default_error_messages = {
        "format": _("Enter the date as YYYY-MM-DD, in %(calendar)s."),
        "invalid": _("%(value)s is not a date in %(calendar)s."),
    }

    def __init__(self, *, calendar: str = "AD", **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_calendar(calendar)

    def set_calendar(self, calendar: str) -> None:
        self.calendar = calendar if calendar in CALENDARS else "AD"
        self.widget.calendar = self.calendar

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return format_in(value, self.calendar)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text, calendar = split_calendar(str(value)[:40], self.calendar)
        label = CALENDAR_TITLES[calendar]
        try:
            return parse_date(text, calendar=calendar)
        except DateInputError as exc:
            code = "format" if "YYYY-MM-DD" in str(exc) else "invalid"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"calendar": label, "value": text}
            ) from None


class CalendarFormMixin:
    """Give every FlexibleDateField of a form the user's calendar: `Form(data, calendar="BS")`."""

    def __init__(self, *args, calendar: str = "AD", **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.calendar = calendar if calendar in CALENDARS else "AD"
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, FlexibleDateField):
                field.set_calendar(self.calendar)
