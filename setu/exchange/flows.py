"""The bilateral SOP steps as exchange messages: what each message does when it arrives, and the steps by
which people here send them (docs/exchange.md, "The bilateral flow").

The case lives on the node of the country where she was found (the destination) from rescue to handover;
the node of her own country (the origin) opens its case when a person there accepts the case notification,
and owns it after the transfer. On arrival a message is recorded on the case's timeline and becomes a task
for the role that answers it (ACTION_ROLE); nothing on the case changes until that person accepts it (or
rejects it with a reason), except a consent withdrawal, which is enforced at once. Each answer goes back to
the sender as a `message.status` (opened, acted), so the sender sees what became of what it sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import ROLE_LABELS, Permission, Role
from setu.audit.services import audit_record
from setu.cases import choices
from setu.cases.models import Case, Consent, Task
from setu.cases.services.common import record_event, require_work
from setu.cases.signals import consent_withdrawn
from setu.exchange.envelope import (
    EnvelopeError,
    isoformat,
    parse_time,
    public_key,
    stored_claims,
    unverified_header,
)
from setu.exchange.inbox import Incoming, RefusedError, handler
from setu.exchange.models import CaseLink, HandoverCertificate, InboxMessage, OutboxMessage, Peer
from setu.exchange.outbox import outbox_put, signer
from setu.geo.models import District, LocalLevel
from setu.people.models import Script

FOCAL_POINT = "focal_point"

# The role on this node that answers each incoming type ("" when it only informs).
ACTION_ROLE: dict[str, str] = {
    "case.notification": FOCAL_POINT,
    "verification.request": FOCAL_POINT,
    "verification.response": FOCAL_POINT,
    "repatriation.proposal": FOCAL_POINT,
    "repatriation.acceptance": FOCAL_POINT,
    "repatriation.rejection": FOCAL_POINT,
    "handover.schedule": FOCAL_POINT,
    "handover.certificate": FOCAL_POINT,
    "case.transfer": FOCAL_POINT,
    "consent.withdrawal": "caseworker",
    "followup.report": "",
    # Answered on /interceptions/alerts/ by the posts of the station it concerns, not by a role node-wide.
    "interception.alert": "",
    "message.status": "",
}

TYPE_LABELS = {
    "case.notification": gettext_noop("Case notification"),
    "verification.request": gettext_noop("Verification request"),
    "verification.response": gettext_noop("Verification response"),
    "repatriation.proposal": gettext_noop("Repatriation proposal"),
    "repatriation.acceptance": gettext_noop("Repatriation accepted"),
    "repatriation.rejection": gettext_noop("Repatriation rejected"),
    "handover.schedule": gettext_noop("Handover schedule"),
    "handover.certificate": gettext_noop("Handover certificate"),
    "case.transfer": gettext_noop("Case transfer"),
    "followup.report": gettext_noop("Follow-up report"),
    "consent.withdrawal": gettext_noop("Consent withdrawal"),
    "interception.alert": gettext_noop("Interception alert"),
    "message.status": gettext_noop("Message status"),
}

CERTIFICATE_TYP = "setu-certificate+jws"


def type_label(name: str) -> str:
    """The type's name in the active language."""
    return _(TYPE_LABELS[name]) if name in TYPE_LABELS else name


OUTCOMES = {
    "accepted": gettext_noop("accepted"),
    "rejected": gettext_noop("rejected"),
    "noted": gettext_noop("noted"),
    "done": gettext_noop("answered"),
}


def outcome_label(outcome: str) -> str:
    return _(OUTCOMES[outcome]) if outcome in OUTCOMES else outcome


def peer_name(code: str) -> str:
    return str(settings.SETU_NODE_NAMES.get(code, code))


# --- arriving -------------------------------------------------------------------------------------------------


def _case_of(message: Incoming) -> Case:
    """The local case a case-bound message is about; refused when there is none (yet)."""
    link = message.link
    if link is None or link.case_id is None:
        raise RefusedError("this node has no case for that reference (the case notification is not accepted)")
    assert link.case is not None  # noqa: S101 - checked just above, for the type checker
    return link.case


def _arrived(message: Incoming, case: Case | None) -> None:
    """Record a message on the timeline and, if someone must answer it, give that role a task."""
    row = message.row
    role = ACTION_ROLE.get(message.type, "")
    row.action_role = role
    if case is not None:
        record_event(case, "exchange", None, gettext_noop("%(type)s received from %(node)s"),
                     {"type": message.type, "node": message.peer.code}, at=row.received_at)  # fmt: skip
        if role:
            link = message.link
            organisation = (link.organisation if link and link.organisation_id else None) or case.organisation
            row.task = Task.objects.create(
                case=case, kind=choices.TaskKind.EXCHANGE, stage=message.type, role=role, organisation=organisation,
                title=f"{TYPE_LABELS[message.type]} from {message.peer.code}"[:300],
            )  # fmt: skip
    row.save(update_fields=["action_role", "task"])


