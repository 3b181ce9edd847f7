"""The hotspots page and its CSV export (setu/interceptions/hotspots.py holds the figures). Views only
translate HTTP: parse the filters, call the selector (or the export), render."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.core.http import AuthedRequest
from setu.geo.models import BorderPoint
from setu.interceptions import hotspots
from setu.interceptions.models import Interception, Outcome

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST_YEAR = 2000


class MonthInput(forms.TextInput):
    input_type = "month"  # a month picker where the browser has one; YYYY-MM typed where it has not

    def __init__(self) -> None:
        super().__init__(attrs={"placeholder": "2026-01", "pattern": r"\d{4}-\d{2}", "inputmode": "numeric"})


def _month(value: str) -> dt.date | None:
    if not value:
        return None
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < EARLIEST_YEAR:
        raise ValidationError(_("Give a month as YYYY-MM, e.g. 2026-01."))
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


class StationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BorderPoint) -> str:
        return obj.name


class HotspotFilterForm(forms.Form):
    start = forms.CharField(label=gettext_lazy("From (month)"), required=False, widget=MonthInput())
    end = forms.CharField(label=gettext_lazy("To (month)"), required=False, widget=MonthInput())
    year = forms.TypedChoiceField(label=gettext_lazy("Or a whole year"), required=False, coerce=int, empty_value=None)
    station = StationField(label=gettext_lazy("Crossing point"), queryset=BorderPoint.objects.none(), required=False,
                           empty_label=gettext_lazy("All crossing points"))  # fmt: skip
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), required=False, choices=[("", gettext_lazy("All outcomes")), *Outcome.choices]
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        stations = self.fields["station"]
        assert isinstance(stations, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        stations.queryset = BorderPoint.objects.filter(country=settings.SETU_NODE).order_by("name_en")
        oldest = Interception.objects.order_by("intercepted_at").values_list("intercepted_at", flat=True).first()
        first_year = max(EARLIEST_YEAR, min(timezone.localtime(oldest).year if oldest else self.today.year,
                                            self.today.year - 2))  # fmt: skip
        years = [(str(year), str(year)) for year in range(self.today.year, first_year - 1, -1)]
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)  # noqa: S101 - for the type checker
        year_field.choices = [("", "—"), *years]

    def clean_start(self) -> dt.date | None:
        return _month(self.cleaned_data.get("start", ""))

    def clean_end(self) -> dt.date | None:
        return _month(self.cleaned_data.get("end", ""))

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The period ends before it starts."))
            elif hotspots.months_between(start, end) > hotspots.MAX_MONTHS:
                self.add_error("end", _("Choose at most %(n)s months.") % {"n": hotspots.MAX_MONTHS})
        return cleaned

    def period(self) -> hotspots.Period:
        """The period asked for: a year, or from/to (either may be left out), else the last 12 months."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("year"):
            return hotspots.Period.year(data["year"])
        start, end = data.get("start"), data.get("end")
        this_month = hotspots.month_start(self.today)
        if start and end:
            return hotspots.Period(start, end)
        if start:
            return hotspots.Period(start, min(hotspots.add_months(start, hotspots.DEFAULT_MONTHS - 1),
                                              max(start, this_month)))  # fmt: skip
        if end:
            return hotspots.Period(hotspots.add_months(end, 1 - hotspots.DEFAULT_MONTHS), end)
        return hotspots.Period.last_months(today=self.today)

    def filters(self) -> hotspots.Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        station = data.get("station")
        return hotspots.Filters(period=self.period(), station_id=station.pk if station else None,
                                outcome=data.get("outcome", ""))  # fmt: skip


@require_GET
@never_cache
def hotspot_page(request: AuthedRequest) -> HttpResponse:
    """The page (or, with ?format=csv&table=..., the CSV export) for the filters in the query string."""
    form = HotspotFilterForm(request.GET or None)
    filters = form.filters()
    if request.GET.get("format") == "csv":
        if form.is_bound and not form.is_valid():
            policy.require(request.user, Permission.HOTSPOT_VIEW, object_type=hotspots.OBJECT_TYPE)
            problems = " ".join(str(message) for errors in form.errors.values() for message in errors)
            return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
        try:
            export = hotspots.hotspots_export(actor=request.user, filters=filters, tables=request.GET.getlist("table"))
        except ValidationError as exc:
            return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
        return export.response()
    result = hotspots.hotspots_for(request.user, filters)
    hotspots.hotspots_read_audit(request.user, result)
    query = request.GET.copy()
    for name in ("format", "table"):
        query.pop(name, None)
    context = {
        "form": form, "h": result, "query": query.urlencode(), "tables": hotspots.TABLES,
        "station_chart": hotspots.bar_chart(result.stations), "month_chart": hotspots.column_chart(result.months),
        "outcome_chart": hotspots.bar_chart(result.outcomes), "age_chart": hotspots.bar_chart(result.age_bands),
    }  # fmt: skip
    return render(request, "interceptions/hotspots.html", context)


urlpatterns = [path("hotspots/", hotspot_page, name="hotspots")]
