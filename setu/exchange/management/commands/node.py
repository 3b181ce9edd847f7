"""`setu node init|show|rotate|activate KID|retire KID`: this node's Ed25519 signing keys (setu.exchange.keys)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from setu.exchange.keys import KID_HELP, NodeKeyError, node_keys


class Command(BaseCommand):
    help = "This node's signing keys for exchange messages: init, show, rotate, retire."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        sub.add_parser("init", help="Create the key directory and the first key (refused if one exists).")
        show = sub.add_parser("show", help="The keys, their state, and the public keys (JWK) peers need.")
        show.add_argument("--json", action="store_true", help="The public JWK set, for `setu peer add`.")
        sub.add_parser("rotate", help="Make a new key, published but not signing until activated.")
        activate = sub.add_parser("activate", help="Sign with the new key (once the peers have registered it).")
        activate.add_argument("kid", help=KID_HELP)
        retire = sub.add_parser("retire", help="Stop verifying with an earlier key.")
        retire.add_argument("kid", help=KID_HELP)

    def handle(self, *args, command: str, **options):
        keys = node_keys()
        try:
            if command == "init":
                kid = keys.init()
                self.stdout.write(
                    self.style.SUCCESS(f"Node {settings.SETU_NODE}: key {kid} created in {keys.directory}.")
                )
            elif command == "rotate":
                kid = keys.rotate()
                self.stdout.write(self.style.SUCCESS(
                    f"Key {kid} made. Give the peers `setu node show --json`; once they have added it, run "
                    f"`setu node activate {kid}`."))  # fmt: skip
            elif command == "activate":
                keys.activate(options["kid"])
                done = f"Key {options['kid']} now signs; the earlier key still verifies until you retire it."
                self.stdout.write(self.style.SUCCESS(done))
            elif command == "retire":
                keys.retire(options["kid"])
                self.stdout.write(self.style.SUCCESS(f"Key {options['kid']} retired: it no longer verifies."))
            elif options.get("json"):
                self.stdout.write(json.dumps(keys.published(settings.SETU_NODE), indent=2))
            else:
                for info in keys.listing():
                    self.stdout.write(f"{info.kid}  {info.state:<8}  created {info.created_at}  x={info.jwk['x']}")
        except NodeKeyError as exc:
            raise CommandError(str(exc)) from exc
