"""A node whose database is down answers at once with a clear 503, never a hang (issue: bad input and failure).

A real server (gunicorn, production settings) is started against a PostgreSQL address where nothing listens.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A well-formed session key, so that the server must ask the database about it.
SESSION = "setu_np_session=abcdefghijklmnopqrstuvwxyz012345"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, cookie: str = "", accept_json: bool = False) -> tuple[int, str, float]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started


@pytest.fixture
def server_without_database(tmp_path):
    port, dead_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "SETU_ENV": "production",
        "SETU_SECRET_KEY": "x" * 60,
        "SETU_FIELD_KEYS": "k1:" + "A" * 43 + "=",
        "SETU_ALLOWED_HOSTS": "127.0.0.1",
        "SETU_SSL_REDIRECT": "0",
        "SETU_VAR_DIR": str(tmp_path),
        "SETU_DB_CONNECT_TIMEOUT": "2",
        "DATABASE_URL": f"postgres://setu@127.0.0.1:{dead_port}/setu",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])  # type: ignore[union-attr]
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_pages_answer_503_quickly_when_the_database_is_down(server_without_database):
    status, body, elapsed = _get(server_without_database + "/", cookie=SESSION)
    assert status == 503
    assert "cannot reach its database" in body and "Nothing was changed" in body
    assert elapsed < 10


def test_api_answers_json_503_when_the_database_is_down(server_without_database):
    status, body, _ = _get(server_without_database + "/api/v1/me/", cookie=SESSION)
    assert status == 503
    assert '"detail"' in body


def test_health_reports_the_database(server_without_database):
    status, body, _ = _get(server_without_database + "/health/")
    assert status == 503
    assert "database unavailable" in body
