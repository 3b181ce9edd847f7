"""Tracing tags. `{{ candidate.explanation|findings:3 }}`: what the matcher found, as "Field: finding; …" in the
reader's language (setu.tracing.explain). `{% person_matches person request.user %}`: the missing-person reports
the matcher found for a person, on her page and (`compact=True`) on an interception's, for who may review
them (to who may not, how many reports may be hers). Usage: `{% load tracing_tags %}`."""

from __future__ import annotations

from django import template

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.tracing import selectors
from setu.tracing.explain import findings as explained
from setu.tracing.models import CandidateStatus, MatchCandidate

register = template.Library()
SHOWN = 5


@register.filter
def findings(explanation: list[dict], limit: int | None = None) -> str:
    """The first `limit` findings (all without one) joined as text; autoescaped by the template."""
    return "; ".join(f"{item['field']}: {item['finding']}" for item in explained(explanation or [], limit))


@register.inclusion_tag("tracing/_person_matches.html")
def person_matches(person, user, compact: bool = False) -> dict:
    """The reports proposed or confirmed for `person` that `user` may review (nothing without MATCH_REVIEW);
    the compact form says nothing when there are none."""
    if not policy.has_permission(user, Permission.MATCH_REVIEW):
        # Who records her without reviewing (a border monitor) learns that she may be reported missing, and
        # that the reviewers have it, but not whose report: a count, no names.
        if not policy.has_permission(user, Permission.TRACING_VIEW):
            return {"show": False}
        count = MatchCandidate.objects.filter(person=person, status=CandidateStatus.PROPOSED).count()
        return {"show": bool(count), "unreviewable": count, "compact": compact}
    rows = list(selectors.candidate_list_for(user, status="", person=person)
                .exclude(status=CandidateStatus.REJECTED)[:SHOWN])  # fmt: skip
    if rows:
        selectors.candidate_list_audit(user)  # the reports' names are shown
    return {"show": bool(rows) or not compact, "candidates": rows, "compact": compact}
