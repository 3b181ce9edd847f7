"""`setu demo` end to end, as `make demo` runs it: real processes, real ports, a temporary var dir.

One module-wide `--no-serve` run migrates and seeds both nodes; the serving tests reuse its databases, so
each of them starts in seconds. Together they take well under a minute.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from setu.web.demo.agencies import DEMO_PASSWORD

PERSONS = 12


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SETU_", "DATABASE_URL"))}
    env.update(SETU_ENV="development", SETU_DEMO="1", SETU_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    return env


# A ready demo ends the wait at once; on a loaded machine (two test runs on two cores) starting both nodes'
# web servers and workers has taken more than a minute.
READY_WITHIN = 180
# A first `--no-serve` run (migrate, seed, peer, publish both nodes) takes about 30 s on an idle two-core
# machine and has taken more than 120 s on CI's, with the other test worker busy. These are hang guards: a
# run that ends sooner ends the wait at once.
SEED_WITHIN = 360
RERUN_WITHIN = 180


class Demo:
    """A `setu demo` process whose output is collected line by line."""

    def __init__(self, var_dir: Path, *args: str) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "setu", "demo", "--persons", str(PERSONS), "--interceptions", "0", *args],
            cwd=settings.BASE_DIR, env=demo_env(var_dir), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = READY_WITHIN) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if self.process.poll() is not None:
                self._reader.join(timeout=2)
                pytest.fail(f"demo exited ({self.process.returncode}) before {text!r}:\n{self.output}")
            time.sleep(0.1)
        pytest.fail(f"no {text!r} within {timeout} s:\n{self.output}")

    def finish(self, timeout: float) -> int:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            pytest.fail(f"demo did not exit within {timeout} s:\n{self.output}")
        self._reader.join(timeout=5)
        return code

    def children(self) -> dict[str, int]:
        return {name: int(pid) for name, pid in re.findall(r"started (\S+) \(pid (\d+)\)", self.output)}


def processes_in_groups(groups: set[int]) -> list[int]:
    """Live (not zombie) processes whose process group is one of `groups`: a child and everything it started."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) in groups:
            found.append(int(stat.parent.name))
    return found


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def get(url: str, opener=None) -> tuple[int, str, str]:
    opener = opener or urllib.request.build_opener()
    with opener.open(url, timeout=10) as response:
        return response.status, response.geturl(), response.read().decode()


def sign_in(base_url: str, username: str, password: str) -> tuple[str, str]:
    """Sign in through the login form (CSRF token and all); returns the final URL and page."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _status, _url, page = get(f"{base_url}/accounts/login/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    with opener.open(f"{base_url}/accounts/login/", data=data, timeout=10) as response:
        return response.geturl(), response.read().decode()


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed table names


@pytest.fixture(scope="module")
def seeded_var_dir(tmp_path_factory) -> Path:
    var_dir = tmp_path_factory.mktemp("demo-var")
    demo = Demo(var_dir, "--no-serve")
    code = demo.finish(timeout=SEED_WITHIN)
    assert code == 0, demo.output
    return var_dir


def test_no_serve_seeds_each_node_in_its_own_database(seeded_var_dir):
    np_db, in_db = seeded_var_dir / "np.sqlite3", seeded_var_dir / "in.sqlite3"
    with sqlite3.connect(np_db) as db:
        np_users = {row[0] for row in db.execute("SELECT username FROM accounts_user")}
        np_countries = {row[0] for row in db.execute("SELECT DISTINCT country FROM accounts_organisation")}
    with sqlite3.connect(in_db) as db:
        in_users = {row[0] for row in db.execute("SELECT username FROM accounts_user")}
    assert "np_monitor" in np_users and not any(u.startswith("in_") for u in np_users)
    assert "in_monitor" in in_users and not any(u.startswith("np_") for u in in_users)
    assert np_countries == {"NP"}
    # The synthetic people, the missing people of each node's missing-person reports (setu.web.demo.tracing) and
    # the accused of its prosecutions (setu.legal.demo).
    assert count(np_db, "tracing_missingreport") == 60 and count(in_db, "tracing_missingreport") == 15
    for database in (np_db, in_db):
        reported = count(database, "tracing_missingreport")
        with sqlite3.connect(database) as db:
            accused = db.execute("SELECT COUNT(DISTINCT person_id) FROM legal_accused").fetchone()[0]
        assert accused > 0
        assert count(database, "people_person") == PERSONS + reported + accused
    # Survivors' cases, at most one per person (`--cases` defaults to more than there are people here).
    for database in (np_db, in_db):
        assert 0 < count(database, "cases_case") <= PERSONS
        assert count(database, "cases_stagerecord") > count(database, "cases_case")


def test_the_demo_nodes_have_signing_keys_and_know_each_others(seeded_var_dir):
    published = {
        code: json.loads((seeded_var_dir / f"keyset-{code.lower()}.json").read_text())
        for code in ("NP", "IN")
    }  # fmt: skip
    for code, other in (("NP", "IN"), ("IN", "NP")):
        assert (seeded_var_dir / f"keys-{code.lower()}" / "keys.json").exists()
        with sqlite3.connect(seeded_var_dir / f"{code.lower()}.sqlite3") as db:
            peers = list(db.execute("SELECT code FROM exchange_peer"))
            kids = {row[0] for row in db.execute("SELECT kid FROM exchange_peerkey")}
        assert peers == [(other,)]
        assert kids == {key["kid"] for key in published[other]["keys"]}
        assert all("d" not in key for key in published[code]["keys"])  # only public keys are written out


def test_running_the_demo_again_keeps_the_data_as_it_was(seeded_var_dir):
    tables = ("accounts_user", "accounts_organisation", "accounts_membership", "people_person", "geo_district",
              "cases_case", "cases_caseevent", "cases_decision", "exchange_peer", "exchange_peerkey",
              "audit_auditevent")  # fmt: skip
    before = {(db, t): count(seeded_var_dir / db, t) for db in ("np.sqlite3", "in.sqlite3") for t in tables}
    demo = Demo(seeded_var_dir, "--no-serve")
    assert demo.finish(timeout=RERUN_WITHIN) == 0, demo.output
    after = {(db, t): count(seeded_var_dir / db, t) for db in ("np.sqlite3", "in.sqlite3") for t in tables}
    assert after == before
    assert "already seeded" in demo.output


def sweeps_done(database: Path) -> int:
    """Deadline sweeps the node's task worker has finished (the scheduler enqueues them)."""
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE task_path = ? AND status = ?",
            ("setu.cases.tasks.sweep_deadlines", "SUCCESSFUL"),
        ).fetchone()[0]