@handler("case.notification")
def apply_notification(message: Incoming) -> None:
    """One of our nationals was identified on the other side: a bilateral case reference now exists here; a
    focal point accepts it (and opens our case) or rejects it."""
    if message.link is not None:
        raise RefusedError("a case with that reference is already known here")
    if message.payload["nationality"] != settings.SETU_NODE:
        raise RefusedError(f"she is not said to be a national of {settings.SETU_NODE}")
    message.link = CaseLink.objects.create(ref=message.claims["case_ref"], peer=message.peer,
                                           side=CaseLink.Side.ORIGIN)  # fmt: skip
    message.row.link = message.link
    _arrived(message, None)


@handler("verification.request")
@handler("verification.response")
@handler("repatriation.proposal")
@handler("repatriation.acceptance")
@handler("repatriation.rejection")
@handler("handover.schedule")
@handler("case.transfer")
def apply_for_answer(message: Incoming) -> None:
    """Messages a person here answers: recorded and given to the role that answers them."""
    link = message.link
    if link is None:
        raise RefusedError("no case with that reference here")
    if link.case_id is None and message.type != "verification.request":
        raise RefusedError("the case notification has not been accepted here yet")
    if message.type == "case.transfer" and link.side != CaseLink.Side.ORIGIN:
        raise RefusedError("only the origin country's node takes over a case")
    _arrived(message, link.case)


@handler("handover.certificate")
def apply_certificate(message: Incoming) -> None:
    """A handover certificate: signed by the other side (to countersign here), or countersigned (to confirm)."""
    case = _case_of(message)
    payload = message.payload
    problems = [f"{s['node']}: {s['problem']}" for s in verify_signatures(payload) if s["problem"]]
    if problems:
        raise RefusedError("the certificate's signatures do not verify: " + "; ".join(problems))
    if payload["certificate"]["case_ref"] != message.claims["case_ref"]:
        raise RefusedError("the certificate is for another case")
    assert message.link is not None  # noqa: S101 - _case_of checked it
    HandoverCertificate.objects.update_or_create(
        number=payload["certificate"]["number"],
        defaults={"link": message.link, "certificate": payload["certificate"], "signatures": payload["signatures"]},
    )
    _arrived(message, case)


@handler("followup.report")
def apply_followup_report(message: Incoming) -> None:
    """A reintegration follow-up visit reported by her country: on the case's timeline here."""
    case = _case_of(message)
    payload = message.payload
    record_event(case, "exchange", None,
                 gettext_noop("Follow-up visit on %(date)s reported by %(node)s: %(summary)s"),
                 {"date": payload["visited_on"], "node": message.peer.code, "summary": payload["summary"][:300]},
                 at=message.row.received_at)  # fmt: skip


@handler("consent.withdrawal")
def apply_consent_withdrawal(message: Incoming) -> None:
    """She withdrew consent on the other side: withdrawn here too, at once (DESIGN.md, "Privacy")."""
    from setu.cases.services import consent_withdraw

    case = _case_of(message)
    purpose = message.payload["purpose"]
    live = Consent.objects.filter(case=case, purpose=purpose, withdrawn_at__isnull=True).first()
    if live is not None:
        reason = message.payload.get("reason") or _("withdrawn on the other country's node")
        consent_withdraw(actor=None, consent=live, reason=str(reason), from_peer=message.peer.code,
                         now=parse_time(message.payload["withdrawn_at"]))  # fmt: skip
    _arrived(message, case)


@handler("message.status")
def apply_status(message: Incoming) -> None:
    """The peer opened, or acted on, a message we sent it."""
    payload = message.payload
    sent = OutboxMessage.objects.filter(pk=payload["of"], peer=message.peer).first()
    if sent is None:
        raise RefusedError("no message with that id was sent to you")
    at = parse_time(payload["at"])
    if payload["event"] == "opened":
        if sent.opened_at is None:
            sent.opened_at = at
            sent.save(update_fields=["opened_at"])
    else:
        sent.acted_at, sent.acted_outcome = at, str(payload.get("outcome", ""))[:300]
        sent.opened_at = sent.opened_at or at
        sent.save(update_fields=["acted_at", "acted_outcome", "opened_at"])


