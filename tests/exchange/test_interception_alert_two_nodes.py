"""An interception alert between two real nodes (conftest.py): a border monitor at Jogbani (IN) stops a girl
with a suspect and alerts the post at Rani (NP); IN's relay delivers it, NP's monitor at Rani sees only what
it carried and acts on it, and NP's relay tells IN what was done."""

from __future__ import annotations

import json

from tests.exchange.conftest import TwoNodes, wait_until

# Both nodes know the crossing: Rani (Morang, NP) facing Jogbani (Araria, IN). Each gets a border monitor of
# an NGO working at its own side. Idempotent (get_or_create), so the snippet runs once per node.
CROSSING = """
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.geo.models import BorderPoint, District, Province

koshi = Province.objects.get_or_create(country="NP", code="1", defaults={"name_en": "Koshi"})[0]
morang = District.objects.get_or_create(province=koshi, name_en="Morang")[0]
bihar = Province.objects.get_or_create(country="IN", code="BR", defaults={"name_en": "Bihar"})[0]
araria = District.objects.get_or_create(province=bihar, name_en="Araria")[0]
rani = BorderPoint.objects.get_or_create(country="NP", name_en="Rani", defaults={"district": morang})[0]
jogbani = BorderPoint.objects.get_or_create(country="IN", name_en="Jogbani", defaults={"district": araria})[0]
ours, theirs = (rani, jogbani) if params["code"] == "NP" else (jogbani, rani)
ours.counterpart = theirs
ours.save(update_fields=["counterpart"])
organisation = OrganisationFactory(name_en=f"Border NGO {params['code']}", country=params["code"],
                                   districts=[ours.district])
organisation.border_points.add(ours)
make_user(params["username"], "border_monitor", organisation)
print(json.dumps({"station": ours.pk}))
"""

SEND = """
from django.utils import timezone
from setu.accounts.models import User
from setu.geo.models import BorderPoint
from setu.interceptions.alerts import interception_alert_send
from setu.interceptions.services import InterceptionEntry, PersonEntry, interception_record

monitor = User.objects.get(username=params["username"])
entry = InterceptionEntry(
    station=BorderPoint.objects.get(pk=params["station"]), intercepted_at=timezone.now(),
    persons=[PersonEntry(full_name="Sunita Tamang", gender="Feminine", age_years=15, phone="+9779812345678")],
    companions=[PersonEntry(full_name="Rakesh Yadav", gender="Masculine", age_years=29, is_suspect=True,
                            roles=["Transporter"], description="Green jacket, limps")],
    transport="rickshaw", vehicle="BR 38 P 4411", destination="Mumbai", destination_country="IN",
)
interception = interception_record(actor=monitor, entry=entry)
message = interception_alert_send(actor=monitor, interception=interception)
print(json.dumps({"id": str(message.pk), "number": interception.number}))
"""

SENT = """
from setu.exchange.models import OutboxMessage

m = OutboxMessage.objects.get(pk=params["id"])
print(json.dumps({"state": m.state, "receipt_status": m.receipt_status, "opened": bool(m.opened_at),
                  "acted_outcome": m.acted_outcome}))
"""

RECEIVED = """
from setu.accounts.models import User
from setu.interceptions.alerts import alert_list_for

monitor = User.objects.get(username=params["username"])
alerts = list(alert_list_for(monitor, open_only=False))
print(json.dumps([{"id": str(a.public_id), "station": a.station.name_en if a.station else None,
                   "payload": a.payload, "outcome": a.outcome} for a in alerts]))
"""

ACT = """
from setu.accounts.models import User
from setu.interceptions.alerts import alert_get_for, interception_alert_acknowledge

monitor = User.objects.get(username=params["username"])
alert = alert_get_for(monitor, params["id"])
interception_alert_acknowledge(actor=monitor, alert=alert, outcome="found", note="Held by APF at the checkpost")
print(json.dumps({"ok": True}))
"""


def test_an_alert_crosses_names_nobody_and_its_outcome_comes_back(relays: TwoNodes):
    np, india = relays.np, relays.india
    np_station = np.run(CROSSING, code="NP", username="rani_monitor")["station"]
    in_station = india.run(CROSSING, code="IN", username="jogbani_monitor")["station"]
    sent = india.run(SEND, username="jogbani_monitor", station=in_station)

    india.start_relay()
    wait_until(lambda: india.run(SENT, id=sent["id"])["state"] == "delivered", timeout=60,
               what="the alert to be receipted")  # fmt: skip
    assert india.run(SENT, id=sent["id"])["receipt_status"] == "applied"

    [alert] = np.run(RECEIVED, username="rani_monitor")
    assert alert["station"] == "Rani" and np_station
    payload = alert["payload"]
    assert payload["interception_number"] == sent["number"] and payload["counterpart_station"] == "Rani"
    assert payload["persons"] == [{"sex": "Feminine", "age_band": "9-17"}]
    assert payload["suspects"] == [{"sex": "Masculine", "age_band": "27-29", "roles": ["Transporter"],
                                    "description": "Green jacket, limps"}]  # fmt: skip
    text = json.dumps(payload, ensure_ascii=False)
    assert not [word for word in ("Sunita", "Tamang", "Rakesh", "Yadav", "9812345678") if word in text]

    np.run(ACT, username="rani_monitor", id=alert["id"])
    np.start_relay()
    wait_until(lambda: india.run(SENT, id=sent["id"])["acted_outcome"] == "found", timeout=60,
               what="NP's answer to reach IN")  # fmt: skip
    assert india.run(SENT, id=sent["id"])["opened"]
    assert "APF" not in json.dumps(india.run(SENT, id=sent["id"]))
