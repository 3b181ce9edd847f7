"""Writes on MLA requests. Each service takes `actor=`, checks access with `setu.accounts.policy` first (the
same audited 404 for missing and forbidden), runs in one transaction, validates (a ValidationError with field
messages, and nothing saved) and writes one audit event naming the fields it touched, never their values.

Who may write (setu.accounts.roles): MLA_MANAGE. A prosecutor drafts and sends for their own office; the
focal points, who are the central authority, act on every request of the node, and alone on incoming ones
(which belong to no office). Status rules: `setu.mla.workflow`; deadlines: `setu.mla.deadlines_rules`;
what crosses the border: `setu.mla.exchange`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.ids import numbers_taken
from setu.legal.models import Prosecution
from setu.mla import workflow
from setu.mla.authorities import Authority, register
from setu.mla.deadlines_rules import Facts, rule_book
from setu.mla.models import (
    Deadline,
    DocumentKind,
    Language,
    LegalBasis,
    MlaCounter,
    MlaDocument,
    MlaRequest,
    RequestType,
    StatusChange,
    Urgency,
)

REQUEST_OBJECT = "mla.mlarequest"
DRAFT_FIELDS = ("requesting_authority", "requested_authority", "types", "legal_basis", "prosecution", "subject",
                "summary", "urgency", "language", "language_reason", "women_children", "letter_date",
                "respond_by")  # fmt: skip


# --- the Agreement and the authorities -------------------------------------------------------------------------


def agreement_override() -> dt.date | None:
    """The node's setting SETU_MLA_AGREEMENT_IN_FORCE_ON (a date, or unset), which wins over the data file."""
    value = getattr(settings, "SETU_MLA_AGREEMENT_IN_FORCE_ON", None)
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ImproperlyConfigured(f"SETU_MLA_AGREEMENT_IN_FORCE_ON={value!r} is not a date (YYYY-MM-DD)") from None


def agreement_in_force(on: dt.date | None = None) -> bool:
    return register().agreement.in_force(on or timezone.localdate(), override=agreement_override())


def other_country(code: str | None = None) -> str:
    return "IN" if (code or settings.SETU_NODE) == "NP" else "NP"


def authority_name(code: str, language: str = "en") -> str:
    found = register().get(code)
    return found.name(language) if found else code


def _authority(code: Any, country: str, field: str, errors: dict[str, list]) -> Authority | None:
    """The authority `code` names, if it is in the list and of `country`; else a clear message for `field`."""
    found = register().get(str(code or "").strip().upper()) if isinstance(code, str) else None
    country_name = {"NP": _("Nepal"), "IN": _("India")}[country]
    if not code:
        errors.setdefault(field, []).append(_("Choose the authority."))
    elif found is None:
        errors.setdefault(field, []).append(
            _("“%(code)s” is not a known authority. Choose one of %(country)s's authorities from the list; a body "
              "missing from it is added to setu/mla/data/authorities.yaml by an administrator.")
            % {"code": str(code)[:60], "country": country_name}
        )  # fmt: skip
    elif found.country != country:
        errors.setdefault(field, []).append(
            _("%(name)s is not an authority of %(country)s.") % {"name": found.names["en"], "country": country_name}
        )
        return None
    return found


# --- access ----------------------------------------------------------------------------------------------------


def may_manage(user, request: MlaRequest) -> bool:
    """MLA_MANAGE reaching the request: its office, or node-wide (an incoming request has no office)."""
    grant = policy.grants(user, Permission.MLA_MANAGE)
    if request.organisation_id is None:
        return grant.node_wide
    return grant.covers(organisation_id=request.organisation_id)


def _require_manage(actor, request: MlaRequest, action: str) -> None:
    if not may_manage(actor, request):
        policy.deny(actor, action, object_type=REQUEST_OBJECT, object_id=str(request.public_id))


def _office(actor, organisation: Organisation | None) -> Organisation:
    grant = policy.require(actor, Permission.MLA_MANAGE, object_type=REQUEST_OBJECT)
    if organisation is None:
        if len(grant.organisation_ids) == 1:
            return Organisation.objects.get(pk=next(iter(grant.organisation_ids)))
        raise ValidationError({"organisation": [_("Choose the office that makes this request.")]})
    if not (grant.node_wide or organisation.pk in grant.organisation_ids):
        raise ValidationError({"organisation": [_("You cannot make requests for this office.")]})
    return organisation


