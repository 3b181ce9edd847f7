"""Writes on joint training. Each service takes `actor=`, checks access with `setu.accounts.policy` before
anything else (the same audited 404 for missing and forbidden), runs in one transaction, validates (a
ValidationError with field messages, and nothing saved) and writes one audit event naming the fields it
touched, never their values.

Who may write (setu.accounts.roles): TRAINING_MANAGE, for the programmes whose organiser is one of the
actor's organisations (a trainer: her academy's). Invitations from the other node are answered by anyone
holding TRAINING_MANAGE on this node. The cross-border messages are in `setu.training.exchange`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.training.models import (
    COMPLETION_SHARE,
    MAX_SCORE,
    Attendance,
    Certificate,
    Country,
    Participant,
    ParticipantKind,
    Programme,
    Session,
    TopicArea,
    new_certificate_code,
)

PROGRAMME_OBJECT = "training.programme"
PARTICIPANT_OBJECT = "training.participant"
CERTIFICATE_OBJECT = "training.certificate"

PROGRAMME_FIELDS = ("title", "topics", "host_country", "place", "starts_on", "ends_on", "trainers", "description",
                    "is_joint", "seats", "reply_by")  # fmt: skip
_LINES = ("title", "place", "name", "designation", "organisation_name")
_TEXTS = ("trainers", "description")


# --- access ------------------------------------------------------------------------------------------------------


def may_manage(actor, programme: Programme) -> bool:
    return policy.grants(actor, Permission.TRAINING_MANAGE).covers(organisation_id=programme.organiser_id)


def require_manage(actor, programme: Programme) -> None:
    if not may_manage(actor, programme):
        policy.deny(actor, Permission.TRAINING_MANAGE.value, object_type=PROGRAMME_OBJECT,
                    object_id=str(programme.public_id))  # fmt: skip


def _organiser_for(actor, organiser: Organisation | None) -> Organisation:
    grant = policy.require(actor, Permission.TRAINING_MANAGE, object_type=PROGRAMME_OBJECT)
    if organiser is None:
        if grant.node_wide or len(grant.organisation_ids) != 1:
            raise ValidationError({"organiser": [_("Choose the organising organisation.")]})
        return Organisation.objects.get(pk=next(iter(grant.organisation_ids)))
    if not (grant.node_wide or organiser.pk in grant.organisation_ids):
        raise ValidationError({"organiser": [_("You cannot organise training for this organisation.")]})
    return organiser


# --- helpers -----------------------------------------------------------------------------------------------------


def _tidy(values: dict[str, Any]) -> dict[str, Any]:
    for name in _LINES:
        if values.get(name) is not None:
            values[name] = " ".join(str(values[name]).split())
    for name in _TEXTS:
        if values.get(name) is not None:
            values[name] = str(values[name]).strip()
    return values


def _topics(topics: Iterable[str] | None) -> Any:
    """Topic areas in the list's order, each once; anything else is left for clean() to refuse."""
    if topics is None or isinstance(topics, str):
        return topics
    chosen = list(topics)
    if not all(isinstance(topic, str) for topic in chosen):
        return chosen
    known = [topic for topic in TopicArea.values if topic in chosen]
    return known + [topic for topic in dict.fromkeys(chosen) if topic not in TopicArea.values]


def _full_clean(record, errors: dict[str, list], exclude: Iterable[str] = ()) -> None:
    try:
        record.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))


def _score(value: Any, name: str, errors: dict[str, list]) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(name, []).append(_("Enter a whole number from 0 to 100."))
        return None
    if value < 0 or value > MAX_SCORE:
        errors.setdefault(name, []).append(_("A score is from 0 to 100."))
        return None
    return value


# --- programmes --------------------------------------------------------------------------------------------------