@receiver(consent_withdrawn)
def _send_consent_withdrawal(sender, consent: Consent, actor, **kwargs) -> None:
    """A consent withdrawn here goes to the other country's node in the same transaction."""
    link = CaseLink.objects.filter(case_id=consent.case_id, transferred_at__isnull=True).first()
    if link is None:
        return
    outbox_put(type="consent.withdrawal", link=link, actor=actor,
               candidate={"purpose": consent.purpose, "withdrawn_at": isoformat(consent.withdrawn_at or timezone.now()),
                          "reason": consent.withdrawn_reason})  # fmt: skip


# --- what people here see of received messages ----------------------------------------------------------------


def may_answer(user, row: InboxMessage) -> bool:
    if not row.action_role:
        return False
    link = row.link
    if link is None or link.case_id is None:
        return (
            any(m.role == row.action_role for m in policy.memberships(user))
            and policy.grants(user, Permission.CASE_OPEN).allowed
        )
    case = link.case
    assert case is not None  # noqa: S101
    return row.action_role in policy.roles_reaching(
        user, Permission.CASE_WORK, organisation_id=case.organisation_id, district_id=case.district_id
    )


def _may_see(user, row: InboxMessage) -> bool:
    link = row.link
    if link is not None and link.case_id is not None:
        from setu.cases.selectors import case_list_for

        return case_list_for(user).filter(pk=link.case_id).exists()
    return may_answer(user, row)


def awaiting(user) -> list[InboxMessage]:
    """Received messages waiting for an answer from this user (a role they hold reaches the case)."""
    roles = {m.role for m in policy.memberships(user)}
    rows = (
        InboxMessage.objects.filter(state=InboxMessage.State.APPLIED, acted_at__isnull=True, action_role__in=roles)
        .select_related("link__case__survivor", "peer")
        .order_by("received_at")
    )
    return [row for row in rows if may_answer(user, row)]


def received_get_for(user, message_id) -> InboxMessage:
    """A received message this user may see (by its message id), or the audited 404."""
    row = (
        InboxMessage.objects.select_related("link__case", "peer", "acted_by")
        .filter(message_id=message_id, state__in=[InboxMessage.State.APPLIED])
        .first()
    )
    if row is None or not _may_see(user, row):
        policy.deny(user, "exchange.message_view", object_type="exchange.message", object_id=str(message_id))
    assert row is not None  # noqa: S101 - deny raised otherwise
    return row


def claims_of(row: InboxMessage | OutboxMessage) -> dict:
    """The envelope of a stored message (verified when it arrived, or signed here)."""
    return stored_claims(row.token)


def exchange_for_case(case: Case) -> dict:
    """What went to and came from the other country about this case, in time order."""
    link = CaseLink.objects.filter(case=case).select_related("peer").first()
    if link is None:
        return {"link": None, "sent": [], "received": [], "certificates": []}
    return {
        "link": link,
        "sent": list(link.sent.exclude(type="message.status").order_by("id")),
        "received": list(link.received.exclude(type="message.status").order_by("received_at", "id")),
        "certificates": list(link.certificates.all()),
    }


def mark_opened(user, row: InboxMessage) -> None:
    """The first time someone who may answer it opens a message, the sender is told."""
    if row.opened_at is not None or not may_answer(user, row):
        return
    now = timezone.now()
    with transaction.atomic():
        updated = InboxMessage.objects.filter(pk=row.pk, opened_at__isnull=True).update(opened_at=now)
        if updated:
            row.opened_at = now
            _status(row, "opened", "", user, now)


def _status(row: InboxMessage, event: str, outcome: str, actor, now: dt.datetime) -> None:
    outbox_put(type="message.status", peer=row.peer, actor=actor,
               candidate={"of": str(row.message_id), "event": event, "at": isoformat(now),
                          "outcome": outcome[:200]})  # fmt: skip


def _acted(row: InboxMessage, actor, outcome: str, reason: str, now: dt.datetime) -> None:
    row.acted_at, row.acted_by, row.outcome, row.outcome_reason = now, actor, outcome, reason[:300]
    row.opened_at = row.opened_at or now
    row.save(update_fields=["acted_at", "acted_by", "outcome", "outcome_reason", "opened_at"])
    if row.task_id:
        Task.objects.filter(pk=row.task_id, done_at__isnull=True).update(done_at=now)
    # Only a refusal's reason goes back (it is written for the other country); an acceptance's note may hold
    # her own view, which stays here.
    _status(row, "acted", f"{outcome}: {reason}" if outcome == "rejected" else outcome, actor, now)
    audit_record(actor=actor, action=f"exchange.{outcome}", object_type="exchange.message",
                 object_id=str(row.message_id), fields=[row.type])  # fmt: skip


def _lock_unanswered(user, row: InboxMessage) -> InboxMessage:
    if not may_answer(user, row):
        policy.deny(user, "exchange.answer", object_type="exchange.message", object_id=str(row.message_id))
    row = InboxMessage.objects.select_for_update(of=("self",)).select_related("link__case", "peer").get(pk=row.pk)
    if row.acted_at is not None:
        raise ValidationError({"__all__": [_("This message has already been answered.")]})
    return row