def _check_prosecution(actor, prosecution: Prosecution | None) -> None:
    """A request may name a prosecution its drafter may see (LEGAL_VIEW); else the same 404 as a missing one."""
    if prosecution is None:
        return
    grant = policy.grants(actor, Permission.LEGAL_VIEW)
    if not grant.covers(organisation_id=prosecution.organisation_id, district_id=prosecution.district_id):
        policy.deny(actor, Permission.LEGAL_VIEW.value, object_type="legal.prosecution",
                    object_id=str(prosecution.public_id))  # fmt: skip


# --- validation ------------------------------------------------------------------------------------------------


def _check_values(values: dict[str, Any], errors: dict[str, list], *, today: dt.date) -> None:
    """The rules of a request's own fields (shared by drafting and editing a draft)."""
    home, away = settings.SETU_NODE, other_country()
    _authority(values.get("requesting_authority"), home, "requesting_authority", errors)
    _authority(values.get("requested_authority"), away, "requested_authority", errors)
    types = values.get("types")
    if not isinstance(types, list | tuple) or not types:
        errors.setdefault("types", []).append(_("Choose at least one kind of assistance."))
    elif any(t not in RequestType.values for t in types):
        errors.setdefault("types", []).append(_("Choose the kinds of assistance from the list."))
    basis = values.get("legal_basis")
    if basis not in LegalBasis.values:
        errors.setdefault("legal_basis", []).append(_("Choose the legal basis."))
    elif basis == workflow.AGREEMENT and not agreement_in_force(today):
        # Reference/domain.md §4: signed 17 Feb 2026, in force only after both sides notify.
        errors.setdefault("legal_basis", []).append(
            _("The India–Nepal MLA Agreement (signed 17 February 2026) is not yet in force: both countries must "
              "first notify each other. Use reciprocity or a letter rogatory instead.")
        )  # fmt: skip
    for name, message in (("subject", _("Give the request a subject.")),
                          ("summary", _("Summarise the facts and what is asked."))):  # fmt: skip
        if not str(values.get(name) or "").strip():
            errors.setdefault(name, []).append(message)
    if values.get("urgency") not in Urgency.values:
        errors.setdefault("urgency", []).append(_("Choose the urgency."))
    language = values.get("language")
    if language not in Language.values:
        errors.setdefault("language", []).append(_("Choose the language of the request."))
    elif away == "NP" and language == Language.HINDI:
        errors.setdefault("language", []).append(
            _("Nepal's Mutual Legal Assistance Act 2070 takes requests in Nepali, or in English with the reason.")
        )
    elif away == "NP" and language == Language.ENGLISH and not str(values.get("language_reason") or "").strip():
        # Nepal MLA Act 2070 (2014): a request in English states why it is not in Nepali.
        errors.setdefault("language_reason", []).append(
            _("Nepal's Mutual Legal Assistance Act 2070 asks a request in English to say why it is not in Nepali.")
        )
    letter_date, respond_by = values.get("letter_date"), values.get("respond_by")
    if not isinstance(letter_date, dt.date):
        errors.setdefault("letter_date", []).append(_("Give the date of the letter of request."))
    elif letter_date > today:
        errors.setdefault("letter_date", []).append(_("The letter of request cannot be dated in the future."))
    if isinstance(letter_date, dt.date) and isinstance(respond_by, dt.date) and respond_by < letter_date:
        errors.setdefault("respond_by", []).append(
            _("The date the answer is asked for (%(respond_by)s) comes before the letter of request (%(letter)s).")
            % {"respond_by": respond_by.isoformat(), "letter": letter_date.isoformat()}
        )


def _tidy(values: dict[str, Any]) -> dict[str, Any]:
    for name in ("subject", "language_reason", "requesting_authority", "requested_authority"):
        if isinstance(values.get(name), str):
            values[name] = " ".join(values[name].split())
    for name in ("requesting_authority", "requested_authority"):
        if isinstance(values.get(name), str):
            values[name] = values[name].upper()
    if isinstance(values.get("summary"), str):
        values["summary"] = values["summary"].strip()
    if isinstance(values.get("types"), list | tuple):
        chosen = list(values["types"])
        values["types"] = [t for t in RequestType.values if t in chosen] + [t for t in chosen
                                                                            if t not in RequestType.values]  # fmt: skip
    return values


def _full_clean(request: MlaRequest, errors: dict[str, list]) -> None:
    try:
        request.full_clean(exclude=["created_by", "number", "status_changed_at", "prosecution", "organisation",
                                    "message", "inbox", "types"])  # fmt: skip
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))


# --- history and deadlines -------------------------------------------------------------------------------------


