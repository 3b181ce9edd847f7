"""Dates in the user's calendar: `{% load setu_dates %}{{ person.birth_date|user_date:request.user }}`.

Shows "2081-01-01 BS" for a user who prefers Bikram Sambat and "2024-04-13 AD" otherwise; the calendar is
always named, because at a border the two are easily mixed up.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from setu.core.formfields import CALENDAR_LABELS, format_in

register = template.Library()


def calendar_of(user) -> str:
    preference = getattr(user, "date_preference", "AD")
    return preference if preference in CALENDAR_LABELS else "AD"


@register.filter
def user_date(value, user) -> str:
    """`value` (a date, or an aware datetime shown as its local date) in `user`'s calendar, named."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        return str(value)
    calendar = calendar_of(user)
    text = format_in(value, calendar)
    if calendar == "BS" and text == value.isoformat():  # outside the BS tables: shown in AD
        calendar = "AD"
    return f"{text} {CALENDAR_LABELS[calendar]}"


@register.filter
def user_calendar(user) -> str:
    """The short name of `user`'s calendar ("BS" or "AD"), for labels next to inputs."""
    return str(CALENDAR_LABELS[calendar_of(user)])
