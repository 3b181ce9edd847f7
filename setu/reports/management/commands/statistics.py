"""`setu statistics`: this node's bilateral statistics from the command line, by the same services as the pages.

    setu statistics publish --year 2026 --user focal      # publish and send to the other node (audited)
    setu statistics publish --year 2026 --user focal --if-unpublished   # only the first time (the demo)
    setu statistics ctdc --user analyst --out ctdc.csv --report ctdc-suppression.csv [--year 2026]

Publishing is a decision of a focal point or analyst (`statistics.publish`), so it runs as a named user and is
not on the scheduler: the figures leave the country only when a person chose to send them. Exit 2: the user
or the year was refused."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from setu.accounts import policy
from setu.accounts.policy import NotFoundOrForbidden
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.reports import ctdc, statistics


class Command(BaseCommand):
    help = "Publish this node's bilateral statistics, or write the CTDC extract and its suppression report."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["publish", "ctdc"])
        parser.add_argument("--user", required=True, help="a user with statistics.publish (or .export for ctdc)")
        parser.add_argument("--year", help="the year (AD); for ctdc, all years when left out")
        parser.add_argument("--out", type=Path, help="ctdc: the extract's CSV file")
        parser.add_argument("--report", type=Path, help="ctdc: the suppression report's CSV file")
        parser.add_argument("--if-unpublished", action="store_true",
                            help="publish: only if this node has not published that year yet (the demo)")  # fmt: skip

    def handle(self, *args, **options):
        try:
            actor = get_user_model().objects.get(username=options["user"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no active user {options['user']!r}", returncode=2) from None
        try:
            if options["action"] == "publish":
                self._publish(actor, options["year"], once=options["if_unpublished"])
            else:
                self._ctdc(actor, options)
        except NotFoundOrForbidden:
            raise CommandError(f"{actor.username} may not do this on this node", returncode=2) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None

    def _publish(self, actor, year, *, once: bool = False) -> None:
        if not year:
            raise CommandError("give --year", returncode=2)
        if once and statistics.publication_list_for(actor).filter(year=statistics.check_year(year)).exists():
            self.stdout.write(f"{year} already published: nothing sent")
            return
        publication = statistics.statistics_publish(actor=actor, year=year)
        sent = "sent to the other node" if publication.message_id else "no other node registered: kept here"
        self.stdout.write(f"published {publication.year}: {len(publication.tables)} tables, "
                          f"{publication.suppressed} cells suppressed; {sent}")  # fmt: skip

    def _ctdc(self, actor, options) -> None:
        if not policy.grants(actor, Permission.STATISTICS_EXPORT).node_wide:
            policy.deny(actor, Permission.STATISTICS_EXPORT.value, object_type="reports.ctdc_extract")
        if options["out"] is None:
            raise CommandError("give --out FILE.csv", returncode=2)
        year = statistics.check_year(options["year"]) if options["year"] else None
        rows, report = ctdc.extract(year=year)
        options["out"].write_text(ctdc.to_csv(rows), encoding="utf-8")
        if options["report"] is not None:
            options["report"].write_text(ctdc.report_csv(report), encoding="utf-8")
        audit_record(actor=actor, action="statistics.ctdc_export", object_type="reports.ctdc_extract",
                     fields=["year"] if year else [])  # fmt: skip
        self.stdout.write(f"{report.rows_out} rows written (k = {report.k}); {report.rows_dropped} left out")