def new_number(year: int) -> str:
    return f"{settings.SETU_NODE}-MLA-{year}-{numbers_taken(MlaCounter, year=year):06d}"


def record_move(request: MlaRequest, *, to: str, at: dt.datetime, on: dt.date, by=None, from_peer: str = "",
                reason: str = "", before: str = "") -> StatusChange:  # fmt: skip
    """Write one line of the request's history and sync its deadlines (the caller saves the request)."""
    change = StatusChange.objects.create(request=request, from_status=before, to_status=to, at=at, on=on,
                                         by=by if getattr(by, "is_authenticated", False) else None,
                                         from_peer=from_peer, reason=reason)  # fmt: skip
    sync_deadlines(request, on=on, now=at)
    return change


def facts_of(request: MlaRequest) -> Facts:
    return Facts(node=settings.SETU_NODE, direction=request.direction, legal_basis=request.legal_basis,
                 types=frozenset(request.types), women_children=request.women_children,
                 respond_by=request.respond_by)  # fmt: skip


def sync_deadlines(request: MlaRequest, *, on: dt.date, now: dt.datetime) -> None:
    """Start the deadlines whose rules apply and whose clock starts at the request's status; mark met those
    the status meets. A deadline is started once per rule and request."""
    facts = facts_of(request)
    book = rule_book()
    existing = {d.rule: d for d in request.deadlines.all()} if request.pk else {}
    for rule in book.rules:
        if rule.code not in existing and rule.applies(facts) and request.status in rule.starts:
            existing[rule.code] = Deadline.objects.create(request=request, rule=rule.code, starts_on=on,
                                                          due_on=rule.due_on(on, facts),
                                                          statutory=rule.statutory)  # fmt: skip
    for code, deadline in existing.items():
        meeting = book.get(code)
        if deadline.met_at is None and meeting is not None and request.status in meeting.met_by:
            deadline.met_at = now
            deadline.save(update_fields=["met_at"])


# --- drafting --------------------------------------------------------------------------------------------------


def request_draft(
    *,
    actor,
    requesting_authority: str,
    requested_authority: str,
    types: Iterable[str],
    legal_basis: str,
    subject: str,
    summary: str,
    letter_date: dt.date | None,
    language: str,
    language_reason: str = "",
    urgency: str = Urgency.NORMAL,
    women_children: bool = False,
    respond_by: dt.date | None = None,
    prosecution: Prosecution | None = None,
    organisation: Organisation | None = None,
    now: dt.datetime | None = None,
) -> MlaRequest:
    """Draft an outgoing request for the actor's office (or `organisation`, if the actor has several).

    Refused with field messages, and nothing saved: an authority not in the list (or of the wrong country),
    no kind of assistance, the Agreement as basis while it is not in force, dates out of order (a letter
    dated in the future, an answer asked for before the letter), a language Nepal's MLA Act does not take."""
    office = _office(actor, organisation)
    _check_prosecution(actor, prosecution)
    now = now or timezone.now()
    today = timezone.localdate(now)
    values = _tidy({
        "requesting_authority": requesting_authority, "requested_authority": requested_authority,
        "types": list(types) if not isinstance(types, str) else types, "legal_basis": legal_basis,
        "subject": subject, "summary": summary, "letter_date": letter_date, "language": language,
        "language_reason": language_reason, "urgency": urgency, "women_children": bool(women_children),
        "respond_by": respond_by,
    })  # fmt: skip
    with transaction.atomic():
        errors: dict[str, list] = {}
        _check_values(values, errors, today=today)
        request = MlaRequest(
            **values, direction=workflow.OUTGOING, organisation=office, prosecution=prosecution,
            peer_code=other_country(), requesting_state=settings.SETU_NODE, requested_state=other_country(),
            status=workflow.DRAFTED, status_changed_at=now, created_by=actor, number="-",
        )  # fmt: skip
        _full_clean(request, errors)
        if errors:
            raise ValidationError(errors)
        if prosecution is not None:
            request.prosecution_refs = prosecution_refs(prosecution)
        request.number = new_number(today.year)
        request.save()
        record_move(request, to=workflow.DRAFTED, at=now, on=today, by=actor)
        audit_record(actor=actor, action="mla.request_draft", obj=request, organisation=office,
                     fields=["organisation", *[n for n in DRAFT_FIELDS if values.get(n) or n == "prosecution"
                                               and prosecution is not None]])  # fmt: skip
    return request