def received_reject(*, actor, row: InboxMessage, reason: str) -> InboxMessage:
    """Refuse what a message asks, with the reason (the sender sees it). A repatriation proposal refused
    here is answered with a repatriation rejection."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why: the other country sees the reason.")]})
    now = timezone.now()
    with transaction.atomic():
        row = _lock_unanswered(actor, row)
        if row.type == "repatriation.proposal":
            outbox_put(type="repatriation.rejection", link=row.link, actor=actor,
                       candidate={"proposal": str(row.message_id), "reason": reason.strip()})  # fmt: skip
        if row.link and row.link.case:
            record_event(row.link.case, "exchange", actor, gettext_noop("%(type)s from %(node)s rejected: %(reason)s"),
                         {"type": row.type, "node": row.peer.code, "reason": reason.strip()}, at=now)  # fmt: skip
        _acted(row, actor, "rejected", reason.strip(), now)
    return row


@dataclass
class Acceptance:
    """What a person fills in when accepting a message (only the parts its type needs)."""

    organisation: Organisation | None = None  # case.notification: the organisation that takes the case
    district: District | None = None  # case.notification: where she is from (the case's district here)
    note: str = ""
    receiving_officer: str = ""  # repatriation.proposal


def received_accept(*, actor, row: InboxMessage, answer: Acceptance) -> InboxMessage:
    """Accept what a message asks: each type's effect on the case, then the sender is told."""
    now = timezone.now()
    with transaction.atomic():
        row = _lock_unanswered(actor, row)
        claims = claims_of(row)
        effect = {
            "case.notification": _accept_notification,
            "verification.response": _accept_verification_response,
            "repatriation.proposal": _accept_proposal,
            "handover.certificate": _accept_certificate,
            "case.transfer": _accept_transfer,
        }.get(row.type)
        outcome = "accepted" if effect else "noted"
        if effect is not None:
            effect(actor, row, claims, answer, now)
        _acted(row, actor, outcome, answer.note.strip(), now)
    return row


def _accept_notification(actor, row: InboxMessage, claims: dict, answer: Acceptance, now: dt.datetime) -> None:
    """Open our case for her, from what the notification carried, and join it to the bilateral reference."""
    from setu.cases.services import case_follow_peer, case_open, consent_give
    from setu.people.services import person_create

    payload = claims["payload"]
    if answer.organisation is None or answer.district is None:
        raise ValidationError({"organisation": [_("Choose the organisation that takes the case and her district.")]})
    names = [payload.get("given_name", ""), payload.get("family_name", "")]
    full_name = " ".join(n for n in names if n) or payload.get("name_native") or _("Not yet known")
    birth, age = payload.get("birth_date"), payload.get("age_years")
    # Her municipality, if the gazetteer knows it in her district; a ward means nothing without it.
    local_level = LocalLevel.objects.filter(district=answer.district,
                                            name_en__iexact=payload.get("home_local_level") or "-").first()  # fmt: skip
    survivor = person_create(
        actor=actor, organisation=answer.organisation, full_name=full_name, given_name=payload.get("given_name", ""),
        family_name=payload.get("family_name", ""), gender=payload["gender"], nationality=payload["nationality"],
        location_district=answer.district, home_district=answer.district,
        birth_date=dt.date.fromisoformat(birth) if birth else None,
        birth_precision="exact" if birth else ("estimated" if age is not None else "unknown"),
        age_estimate=None if birth else age, age_estimated_on=None if birth or age is None else now.date(),
        home_local_level=local_level, home_ward=payload.get("home_ward") if local_level else None,
        phones=[payload["phone"]] if payload.get("phone") else [],
        aliases=[n for n in [payload.get("name_native", ""), *payload.get("other_names", [])] if n],
    )  # fmt: skip
    identified = dt.datetime.combine(dt.date.fromisoformat(payload["identified_on"]), dt.time(12), tzinfo=dt.UTC)
    case = case_open(
        actor=actor, survivor=survivor, district=answer.district, organisation=answer.organisation,
        identified_at=min(identified, now), path=choices.CasePath.CROSS_BORDER,
        age_at_identification=payload.get("age_years") if payload.get("age_years") is not None
        else (16 if payload["is_minor"] else 18),
        exploitation_country=claims["from"], summary=payload.get("note", ""), now=now,
    )  # fmt: skip
    link = CaseLink.objects.select_for_update().get(ref=row.case_ref, peer=row.peer)
    link.case, link.organisation = case, answer.organisation
    link.save(update_fields=["case", "organisation", "updated_at"])
    if not claims["legal_basis"].startswith("none"):
        # Her consent (or the legal basis) to sharing between the two countries, as the other side recorded it.
        basis = f"{claims['legal_basis']} (case notification {row.message_id} from {claims['from']})"
        consent_give(actor=actor, case=case, purpose=choices.ConsentPurpose.SHARING,
                     given_by=choices.ConsentGiver.LEGAL_BASIS, legal_basis=basis[:300], now=now)  # fmt: skip
    case_follow_peer(actor=actor, case=case, stage="verification", counterpart_reference=str(row.message_id),
                     reason=_("Opened on %(node)s's case notification %(ref)s")
                     % {"node": peer_name(claims["from"]), "ref": link.ref}, now=now)  # fmt: skip
    # Messages about her that came before the notification was accepted become tasks now.
    for earlier in InboxMessage.objects.filter(link=link, acted_at__isnull=True).exclude(pk=row.pk):
        if earlier.action_role and earlier.task_id is None:
            earlier.task = Task.objects.create(case=case, kind=choices.TaskKind.EXCHANGE, stage=earlier.type,
                                               role=earlier.action_role, organisation=answer.organisation,
                                               title=f"{TYPE_LABELS[earlier.type]} from {claims['from']}")  # fmt: skip
            earlier.save(update_fields=["task"])