def programme_create(
    *,
    actor,
    title: str,
    topics: Iterable[str],
    host_country: str,
    place: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    organiser: Organisation | None = None,
    trainers: str = "",
    description: str = "",
    is_joint: bool = True,
    seats: int | None = None,
    reply_by: dt.date | None = None,
) -> Programme:
    """Create a programme organised by the actor's organisation (or `organiser`, if she has several).

    Refused with field messages, and nothing saved: the last day before the first, nominations due after the
    first day, no topic area or one not on the list, a host country other than Nepal or India."""
    owner = _organiser_for(actor, organiser)
    values = _tidy({"title": title, "topics": _topics(topics), "host_country": host_country, "place": place,
                    "starts_on": starts_on, "ends_on": ends_on, "trainers": trainers, "description": description,
                    "is_joint": bool(is_joint), "seats": seats, "reply_by": reply_by})  # fmt: skip
    with transaction.atomic():
        programme = Programme(**values, organiser=owner, created_by=actor)
        errors: dict[str, list] = {}
        _full_clean(programme, errors, exclude=["created_by", "invitation"])
        if errors:
            raise ValidationError(errors)
        programme.save()
        given = [name for name in PROGRAMME_FIELDS if values.get(name) not in (None, "", [])]
        audit_record(actor=actor, action="training.programme_create", obj=programme, object_type=PROGRAMME_OBJECT,
                     organisation=owner, fields=["organiser", *given])  # fmt: skip
    return programme


def programme_update(*, actor, programme: Programme, **changes: Any) -> Programme:
    """Change some of a programme's fields (PROGRAMME_FIELDS); the same rules as `programme_create`."""
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"programme_update() got fields it does not edit: {sorted(unknown)}")
    require_manage(actor, programme)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        before = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
        if "topics" in changes:
            changes["topics"] = _topics(changes["topics"])
        for name, value in _tidy(changes).items():
            setattr(programme, name, value)
        errors: dict[str, list] = {}
        _full_clean(programme, errors, exclude=["created_by", "invitation", "organiser"])
        first_session = programme.sessions.order_by("starts_at").first()
        last_session = programme.sessions.order_by("-starts_at").first()
        if first_session and programme.starts_on and timezone.localdate(first_session.starts_at) < programme.starts_on:
            errors.setdefault("starts_on", []).append(_("A session is held before this day."))
        if last_session and programme.ends_on and timezone.localdate(last_session.starts_at) > programme.ends_on:
            errors.setdefault("ends_on", []).append(_("A session is held after this day."))
        if errors:
            raise ValidationError(errors)
        fields = sorted(name for name in PROGRAMME_FIELDS if before[name] != getattr(programme, name))
        if fields:
            programme.save()
        audit_record(actor=actor, action="training.programme_update", obj=programme, object_type=PROGRAMME_OBJECT,
                     organisation=programme.organiser, fields=fields)  # fmt: skip
    return programme


# --- sessions ----------------------------------------------------------------------------------------------------


def session_add(
    *, actor, programme: Programme, title: str, starts_at: dt.datetime | None, ends_at: dt.datetime | None,
    topic: str, place: str = "",
) -> Session:  # fmt: skip
    """Add a session to a programme. Refused: the end before the start, a day outside the programme's days,
    a topic area not on the list."""
    require_manage(actor, programme)
    values = _tidy({"title": title, "place": place, "starts_at": starts_at, "ends_at": ends_at})
    with transaction.atomic():
        session = Session(programme=programme, topic=topic, **values)
        errors: dict[str, list] = {}
        _full_clean(session, errors, exclude=["programme"])
        if starts_at is not None and timezone.is_naive(starts_at):
            errors.setdefault("starts_at", []).append(_("Enter the time with its time zone."))
        elif starts_at is not None and not programme.starts_on <= timezone.localdate(starts_at) <= programme.ends_on:
            errors.setdefault("starts_at", []).append(
                _("The session must be on a day of the programme (%(first)s to %(last)s).")
                % {"first": programme.starts_on.isoformat(), "last": programme.ends_on.isoformat()}
            )
        if errors:
            raise ValidationError(errors)
        session.save()
        fields = ["title", "starts_at", "ends_at", "topic", *(["place"] if values["place"] else [])]
        audit_record(actor=actor, action="training.session_add", obj=session, object_type="training.session",
                     organisation=programme.organiser, fields=fields)  # fmt: skip
    return session


# --- participants ------------------------------------------------------------------------------------------------


