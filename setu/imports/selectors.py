"""Reads of imports, scoped to the user: the runs and sources of the organisations whose imports she runs
(IMPORT_RUN, organisation scope), and one run by its public id (the same audited 404 for missing and
forbidden)."""

from __future__ import annotations

from django.db.models import QuerySet

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.imports.models import ImportRun, ImportSource

RUN_OBJECT_TYPE = "imports.run"


def run_list_for(user) -> QuerySet[ImportRun]:
    grant = policy.grants(user, Permission.IMPORT_RUN)
    runs = ImportRun.objects.select_related("source", "organisation", "created_by").defer("content")
    if grant.node_wide:
        return runs
    return runs.filter(organisation_id__in=sorted(grant.organisation_ids))


def run_get_for(user, public_id) -> ImportRun:
    run = run_list_for(user).filter(public_id=public_id).first()
    if run is None:
        policy.deny(user, "import.view", object_type=RUN_OBJECT_TYPE, object_id=str(public_id))
    return run


def source_list_for(user) -> QuerySet[ImportSource]:
    grant = policy.grants(user, Permission.IMPORT_RUN)
    sources = ImportSource.objects.select_related("organisation")
    if grant.node_wide:
        return sources
    return sources.filter(organisation_id__in=sorted(grant.organisation_ids))
