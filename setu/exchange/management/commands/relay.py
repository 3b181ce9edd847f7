"""`setu relay`: deliver the outbox to the peers until stopped (setu.exchange.relay, docs/exchange.md).

One or more relays run per node, next to the web server and the task worker (docs/operations.md). It
stops cleanly on SIGTERM or SIGINT: the batch in flight is settled first. `--once` sends one round and
exits (for scripts, and to see what would happen).
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from setu.exchange.relay import client, deliver_due


class Command(BaseCommand):
    help = "Deliver exchange messages from the outbox to the peer nodes, with retries, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send one round and exit.")
        parser.add_argument("--idle", type=float, default=0.5, help="Seconds to wait when nothing is due.")

    def handle(self, *args, once: bool = False, idle: float = 0.5, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        with client() as http:
            while not stopping:
                close_old_connections()
                result = deliver_due(client=http)
                if result.sent:
                    self.stdout.write(
                        f"sent {result.sent}: {result.delivered} delivered, {result.rejected} rejected, "
                        f"{result.retrying} to retry"
                        + (f"; unreachable: {', '.join(result.unreachable)}" if result.unreachable else "")  # fmt: skip
                    )
                if once:
                    return
                if not result.sent:
                    time.sleep(idle)
        self.stdout.write("relay stopped")
