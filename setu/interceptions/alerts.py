"""Interception alerts across the border (exchange type `interception.alert`, docs/exchange.md 12.13).

Sending: a post that stopped someone tells the post facing it on the other side what to watch for: the
route, the vehicle, how many were stopped (sex and age band only) and the suspects (description, roles, sex
and age band). Nobody is named: the alert is not about a case, so no consent or legal basis for sharing
anyone's identity exists (section 11), and the schema has no field for a name. One alert per interception.

Receiving: the handler stores exactly what the alert carried (`InterceptionAlert`) with our station facing
the sender's, and it waits there for the posts working at that station (Organisation.border_points, or the
station a monitor is posted at) on /interceptions/alerts/. Opening it and acting on it (watched for, suspect
found, passed to police) go back to the sender as `message.status`, so the sending post sees what became of
it. The interceptions' own selectors and services are not used here: an alert is not an interception of
ours, and those who see it see only what it carried.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core.dates import age_on
from setu.exchange.envelope import isoformat
from setu.exchange.inbox import Incoming, handler
from setu.exchange.models import InboxMessage, OutboxMessage, Peer
from setu.exchange.outbox import outbox_put
from setu.geo.models import BorderPoint
from setu.interceptions.models import AlertOutcome, Interception, InterceptionAlert, age_band
from setu.interceptions.selectors import interception_can_record, posted_stations

ALERT_TYPE = "interception.alert"
ALERT_OBJECT = "interceptions.alert"


# --- sending ---------------------------------------------------------------------------------------------------


def alert_candidate(interception: Interception, *, note: str = "") -> dict:
    """What the alert says about an interception, before minimisation. Built field by field from the record:
    the people stopped are counted by sex and age band, the suspects described; no name, phone, address or
    document of anyone is read here."""
    station = interception.station
    counterpart = station.counterpart
    on = timezone.localdate(interception.intercepted_at)
    persons = [
        {"sex": row.person.gender, "age_band": row.age_band}
        for row in interception.persons.select_related("person").order_by("id")
    ]
    suspects = []
    for companion in interception.companions.filter(is_suspect=True).select_related("person").order_by("id"):
        person = companion.person
        age = age_on(person.birth_date, on) if person.birth_date else person.age_estimate
        suspects.append({"sex": person.gender, "age_band": age_band(age), "roles": list(companion.roles),
                         "description": companion.description})  # fmt: skip
    return {
        "interception_number": interception.number,
        "station": station.name_en,
        "counterpart_station": counterpart.name_en if counterpart else "",
        "intercepted_at": isoformat(interception.intercepted_at),
        "from_district": interception.from_district.name_en if interception.from_district else "",
        "destination": interception.destination,
        "destination_country": interception.destination_country,
        "onward_country": interception.onward_country,
        "transport": interception.transport,
        "vehicle": interception.vehicle,
        "persons": persons,
        "suspects": [{k: v for k, v in s.items() if v not in ("", [])} for s in suspects],
        "red_flag_points": interception.score,
        "risk_level": interception.risk_level,
        "checklist_version": interception.checklist.version,
        "note": note.strip(),
    }


def alert_peer(interception: Interception) -> Peer | None:
    """The other country's node that the station's counterpart belongs to, if it is registered and active."""
    counterpart = interception.station.counterpart
    if counterpart is None or counterpart.country == settings.SETU_NODE:
        return None
    return Peer.objects.filter(code=counterpart.country, is_active=True).first()


def alert_send_problems(interception: Interception) -> list[str]:
    """Why no alert can go for this interception now ([] when it can)."""
    counterpart = interception.station.counterpart
    if interception.alert_id is not None:
        return [_("An alert was already sent for this interception.")]
    if counterpart is None or counterpart.country == settings.SETU_NODE:
        return [_("%(station)s has no crossing point facing it across the border on record, so there is no post to "
                  "alert.") % {"station": interception.station.name_en}]  # fmt: skip
    if alert_peer(interception) is None:
        return [_("The other country's node (%(code)s) is not registered: an administrator adds it first.")
                % {"code": counterpart.country}]  # fmt: skip
    return []


def interception_alert_send(*, actor, interception: Interception, note: str = "",
                            now: dt.datetime | None = None) -> OutboxMessage:  # fmt: skip
    """Alert the post facing this interception's station across the border: the message is minimised,
    signed and queued in this transaction (the relay delivers it), and the interception keeps it.
    One alert per interception. Refused (ValidationError, nothing queued) when the station has no
    counterpart, the other node is not registered, or an alert was sent already."""
    if not interception_can_record(actor, interception):
        policy.deny(actor, "interception.alert_send", object_type="interceptions.interception",
                    object_id=str(interception.public_id))  # fmt: skip
    now = now or timezone.now()
    with transaction.atomic():
        locked = Interception.objects.select_for_update(of=("self",))
        interception = locked.select_related("station__counterpart", "from_district", "checklist").get(
            pk=interception.pk
        )
        problems = alert_send_problems(interception)
        if problems:
            raise ValidationError({"__all__": problems})
        peer = alert_peer(interception)
        message = outbox_put(type=ALERT_TYPE, peer=peer, actor=actor, now=now,
                             candidate=alert_candidate(interception, note=note))  # fmt: skip
        interception.alert = message
        interception.save(update_fields=["alert", "updated_at"])
        audit_record(actor=actor, action="interception.alert_send", obj=interception, fields=["alert"])
    return message


def alert_message_for(interception: Interception) -> OutboxMessage | None:
    """The alert sent for this interception (with its delivery, and what the other post did), if any; read
    afresh, as its delivery state changes under the relay."""
    if interception.alert_id is None:
        return None
    return OutboxMessage.objects.filter(pk=interception.alert_id).first()


# --- receiving ---------------------------------------------------------------------------------------------------


def _our_station(payload: dict, peer: Peer) -> BorderPoint | None:
    """Our crossing point the alert is for: by the name it gives ours, else the one facing the sender's."""
    ours = BorderPoint.objects.filter(country=settings.SETU_NODE)
    named = ours.filter(name_en__iexact=payload["counterpart_station"]).first()
    return named or ours.filter(counterpart__country=peer.code, counterpart__name_en__iexact=payload["station"]).first()


