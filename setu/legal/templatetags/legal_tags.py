"""The legal app's template tags: the witness needs and video testimony sessions on a survivor's case page, and
the labels of charges and HTCDS roles."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from setu.cases.choices import PerpetratorRole
from setu.legal import selectors
from setu.legal.charges import Charge

register = template.Library()


@register.inclusion_tag("legal/_case_panel.html", takes_context=True)
def legal_case_panel(context, case) -> dict:
    """`{% legal_case_panel case %}` on the case page (which has already checked that the reader may see the
    case): her witness needs and sessions, and, when a need wants her in person before her handover, the
    notice that prosecution is holding up her repatriation."""
    request = context["request"]
    return {"request": request, "panel": selectors.case_panel(request.user, case)}


@register.filter
def charge_label(charge: Charge) -> str:
    return charge.label(get_language() or "en")


@register.filter
def role_labels(roles: list[str]) -> str:
    labels = dict(PerpetratorRole.choices)
    return ", ".join(str(labels.get(role, role)) for role in roles)
