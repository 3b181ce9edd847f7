"""How the matcher's findings read on a page: each comparison's name and each level's finding, translated.

The linkage package is pure Python and names its comparisons and levels in English
(setu.tracing.linkage.model.COMPARISONS); a candidate stores its explanation as those names
(`[{field, level, label, weight}]`). This module is where they become words in the reader's language, so the
review queue, a report's page and the cross-border answers say the same thing. Every level label the model
has is listed here (a test checks none is missing); a label from a newer model that is not yet listed shows as
stored rather than failing the page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from setu.core.enums import Gender

# What each comparison is called (setu.tracing.linkage.model.COMPARISONS).
FIELD_LABELS = {
    "given_name": gettext_lazy("Name"),
    "family_name": gettext_lazy("Family name"),
    "sex": gettext_lazy("Sex"),
    "birth": gettext_lazy("Birth / age"),
    "father_name": gettext_lazy("Father's name"),
    "mother_name": gettext_lazy("Mother's name"),
    "home": gettext_lazy("Home"),
    "phone": gettext_lazy("Phone"),
}

# What each level found (the `label` of setu.tracing.linkage.model.Level), and "no information" for level 0.
LEVEL_LABELS = {
    "no information": gettext_lazy("no information"),
    "same": gettext_lazy("same"),
    "same spelling": gettext_lazy("same spelling"),
    "same after spelling variants": gettext_lazy("same after spelling variants"),
    "found among the other's names": gettext_lazy("found among the other's names"),
    "one letter apart": gettext_lazy("one letter apart"),
    "two letters apart": gettext_lazy("two letters apart"),
    "sound alike": gettext_lazy("sound alike"),
    "same community name": gettext_lazy("same community name"),
    "different": gettext_lazy("different"),
    "same day": gettext_lazy("same day"),
    "one digit apart": gettext_lazy("one digit apart"),
    "two digits apart": gettext_lazy("two digits apart"),
    "same year": gettext_lazy("same year"),
    "within the estimate": gettext_lazy("within the estimate"),
    "within two years": gettext_lazy("within two years"),
    "within five years": gettext_lazy("within five years"),
    "further apart": gettext_lazy("further apart"),
    "same local level and ward": gettext_lazy("same local level and ward"),
    "same local level": gettext_lazy("same local level"),
    "same ward, local level spelt a little differently": gettext_lazy(
        "same ward, local level spelt a little differently"),
    "local level spelt a little differently": gettext_lazy("local level spelt a little differently"),
    "same district, local level not known on one side": gettext_lazy(
        "same district, local level not known on one side"),
    "same district, another local level": gettext_lazy("same district, another local level"),
    "different district": gettext_lazy("different district"),
    "same number": gettext_lazy("same number"),
}  # fmt: skip


def field_label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


def finding_label(label: str) -> str:
    return str(LEVEL_LABELS.get(label, label))


def findings(explanation: list[dict], limit: int | None = None) -> list[dict]:
    """The stored explanation, strongest first as stored, as {field, finding, weight} in the reader's language."""
    items = explanation if limit is None else explanation[:limit]
    return [{"field": field_label(item.get("field", "")), "finding": finding_label(item.get("label", "")),
             "weight": item.get("weight")} for item in items]  # fmt: skip


def sex_label(value: str) -> str:
    """A sex as the exchange carries it (a Gender value, HTCDS) in the reader's language."""
    return str(Gender(value).label) if value in Gender.values else value
