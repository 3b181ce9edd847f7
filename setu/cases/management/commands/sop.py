"""`setu sop load FILE`: load an SOP definition; `setu sop check FILE`: validate one without loading it."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from setu.cases.models import SopVersion
from setu.cases.selectors import sop_changes
from setu.cases.services import sop_load, sop_parse


class Command(BaseCommand):
    help = "Load or check an SOP definition file (docs/sop.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["load", "check"])
        parser.add_argument("file", type=Path)

    def handle(self, *args, action: str, file: Path, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        try:
            if action == "check":
                definition = sop_parse(text)
                self.stdout.write(f"{file}: SOP {definition.version} is valid ({len(definition.stages)} stages)")
                return
            previous = SopVersion.objects.filter(is_current=True).first()
            loaded = sop_load(actor=None, text=text)
        except ValidationError as exc:
            for message in exc.message_dict.get("source", exc.messages):
                self.stderr.write(f"{file}: {message}")
            raise CommandError("the SOP file was refused; nothing changed") from exc
        self.stdout.write(f"SOP {loaded.version} is now used for new cases")
        for change in sop_changes(previous, loaded) if previous and previous.pk != loaded.pk else []:
            self.stdout.write(f"  {change}")