@handler(ALERT_TYPE)
def apply_interception_alert(message: Incoming) -> None:
    """An alert from a post across the border: kept as it came, for the posts of our station facing it."""
    row = message.row
    InterceptionAlert.objects.create(inbox=row, from_node=message.peer.code, payload=message.payload,
                                     station=_our_station(message.payload, message.peer),
                                     received_at=row.received_at)  # fmt: skip


# --- who sees and acts on received alerts ----------------------------------------------------------------------


def _scope(user, permission: Permission) -> Q | None:
    """The alerts a permission reaches: node-wide, or those of the stations the user works at (the
    organisations' crossing points, or the one a border monitor is posted at, and for a jurisdiction the
    crossing points of its districts). An alert whose station is not known here is seen node-wide only."""
    grant = policy.grants(user, permission)
    if not grant.allowed:
        return None
    if grant.node_wide:
        return Q()
    posted = posted_stations(user)
    stations: set[int] = set()
    free = [org for org in grant.organisation_ids if org not in posted]
    for org in grant.organisation_ids & posted.keys():
        stations |= posted[org]
    if free:
        stations |= set(BorderPoint.objects.filter(organisations__in=free).values_list("pk", flat=True))
    if grant.district_ids:
        stations |= set(BorderPoint.objects.filter(country=settings.SETU_NODE, district_id__in=grant.district_ids)
                        .values_list("pk", flat=True))  # fmt: skip
    return Q(station_id__in=sorted(stations))


