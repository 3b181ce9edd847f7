"""Two real Setu nodes, Nepal (NP) and India (IN), for the end-to-end exchange tests (test_two_nodes.py) and
the exchange benchmark (benchmarks/exchange.py, which imports `two_nodes` and `node_databases` from here).

Each node runs in its own processes with its own environment and database, as two installations would:
a var dir, a database (a SQLite file; or, when the test run's DATABASE_URL is PostgreSQL, a fresh database
on that server, dropped afterwards), `setu migrate`, `setu node init`, the other node registered with
`setu peer add` (its key set from `setu node show --json`), and gunicorn on a free loopback port. Each
node also gets a district, an organisation, a caseworker and SOP v1, so that `TwoNodes.link_case` can open
a case on both nodes under one bilateral reference (origin on NP, destination on IN).

A node's relay is not running unless a test starts it (`Node.start_relay`; stop or kill -9 it); `Node.run`
runs a Python snippet inside a node (`setu shell -c`) and returns the JSON the snippet prints last.
`Proxy` sits between a relay and a node's inbox when a test needs to repeat or hold what passes.

Django is not imported here: the benchmark uses this module in a process of its own without Django set
up. The demo's Supervisor (setu.web.demo.supervisor) is not used: it takes any child that ends for a crash
and stops its children together, where these tests stop, kill and restart one process at a time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CASEWORKER = "e2e_caseworker"
# Who each node is in the fixture data: the area and agency its caseworker works in, its side of a case.
NODE_DATA = {
    "NP": {"country": "NP", "province_code": "1", "province": "Koshi", "district": "Morang",
           "organisation": "Maiti Nepal Biratnagar Transit Home", "side": "origin"},
    "IN": {"country": "IN", "province_code": "19", "province": "West Bengal", "district": "Darjeeling",
           "organisation": "Rescue Foundation Siliguri", "side": "destination"},
}  # fmt: skip
T = TypeVar("T")


class NodeError(RuntimeError):
    """A node's command, snippet or server failed; the message carries its output."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], T], *, timeout: float, what: str, interval: float = 0.25,
               watch: Process | None = None) -> T:  # fmt: skip
    """Call `check` until it returns something truthy (returned), or fail with `what` after `timeout` s; at
    once (with its log) if the process it waits on, `watch`, has ended."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if watch is not None and not watch.running:
            raise NodeError(f"{watch.name} exited ({watch.popen.returncode}) while waiting for {what}:\n"
                            f"{watch.log_tail()}")  # fmt: skip
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {value!r})")
        time.sleep(interval)


def gunicorn_unavailable() -> str:
    """Why gunicorn cannot serve a node on this machine ("" when it can): the environmental reasons only."""
    if importlib.util.find_spec("gunicorn") is None:
        return "gunicorn is not installed in this environment"
    try:
        free_port()
    except OSError as exc:
        return f"cannot listen on 127.0.0.1 here ({exc})"
    return ""


# --- processes --------------------------------------------------------------------------------------------


@dataclass
class Process:
    """A child in its own process group, its output in a log file; a signal reaches the whole group (a
    gunicorn master and its workers). The group is signalled only while its leader is not yet reaped."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    @classmethod
    def start(cls, name: str, argv: list[str], *, env: dict[str, str], log_path: Path) -> Process:
        with log_path.open("ab") as log:
            popen = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        return cls(name=name, popen=popen, log_path=log_path)

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM (a clean stop: the relay settles its batch, gunicorn finishes its requests), then SIGKILL."""
        if not self.running:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the group at once: no chance to settle anything."""
        if self.running:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


# --- nodes ------------------------------------------------------------------------------------------------

SNIPPET_PRELUDE = "import json, sys\nparams = json.loads(sys.stdin.read())\n"