def _accept_verification_response(actor, row, claims, answer, now) -> None:
    """Her country's findings become our nationality verification decision; confirmed, the case moves on."""
    from setu.cases.services import case_act, decision_record

    case = row.link.case
    p = claims["payload"]
    confirmed = bool(p["identity_confirmed"] and p["nationality_confirmed"])
    findings = [
        _("identity confirmed") if p["identity_confirmed"] else _("identity not confirmed"),
        _("nationality confirmed") if p["nationality_confirmed"] else _("nationality not confirmed"),
    ]
    if p.get("family_traced") is not None:
        findings.append(_("family traced") if p["family_traced"] else _("family not traced"))
    if p.get("safe_to_return") is not None:
        findings.append(_("safe to return") if p["safe_to_return"] else _("not safe to return"))
    decision_record(
        actor=actor, case=case, kind=choices.DecisionKind.NATIONALITY_VERIFICATION, favourable=confirmed,
        outcome="; ".join(findings)[:300], decider_name=f"{p.get('decided_by') or peer_name(claims['from'])}"[:200],
        decided_on=min(dt.date.fromisoformat(p["decided_on"]), timezone.localdate()),
        basis=_("Verification response %(id)s from %(node)s. %(study)s")
        % {"id": row.message_id, "node": peer_name(claims["from"]), "study": p.get("home_study", "")},
        survivor_view=answer.note.strip() or _("Not recorded with the verification."),
    )  # fmt: skip
    if confirmed:
        case_act(actor=actor, case=case, action="verification_confirmed", revision=None,
                 reason=_("Verified by %(node)s") % {"node": peer_name(claims["from"])},
                 counterpart_reference=str(row.message_id))  # fmt: skip


def _accept_proposal(actor, row, claims, answer, now) -> None:
    outbox_put(type="repatriation.acceptance", link=row.link, actor=actor,
               candidate={"proposal": str(row.message_id), "receiving_officer": answer.receiving_officer})  # fmt: skip


def _accept_certificate(actor, row, claims, answer, now) -> None:
    """Signed by the other side: countersign and send it back, and our case follows to reintegration.
    Countersigned: the handover is confirmed on our case."""
    from setu.cases.services import case_act, case_follow_peer

    certificate = HandoverCertificate.objects.select_for_update().get(number=claims["payload"]["certificate"]["number"])
    case = row.link.case
    nodes = {s["node"] for s in certificate.signatures}
    if settings.SETU_NODE not in nodes:
        certificate.signatures = [*certificate.signatures, _signature(certificate.certificate, actor, now)]
        certificate.save(update_fields=["signatures", "updated_at"])
        outbox_put(type="handover.certificate", link=row.link, actor=actor,
                   candidate={"certificate": certificate.certificate,
                              "signatures": certificate.signatures})  # fmt: skip
        if case.stage != "reintegration":
            case_follow_peer(actor=actor, case=case, stage="reintegration", counterpart_reference=certificate.number,
                             reason=_("Received at the border: handover certificate %(number)s countersigned")
                             % {"number": certificate.number}, now=now)  # fmt: skip
    else:
        case_act(actor=actor, case=case, action="handover_confirmed", revision=None,
                 reason=_("Handover certificate %(number)s signed by both countries") % {"number": certificate.number},
                 counterpart_reference=certificate.number)  # fmt: skip


