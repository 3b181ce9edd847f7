"""How a person's birth date reads, given how it is known: `{% birth_summary person request.user %}`."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.core.dates import DateInputError, ad_to_bs, age_on
from setu.core.formfields import CALENDAR_LABELS
from setu.core.templatetags.setu_dates import calendar_of, user_date
from setu.people.models import BirthPrecision, Person

register = template.Library()


def _year_text(person: Person, calendar: str) -> str:
    """A year-only birth date in `calendar`. Shown in the other calendar it spans two years: "2059/60"."""
    entered_in = person.birth_calendar or "AD"
    birth = person.birth_date
    assert birth is not None  # noqa: S101 - a YEAR precision always has a date (DB constraint)
    if calendar == "BS":
        try:
            year = ad_to_bs(birth)[0]
        except DateInputError:
            return f"{birth.year} {CALENDAR_LABELS['AD']}"
    else:
        year = birth.year
    if entered_in == calendar:
        return f"{year} {CALENDAR_LABELS[calendar]}"
    return f"{year}/{(year + 1) % 100:02d} {CALENDAR_LABELS[calendar]}"


@register.simple_tag
def birth_summary(person: Person, user) -> str:
    today = timezone.localdate()
    precision = person.birth_precision
    if precision == BirthPrecision.UNKNOWN or person.birth_date is None:
        return _("Not known")
    age = age_on(person.birth_date, today)
    if precision == BirthPrecision.EXACT:
        return _("%(date)s (age %(age)s)") % {"date": user_date(person.birth_date, user), "age": age}
    if precision == BirthPrecision.YEAR:
        return _("Born in %(year)s (about %(age)s years old)") % {
            "year": _year_text(person, calendar_of(user)),
            "age": age,
        }
    return _("About %(estimate)s years old on %(date)s, estimated (about %(age)s now)") % {
        "estimate": person.age_estimate,
        "date": user_date(person.age_estimated_on, user),
        "age": age,
    }


@register.simple_tag
def age_text(person: Person) -> str:
    """Short age for lists: "17", "~17" when not exact, "—" when unknown."""
    if person.birth_date is None:
        return "—"
    age = age_on(person.birth_date, timezone.localdate())
    return str(age) if person.birth_precision == BirthPrecision.EXACT else f"~{age}"