def alert_list_for(user, *, open_only: bool = True) -> QuerySet[InterceptionAlert]:
    """The alerts from across the border for the user's stations, newest first (open ones only by default)."""
    scope = _scope(user, Permission.INTERCEPTION_VIEW)
    if scope is None:
        return InterceptionAlert.objects.none()
    rows = InterceptionAlert.objects.filter(scope).select_related("station", "acknowledged_by")
    return rows.filter(acknowledged_at__isnull=True) if open_only else rows


def alert_open_count_for(user) -> int:
    return alert_list_for(user).count()


def alert_get_for(user, public_id, *, permission: Permission = Permission.INTERCEPTION_VIEW) -> InterceptionAlert:
    """One alert the user may see (or act on, with INTERCEPTION_RECORD); else the audited 404."""
    from setu.core.ids import as_uuid

    scope = _scope(user, permission)
    key = as_uuid(public_id)
    found = None
    if scope is not None and key is not None:
        found = (InterceptionAlert.objects.filter(scope, public_id=key)
                 .select_related("station", "acknowledged_by", "inbox__peer").first())  # fmt: skip
    if found is None:
        policy.deny(user, permission.value, object_type=ALERT_OBJECT, object_id=str(public_id))
    return found


def alert_may_act(user, alert: InterceptionAlert) -> bool:
    scope = _scope(user, Permission.INTERCEPTION_RECORD)
    return scope is not None and InterceptionAlert.objects.filter(scope, pk=alert.pk).exists()


def _status(alert: InterceptionAlert, event: str, outcome: str, actor, now: dt.datetime) -> None:
    """Tell the sending node that its alert was opened, or what was done about it."""
    inbox = alert.inbox
    candidate = {"of": str(inbox.message_id), "event": event, "at": isoformat(now), "outcome": outcome}
    outbox_put(type="message.status", peer=inbox.peer, actor=actor, candidate=candidate)


def alert_mark_opened(user, alert: InterceptionAlert, *, now: dt.datetime | None = None) -> None:
    """The first time someone who may act on an alert opens it, the sending node is told."""
    if alert.inbox.opened_at is not None or not alert_may_act(user, alert):
        return
    now = now or timezone.now()
    with transaction.atomic():
        if InboxMessage.objects.filter(pk=alert.inbox_id, opened_at__isnull=True).update(opened_at=now):
            alert.inbox.opened_at = now
            _status(alert, "opened", "", user, now)


def interception_alert_acknowledge(*, actor, alert: InterceptionAlert, outcome: str, note: str = "",
                                   now: dt.datetime | None = None) -> InterceptionAlert:  # fmt: skip
    """Record what our post did about an alert (watched for, suspect found, passed to police), once. The
    sending node is told the outcome (not the note, which stays here)."""
    if not alert_may_act(actor, alert):
        policy.deny(actor, "interception.alert_acknowledge", object_type=ALERT_OBJECT, object_id=str(alert.public_id))
    if outcome not in AlertOutcome.values:
        raise ValidationError({"outcome": [_("Say what was done.")]})
    now = now or timezone.now()
    with transaction.atomic():
        alert = InterceptionAlert.objects.select_for_update(of=("self",)).select_related("inbox__peer").get(pk=alert.pk)
        if alert.acknowledged_at is not None:
            raise ValidationError({"__all__": [_("This alert has already been acted on.")]})
        alert.acknowledged_at, alert.acknowledged_by = now, actor
        alert.outcome, alert.action_note = outcome, note.strip()
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "outcome", "action_note", "updated_at"])
        inbox = alert.inbox
        inbox.acted_at, inbox.acted_by, inbox.outcome = now, actor, outcome
        inbox.opened_at = inbox.opened_at or now
        inbox.save(update_fields=["acted_at", "acted_by", "outcome", "opened_at"])
        _status(alert, "acted", outcome, actor, now)
        audit_record(actor=actor, action="interception.alert_acknowledge", obj=alert, object_type=ALERT_OBJECT,
                     fields=["outcome", "action_note"])  # fmt: skip
    return alert
