"""Exchange delivery between two real nodes: `python benchmarks/exchange.py` (SQLite) or
`python benchmarks/exchange.py --database postgres` (databases setu_bench_np and setu_bench_in on
127.0.0.1:5432, created afresh and dropped afterwards).

Nepal and India run as in production, each with its own database, gunicorn and keys, peered with each other
(tests/exchange/conftest.py starts them: the end-to-end tests use the same nodes). India's outbox holds
follow-up reports of one linked case (`followup.report`: signed, numbered, applied in order on Nepal, one
case event each); India's `setu relay` delivers them in batches and records Nepal's signed receipts.

(a) Sustained throughput: N messages (default 5,000) queued on India, then the relay started: messages per
    second from the relay's start until the last receipt is recorded. Target >= 200 msg/s.
(b) Backlog after an outage: Nepal's server stopped, India's relay running (backing off towards its link
    cap, SETU_EXCHANGE_LINK_BACKOFF_CAP, 15 s by default) while 10,000 messages are queued; Nepal started
    again: seconds from Nepal answering until the backlog is drained. Target < 60 s.

Delivery is timed by reading India's outbox table directly every 0.1 s (a snippet process per look would
take a share of the two cores); afterwards Nepal's database is checked: every message applied once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.exchange.conftest import Node, Process, TwoNodes, node_databases, two_nodes, wait_until  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAMES = {"NP": "setu_bench_np", "IN": "setu_bench_in"}
TARGET_RATE = 200.0  # messages per second
TARGET_BACKLOG_SECONDS = 60.0
PENDING = "SELECT count(*) FROM exchange_outboxmessage WHERE state = 'pending'"

# A few dozen messages per transaction, as a busy node's users make them: one long transaction would hold
# SQLite's write lock away from the relay.
QUEUE = """
from django.db import transaction
from setu.exchange.models import CaseLink
from setu.exchange.outbox import outbox_put

link = CaseLink.objects.get(ref=params["ref"])
for start in range(0, params["count"], 50):
    with transaction.atomic():
        for n in range(start, min(start + 50, params["count"])):
            outbox_put(type="followup.report", link=link,
                       candidate={"visited_on": "2026-11-20", "summary": f"visit {link.sent_seq + 1 + n}"})
print(json.dumps(params["count"]))
"""

APPLIED = """
from setu.cases.models import CaseEvent
from setu.exchange.models import CaseLink, InboxMessage

link = CaseLink.objects.get(ref=params["ref"])
messages = InboxMessage.objects.filter(case_ref=params["ref"])
print(json.dumps({"messages": messages.count(), "applied": messages.filter(state="applied").count(),
                  "events": CaseEvent.objects.filter(case_id=link.case_id, kind="exchange").count(),
                  "applied_seq": link.applied_seq}))
"""

LINK = """
from setu.exchange.models import Peer

peer = Peer.objects.get(code="NP")
print(json.dumps({"failures": peer.failures, "retry_at": peer.retry_at and peer.retry_at.isoformat()}))
"""


def pending(node: Node) -> int:
    """Messages of the node's outbox not yet receipted, read straight from its database."""
    if node.database_url.startswith("sqlite:"):
        with sqlite3.connect(f"file:{node.database_url.removeprefix('sqlite:///')}?mode=ro", uri=True) as conn:
            return conn.execute(PENDING).fetchone()[0]
    import psycopg

    with psycopg.connect(node.database_url.replace("postgres://", "postgresql://", 1)) as conn:
        row = conn.execute(PENDING).fetchone()
        return row[0] if row else 0


def wait_drained(node: Node, relay: Process, timeout: float) -> float:
    """Poll until the node's outbox is empty; the monotonic time it was first seen empty."""
    wait_until(lambda: pending(node) == 0, timeout=timeout, what="the outbox to drain", interval=0.1, watch=relay)
    return time.monotonic()


def queue(india: Node, ref: str, count: int) -> float:
    """Queue `count` follow-up reports of the case on India; the seconds it took."""
    started = time.monotonic()
    india.run(QUEUE, ref=ref, count=count)
    return time.monotonic() - started


def check_applied(np: Node, ref: str, count: int) -> None:
    applied = np.run(APPLIED, ref=ref)
    expected = {"messages": count, "applied": count, "events": count, "applied_seq": count}
    if applied != expected:
        raise SystemExit(f"Nepal did not apply every message exactly once: {applied}, expected {expected}")