def _accept_transfer(actor, row, claims, answer, now) -> None:
    record_event(row.link.case, "exchange", actor,
                 gettext_noop("The case is now this country's: %(node)s transferred it"),
                 {"node": claims["from"]}, at=now)  # fmt: skip


# --- sending (the steps people here take) ---------------------------------------------------------------------


def _link_of(case: Case) -> CaseLink:
    link = CaseLink.objects.filter(case=case).select_related("peer").first()
    if link is None:
        raise ValidationError({"__all__": [_("This case is not shared with the other country.")]})
    if link.transferred_at is not None:
        raise ValidationError({"__all__": [_("This case was transferred: what was sent is kept, read-only.")]})
    return link


@dataclass(frozen=True)
class StepRule:
    """Who may take a bilateral step, on which node's side of the case and in which stages (`refusal` says
    so when the side or stage is wrong). The pages list a step where its side and stages fit."""

    roles: frozenset[str]
    side: str
    stages: tuple[str, ...]
    refusal: str


STEP_RULES = {
    "verification-response": StepRule(
        frozenset({FOCAL_POINT, "police_officer", "local_government_officer"}), CaseLink.Side.ORIGIN,
        ("verification",), gettext_noop("Her country's node answers the verification, at verification.")),
    "proposal": StepRule(
        frozenset({FOCAL_POINT, "cwc_member"}), CaseLink.Side.DESTINATION, ("repatriation_decision",),
        gettext_noop("A repatriation is proposed by the country she is in, at the repatriation decision.")),
    "schedule": StepRule(
        frozenset({FOCAL_POINT, "police_officer"}), CaseLink.Side.DESTINATION, ("repatriation_decision", "handover"),
        gettext_noop("The handover is scheduled by the country she is in, once repatriation is decided.")),
    "certificate": StepRule(
        frozenset({FOCAL_POINT, "police_officer"}), CaseLink.Side.DESTINATION, ("handover",),
        gettext_noop("The certificate is signed at the handover stage by the country handing her over.")),
    "transfer": StepRule(
        frozenset({FOCAL_POINT}), CaseLink.Side.DESTINATION, ("reintegration",),
        gettext_noop("The case is transferred once the handover is confirmed.")),
    "followup": StepRule(
        frozenset({FOCAL_POINT, "caseworker", "local_government_officer"}), CaseLink.Side.ORIGIN, ("reintegration",),
        gettext_noop("Follow-up visits are reported by her country's node, in reintegration.")),
}  # fmt: skip


def _step_link(actor, case: Case, step: str) -> CaseLink:
    """The case's link for a bilateral step this user may take now; refused with the reason otherwise."""
    rule = STEP_RULES[step]
    require_work(actor, case)
    held = policy.roles_reaching(actor, Permission.CASE_WORK, organisation_id=case.organisation_id,
                                 district_id=case.district_id)  # fmt: skip
    if not held & rule.roles:
        names = " / ".join(sorted(_(ROLE_LABELS[Role(r)]).lower() for r in rule.roles))
        raise ValidationError({"__all__": [_("Only a %(roles)s sends this to the other country.")
                                           % {"roles": names}]})  # fmt: skip
    link = _link_of(case)
    if link.side != rule.side or case.stage not in rule.stages:
        raise ValidationError({"__all__": [_(rule.refusal)]})
    return link


def _done(message: OutboxMessage, case: Case, actor) -> OutboxMessage:
    record_event(case, "exchange", actor, gettext_noop("%(type)s sent to %(node)s"),
                 {"type": message.type, "node": message.peer.code}, at=message.created_at)  # fmt: skip
    return message


