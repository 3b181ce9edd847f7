"""A joint training between two real nodes (conftest.py): the Nepal Police Academy invites India to a
programme in Biratnagar; India's trainer sees the invitation and nominates two officers (name, sex,
designation, organisation: nothing more crosses); they become participants of the other country on NP, attend,
are scored and one gets a certificate; NP sends the results back and India's nominations show them, with a
certificate code that NP's public page confirms."""

from __future__ import annotations

import httpx

from tests.exchange.conftest import TwoNodes, wait_until

# Each node: its training organisation and a trainer. Idempotent.
TRAINER = """
from setu.accounts.models import Organisation, User
from setu.accounts.tests.factories import OrganisationFactory, make_user

name = params["organisation"]
organisation = Organisation.objects.filter(name_en=name).first() or OrganisationFactory(
    name_en=name, country=params["code"], org_type="SchoolOrCollege")
if not User.objects.filter(username=params["username"]).exists():
    make_user(params["username"], "trainer", organisation)
print(json.dumps({"organisation": organisation.name_en}))
"""

INVITE = """
import datetime as dt
from django.utils import timezone
from setu.accounts.models import User
from setu.training.exchange import programme_invite
from setu.training.services import programme_create

trainer = User.objects.get(username=params["username"])
starts = timezone.localdate() + dt.timedelta(days=20)
programme = programme_create(actor=trainer, title="Border monitoring and information sharing",
                             topics=["border_monitoring", "information_sharing"], host_country="NP",
                             place="Biratnagar, Morang", starts_on=starts, ends_on=starts + dt.timedelta(days=1),
                             trainers="DSP Nirmala Gurung", seats=3, reply_by=starts - dt.timedelta(days=5),
                             description="Two days at the border.")
message = programme_invite(actor=trainer, programme=programme)
print(json.dumps({"programme": str(programme.public_id), "message": str(message.pk)}))
"""

SENT = """
from setu.exchange.models import OutboxMessage

m = OutboxMessage.objects.get(pk=params["id"])
print(json.dumps({"state": m.state, "receipt_status": m.receipt_status, "acted_outcome": m.acted_outcome}))
"""

INVITATIONS = """
from setu.accounts.models import User
from setu.training.exchange import invitation_list_for

trainer = User.objects.get(username=params["username"])
print(json.dumps([{"id": str(i.public_id), "title": i.title, "seats": i.seats, "answer": i.answer,
                   "results": i.results_received_at is not None}
                  for i in invitation_list_for(trainer)]))
"""

NOMINATE = """
from setu.accounts.models import Organisation, User
from setu.training.exchange import invitation_get_for, invitation_nominate

trainer = User.objects.get(username=params["username"])
organisation = Organisation.objects.get(name_en=params["organisation"])
invitation = invitation_get_for(trainer, params["id"])
nominees = [{"name": "सुनीता कुमारी", "sex": "Feminine", "designation": "Sub-Inspector", "organisation": organisation},
            {"name": "Amit Kumar", "sex": "Masculine", "designation": "Assistant Commandant",
             "organisation": organisation}]
rows = invitation_nominate(actor=trainer, invitation=invitation, nominees=nominees)
print(json.dumps({"refs": [str(row.public_id) for row in rows]}))
"""

PARTICIPANTS = """
from setu.training.models import Programme

programme = Programme.objects.get(public_id=params["programme"])
print(json.dumps([{"name": p.name, "node": p.node, "kind": p.kind, "organisation": p.organisation_name,
                   "designation": p.designation, "ref": str(p.remote_ref)}
                  for p in programme.participants.order_by("name")]))
"""

HOLD = """
import datetime as dt
from django.utils import timezone
from setu.accounts.models import User
from setu.training import services
from setu.training.exchange import results_send
from setu.training.models import Programme

trainer = User.objects.get(username=params["username"])
programme = Programme.objects.get(public_id=params["programme"])
zone = timezone.get_current_timezone()
sessions = [services.session_add(actor=trainer, programme=programme, title=f"Day {n + 1}", topic="border_monitoring",
                                 starts_at=dt.datetime.combine(programme.starts_on + dt.timedelta(days=n), dt.time(10),
                                                               tzinfo=zone),
                                 ends_at=dt.datetime.combine(programme.starts_on + dt.timedelta(days=n), dt.time(16),
                                                             tzinfo=zone))
            for n in range(2)]
sunita = programme.participants.get(name="सुनीता कुमारी")
amit = programme.participants.get(name="Amit Kumar")
services.attendance_mark(actor=trainer, session=sessions[0], present=[sunita, amit])
services.attendance_mark(actor=trainer, session=sessions[1], present=[sunita])
services.scores_record_many(actor=trainer, programme=programme, scores={sunita: (48, 86), amit: (55, 60)})
certificate = services.certificate_issue(actor=trainer, participant=sunita)
message = results_send(actor=trainer, programme=programme)
print(json.dumps({"code": certificate.code, "message": str(message.pk)}))
"""

