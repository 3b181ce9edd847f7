"""`setu demo scenario`: one survivor's case driven across the border through the whole bilateral flow, on
the two running demo nodes, each step printed as it is taken.

The story: India's anti-trafficking police register a young Nepali woman intercepted at Jogbani and open a
case; she is produced before the magistrate, found a victim of trafficking and placed in care, her age is
assessed and she consents to her case being shared with Nepal. India tells Nepal and asks it to verify;
Nepal's focal point opens Nepal's case, verifies and answers; India proposes the repatriation and Nepal
accepts; India decides, orders and schedules the return, and its officer signs the handover certificate;
Nepal countersigns, India confirms the handover and transfers the case; Nepal reports a follow-up visit,
which India sees on its closed case. Each line is one demo user acting on their own node, through the
same services as its pages (setu.exchange.flows, setu.cases.services).

How it runs: this process never opens a node's database (each node is its own installation, as in `setu
demo`). For each node's turn it runs `setu demo_step` as a subprocess with that node's environment
(DemoNode.environment), hands it the steps as JSON and reads one JSON result line per step. Between turns
it polls the sender's `status` until the node's relay has delivered what the turn sent. Every run
registers a new person and opens a new case, so it can be run again and again.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from setu.cases.choices import BEST_INTEREST_QUESTIONS
from setu.web.demo.agencies import DEMO_PASSWORD, organisation, users_of

if TYPE_CHECKING:
    from setu.web.management.commands.demo import DemoNode

# Names as an Indian officer would write them (Latin letters), with the Devanagari she gives.
NAMES = (
    ("Sunita", "Tamang", "सुनिता तामाङ"),
    ("Maya", "Lama", "माया लामा"),
    ("Sabina", "Shrestha", "सबिना श्रेष्ठ"),
    ("Kabita", "Thapa Magar", "कबिता थापा मगर"),
    ("Sarita", "Gurung", "सरिता गुरुङ"),
    ("Pramila", "Rai", "प्रमिला राई"),
)
AGE = 19
# No ward: a notification that carries one cannot be accepted yet (setu.exchange.flows gives the ward
# without its municipality to person_create, which refuses it).
HOME = {"district": "Sindhupalchok", "local_level": "Bahrabise"}
FOUND_IN = "Araria"  # where India's case is handled: the district of the Jogbani crossing
CROSSING = "Jogbani–Rani (Biratnagar)"
USERS = {
    "IN": ("in_police", "in_caseworker", "in_focal"),
    "NP": ("np_focal",),
}
CHECKS = ["identity", "nationality", "family_tracing", "home_study"]
WAIT_SECONDS = 60.0  # for the relay to deliver a turn's messages
WAIT_IN_TURN = 4.0  # how long one look at the outbox waits for them
OUTCOMES = {"done": "answered"}  # as setu.exchange.flows.OUTCOMES says them
ZONES = {"IN": (ZoneInfo("Asia/Kolkata"), "IST"), "NP": (ZoneInfo("Asia/Kathmandu"), "NPT")}


class ScenarioError(Exception):
    """The scenario stopped: a node refused a step, or could not be reached."""


@dataclass
class Step:
    """One demo user's action on their node, and the line printed for it."""

    user: str
    do: str
    says: str  # what the user does
    shows: Callable[[dict], str]  # the outcome, from the node's result
    params: dict = field(default_factory=dict)


def _label(message_type: str) -> str:
    return {"followup.report": "follow-up report", "message.status": "status"}.get(
        message_type, message_type.replace(".", " ")
    )


def _words(keys: list[str]) -> str:
    return ", ".join(key.replace("_", " ") for key in keys)


def _sent(result: dict) -> list[str]:
    return [_label(m["type"]) for m in result.get("queued", []) if m["type"] != "message.status"]


def stage(result: dict) -> str:
    return f"stage: {result['stage_name']}"


