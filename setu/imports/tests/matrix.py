"""The import endpoints for the permission matrix (tests/test_permission_matrix.py), ready to be wired in:
each row is what its `Endpoint` needs (name, method, path from the matrix's context, permission, whether it
addresses one record, form data), plus the out-of-scope record the object-level rows address: an import run
(with its source) of the matrix's `out_of_scope` organisation (`ctx["case"].organisation`), checked, with a
row of the out-of-scope person's name in its report. Made on first use and kept in the context dict.

    from setu.imports.tests.matrix import ENDPOINTS as IMPORT_ENDPOINTS
    ENDPOINTS_ALL += [Endpoint(**row.as_endpoint()) for row in IMPORT_ENDPOINTS]

(and IMPORT_RUN leaves NOT_YET_USED). Runs are the organisation's own (IMPORT_RUN has organisation scope
for every role that holds it), so every object-level row is a 404 for every role.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from setu.accounts.roles import Permission
from setu.accounts.tests.matrix import MatrixRow
from setu.imports.models import ImportRun, ImportSource, Kind, RunStatus


def out_of_scope_run(ctx: dict) -> ImportRun:
    """A checked run of the out-of-scope organisation. Written directly: its organisation has no importer."""
    if "import_run" not in ctx:
        case = ctx["case"]
        source = ImportSource.objects.create(organisation=case.organisation, name="Out-of-scope register",
                                             kind=Kind.MISSING_REPORTS, created_by=case.created_by)  # fmt: skip
        ctx["import_run"] = ImportRun.objects.create(
            source=source, organisation=case.organisation, filename="out-of-scope.csv", sha256="0" * 64,
            content=b"Name\r\nKamala Out-of-scope\r\n", file_kind="csv", header=["Name"],
            mapping={"Name": "full_name"}, status=RunStatus.CHECKED, total_rows=1, problem_count=1,
            report=[{"row": 2, "column": "Name", "problem": "Kamala Out-of-scope: no reporter"}],
            created_by=case.created_by,
        )  # fmt: skip
    return ctx["import_run"]


def _page(name: str) -> Callable[[dict], str]:
    return lambda ctx: reverse(f"imports:{name}", args=[out_of_scope_run(ctx).public_id])


ImportEndpoint = MatrixRow  # one row of the matrix, as every app lists them (setu.accounts.tests.matrix)


R = Permission.IMPORT_RUN

ENDPOINTS: list[ImportEndpoint] = [
    ImportEndpoint("imports index", "GET", lambda c: (out_of_scope_run(c), reverse("imports:index"))[1], R, False),
    ImportEndpoint("import run", "GET", _page("run"), R, True),
    ImportEndpoint("import progress", "GET", _page("progress"), R, True),
    ImportEndpoint("import report csv", "GET", _page("report_csv"), R, True),
    ImportEndpoint("import duplicates csv", "GET", _page("duplicates_csv"), R, True),
    ImportEndpoint("import mapping", "POST", _page("mapping"), R, True, data={"column_0": "full_name"}),
    ImportEndpoint("import confirm", "POST", _page("confirm"), R, True),
    ImportEndpoint("import resume", "POST", _page("resume"), R, True),
    ImportEndpoint("import discard", "POST", _page("discard"), R, True),
]
