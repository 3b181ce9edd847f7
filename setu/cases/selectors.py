from __future__ import annotations

from django.db.models import QuerySet

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.cases.models import SopVersion
from setu.cases.services import sop_parse
from setu.cases.sop.diff import diff


def sop_version_list_for(user) -> QuerySet[SopVersion]:
    policy.require(user, Permission.SOP_MANAGE, object_type="cases.sopversion")
    return SopVersion.objects.select_related("loaded_by")


def sop_changes(older: SopVersion | None, newer: SopVersion) -> list[str]:
    """What `newer` changes from `older`, one sentence each (all of it is new when there is no older)."""
    if older is None:
        return []
    return diff(sop_parse(older.source), sop_parse(newer.source))