@dataclass
class Figures:
    throughput_messages: int
    throughput_seconds: float
    queue_seconds: float
    backlog_messages: int
    backlog_seconds: float
    backlog_first_seconds: float
    backlog_failures: int

    @property
    def rate(self) -> float:
        return self.throughput_messages / self.throughput_seconds


def throughput(pair: TwoNodes, count: int) -> tuple[float, float]:
    """(a): queue, start the relay, time until every message has Nepal's receipt. (seconds, queue seconds)"""
    np, india = pair.np, pair.india
    link = pair.link_case()
    queued = queue(india, link.ref, count)
    started = time.monotonic()
    relay = india.start_relay()
    seconds = wait_drained(india, relay, timeout=count / 10 + 60) - started
    relay.stop()
    check_applied(np, link.ref, count)
    return seconds, queued


def backlog(pair: TwoNodes, count: int) -> tuple[float, float, int]:
    """(b): Nepal down, relay backing off, backlog queued; Nepal back: (seconds to drain, seconds to the first
    receipt, link failures before Nepal came back)."""
    np, india = pair.np, pair.india
    link = pair.link_case()
    np.stop_web()
    relay = india.start_relay()
    queue(india, link.ref, count)
    # A long outage: the link's backoff has reached its cap (the fifth failure: min(cap, 2^4) >= 15 s).
    down = wait_until(lambda: (state := india.run(LINK))["failures"] >= 5 and state, timeout=120,
                      what="the relay's backoff to reach its cap", interval=1.0, watch=relay)  # fmt: skip
    np.start_web()
    back = time.monotonic()
    wait_until(lambda: pending(india) < count, timeout=60, what="the first receipt", interval=0.1, watch=relay)
    first = time.monotonic() - back
    seconds = wait_drained(india, relay, timeout=count / 10 + 60) - back
    relay.stop()
    check_applied(np, link.ref, count)
    return seconds, first, down["failures"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", "--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--messages", type=int, default=5000, help="messages for the throughput run (a)")
    parser.add_argument("--backlog", type=int, default=10_000, help="messages queued while Nepal is down (b)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node (the machine has 2 cores)")
    # `make bench` passes its options to every benchmark; the ones for the others (--requests) mean nothing here.
    args, ignored = parser.parse_known_args()
    if ignored:
        print(f"(options for other benchmarks ignored: {' '.join(ignored)})")

    base_dir = Path(tempfile.mkdtemp(prefix="setu-bench-exchange-"))
    server = PG_SERVER if args.database == "postgres" else ""
    try:
        with (
            node_databases(base_dir, server, PG_NAMES) as urls,
            two_nodes(base_dir, urls, workers=args.workers) as pair,
        ):
            seconds, queued = throughput(pair, args.messages)
            backlog_seconds, first, failures = backlog(pair, args.backlog)
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)
    figures = Figures(throughput_messages=args.messages, throughput_seconds=seconds, queue_seconds=queued,
                      backlog_messages=args.backlog, backlog_seconds=backlog_seconds, backlog_first_seconds=first,
                      backlog_failures=failures)  # fmt: skip
    report(figures, args, urls)


def report(figures: Figures, args, urls: dict[str, str]) -> None:
    database = "SQLite (a file per node)" if args.database == "sqlite" else f"PostgreSQL ({', '.join(urls.values())})"
    print()
    print(f"exchange IN -> NP, database={database}, gunicorn workers per node={args.workers}, one relay on IN")
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (other processes "
        "share the cores: a load above the core count slows every figure)"
    )
    print(f"queueing on IN: {figures.throughput_messages} messages in {figures.queue_seconds:.1f} s "
          f"({figures.throughput_messages / figures.queue_seconds:.0f} msg/s, 50 per transaction)")  # fmt: skip
    verdict = "ok" if figures.rate >= TARGET_RATE else "MISSED"
    print(f"(a) throughput: {figures.throughput_messages} messages delivered in {figures.throughput_seconds:.1f} s "
          f"from the relay's start = {figures.rate:.0f} msg/s (target >= {TARGET_RATE:.0f}: {verdict})")  # fmt: skip
    verdict = "ok" if figures.backlog_seconds < TARGET_BACKLOG_SECONDS else "MISSED"
    print(f"(b) backlog: {figures.backlog_messages} messages drained {figures.backlog_seconds:.1f} s after NP "
          f"came back (target < {TARGET_BACKLOG_SECONDS:.0f} s: {verdict}); first receipt after "
          f"{figures.backlog_first_seconds:.1f} s (the link's backoff: {figures.backlog_failures} failed tries "
          "while NP was down)")  # fmt: skip


if __name__ == "__main__":
    main()
