"""Joint training across the border (docs/exchange.md 12.18-12.20). Messages of no case: nothing about any
survivor is in them, only a course and the professionals who take it.

- `training.invitation` (host → other node): the programme (title, topic areas, place, dates, organiser,
  seats, reply-by). Kept on the other node as an `Invitation`, waiting on /training/invitations/ for its
  trainers to act on.
- `training.nomination` (invited node → host): the people it nominates, the minimum: name, sex,
  designation, organisation name, and a reference of the nomination's own. The host adds them as
  participants of the other country. A decline goes back as `message.status` (acted, "declined").
- `training.result` (host → invited node): for each of its nominees, sessions attended of those held, the
  scores, whether she completed and her certificate's code, so the invited node's coverage counts her.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.ids import as_uuid
from setu.exchange.envelope import isoformat
from setu.exchange.inbox import Incoming, RefusedError, handler
from setu.exchange.models import InboxMessage, OutboxMessage, Peer
from setu.exchange.outbox import outbox_put
from setu.training.models import Invitation, Nomination, Participant, ParticipantKind, Programme
from setu.training.services import (
    PROGRAMME_OBJECT,
    attended_count,
    has_completed,
    require_manage,
)

INVITATION_TYPE = "training.invitation"
NOMINATION_TYPE = "training.nomination"
RESULT_TYPE = "training.result"
INVITATION_OBJECT = "training.invitation"
# The legal basis recorded on messages that carry professionals' names: they were nominated for the course by
# their own organisation, for this purpose only.
NOMINATION_BASIS = "nomination for joint training by the participant's organisation"


def other_peer() -> Peer | None:
    """The other country's node, if registered and active (the first deployment has one peer)."""
    return Peer.objects.filter(is_active=True).exclude(code=settings.SETU_NODE).order_by("code").first()


# --- the host: inviting, receiving nominations, sending results ------------------------------------------------


def invitation_problems(programme: Programme) -> list[str]:
    if not programme.is_joint:
        return [_("Only a joint programme invites the other country.")]
    if programme.invitation_id is not None:
        return [_("The other country was already invited to this programme.")]
    if programme.ends_on < timezone.localdate():
        return [_("The programme is over.")]
    if other_peer() is None:
        return [_("The other country's node is not registered: an administrator adds it first.")]
    return []


def programme_invite(*, actor, programme: Programme, now: dt.datetime | None = None) -> OutboxMessage:
    """Invite the other country's node to a joint programme (once). Refused, nothing queued: a programme that
    is not joint, is over, was already sent, or no peer registered."""
    require_manage(actor, programme)
    now = now or timezone.now()
    with transaction.atomic():
        programme = Programme.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=programme.pk)
        problems = invitation_problems(programme)
        if problems:
            raise ValidationError({"__all__": problems})
        candidate = {
            "ref": str(programme.public_id), "title": programme.title, "topics": list(programme.topics),
            "host_country": programme.host_country, "organiser": programme.organiser.name_en,
            "place": programme.place, "starts_on": programme.starts_on.isoformat(),
            "ends_on": programme.ends_on.isoformat(), "seats": programme.seats,
            "reply_by": programme.reply_by.isoformat() if programme.reply_by else None,
            "description": programme.description,
        }  # fmt: skip
        message = outbox_put(type=INVITATION_TYPE, peer=other_peer(), actor=actor, now=now, candidate=candidate)
        programme.invitation = message
        programme.save(update_fields=["invitation", "updated_at"])
        audit_record(actor=actor, action="training.programme_invite", obj=programme, object_type=PROGRAMME_OBJECT,
                     organisation=programme.organiser, fields=["invitation"])  # fmt: skip
    return message


def results_send(*, actor, programme: Programme, now: dt.datetime | None = None) -> OutboxMessage:
    """Send the other node the results of the participants it nominated (again, if they changed)."""
    require_manage(actor, programme)
    nominees = list(programme.participants.filter(kind=ParticipantKind.OTHER_NODE, remote_ref__isnull=False)
                    .select_related("certificate"))  # fmt: skip
    if not nominees:
        raise ValidationError({"__all__": [_("No participant of this programme was nominated by the other country.")]})
    peer = Peer.objects.filter(code=nominees[0].node, is_active=True).first()
    if peer is None:
        raise ValidationError({"__all__": [_("The other country's node is not registered.")]})
    held = programme.sessions.count()
    results = []
    for participant in nominees:
        certificate = getattr(participant, "certificate", None)
        row = {"ref": str(participant.remote_ref), "sessions_attended": attended_count(participant),
               "sessions_held": held, "completed": has_completed(participant),
               "pre_score": participant.pre_score, "post_score": participant.post_score,
               "certificate_code": certificate.code if certificate and certificate.is_valid else None}  # fmt: skip
        results.append({k: v for k, v in row.items() if v is not None})
    with transaction.atomic():
        message = outbox_put(type=RESULT_TYPE, peer=peer, actor=actor, now=now,
                             candidate={"ref": str(programme.public_id), "results": results})  # fmt: skip
        audit_record(actor=actor, action="training.results_send", obj=programme, object_type=PROGRAMME_OBJECT,
                     organisation=programme.organiser, fields=["results"])  # fmt: skip
    return message


