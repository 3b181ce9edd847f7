"""Matching across the border, privately (docs/tracing.md, "Across the border"; docs/exchange.md 12.14).

1. **Alert** (`alert_send`, type `tracing.alert`): an officer of the node holding a missing-person report
   sends the other node what its matcher needs, with the legal basis recorded: the skeletons of her names
   and her parents' given names, sex, the dates she may have been born on, home as gazetteer ids, the
   family phone's digits. Not her name as written, not the reporter, the story, photos or the report's
   number: the alert has a reference of its own.
2. **Candidates** (`tracing.candidates`): the receiving node matches the features against its own found
   persons (survivors with a case, people stopped at the border) and answers at once with summaries that
   name nobody: a reference of the candidate's own, the chance, what agreed field by field, sex, age band,
   found as, found in which district, when. Always answered, also with none.
3. **Inquiry** (`tracing.inquiry`): an officer of the alerting node reviews a summary and asks.
4. **Reveal** (`tracing.reveal`): an officer of the holding node checks her own record against the alert
   and confirms (or declines, with why). Only then does her identity cross, and the alerting node, whose
   officer asked already, answers with the report's: both officers have confirmed.

Every step is a service with its access check and audit row, and every message goes through the outbox in
the transaction of the change that caused it. Handlers apply what arrives in the inbox's transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.dates import age_on
from setu.exchange.inbox import Incoming, RefusedError, handler
from setu.exchange.models import Peer
from setu.exchange.outbox import outbox_put
from setu.interceptions.models import InterceptedPerson, age_band
from setu.people.models import Person
from setu.tracing import explain, matching, selectors
from setu.tracing.linkage.features import Features
from setu.tracing.models import (
    AlertReceived,
    AlertSent,
    BorderStatus,
    ForeignCandidate,
    LocalCandidate,
    MissingReport,
    Status,
)

log = logging.getLogger(__name__)

ALERT, CANDIDATES, INQUIRY, REVEAL = "tracing.alert", "tracing.candidates", "tracing.inquiry", "tracing.reveal"
ANSWERED = 5  # candidates a node answers an alert with, at most
OBJECT_TYPE = "tracing.alert"
# The basis on which identities cross once officers of both nodes confirmed a candidate.
BOTH_CONFIRMED = "officers of both nodes confirmed the match; tracing and family reunification of a missing person"


def _peer_for(code: str) -> Peer | None:
    return Peer.objects.filter(code=code, is_active=True).first()


def peers() -> QuerySet[Peer]:
    """The other nodes an alert can go to."""
    return Peer.objects.filter(is_active=True).exclude(code=settings.SETU_NODE).order_by("code")


# --- 1. the alert --------------------------------------------------------------------------------------------


def alert_send(*, actor, report: MissingReport, legal_basis: str, peer_code: str,
               now: dt.datetime | None = None) -> AlertSent:  # fmt: skip
    """Send the other node a missing-person alert for an open report (who records the report may)."""
    if not selectors.report_can_record(actor, report):
        policy.deny(actor, "tracing.alert_send", object_type=selectors.REPORT_OBJECT_TYPE,
                    object_id=str(report.public_id))  # fmt: skip
    now = now or timezone.now()
    legal_basis = (legal_basis or "").strip()
    peer = _peer_for(peer_code)
    errors: dict[str, list[str]] = {}
    if report.status != Status.OPEN:
        errors["__all__"] = [_("Only an open report is alerted: she is no longer missing.")]
    if not legal_basis:
        errors["legal_basis"] = [_("Record the legal basis for sharing her details with the other country "
                                   "(e.g. her mother's consent for tracing, a police request).")]  # fmt: skip
    elif len(legal_basis) > 300:
        errors["legal_basis"] = [_("At most %(limit)s characters.") % {"limit": 300}]
    if peer is None:
        errors["peer"] = [_("The other country's node is not registered: an administrator adds it first.")]
    elif AlertSent.objects.filter(report=report, peer=peer).exists():
        errors["peer"] = [_("This report was already alerted to %(node)s.") % {"node": peer.code}]
    if errors:
        raise ValidationError(errors)
    assert peer is not None  # noqa: S101 - checked above
    person = report.person
    features = {k: v for k, v in dataclasses.asdict(matching.features_of(person)).items() if k != "record_id"}
    age = age_on(person.birth_date, report.reported_on) if person.birth_date else person.age_estimate
    alert_ref = uuid.uuid4()
    candidate = {"alert_ref": str(alert_ref), "reported_on": report.reported_on.isoformat(), "features": features,
                 "sex": person.gender, "age_band": age_band(age)}  # fmt: skip
    with transaction.atomic():
        message = outbox_put(type=ALERT, peer=peer, candidate=candidate, actor=actor, now=now, legal_basis=legal_basis)
        alert = AlertSent.objects.create(report=report, peer=peer, alert_ref=alert_ref, message=message,
                                         legal_basis=legal_basis, sent_by=actor)  # fmt: skip
        audit_record(actor=actor, action="tracing.alert_send", obj=report, organisation=report.organisation,
                     fields=["features", "legal_basis"])  # fmt: skip
    return alert


# --- 2. matching an alert here, and the answer ---------------------------------------------------------------------


@handler(ALERT)
def apply_alert(message: Incoming) -> None:
    """Keep the alert as it came, match it against our found persons and answer (in this transaction)."""
    payload = message.payload
    features = {name: payload["features"].get(name) for name in Features.__dataclass_fields__ if name != "record_id"}
    alert = AlertReceived.objects.create(
        inbox=message.row, from_node=message.peer.code, alert_ref=payload["alert_ref"],
        reported_on=dt.date.fromisoformat(payload["reported_on"]), sex=payload.get("sex", ""),
        age_band=payload.get("age_band", ""), features=features,
    )  # fmt: skip
    try:
        with transaction.atomic():
            answer(alert)
    except Exception:  # noqa: BLE001 - the alert is kept; the sweep answers it
        log.exception("matching the alert %s failed; the sweep answers it later", alert.alert_ref)


def _summary(person: Person) -> dict:
    """What the other node learns of a candidate before anyone confirms her: nothing that names her."""
    case = person.cases.select_related("district").order_by("-identified_at").first()
    interception = (InterceptedPerson.objects.filter(person=person).select_related("interception__district")
                    .order_by("-interception__intercepted_at").first())  # fmt: skip
    summary: dict = {"sex": person.gender}
    recorded_on: dt.date | None = None
    if case is not None:
        summary |= {"found_as": "rescued", "found_in": case.district.name_en}
        recorded_on = case.identified_at.date()
    elif interception is not None:
        summary |= {"found_as": "intercepted", "found_in": interception.interception.district.name_en}
        recorded_on = interception.interception.intercepted_at.date()
    age = age_on(person.birth_date, recorded_on or timezone.localdate()) if person.birth_date else person.age_estimate
    summary["age_band"] = age_band(age)
    if recorded_on:
        summary["recorded_on"] = recorded_on.isoformat()
    return summary


def answer(alert: AlertReceived) -> list[LocalCandidate]:
    """Match an alert received against our found persons and send the candidates' summaries back."""
    features = Features(record_id="alert", **alert.features)
    found = matching.candidates(features, among=matching.FOUND, limit=ANSWERED)
    rows = [LocalCandidate.objects.create(alert=alert, person_id=scored.person_id, candidate_ref=uuid.uuid4(),
                                          probability=scored.probability,
                                          explanation=[dataclasses.asdict(c) for c in scored.explanation if c.level])
            for scored in found]  # fmt: skip
    candidates = [{"candidate_ref": str(row.candidate_ref), "probability": round(row.probability, 6),
                   "explanation": row.explanation, **_summary(row.person)} for row in rows]  # fmt: skip
    peer = _peer_for(alert.from_node)
    if peer is None:
        raise RefusedError(f"no active peer {alert.from_node} to answer")
    outbox_put(type=CANDIDATES, peer=peer, candidate={"alert_ref": str(alert.alert_ref), "candidates": candidates})
    alert.answered_at = timezone.now()
    alert.save(update_fields=["answered_at", "updated_at"])
    return rows


