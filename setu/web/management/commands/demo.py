"""`setu demo`: the two-node demo on one machine (what `make demo` runs).

For Nepal and India at once: migrate each node's own database, then seed it (`seed_demo`, idempotent: the
agencies, logins, people, survivors' cases, interceptions); then serve both nodes, each with a gunicorn server, a
`db_worker` task worker, a `scheduler` that enqueues the deadline sweep for it, and a `relay` that
delivers exchange messages to the other node, until Ctrl-C.
Each node runs in its own processes with its own environment (SETU_NODE, database, var dir, peer URL),
exactly as two installations would: the command never opens a node's database itself. The two nodes are
migrated and seeded in parallel: a first seed takes most of the start-up time.
`setu demo scenario` (with the same options) starts nothing: it drives one new case through every bilateral
step on the demo that is running (setu.web.demo.scenario).

Gunicorn rather than runserver: it is what production runs, it shuts down cleanly on SIGTERM, and
whitenoise serves the static files from the finders while DEBUG is on, so no collectstatic is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.exchange.keys import STATE_FILE as KEY_STATE_FILE
from setu.exchange.keys import NodeKeys
from setu.web.demo.agencies import DEMO_PASSWORD, organisation, users_of
from setu.web.demo.interceptions import DEFAULT_INTERCEPTIONS
from setu.web.demo.seed import DEFAULT_CASES, DEFAULT_PERSONS
from setu.web.demo.supervisor import Child, ChildExitedError, Supervisor

NODE_NAMES = {"NP": "Nepal", "IN": "India"}
DEFAULT_PORTS = {"NP": 8001, "IN": 8002}
# Settings a user may have exported for their own purposes that must not leak into a demo node: they
# would make both nodes share a database, a secret or a media directory.
_KEEP_SETTINGS = {"SETU_LOG_LEVEL", "SETU_LANGUAGE"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"{name}={raw!r} is not a port number.") from None


@dataclass(frozen=True)
class DemoNode:
    code: str
    port: int
    host: str
    database_url: str
    var_dir: Path

    @property
    def name(self) -> str:
        return NODE_NAMES[self.code]

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104 - display only
        return f"http://{host}:{self.port}"

    @property
    def health_url(self) -> str:
        return f"{self.base_url}/health/"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def database_label(self) -> str:
        if self.is_sqlite:
            path = Path(dj_database_url.parse(self.database_url)["NAME"])
            try:
                return str(path.relative_to(Path.cwd()))
            except ValueError:
                return str(path)
        parts = urlsplit(self.database_url)
        netloc = parts.hostname or ""
        netloc = f"{parts.username}@{netloc}" if parts.username else netloc
        netloc = f"{netloc}:{parts.port}" if parts.port else netloc
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def environment(self, peers: list[DemoNode]) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not (key.startswith("SETU_") and key not in _KEEP_SETTINGS)
            and not key.startswith("DATABASE_URL")
            and key != "DJANGO_SETTINGS_MODULE"
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHONUNBUFFERED="1",
            SETU_ENV="development",
            SETU_DEMO="1",
            SETU_NODE=self.code,
            SETU_VAR_DIR=str(self.var_dir),
            DATABASE_URL=self.database_url,
            SETU_PEER_URLS=",".join(f"{peer.code}={peer.base_url}" for peer in peers if peer is not self),
        )
        return env


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _setu(*args: str) -> list[str]:
    """The argv of a `setu` management command run with this interpreter (no reliance on PATH)."""
    return [sys.executable, "-m", "setu", *args]


class Command(BaseCommand):
    help = (
        "Run the demo: migrate and seed the Nepal and India nodes (one database each), then serve both "
        "with a task worker, a scheduler and an exchange relay each until Ctrl-C. Prints the URLs and the demo logins."
    )
    # The nodes run their own checks when they start; this process only supervises them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", nargs="?", choices=["scenario"],
            help="scenario: with the demo running (in another terminal), drive one new case across the border "
            "through every bilateral step and print each step (setu.web.demo.scenario). Starts no server.",
        )  # fmt: skip
        parser.add_argument(
            "--reset", action="store_true", help="Delete both demo databases and media first, then seed afresh."
        )
        parser.add_argument("--no-serve", action="store_true", help="Only migrate and seed both nodes, then exit.")
        parser.add_argument(
            "--host", default=os.environ.get("SETU_DEMO_HOST", "127.0.0.1"), help="Address to serve on."
        )
        parser.add_argument(
            "--np-port", type=int, default=_env_int("SETU_DEMO_NP_PORT", DEFAULT_PORTS["NP"]),
            help="Port of the Nepal node (env SETU_DEMO_NP_PORT; default 8001).",
        )  # fmt: skip
        parser.add_argument(
            "--in-port", type=int, default=_env_int("SETU_DEMO_IN_PORT", DEFAULT_PORTS["IN"]),
            help="Port of the India node (env SETU_DEMO_IN_PORT; default 8002).",
        )  # fmt: skip
        parser.add_argument(
            "--np-database-url", default=os.environ.get("SETU_DEMO_NP_DATABASE_URL", ""),
            help="Database of the Nepal node (env SETU_DEMO_NP_DATABASE_URL; default SQLite <var>/np.sqlite3).",
        )  # fmt: skip
        parser.add_argument(
            "--in-database-url", default=os.environ.get("SETU_DEMO_IN_DATABASE_URL", ""),
            help="Database of the India node (env SETU_DEMO_IN_DATABASE_URL; default SQLite <var>/in.sqlite3).",
        )  # fmt: skip
        parser.add_argument(
            "--persons", type=int, default=DEFAULT_PERSONS, help="Synthetic people to seed on each node."
        )
        parser.add_argument(
            "--cases", type=int, default=DEFAULT_CASES, help="Survivors' cases to seed on each node (one per person)."
        )
        parser.add_argument(
            "--interceptions", type=int, default=DEFAULT_INTERCEPTIONS,
            help="Border interceptions over the last 12 months to seed on each node (when it has none yet).",
        )  # fmt: skip
        parser.add_argument(
            "--missing-reports", type=int, default=None,
            help="Missing-person reports over the last 18 months to seed on each node (when it has none yet; "
                 "default 60 on the Nepal node, 15 on the India node).",
        )  # fmt: skip
        parser.add_argument("--web-workers", type=int, default=2, help="Gunicorn workers per node.")
        parser.add_argument(
            "--startup-timeout", type=float, default=60.0, help="Seconds to wait for each node to answer /health/."
        )
        parser.add_argument(
            "--stop-timeout", type=float, default=10.0, help="Seconds a process gets to stop before it is killed."
        )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "`setu demo` runs a throw-away two-node demo and is refused when SETU_ENV=production. "
                "Run it with SETU_ENV=development (as `make demo` does)."
            )
        if options["action"] == "scenario":
            self._scenario(options)
            return
        nodes = self._nodes(options)
        supervisor = Supervisor(stop_timeout=options["stop_timeout"])
        previous_handlers = supervisor.handle_signals()
        try:
            self._run(supervisor, nodes, options)
        except ChildExitedError as exc:
            child = exc.child
            self.stderr.write(f"\n{child.name} stopped unexpectedly (exit code {child.returncode}).")
            tail = child.log_tail()
            if tail:
                self.stderr.write(f"Last lines of {child.log_path}:\n{tail}")
            self._stop(supervisor)
            raise CommandError(f"{child.name} exited with code {child.returncode}; the demo was stopped.") from None
        finally:
            self._stop(supervisor)
            supervisor.restore_signals(previous_handlers)

    # --- configuration ---
    def _nodes(self, options) -> list[DemoNode]:
        var_dir = Path(settings.VAR_DIR).resolve()
        nodes = []
        for code in ("NP", "IN"):
            url = options[f"{code.lower()}_database_url"] or f"sqlite:///{var_dir / f'{code.lower()}.sqlite3'}"
            nodes.append(
                DemoNode(code=code, port=options[f"{code.lower()}_port"], host=options["host"],
                         database_url=url, var_dir=var_dir)
            )  # fmt: skip
        if nodes[0].port == nodes[1].port:
            raise CommandError("The Nepal and India nodes need different ports.")
        if nodes[0].database_url == nodes[1].database_url:
            raise CommandError("The two nodes must not share a database: give each its own (they are sovereign).")
        if (options["missing_reports"] or 0) < 0:
            raise CommandError("--missing-reports must be zero or more.")
        for option in ("persons", "cases", "interceptions"):
            if options[option] < 0:
                raise CommandError(f"--{option} must be zero or more.")
        if not options["no_serve"] and not options["action"]:
            for node in nodes:
                if not _port_free(node.host, node.port):
                    raise CommandError(
                        f"Port {node.port} on {node.host} is in use (is another demo running?). "
                        f"Choose another with --{node.slug}-port."
                    )
        return nodes

    def _scenario(self, options) -> None:
        """`setu demo scenario`: on the running demo (the same var dir and ports), one case through every step."""
        from setu.web.demo.scenario import Scenario, ScenarioError

        if options["reset"] or options["no_serve"]:
            raise CommandError("`setu demo scenario` runs on the running demo: --reset and --no-serve do not apply.")
        nodes = self._nodes(options)

        def write(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        try:
            Scenario(nodes, write, cwd=Path(settings.BASE_DIR)).run()
        except ScenarioError as exc:
            raise CommandError(str(exc)) from None

    # --- the run ---
    def _run(self, supervisor: Supervisor, nodes: list[DemoNode], options) -> None:
        cwd = Path(settings.BASE_DIR)
        for node in nodes:
            if options["reset"] and not self._reset(supervisor, node, nodes, cwd):
                return
        for node in nodes:
            self.stdout.write(f"{node.name}: migrating {node.database_label} …")
        if not self._steps(supervisor, nodes, cwd, "migrate", "--no-input", "--verbosity", "0"):
            return
        self.stdout.write("Seeding the demo data of both nodes (a first seed takes a while) …")
        self.stdout.flush()
        seed: tuple[str, ...] = ("seed_demo", "--persons", str(options["persons"]), "--cases",
                                 str(options["cases"]), "--interceptions", str(options["interceptions"]))  # fmt: skip
        if options["missing_reports"] is not None:
            seed += ("--missing-reports", str(options["missing_reports"]))
        if not self._steps(supervisor, nodes, cwd, *seed):
            return
        if not self._peer(supervisor, nodes, cwd):
            return
        if not self._publish_statistics(supervisor, nodes, cwd):
            return
        if options["no_serve"]:
            self._print_logins(nodes)
            return

        log_dir = nodes[0].var_dir / "log"
        (nodes[0].var_dir / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT: whitenoise warns if absent
        for node in nodes:
            env = node.environment(nodes)
            web = supervisor.start(
                f"{node.slug}-web",
                [
                    sys.executable, "-m", "gunicorn", "config.wsgi:application",
                    "--bind", f"{node.host}:{node.port}", "--workers", str(options["web_workers"]),
                    "--graceful-timeout", "5", "--timeout", "120", "--name", f"setu-{node.slug}",
                    "--access-logfile", "-", "--error-logfile", "-",
                ],
                env=env, cwd=cwd, log_path=self._fresh_log(log_dir, f"demo-{node.slug}-web.log"),
            )  # fmt: skip
            worker = supervisor.start(
                f"{node.slug}-worker",
                _setu("db_worker", "--no-reload", "--no-startup-delay", "--queue-name", "*",
                      "--worker-id", f"setu-demo-{node.slug}"),
                env=env, cwd=cwd, log_path=self._fresh_log(log_dir, f"demo-{node.slug}-worker.log"),
            )  # fmt: skip
            scheduler = supervisor.start(
                f"{node.slug}-scheduler", _setu("scheduler"),
                env=env, cwd=cwd, log_path=self._fresh_log(log_dir, f"demo-{node.slug}-scheduler.log"),
            )  # fmt: skip
            relay = supervisor.start(
                f"{node.slug}-relay", _setu("relay"),
                env=env, cwd=cwd, log_path=self._fresh_log(log_dir, f"demo-{node.slug}-relay.log"),
            )  # fmt: skip
            for child in (web, worker, scheduler, relay):
                self.stdout.write(f"  started {child.name} (pid {child.pid}), log {self._relative(child.log_path)}")
        self.stdout.write("Waiting for both nodes to answer …")
        self.stdout.flush()
        for node in nodes:
            if not supervisor.wait_for_http(node.health_url, timeout=options["startup_timeout"]):
                if supervisor.stopping:
                    return
                raise CommandError(
                    f"{node.name} did not answer {node.health_url} within {options['startup_timeout']:.0f} s; "
                    f"see {self._relative(log_dir)}/demo-{node.slug}-web.log."
                )
        self._print_ready(nodes, log_dir)
        supervisor.run_until_stopped()

    def _steps(self, supervisor: Supervisor, nodes: list[DemoNode], cwd: Path, *args: str) -> bool:
        """Run one management command on every node at once; False if a stop was requested, CommandError if one
        failed."""
        steps = [(f"{node.slug}-{args[0]}", _setu(*args), node.environment(nodes)) for node in nodes]
        codes = supervisor.run_steps(steps, cwd=cwd)
        if codes is None:
            return False
        for node in nodes:
            self._check(node, args[0], codes[f"{node.slug}-{args[0]}"])
        return True

    def _peer(self, supervisor: Supervisor, nodes: list[DemoNode], cwd: Path) -> bool:
        """Give each node its signing key (once: `setu node init`), and register each node's public keys on the
        others (`setu peer add`, as two real nodes' administrators would, with the key set each publishes)."""
        for node in nodes:
            keys = NodeKeys(node.var_dir / f"keys-{node.slug}")
            if not (keys.directory / KEY_STATE_FILE).exists():
                keys.init()
            published = keys.published(node.code)
            (node.var_dir / f"keyset-{node.slug}.json").write_text(json.dumps(published, indent=2), encoding="utf-8")
        self.stdout.write("Peering the nodes (each registers the other's public signing keys) …")
        for node in nodes:
            for peer in nodes:
                if peer is not node and not self._step(
                    supervisor, node, nodes, cwd, "peer", "add", peer.code, peer.base_url,
                    str(peer.var_dir / f"keyset-{peer.slug}.json"),
                ):  # fmt: skip
                    return False
        return True

    def _publish_statistics(self, supervisor: Supervisor, nodes: list[DemoNode], cwd: Path) -> bool:
        """Each node's analyst publishes this year's bilateral statistics to the other (setu.reports, once per
        demo database), so the joint page shows both countries once the relays have delivered them."""
        from django.utils import timezone

        year = str(timezone.localdate().year)
        for node in nodes:
            if not self._step(supervisor, node, nodes, cwd, "statistics", "publish", "--year", year,
                              "--user", f"{node.slug}_analyst", "--if-unpublished"):  # fmt: skip
                return False
        return True

    def _check(self, node: DemoNode, command: str, code: int) -> None:
        if code != 0:
            raise CommandError(
                f"{node.name}: `setu {command}` failed (exit code {code}); see the output above. If the demo "
                "database is from an older version of the code, `make reset-demo` starts again from empty ones."
            )

    def _step(self, supervisor: Supervisor, node: DemoNode, nodes: list[DemoNode], cwd: Path, *args: str) -> bool:
        """Run one management command on a node; False if a stop was requested, CommandError if it failed."""
        code = supervisor.run_step(f"{node.slug}-{args[0]}", _setu(*args), env=node.environment(nodes), cwd=cwd)
        if code is None:
            return False
        self._check(node, args[0], code)
        return True

    def _reset(self, supervisor: Supervisor, node: DemoNode, nodes: list[DemoNode], cwd: Path) -> bool:
        media = node.var_dir / f"media-{node.slug}"
        if node.is_sqlite:
            name = Path(dj_database_url.parse(node.database_url)["NAME"])
            for path in (name, *(name.with_name(name.name + suffix) for suffix in ("-wal", "-shm", "-journal"))):
                path.unlink(missing_ok=True)
            self.stdout.write(f"{node.name}: deleted {node.database_label} and {self._relative(media)}")
        else:
            self.stdout.write(f"{node.name}: emptying {node.database_label} …")
            if not self._step(supervisor, node, nodes, cwd, "flush", "--no-input"):
                return False
        shutil.rmtree(media, ignore_errors=True)
        return True

    def _stop(self, supervisor: Supervisor) -> None:
        if not any(child.returncode is None for child in supervisor.children):
            return
        name = signal.Signals(supervisor.stop_signal).name if supervisor.stop_signal else "shutdown"
        self.stdout.write(f"\nStopping the demo ({name}) …")
        supervisor.stop_all(on_stop=self._stopping)
        self.stdout.write("Stopped.")
        self.stdout.flush()

    def _stopping(self, child: Child) -> None:
        self.stdout.write(f"  stopping {child.name} (pid {child.pid})")

    # --- output ---
    @staticmethod
    def _fresh_log(log_dir: Path, name: str) -> Path:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / name
        path.unlink(missing_ok=True)
        return path

    @staticmethod
    def _relative(path: Path | None) -> str:
        if path is None:
            return ""
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def _print_ready(self, nodes: list[DemoNode], log_dir: Path) -> None:
        out = self.stdout
        out.write("")
        out.write(
            self.style.SUCCESS(
                "Setu demo is ready: two sovereign nodes, each with its own database, task worker, scheduler and "
                "exchange relay."
            )
        )
        out.write("")
        for node in nodes:
            out.write(f"  {node.name:<6}  {node.base_url}/   database {node.database_label}")
        self._print_logins(nodes)
        out.write(
            f"Logs: {self._relative(log_dir)}/. The nodes are peers: each knows the other's signing keys, and "
            "each relay carries its exchange messages (`make scenario` walks one case across the border)."
        )
        out.write("Press Ctrl-C to stop both nodes.")
        out.flush()

    def _print_logins(self, nodes: list[DemoNode]) -> None:
        out = self.stdout
        out.write("")
        out.write(f"Demo logins. Every account's password is: {DEMO_PASSWORD}")
        out.write(f"  {'USERNAME':<15} {'ROLE':<31} {'ORGANISATION':<58} NODE")
        for node in nodes:
            for user in users_of(node.code):
                org = organisation(user.organisation).name_en
                org = org if len(org) <= 58 else org[:57] + "…"
                out.write(f"  {user.username:<15} {user.role_label:<31} {org:<58} {node.name}")
        out.write("")
        out.flush()
