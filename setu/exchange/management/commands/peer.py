"""`setu peer add CODE URL KEYS.json`, `setu peer list`, `setu peer retire-key CODE KID`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from setu.exchange import services
from setu.exchange.keys import KID_HELP
from setu.exchange.models import Peer


class Command(BaseCommand):
    help = "The peer nodes and their public signing keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        add = sub.add_parser("add", help="Register or update a peer with the key set from its `setu node show --json`.")
        add.add_argument("code")
        add.add_argument("base_url")
        add.add_argument("keys", help="A file with the peer's public key set (JSON), or - for standard input.")
        sub.add_parser("list", help="The peers and their keys.")
        retire = sub.add_parser("retire-key", help="Stop accepting a peer's key.")
        retire.add_argument("code")
        retire.add_argument("kid", help=KID_HELP)

    def handle(self, *args, command: str, **options):
        try:
            if command == "add":
                source = options["keys"]
                text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
                try:
                    keyset = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise CommandError(f"The key set is not JSON: {exc}") from exc
                peer = services.peer_add(code=options["code"], base_url=options["base_url"], keyset=keyset)
                self.stdout.write(self.style.SUCCESS(f"Peer {peer.code} at {peer.base_url}: {peer.keys.count()} keys."))
            elif command == "retire-key":
                services.peer_retire_key(code=options["code"], kid=options["kid"])
                self.stdout.write(self.style.SUCCESS(f"Key {options['kid']} of {options['code']} retired."))
            else:
                for peer in Peer.objects.prefetch_related("keys"):
                    self.stdout.write(f"{peer.code}  {peer.base_url}  {'active' if peer.is_active else 'inactive'}")
                    for key in peer.keys.all():
                        self.stdout.write(f"    {key.kid}  {key.state}")
        except (ValidationError, OSError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