def answer_waiting() -> int:
    """Answer the alerts whose matching failed when they came (the sweep calls this)."""
    done = 0
    for alert in AlertReceived.objects.filter(answered_at__isnull=True).order_by("id")[:50]:
        with transaction.atomic():
            answer(alert)
        done += 1
    return done


@handler(CANDIDATES)
def apply_candidates(message: Incoming) -> None:
    payload = message.payload
    alert = AlertSent.objects.filter(alert_ref=payload["alert_ref"], peer=message.peer).first()
    if alert is None:
        raise RefusedError("no alert of ours has this reference")
    for item in payload["candidates"]:
        summary = {k: item[k] for k in ("sex", "age_band", "found_as", "found_in", "recorded_on") if k in item}
        ForeignCandidate.objects.update_or_create(
            alert=alert, candidate_ref=item["candidate_ref"],
            defaults={"probability": item["probability"], "explanation": item["explanation"], "summary": summary},
        )  # fmt: skip
    alert.answered_at = timezone.now()
    alert.save(update_fields=["answered_at", "updated_at"])


# --- 3. asking about a candidate (the alerting node) ---------------------------------------------------------------


def foreign_can_review(user, candidate: ForeignCandidate) -> bool:
    """A reviewer whose MATCH_REVIEW grant reaches the report."""
    scope = selectors.report_scope(user, Permission.MATCH_REVIEW)
    return scope is not None and MissingReport.objects.filter(scope, pk=candidate.alert.report_id).exists()