def notify_origin(*, actor, case: Case, checks: list[str], reply_by: dt.date | None = None, note: str = "",
                  now: dt.datetime | None = None) -> CaseLink:  # fmt: skip
    """Tell her country's node she has been identified here, and ask it to verify. The case moves to
    verification (the SOP's requirements apply: decisions and her consent to sharing)."""
    from setu.cases.services import case_act

    now = now or timezone.now()
    require_work(actor, case)
    survivor = case.survivor
    peer = Peer.objects.filter(code=survivor.nationality, is_active=True).first()
    if peer is None:
        raise ValidationError({"__all__": [_("No node of her country (%(code)s) is registered: an administrator "
                                             "adds it first.") % {"code": survivor.nationality or "?"}]})  # fmt: skip
    if CaseLink.objects.filter(case=case).exists():
        raise ValidationError({"__all__": [_("Her country's node has already been told of this case.")]})
    with transaction.atomic():
        if case.stage != "verification":
            case = case_act(
                actor=actor,
                case=case,
                action="request_verification",
                revision=None,
                reason=_("Verification asked of %(node)s") % {"node": peer_name(peer.code)},
                now=now,
            )
        link = CaseLink.objects.create(ref=case.number, peer=peer, case=case, side=CaseLink.Side.DESTINATION,
                                       organisation=policy.primary_organisation(actor))  # fmt: skip
        latin = survivor.name_script == Script.LATIN
        name = survivor.full_name if latin else ""
        candidate = {
            "case_number": case.number, "nationality": survivor.nationality, "gender": survivor.gender,
            "is_minor": case.is_minor, "age_years": case.age_at_identification,
            "identified_on": case.identified_at.date().isoformat(), "stage": case.stage,
            "found_in_district": case.district.name_en, "organisation": case.organisation.name_en,
            "exploitation_types": list(case.exploitation_types), "note": note,
            "given_name": survivor.given_name or name, "family_name": survivor.family_name,
            "name_native": "" if latin else survivor.full_name,
            "birth_date": survivor.birth_date.isoformat() if survivor.birth_date else None,
            "home_district": survivor.home_district.name_en if survivor.home_district else "",
            "home_local_level": survivor.home_local_level.name_en if survivor.home_local_level else "",
            "home_ward": survivor.home_ward,
            "phone": next(iter(survivor.phones.values_list("number", flat=True)), ""),
        }  # fmt: skip
        _done(outbox_put(type="case.notification", link=link, candidate=candidate, actor=actor, now=now), case, actor)
        _done(outbox_put(type="verification.request", link=link, actor=actor, now=now,
                         candidate={"checks": checks, "reply_by": reply_by.isoformat() if reply_by else None,
                                    "note": note}), case, actor)  # fmt: skip
    return link


def respond_verification(*, actor, case: Case, identity_confirmed: bool, nationality_confirmed: bool,
                         family_traced: bool | None, family_willing: bool | None, safe_to_return: bool | None,
                         home_study: str, note: str = "") -> OutboxMessage:  # fmt: skip
    """Send our findings; confirmed, they are also our own nationality verification decision and our case
    moves on to the repatriation decision."""
    from setu.cases.services import case_act, decision_record

    link = _step_link(actor, case, "verification-response")
    confirmed = identity_confirmed and nationality_confirmed
    with transaction.atomic():
        message = outbox_put(type="verification.response", link=link, actor=actor, candidate={
            "identity_confirmed": identity_confirmed, "nationality_confirmed": nationality_confirmed,
            "family_traced": family_traced, "family_willing": family_willing, "safe_to_return": safe_to_return,
            "home_study": home_study, "decided_on": timezone.localdate().isoformat(),
            "decided_by": str(policy.primary_organisation(actor) or ""), "note": note,
        })  # fmt: skip
        decision_record(
            actor=actor, case=case, kind=choices.DecisionKind.NATIONALITY_VERIFICATION, favourable=confirmed,
            outcome=_("confirmed") if confirmed else _("not confirmed"),
            decider_name=actor.get_full_name(),
            decided_on=timezone.localdate(), basis=home_study or note or _("Verification for the other country"),
            survivor_view=note or _("Not recorded with the verification."),
        )  # fmt: skip
        if confirmed and case.stage == "verification":
            case_act(actor=actor, case=case, action="verification_confirmed", revision=None,
                     reason=_("Verified here and answered"), counterpart_reference=str(message.pk))  # fmt: skip
        for row in InboxMessage.objects.filter(link=link, type="verification.request", acted_at__isnull=True):
            _acted(row, actor, "done", "", timezone.now())
    return _done(message, case, actor)


def propose_repatriation(*, actor, case: Case, proposed_on: dt.date, border_point: str, escort: str = "",
                         note: str = "") -> OutboxMessage:  # fmt: skip
    link = _step_link(actor, case, "proposal")
    with transaction.atomic():
        message = outbox_put(
            type="repatriation.proposal",
            link=link,
            actor=actor,
            candidate={
                "proposed_on": proposed_on.isoformat(),
                "border_point": border_point,
                "escort": escort,
                "note": note,
            },
        )
        return _done(message, case, actor)


def schedule_handover(*, actor, case: Case, at: dt.datetime, border_point: str, escort: str = "",
                      note: str = "") -> OutboxMessage:  # fmt: skip
    link = _step_link(actor, case, "schedule")
    with transaction.atomic():
        message = outbox_put(
            type="handover.schedule",
            link=link,
            actor=actor,
            candidate={"at": isoformat(at), "border_point": border_point, "escort": escort, "note": note},
        )
        return _done(message, case, actor)


