"""Shared by the benchmarks: a real node (gunicorn + production settings) on loopback, a signed-in client,
and latency statistics. Every figure a benchmark prints is measured here, through the real views with
session login, access checks and audit writes.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def node_env(database_url: str, var_dir: Path, node: str = "NP") -> dict[str, str]:
    return {
        **os.environ,
        # Production code paths and DEBUG off, but plain HTTP on loopback: production settings insist on
        # HTTPS-only cookies, which a client on http://127.0.0.1 would never send back.
        "SETU_ENV": "development",
        "SETU_DEBUG": "0",
        "SETU_NODE": node,
        "SETU_SECRET_KEY": "benchmark-secret-key-" + "x" * 40,
        "SETU_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SETU_SSL_REDIRECT": "0",
        "SETU_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "SETU_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextmanager
def serve(env: dict[str, str], workers: int = 4) -> Iterator[str]:
    """Run gunicorn on a free port until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/health/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the node did not come up")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


class Client:
    """A browser-like client: a cookie jar, CSRF token from the login form, form login."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def login(self, username: str, password: str) -> None:
        _, page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            raise RuntimeError("no CSRF token on the login page")
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data,  # noqa: S310
                                         headers={"Referer": self.base + "/accounts/login/"})  # fmt: skip
        with self.opener.open(request, timeout=60) as response:
            if "/accounts/login/" in response.url:
                raise RuntimeError(f"login as {username} failed")


@dataclass
class Timings:
    label: str
    seconds: list[float]

    def pct(self, p: float) -> float:
        ordered = sorted(self.seconds)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    def line(self) -> str:
        return (
            f"{self.label}: n={len(self.seconds)} p50={self.pct(50):.1f} ms p95={self.pct(95):.1f} ms "
            f"p99={self.pct(99):.1f} ms mean={statistics.fmean(self.seconds) * 1000:.1f} ms"
        )


def time_requests(client: Client, label: str, paths: list[str]) -> Timings:
    seconds = []
    for path in paths:
        started = time.perf_counter()
        status, _ = client.get(path)
        seconds.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return Timings(label, seconds)


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def fresh_database(kind: str, var_dir: Path, name: str) -> str:
    """The URL of an empty database for a benchmark: a SQLite file in `var_dir`, or PostgreSQL database
    `name` on 127.0.0.1:5432, dropped (if left over) and created."""
    if kind == "sqlite":
        return f"sqlite:///{var_dir / f'{name}.sqlite3'}"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(kind: str, name: str) -> None:
    if kind == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