def participant_add(
    *,
    actor,
    programme: Programme,
    name: str,
    sex: str,
    designation: str,
    kind: str = ParticipantKind.ORGANISATION,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    node: str = "",
) -> Participant:
    """Add a participant: someone of an organisation on this node (`organisation`), of the other country's
    node (`organisation_name` and `node`), or an external guest (`organisation_name`). Professionals only:
    there is no field for anything about a survivor."""
    require_manage(actor, programme)
    values = _tidy({"name": name, "designation": designation, "organisation_name": organisation_name})
    errors: dict[str, list] = {}
    if kind not in ParticipantKind.values:
        errors.setdefault("kind", []).append(_("Choose where the participant comes from."))
    if kind == ParticipantKind.ORGANISATION:
        if organisation is None or not organisation.is_active:
            errors.setdefault("organisation", []).append(_("Choose the participant's organisation."))
        values["organisation_name"] = ""
        node = settings.SETU_NODE
    else:
        organisation = None
        if not values["organisation_name"]:
            errors.setdefault("organisation_name", []).append(_("Enter the participant's organisation."))
        if kind == ParticipantKind.OTHER_NODE:
            node = node or next((code for code in Country.values if code != settings.SETU_NODE), "")
            if node == settings.SETU_NODE:
                errors.setdefault("node", []).append(_("Choose the other country."))
        node = node or settings.SETU_NODE
    if node not in Country.values:
        errors.setdefault("node", []).append(_("Choose Nepal or India."))
    with transaction.atomic():
        participant = Participant(programme=programme, sex=sex, kind=kind, organisation=organisation, node=node,
                                  created_by=actor, **values)  # fmt: skip
        _full_clean(participant, errors, exclude=["programme", "created_by", "remote_ref"])
        if errors:
            raise ValidationError(errors)
        participant.save()
        where = "organisation" if organisation else "organisation_name"
        audit_record(actor=actor, action="training.participant_add", obj=participant, object_type=PARTICIPANT_OBJECT,
                     organisation=programme.organiser,
                     fields=["name", "sex", "designation", "kind", where, "node"])  # fmt: skip
    return participant


def attendance_mark(*, actor, session: Session, present: Iterable[Participant]) -> int:
    """Mark who was at a session: the participants given present, every other participant of the programme
    absent. Returns how many are present. Refused: someone who is not a participant of this programme."""
    programme = session.programme
    require_manage(actor, programme)
    chosen = {participant.pk for participant in present}
    with transaction.atomic():
        everyone = set(programme.participants.values_list("pk", flat=True))
        if chosen - everyone:
            raise ValidationError({"present": [_("Mark only the participants of this programme.")]})
        existing = {row.participant_id: row for row in Attendance.objects.filter(session=session)}
        changed = 0
        for participant_id in everyone:
            row = existing.get(participant_id)
            is_present = participant_id in chosen
            if row is None:
                Attendance.objects.create(session=session, participant_id=participant_id, present=is_present,
                                          marked_by=actor)  # fmt: skip
                changed += 1
            elif row.present != is_present:
                row.present, row.marked_by = is_present, actor
                row.save(update_fields=["present", "marked_by", "marked_at"])
                changed += 1
        audit_record(actor=actor, action="training.attendance_mark", obj=session, object_type="training.session",
                     organisation=programme.organiser, fields=["present"] if changed else [])  # fmt: skip
    return len(chosen)


def scores_record(*, actor, participant: Participant, pre_score: Any, post_score: Any) -> Participant:
    """Record a participant's pre- and post-test scores (0-100 each; None for not taken)."""
    require_manage(actor, participant.programme)
    errors: dict[str, list] = {}
    pre = _score(pre_score, "pre_score", errors)
    post = _score(post_score, "post_score", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        fields = [name for name, value in (("pre_score", pre), ("post_score", post))
                  if getattr(participant, name) != value]  # fmt: skip
        participant.pre_score, participant.post_score = pre, post
        if fields:
            participant.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="training.scores_record", obj=participant, object_type=PARTICIPANT_OBJECT,
                     organisation=participant.programme.organiser, fields=fields)  # fmt: skip
    return participant