@handler(INVITATION_TYPE)
def apply_invitation(message: Incoming) -> None:
    """An invitation from the other node: kept as it came, for this node's trainers to answer."""
    payload = message.payload
    if Invitation.objects.filter(from_node=message.peer.code, ref=payload["ref"]).exists():
        raise RefusedError("this programme's invitation was received already")
    Invitation.objects.create(
        inbox=message.row, from_node=message.peer.code, ref=payload["ref"], title=payload["title"],
        topics=payload["topics"], host_country=payload["host_country"], organiser=payload.get("organiser", ""),
        place=payload["place"], starts_on=dt.date.fromisoformat(payload["starts_on"]),
        ends_on=dt.date.fromisoformat(payload["ends_on"]), seats=payload.get("seats"),
        reply_by=dt.date.fromisoformat(payload["reply_by"]) if payload.get("reply_by") else None,
        description=payload.get("description", ""), received_at=message.row.received_at,
    )  # fmt: skip


@handler(NOMINATION_TYPE)
def apply_nomination(message: Incoming) -> None:
    """Nominations for one of our programmes: each nominee becomes a participant of the other country (once
    per reference: a repeated nomination adds only the new ones)."""
    payload = message.payload
    programme = Programme.objects.filter(public_id=payload["ref"], invitation__peer=message.peer).first()
    if programme is None:
        raise RefusedError("no programme of ours invited you under this reference")
    taken = set(programme.participants.filter(remote_ref__isnull=False).values_list("remote_ref", flat=True))
    for nominee in payload["nominees"]:
        ref = as_uuid(nominee["ref"])
        if ref in taken:
            continue
        Participant.objects.create(programme=programme, name=nominee["name"], sex=nominee["sex"],
                                   designation=nominee["designation"], kind=ParticipantKind.OTHER_NODE,
                                   organisation_name=nominee["organisation"], node=message.peer.code,
                                   remote_ref=ref)  # fmt: skip


@handler(RESULT_TYPE)
def apply_result(message: Incoming) -> None:
    """Results of our nominees at the other node's programme: recorded on their nominations."""
    payload = message.payload
    invitation = Invitation.objects.filter(from_node=message.peer.code, ref=payload["ref"]).first()
    if invitation is None:
        raise RefusedError("no invitation from you under this reference")
    nominations = {str(n.public_id): n for n in invitation.nominations.all()}
    for result in payload["results"]:
        nomination = nominations.get(result["ref"])
        if nomination is None:
            continue
        nomination.sessions_attended = result.get("sessions_attended")
        nomination.sessions_held = result.get("sessions_held")
        nomination.pre_score, nomination.post_score = result.get("pre_score"), result.get("post_score")
        nomination.completed = bool(result.get("completed"))
        nomination.certificate_code = result.get("certificate_code", "")
        nomination.save()
    invitation.results_received_at = message.row.received_at
    invitation.save(update_fields=["results_received_at", "updated_at"])


# --- the invited node: answering ---------------------------------------------------------------------------------


def invitation_list_for(user, *, open_only: bool = False) -> QuerySet[Invitation]:
    """Invitations from the other country: seen by those who may answer them (TRAINING_MANAGE) and by
    node-wide viewers of training."""
    if not (policy.has_permission(user, Permission.TRAINING_MANAGE)
            or policy.grants(user, Permission.TRAINING_VIEW).node_wide):  # fmt: skip
        return Invitation.objects.none()
    rows = Invitation.objects.all()
    return rows.filter(answer=Invitation.Answer.OPEN) if open_only else rows


def invitation_get_for(user, public_id) -> Invitation:
    key = as_uuid(public_id)
    found = invitation_list_for(user).filter(public_id=key).first() if key is not None else None
    if found is None:
        policy.deny(user, Permission.TRAINING_VIEW.value, object_type=INVITATION_OBJECT, object_id=str(public_id))
    return found


def _require_answer(actor, invitation: Invitation) -> None:
    if not policy.has_permission(actor, Permission.TRAINING_MANAGE):
        policy.deny(actor, Permission.TRAINING_MANAGE.value, object_type=INVITATION_OBJECT,
                    object_id=str(invitation.public_id))  # fmt: skip


