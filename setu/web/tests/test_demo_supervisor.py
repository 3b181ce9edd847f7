"""The demo's process supervision, with small stand-in children (no Django, no servers)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from setu.web.demo.supervisor import ChildExitedError, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
# Ignores SIGTERM, so only the kill after the timeout ends it.
STUBBORN = [
    sys.executable, "-c",
    "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(120)",
]  # fmt: skip
# Starts a grandchild in the same process group (as a gunicorn master starts its workers), prints its pid.
WITH_GRANDCHILD = [
    sys.executable, "-c",
    "import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']);"
    " print(p.pid, flush=True); time.sleep(120)",
]  # fmt: skip


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has exited; it only waits for its parent to read its status
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def supervisor():
    sup = Supervisor(stop_timeout=2.0)
    yield sup
    sup.stop_all()


def test_stop_all_terminates_every_child(supervisor, tmp_path):
    children = [supervisor.start(f"c{n}", SLEEPER, env=dict(os.environ), cwd=tmp_path, log_path=None) for n in range(3)]
    supervisor.stop_all()
    assert all(child.returncode is not None for child in children)
    assert not any(alive(child.pid) for child in children)


def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout(supervisor, tmp_path):
    log = tmp_path / "stubborn.log"
    child = supervisor.start("stubborn", STUBBORN, env=dict(os.environ), cwd=tmp_path, log_path=log)
    assert wait_until(lambda: log.exists() and "up" in log.read_text())
    started = time.monotonic()
    supervisor.stop_all()
    assert child.returncode == -signal.SIGKILL
    assert 1.5 < time.monotonic() - started < 10


def test_stopping_ends_the_childs_whole_process_group(supervisor, tmp_path):
    log = tmp_path / "parent.log"
    supervisor.start("parent", WITH_GRANDCHILD, env=dict(os.environ), cwd=tmp_path, log_path=log)
    assert wait_until(lambda: log.exists() and log.read_text().strip().isdigit())
    grandchild = int(log.read_text().strip())
    assert alive(grandchild)
    supervisor.stop_all()
    assert wait_until(lambda: not alive(grandchild), timeout=5)


def test_a_child_that_dies_is_reported_with_its_name_and_log(supervisor, tmp_path):
    supervisor.start("sleeper", SLEEPER, env=dict(os.environ), cwd=tmp_path, log_path=None)
    log = tmp_path / "crash.log"
    supervisor.start(
        "crasher", [sys.executable, "-c", "print('boom'); raise SystemExit(3)"],
        env=dict(os.environ), cwd=tmp_path, log_path=log,
    )  # fmt: skip
    with pytest.raises(ChildExitedError) as caught:
        supervisor.run_until_stopped(poll_interval=0.05)
    assert caught.value.child.name == "crasher"
    assert caught.value.child.returncode == 3
    assert "boom" in caught.value.child.log_tail()


def test_a_signal_turns_into_a_stop_request(supervisor, tmp_path):
    previous = supervisor.handle_signals([signal.SIGUSR1])
    try:
        supervisor.start("sleeper", SLEEPER, env=dict(os.environ), cwd=tmp_path, log_path=None)
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGUSR1)).start()
        supervisor.run_until_stopped(poll_interval=0.05)
        assert supervisor.stop_signal == signal.SIGUSR1
    finally:
        supervisor.restore_signals(previous)


def test_waiting_for_http_gives_up_when_a_child_dies(supervisor, tmp_path):
    supervisor.start("crasher", [sys.executable, "-c", "raise SystemExit(1)"], env=dict(os.environ), cwd=tmp_path,
                     log_path=None)  # fmt: skip
    with pytest.raises(ChildExitedError):
        supervisor.wait_for_http("http://127.0.0.1:9/health/", timeout=10)


def test_run_step_returns_the_exit_code(supervisor, tmp_path):
    code = supervisor.run_step("step", [sys.executable, "-c", "raise SystemExit(4)"], env=dict(os.environ),
                               cwd=tmp_path)  # fmt: skip
    assert code == 4
    assert supervisor.children == []


def test_run_steps_runs_the_children_at_once_and_returns_each_exit_code(supervisor, tmp_path):
    code = "import sys, time; time.sleep(1); raise SystemExit(int(sys.argv[1]))"
    started = time.monotonic()
    steps = [
        (name, [sys.executable, "-c", code, exit_code], dict(os.environ))
        for name, exit_code in (("a", "0"), ("b", "3"))
    ]
    codes = supervisor.run_steps(steps, cwd=tmp_path)
    assert codes == {"a": 0, "b": 3}
    assert time.monotonic() - started < 1.9  # side by side: one after the other takes over 2 s
    assert supervisor.children == []
