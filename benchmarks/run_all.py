"""`make bench`: every benchmark, on SQLite and (when a server answers on 127.0.0.1:5432) PostgreSQL.

Each prints its own figures; docs/performance.md records them with the date and the machine.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
        return True
    except OSError:
        return False


BENCHMARKS = ("people.py", "cases.py", "exchange.py", "interceptions.py", "reports.py")
# Per database, without the web benchmarks' options (no server is involved).
IN_PROCESS = ("matching.py", "imports.py")
# Run once, not per database: record linkage of files needs none (it compares with Splink; the `bench` extra).
ONCE = ("linkage.py",)


def main() -> int:
    """Every benchmark on every database that answers; options given (`--requests N`, `--workers N`) go to the
    web benchmarks."""
    databases = ["sqlite", "postgres"] if _postgres_answers() else ["sqlite"]
    status = 0
    for script in BENCHMARKS:
        for database in databases:
            print(f"\n=== benchmarks/{script} --database {database}", flush=True)
            status |= subprocess.call([sys.executable, str(HERE / script), "--database", database, *sys.argv[1:]])
    for script in IN_PROCESS:
        for database in databases:
            print(f"\n=== benchmarks/{script} --database {database}", flush=True)
            status |= subprocess.call([sys.executable, str(HERE / script), "--database", database])
    for script in ONCE:
        print(f"\n=== benchmarks/{script}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script)])
    return status


if __name__ == "__main__":
    sys.exit(main())
