"""`setu scheduler`: enqueue the node's periodic tasks for the task worker, on their intervals.

One scheduler runs per node, next to its `db_worker`s (docs/operations.md). It only enqueues: the work
runs in the worker, so a slow sweep never delays the next tick. `--once` enqueues each task once and exits
(for cron, or to run a sweep now).
"""

from __future__ import annotations

import signal
import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand


def periodic_tasks() -> list[tuple[str, int]]:
    """(task path, interval in seconds)."""
    return [
        ("setu.cases.tasks.sweep_deadlines", settings.SETU_SWEEP_INTERVAL_SECONDS),
        ("setu.tracing.tasks.sweep_matching", settings.SETU_MATCH_SWEEP_INTERVAL_SECONDS),
        ("setu.tracing.tasks.train_matching_model", settings.SETU_MATCH_TRAIN_INTERVAL_SECONDS),
        ("setu.mla.tasks.sweep_mla_deadlines", settings.SETU_SWEEP_INTERVAL_SECONDS),
    ]


def _load(path: str):
    module, _sep, name = path.rpartition(".")
    return getattr(import_module(module), name)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (deadline sweep, matching sweep and training) on their intervals until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue each periodic task once and exit.")

    def handle(self, *args, once: bool = False, **options):
        schedule = [(path, _load(path), interval) for path, interval in periodic_tasks()]
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        next_run = {path: 0.0 for path, _task, _interval in schedule}
        while not stopping:
            now = time.monotonic()
            for path, task, interval in schedule:
                if now >= next_run[path]:
                    result = task.enqueue()
                    self.stdout.write(f"enqueued {path} ({result.id})")
                    next_run[path] = now + interval
            if once:
                return
            time.sleep(1)
        self.stdout.write("scheduler stopped")
