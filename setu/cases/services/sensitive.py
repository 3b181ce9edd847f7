"""Sensitive notes: encrypted at rest, read only by the case team and supervisors, every read audited; and
re-encryption under a new key."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from setu.accounts import policy
from setu.accounts.roles import SUPERVISOR_ROLES, Permission
from setu.audit.services import audit_record
from setu.cases import choices, crypto
from setu.cases.models import (
    Case,
    SensitiveNote,
)
from setu.cases.services.common import (
    bump_revision,
    choice_ref,
    lock_case,
    record_event,
)
from setu.cases.services.sop import (
    CLI_ACTOR,
)

# --- sensitive notes -----------------------------------------------------------------------------------------


def may_read_sensitive(user, case: Case) -> bool:
    """The case team (owner and members) and supervisors, when their role's grant reaches the case."""
    roles = policy.roles_reaching(user, Permission.CASE_SENSITIVE, organisation_id=case.organisation_id,
                                  district_id=case.district_id)  # fmt: skip
    if not roles:
        return False
    if roles & SUPERVISOR_ROLES:
        return True
    return case.owner_id == user.pk or case.team.filter(pk=user.pk).exists()


def sensitive_note_add(*, actor, case: Case, kind: str, text: str, now: dt.datetime | None = None) -> SensitiveNote:
    if not may_read_sensitive(actor, case):
        policy.deny(actor, "case.sensitive_add", object_type="cases.case", object_id=str(case.public_id))
    if kind not in choices.SensitiveKind.values:
        raise ValidationError({"kind": [_("Choose the kind of note.")]})
    if not text.strip():
        raise ValidationError({"text": [_("The note is empty.")]})
    ciphertext, key_id = crypto.keyring().encrypt(text.strip())
    with transaction.atomic():
        note = SensitiveNote.objects.create(case=case, kind=kind, ciphertext=ciphertext, key_id=key_id,
                                            recorded_by=actor)  # fmt: skip
        bump_revision(lock_case(case, None))
        record_event(case, "sensitive", actor, gettext_noop("Sensitive note added: %(kind)s"),
               {"kind": choice_ref("SensitiveKind", kind)}, at=now)  # fmt: skip
        audit_record(actor=actor, action="case.sensitive_add", obj=case, fields=["sensitive_notes"])
    return note


def sensitive_notes_read(*, actor, case: Case) -> list[tuple[SensitiveNote, str]]:
    """The case's sensitive notes, decrypted; the read is audited, and refused (audited) outside the team."""
    if not may_read_sensitive(actor, case):
        policy.deny(actor, "case.sensitive_read", object_type="cases.case", object_id=str(case.public_id))
    ring = crypto.keyring()
    notes = list(case.sensitive_notes.select_related("recorded_by"))
    audit_record(actor=actor, action="case.sensitive_read", obj=case, fields=["sensitive_notes"])
    return [(note, ring.decrypt(note.ciphertext, note.key_id)) for note in notes]


def sensitive_rotate(*, batch: int = 500, progress=None) -> int:
    """Re-encrypt every note not under the current key; returns how many. Safe to stop and run again."""
    ring = crypto.keyring()
    done = 0
    total = SensitiveNote.objects.exclude(key_id=ring.current_id).count()
    while True:
        with transaction.atomic():
            notes = list(
                SensitiveNote.objects.select_for_update().exclude(key_id=ring.current_id).order_by("pk")[:batch]
            )
            if not notes:
                break
            for note in notes:
                note.ciphertext, note.key_id = ring.encrypt(ring.decrypt(note.ciphertext, note.key_id))
            SensitiveNote.objects.bulk_update(notes, ["ciphertext", "key_id"])
            audit_record(actor=None, actor_username=CLI_ACTOR, action="case.sensitive_rotate",
                         object_type="cases.sensitivenote", object_id=f"{len(notes)} notes",
                         fields=["ciphertext", "key_id"])  # fmt: skip
        done += len(notes)
        if progress:
            progress(done, total)
    return done