@dataclass
class Node:
    code: str
    port: int
    var_dir: Path
    database_url: str
    workers: int = 2
    web: Process | None = None
    relays: list[Process] = field(default_factory=list)
    district_id: int = 0

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def keyset_path(self) -> Path:
        """This node's public key set, as `setu node show --json` printed it (what its peer registers)."""
        return self.var_dir / f"keyset-{self.slug}.json"

    def env(self, **overrides: str) -> dict[str, str]:
        """The node's environment: nothing of the caller's Setu settings or database, DEBUG off."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SETU_", "DATABASE_URL")) and k != "DJANGO_SETTINGS_MODULE"}  # fmt: skip
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings", PYTHONUNBUFFERED="1", SETU_ENV="development",
            SETU_DEBUG="0", SETU_NODE=self.code, SETU_VAR_DIR=str(self.var_dir), DATABASE_URL=self.database_url,
            SETU_LOG_LEVEL="WARNING", **overrides,
        )  # fmt: skip
        return env

    def setu(self, *args: str, stdin: str = "") -> str:
        """Run `setu ARGS` on this node; its standard output (NodeError with the output when it fails)."""
        done = subprocess.run([sys.executable, "-m", "setu", *args], cwd=ROOT, env=self.env(), input=stdin,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        if done.returncode != 0:
            raise NodeError(f"{self.code}: `setu {' '.join(args)}` exited {done.returncode}:\n"
                            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")  # fmt: skip
        return done.stdout

    def run(self, snippet: str, **params: Any) -> Any:
        """Run Python `snippet` inside this node (Django set up, the node's database) and return the JSON
        object it printed last. `params` (JSON-serialisable) are the snippet's global `params`."""
        code = SNIPPET_PRELUDE + textwrap.dedent(snippet)
        out = self.setu("shell", "--no-imports", "-c", code, stdin=json.dumps(params))
        lines = out.strip().splitlines()
        if not lines:
            raise NodeError(f"{self.code}: the snippet printed nothing")
        return json.loads(lines[-1])

    # --- servers ---
    def start_web(self, timeout: float = 60.0) -> None:
        """Serve the node with gunicorn on its port and wait until /health/ answers 200."""
        argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--graceful-timeout", "3", "--timeout", "120",
                "--error-logfile", "-", "--name", f"setu-e2e-{self.slug}"]  # fmt: skip
        self.web = Process.start(f"{self.slug}-web", argv, env=self.env(), log_path=self.var_dir / "web.log")
        deadline = time.monotonic() + timeout
        while not self._healthy():
            if not self.web.running or time.monotonic() > deadline:
                self.web.stop()
                raise NodeError(f"{self.code}: gunicorn did not come up on {self.base_url}:\n{self.web.log_tail()}")
            time.sleep(0.2)

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/health/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop_web(self) -> None:
        if self.web is not None:
            self.web.stop()
            self.web = None

    def start_relay(self, **settings: str) -> Process:
        """Start `setu relay` for this node; `settings` override its environment (e.g.
        SETU_EXCHANGE_LEASE_SECONDS="2"). Stopped with the node, or by the test (`stop()`, `kill()`)."""
        index = len(self.relays) + 1
        relay = Process.start(f"{self.slug}-relay-{index}", [sys.executable, "-m", "setu", "relay", "--idle", "0.2"],
                              env=self.env(**settings), log_path=self.var_dir / f"relay-{index}.log")  # fmt: skip
        self.relays.append(relay)
        return relay

    def stop(self) -> None:
        for relay in self.relays:
            relay.stop()
        self.stop_web()

    # --- the inbox, as a peer (or an attacker) reaches it ---
    def post_message(self, token: str) -> httpx.Response:
        return httpx.post(f"{self.base_url}/exchange/v1/inbox", content=token.encode(),
                          headers={"Content-Type": "application/jose"}, timeout=60)  # fmt: skip

    def post_batch(self, tokens: list[str]) -> httpx.Response:
        return httpx.post(f"{self.base_url}/exchange/v1/inbox/batch", json={"messages": tokens}, timeout=120)