def sent(result: dict) -> str:
    return "sent: " + ", ".join(_sent(result))


def sent_and_stage(result: dict) -> str:
    return f"{sent(result)}; {stage(result)}"


def recorded(result: dict) -> str:
    return "recorded"


def _local(iso: str, code: str) -> str:
    """A time as the node's officers write it (e.g. 2026-12-05 10:00 IST)."""
    zone, name = ZONES[code]
    return f"{dt.datetime.fromisoformat(iso).astimezone(zone):%Y-%m-%d %H:%M} {name}"


def _setu(*args: str) -> list[str]:
    return [sys.executable, "-m", "setu", *args]


class Scenario:
    def __init__(self, nodes: list[DemoNode], write: Callable[[str], None], *, cwd: Path,
                 wait_seconds: float = WAIT_SECONDS) -> None:  # fmt: skip
        self.nodes = {node.code: node for node in nodes}
        self.write = write
        self.cwd = cwd
        self.wait_seconds = wait_seconds

    # --- talking to the nodes ---
    def _line(self, code: str, who: str, text: str, outcome: str) -> None:
        self.write(f"{code:<3} {who:<14} {text} … {outcome}")

    def _run(self, code: str, actions: list[dict], on_result: Callable[[int, dict], None] | None = None,
             on_error: Callable[[int], None] | None = None) -> list[dict]:  # fmt: skip
        """Run `setu demo_step` on a node with these actions; the results, in order."""
        node = self.nodes[code]
        results: list[dict] = []
        other: list[str] = []
        with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
            process = subprocess.Popen(  # noqa: S603 - our own command line
                _setu("demo_step"), cwd=self.cwd, env=node.environment(list(self.nodes.values())),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8",
            )  # fmt: skip
            assert process.stdin is not None and process.stdout is not None  # noqa: S101 - PIPE above
            process.stdin.write(json.dumps(actions))
            process.stdin.close()
            failure, crashed = "", False
            for raw in process.stdout:
                try:
                    data = json.loads(raw) if raw.startswith("{") else None
                except ValueError:
                    data = None
                if data is None:
                    other.append(raw.rstrip())
                    continue
                if not data.get("ok"):
                    failure, crashed = str(data.get("error", "refused")), bool(data.get("crashed"))
                    if on_error:
                        on_error(len(results))
                    continue
                results.append(data["result"])
                if on_result:
                    on_result(len(results) - 1, data["result"])
            returncode = process.wait()
            errors.seek(0)
            tail = "\n".join([*other, *errors.read().splitlines()][-25:])
            if failure and not crashed:
                raise ScenarioError(f"{node.name} refused it: {failure}")
            if failure or returncode != 0 or len(results) != len(actions):
                raise ScenarioError(f"`setu demo_step` on {node.name} failed (exit code {returncode}): "
                                    f"{failure or 'no result'}\n{tail}")  # fmt: skip
        return results

    def turn(self, code: str, steps: list[Step]) -> list[dict]:
        """One node's turn: its users take `steps` in order; each is printed as it is done; then the turn
        waits until the node's relay has delivered what the steps sent."""
        actions = [{"do": s.do, "user": s.user, **s.params} for s in steps]
        # The same process then waits a little for the relay, so that usually one process does the whole turn.
        actions.append({"do": "status", "ids": "@queued", "wait": WAIT_IN_TURN})

        def done(index: int, result: dict) -> None:
            if index < len(steps):
                self._line(code, steps[index].user, steps[index].says, steps[index].shows(result))

        def failed(index: int) -> None:
            if index < len(steps):
                self._line(code, steps[index].user, steps[index].says, "REFUSED")

        *results, delivery = self._run(code, actions, done, failed)
        self.deliver(code, [m for result in results for m in result.get("queued", [])], delivery.get("messages"))
        return results

    def status(self, code: str, **params: Any) -> dict:
        return self._run(code, [{"do": "status", **params}])[0]

    def deliver(self, code: str, messages: list[dict], states: dict | None = None) -> None:
        """Wait (polling the sender's outbox, a few seconds at a time) until the node's relay has delivered
        `messages`; `states` is what a first look found."""
        if not messages:
            return
        node = self.nodes[code]
        peer = next(n for n in self.nodes.values() if n.code != code)
        ids = [m["id"] for m in messages]
        labels = [_label(m["type"]) for m in messages if m["type"] != "message.status"]
        statuses = len(messages) - len(labels)
        what = ", ".join(labels)
        if statuses:
            what += (" and " if what else "") + f"{statuses} status message{'s' if statuses > 1 else ''}"
        start = time.monotonic()
        report_at = start + 5
        while True:
            if states is None:
                states = self.status(code, ids=ids, wait=WAIT_IN_TURN)["messages"]
            refused = [m for m in states.values() if m["state"] == "rejected"]
            if refused:
                self._line(code, "relay", f"delivers {what} to {peer.name}", "REFUSED")
                first = refused[0]
                raise ScenarioError(f"{peer.name} refused the {_label(first['type'])}: {first['reason']}")
            delivered = sum(m["state"] == "delivered" for m in states.values())
            elapsed = time.monotonic() - start
            if delivered == len(ids):
                took = max(m.get("seconds") or 0.0 for m in states.values())
                self._line(code, "relay", f"delivers {what} to {peer.name}", f"delivered in {took:.1f} s")
                return
            if elapsed > self.wait_seconds:
                problems = sorted({m["last_error"] for m in states.values() if m.get("last_error")})
                last = f" Last error: {problems[-1]}." if problems else ""
                raise ScenarioError(
                    f"{node.name}'s relay delivered {delivered} of {len(ids)} messages to {peer.name} in "
                    f"{self.wait_seconds:.0f} s. Is the demo's {node.slug}-relay running? See "
                    f"{node.var_dir / 'log' / f'demo-{node.slug}-relay.log'}.{last}"
                )
            if time.monotonic() >= report_at:
                self.write(f"{'':<18} … waiting for {node.name}'s relay: {delivered} of {len(ids)} delivered "
                           f"({elapsed:.0f} s)")  # fmt: skip
                report_at += 5
            states = None

    # --- before starting ---
    def check(self) -> None:
        """Both nodes answer, and they are the demo whose data this var dir holds, peered at these ports."""
        for node in self.nodes.values():
            try:
                with urllib.request.urlopen(node.health_url, timeout=5) as response:  # noqa: S310 - our own URL
                    ok = response.status == 200
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise ScenarioError(
                    f"The demo is not running: {node.name} does not answer {node.health_url} ({reason}). Start it "
                    "in another terminal with `make demo` (or `.venv/bin/setu demo`), wait for “Setu demo is "
                    "ready”, then run this again with the same --np-port/--in-port if you changed them."
                ) from None
            if not ok:
                raise ScenarioError(f"{node.name} answers {node.health_url} but is not ready (its database?).")
        for node in self.nodes.values():
            found = self._run(node.code, [{"do": "check", "users": list(USERS[node.code])}])[0]
            for peer in self.nodes.values():
                if peer is node:
                    continue
                if found["peers"].get(peer.code) != peer.base_url:
                    raise ScenarioError(
                        f"{node.name}'s data in {node.database_label} has {peer.name} at "
                        f"{found['peers'].get(peer.code) or 'no address'}, not {peer.base_url}: is the demo running "
                        "on other ports, or from another var directory? Give the same options as to `setu demo`."
                    )
            if not found["sop"] or found["missing_users"]:
                raise ScenarioError(f"{node.name} is not seeded (no SOP, or no {found['missing_users']}): run "
                                    "`make demo` first.")  # fmt: skip

    # --- the scenario ---
    def run(self) -> dict:
        india, nepal = self.nodes["IN"], self.nodes["NP"]
        self.write(f"Scenario on the running demo: {nepal.name} {nepal.base_url}/ and {india.name} {india.base_url}/")
        self.check()
        given, family, native = random.choice(NAMES)  # noqa: S311 - a demo name, not a secret
        name = f"{given} {family}"
        today = dt.datetime.now(tz=ZONES["IN"][0]).date()
        handover_on = today + dt.timedelta(days=10)
        handover_at = dt.datetime.combine(handover_on, dt.time(10, 0), tzinfo=ZONES["IN"][0])
        visited_on = handover_on + dt.timedelta(days=14)
        self.write(
            f"One survivor's case from {india.name} to {nepal.name}. Each line is one demo user acting on their own "
            "node; the relay lines are the signed messages carried between the nodes. The weeks between the steps "
            "pass in seconds: the dates are those the officers would write."
        )
        self.write("")

        # 1. India: she is found, her case opened and taken to care; India tells Nepal and asks it to verify.
        home = f"{HOME['local_level']}, {HOME['district']}"
        opened = self.turn("IN", [
            Step("in_police", "register",
                 f"registers {name} ({native}), a Nepali woman of about {AGE} from {home}, intercepted at Jogbani",
                 lambda r: "registered",
                 {"full_name": name, "given_name": given, "family_name": family, "aliases": [native],
                  "gender": "Feminine", "age": AGE, "nationality": "NP", "languages": ["ne"],
                  "home_district": HOME["district"], "home_local_level": HOME["local_level"],
                  "location_district": FOUND_IN, "phones": [f"+977984{random.randint(1000000, 9999999)}"]}),  # noqa: S311
            Step("in_police", "open_case", f"opens a case for her in {FOUND_IN}",
                 lambda r: f"{r['case']} ({r['organisation']}); {stage(r)}",
                 {"person": "@person", "district": FOUND_IN, "age": AGE, "control_methods": ["FalsePromises"],
                  "recruitment_place": f"{HOME['local_level']}, {HOME['district']}", "exploitation_country": "IN",
                  "summary": f"Intercepted at the Jogbani crossing by the SSB and the help desk, travelling with a man "
                             f"who was not her relative. Recruited in {HOME['district']} with the promise of a job in "
                             "a Delhi garment factory."}),
            Step("in_police", "act", "produces her before the Judicial Magistrate, Araria", stage,
                 {"case": "@case", "action": "produce_before_magistrate",
                  "reason": "Produced before the Judicial Magistrate First Class, Araria (ITPA 1956 s.17)."}),
            Step("in_police", "decide", "records the magistrate's finding: a victim of trafficking", recorded,
                 {"case": "@case", "kind": "victim_determination", "outcome": "Victim of trafficking: released to "
                  "a protective home", "decider": "Judicial Magistrate First Class, Araria",
                  "decision_org_type": "CourtOrProsecution",
                  "basis": "ITPA 1956 s.17(2) inquiry through the probation officer; her statement.",
                  "survivor_view": "She wants to go home to her mother."}),
            Step("in_police", "act", "releases her to the protective home", stage,
                 {"case": "@case", "action": "place_in_care", "reason": "Released to the protective home."}),
            Step("in_caseworker", "decide", f"records the medical board's age assessment: about {AGE}", recorded,
                 {"case": "@case", "kind": "age_assessment", "outcome": f"About {AGE} years old",
                  "assessed_age": AGE, "decider": "Medical board, Sadar Hospital Araria",
                  "basis": "No birth certificate; dental and wrist X-ray, margin of one year.",
                  "survivor_view": f"She says she is {AGE}."}),
            Step("in_caseworker", "consent", f"records her consent to share her case with {nepal.name} "
                 "(every point of the checklist explained, in Nepali)", recorded,
                 {"case": "@case", "purpose": "sharing_with_other_country", "given_by": "survivor",
                  "language": "ne"}),
            Step("in_caseworker", "notify", f"tells {nepal.name} and asks it to verify: {_words(CHECKS)}",
                 lambda r: f"{sent(r)}; bilateral reference {r['ref']}; {stage(r)}",
                 {"case": "@case", "checks": CHECKS, "reply_by": (today + dt.timedelta(days=30)).isoformat(),
                  "note": "She is in a protective home in Araria and wants to go home."}),
        ])  # fmt: skip
        ref, in_case = opened[-1]["ref"], opened[-1]

        # 2. Nepal: the focal point opens Nepal's case, reads the request and answers it.
        ministry = organisation("np_ministry").name_en
        verified = self.turn("NP", [
            Step("np_focal", "accept", f"accepts {india.name}'s case notification {ref}: {ministry} takes the case, "
                 f"her district {HOME['district']}", lambda r: f"opened {r['case']}; {stage(r)}",
                 {"ref": ref, "type": "case.notification", "organisation": "np_ministry",
                  "district": HOME["district"]}),
            Step("np_focal", "read", f"reads {india.name}'s verification request",
                 lambda r: "asks: " + _words(r["payload"]["checks"]),
                 {"ref": ref, "type": "verification.request"}),
            Step("np_focal", "respond_verification", "answers: identity and nationality confirmed, family traced "
                 "and willing, safe to return", sent_and_stage,
                 {"ref": ref, "identity_confirmed": True, "nationality_confirmed": True, "family_traced": True,
                  "family_willing": True, "safe_to_return": True,
                  "home_study": f"The ward office in {HOME['local_level']} visited her mother and uncle: "
                                "the family wants her home, has land and a house, and her school can take her back."}),
        ])  # fmt: skip
        np_case = verified[0]

        # 3. India: accepts the findings and proposes the return.
        self.turn("IN", [
            Step("in_focal", "accept", f"accepts {nepal.name}'s verification response", stage,
                 {"ref": ref, "type": "verification.response", "note": "She agrees and wants to go home."}),
            Step("in_focal", "propose", f"proposes repatriation on {handover_on} at {CROSSING}", sent,
                 {"ref": ref, "on": handover_on.isoformat(), "border_point": CROSSING,
                  "escort": "A woman constable of AHTU Araria and a DCPU caseworker"}),
        ])  # fmt: skip

        # 4. Nepal accepts the proposal.
        self.turn("NP", [
            Step("np_focal", "accept", "accepts the repatriation proposal", sent,
                 {"ref": ref, "type": "repatriation.proposal",
                  "receiving_officer": "Women and Children Office, Morang, with Maiti Nepal Biratnagar"}),
        ])  # fmt: skip

        # 5. India: decides, orders and schedules the return; its officer signs the handover certificate.
        signed = self.turn("IN", [
            Step("in_focal", "accept", f"notes {nepal.name}'s acceptance", lambda r: r["outcome"],
                 {"ref": ref, "type": "repatriation.acceptance"}),
            Step("in_caseworker", "decide", f"records the best-interest assessment ({len(BEST_INTEREST_QUESTIONS)} "
                 "safety-of-return questions answered): return is safe", recorded,
                 {"ref": ref, "kind": "best_interest_assessment", "outcome": "Return to her family is safe, with "
                  "follow-up by the local level", "decider": "Caseworker and counsellor, DCPU Araria, with her",
                  "basis": "Nepal's home study and interviews with her (safety-of-return questions).",
                  "survivor_view": "She wants to go home and go back to school.",
                  "answers": {key: answer for key, answer in zip(
                      [key for key, _label in BEST_INTEREST_QUESTIONS],
                      ["no", "no", "no", "yes", "no", "no", "yes", "no", "no"], strict=True)}}),
            Step("in_focal", "decide", "records the repatriation order", recorded,
                 {"ref": ref, "kind": "repatriation_order", "outcome": "Repatriation cleared",
                  "decider": "Ministry of Home Affairs, Women Safety Division, with the MEA CPV Division",
                  "basis": "Nationality verified by Nepal; she wishes to return; no proceeding needs her presence.",
                  "survivor_view": "She agrees."}),
            Step("in_police", "document", "adds the escort order (a PDF)",
                 lambda r: f"added {r['file']} ({r['size']} bytes)",
                 {"ref": ref, "doc_type": "escort_order", "title": "Escort order",
                  "lines": [f"Escort to the {CROSSING} crossing by a woman constable on {handover_on}."]}),
            Step("in_focal", "act", "orders the repatriation", stage,
                 {"ref": ref, "action": "order_repatriation", "reason": "Repatriation ordered; escort arranged."}),
            Step("in_focal", "schedule", f"schedules the handover: {handover_at:%Y-%m-%d %H:%M} IST at {CROSSING}",
                 sent, {"ref": ref, "at": handover_at.isoformat(), "border_point": CROSSING,
                        "escort": "A woman constable of AHTU Araria"}),
            Step("in_police", "sign", "signs the handover certificate",
                 lambda r: f"{r['certificate']['number']} signed by {india.name}; {sent(r)}",
                 {"ref": ref, "handed_over_at": handover_at.isoformat(), "border_point": CROSSING,
                  "belongings": "One bag of clothes and her mobile phone",
                  "documents": "The case file, the magistrate's release order and the escort order"}),
        ])  # fmt: skip
        number = signed[-1]["certificate"]["number"]

        # 6. Nepal countersigns; India confirms the handover and transfers the case.
        self.turn("NP", [
            Step("np_focal", "accept", "notes the handover schedule", lambda r: r["outcome"],
                 {"ref": ref, "type": "handover.schedule"}),
            Step("np_focal", "accept", f"countersigns handover certificate {number}: she is received at Rani",
                 lambda r: f"{len(r['certificate']['signatures'])} signatures; {sent(r)}; {stage(r)}",
                 {"ref": ref, "type": "handover.certificate"}),
        ])  # fmt: skip
        self.turn("IN", [
            Step("in_focal", "accept", f"accepts the countersigned certificate {number}", stage,
                 {"ref": ref, "type": "handover.certificate"}),
            Step("in_focal", "transfer", f"transfers the case to {nepal.name}",
                 lambda r: f"{sent(r)}; {r['status_label'].lower()}: {r['closure_label']}",
                 {"ref": ref, "care_summary": "Protective home in Araria: counselling twice a week, health check, "
                  "literacy classes.", "needs": ["counselling", "schooling", "livelihood training"]}),
        ])  # fmt: skip

        # 7. Nepal takes the case over and reports a follow-up visit; India sees it on its closed case.
        summary = "Living with her mother; back at school in Bahrabise; the ward office visits monthly."
        self.turn("NP", [
            Step("np_focal", "accept", "accepts the case transfer: the case is now Nepal's", lambda r: r["outcome"],
                 {"ref": ref, "type": "case.transfer"}),
            Step("np_focal", "followup", f"reports a follow-up visit on {visited_on}", sent,
                 {"ref": ref, "visited_on": visited_on.isoformat(), "summary": summary,
                  "next_visit_on": (visited_on + dt.timedelta(days=30)).isoformat()}),
        ])  # fmt: skip
        final = {"IN": self.status("IN", ref=ref), "NP": self.status("NP", ref=ref)}
        reports = final["IN"].get("followup_reports", [])
        self._line("IN", "in_focal", "sees Nepal's report on the closed, read-only case",
                   reports[-1] if reports else "NOT FOUND")  # fmt: skip
        self._expect(final, summary, number)
        self._summary(final, number, in_case["public_id"], np_case["public_id"])
        return final

    def _expect(self, final: dict, summary: str, number: str) -> None:
        """What the whole flow must have left on each node."""
        problems = []
        india, nepal = final["IN"], final["NP"]
        if not (india["status"] == "Closed" and india["closure_reason"] == "repatriated" and india["transferred"]):
            problems.append(f"India's case is {india['status']} ({india['closure_reason'] or 'open'}), not closed "
                            "as repatriated")  # fmt: skip
        if nepal["stage"] != "reintegration":
            problems.append(f"Nepal's case is at {nepal['stage']}, not reintegration")
        if not any(summary in text for text in india.get("followup_reports", [])):
            problems.append("Nepal's follow-up report is not on India's case")
        if len(india["sent"]) != len(nepal["received"]) or len(nepal["sent"]) != len(india["received"]):
            problems.append("the messages sent by one node and received by the other do not match")
        for code, status in final.items():
            certificates = [c for c in status["certificates"] if c["number"] == number]
            signatures = certificates[0]["signatures"] if certificates else []
            if sorted(s["node"] for s in signatures) != ["IN", "NP"] or not all(s["verified"] for s in signatures):
                problems.append(f"{self.nodes[code].name} does not hold certificate {number} with both signatures "
                                "verified")  # fmt: skip
            undelivered = [m["type"] for m in status["sent"] if m["state"] != "delivered"]
            if undelivered:
                problems.append(f"{self.nodes[code].name} has undelivered messages: {', '.join(undelivered)}")
        if problems:
            raise ScenarioError("The flow did not end as it should: " + "; ".join(problems) + ".")

    def _summary(self, final: dict, number: str, in_public_id: str, np_public_id: str) -> None:
        india, nepal = final["IN"], final["NP"]
        write = self.write
        write("")
        write(f"Done: the case went from {self.nodes['IN'].name} to {self.nodes['NP'].name} through every bilateral "
              "step.")  # fmt: skip
        write(f"  Bilateral reference   {india['ref']}")
        for code, status in (("IN", india), ("NP", nepal)):
            node = self.nodes[code]
            state = f"{status['stage_name']} ({status['status_label']})"
            if status["closure_label"]:
                state = f"{status['status_label']}: {status['closure_label']}"
            write(f"  {node.name:<6} case       {status['case']}   {state}; "
                  f"{len(status['sent'])} messages sent, {len(status['received'])} received")  # fmt: skip
        certificate = next(c for c in india["certificates"] if c["number"] == number)
        write(f"  Handover certificate  {number}: handed over {_local(certificate['handed_over_at'], 'IN')} at "
              f"{certificate['border_point']}; 2 signatures, each verified on both nodes")  # fmt: skip
        for signature in certificate["signatures"]:
            write(f"    {self.nodes[signature['node']].name:<6} {signature['officer']}, {signature['office']}, "
                  f"signed {_local(signature['signed_at'], signature['node'])}")  # fmt: skip
        write("  Messages about the case, in the order sent (seq; delivery; what the other side did):")
        rows = [(dt.datetime.fromisoformat(m["at"]), code, m) for code, status in final.items() for m in status["sent"]]
        for _at, code, message in sorted(rows, key=lambda row: row[0]):
            other = "NP" if code == "IN" else "IN"
            outcome = OUTCOMES.get(message["outcome"], message["outcome"])
            what = [message["state"], *(["opened"] if message["opened"] else []), *filter(None, [outcome])]
            write(f"    {code} → {other}  {message['seq']:>2}  {_label(message['type']):<24} {', '.join(what)}")
        write("")
        write(f"See it on the pages (every demo login's password is {DEMO_PASSWORD}):")
        for code, public_id, user in (("IN", in_public_id, "in_focal"), ("NP", np_public_id, "np_focal")):
            node = self.nodes[code]
            spec = next(u for u in users_of(code) if u.username == user)
            write(f"  {node.name:<6} {node.base_url}/cases/{public_id}/   sign in as {user} ({spec.full_name}, "
                  f"{spec.role_label.lower()})")  # fmt: skip
            write(f"  {'':<6} {node.base_url}/exchange/certificates/{number}/")