def request_update(*, actor, request: MlaRequest, now: dt.datetime | None = None, **changes: Any) -> MlaRequest:
    """Change some of a draft's fields (any of DRAFT_FIELDS); only while it is a draft, by its office (or the
    central authority). The same rules as `request_draft`; a refused change saves nothing."""
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"request_update() got fields it does not edit: {sorted(unknown)}")
    _require_manage(actor, request, "mla.request_update")
    if "prosecution" in changes:
        _check_prosecution(actor, changes["prosecution"])
    now = now or timezone.now()
    with transaction.atomic():
        request = MlaRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if request.status != workflow.DRAFTED:
            raise ValidationError({"__all__": [_("Only a draft can be changed: this request has been sent.")]})
        prosecution = changes.pop("prosecution", request.prosecution)
        values = {name: getattr(request, name) for name in DRAFT_FIELDS if name != "prosecution"}
        before = dict(values, prosecution=request.prosecution_id)
        values.update(_tidy(dict(changes)))
        if "types" in changes and not isinstance(values["types"], str):
            values["types"] = list(values["types"])
        errors: dict[str, list] = {}
        _check_values(values, errors, today=timezone.localdate(now))
        for name, value in values.items():
            setattr(request, name, value)
        request.prosecution = prosecution
        _full_clean(request, errors)
        if errors:
            raise ValidationError(errors)
        request.prosecution_refs = prosecution_refs(prosecution) if prosecution is not None else {}
        fields = sorted(n for n in values if before[n] != values[n])
        fields += ["prosecution"] if before["prosecution"] != request.prosecution_id else []
        if fields:
            request.save()
            # A rule may apply now that did not, or no longer: those are started, these dropped.
            facts = facts_of(request)
            for deadline in request.deadlines.filter(met_at__isnull=True):
                rule = rule_book().get(deadline.rule)
                if rule is None or not rule.applies(facts):
                    deadline.delete()
            sync_deadlines(request, on=timezone.localdate(request.created_at), now=now)
        audit_record(actor=actor, action="mla.request_update", obj=request, fields=fields)
    return request


def prosecution_refs(prosecution: Prosecution) -> dict[str, str]:
    """The prosecution's reference numbers, as the other country may need them to find the case (no names)."""
    refs = {"number": prosecution.number, "police_case_number": prosecution.police_case_number,
            "police_unit": prosecution.police_unit, "court": prosecution.court}  # fmt: skip
    return {k: v for k, v in refs.items() if v}


# --- sending and moving ----------------------------------------------------------------------------------------

MOVE_MESSAGES = {
    workflow.UNKNOWN: lambda: _("Choose a status from the list."),
    workflow.NOT_ALLOWED: lambda: _("A request that is “%(current)s” cannot become “%(target)s”."),
    workflow.REASON_REQUIRED: lambda: _("Give the reason: a refusal says why, a partial execution what was not done."),
}


def _move_error(problem: str, current: str, target: str) -> ValidationError:
    from setu.mla.models import Status

    labels = dict(Status.choices)
    text = MOVE_MESSAGES.get(problem, MOVE_MESSAGES[workflow.NOT_ALLOWED])() % {
        "current": labels.get(current, current), "target": labels.get(target, target)}  # fmt: skip
    field = "reason" if problem == workflow.REASON_REQUIRED else "status"
    return ValidationError({field: [text]})


def _check_on(request: MlaRequest, on: dt.date, today: dt.date) -> None:
    """A move's date is not in the future and not before the request's last move."""
    if on > today:
        raise ValidationError({"on": [_("The date cannot be in the future.")]})
    last = request.history.order_by("-at", "-id").first()
    if last is not None and on < last.on:
        raise ValidationError({"on": [
            _("The dates are out of order: the request was already “%(status)s” on %(date)s.")
            % {"status": last.get_to_status_display(), "date": last.on.isoformat()}]})  # fmt: skip


def request_send(*, actor, request: MlaRequest, now: dt.datetime | None = None) -> MlaRequest:
    """Send a drafted request to the requested state's node: it becomes "sent" and the `mla.request` message
    is queued in the same transaction (the relay delivers it). Refused, with nothing queued, when the other
    node is not registered, or the Agreement named as basis is (no longer, or not yet) in force."""
    from setu.mla.exchange import queue_request

    _require_manage(actor, request, "mla.request_send")
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        request = MlaRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        problem = workflow.move_problem(direction=request.direction, current=request.status, target=workflow.SENT)
        if problem:
            raise _move_error(problem, request.status, workflow.SENT)
        errors: dict[str, list] = {}
        _check_values({n: getattr(request, n) for n in DRAFT_FIELDS if n != "prosecution"}, errors, today=today)
        if errors:
            raise ValidationError(errors)
        before = request.status
        request.status, request.status_changed_at, request.sent_on = workflow.SENT, now, today
        request.message = queue_request(request, actor=actor, now=now)
        request.save(update_fields=["status", "status_changed_at", "sent_on", "message", "updated_at"])
        record_move(request, to=workflow.SENT, at=now, on=today, by=actor, before=before)
        audit_record(actor=actor, action="mla.request_send", obj=request, fields=["status", "sent_on", "message"])
    return request