def scores_record_many(*, actor, programme: Programme, scores: dict[Participant, tuple[Any, Any]]) -> int:
    """Record the score sheet of a programme: {participant: (pre, post)}. Every score is checked first; one
    out of range refuses the whole sheet (messages keyed `pre_score:<participant id>`), and nothing is saved.
    Returns how many participants' scores changed."""
    require_manage(actor, programme)
    errors: dict[str, list] = {}
    clean: dict[int, tuple[int | None, int | None]] = {}
    for participant, (pre, post) in scores.items():
        if participant.programme_id != programme.pk:
            raise ValidationError({"__all__": [_("Record scores only for the participants of this programme.")]})
        mine: dict[str, list] = {}
        values = (_score(pre, "pre_score", mine), _score(post, "post_score", mine))
        for name, messages in mine.items():
            errors[f"{name}:{participant.public_id}"] = [f"{participant.name}: {m}" for m in messages]
        clean[participant.pk] = values
    if errors:
        raise ValidationError(errors)
    changed: list[str] = []
    with transaction.atomic():
        for participant in Participant.objects.select_for_update().filter(pk__in=list(clean)):
            pre, post = clean[participant.pk]
            fields = [name for name, value in (("pre_score", pre), ("post_score", post))
                      if getattr(participant, name) != value]  # fmt: skip
            if fields:
                participant.pre_score, participant.post_score = pre, post
                participant.save(update_fields=[*fields, "updated_at"])
                changed.extend(fields)
        audit_record(actor=actor, action="training.scores_record", obj=programme, object_type=PROGRAMME_OBJECT,
                     organisation=programme.organiser, fields=sorted(set(changed)))  # fmt: skip
    return len({pk for pk in clean}) if changed else 0


# --- completion and certificates ---------------------------------------------------------------------------------


def sessions_needed(held: int) -> int:
    """How many of `held` sessions a participant must attend to complete (at least one)."""
    return max(1, math.ceil(held * COMPLETION_SHARE - 1e-9))


def attended_count(participant: Participant) -> int:
    return participant.attendance.filter(present=True).count()


def has_completed(participant: Participant) -> bool:
    held = participant.programme.sessions.count()
    return held > 0 and attended_count(participant) >= sessions_needed(held)


def certificate_issue(*, actor, participant: Participant, now: dt.datetime | None = None) -> Certificate:
    """Issue a certificate to a participant who completed the programme (attended at least three quarters of
    its sessions). Refused: not completed, or a certificate already issued."""
    require_manage(actor, participant.programme)
    now = now or timezone.now()
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update(of=("self",)).select_related("programme").get(pk=participant.pk)
        )
        if Certificate.objects.filter(participant=participant).exists():
            raise ValidationError({"__all__": [_("A certificate was already issued to this participant.")]})
        if not has_completed(participant):
            held = participant.programme.sessions.count()
            raise ValidationError({"__all__": [
                _("%(name)s did not complete the programme: attended %(attended)s of %(held)s sessions, %(needed)s "
                  "needed.") % {"name": participant.name, "attended": attended_count(participant), "held": held,
                                "needed": sessions_needed(held) if held else 1}
            ]})  # fmt: skip
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    certificate = Certificate.objects.create(participant=participant, code=new_certificate_code(),
                                                             issued_at=now, issued_by=actor)  # fmt: skip
                break
            except IntegrityError:  # a code already taken (1 in 2**60 a draw): draw again
                continue
        else:  # pragma: no cover - would need five collisions in a row
            raise RuntimeError("no free certificate code")
        audit_record(actor=actor, action="training.certificate_issue", obj=certificate,
                     object_type=CERTIFICATE_OBJECT, organisation=participant.programme.organiser,
                     fields=["participant", "code"])  # fmt: skip
    return certificate


def certificates_issue_all(*, actor, programme: Programme, now: dt.datetime | None = None) -> list[Certificate]:
    """A certificate for every participant who completed and has none yet."""
    require_manage(actor, programme)
    issued = []
    with transaction.atomic():
        for participant in programme.participants.filter(certificate__isnull=True):
            if has_completed(participant):
                issued.append(certificate_issue(actor=actor, participant=participant, now=now))
    return issued


def certificate_revoke(*, actor, certificate: Certificate, reason: str, now: dt.datetime | None = None) -> Certificate:
    """Revoke a certificate (issued in error, or withdrawn), with the reason. The public page then says
    "revoked" for its code."""
    programme = certificate.participant.programme
    require_manage(actor, programme)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Say why the certificate is revoked.")]})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise ValidationError({"__all__": [_("This certificate is already revoked.")]})
        certificate.revoked_at, certificate.revoked_by = now or timezone.now(), actor
        certificate.revoke_reason = reason[:500]
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
        audit_record(actor=actor, action="training.certificate_revoke", obj=certificate,
                     object_type=CERTIFICATE_OBJECT, organisation=programme.organiser,
                     fields=["revoked_at", "revoke_reason"])  # fmt: skip
    return certificate
