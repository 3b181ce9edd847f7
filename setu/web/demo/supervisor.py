"""Run a handful of child processes as one unit: start, watch, and stop them all together.

Used by `setu demo` for two web servers, two task workers and two schedulers. No Django import.

Each child starts in its own session (process group), so:
- a Ctrl-C in the terminal reaches only the supervisor, which then stops the children in order, instead
  of every process racing to die on its own and the supervisor mistaking that for a crash;
- stopping signals the whole group, which includes a gunicorn master's workers, and a group that does
  not leave within the timeout is killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any


class ChildExitedError(Exception):
    """A supervised child ended while it was meant to be running."""

    def __init__(self, child: Child) -> None:
        self.child = child
        super().__init__(f"{child.name} exited with code {child.returncode}")


@dataclass
class Child:
    name: str
    argv: list[str]
    log_path: Path | None
    process: subprocess.Popen[bytes]
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.poll()

    def log_tail(self, lines: int = 20) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


class Supervisor:
    """Starts children and stops them: SIGTERM to each group, wait up to `stop_timeout`, then SIGKILL."""

    def __init__(self, *, stop_timeout: float = 10.0) -> None:
        self.stop_timeout = stop_timeout
        self.children: list[Child] = []
        self.stop_signal: int | None = None

    # --- signals ---
    def handle_signals(self, signums: Sequence[int] = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)) -> dict[int, Any]:
        """Turn the given signals into a stop request, read by `run_until_stopped` and the waits.

        Returns the handlers they replace, for `restore_signals`.
        """
        return {signum: signal.signal(signum, self._request_stop) for signum in signums}

    @staticmethod
    def restore_signals(previous: dict[int, Any]) -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    def _request_stop(self, signum: int, frame: object) -> None:
        self.stop_signal = signum

    @property
    def stopping(self) -> bool:
        return self.stop_signal is not None

    # --- children ---
    def start(self, name: str, argv: list[str], *, env: dict[str, str], cwd: Path, log_path: Path | None) -> Child:
        log = None
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log = log_path.open("ab")
        process = subprocess.Popen(  # noqa: S603 - argv is built by the caller from fixed parts, no shell
            argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT if log is not None else None,
            start_new_session=True,
        )
        child = Child(name=name, argv=argv, log_path=log_path, process=process, _log=log)
        self.children.append(child)
        return child

    def first_exited(self) -> Child | None:
        return next((c for c in self.children if c.returncode is not None), None)

    def run_step(self, name: str, argv: list[str], *, env: dict[str, str], cwd: Path) -> int | None:
        """Run one child to completion, its output on ours. None if a stop was requested meanwhile."""
        codes = self.run_steps([(name, argv, env)], cwd=cwd)
        return None if codes is None else codes[name]

    def run_steps(self, steps: Sequence[tuple[str, list[str], dict[str, str]]], *, cwd: Path) -> dict[str, int] | None:
        """Run (name, argv, env) children at once, each to completion, their output on ours: {name: exit code}.

        None if a stop was requested meanwhile; the children still running are then stopped.
        """
        children = [self.start(name, argv, env=env, cwd=cwd, log_path=None) for name, argv, env in steps]
        try:
            while any(child.returncode is None for child in children):
                if self.stopping:
                    return None
                time.sleep(0.1)
            return {child.name: child.process.wait() for child in children}
        finally:
            self._stop(children)
            for child in children:
                self.children.remove(child)

    def run_until_stopped(self, poll_interval: float = 0.2) -> None:
        """Block until a stop is requested; raise ChildExitedError if a child ends first."""
        while not self.stopping:
            dead = self.first_exited()
            if dead is not None:
                raise ChildExitedError(dead)
            time.sleep(poll_interval)

    def wait_for_http(self, url: str, *, timeout: float, interval: float = 0.25) -> bool:
        """Poll `url` until it answers 200. False on timeout or stop; ChildExitedError if a child ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.stopping:
            dead = self.first_exited()
            if dead is not None:
                raise ChildExitedError(dead)
            if http_ok(url):
                return True
            time.sleep(interval)
        return False

    def stop_all(self, on_stop: Callable[[Child], None] | None = None) -> None:
        """Stop every child still running: SIGTERM to its group, then SIGKILL after the timeout."""
        self._stop(self.children, on_stop)

    def _stop(self, children: list[Child], on_stop: Callable[[Child], None] | None = None) -> None:
        running = [c for c in children if c.returncode is None]
        for child in running:
            if on_stop is not None:
                on_stop(child)
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.process.wait()
        # The group may outlive its leader (a gunicorn worker whose master was killed): end it too.
        for child in children:
            _signal_group(child, signal.SIGKILL)
            if child._log is not None:
                child._log.close()
                child._log = None


def _signal_group(child: Child, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signum)


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a local http URL we built
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False
