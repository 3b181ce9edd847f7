"""`setu seed_demo`: load the gazetteer and this node's demo agencies, logins, synthetic people, cases, a year
of border interceptions, prevention work and eighteen months of missing-person reports.

Idempotent (re-running adds only what is missing). Refused unless SETU_DEMO is on. `setu demo` runs it
for both nodes; run it by hand with SETU_ENV=development SETU_DEMO=1 SETU_NODE=NP|IN.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.web.demo.interceptions import DEFAULT_INTERCEPTIONS
from setu.web.demo.seed import DEFAULT_CASES, DEFAULT_PERSONS, DemoSeedRefusedError, seed_demo
from setu.web.demo.tracing import DEFAULT_MISSING_REPORTS


class Command(BaseCommand):
    help = (
        "Seed this node with the demo's gazetteer, agencies, one login per role, synthetic people, survivors' "
        "cases moved through the SOP, a year of border interceptions, prevention work and missing-person reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons", type=int, default=DEFAULT_PERSONS, help=f"Synthetic people (default {DEFAULT_PERSONS})."
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=DEFAULT_CASES,
            help=f"Survivors' cases, at most one per person (default {DEFAULT_CASES}).",
        )
        parser.add_argument(
            "--interceptions",
            type=int,
            default=DEFAULT_INTERCEPTIONS,
            help=f"Border interceptions over the last 12 months, when the node has none yet "
            f"(default {DEFAULT_INTERCEPTIONS}).",
        )
        parser.add_argument(
            "--missing-reports",
            type=int,
            default=None,
            help="Missing-person reports over the last 18 months, when the node has none yet (default "
            + ", ".join(f"{n} on the {node} node" for node, n in DEFAULT_MISSING_REPORTS.items())
            + ").",
        )

    def handle(self, *args, **options) -> None:
        missing_reports = options["missing_reports"]
        if missing_reports is None:
            missing_reports = DEFAULT_MISSING_REPORTS[settings.SETU_NODE]
        for option, value in (*((name, options[name]) for name in ("persons", "cases", "interceptions")),
                              ("missing-reports", missing_reports)):  # fmt: skip
            if value < 0:
                raise CommandError(f"--{option} must be zero or more.")
        try:
            report = seed_demo(
                persons=options["persons"],
                cases=options["cases"],
                interceptions=options["interceptions"],
                missing_reports=missing_reports,
            )
        except DemoSeedRefusedError as exc:
            raise CommandError(f"{exc} This node has SETU_DEMO off; nothing was written.") from None
        name = settings.SETU_NODE_NAMES[settings.SETU_NODE]
        self.stdout.write(self.style.SUCCESS(f"{name} ({settings.SETU_NODE}): {report}."))
