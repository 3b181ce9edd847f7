"""`setu fieldkeys new ID` prints a new key entry; `setu fieldkeys rotate` re-encrypts the sensitive notes of
cases under the first key of SETU_FIELD_KEYS; `setu fieldkeys status` counts notes per key."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from setu.cases import crypto
from setu.cases.models import SensitiveNote
from setu.cases.services import sensitive_rotate


class Command(BaseCommand):
    help = "Keys of the encrypted sensitive fields of cases: new, status, rotate (docs/operations.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        new = sub.add_parser("new", help="Print a new 'id:key' entry to put first in SETU_FIELD_KEYS.")
        new.add_argument("key_id")
        sub.add_parser("status", help="How many notes each key encrypts.")
        rotate = sub.add_parser("rotate", help="Re-encrypt every note under the first key.")
        rotate.add_argument("--batch", type=int, default=500)

    def handle(self, *args, command: str, **options):
        try:
            if command == "new":
                self.stdout.write(crypto.generate_key(options["key_id"]))
                return
            ring = crypto.keyring()
            if command == "status":
                for row in SensitiveNote.objects.values("key_id").annotate(n=Count("id")).order_by("key_id"):
                    mark = " (current)" if row["key_id"] == ring.current_id else ""
                    known = "" if row["key_id"] in ring.keys else "  MISSING from SETU_FIELD_KEYS"
                    self.stdout.write(f"{row['key_id']}{mark}: {row['n']} notes{known}")
                return

            def progress(done: int, total: int) -> None:
                self.stdout.write(f"\rre-encrypted {done}/{total}", ending="")
                self.stdout.flush()

            done = sensitive_rotate(batch=options["batch"], progress=progress)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"{done} notes now under key '{ring.current_id}'."))
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
