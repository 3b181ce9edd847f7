from pathlib import Path

from setu.accounts.roles import Role
from setu.cases.sop.definition import load_definition
from setu.cases.sop.diff import diff

ROLES = {r.value for r in Role}
V1 = (Path(__file__).resolve().parents[1] / "sop" / "v1.yaml").read_text(encoding="utf-8")


def _load(text):
    return load_definition(text, known_roles=ROLES)


def test_a_version_compared_with_itself_has_no_changes():
    assert diff(_load(V1), _load(V1)) == []


def test_changed_clocks_roles_requirements_and_steps_are_each_said():
    changed = (
        V1.replace('deadline: {days: 30, from: stage_entered, kind: target}\n    exits:\n      - {to: verification',
                   'deadline: {days: 21, from: stage_entered, kind: target}\n    exits:\n      - {to: verification', 1)
        .replace("actors: [focal_point, cwc_member]", "actors: [focal_point, cwc_member, prosecutor]")
        .replace("requires: {decisions: [nationality_verification]}",
                 "requires: {decisions: [nationality_verification, compensation_order]}")
        .replace("      - {to: reintegration_planning, action: decide_to_stay}\n", "")
    )  # fmt: skip
    changes = diff(_load(V1), _load(changed))
    assert (
        "adult_care: deadline changed from 30 days from stage_entered, target to 21 days from stage_entered, target"
        in changes
    )
    assert "repatriation_decision: prosecutor may now act" in changes
    assert "repatriation_decision: now requires decision 'compensation_order'" in changes
    assert "repatriation_decision: step 'decide_to_stay' to reintegration_planning removed" in changes
    assert len(changes) == 4
