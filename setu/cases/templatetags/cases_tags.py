"""Case tags: the cases of a person on the person's page (`{% person_cases person request.user %}`), and
timeline entries and task titles in the reader's language."""

from __future__ import annotations

from django import template

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.cases import selectors, services

register = template.Library()


@register.inclusion_tag("cases/_person_cases.html")
def person_cases(person, user) -> dict:
    """The person's cases that `user` may see (none without the permission), and whether they may open one."""
    cases = [(case, services.stage_name(case)) for case in selectors.case_list_for(user).filter(survivor=person)]
    may_open = policy.has_permission(user, Permission.CASE_OPEN)
    return {
        "person": person,
        "cases": cases,
        "may_open": may_open,
        "show": bool(cases) or may_open or policy.has_permission(user, Permission.CASE_VIEW),
    }


@register.filter
def event_text(event) -> str:
    """A timeline entry in the reader's language: `{{ event|event_text }}`."""
    return services.event_text(event)


@register.filter
def task_text(task) -> str:
    """A task's title in the reader's language: `{{ task|task_text }}`."""
    return services.task_text(task)


@register.filter
def stage_label(case) -> str:
    """The name of the case's current stage in the reader's language: `{{ case|stage_label }}`."""
    return services.stage_name(case)
