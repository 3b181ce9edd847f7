"""`setu demo scenario` end to end: the demo served as `make demo` serves it (real processes, real ports, a
temporary var dir; the fixtures of test_demo_runner), then one new case driven across the border through every
bilateral step."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from setu.web.tests.test_demo_runner import READY_WITHIN, Demo, demo_env, free_port, seeded_var_dir  # noqa: F401 - a fixture

TURNS = 8  # each node's turn (IN, NP, four times) ends when its relay has delivered what it sent


def scenario(var_dir, np_port: int, in_port: int) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "setu", "demo", "scenario", "--np-port", str(np_port), "--in-port", str(in_port)],
        cwd=settings.BASE_DIR, env=demo_env(var_dir), stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=2 * READY_WITHIN,
    )  # fmt: skip


def test_the_scenario_takes_a_new_case_through_every_bilateral_step(seeded_var_dir):  # noqa: F811 - the imported fixture
    np_port, in_port = free_port(), free_port()
    demo = Demo(seeded_var_dir, "--np-port", str(np_port), "--in-port", str(in_port), "--web-workers", "1")
    try:
        demo.wait_for("Setu demo is ready")
        run = scenario(seeded_var_dir, np_port, in_port)
    finally:
        if demo.process.poll() is None:
            os.kill(demo.process.pid, signal.SIGINT)
        demo.finish(timeout=30)
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    assert out.count("delivered in") == TURNS, out
    assert "REFUSED" not in out and "NOT FOUND" not in out
    nepal = re.search(r"^  Nepal\s+case\s+(NP-\d{4}-\d{6})\s+Reintegration \(Follow-up\)", out, re.M)
    india = re.search(r"^  India\s+case\s+(IN-\d{4}-\d{6})\s+Closed: Repatriated", out, re.M)
    assert nepal and india, out
    assert re.search(rf"Handover certificate\s+{india[1]}-H1: .*2 signatures, each verified on both nodes", out)
    assert re.search(r"^    India\s+.*, Anti-Human Trafficking Unit, Araria \(Bihar Police\), signed ", out, re.M)
    assert re.search(r"^    Nepal\s+.*, Ministry of Women, Children and Senior Citizens, signed ", out, re.M)
    assert "sees Nepal's report on the closed, read-only case … Follow-up visit on" in out
    assert f"http://127.0.0.1:{in_port}/cases/" in out and f"http://127.0.0.1:{np_port}/cases/" in out


def test_the_scenario_says_so_when_the_demo_is_not_running():
    with pytest.raises(CommandError, match="The demo is not running: Nepal does not answer"):
        call_command("demo", "scenario", "--np-port", str(free_port()), "--in-port", str(free_port()))
