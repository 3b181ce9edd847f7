"""`{% case_exchange case %}`: the case page's section on what was sent to and received from the other country."""

from __future__ import annotations

from django import template

from setu.exchange import flows

register = template.Library()


@register.inclusion_tag("exchange/case_panel.html", takes_context=True)
def case_exchange(context, case) -> dict:
    from setu.exchange.pages import steps_for

    shared = flows.exchange_for_case(case)
    user = context["request"].user
    return {
        **shared,
        "case": case,
        "request": context["request"],
        "steps": steps_for(case, shared["link"]) if context.get("can_work") else [],
        "awaiting": [
            row
            for row in shared["received"]
            if row.acted_at is None and row.action_role and flows.may_answer(user, row)
        ],  # fmt: skip
        "peer_name": flows.peer_name(shared["link"].peer.code) if shared["link"] else "",
    }


@register.filter
def message_type(name: str) -> str:
    return flows.type_label(name)


@register.filter
def outcome_label(outcome: str) -> str:
    return flows.outcome_label(outcome)


@register.filter
def iso_when(value: str):
    """A timestamp as the exchange writes it (ISO 8601, UTC) as a datetime, for the date and time filters."""
    from setu.exchange.envelope import parse_time

    try:
        return parse_time(value)
    except (TypeError, ValueError):
        return None
