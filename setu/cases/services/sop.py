"""SOP versions: validating and loading definition files, and the parsed definition of a loaded version."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.cases import vocabulary
from setu.cases.models import (
    Case,
    SopVersion,
)
from setu.cases.sop.definition import SopDefinition, SopDefinitionError, load_definition

CLI_ACTOR = "setu-cli"


def sop_parse(text: str) -> SopDefinition:
    """Validate a definition file; a refusal is a ValidationError whose messages carry the line numbers."""
    try:
        return load_definition(text, known_roles=set(vocabulary.ROLES), known_decisions=set(vocabulary.DECISION_KINDS))
    except SopDefinitionError as exc:
        raise ValidationError({"source": [str(problem) for problem in exc.problems]}) from exc


def sop_load(*, actor, text: str) -> SopVersion:
    """Load a definition file and make it the version new cases are opened under.

    The whole file is validated first; with any problem nothing changes and the running version stays.
    Loading the same version with the same content again changes nothing; a known version number with
    other content is refused (a version, once used by cases, never changes). `actor=None` is the CLI.
    """
    if actor is not None:
        policy.require(actor, Permission.SOP_MANAGE, object_type="cases.sopversion")
    definition = sop_parse(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        existing = SopVersion.objects.select_for_update().filter(version=definition.version).first()
        if existing is not None and existing.sha256 != digest:
            raise ValidationError(
                {
                    "source": [
                        _(
                            "Version %(version)s is already loaded with other content: give the new file a new "
                            "version number."
                        )
                        % {"version": definition.version}
                    ]
                }  # fmt: skip
            )
        if existing is not None and existing.is_current:
            return existing  # already in use: nothing to change, nothing to record
        SopVersion.objects.filter(is_current=True).exclude(version=definition.version).update(is_current=False)
        if existing is None:
            existing = SopVersion.objects.create(
                version=definition.version, title=definition.title, source=text, sha256=digest,
                loaded_by=actor, is_current=True,
            )  # fmt: skip
            action = "sop.load"
        else:  # an older version brought back into use
            action = "sop.make_current"
            existing.is_current = True
            existing.save(update_fields=["is_current", "updated_at"])
        audit_record(
            actor=actor, actor_username="" if actor else CLI_ACTOR, action=action, obj=existing,
            fields=["version", "source"],
        )  # fmt: skip
    return existing


# --- the SOP of a case ---------------------------------------------------------------------------------------

_DEFINITIONS: dict[str, SopDefinition] = {}


def definition_of(version: SopVersion) -> SopDefinition:
    """The parsed definition of a loaded version, cached by its SHA-256 (a version never changes)."""
    cached = _DEFINITIONS.get(version.sha256)
    if cached is None:
        cached = _DEFINITIONS[version.sha256] = sop_parse(version.source)
    return cached


def stage_name(case: Case, key: str | None = None, language: str | None = None) -> str:
    from django.utils.translation import get_language

    stage = definition_of(case.sop_version).stages.get(key or case.stage)
    if stage is None:
        return key or case.stage
    lang = (language or get_language() or "en")[:2]
    return stage.names.get(lang) or stage.names["en"]