def request_move(*, actor, request: MlaRequest, status: str, reason: str = "", on: dt.date | None = None,
                 now: dt.datetime | None = None) -> MlaRequest:  # fmt: skip
    """Record a move of the request by a person here (workflow.LOCAL_MOVES): an incoming request studied,
    executed, partially executed or refused (with the reason), any request closed. On an incoming request the
    move travels back to the requesting node (`mla.status`, or `mla.response` for an answer) in the same
    transaction. `on` is the date it happened (default today): not in the future, nor before the last move."""
    from setu.mla.exchange import queue_answer

    _require_manage(actor, request, "mla.request_move")
    now = now or timezone.now()
    today = timezone.localdate(now)
    on = on or today
    reason = (reason or "").strip()
    with transaction.atomic():
        request = MlaRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if status == workflow.SENT:
            raise ValidationError({"status": [_("Send a drafted request with “Send”, which queues it for the other "
                                                "country.")]})  # fmt: skip
        problem = workflow.move_problem(direction=request.direction, current=request.status, target=status,
                                        reason=reason)  # fmt: skip
        if problem:
            raise _move_error(problem, request.status, status)
        _check_on(request, on, today)
        before = request.status
        request.status, request.status_changed_at = status, now
        request.status_reason = reason if reason else request.status_reason
        fields = ["status", "status_changed_at", "status_reason"]
        request.save(update_fields=[*fields, "updated_at"])
        record_move(request, to=status, at=now, on=on, by=actor, reason=reason, before=before)
        if request.direction == workflow.INCOMING and status != workflow.CLOSED:
            queue_answer(request, status=status, reason=reason, on=on, actor=actor, now=now)
        audit_record(actor=actor, action="mla.request_move", obj=request, fields=fields)
    return request


# --- documents -------------------------------------------------------------------------------------------------

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def document_add(*, actor, request: MlaRequest, kind: str, upload, title: str = "") -> MlaDocument:
    """Store a typed upload under MEDIA_ROOT with a server-made name: PDF, JPEG, PNG or WebP (by their bytes,
    not their name) up to SETU_UPLOAD_MAX_BYTES, while the request is open."""
    _require_manage(actor, request, "mla.document_add")
    limit = settings.SETU_UPLOAD_MAX_BYTES
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": [_("Choose the kind of document.")]})
    if not request.is_open:
        raise ValidationError({"__all__": [_("The request is closed: documents can no longer be added.")]})
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to upload.")]})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": [_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}]})
    guessed = filetype.guess(data)
    if guessed is None or guessed.mime not in DOCUMENT_TYPES:
        raise ValidationError({"file": [_("Upload a PDF or a scan (JPEG, PNG or WebP).")]})
    name = default_storage.save(f"mla-documents/{uuid.uuid4().hex}.{DOCUMENT_TYPES[guessed.mime]}", ContentFile(data))
    try:
        with transaction.atomic():
            document = MlaDocument.objects.create(
                request=request, kind=kind, title=" ".join(title.split())[:200], file=name,
                content_type=guessed.mime, size=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor,
            )  # fmt: skip
            audit_record(actor=actor, action="mla.document_add", obj=request, fields=["documents"])
    except BaseException:
        default_storage.delete(name)  # the row was rolled back: do not leave its file behind
        raise
    return document


# --- reminders -------------------------------------------------------------------------------------------------


def notices_mark_read(*, actor, now: dt.datetime | None = None) -> int:
    """Mark the actor's unread MLA reminders read (they leave the dashboard); returns how many."""
    from setu.mla.models import ReminderNotice

    policy.require(actor, Permission.MLA_VIEW, object_type="mla.remindernotice")
    with transaction.atomic():
        count = ReminderNotice.objects.filter(user=actor, read_at__isnull=True).update(read_at=now or timezone.now())
        if count:
            audit_record(actor=actor, action="mla.notices_read", object_type="mla.remindernotice",
                         object_id=str(count), fields=["read_at"])  # fmt: skip
    return count
