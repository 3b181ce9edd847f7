"""Pages of interception alerts across the border: sending one for an interception of ours (a button on its
page), and the alerts received from the posts facing ours, with what our post did about each. Views only
translate HTTP; setu.interceptions.alerts decides."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.cases.choices import PerpetratorRole
from setu.core.enums import Gender
from setu.core.http import AuthedRequest
from setu.exchange.flows import peer_name
from setu.interceptions import alerts
from setu.interceptions.models import AgeBand, AlertOutcome, InterceptionAlert, Transport
from setu.interceptions.selectors import interception_get_for
from setu.people.forms import ServiceErrorsMixin

PAGE_SIZE = 25


class AlertActForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("What was done"), choices=AlertOutcome.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Stays on this node; the other country is told only what was done."),
    )


def _back(request: AuthedRequest, public_id) -> str:
    """Where the send button returns to: the page it was on, else the interception's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):  # fmt: skip
        return target
    try:
        return reverse("interceptions:detail", args=[public_id])
    except NoReverseMatch:
        return reverse("interceptions:alerts")


@require_POST
def alert_send(request: AuthedRequest, interception_id) -> HttpResponse:
    """Alert the post facing this interception's station across the border (one alert per interception)."""
    interception = interception_get_for(request.user, interception_id, permission=Permission.INTERCEPTION_RECORD)
    try:
        alerts.interception_alert_send(actor=request.user, interception=interception,
                                       note=request.POST.get("note", "")[:2000])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        counterpart = interception.station.counterpart
        messages.success(request, _("The alert is on its way to %(station)s.") % {"station": counterpart})
    return redirect(_back(request, interception.public_id))


# --- alerts received -------------------------------------------------------------------------------------------


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def shown(payload: dict) -> dict:
    """What the alert carried, with our words for its codes: the only thing these pages show of it."""
    return {
        "facts": [
            (label, payload[key])
            for key, label in (
                ("interception_number", _("Their interception number")),
                ("station", _("Their crossing point")),
                ("counterpart_station", _("Our crossing point")),
                ("from_district", _("Coming from (district)")),
                ("destination", _("Going to")),
                ("destination_country", _("Destination country")),
                ("onward_country", _("Going on to")),
                ("vehicle", _("Vehicle")),
                ("red_flag_points", _("Red-flag points")),
                ("risk_level", _("Risk")),
                ("checklist_version", _("Checklist version")),
                ("note", _("Their note")),
            )
            if payload.get(key) not in (None, "")
        ],
        "transport": _label(Transport, payload["transport"]) if payload.get("transport") else "",
        "persons": [(_label(Gender, p["sex"]), _label(AgeBand, p["age_band"])) for p in payload.get("persons", [])],
        "suspects": [
            {
                "sex": _label(Gender, s["sex"]),
                "age_band": _label(AgeBand, s["age_band"]),
                "roles": ", ".join(_label(PerpetratorRole, r) for r in s.get("roles", [])),
                "description": s.get("description", ""),
            }
            for s in payload.get("suspects", [])
        ],
    }


@require_GET
def alert_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.INTERCEPTION_VIEW, object_type=alerts.ALERT_OBJECT)
    show_all = request.GET.get("show") == "all"
    rows = alerts.alert_list_for(request.user, open_only=not show_all)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(alert, shown(alert.payload)) for alert in page]
    return render(request, "interceptions/alert_list.html", {"page": page, "items": items, "show_all": show_all})


@require_http_methods(["GET", "POST"])
def alert_detail(request: AuthedRequest, public_id) -> HttpResponse:
    acting = request.method == "POST"
    permission = Permission.INTERCEPTION_RECORD if acting else Permission.INTERCEPTION_VIEW
    alert: InterceptionAlert = alerts.alert_get_for(request.user, public_id, permission=permission)
    form = AlertActForm(request.POST if acting else None)
    if acting and form.is_valid():
        try:
            alerts.interception_alert_acknowledge(actor=request.user, alert=alert, outcome=form.cleaned_data["outcome"],
                                                  note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Recorded; the other country's post is told what was done."))
            return redirect("interceptions:alerts")
    if not acting:
        alerts.alert_mark_opened(request.user, alert)
    context = {"alert": alert, "shown": shown(alert.payload), "form": form,
               "may_act": alert.acknowledged_at is None and alerts.alert_may_act(request.user, alert),
               "peer_name": peer_name(alert.from_node)}  # fmt: skip
    return render(request, "interceptions/alert_detail.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("alerts/", alert_list, name="alerts"),
    path("alerts/<uuid:public_id>/", alert_detail, name="alert_detail"),
    path("<uuid:interception_id>/alert/", alert_send, name="alert_send"),
]