NOMINATIONS = """
from setu.training.models import Nomination

print(json.dumps({n.name: {"completed": n.completed, "attended": n.sessions_attended, "held": n.sessions_held,
                           "change": n.score_change, "code": n.certificate_code}
                  for n in Nomination.objects.all()}))
"""

OUTBOX_PAYLOAD = """
from setu.exchange.envelope import stored_claims
from setu.exchange.models import OutboxMessage

print(json.dumps(stored_claims(OutboxMessage.objects.get(type=params["type"]).token)["payload"]))
"""


def test_invitation_nominations_and_results_cross_between_two_nodes(relays: TwoNodes):
    np, india = relays.np, relays.india
    np.run(TRAINER, code="NP", organisation="Nepal Police Academy", username="np_trainer_e2e")
    india.run(TRAINER, code="IN", organisation="Sashastra Seema Bal Jogbani", username="in_trainer_e2e")

    # NP invites.
    sent = np.run(INVITE, username="np_trainer_e2e")
    np.start_relay()
    wait_until(lambda: np.run(SENT, id=sent["message"])["state"] == "delivered", timeout=60,
               what="the invitation to be receipted")  # fmt: skip
    assert np.run(SENT, id=sent["message"])["receipt_status"] == "applied"

    # IN sees it as something to act on, and nominates.
    [invitation] = india.run(INVITATIONS, username="in_trainer_e2e")
    assert (invitation["title"], invitation["seats"], invitation["answer"]) == (
        "Border monitoring and information sharing",
        3,
        "open",
    )
    nominated = india.run(NOMINATE, username="in_trainer_e2e", id=invitation["id"],
                          organisation="Sashastra Seema Bal Jogbani")  # fmt: skip
    payload = india.run(OUTBOX_PAYLOAD, type="training.nomination")
    assert set(payload) == {"ref", "nominees"}
    assert all(set(n) == {"ref", "name", "sex", "designation", "organisation"} for n in payload["nominees"])
    india.start_relay()

    # NP gets them as participants of the other country; its invitation shows it was acted on.
    def arrived():
        rows = np.run(PARTICIPANTS, programme=sent["programme"])
        return rows if len(rows) == 2 else None

    participants = wait_until(arrived, timeout=60, what="the nominations to reach NP")
    assert {(p["name"], p["node"], p["kind"], p["organisation"]) for p in participants} == {
        ("सुनीता कुमारी", "IN", "other_node", "Sashastra Seema Bal Jogbani"),
        ("Amit Kumar", "IN", "other_node", "Sashastra Seema Bal Jogbani"),
    }
    assert {p["ref"] for p in participants} == set(nominated["refs"])
    wait_until(lambda: np.run(SENT, id=sent["message"])["acted_outcome"] == "nominated", timeout=60,
               what="IN's answer to reach NP")  # fmt: skip

    # The programme is held on NP; the results go back.
    held = np.run(HOLD, username="np_trainer_e2e", programme=sent["programme"])

    def results():
        rows = india.run(NOMINATIONS)
        return rows if rows["Amit Kumar"]["held"] else None

    nominations = wait_until(results, timeout=60, what="the results to reach IN")
    assert nominations["सुनीता कुमारी"] == {"completed": True, "attended": 2, "held": 2, "change": 38,
                                            "code": held["code"]}  # fmt: skip
    assert nominations["Amit Kumar"] == {"completed": False, "attended": 1, "held": 2, "change": 5, "code": ""}
    [answered] = india.run(INVITATIONS, username="in_trainer_e2e")
    assert answered["answer"] == "nominated" and answered["results"]

    # Anyone can check the code on NP's public page: the name, the course, the dates; nothing else.
    page = httpx.get(f"{np.base_url}/training/verify/{held['code']}/", timeout=30)
    assert page.status_code == 200
    assert "सुनीता कुमारी" in page.text and "Border monitoring and information sharing" in page.text
    assert "Sub-Inspector" not in page.text and "Sashastra Seema Bal" not in page.text
    assert httpx.get(f"{np.base_url}/training/verify/ZZZZZZZZZZZZ/", timeout=30).status_code == 404
