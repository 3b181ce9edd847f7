"""Words for the MLA pages: a deadline rule's label and an authority's name in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, gettext_lazy

from setu.mla.authorities import register as authority_register
from setu.mla.deadlines_rules import rule_book

register = template.Library()

# The rules' labels (data/deadlines.yaml), for translation; a rule missing here shows its English label.
RULE_LABELS = {
    "np-preliminary-study": gettext_lazy("Preliminary study of a reciprocity request"),
    "in-forward-summons": gettext_lazy("Forward the summons to the requested state"),
    "answer-target": gettext_lazy("Answer the request"),
    "answer-expected": gettext_lazy("Answer expected from the requested state"),
    "respond-by": gettext_lazy("Date by which the requesting state asked for the answer"),
}


@register.filter
def rule_label(code: str) -> str:
    if code in RULE_LABELS:
        return str(RULE_LABELS[code])
    rule = rule_book().get(code)
    return rule.label if rule else code


@register.filter
def rule_law(code: str) -> str:
    rule = rule_book().get(code)
    return rule.law if rule else ""


@register.filter
def authority(code: str) -> str:
    found = authority_register().get(code)
    return found.name((get_language() or "en")[:2]) if found else code
