"""`setu tracing sweep|train|show`: the matching index and model, by hand (the scheduler runs the first two).

- `sweep`: index every person not indexed or changed since, and propose candidates for them, until none is
  left (after a restore, an import, or a change of the matcher's rules: `--all` indexes everyone again);
- `train`: train the node's matching model on its own records (EM), and keep it when both sides are big
  enough; the defaults are used until then;
- `show`: the model in use, as JSON.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from setu.tracing import matching
from setu.tracing.models import MatchProfile


class Command(BaseCommand):
    help = "Matching: index persons and propose candidates (sweep), train the node's model (train), show it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sweep", "train", "show"])
        parser.add_argument("--all", action="store_true", help="sweep: index every person again")

    def handle(self, *args, action: str, **options):
        if action == "show":
            current = matching.current_model()
            self.stdout.write(current.model.to_json())
            return
        if action == "train":
            trained = matching.train()
            if trained is None:
                raise CommandError(f"too few records to train on (at least {matching.MIN_TRAINING_RECORDS} reported "
                                   "and as many found persons); the default model stays in use")  # fmt: skip
            self.stdout.write(f"trained {trained.trained_at:%Y-%m-%d %H:%M}: {trained.summary}")
            return
        if options["all"]:
            MatchProfile.objects.all().delete()
        total = {"indexed": 0, "reports": 0, "found": 0}
        while True:
            done = matching.sweep()
            for key in total:
                total[key] += done[key]
            self.stdout.write(f"indexed {total['indexed']:,} persons ...", ending="\r")
            if not done["indexed"]:
                break
        self.stdout.write(f"indexed {total['indexed']:,} persons; proposed for {total['reports']:,} reported and "
                          f"{total['found']:,} found")  # fmt: skip
