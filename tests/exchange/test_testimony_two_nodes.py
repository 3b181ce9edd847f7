"""Video testimony across the border between two real nodes (conftest.py): India's prosecutor wants a Nepali
survivor, now home, as a witness; she proposes a video session (testimony.request); IN's relay delivers it;
Nepal's caseworker finds it as a task on her case, sees only the logistics, and proposes another time
(testimony.reply); NP's relay brings it back; India's prosecutor takes that time, which Nepal's case then
shows, confirmed."""

from __future__ import annotations

import datetime as dt
import json

from tests.exchange.conftest import CASEWORKER, LinkedCase, TwoNodes, wait_until

PROSECUTOR = "e2e_prosecutor"

# India: a prosecutor's office in the district of IN's fixture caseworker; her prosecution, with the linked
# case as a witness who may testify by video; a session proposed a week ahead, in India's time.
PROPOSE = """
import datetime as dt
from django.utils import timezone
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.cases.models import Case
from setu.core.enums import OrganisationType
from setu.geo.models import District
from setu.legal import services

district = District.objects.get(pk=params["district"])
office = OrganisationFactory(name_en="Public Prosecutor, Darjeeling", country="IN", districts=[district],
                             org_type=OrganisationType.LEGAL_SERVICE)
prosecutor = make_user(params["username"], "prosecutor", office)
prosecution = services.prosecution_create(actor=prosecutor, district=district, police_case_number="Siliguri PS 88/2026",
                                          police_unit="AHTU Siliguri", court="Sessions Court, Darjeeling",
                                          opened_on=timezone.localdate() - dt.timedelta(days=40))
services.charge_add(actor=prosecutor, prosecution=prosecution, code="BNS-143", particulars="Sold to a brothel owner")
witness = services.witness_add(actor=prosecutor, prosecution=prosecution, case=Case.objects.get(pk=params["case"]))
need = services.witness_need_record(actor=prosecutor, witness=witness, court="Sessions Court, Darjeeling",
                                    place="Siliguri", needed_from=timezone.localdate(), presence="video_possible")
at = dt.datetime.fromisoformat(params["at"])
session = services.testimony_schedule(actor=prosecutor, need=need, scheduled_at=at, timezone_name="Asia/Kolkata",
                                      court_end="Sessions Court, Darjeeling: VC room",
                                      survivor_end="District Administration Office, Morang", interpreter="Nepali")
print(json.dumps({"session": str(session.public_id)}))
"""

OUTBOX = """
from setu.exchange.models import OutboxMessage
rows = OutboxMessage.objects.filter(type=params["type"]).order_by("-id")
print(json.dumps([{"state": m.state, "receipt": m.receipt_status} for m in rows]))
"""

SESSION = """
from setu.legal.models import VideoTestimony
s = VideoTestimony.objects.filter(public_id=params["session"]).first()
print(json.dumps(None if s is None else {
    "case": s.case_id, "peer": s.peer, "status": s.status, "at": s.scheduled_at.isoformat(), "zone": s.timezone,
    "court": s.court, "court_end": s.court_end, "interpreter": s.interpreter, "note": s.status_note,
    "counter_at": s.counter_at.isoformat() if s.counter_at else None}))
"""

TASKS = """
from setu.accounts.models import User
from setu.cases.selectors import my_tasks
user = User.objects.get(username=params["username"])
print(json.dumps([{"case": t.case_id, "stage": t.stage} for t in my_tasks(user)]))
"""

ANSWER = """
import datetime as dt
from setu.accounts.models import User
from setu.legal import services
from setu.legal.models import VideoTestimony
user = User.objects.get(username=params["username"])
session = VideoTestimony.objects.get(public_id=params["session"])
services.testimony_answer(actor=user, session=session, answer="counter", reason="Her exams end that week",
                          proposed_at=dt.datetime.fromisoformat(params["at"]), survivor_end="Her ward office")
print(json.dumps({"ok": True}))
"""

ACCEPT = """
from setu.accounts.models import User
from setu.legal import services
from setu.legal.models import VideoTestimony
user = User.objects.get(username=params["username"])
session = VideoTestimony.objects.get(public_id=params["session"])
services.testimony_set_status(actor=user, session=session, status="confirmed", accept_counter=True)
print(json.dumps({"ok": True}))
"""


def _delivered(node, type_name: str, count: int) -> bool:
    rows = node.run(OUTBOX, type=type_name)
    return len(rows) >= count and all(row["state"] == "delivered" for row in rows)


def test_a_video_testimony_is_proposed_answered_and_confirmed_across_the_border(relays: TwoNodes, linked: LinkedCase):
    np, india = relays.np, relays.india
    first = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).replace(microsecond=0)
    session = india.run(
        PROPOSE, username=PROSECUTOR, district=india.district_id, case=linked.in_case, at=first.isoformat()
    )["session"]

    india.start_relay()
    wait_until(lambda: _delivered(india, "testimony.request", 1), timeout=60, what="testimony.request receipted")
    assert india.run(OUTBOX, type="testimony.request")[0]["receipt"] == "applied"
    arrived = np.run(SESSION, session=session)
    assert arrived["case"] == linked.np_case and arrived["peer"] == "IN" and arrived["status"] == "proposed"
    assert arrived["court"] == "Sessions Court, Darjeeling" and arrived["zone"] == "Asia/Kolkata"
    assert dt.datetime.fromisoformat(arrived["at"]) == first
    assert np.run(TASKS, username=CASEWORKER) == [{"case": linked.np_case, "stage": "testimony.request"}]
    assert "Siliguri PS" not in json.dumps(arrived) and "BNS" not in json.dumps(arrived)  # logistics only

    later = first + dt.timedelta(days=5)
    np.run(ANSWER, username=CASEWORKER, session=session, at=later.isoformat())
    assert np.run(TASKS, username=CASEWORKER) == []
    np.start_relay()
    wait_until(
        lambda: india.run(SESSION, session=session)["counter_at"] is not None,
        timeout=60,
        what="NP's other time to reach IN",
    )
    back = india.run(SESSION, session=session)
    assert dt.datetime.fromisoformat(back["counter_at"]) == later and back["note"] == "Her exams end that week"
    assert india.run(TASKS, username=PROSECUTOR) == [{"case": linked.in_case, "stage": "testimony.reply"}]

    india.run(ACCEPT, username=PROSECUTOR, session=session)
    wait_until(
        lambda: np.run(SESSION, session=session)["status"] == "confirmed",
        timeout=60,
        what="the confirmed session to reach NP",
    )
    confirmed = np.run(SESSION, session=session)
    assert dt.datetime.fromisoformat(confirmed["at"]) == later and confirmed["counter_at"] is None