def _require(allowed: bool, actor, action: str, public_id) -> None:
    if not allowed:
        policy.deny(actor, action, object_type=OBJECT_TYPE, object_id=str(public_id))


def _reason(reason: str, *, needed: bool = True) -> str:
    reason = (reason or "").strip()
    if needed and not reason:
        raise ValidationError({"reason": [_("Say why: what you checked and what you found.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("At most %(limit)s characters.") % {"limit": 2000}]})
    return reason


def _decide(row, status: str, actor, reason: str, now: dt.datetime, *, expected: str) -> None:
    if row.status != expected:
        raise ValidationError({"__all__": [_("This candidate was already decided: %(status)s.")
                                           % {"status": BorderStatus(row.status).label}]})  # fmt: skip
    row.status, row.decided_by, row.decided_at, row.reason = status, actor, now, reason
    row.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])


def foreign_candidate_ask(*, actor, candidate: ForeignCandidate, reason: str,
                          now: dt.datetime | None = None) -> ForeignCandidate:  # fmt: skip
    """Our officer thinks the summary may be her: ask the other node to confirm and reveal who she is."""
    _require(foreign_can_review(actor, candidate), actor, "tracing.inquiry_send", candidate.public_id)
    reason = _reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        locked = ForeignCandidate.objects.select_for_update(of=("self",))
        candidate = locked.select_related("alert__peer", "alert__report").get(pk=candidate.pk)
        _decide(candidate, BorderStatus.ASKED, actor, reason, now, expected=BorderStatus.PROPOSED)
        refs = {"alert_ref": str(candidate.alert.alert_ref), "candidate_ref": str(candidate.candidate_ref)}
        outbox_put(type=INQUIRY, peer=candidate.alert.peer, actor=actor, now=now, candidate=refs)
        audit_record(actor=actor, action="tracing.inquiry_send", obj=candidate,
                     organisation=candidate.alert.report.organisation, fields=["status", "reason"])  # fmt: skip
    return candidate


def foreign_candidate_reject(*, actor, candidate: ForeignCandidate, reason: str,
                             now: dt.datetime | None = None) -> ForeignCandidate:  # fmt: skip
    """Not her, by the summary: kept here, nothing is sent."""
    _require(foreign_can_review(actor, candidate), actor, "tracing.foreign_reject", candidate.public_id)
    reason = _reason(reason)
    with transaction.atomic():
        candidate = ForeignCandidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
        _decide(candidate, BorderStatus.REJECTED, actor, reason, now or timezone.now(), expected=BorderStatus.PROPOSED)
        audit_record(actor=actor, action="tracing.foreign_reject", obj=candidate, fields=["status", "reason"])
    return candidate


@handler(INQUIRY)
def apply_inquiry(message: Incoming) -> None:
    payload = message.payload
    row = LocalCandidate.objects.filter(candidate_ref=payload["candidate_ref"], alert__alert_ref=payload["alert_ref"],
                                        alert__from_node=message.peer.code).first()  # fmt: skip
    if row is None:
        raise RefusedError("no candidate of ours has this reference")
    if row.status == BorderStatus.PROPOSED:
        row.status = BorderStatus.ASKED
        row.save(update_fields=["status", "updated_at"])


# --- 4. revealing (the holding node), and the answer with the report -------------------------------------------------


def local_can_review(user, candidate: LocalCandidate) -> bool:
    """A reviewer whose MATCH_REVIEW grant reaches the person we hold."""
    grant = policy.grants(user, Permission.MATCH_REVIEW)
    person = candidate.person
    return grant.covers(organisation_id=person.organisation_id, district_id=person.location_district_id)


def local_list_for(user, *, status: str = BorderStatus.ASKED) -> QuerySet[LocalCandidate]:
    """Our persons the other node asked about (or in another status) that `user` may review."""
    grant = policy.grants(user, Permission.MATCH_REVIEW)
    if not grant.allowed:
        return LocalCandidate.objects.none()
    rows = LocalCandidate.objects.filter(status=status).select_related("person__organisation", "alert")
    if not grant.node_wide:
        rows = rows.filter(Q(person__organisation_id__in=sorted(grant.organisation_ids))
                           | Q(person__location_district_id__in=sorted(grant.district_ids)))  # fmt: skip
    return rows.order_by("-updated_at", "-id")


def local_get_for(user, public_id) -> LocalCandidate:
    row = LocalCandidate.objects.select_related("person__organisation", "alert").filter(public_id=public_id).first()
    if row is None or not local_can_review(user, row):
        policy.deny(user, Permission.MATCH_REVIEW.value, object_type=OBJECT_TYPE, object_id=str(public_id))
    audit_record(actor=user, action="tracing.inquiry_view", obj=row)
    return row


def _details(person: Person, *, held_by: str, contact: str, reference: str) -> dict:
    facts = matching.person_facts(person)
    aliases = "; ".join(person.aliases.values_list("name", flat=True))
    details = {"full_name": person.full_name, "other_names": "; ".join(x for x in (person.name_latin, aliases) if x
                                                                        and x != person.full_name),
               "sex": person.gender, "birth": facts["birth"], "father_name": facts["father_name"],
               "mother_name": facts["mother_name"], "home": facts["home"], "held_by": held_by, "contact": contact,
               "reference": reference}  # fmt: skip
    return {k: str(v)[:200] for k, v in details.items() if v}


def _officer(actor) -> str:
    organisation = policy.primary_organisation(actor)
    return f"{actor.get_full_name() or actor.username}, {organisation.name_en if organisation else ''}".strip(", ")


def local_candidate_reveal(*, actor, candidate: LocalCandidate, reason: str, reveal: bool = True,
                           now: dt.datetime | None = None) -> LocalCandidate:  # fmt: skip
    """Our officer confirms that the person we hold is the one the other node asked about, and her details
    cross; or declines (`reveal=False`), with why, and nothing about her crosses."""
    _require(local_can_review(actor, candidate), actor, "tracing.reveal", candidate.public_id)
    reason = _reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        candidate = LocalCandidate.objects.select_for_update(of=("self",)).select_related(
            "person__organisation", "alert").get(pk=candidate.pk)  # fmt: skip
        _decide(candidate, BorderStatus.REVEALED if reveal else BorderStatus.DECLINED, actor, reason, now,
                expected=BorderStatus.ASKED)  # fmt: skip
        case = candidate.person.cases.order_by("-identified_at").first()
        payload = {"alert_ref": str(candidate.alert.alert_ref), "candidate_ref": str(candidate.candidate_ref),
                   "side": "candidate", "revealed": reveal}  # fmt: skip
        if reveal:
            payload["details"] = _details(candidate.person, held_by=candidate.person.organisation.name_en,
                                          contact=_officer(actor), reference=case.number if case else "")  # fmt: skip
        else:
            payload["reason"] = reason
        peer = _peer_for(candidate.alert.from_node)
        if peer is None:
            raise ValidationError({"__all__": [_("The other country's node is not registered any more.")]})
        outbox_put(type=REVEAL, peer=peer, candidate=payload, actor=actor, now=now,
                   legal_basis=BOTH_CONFIRMED if reveal else "")  # fmt: skip
        audit_record(actor=actor, action="tracing.reveal" if reveal else "tracing.reveal_decline", obj=candidate,
                     organisation=candidate.person.organisation, fields=["status", "reason"])  # fmt: skip
    return candidate


@handler(REVEAL)
def apply_reveal(message: Incoming) -> None:
    payload = message.payload
    if payload["side"] == "candidate":
        _revealed_to_us(message, payload)
        return
    row = LocalCandidate.objects.filter(candidate_ref=payload["candidate_ref"], alert__alert_ref=payload["alert_ref"],
                                        alert__from_node=message.peer.code).first()  # fmt: skip
    if row is None or row.status != BorderStatus.REVEALED:
        raise RefusedError("no candidate of ours was revealed under this reference")
    row.their_details = payload.get("details", {})
    row.save(update_fields=["their_details", "updated_at"])


def _revealed_to_us(message: Incoming, payload: dict) -> None:
    """Their officer answered our inquiry: her details (or why not); if revealed, ours go back, since our
    officer asked already."""
    row = (ForeignCandidate.objects.select_related("alert__report__person", "alert__report__organisation",
                                                   "decided_by")
           .filter(candidate_ref=payload["candidate_ref"], alert__alert_ref=payload["alert_ref"],
                   alert__peer=message.peer).first())  # fmt: skip
    if row is None or row.status != BorderStatus.ASKED:
        raise RefusedError("we asked about no candidate under this reference")
    now = timezone.now()
    if not payload["revealed"]:
        row.status, row.details = BorderStatus.DECLINED, {"reason": payload.get("reason", "")}
        row.save(update_fields=["status", "details", "updated_at"])
        return
    row.status, row.details, row.revealed_at = BorderStatus.REVEALED, payload.get("details", {}), now
    row.save(update_fields=["status", "details", "revealed_at", "updated_at"])
    report = row.alert.report
    details = _details(report.person, held_by=report.organisation.name_en,
                       contact=_officer(row.decided_by) if row.decided_by else "", reference=report.number)  # fmt: skip
    answer = {"alert_ref": payload["alert_ref"], "candidate_ref": payload["candidate_ref"], "side": "report",
              "revealed": True, "details": details}  # fmt: skip
    outbox_put(type=REVEAL, peer=message.peer, now=now, legal_basis=BOTH_CONFIRMED, candidate=answer)


# What a revealed record's details are called on the pages (the keys of tracing.reveal's `details`).
DETAIL_LABELS = {
    "full_name": gettext_lazy("Name"), "other_names": gettext_lazy("Other names"), "sex": gettext_lazy("Sex"),
    "birth": gettext_lazy("Birth / age"), "father_name": gettext_lazy("Father's name"),
    "mother_name": gettext_lazy("Mother's name"), "home": gettext_lazy("Home"), "held_by": gettext_lazy("Held by"),
    "contact": gettext_lazy("Contact"), "reference": gettext_lazy("Reference"),
}  # fmt: skip
FOUND_AS = {"rescued": gettext_lazy("rescued"), "intercepted": gettext_lazy("stopped at the border")}


def detail_rows(details: dict) -> list[tuple[str, str]]:
    """A record's revealed details as (label, value), in the order of DETAIL_LABELS."""
    shown = {**details, "sex": explain.sex_label(details.get("sex") or "")}
    return [(str(label), str(shown[key])) for key, label in DETAIL_LABELS.items() if shown.get(key)]


def _date_or_none(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def alerts_of(report: MissingReport) -> list[AlertSent]:
    """The report's alerts with their candidates, ready for the report's page."""
    alerts = list(AlertSent.objects.filter(report=report).select_related("peer", "message")
                  .prefetch_related("candidates"))  # fmt: skip
    for alert in alerts:
        for candidate in alert.candidates.all():
            candidate.detail_rows = detail_rows(candidate.details)  # type: ignore[attr-defined]
            candidate.found_as = FOUND_AS.get(candidate.summary.get("found_as", ""), "")  # type: ignore[attr-defined]
            candidate.recorded_on = _date_or_none(candidate.summary.get("recorded_on"))  # type: ignore[attr-defined]
    return alerts
