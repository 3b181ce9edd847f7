"""`{% interception_alert_panel interception %}`: the alert-across-the-border part of an interception's page
(send it, or what became of the one sent). Usage: `{% load interception_alerts %}` then the tag."""

from __future__ import annotations

from django import template

from setu.exchange.flows import peer_name
from setu.interceptions import alerts
from setu.interceptions.models import AlertOutcome, Interception
from setu.interceptions.selectors import interception_can_record

register = template.Library()


@register.inclusion_tag("interceptions/_alert_button.html", takes_context=True)
def interception_alert_panel(context, interception: Interception) -> dict:
    request = context["request"]
    counterpart = interception.station.counterpart
    sent = alerts.alert_message_for(interception)
    can_record = sent is None and interception_can_record(request.user, interception)
    problems = alerts.alert_send_problems(interception) if can_record else []
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "interception": interception,
        "counterpart": counterpart,
        "peer_name": peer_name(counterpart.country) if counterpart else "",
        "sent": sent,
        "acted_label": AlertOutcome(sent.acted_outcome).label
        if sent and sent.acted_outcome in AlertOutcome.values
        else (sent.acted_outcome if sent else ""),
        "may_send": can_record and not problems,
        "problems": problems,
    }
