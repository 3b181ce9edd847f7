"""`setu demo_step`: take steps on this demo node as its demo users (what `setu demo scenario` runs).

Reads a JSON list of actions on standard input and takes them in order, each as the demo user it names;
writes one JSON line per action to standard output: `{"do": ..., "ok": true, "result": {...}}`, or, at the
first failure, `{"do": ..., "ok": false, "error": "..."}` and exits 1. Every write goes through the services
(setu.people.services, setu.cases.services, setu.exchange.flows), so access checks, the SOP's requirements,
consent and the audit apply exactly as for a person using the pages. A result also lists the exchange
messages the action queued (`queued`: their ids and types), so the caller can wait for their delivery.

A parameter written "@name" is the value `name` of an earlier result in the same run (e.g. the case number
that `open_case` returned); "@queued" is every message queued so far in the run. Refused unless SETU_DEMO
is on. By hand:

    echo '[{"do": "status", "ref": "IN-2026-000151"}]' | SETU_ENV=development SETU_DEMO=1 SETU_NODE=IN setu demo_step
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from setu.accounts.policy import NotFoundOrForbidden

Params = dict[str, Any]
ACTIONS: dict[str, Callable[[Params], dict]] = {}


class StepError(Exception):
    """The step cannot be taken on this node as asked (said in the operator's words)."""


def action(name: str) -> Callable[[Callable[[Params], dict]], Callable[[Params], dict]]:
    def register(function: Callable[[Params], dict]) -> Callable[[Params], dict]:
        ACTIONS[name] = function
        return function

    return register


# --- looking things up ----------------------------------------------------------------------------------------


def _user(params: Params):
    from setu.accounts.models import User

    username = params.get("user", "")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise StepError(f"there is no active demo user {username!r} on {settings.SETU_NODE} (is the demo seeded?)")
    return user


def _district(name: str, country: str):
    from setu.geo.models import District

    district = District.objects.filter(name_en__iexact=name, province__country=country).first()
    if district is None:
        raise StepError(f"the gazetteer of {settings.SETU_NODE} has no district {name!r} in {country}")
    return district


def _organisation(key: str):
    from setu.accounts.models import Organisation
    from setu.web.demo.agencies import organisation

    spec = organisation(key)
    found = Organisation.objects.filter(country=settings.SETU_NODE, name_en=spec.name_en).first()
    if found is None:
        raise StepError(f"there is no organisation {spec.name_en!r} on {settings.SETU_NODE} (is the demo seeded?)")
    return found


def _link(ref: str):
    from setu.exchange.models import CaseLink

    link = CaseLink.objects.select_related("case", "peer").filter(ref=ref).first()
    if link is None:
        raise StepError(f"{settings.SETU_NODE} knows no bilateral case {ref!r}")
    return link


def _case(params: Params):
    """The case named by its number here (`case`) or by the bilateral reference (`ref`)."""
    from setu.cases.models import Case

    if params.get("case"):
        case = Case.objects.select_related("survivor", "sop_version").filter(number=params["case"]).first()
        if case is None:
            raise StepError(f"there is no case {params['case']} on {settings.SETU_NODE}")
        return case
    link = _link(params["ref"])
    if link.case_id is None:
        raise StepError(f"{settings.SETU_NODE} has no case for {params['ref']} yet (the notification is not accepted)")
    return link.case


def _case_info(case) -> dict:
    from setu.cases import choices
    from setu.cases.models import Case
    from setu.cases.services import stage_name

    case = Case.objects.select_related("organisation", "district", "sop_version", "survivor").get(pk=case.pk)
    return {
        "case": case.number,
        "public_id": str(case.public_id),
        "stage": case.stage,
        "stage_name": stage_name(case, language="en"),
        "status": case.status,
        "status_label": str(choices.CaseStatus(case.status).label),
        "closure_reason": case.closure_reason,
        "closure_label": str(choices.ClosureReason(case.closure_reason).label) if case.closure_reason else "",
        "organisation": case.organisation.name_en,
        "district": case.district.name_en,
        "survivor": case.survivor.full_name,
    }


def _waiting(params: Params, actor):
    """The message of `type` about bilateral case `ref` that waits for this user's answer."""
    from setu.exchange import flows
    from setu.exchange.models import InboxMessage

    ref, kind = params["ref"], params["type"]
    rows = InboxMessage.objects.filter(case_ref=ref, type=kind).order_by("received_at")
    row = rows.filter(state=InboxMessage.State.APPLIED, acted_at__isnull=True).first()
    if row is None:
        seen = ", ".join(f"{r.state}{' and answered' if r.acted_at else ''}" for r in rows) or "none arrived"
        raise StepError(f"no {kind} about {ref} waits for an answer on {settings.SETU_NODE} ({seen})")
    if row not in flows.awaiting(actor):
        raise StepError(f"{kind} about {ref} is not in {actor.username}'s messages to answer")
    return row


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _time(value: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(value)
    if timezone.is_naive(at):
        raise StepError(f"{value!r} needs its UTC offset")
    return at


# --- the actions ------------------------------------------------------------------------------------------------


@action("check")
def check(params: Params) -> dict:
    """What the caller checks before it starts: which node this is, its peers, its SOP and demo users."""
    from setu.accounts.models import User
    from setu.cases.models import SopVersion
    from setu.exchange.models import Peer

    wanted = list(params.get("users", []))
    present = set(User.objects.filter(username__in=wanted, is_active=True).values_list("username", flat=True))
    return {
        "node": settings.SETU_NODE,
        "peers": {peer.code: peer.base_url for peer in Peer.objects.filter(is_active=True)},
        "sop": SopVersion.objects.filter(is_current=True).exists(),
        "missing_users": [name for name in wanted if name not in present],
    }


@action("register")
def register(params: Params) -> dict:
    """Register a person (by a frontline user, for their own organisation)."""
    from setu.accounts import policy
    from setu.geo.models import LocalLevel
    from setu.people.services import person_create

    actor = _user(params)
    home = _district(params["home_district"], params["nationality"])
    local = None
    if params.get("home_local_level"):
        local = LocalLevel.objects.filter(district=home, name_en__iexact=params["home_local_level"]).first()
        if local is None:
            raise StepError(f"no local level {params['home_local_level']!r} in {home.name_en}")
    person = person_create(
        actor=actor, organisation=policy.primary_organisation(actor), full_name=params["full_name"],
        given_name=params.get("given_name", ""), family_name=params.get("family_name", ""),
        gender=params["gender"], nationality=params["nationality"], languages=params.get("languages", []),
        birth_precision="estimated", age_estimate=params["age"], age_estimated_on=timezone.localdate(),
        location_district=_district(params["location_district"], settings.SETU_NODE), home_district=home,
        home_local_level=local, home_ward=params.get("home_ward") if local else None,
        phones=params.get("phones", []), aliases=params.get("aliases", []),
    )  # fmt: skip
    return {"person": str(person.public_id), "name": person.full_name}


@action("open_case")
def open_case(params: Params) -> dict:
    from setu.accounts import policy
    from setu.cases.services import case_open
    from setu.people.models import Person

    actor = _user(params)
    survivor = Person.objects.get(public_id=params["person"])
    case = case_open(
        actor=actor, survivor=survivor, district=_district(params["district"], settings.SETU_NODE),
        identified_at=timezone.now(), organisation=policy.primary_organisation(actor),
        age_at_identification=params["age"], exploitation_types=params.get("exploitation_types", []),
        control_methods=params.get("control_methods", []), recruitment_place=params.get("recruitment_place", ""),
        recruitment_district=survivor.home_district, exploitation_country=params.get("exploitation_country", ""),
        summary=params.get("summary", ""),
    )  # fmt: skip
    return _case_info(case)


@action("act")
def act(params: Params) -> dict:
    """One SOP step (case_act)."""
    from setu.cases.services import case_act

    case = case_act(actor=_user(params), case=_case(params), action=params["action"], reason=params["reason"],
                    revision=None, counterpart_reference=params.get("counterpart_reference", ""),
                    closure_reason=params.get("closure_reason", ""))  # fmt: skip
    return _case_info(case)


@action("decide")
def decide(params: Params) -> dict:
    from setu.cases.services import decision_record

    case = _case(params)
    decision = decision_record(
        actor=_user(params), case=case, kind=params["kind"], favourable=params.get("favourable", True),
        outcome=params["outcome"], decider_name=params["decider"], decided_on=timezone.localdate(),
        basis=params["basis"], survivor_view=params["survivor_view"],
        decision_org_type=params.get("decision_org_type", ""), answers=params.get("answers"),
        assessed_age=params.get("assessed_age"),
    )  # fmt: skip
    return {"kind": decision.kind, "answers": len(decision.answers), **_case_info(case)}


@action("consent")
def consent(params: Params) -> dict:
    from setu.cases import choices
    from setu.cases.services import consent_give

    case = _case(params)
    given_by = params.get("given_by", choices.ConsentGiver.SURVIVOR)
    everything = [key for key, _label in choices.CONSENT_CHECKLIST]
    checklist = everything if given_by != choices.ConsentGiver.LEGAL_BASIS else []
    record = consent_give(actor=_user(params), case=case, purpose=params["purpose"], given_by=given_by,
                          legal_basis=params.get("legal_basis", ""), checklist=checklist,
                          language=params.get("language", ""))  # fmt: skip
    return {"purpose": record.purpose, "checklist": len(record.checklist), **_case_info(case)}


@action("document")
def document(params: Params) -> dict:
    """Attach a small generated PDF of `doc_type` with `lines` of text."""
    from setu.cases.services import document_add
    from setu.web.demo.cases import minimal_pdf

    case = _case(params)
    data = minimal_pdf(f"{params['title']} - case {case.number}",
                       [*params.get("lines", []), f"Dated {timezone.localdate().isoformat()}"])  # fmt: skip
    name = f"{params['doc_type'].replace('_', '-')}.pdf"
    record = document_add(actor=_user(params), case=case, doc_type=params["doc_type"], title=params["title"],
                          upload=ContentFile(data, name=name))  # fmt: skip
    return {"file": name, "content_type": record.content_type, "size": record.size, **_case_info(case)}


@action("notify")
def notify(params: Params) -> dict:
    from setu.exchange import flows

    case = _case(params)
    link = flows.notify_origin(actor=_user(params), case=case, checks=params["checks"],
                               reply_by=_date(params.get("reply_by")), note=params.get("note", ""))  # fmt: skip
    return {"ref": link.ref, **_case_info(case)}


@action("read")
def read(params: Params) -> dict:
    """Open a message waiting for this user (the sender is told it was opened)."""
    from setu.exchange import flows

    actor = _user(params)
    row = _waiting(params, actor)
    flows.mark_opened(actor, row)
    return {"payload": flows.claims_of(row)["payload"]}


@action("accept")
def accept(params: Params) -> dict:
    """Open, then accept, a message waiting for this user (as the received message's page does)."""
    from setu.exchange import flows
    from setu.exchange.models import HandoverCertificate

    actor = _user(params)
    row = _waiting(params, actor)
    flows.mark_opened(actor, row)
    answer = flows.Acceptance(
        organisation=_organisation(params["organisation"]) if params.get("organisation") else None,
        district=_district(params["district"], settings.SETU_NODE) if params.get("district") else None,
        note=params.get("note", ""), receiving_officer=params.get("receiving_officer", ""),
    )  # fmt: skip
    row = flows.received_accept(actor=actor, row=row, answer=answer)
    result: dict[str, Any] = {"outcome": row.outcome}
    link = _link(params["ref"])
    if link.case_id is not None:
        result.update(_case_info(link.case))
    if row.type == "handover.certificate":
        number = flows.claims_of(row)["payload"]["certificate"]["number"]
        result["certificate"] = _certificate(HandoverCertificate.objects.get(number=number))
    return result


@action("respond_verification")
def respond_verification(params: Params) -> dict:
    from setu.exchange import flows

    case = _case(params)
    flows.respond_verification(
        actor=_user(params), case=case, identity_confirmed=params["identity_confirmed"],
        nationality_confirmed=params["nationality_confirmed"], family_traced=params.get("family_traced"),
        family_willing=params.get("family_willing"), safe_to_return=params.get("safe_to_return"),
        home_study=params.get("home_study", ""), note=params.get("note", ""),
    )  # fmt: skip
    return _case_info(case)


@action("propose")
def propose(params: Params) -> dict:
    from setu.exchange import flows

    case = _case(params)
    flows.propose_repatriation(actor=_user(params), case=case, proposed_on=dt.date.fromisoformat(params["on"]),
                               border_point=params["border_point"], escort=params.get("escort", ""),
                               note=params.get("note", ""))  # fmt: skip
    return _case_info(case)


@action("schedule")
def schedule(params: Params) -> dict:
    from setu.exchange import flows

    case = _case(params)
    flows.schedule_handover(actor=_user(params), case=case, at=_time(params["at"]),
                            border_point=params["border_point"], escort=params.get("escort", ""),
                            note=params.get("note", ""))  # fmt: skip
    return _case_info(case)


@action("sign")
def sign(params: Params) -> dict:
    from setu.exchange import flows

    case = _case(params)
    record = flows.sign_handover(actor=_user(params), case=case, handed_over_at=_time(params["handed_over_at"]),
                                 border_point=params["border_point"], belongings=params.get("belongings", ""),
                                 documents=params.get("documents", ""))  # fmt: skip
    return {"certificate": _certificate(record), **_case_info(case)}


@action("transfer")
def transfer(params: Params) -> dict:
    from setu.exchange import flows

    case = _case(params)
    flows.transfer_to_origin(actor=_user(params), case=case, care_summary=params["care_summary"],
                             needs=params.get("needs", []), note=params.get("note", ""))  # fmt: skip
    return _case_info(case)


@action("followup")
def followup(params: Params) -> dict:
    from setu.exchange import flows

    case = _case(params)
    flows.report_followup(actor=_user(params), case=case, visited_on=dt.date.fromisoformat(params["visited_on"]),
                          summary=params["summary"], next_visit_on=_date(params.get("next_visit_on")))  # fmt: skip
    return _case_info(case)


def _took(message) -> float | None:
    """Seconds from queueing a message to the peer's receipt."""
    return (message.delivered_at - message.created_at).total_seconds() if message.delivered_at else None


def _certificate(record) -> dict:
    from setu.exchange import flows

    checked = flows.verify_signatures({"certificate": record.certificate, "signatures": record.signatures})
    signatures = [
        {"node": s["node"], "officer": s["officer"], "office": s["office"], "signed_at": s["signed_at"],
         "verified": not s["problem"], "problem": str(s["problem"])}
        for s in checked
    ]  # fmt: skip
    return {
        "number": record.number,
        "handed_over_at": record.certificate.get("handed_over_at", ""),
        "border_point": record.certificate.get("border_point", ""),
        "signatures": signatures,
    }


@action("status")
def status(params: Params) -> dict:
    """The delivery state of some messages sent from here (`ids`, waiting up to `wait` seconds for the relay),
    and what this node has of case `ref`:
    the case, what went each way (with the other side's answer), certificates and follow-up reports."""
    from setu.exchange import flows
    from setu.exchange.models import OutboxMessage

    result: dict[str, Any] = {"node": settings.SETU_NODE}
    ids = list(params.get("ids", []))
    if ids:
        # With `wait`, up to that many seconds for the relay to settle them (delivered or refused) first.
        until = time.monotonic() + min(float(params.get("wait", 0)), 30.0)
        while time.monotonic() < until and OutboxMessage.objects.filter(id__in=ids, state="pending").exists():
            time.sleep(0.1)
        rows = {str(m.id): m for m in OutboxMessage.objects.filter(id__in=ids)}
        result["messages"] = {
            id_: {"type": rows[id_].type, "state": rows[id_].state, "receipt_status": rows[id_].receipt_status,
                  "reason": rows[id_].receipt_reason, "last_error": rows[id_].last_error,
                  "attempts": rows[id_].attempts, "seconds": _took(rows[id_])}
            if id_ in rows else {"type": "?", "state": "unknown"}
            for id_ in ids
        }  # fmt: skip
    if not params.get("ref"):
        return result
    link = _link(params["ref"])
    result["ref"], result["side"] = link.ref, link.side
    result["transferred"] = link.transferred_at is not None
    if link.case is None:
        return result
    case = link.case
    result.update(_case_info(case))
    exchange = flows.exchange_for_case(case)
    result["sent"] = [
        {"type": m.type, "seq": m.seq, "at": m.created_at.isoformat(), "state": m.state,
         "receipt_status": m.receipt_status, "opened": m.opened_at is not None, "outcome": m.acted_outcome}
        for m in exchange["sent"]
    ]  # fmt: skip
    result["received"] = [
        {"type": m.type, "seq": m.seq, "at": m.created_at.isoformat(), "state": m.state, "outcome": m.outcome}
        for m in exchange["received"]
    ]  # fmt: skip
    result["certificates"] = [_certificate(record) for record in exchange["certificates"]]
    result["followup_reports"] = list(
        case.events.filter(kind="exchange", message__startswith="Follow-up visit on")
        .order_by("at")
        .values_list("summary", flat=True)
    )
    return result


# --- running them -----------------------------------------------------------------------------------------------


def _resolve(value: Any, context: dict) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in context:
            raise StepError(f"{value} is not the result of an earlier step")
        return context[value[1:]]
    if isinstance(value, list):
        return [_resolve(item, context) for item in value]
    if isinstance(value, dict):
        return {key: _resolve(item, context) for key, item in value.items()}
    return value


def error_text(exc: BaseException, user: str = "") -> str:
    """A refusal in the words the pages would use (English)."""
    if isinstance(exc, NotFoundOrForbidden):
        return f"not found, or not allowed for {user or 'this user'} (the refusal is audited)"
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            parts = []
            for field, messages in exc.message_dict.items():
                text = "; ".join(messages)
                parts.append(text if field in ("__all__", "action") else f"{field}: {text}")
            return "; ".join(parts)
        return "; ".join(exc.messages)
    if isinstance(exc, StepError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class Command(BaseCommand):
    help = (
        "Take steps on this demo node as its demo users: a JSON list of actions on standard input, one JSON "
        "result line each on standard output (used by `setu demo scenario`)."
    )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION or not settings.SETU_DEMO:
            raise CommandError("`setu demo_step` acts as the demo's users: it runs only on a demo node (SETU_DEMO=1).")
        try:
            actions = json.loads(sys.stdin.read() or "[]")
        except json.JSONDecodeError as exc:
            raise CommandError(f"Standard input is not JSON: {exc}") from None
        if isinstance(actions, dict):
            actions = [actions]
        from setu.exchange.models import OutboxMessage

        context: dict[str, Any] = {}
        for step in actions:
            name = step.get("do", "")
            before = set(OutboxMessage.objects.values_list("id", flat=True))
            try:
                if name not in ACTIONS:
                    raise StepError(f"unknown action {name!r} (one of: {', '.join(sorted(ACTIONS))})")
                params = _resolve({k: v for k, v in step.items() if k != "do"}, context)
                with translation.override("en"):
                    result = ACTIONS[name](params)
            except (StepError, ValidationError, NotFoundOrForbidden, ObjectDoesNotExist) as exc:
                self._emit({"do": name, "ok": False, "error": error_text(exc, step.get("user", ""))})
                raise SystemExit(1) from None
            except Exception as exc:  # noqa: BLE001 - reported to the caller, with the traceback on stderr
                traceback.print_exc()
                self._emit({"do": name, "ok": False, "error": error_text(exc), "crashed": True})
                raise SystemExit(1) from None
            new = OutboxMessage.objects.exclude(id__in=before).order_by("id")
            result["queued"] = [{"id": str(m.id), "type": m.type} for m in new]
            context.update({k: v for k, v in result.items() if isinstance(v, str | int)})
            context["queued"] = [*context.get("queued", []), *(m["id"] for m in result["queued"])]
            self._emit({"do": name, "ok": True, "result": result})

    def _emit(self, line: dict) -> None:
        self.stdout.write(json.dumps(line, default=str))
        self.stdout.flush()
