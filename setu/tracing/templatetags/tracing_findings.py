"""`{{ candidate.explanation|findings:3 }}`: what the matcher found, as "Field: finding; …" in the reader's
language (setu.tracing.explain). Usage: `{% load tracing_findings %}`."""

from __future__ import annotations

from django import template

from setu.tracing.explain import findings as explained

register = template.Library()


@register.filter
def findings(explanation: list[dict], limit: int | None = None) -> str:
    """The first `limit` findings (all without one) joined as text; autoescaped by the template."""
    return "; ".join(f"{item['field']}: {item['finding']}" for item in explained(explanation or [], limit))
