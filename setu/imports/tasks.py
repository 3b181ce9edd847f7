"""Background tasks of imports, run by the node's task worker (`setu db_worker`): a long dry run or import
records its progress on its run row as it goes (the page polls it)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from setu.imports import running
from setu.imports.models import ImportRun, RunStatus

log = logging.getLogger(__name__)


@task()
def check_run(run_id: int, actor_id: int) -> dict[str, int]:
    run = ImportRun.objects.select_related("source", "organisation").get(pk=run_id)
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        run = running.check(run, actor)
    except Exception:
        log.exception("the dry run of import %s failed", run.public_id)
        _fail(run, RunStatus.UPLOADED, _("The dry run failed unexpectedly; nothing was imported. Try again."))
        raise
    return {"problems": run.problem_count, "duplicates": len(run.duplicates)}


@task()
def import_run(run_id: int, actor_id: int) -> dict[str, int]:
    run = ImportRun.objects.select_related("source", "organisation").get(pk=run_id)
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        run = running.import_(run, actor)
    except Exception:
        log.exception("import %s failed", run.public_id)
        _fail(run, RunStatus.STOPPED, _("The import failed unexpectedly. The rows on record are in; resume to "
                                        "continue from the first row that is not."))  # fmt: skip
        raise
    return {"created": run.created_count, "skipped": len(run.skipped)}


def _fail(run: ImportRun, status: str, reason: str) -> None:
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(status=status, stop_reason=reason)