SEED = """
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.cases.tests.factories import load_v1
from setu.geo.models import District, Province

province = Province.objects.create(country=params["country"], code=params["province_code"],
                                   name_en=params["province"])
district = District.objects.create(province=province, name_en=params["district"])
organisation = OrganisationFactory(name_en=params["organisation"], country=params["country"], districts=[district])
make_user(params["username"], "caseworker", organisation)
load_v1()
print(json.dumps({"district": district.pk}))
"""

OPEN_LINKED_CASE = """
from setu.accounts.models import User
from setu.cases.tests.factories import open_case
from setu.exchange.models import CaseLink, Peer
from setu.geo.models import District
from setu.people.tests.factories import PersonFactory

user = User.objects.get(username=params["username"])
organisation = user.memberships.get().organisation
district = District.objects.get(pk=params["district"])
survivor = PersonFactory(full_name="Bimala Lama", organisation=organisation, location_district=district,
                         nationality="NP", created_by=user)
case = open_case(user, district=district, survivor=survivor)
CaseLink.objects.create(ref=params["ref"], peer=Peer.objects.get(code=params["peer"]), case=case, side=params["side"])
print(json.dumps({"case": case.pk}))
"""


@dataclass(frozen=True)
class LinkedCase:
    """One survivor's case on both nodes under one bilateral reference: origin on NP, destination on IN."""

    ref: str
    np_case: int
    in_case: int


@dataclass
class TwoNodes:
    np: Node
    india: Node

    @property
    def nodes(self) -> tuple[Node, Node]:
        return self.np, self.india

    def other(self, node: Node) -> Node:
        return self.india if node is self.np else self.np

    def link_case(self) -> LinkedCase:
        """A new case on each node, linked under a new bilateral reference (so tests do not share a
        sequence of messages)."""
        ref = f"IN-E2E-{secrets.token_hex(6).upper()}"
        np_case, in_case = _both(
            lambda node: node.run(OPEN_LINKED_CASE, ref=ref, username=CASEWORKER, district=node.district_id,
                                  peer=self.other(node).code, side=NODE_DATA[node.code]["side"])["case"],
            self.nodes,
        )  # fmt: skip
        return LinkedCase(ref=ref, np_case=np_case, in_case=in_case)


def _both(work: Callable[[Node], T], nodes: tuple[Node, Node]) -> list[T]:
    """`work` on both nodes at once (each node's setup is a few processes of its own)."""
    with ThreadPoolExecutor(max_workers=len(nodes)) as pool:
        return list(pool.map(work, nodes))


def _prepare(node: Node) -> None:
    node.var_dir.mkdir(parents=True, exist_ok=True)
    node.setu("migrate", "--no-input", "--verbosity", "0")
    node.setu("node", "init")
    node.keyset_path.write_text(node.setu("node", "show", "--json"), encoding="utf-8")
    node.district_id = node.run(SEED, username=CASEWORKER, **NODE_DATA[node.code])["district"]


@contextlib.contextmanager
def two_nodes(base_dir: Path, database_urls: dict[str, str], *, workers: int = 2) -> Iterator[TwoNodes]:
    """Both nodes set up, peered and serving until the block ends; then every process of theirs stopped."""
    pair = TwoNodes(
        np=Node("NP", free_port(), base_dir / "np", database_urls["NP"], workers),
        india=Node("IN", free_port(), base_dir / "in", database_urls["IN"], workers),
    )
    try:
        _both(_prepare, pair.nodes)
        for node in pair.nodes:
            peer = pair.other(node)
            node.setu("peer", "add", peer.code, peer.base_url, str(peer.keyset_path))
        _both(Node.start_web, pair.nodes)
        yield pair
    finally:
        for node in pair.nodes:
            node.stop()


