"""SOP definition files: the shipped v1 loads; malformed files are refused whole, with line numbers."""

from pathlib import Path

import pytest

from setu.accounts.roles import Role
from setu.cases.sop.definition import SopDefinitionError, load_definition

ROLES = {r.value for r in Role}
DECISIONS = {"victim_determination", "age_assessment", "nationality_verification", "best_interest_assessment",
             "repatriation_order", "compensation_order"}  # fmt: skip
V1 = (Path(__file__).resolve().parents[1] / "sop" / "v1.yaml").read_text(encoding="utf-8")


def _load(text: str):
    return load_definition(text, known_roles=ROLES, known_decisions=DECISIONS)


def test_sop_v1_loads_with_the_statutory_clocks_of_the_law():
    sop = _load(V1)
    assert sop.start == "rescued"
    cwc = sop.stage("cwc_production").deadline
    assert (cwc.hours, cwc.from_event, cwc.kind) == (24, "rescued", "statutory")
    assert "JJ Act 2015 s.31" in cwc.law
    assert sop.stage("itpa_custody").deadline.hours == 10 * 24
    assert sop.stage("child_care").deadline.hours == 15 * 24
    assert sop.stage("repatriation_decision").deadline.hours == 120 * 24
    assert sop.stage("adult_care").deadline.kind == "target"
    assert sop.stage("verification").bilateral
    assert sop.stage("reintegration").followups_days == (30, 90, 180, 365)
    assert all(stage.names.get("ne") and stage.names.get("hi") for stage in sop.stages.values())


MINIMAL = """\
version: "t"
title: test
start: a
stages:
  a:
    names: {en: A}
    actors: [caseworker]
    exits:
      - {to: b, action: go}
  b:
    names: {en: B}
    actors: [caseworker]
    final: true
"""


def test_a_minimal_definition_loads():
    assert set(_load(MINIMAL).stages) == {"a", "b"}


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("to: b, action: go", "to: nowhere, action: go"), 5, "exits to 'nowhere', which is not defined"),
        (("actors: [caseworker]\n    exits", "actors: [wizard]\n    exits"), 5, "unknown role 'wizard'"),
        (("start: a", "start: b"), 5, "stage 'a' cannot be reached from 'b'"),
        (("    final: true\n", ""), 10, "stage 'b' has no exits and is not marked final"),
        (("names: {en: B}", "names: {ne: बी}"), 10, "needs at least an English name"),
    ],
)
def test_a_bad_definition_is_refused_with_the_line(change, line, message):
    old, new = change
    with pytest.raises(SopDefinitionError) as refused:
        _load(MINIMAL.replace(old, new))
    assert any(p.line == line and message in p.message for p in refused.value.problems), refused.value.problems


def test_every_problem_is_reported_at_once():
    text = MINIMAL.replace("to: b, action: go", "to: nowhere, action: go").replace("[caseworker]", "[wizard]")
    with pytest.raises(SopDefinitionError) as refused:
        _load(text)
    messages = " | ".join(p.message for p in refused.value.problems)
    assert "nowhere" in messages and "wizard" in messages and "cannot be reached" in messages


def test_a_statutory_deadline_must_cite_its_law():
    text = MINIMAL.replace(
        "    actors: [caseworker]\n    exits",
        "    actors: [caseworker]\n    deadline: {hours: 24, kind: statutory}\n    exits",
    )
    with pytest.raises(SopDefinitionError, match="must cite its law"):
        _load(text)


def test_an_unknown_decision_is_refused():
    text = MINIMAL.replace("    names: {en: B}\n", "    names: {en: B}\n    requires: {decisions: [horoscope]}\n")
    with pytest.raises(SopDefinitionError, match="unknown decision 'horoscope'"):
        _load(text)


@pytest.mark.parametrize("text", ["", "[1, 2]", "version: 1\nstages: [a, b]", "a: [unclosed"])
def test_malformed_files_are_refused(text):
    with pytest.raises(SopDefinitionError):
        _load(text)


def test_yaml_tags_cannot_run_code():
    with pytest.raises(SopDefinitionError):
        _load("!!python/object/apply:os.system ['true']")