def test_demo_serves_both_nodes_and_stops_every_process_on_ctrl_c(seeded_var_dir):
    np_port, in_port = free_port(), free_port()
    demo = Demo(seeded_var_dir, "--np-port", str(np_port), "--in-port", str(in_port), "--web-workers", "1")
    try:
        demo.wait_for("Setu demo is ready")
        children = demo.children()
        assert set(children) == {
            "np-web", "np-worker", "np-scheduler", "np-relay", "in-web", "in-worker", "in-scheduler", "in-relay",
        }  # fmt: skip
        for port, node_name in ((np_port, "Nepal"), (in_port, "India")):
            base = f"http://127.0.0.1:{port}"
            assert get(f"{base}/health/")[0] == 200
            status, _url, page = get(f"{base}/accounts/login/")
            assert status == 200
            assert node_name in page
            assert get(f"{base}/static/css/setu.css")[0] == 200
        assert "np_monitor" in demo.output and DEMO_PASSWORD in demo.output
        final_url, page = sign_in(f"http://127.0.0.1:{np_port}", "np_caseworker", DEMO_PASSWORD)
        assert urllib.parse.urlsplit(final_url).path == "/"
        assert "Kamala Shrestha" in page
        # Each node's scheduler enqueues the deadline sweep at once, and the node's own worker runs it.
        for slug in ("np", "in"):
            log = seeded_var_dir / "log" / f"demo-{slug}-scheduler.log"
            assert wait_until(lambda log=log: "enqueued setu.cases.tasks.sweep_deadlines" in log.read_text(), 20)
            assert wait_until(lambda slug=slug: sweeps_done(seeded_var_dir / f"{slug}.sqlite3") >= 1, 30), slug
    finally:
        if demo.process.poll() is None:
            os.kill(demo.process.pid, signal.SIGINT)
        code = demo.finish(timeout=30)
    assert code == 0, demo.output
    assert "Stopped." in demo.output
    assert wait_until(lambda: not processes_in_groups(set(children.values())), timeout=5)
    for slug in ("np", "in"):  # stopped by SIGTERM like the others, and it said so
        assert "scheduler stopped" in (seeded_var_dir / "log" / f"demo-{slug}-scheduler.log").read_text()


def test_when_one_process_dies_the_demo_stops_the_rest_and_fails_naming_it(seeded_var_dir):
    demo = Demo(seeded_var_dir, "--np-port", str(free_port()), "--in-port", str(free_port()), "--web-workers", "1")
    try:
        demo.wait_for("Setu demo is ready")
        children = demo.children()
        os.killpg(children["in-worker"], signal.SIGKILL)
        code = demo.finish(timeout=30)
    finally:
        if demo.process.poll() is None:
            os.kill(demo.process.pid, signal.SIGTERM)
            demo.finish(timeout=30)
    assert code == 1, demo.output
    assert "in-worker exited with code -9" in demo.output
    assert wait_until(lambda: not processes_in_groups(set(children.values())), timeout=5)


def test_demo_is_refused_with_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="SETU_ENV=production"):
        call_command("demo", "--no-serve")


def test_the_two_nodes_cannot_share_a_port_or_a_database(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="different ports"):
        call_command("demo", "--no-serve", "--np-port", "9000", "--in-port", "9000")
    with pytest.raises(CommandError, match="must not share a database"):
        call_command("demo", "--no-serve", "--np-database-url", "sqlite:///x.db", "--in-database-url", "sqlite:///x.db")
