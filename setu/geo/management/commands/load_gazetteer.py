"""`setu load_gazetteer [--path FILE]`: load or refresh the gazetteer from its data file."""

from django.core.management.base import BaseCommand, CommandError

from setu.geo.services import GazetteerFileError, gazetteer_load


class Command(BaseCommand):
    help = (
        "Load Nepal's provinces, districts, local levels (with ward counts), India's border states and "
        "districts, and the border crossing points. Safe to run again: only what changed is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", help="gazetteer JSON file (default: the one shipped in setu/geo/data/)")

    def handle(self, *args, **options) -> None:
        try:
            counts = gazetteer_load(path=options.get("path"))
        except GazetteerFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                "gazetteer loaded: {provinces} provinces/states, {districts} districts, {local_levels} local "
                "levels ({wards} wards), {border_points} border points; {created} created, {changed} changed".format(
                    **counts
                )
            )
        )
