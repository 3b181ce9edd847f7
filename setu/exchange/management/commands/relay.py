"""`setu relay`: deliver the outbox to the peers until stopped (setu.exchange.relay, docs/exchange.md).

One or more relays run per node, next to the web server and the task worker (docs/operations.md). It
stops cleanly on SIGTERM or SIGINT: the batch in flight is settled first. `--once` sends one round and
exits. `setu relay resend CODE --since TIME` queues again what was sent to a peer since TIME (the peer
restored an older backup): the peer ignores what it still has. `setu relay resign` signs what is still
waiting again with the current key (after a key that may have leaked was retired).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from setu.audit.services import audit_record
from setu.exchange.models import Peer
from setu.exchange.outbox import resign_waiting
from setu.exchange.relay import client, deliver_due, resend
from setu.exchange.services import CLI_ACTOR

log = logging.getLogger("setu.exchange")


class Command(BaseCommand):
    help = "Deliver exchange messages from the outbox to the peer nodes, with retries, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send one round and exit.")
        parser.add_argument("--idle", type=float, default=0.5, help="Seconds to wait when nothing is due.")
        sub = parser.add_subparsers(dest="command")
        again = sub.add_parser("resend", help="Queue again what was sent to a peer since a time.")
        again.add_argument("peer", help="The peer's code, e.g. IN.")
        again.add_argument("--since", required=True, help="ISO time with its offset, e.g. 2026-11-24T00:00+05:45.")
        resign = sub.add_parser("resign", help="Sign what is still waiting again, with the current key.")
        resign.add_argument("--peer", help="Only what waits for this peer (its code).")

    def handle(self, *args, once: bool = False, idle: float = 0.5, command: str | None = None, **options):
        if command == "resend":
            self._resend(options["peer"], options["since"])
            return
        if command == "resign":
            count = resign_waiting(peer_code=options.get("peer"))
            audit_record(actor=None, actor_username=CLI_ACTOR, action="exchange.resign", object_type="exchange.peer",
                         object_id=(options.get("peer") or "*").upper(), fields=[f"messages:{count}"])  # fmt: skip
            self.stdout.write(self.style.SUCCESS(f"{count} waiting messages signed again with the current key."))
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        with client() as http:
            pause = 0.0
            while not stopping:
                close_old_connections()
                try:
                    result = deliver_due(client=http)
                except DatabaseError as exc:
                    # The database is restarting or busy: wait (up to 30 s) and try again; nothing is lost, a
                    # claimed message becomes due again when its lease ends.
                    pause = min(30.0, max(1.0, pause * 2))
                    log.warning("relay: database unavailable (%s); trying again in %.0f s", exc, pause)
                    close_old_connections()
                    time.sleep(pause)
                    continue
                pause = 0.0
                if result.sent:
                    unreachable = f"; unreachable: {', '.join(result.unreachable)}" if result.unreachable else ""
                    self.stdout.write(
                        f"sent {result.sent}: {result.delivered} delivered, {result.rejected} rejected, "
                        f"{result.retrying} to retry{unreachable}"
                    )
                if once:
                    return
                if not result.sent:
                    time.sleep(idle)
        self.stdout.write("relay stopped")

    def _resend(self, code: str, since_text: str) -> None:
        try:
            since = dt.datetime.fromisoformat(since_text)
        except ValueError as exc:
            raise CommandError(f"--since must be an ISO time, e.g. 2026-11-24T00:00+05:45: {exc}") from exc
        if since.tzinfo is None:
            raise CommandError("--since needs its UTC offset, e.g. 2026-11-24T00:00+05:45.")
        if not Peer.objects.filter(code=code.upper()).exists():
            raise CommandError(f"No peer {code.upper()}: `setu peer list` shows the peers.")
        count = resend(peer_code=code, since=since)
        audit_record(actor=None, actor_username=CLI_ACTOR, action="exchange.resend", object_type="exchange.peer",
                     object_id=code.upper(), fields=[f"since:{since.isoformat()}", f"messages:{count}"])  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"{count} messages to {code.upper()} queued again."))
