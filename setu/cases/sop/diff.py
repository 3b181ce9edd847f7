"""What changed between two SOP versions, in sentences an administrator can check before loading one.
Pure: no Django import."""

from __future__ import annotations

from setu.cases.sop.definition import Deadline, SopDefinition, Stage


def _deadline(deadline: Deadline | None) -> str:
    if deadline is None:
        return "no deadline"
    amount = f"{deadline.hours // 24} days" if deadline.hours % 24 == 0 else f"{deadline.hours} hours"
    law = f" ({deadline.law})" if deadline.law else ""
    return f"{amount} from {deadline.from_event}, {deadline.kind}{law}"


def _stage_changes(old: Stage, new: Stage) -> list[str]:
    changes = []
    key = new.key
    if old.names.get("en") != new.names.get("en"):
        changes.append(f"{key}: renamed from '{old.names.get('en')}' to '{new.names.get('en')}'")
    if old.side != new.side:
        changes.append(f"{key}: side changed from {old.side} to {new.side}")
    for role in sorted(new.actors - old.actors):
        changes.append(f"{key}: {role} may now act")
    for role in sorted(old.actors - new.actors):
        changes.append(f"{key}: {role} may no longer act")
    for what in ("decisions", "documents", "consents"):
        before, after = getattr(old.requires, what), getattr(new.requires, what)
        for item in sorted(after - before):
            changes.append(f"{key}: now requires {what[:-1]} '{item}'")
        for item in sorted(before - after):
            changes.append(f"{key}: no longer requires {what[:-1]} '{item}'")
    if old.deadline != new.deadline:
        changes.append(f"{key}: deadline changed from {_deadline(old.deadline)} to {_deadline(new.deadline)}")
    if old.escalation != new.escalation:
        changes.append(f"{key}: escalation changed")
    old_exits = {(e.action, e.to, e.when) for e in old.exits}
    new_exits = {(e.action, e.to, e.when) for e in new.exits}
    for action, to, _when in sorted(new_exits - old_exits):
        changes.append(f"{key}: new step '{action}' to {to}")
    for action, to, _when in sorted(old_exits - new_exits):
        changes.append(f"{key}: step '{action}' to {to} removed")
    if old.followups_days != new.followups_days:
        changes.append(f"{key}: follow-ups changed from {list(old.followups_days)} to {list(new.followups_days)}")
    if old.bilateral != new.bilateral:
        changes.append(f"{key}: {'now' if new.bilateral else 'no longer'} completed by the other country's node")
    return changes


def diff(old: SopDefinition, new: SopDefinition) -> list[str]:
    """Every difference from `old` to `new`, one sentence each; empty when they are the same."""
    changes = []
    if old.start != new.start:
        changes.append(f"cases now start at {new.start} instead of {old.start}")
    for key in sorted(set(new.stages) - set(old.stages)):
        changes.append(f"new stage {key} ('{new.stages[key].names.get('en')}')")
    for key in sorted(set(old.stages) - set(new.stages)):
        changes.append(f"stage {key} removed")
    for key in sorted(set(old.stages) & set(new.stages)):
        changes.extend(_stage_changes(old.stages[key], new.stages[key]))
    return changes