def invitation_nominate(*, actor, invitation: Invitation, nominees: Iterable[dict],
                        now: dt.datetime | None = None) -> list[Nomination]:  # fmt: skip
    """Nominate people of this node's organisations for the other country's programme: each nominee is a dict
    of name, sex, designation and organisation (an Organisation). Sent as `training.nomination` (the
    minimum: name, sex, designation, organisation name). Refused, nothing sent: no one, a nominee without a
    name, sex, designation or organisation, more than the seats offered, a declined invitation."""
    from setu.core.enums import Gender

    _require_answer(actor, invitation)
    now = now or timezone.now()
    chosen = list(nominees)
    errors: list[str] = []
    if invitation.answer == Invitation.Answer.DECLINED:
        errors.append(_("This invitation was declined."))
    if not chosen:
        errors.append(_("Nominate at least one participant."))
    rows: list[tuple[str, str, str, Any]] = []
    for number, nominee in enumerate(chosen, start=1):
        name = " ".join(str(nominee.get("name") or "").split())
        designation = " ".join(str(nominee.get("designation") or "").split())
        organisation = nominee.get("organisation")
        if not name or not designation or nominee.get("sex") not in Gender.values:
            errors.append(_("Nominee %(n)s: enter the name, sex and designation.") % {"n": number})
        if not isinstance(organisation, Organisation) or not organisation.is_active:
            errors.append(_("Nominee %(n)s: choose the organisation.") % {"n": number})
        rows.append((name[:200], str(nominee.get("sex") or ""), designation[:200], organisation))
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("inbox__peer").get(pk=invitation.pk)
        )
        already = invitation.nominations.count()
        if invitation.seats is not None and already + len(rows) > invitation.seats:
            errors.append(_("%(seats)s seats are offered; %(already)s already nominated.")
                          % {"seats": invitation.seats, "already": already})  # fmt: skip
        if errors:
            raise ValidationError({"__all__": errors})
        created = [Nomination.objects.create(invitation=invitation, name=name, sex=sex, designation=designation,
                                             organisation=organisation, nominated_by=actor)
                   for name, sex, designation, organisation in rows]  # fmt: skip
        candidate = {"ref": str(invitation.ref), "nominees": [
            {"ref": str(n.public_id), "name": n.name, "sex": n.sex, "designation": n.designation,
             "organisation": n.organisation.name_en} for n in created]}  # fmt: skip
        peer = invitation.inbox.peer if invitation.inbox else Peer.objects.filter(code=invitation.from_node).first()
        if peer is None:
            raise ValidationError({"__all__": [_("The other country's node is not registered.")]})
        outbox_put(type=NOMINATION_TYPE, peer=peer, actor=actor, now=now, candidate=candidate,
                   legal_basis=NOMINATION_BASIS)  # fmt: skip
        _acted(invitation, actor, now, "nominated")
        invitation.answer, invitation.answered_at, invitation.answered_by = Invitation.Answer.NOMINATED, now, actor
        invitation.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
        audit_record(actor=actor, action="training.invitation_nominate", obj=invitation,
                     object_type=INVITATION_OBJECT, fields=["nominations"])  # fmt: skip
    return created


def invitation_decline(*, actor, invitation: Invitation, now: dt.datetime | None = None) -> Invitation:
    """Decline the other country's invitation; the host is told (message.status, acted: declined)."""
    _require_answer(actor, invitation)
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("inbox__peer").get(pk=invitation.pk)
        )
        if invitation.answer != Invitation.Answer.OPEN:
            raise ValidationError({"__all__": [_("This invitation has already been answered.")]})
        _acted(invitation, actor, now, "declined")
        invitation.answer, invitation.answered_at, invitation.answered_by = Invitation.Answer.DECLINED, now, actor
        invitation.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
        audit_record(actor=actor, action="training.invitation_decline", obj=invitation,
                     object_type=INVITATION_OBJECT, fields=["answer"])  # fmt: skip
    return invitation


def _acted(invitation: Invitation, actor, now: dt.datetime, outcome: str) -> None:
    """Tell the host what became of its invitation (the first answer only; later nominations go as they are)."""
    inbox = invitation.inbox
    if inbox is None or inbox.acted_at is not None:
        return
    InboxMessage.objects.filter(pk=inbox.pk).update(acted_at=now, acted_by=actor, outcome=outcome,
                                                    opened_at=inbox.opened_at or now)  # fmt: skip
    outbox_put(
        type="message.status",
        peer=inbox.peer,
        actor=actor,
        now=now,
        candidate={"of": str(inbox.message_id), "event": "acted", "at": isoformat(now), "outcome": outcome},
    )
