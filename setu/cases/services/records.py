"""Decisions, consent per purpose, and documents of a case."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.audit.services import audit_record
from setu.cases import choices
from setu.cases.models import (
    Case,
    CaseDocument,
    Consent,
    Decision,
)
from setu.cases.services.common import (
    bump_revision,
    choice_ref,
    current_time,
    lock_case,
    record_event,
    require_work,
)
from setu.cases.signals import consent_withdrawn

# --- decisions -----------------------------------------------------------------------------------------------

ANSWERS = ("yes", "no", "unknown")


def decision_record(
    *,
    actor,
    case: Case,
    kind: str,
    favourable: bool,
    outcome: str,
    decider_name: str,
    decided_on: dt.date,
    basis: str,
    survivor_view: str,
    organisation: Organisation | None = None,
    decision_org_type: str = "",
    answers: dict[str, str] | None = None,
    assessed_age: int | None = None,
    amount=None,
    documents: Sequence[CaseDocument] = (),
    revision: int | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """Record a decision with its decider, basis and the survivor's own view. A victim determination sets
    the HTCDS trafficking status; an age assessment sets her age when identified (and so the child flag)."""
    require_work(actor, case)
    answers = dict(answers or {})
    errors: dict[str, list[str]] = {}
    if kind not in choices.DecisionKind.values:
        errors["kind"] = [_("Unknown decision.")]
    for name, value in (("outcome", outcome), ("decider_name", decider_name), ("basis", basis),
                        ("survivor_view", survivor_view)):  # fmt: skip
        if not str(value).strip():
            errors[name] = [_("This is required.")]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date of the decision cannot be in the future.")]
    if kind == choices.DecisionKind.VICTIM_DETERMINATION and decision_org_type not in choices.DecisionMakingOrg.values:
        errors["decision_org_type"] = [_("Say which kind of organisation made the determination.")]
    if kind == choices.DecisionKind.AGE_ASSESSMENT and (assessed_age is None or not 0 <= assessed_age <= 120):
        errors["assessed_age"] = [_("Give the assessed age (0 to 120).")]
    if kind == choices.DecisionKind.BEST_INTEREST_ASSESSMENT:
        keys = [key for key, _label in choices.BEST_INTEREST_QUESTIONS]
        missing = [key for key in keys if answers.get(key) not in ANSWERS]
        if missing:
            errors["answers"] = [_("Answer every safety-of-return question (yes, no or not known).")]
        answers = {key: answers[key] for key in keys if key in answers}
    else:
        answers = {}
    if kind == choices.DecisionKind.COMPENSATION_ORDER and (amount is None or amount < 0):
        errors["amount"] = [_("Give the amount ordered.")]
    foreign = [d for d in documents if d.case_id != case.pk]
    if foreign:
        errors["documents"] = [_("Attach documents of this case only.")]
    if errors:
        raise ValidationError(errors)
    organisation = organisation or policy.primary_organisation(actor)
    with transaction.atomic():
        case = lock_case(case, revision)
        decision = Decision.objects.create(
            case=case, kind=kind, favourable=favourable, outcome=outcome.strip(), decided_by=actor,
            decider_name=decider_name.strip(), organisation=organisation, decision_org_type=decision_org_type,
            decided_on=decided_on, basis=basis.strip(), survivor_view=survivor_view.strip(), answers=answers,
            assessed_age=assessed_age if kind == choices.DecisionKind.AGE_ASSESSMENT else None,
            amount=amount if kind == choices.DecisionKind.COMPENSATION_ORDER else None,
        )  # fmt: skip
        decision.documents.set(documents)
        fields: list[str] = []
        if kind == choices.DecisionKind.VICTIM_DETERMINATION:
            case.trafficking_status = (
                choices.TraffickingStatus.ACTUAL if favourable else choices.TraffickingStatus.NOT_A_VICTIM
            )
            fields.append("trafficking_status")
        if kind == choices.DecisionKind.AGE_ASSESSMENT and assessed_age is not None:
            case.age_at_identification, case.is_minor = assessed_age, assessed_age < 18
            fields += ["age_at_identification", "is_minor"]
        bump_revision(case, *fields)
        record_event(case, "decision", actor, gettext_noop("Decision recorded: %(kind)s: %(outcome)s"),
               {"kind": choice_ref("DecisionKind", kind), "outcome": decision.outcome}, at=now)  # fmt: skip
        audit_record(actor=actor, action="case.decision", obj=case, fields=["decisions", *fields])
    return decision


# --- consent -------------------------------------------------------------------------------------------------


def consent_give(
    *,
    actor,
    case: Case,
    purpose: str,
    given_by: str,
    giver_name: str = "",
    legal_basis: str = "",
    checklist: Sequence[str] = (),
    language: str = "",
    given_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Consent:
    """Record consent for one purpose, or the legal basis that stands in for it.

    For a child the survivor's own consent is not enough (DPDP Act 2023 s.9, reference/domain.md §9): a
    parent or lawful guardian gives it, or the legal basis is recorded (e.g. a CWC order) — the guardian may
    be implicated. Consent given needs every item of the HTCDS consent checklist confirmed.
    """
    require_work(actor, case)
    given_at = given_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if purpose not in choices.ConsentPurpose.values:
        errors["purpose"] = [_("Unknown purpose.")]
    if given_by not in choices.ConsentGiver.values:
        errors["given_by"] = [_("Say who gave consent, or that a legal basis is used.")]
    elif given_by == choices.ConsentGiver.LEGAL_BASIS:
        if not legal_basis.strip():
            errors["legal_basis"] = [_("Name the legal basis (law and section, or the order and its date).")]
        checklist = []
    else:
        keys = [key for key, _label in choices.CONSENT_CHECKLIST]
        if set(keys) - set(checklist):
            errors["checklist"] = [_("Confirm every point she (or the guardian) was told before giving consent.")]
        checklist = [key for key in keys if key in checklist]
        if given_by == choices.ConsentGiver.SURVIVOR and case.is_minor:
            errors["given_by"] = [
                _("She was a child when identified: a parent or lawful guardian gives consent, or record the legal "
                  "basis (e.g. a CWC order).")
            ]  # fmt: skip
        if given_by == choices.ConsentGiver.GUARDIAN and not giver_name.strip():
            errors["giver_name"] = [_("Give the guardian's name.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = lock_case(case, None)
        if case.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
            raise ValidationError({"purpose": [_("Consent for this purpose is already in force.")]})
        consent = Consent.objects.create(
            case=case, purpose=purpose, given_by=given_by, giver_name=giver_name.strip(),
            legal_basis=legal_basis.strip(), given_at=given_at, checklist=list(checklist), language=language,
            recorded_by=actor,
        )  # fmt: skip
        bump_revision(case)
        record_event(case, "consent", actor, gettext_noop("Consent recorded for “%(purpose)s” (%(by)s)"),
               {"purpose": choice_ref("ConsentPurpose", purpose), "by": choice_ref("ConsentGiver", given_by)},
               at=now)  # fmt: skip
        audit_record(actor=actor, action="case.consent_give", obj=case, fields=["consents"])
    return consent


def consent_withdraw(
    *, actor, consent: Consent, reason: str, now: dt.datetime | None = None, from_peer: str = ""
) -> Consent:
    """Withdraw consent: from now on every action for that purpose is refused.

    The other country's node is told in the same transaction (`consent_withdrawn`), unless the withdrawal
    came from it (`from_peer`, its code: then there is no actor here, and the withdrawal is enforced at
    once)."""
    now = current_time(now)
    if not from_peer:  # a peer's withdrawal is enforced at once, by the exchange, with no person here acting
        require_work(actor, consent.case)
    with transaction.atomic():
        case = lock_case(consent.case, None)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise ValidationError({"__all__": [_("This consent was already withdrawn.")]})
        consent.withdrawn_at, consent.withdrawn_reason = now, reason.strip()[:300]
        consent.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
        bump_revision(case)
        if from_peer:
            record_event(case, "consent", actor,
                         gettext_noop("Consent withdrawn for “%(purpose)s” (told by %(node)s)"),
                         {"purpose": choice_ref("ConsentPurpose", consent.purpose), "node": from_peer},
                         at=now)  # fmt: skip
        else:
            record_event(case, "consent", actor, gettext_noop("Consent withdrawn for “%(purpose)s”"),
                         {"purpose": choice_ref("ConsentPurpose", consent.purpose)}, at=now)  # fmt: skip
            consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
        audit_record(actor=actor, action="case.consent_withdraw", obj=case, fields=["consents"])
    return consent


# --- documents -----------------------------------------------------------------------------------------------

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def document_add(*, actor, case: Case, doc_type: str, upload, title: str = "",
                 now: dt.datetime | None = None) -> CaseDocument:  # fmt: skip
    """Store a typed upload under MEDIA_ROOT with a server-made name. Only PDF, JPEG, PNG and WebP (by their
    bytes, not their name) up to SETU_UPLOAD_MAX_BYTES."""
    require_work(actor, case)
    limit = settings.SETU_UPLOAD_MAX_BYTES
    if doc_type not in choices.DocumentType.values:
        raise ValidationError({"doc_type": [_("Choose the type of document.")]})
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to upload.")]})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}]}, code="too_large"
        )
    kind = filetype.guess(data)
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise ValidationError({"file": [_("Upload a PDF or a photo (JPEG, PNG or WebP).")]}, code="type")
    name = default_storage.save(f"case-documents/{uuid.uuid4().hex}.{DOCUMENT_TYPES[kind.mime]}", ContentFile(data))
    try:
        with transaction.atomic():
            document = CaseDocument.objects.create(
                case=case, doc_type=doc_type, title=title.strip()[:200], file=name,
                original_name=str(getattr(upload, "name", "") or "")[-200:], content_type=kind.mime, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor,
            )  # fmt: skip
            bump_revision(lock_case(case, None))
            record_event(case, "document", actor, gettext_noop("Document added: %(type)s"),
                   {"type": choice_ref("DocumentType", doc_type)}, at=now)  # fmt: skip
            audit_record(actor=actor, action="case.document_add", obj=case, fields=["documents"])
    except BaseException:
        default_storage.delete(name)  # the row was rolled back: do not leave its file behind
        raise
    return document