# --- databases --------------------------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def node_databases(base_dir: Path, server: str = "", names: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """{node code: DATABASE_URL}: SQLite files under `base_dir`; or, with `server` (a PostgreSQL URL), the
    databases `names` on that server, created empty (dropped first if they exist) and dropped afterwards."""
    codes = ("NP", "IN")
    if not server:
        yield {code: f"sqlite:///{base_dir / f'{code.lower()}.sqlite3'}" for code in codes}
        return
    names = names or {code: f"setu_e2e_{os.getpid()}_{secrets.token_hex(3)}_{code.lower()}" for code in codes}
    parts = urlsplit(server)
    for name in names.values():
        _drop_create(server, name, create=True)
    try:
        yield {code: urlunsplit(parts._replace(path=f"/{name}")) for code, name in names.items()}
    finally:
        for name in names.values():
            _drop_create(server, name, create=False)


def _drop_create(server: str, name: str, *, create: bool) -> None:
    import psycopg
    from psycopg import sql

    admin = urlsplit(server)._replace(path="/postgres", scheme="postgresql")
    with psycopg.connect(urlunsplit(admin), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- a proxy in front of an inbox -------------------------------------------------------------------------


@dataclass
class Exchange:
    """One request the proxy took, and every answer the node gave to the copies it forwarded."""

    at: float  # time.monotonic() when the request reached the proxy
    path: str
    body: bytes
    answers: list[tuple[int, bytes]] = field(default_factory=list)


class Proxy:
    """An HTTP proxy on a free loopback port in front of `target` (a node's base URL), for POSTs.

    Each request is forwarded `copies` times in a row (the node sees every message that many times) and the
    last answer goes back; with `hold` set, the answer is held back until `release` is set (the node has
    applied the messages, the sender has no receipt yet)."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.copies = 1
        self.hold = False
        self.release = threading.Event()
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="exchange-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answered(self) -> list[Exchange]:
        """The requests the node has answered so far (all their copies)."""
        with self._lock:
            return [e for e in self.exchanges if len(e.answers) == self.copies]

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        exchange = Exchange(at=time.monotonic(), path=path, body=body)
        with self._lock:
            self.exchanges.append(exchange)
        with httpx.Client(timeout=120) as client:
            for _ in range(self.copies):
                answer = client.post(self.target + path, content=body, headers={"Content-Type": content_type})
                exchange.answers.append((answer.status_code, answer.content))
        if self.hold:
            self.release.wait(timeout=120)
        return exchange.answers[-1]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, content = proxy._forward(self.path, body, self.headers.get("Content-Type", ""))
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the sender may be gone
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the http.server signature)
                """Quiet: the test reads `exchanges`."""

        return Handler


# --- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nodes(tmp_path_factory) -> Iterator[TwoNodes]:
    """NP and IN, each with its own database, processes and keys, peered and serving (no relay running)."""
    reason = gunicorn_unavailable()
    if reason:
        pytest.skip(f"the two-node exchange tests need real gunicorn servers: {reason}")
    base_dir = tmp_path_factory.mktemp("two-nodes")
    server = os.environ.get("DATABASE_URL", "")
    with node_databases(base_dir, server if is_postgres(server) else "") as urls, two_nodes(base_dir, urls) as pair:
        yield pair


@pytest.fixture
def linked(nodes) -> LinkedCase:
    """A case of its own for the test, linked on both nodes."""
    return nodes.link_case()


@pytest.fixture
def relays(nodes) -> Iterator[TwoNodes]:
    """The nodes, with every relay a test starts stopped when it ends."""
    yield nodes
    for node in nodes.nodes:
        for relay in node.relays:
            relay.stop()
        node.relays.clear()


@pytest.fixture
def proxy_to_np(relays) -> Iterator[Proxy]:
    """A proxy in front of NP's inbox that IN's relay goes through (IN's peer NP re-registered with the
    proxy's URL, as an operator would with `setu peer add`); NP's real URL is given back afterwards."""
    np, india = relays.np, relays.india
    proxy = Proxy(np.base_url)
    india.setu("peer", "add", "NP", proxy.url, str(np.keyset_path))
    yield proxy
    proxy.close()
    for relay in india.relays:  # nothing may go on sending through a closed proxy
        relay.stop()
    india.relays.clear()
    india.setu("peer", "add", "NP", np.base_url, str(np.keyset_path))
