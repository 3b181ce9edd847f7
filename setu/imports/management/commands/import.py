# ruff: noqa: N999 - the command is `setu import`; Django loads it by name (importlib), never by `import`.
"""`setu import FILE --kind KIND --source NAME --user USERNAME`: bring an NGO's spreadsheet in from the command
line, with a progress bar, by the same services as the page (setu.imports.services, .running).

    setu import register.xlsx --kind missing_reports --source "Helpline register" --user maya --dry-run
    setu import register.xlsx --kind missing_reports --source "Helpline register" --user maya \\
        --map "Naam=full_name" --map "Caste=-"
    setu import --resume RUN_ID --user maya

The mapping starts from the source's saved one (and the usual column names); `--map HEADER=FIELD` sets a
column (`-`: not imported) and is saved on the source. The dry run always comes first: with any problem
the report (row, column, problem) is printed, or written with `--report FILE.csv`, and nothing is imported
(exit 1). `--dry-run` stops after the report. Exit 2: the file or the user was refused.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from setu.accounts.policy import NotFoundOrForbidden
from setu.core.spreadsheet import csv_text
from setu.imports import kinds, running, services
from setu.imports.models import ImportRun, Kind, RunStatus

SHOWN = 20  # probable duplicates listed in the terminal; the page lists 200 of each kind, its CSV all


class Command(BaseCommand):
    help = "Import an NGO spreadsheet (CSV or XLSX) of interceptions, missing-person reports or cases."
    # A data command: it needs the models, not the URL and template checks (those run when the node starts).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--kind", choices=Kind.values)
        parser.add_argument("--source", help="the source's name (its column mapping is saved under it)")
        parser.add_argument("--user", required=True, help="the importer: a user with IMPORT_RUN")
        parser.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument("--skip-duplicates", action="store_true", help="leave out the probable duplicates")
        parser.add_argument("--report", type=Path, help="write the dry run's report here (CSV)")
        parser.add_argument("--resume", metavar="RUN_ID", help="continue a stopped import")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        try:
            actor = get_user_model().objects.get(username=options["user"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no active user {options['user']!r}", returncode=2) from None
        self.quiet = options["no_progress"]
        try:
            if options["resume"]:
                return self._resume(actor, options["resume"])
            return self._import(actor, options)
        except NotFoundOrForbidden:
            raise CommandError(f"{actor.username} may not import for this organisation", returncode=2) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None

    def _bar(self, description: str, total: int) -> tqdm:
        return tqdm(total=total, desc=description, unit="row", disable=self.quiet, file=sys.stderr)

    def _import(self, actor, options) -> None:
        path, kind, name = options["file"], options["kind"], options["source"]
        if path is None or not kind or not name:
            raise CommandError("give FILE, --kind and --source (or --resume RUN_ID)", returncode=2)
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        source = services.source_save(actor=actor, name=name, kind=kind)
        run = services.run_upload(actor=actor, source=source, filename=path.name, content=path.read_bytes())
        mapping = dict(run.mapping)
        for item in options["map"]:
            header, _sep, field = item.partition("=")
            if not _sep:
                raise CommandError(f"--map {item!r}: write HEADER=FIELD", returncode=2)
            mapping[header.strip()] = field.strip()
        run = services.run_map(actor=actor, run=run, mapping=mapping)
        self.stdout.write(f"run {run.public_id}: {run.filename}, {run.total_rows} rows, {run.encoding or 'XLSX'}")
        for header in run.header:
            field = run.mapping.get(header, "")
            shown = "(not imported)" if field == kinds.IGNORE else kinds.label_of(kind, field) if field else "?"
            self.stdout.write(f"  {header} → {shown}")
        services.run_check(actor=actor, run=run, enqueue=False)
        with self._bar("checking", run.total_rows) as bar:
            run = running.check(run, actor, progress=lambda done, total: bar.update(done - bar.n),
                                stage=lambda name: bar.set_postfix_str(name))  # fmt: skip
        self._report(run, options["report"])
        if run.problem_count:
            raise CommandError(f"{run.problem_count} problems: nothing imported", returncode=1)
        if options["dry_run"]:
            self.stdout.write("dry run: no problem found; nothing imported")
            return
        services.run_import(actor=actor, run=run, skip_duplicates=options["skip_duplicates"], enqueue=False)
        self._write(run, actor)

    def _resume(self, actor, run_id: str) -> None:
        run = ImportRun.objects.select_related("source", "organisation").filter(public_id=run_id).first()
        if run is None:
            raise CommandError(f"no import run {run_id}", returncode=2)
        services.run_resume(actor=actor, run=run, enqueue=False)
        self._write(run, actor)

    def _write(self, run: ImportRun, actor) -> None:
        with self._bar("importing", run.total_rows) as bar:
            bar.update(run.next_row)
            run = running.import_(run, actor, progress=lambda done, total: bar.update(done - bar.n))
        if run.status != RunStatus.DONE:
            raise CommandError(f"{run.stop_reason} Resume with: setu import --resume {run.public_id} "
                               f"--user {actor.username}", returncode=1)  # fmt: skip
        self.stdout.write(f"imported {run.created_count} rows" + (f", skipped {len(run.skipped)} probable "
                                                                  "duplicates" if run.skipped else ""))  # fmt: skip

    def _report(self, run: ImportRun, out: Path | None) -> None:
        for note in run.notes[:20]:
            self.stdout.write(f"note: {'row ' + str(note['row']) + ', ' if note['row'] else ''}"
                              f"{note['column'] + ': ' if note['column'] else ''}{note['problem']}")  # fmt: skip
        for duplicate in run.duplicates[:SHOWN]:
            other = f"row {duplicate['other_row']}" if "other_row" in duplicate else duplicate.get("name", "")
            self.stdout.write(f"probable duplicate: row {duplicate['row']} ~ {other} ({duplicate['probability']:.0%})")
        if len(run.duplicates) > SHOWN:
            self.stdout.write(f"… and {len(run.duplicates) - SHOWN} more probable duplicates (see the run's page)")
        for problem in run.report:
            self.stdout.write(f"row {problem['row'] or '-'}, {problem['column'] or '-'}: {problem['problem']}")
        if out is not None:
            rows = [(p["row"] or "", p["column"], p["problem"]) for p in run.report]
            out.write_text(csv_text(("row", "column", "problem"), rows), encoding="utf-8")
