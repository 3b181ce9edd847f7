"""`setu checklist load FILE`: load a red-flag checklist as the version new interceptions are screened with;
`setu checklist check FILE`: validate one without loading it; `setu checklist show`: the version in use."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from setu.interceptions.screening import ChecklistError, load_checklist
from setu.interceptions.services import checklist_current, checklist_load, parsed


class Command(BaseCommand):
    help = "Load, check or show the red-flag checklist (docs/interceptions.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["load", "check", "show"])
        parser.add_argument("file", type=Path, nargs="?")

    def handle(self, *args, action: str, file: Path | None, **options) -> None:
        if action == "show":
            checklist = parsed(checklist_current())
            self.stdout.write(f"checklist {checklist.version}: {checklist.title}")
            for group, flags in checklist.by_group().items():
                self.stdout.write(f"  {checklist.groups[group]['en']}")
                for flag in flags:
                    self.stdout.write(f"    {flag.weight:>3}  {flag.key}  {flag.name()}  [{flag.source}]")
            return
        if file is None:
            raise CommandError(f"checklist {action} needs a FILE")
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        try:
            if action == "check":
                checklist = load_checklist(text)
                self.stdout.write(f"{file}: checklist {checklist.version} is valid ({len(checklist.flags)} flags)")
                return
            loaded = checklist_load(actor=None, text=text)
        except ChecklistError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError("the checklist file was refused; nothing changed") from exc
        self.stdout.write(
            f"checklist {loaded.version} is now used for new interceptions; earlier records keep their version"
        )