def sign_handover(*, actor, case: Case, handed_over_at: dt.datetime, border_point: str, belongings: str = "",
                  documents: str = "") -> HandoverCertificate:  # fmt: skip
    """Our officer signs the handover certificate and sends it for the other side's countersignature."""
    link = _step_link(actor, case, "certificate")
    now = timezone.now()
    with transaction.atomic():
        number = f"{link.ref}-H{link.certificates.count() + 1}"
        certificate = {
            "number": number, "case_ref": link.ref, "handed_over_at": isoformat(handed_over_at),
            "border_point": border_point, "survivor": case.survivor.full_name, "belongings": belongings,
            "documents": documents,
        }  # fmt: skip
        record = HandoverCertificate.objects.create(link=link, number=number, certificate=certificate,
                                                    signatures=[_signature(certificate, actor, now)])  # fmt: skip
        _done(outbox_put(type="handover.certificate", link=link, actor=actor,
                         candidate={"certificate": certificate, "signatures": record.signatures}),
              case, actor)  # fmt: skip
    return record


def transfer_to_origin(*, actor, case: Case, care_summary: str, needs: list[str], note: str = "") -> OutboxMessage:
    """The case goes to her country's node; ours is closed and keeps, read-only, what was sent."""
    from setu.cases.services import case_follow_peer

    link = _step_link(actor, case, "transfer")
    now = timezone.now()
    with transaction.atomic():
        message = outbox_put(
            type="case.transfer",
            link=link,
            actor=actor,
            candidate={
                "transferred_on": now.date().isoformat(),
                "care_summary": care_summary,
                "needs": needs,
                "note": note,
            },
        )
        _done(message, case, actor)
        CaseLink.objects.filter(pk=link.pk).update(transferred_at=now)
        case_follow_peer(actor=actor, case=case, stage="closed", closure_reason=choices.ClosureReason.REPATRIATED,
                         counterpart_reference=str(message.pk),
                         reason=_("Transferred to %(node)s") % {"node": peer_name(link.peer.code)},
                         now=now)  # fmt: skip
    return message


def report_followup(*, actor, case: Case, visited_on: dt.date, summary: str,
                    next_visit_on: dt.date | None = None) -> OutboxMessage:  # fmt: skip
    link = _step_link(actor, case, "followup")
    with transaction.atomic():
        message = outbox_put(
            type="followup.report",
            link=link,
            actor=actor,
            candidate={
                "visited_on": visited_on.isoformat(),
                "summary": summary,
                "next_visit_on": next_visit_on.isoformat() if next_visit_on else None,
            },
        )
        return _done(message, case, actor)


# --- handover certificate signatures --------------------------------------------------------------------------


def _signature(certificate: dict, actor, now: dt.datetime) -> dict:
    office = str(policy.primary_organisation(actor) or "")
    officer = actor.get_full_name()
    claims = {"certificate": certificate, "node": settings.SETU_NODE, "officer": officer, "office": office,
              "signed_at": isoformat(now)}  # fmt: skip
    return {"node": settings.SETU_NODE, "officer": officer, "office": office, "signed_at": isoformat(now),
            "jws": signer().sign(claims, CERTIFICATE_TYP)}  # fmt: skip


def verify_signatures(document: dict) -> list[dict]:
    """Each signature of a certificate, checked: by a key of the node it names (ours, or the peer's
    registered keys), over this very certificate and the officer, office and time shown with it. `problem`
    is "" when it verifies, else the reason in the active language; `note` says when the key has since been
    retired (the certificate is evidence of what was signed then, so it still verifies, with that note)."""
    from setu.exchange.envelope import verified_claims
    from setu.exchange.keys import node_keys

    results = []
    for entry in document.get("signatures", []):
        problem, note = "", ""
        try:
            kid = unverified_header(entry["jws"])["kid"]
            if entry["node"] == settings.SETU_NODE:
                states = {info.kid: info for info in node_keys().listing()}
                info = states.get(kid)
                state, x = (info.state, info.jwk["x"]) if info else ("", "")
            else:
                peer_key = Peer.objects.get(code=entry["node"]).keys.filter(kid=kid).first()
                state, x = (peer_key.state, peer_key.x) if peer_key else ("", "")
            if not x:
                problem = _("not signed with a key of that country's node")
            else:
                claims = verified_claims(entry["jws"], public_key(x), CERTIFICATE_TYP)
                signed = {k: claims.get(k) for k in ("certificate", "node", "officer", "office", "signed_at")}
                shown = {"certificate": document["certificate"], **{k: entry.get(k) for k in list(signed)[1:]}}
                if signed != shown:
                    problem = _("the signature is over another text, officer, office or time")
                elif state == "retired":
                    note = _("signed with a key since retired: it verified when the key was in use")
        except EnvelopeError:
            problem = _("the signature does not verify")
        except (KeyError, TypeError, Peer.DoesNotExist):
            problem = _("malformed signature")
        results.append({**entry, "problem": problem, "note": note})
    return results
