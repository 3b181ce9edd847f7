"""`setu audit verify`: recompute the audit hash chain and report every break."""

from django.core.management.base import BaseCommand, CommandError

from setu.audit.models import AuditHead
from setu.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `verify` checks the hash chain and exits non-zero if it is broken."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options) -> None:
        breaks = audit_verify()
        head = AuditHead.objects.filter(pk=1).first()
        count = head.seq if head else 0
        if breaks:
            for brk in breaks:
                self.stderr.write(f"event {brk.seq}: {brk.reason}")
            raise CommandError(f"audit chain BROKEN: {len(breaks)} problem(s) in {count} events")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} events verified"))
