"""The `setu` console script: Django's management commands with Setu's settings.

`setu audit verify`, `setu demo`, `setu sop load` ... are management commands of the apps; `setu link` and
`setu dedupe` (record linkage of CSV files, setu.tracing.linkage.cli) need no node and run without Django.
"""

import os
import sys


def main() -> int:
    if sys.argv[1:2] in (["link"], ["dedupe"]):
        # Record linkage of CSV files needs no node, database or settings (setu.tracing.linkage.cli).
        from setu.tracing.linkage.cli import main as linkage

        return linkage(sys.argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo is local and synthetic by definition; production posture needs real secrets.
        os.environ.setdefault("SETU_ENV", "development")
        os.environ.setdefault("SETU_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
