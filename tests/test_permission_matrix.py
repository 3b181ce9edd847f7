"""The permission matrix, generated from the access policy (setu.accounts.roles.ROLE_PERMISSIONS).

Every role × every protected page and API endpoint:
- a role without the endpoint's permission gets 404 (never a hint that the record exists), and the refusal
  is in the audit log as a denied event of that user;
- a role with the permission, asked for an object outside its scope (a person registered by another
  organisation in another district), gets the same 404, also audited;
- a role with the permission, asked for a list, gets 200 and never sees the out-of-scope person.
Node-wide grants (focal points) reach every person and case on the node by design; the other node's records
live in another database altogether, so no cell of this node can reach them. Sensitive notes need more than
the permission: the case team or a supervisor role, so a node-wide role outside both is refused too.

The out-of-scope case (opened by a Parsa organisation in Parsa for the out-of-scope person) carries one of
each record an endpoint addresses; a refused cell must leave it as it was. So must it leave the peer node (IN,
backing off, with one message waiting) that the exchange's administration pages address.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.accounts.roles import ROLE_PERMISSIONS, SUPERVISOR_ROLES, Permission, Role, Scope
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.audit.models import AuditEvent
from setu.cases import services as case_services
from setu.cases.models import Case
from setu.cases.tests.factories import legal_basis, open_case
from setu.exchange.envelope import new_message_id
from setu.exchange.keys import NodeKeys
from setu.exchange.models import OutboxMessage, Peer, PeerKey
from setu.exchange.services import peer_add
from setu.imports.tests.matrix import ENDPOINTS as IMPORT_ENDPOINTS
from setu.interceptions.tests.matrix import out_of_scope_alert, out_of_scope_interception
from setu.legal.tests.matrix import ENDPOINTS as LEGAL_ENDPOINTS
from setu.mla.tests.matrix import ENDPOINTS as MLA_ENDPOINTS
from setu.people.models import Photo
from setu.people.tests.factories import PersonFactory
from setu.people.tests.images import jpeg_with_gps
from setu.prevention.tests.matrix import out_of_scope_activity, out_of_scope_vigilance_report
from setu.reports.tests.matrix_dashboards import ENDPOINTS as DASHBOARD_ENDPOINTS
from setu.reports.tests.matrix_exports import ENDPOINTS as EXPORT_ENDPOINTS
from setu.reports.tests.matrix_statistics import ENDPOINTS as STATISTICS_ENDPOINTS
from setu.tracing.tests.matrix import out_of_scope_asked, out_of_scope_candidate, out_of_scope_report, report_state
from setu.training.tests.matrix import ENDPOINTS as TRAINING_ENDPOINTS

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[dict], str]
    permission: Permission
    object_level: bool  # addresses one person or case (or one of their records)
    data: dict | Callable[[dict], dict] | None = None
    api: bool = False
    team_only: bool = False  # the permission is not enough: the case team or a supervisor role is needed too


# Lists whose rows are survivors (or missing people): a node-wide grant of these shows the out-of-scope person
# by design.
SURVIVOR_LISTS = {Permission.PERSON_VIEW, Permission.CASE_VIEW, Permission.TRACING_VIEW, Permission.MATCH_REVIEW,
                  Permission.EXPORT_BULK}  # fmt: skip
# Permissions that no page or endpoint uses yet; each joins the matrix with its first endpoint.
NOT_YET_USED: set[Permission] = set()


def _person(ctx: dict) -> str:
    return str(ctx["person"].public_id)


def _case(ctx: dict, tail: str = "") -> str:
    return f"/api/v1/cases/{ctx['case'].public_id}/{tail}"


def _case_page(ctx: dict, name: str) -> str:
    return reverse(f"cases:{name}", args=[ctx["case"].public_id])


def _case_open_data(ctx: dict) -> dict:
    """A valid request to open a case for the out-of-scope person, in charge of the Parsa organisation."""
    return {"survivor": _person(ctx), "organisation": str(ctx["case"].organisation.public_id),
            "district": ctx["case"].district_id, "identified_at": "2026-01-05T10:00:00+05:45",
            "age_at_identification": 20}  # fmt: skip


def _report(ctx: dict, name: str = "detail") -> str:
    return reverse(f"tracing:{name}", args=[out_of_scope_report(ctx).public_id])


def _report_api(ctx: dict, tail: str = "") -> str:
    return f"/api/v1/tracing/reports/{out_of_scope_report(ctx).public_id}/{tail}"


def _report_data(ctx: dict) -> dict:
    """A valid registration of a missing-person report for a new person."""
    return {"full_name": "New Girl", "gender": "Feminine", "reporter_name": "Her mother", "reporter_relation": "mother",
            "last_seen_on": "2026-01-05", "reported_on": "2026-01-06", "last_seen_district": ctx["case"].district_id,
            "visibility": "standard"}  # fmt: skip


def _peer_key(ctx: dict) -> str:
    return reverse("exchange:admin_peer_key_retire", args=["IN", ctx["peer_kid"]])


ENDPOINTS = [
    Endpoint("people list", "GET", lambda c: reverse("people:list"), Permission.PERSON_VIEW, False),
    Endpoint("people search", "GET", lambda c: reverse("people:list") + "?q=Kamala", Permission.PERSON_VIEW, False),
    Endpoint("person page", "GET", lambda c: reverse("people:detail", args=[_person(c)]), Permission.PERSON_VIEW, True),
    Endpoint("register form", "GET", lambda c: reverse("people:create"), Permission.PERSON_CREATE, False),
    Endpoint("edit form", "GET", lambda c: reverse("people:edit", args=[_person(c)]), Permission.PERSON_EDIT, True),
    Endpoint("edit save", "POST", lambda c: reverse("people:edit", args=[_person(c)]), Permission.PERSON_EDIT, True,
             data={"full_name": "Changed"}),
    Endpoint("add alias", "GET", lambda c: reverse("people:add_alias", args=[_person(c)]), Permission.PERSON_EDIT,
             True),
    Endpoint("add phone", "POST", lambda c: reverse("people:add_phone", args=[_person(c)]), Permission.PERSON_EDIT,
             True, data={"number": "+9779812345678"}),
    Endpoint("add photo", "GET", lambda c: reverse("people:add_photo", args=[_person(c)]), Permission.PERSON_EDIT,
             True),
    Endpoint("photo", "GET", lambda c: reverse("people:photo", args=[_person(c), c["photo"].public_id]),
             Permission.PERSON_PHOTO_VIEW, True),
    Endpoint("places", "GET", lambda c: reverse("geo:search") + "?q=Morang", Permission.GAZETTEER_VIEW, False),
    Endpoint("organisations", "GET", lambda c: reverse("accounts:organisation_list"), Permission.ORGANISATION_VIEW,
             False),
    Endpoint("new organisation", "GET", lambda c: reverse("accounts:organisation_create"),
             Permission.ORGANISATION_MANAGE, False),
    Endpoint("users", "GET", lambda c: reverse("accounts:user_list"), Permission.USER_MANAGE, False),
    Endpoint("new account", "GET", lambda c: reverse("accounts:user_create"), Permission.USER_MANAGE, False),
    Endpoint("SOP versions", "GET", lambda c: reverse("cases:sop_versions"), Permission.SOP_MANAGE, False),
    Endpoint("audit log", "GET", lambda c: reverse("audit:list"), Permission.AUDIT_VIEW, False),
    # The exchange's administration pages (node-wide: peers and message queues, never a message's contents).
    Endpoint("exchange peers", "GET", lambda c: reverse("exchange:admin_peers"), Permission.EXCHANGE_VIEW, False),
    Endpoint("exchange messages", "GET", lambda c: reverse("exchange:admin_messages"), Permission.EXCHANGE_VIEW,
             False),
    Endpoint("exchange messages filtered", "GET",
             lambda c: reverse("exchange:admin_messages") + "?show=out-retrying&peer=IN", Permission.EXCHANGE_VIEW,
             False),
    Endpoint("exchange peer add", "POST", lambda c: reverse("exchange:admin_peers"), Permission.EXCHANGE_MANAGE,
             False, data=lambda c: {"code": "IN", "base_url": "https://changed.example.in",
                                    "keyset": c["peer_keyset"]}),
    Endpoint("exchange key retire form", "GET", _peer_key, Permission.EXCHANGE_MANAGE, False),
    Endpoint("exchange key retire", "POST", _peer_key, Permission.EXCHANGE_MANAGE, False),
    Endpoint("exchange retry now", "POST", lambda c: reverse("exchange:admin_peer_retry", args=["IN"]),
             Permission.EXCHANGE_MANAGE, False, data={"next": "messages"}),
    # Interception alerts across the border: those received, for one's stations; sending one for an interception.
    Endpoint("interception alerts", "GET", lambda c: reverse("interceptions:alerts"), Permission.INTERCEPTION_VIEW,
             False),
    Endpoint("interception alerts all", "GET", lambda c: reverse("interceptions:alerts") + "?show=all",
             Permission.INTERCEPTION_VIEW, False),
    Endpoint("interception alert", "GET",
             lambda c: reverse("interceptions:alert_detail", args=[out_of_scope_alert(c).public_id]),
             Permission.INTERCEPTION_VIEW, True),
    Endpoint("interception alert act", "POST",
             lambda c: reverse("interceptions:alert_detail", args=[out_of_scope_alert(c).public_id]),
             Permission.INTERCEPTION_RECORD, True, data={"outcome": "watched", "note": "x"}),
    Endpoint("interception alert send", "POST",
             lambda c: reverse("interceptions:alert_send", args=[out_of_scope_interception(c).public_id]),
             Permission.INTERCEPTION_RECORD, True, data={"note": "x"}),
    # Interceptions: the list (with the out-of-scope record in the database), its page, the desk's repeat check,
    # recording one, and the writes on the out-of-scope record (a family call, an outcome that would open a case).
    Endpoint("interceptions list", "GET", lambda c: (out_of_scope_interception(c), reverse("interceptions:list"))[1],
             Permission.INTERCEPTION_VIEW, False),
    Endpoint("interceptions filtered", "GET",
             lambda c: (out_of_scope_interception(c), reverse("interceptions:list") + "?outcome=open")[1],
             Permission.INTERCEPTION_VIEW, False),
    Endpoint("interception page", "GET",
             lambda c: reverse("interceptions:detail", args=[out_of_scope_interception(c).public_id]),
             Permission.INTERCEPTION_VIEW, True),
    Endpoint("interception repeats", "GET", lambda c: reverse("interceptions:repeats") + "?q=Sita&kind=companion",
             Permission.INTERCEPTION_VIEW, False),
    Endpoint("interception record form", "GET", lambda c: reverse("interceptions:record"),
             Permission.INTERCEPTION_RECORD, False),
    Endpoint("interception record", "POST", lambda c: reverse("interceptions:record"), Permission.INTERCEPTION_RECORD,
             False, data={"intercepted_on": "2026-01-05", "intercepted_time": "10:00", "p0-full_name": "New Girl"}),
    Endpoint("interception call", "POST",
             lambda c: reverse("interceptions:call", args=[out_of_scope_interception(c).public_id]),
             Permission.INTERCEPTION_RECORD, True,
             data={"called_name": "Her mother", "relation": "mother", "phone": "9812345678", "verdict": "verified"}),
    Endpoint("interception decide", "POST",
             lambda c: reverse("interceptions:decide", args=[out_of_scope_interception(c).public_id]),
             Permission.INTERCEPTION_RECORD, True, data={"outcome": "counselled", "note": "x"}),
    # Hotspots: counts only (node-wide for every role that holds it), with the out-of-scope record counted.
    Endpoint("hotspots", "GET", lambda c: (out_of_scope_interception(c), reverse("interceptions:hotspots"))[1],
             Permission.HOTSPOT_VIEW, False),
    Endpoint("hotspots csv", "GET", lambda c: (out_of_scope_interception(c), reverse("interceptions:hotspots")
                                                + "?format=csv&table=stations&table=age_bands")[1],
             Permission.HOTSPOT_VIEW, False),
    Endpoint("api persons", "GET", lambda c: "/api/v1/persons/", Permission.PERSON_VIEW, False, api=True),
    Endpoint("api person", "GET", lambda c: f"/api/v1/persons/{_person(c)}/", Permission.PERSON_VIEW, True, api=True),
    Endpoint("api person phones", "GET", lambda c: f"/api/v1/persons/{_person(c)}/phones/", Permission.PERSON_VIEW,
             True, api=True),
    Endpoint("api person patch", "PATCH", lambda c: f"/api/v1/persons/{_person(c)}/", Permission.PERSON_EDIT, True,
             data={"full_name": "Changed"}, api=True),
    Endpoint("api person create", "POST", lambda c: "/api/v1/persons/", Permission.PERSON_CREATE, False,
             data={"full_name": "New Person"}, api=True),
    Endpoint("api places", "GET", lambda c: "/api/v1/places/?q=Morang", Permission.GAZETTEER_VIEW, False, api=True),
    Endpoint("api organisations", "GET", lambda c: "/api/v1/organisations/", Permission.ORGANISATION_VIEW, False,
             api=True),
    # Cases (pages).
    Endpoint("cases list", "GET", lambda c: reverse("cases:list"), Permission.CASE_VIEW, False),
    Endpoint("cases search", "GET", lambda c: reverse("cases:list") + "?q=Kamala", Permission.CASE_VIEW, False),
    Endpoint("my tasks", "GET", lambda c: reverse("cases:tasks"), Permission.CASE_VIEW, False),
    Endpoint("overdue cases", "GET", lambda c: reverse("cases:overdue"), Permission.CASE_VIEW, False),
    Endpoint("case page", "GET", lambda c: _case_page(c, "detail"), Permission.CASE_VIEW, True),
    Endpoint("case document", "GET", lambda c: reverse("cases:document", args=[c["case"].public_id,
                                                                              c["document"].public_id]),
             Permission.CASE_VIEW, True),
    # Only the receiving organisation answers (a focal point sees the case, but may not accept it).
    Endpoint("transfer answer", "POST", lambda c: reverse("cases:transfer_answer", args=[c["transfer"].public_id]),
             Permission.CASE_OPEN, True, data={"answer": "accept", "reason": ""}),
    Endpoint("case step", "POST", lambda c: _case_page(c, "act"), Permission.CASE_WORK, True,
             data=lambda c: {"action": "produce_before_cwc", "reason": "x", "revision": c["case"].revision}),
    Endpoint("case hold", "POST", lambda c: _case_page(c, "hold"), Permission.CASE_WORK, True,
             data=lambda c: {"reason": "court", "revision": c["case"].revision}),
    Endpoint("decision form", "GET", lambda c: _case_page(c, "decision"), Permission.CASE_WORK, True),
    Endpoint("consent form", "POST", lambda c: _case_page(c, "consent"), Permission.CASE_WORK, True,
             data={"purpose": "care", "given_by": "legal_basis", "legal_basis": "CWC order"}),
    Endpoint("case document upload", "GET", lambda c: _case_page(c, "document_add"), Permission.CASE_WORK, True),
    Endpoint("case edit", "POST", lambda c: _case_page(c, "edit"), Permission.CASE_WORK, True,
             data=lambda c: {"summary": "changed", "revision": c["case"].revision}),
    Endpoint("sensitive notes", "GET", lambda c: _case_page(c, "sensitive"), Permission.CASE_SENSITIVE, True,
             team_only=True),
    Endpoint("sensitive note add", "POST", lambda c: _case_page(c, "sensitive"), Permission.CASE_SENSITIVE, True,
             data={"kind": "testimony", "text": "Overwritten?"}, team_only=True),
    # Cases (API). The writes carry well-formed bodies (the upload aside): a refusal comes from the access check.
    Endpoint("api cases", "GET", lambda c: "/api/v1/cases/", Permission.CASE_VIEW, False, api=True),
    Endpoint("api cases search", "GET", lambda c: "/api/v1/cases/?q=Kamala", Permission.CASE_VIEW, False, api=True),
    Endpoint("api case tasks", "GET", lambda c: "/api/v1/case-tasks/", Permission.CASE_VIEW, False, api=True),
    Endpoint("api case", "GET", lambda c: _case(c), Permission.CASE_VIEW, True, api=True),
    Endpoint("api case document file", "GET", lambda c: _case(c, f"documents/{c['document'].public_id}/file/"),
             Permission.CASE_VIEW, True, api=True),
    Endpoint("api case open", "POST", lambda c: "/api/v1/cases/", Permission.CASE_OPEN, True, data=_case_open_data,
             api=True),
    Endpoint("api case transfer answer", "POST", lambda c: f"/api/v1/case-transfers/{c['transfer'].public_id}/answer/",
             Permission.CASE_OPEN, True, data={"accept": True}, api=True),
    Endpoint("api case act", "POST", lambda c: _case(c, "act/"), Permission.CASE_WORK, True,
             data=lambda c: {"action": "produce_before_cwc", "reason": "x", "revision": c["case"].revision},
             api=True),
    Endpoint("api case edit", "PATCH", lambda c: _case(c), Permission.CASE_WORK, True,
             data=lambda c: {"summary": "changed", "revision": c["case"].revision}, api=True),
    Endpoint("api case team", "POST", lambda c: _case(c, "team/"), Permission.CASE_WORK, True,
             data=lambda c: {"owner": "parsa_worker", "revision": c["case"].revision}, api=True),
    Endpoint("api case hold", "POST", lambda c: _case(c, "hold/"), Permission.CASE_WORK, True,
             data=lambda c: {"reason": "court", "revision": c["case"].revision}, api=True),
    Endpoint("api case resume", "POST", lambda c: _case(c, "resume/"), Permission.CASE_WORK, True,
             data=lambda c: {"revision": c["case"].revision}, api=True),
    Endpoint("api case reopen", "POST", lambda c: _case(c, "reopen/"), Permission.CASE_WORK, True,
             data=lambda c: {"reason": "new facts", "revision": c["case"].revision}, api=True),
    Endpoint("api case transfer", "POST", lambda c: _case(c, "transfer/"), Permission.CASE_WORK, True,
             data=lambda c: {"to_organisation": str(c["shelter"].public_id), "reason": "x",
                             "revision": c["case"].revision}, api=True),
    Endpoint("api case decision", "POST", lambda c: _case(c, "decisions/"), Permission.CASE_WORK, True,
             data={"kind": "victim_determination", "favourable": True, "outcome": "victim", "decider_name": "SP",
                   "decided_on": "2026-01-05", "basis": "statement", "survivor_view": "agrees",
                   "decision_org_type": "Police"}, api=True),
    Endpoint("api case consent", "POST", lambda c: _case(c, "consents/"), Permission.CASE_WORK, True,
             data={"purpose": "care", "given_by": "legal_basis", "legal_basis": "CWC order"}, api=True),
    Endpoint("api case consent withdraw", "POST", lambda c: _case(c, f"consents/{c['consent'].public_id}/withdraw/"),
             Permission.CASE_WORK, True, data={"reason": "she asked"}, api=True),
    Endpoint("api case document", "POST", lambda c: _case(c, "documents/"), Permission.CASE_WORK, True,
             data={"doc_type": "fir"}, api=True),
    Endpoint("api case assessment", "POST", lambda c: _case(c, "assessments/"), Permission.CASE_WORK, True,
             data={"kind": "needs", "assessed_on": "2026-01-05", "summary": "shelter"}, api=True),
    Endpoint("api case support plan", "POST", lambda c: _case(c, "support-plans/"), Permission.CASE_WORK, True,
             data={"plan_type": "Health", "objectives": "care", "starts_on": "2026-01-05"}, api=True),
    Endpoint("api case service", "POST", lambda c: _case(c, "services/"), Permission.CASE_WORK, True,
             data=lambda c: {"service": "counselling", "provider": str(c["shelter"].public_id),
                             "delivered_on": "2026-01-05"}, api=True),
    Endpoint("api case follow-up", "POST", lambda c: _case(c, "follow-ups/"), Permission.CASE_WORK, True,
             data={"due_on": "2026-02-05"}, api=True),
    Endpoint("api case follow-up record", "POST", lambda c: _case(c, f"follow-ups/{c['follow_up'].public_id}/record/"),
             Permission.CASE_WORK, True, data={"done_on": "2026-01-05", "outcome": "well"}, api=True),
    Endpoint("api case related", "POST", lambda c: _case(c, "related/"), Permission.CASE_WORK, True,
             data=lambda c: {"person": str(c["relative"].public_id), "role": "parent"}, api=True),
    Endpoint("api case history", "POST", lambda c: _case(c, "history/"), Permission.CASE_WORK, True,
             data={"kind": "Recruitment", "place": "Birgunj"}, api=True),
    Endpoint("api case sensitive", "GET", lambda c: _case(c, "sensitive/"), Permission.CASE_SENSITIVE, True,
             api=True, team_only=True),
    Endpoint("api case sensitive add", "POST", lambda c: _case(c, "sensitive/"), Permission.CASE_SENSITIVE, True,
             data={"kind": "testimony", "text": "Overwritten?"}, api=True, team_only=True),
    # Prevention (pages): with an awareness activity and a vigilance report of the Parsa organisation, in Parsa.
    Endpoint("prevention summary", "GET", lambda c: (out_of_scope_activity(c), reverse("prevention:summary"))[1],
             Permission.PREVENTION_VIEW, False),
    Endpoint("prevention summary csv", "GET",
             lambda c: (out_of_scope_vigilance_report(c), reverse("prevention:summary_csv"))[1],
             Permission.PREVENTION_VIEW, False),
    Endpoint("awareness activities", "GET",
             lambda c: (out_of_scope_activity(c), reverse("prevention:activity_list"))[1],
             Permission.PREVENTION_VIEW, False),
    Endpoint("awareness activity", "GET",
             lambda c: reverse("prevention:activity_detail", args=[out_of_scope_activity(c).public_id]),
             Permission.PREVENTION_VIEW, True),
    Endpoint("vigilance report", "GET",
             lambda c: reverse("prevention:vigilance_detail", args=[out_of_scope_vigilance_report(c).public_id]),
             Permission.PREVENTION_VIEW, True),
    Endpoint("awareness activity record", "POST", lambda c: reverse("prevention:activity_create"),
             Permission.PREVENTION_RECORD, False,
             data=lambda c: {"held_on": "2026-01-05", "district": out_of_scope_activity(c).district_id,
                             "local_level": out_of_scope_activity(c).local_level_id, "ward": 3,
                             "audience": "students", "female_under_18": 30, "topics": ["red_flags"]}),
    Endpoint("awareness activity edit", "POST",
             lambda c: reverse("prevention:activity_edit", args=[out_of_scope_activity(c).public_id]),
             Permission.PREVENTION_RECORD, True, data={"ward": 2}),
    # Missing-person reports (pages and API), with a report of the Parsa organisation for the out-of-scope person.
    Endpoint("missing persons", "GET", lambda c: (out_of_scope_report(c), reverse("tracing:list"))[1],
             Permission.TRACING_VIEW, False),
    Endpoint("missing persons search", "GET",
             lambda c: (out_of_scope_report(c), reverse("tracing:list") + "?q=Kamala&status=open")[1],
             Permission.TRACING_VIEW, False),
    Endpoint("missing-person report", "GET", lambda c: _report(c), Permission.TRACING_VIEW, True),
    Endpoint("missing-person report form", "GET", lambda c: reverse("tracing:create"), Permission.TRACING_RECORD,
             False),
    Endpoint("missing-person report local levels", "GET",
             lambda c: reverse("tracing:local_levels") + f"?last_seen_district={c['case'].district_id}",
             Permission.TRACING_RECORD, False),
    Endpoint("missing-person report register", "POST", lambda c: reverse("tracing:create"), Permission.TRACING_RECORD,
             False, data=_report_data),
    Endpoint("missing-person report edit", "POST", lambda c: _report(c, "edit"), Permission.TRACING_RECORD, True,
             data={"reporter_name": "Changed", "reporter_relation": "father", "last_seen_on": "2026-01-05",
                   "reported_on": "2026-01-06", "visibility": "restricted"}),
    Endpoint("missing-person report status", "POST", lambda c: _report(c, "status"), Permission.TRACING_RECORD, True,
             data={"status": "closed", "note": "Closed?"}),
    Endpoint("api missing reports", "GET", lambda c: (out_of_scope_report(c), "/api/v1/tracing/reports/")[1],
             Permission.TRACING_VIEW, False, api=True),
    Endpoint("api missing report", "GET", lambda c: _report_api(c), Permission.TRACING_VIEW, True, api=True),
    Endpoint("api missing report register", "POST", lambda c: "/api/v1/tracing/reports/", Permission.TRACING_RECORD,
             False, data=lambda c: {"person": {"full_name": "New Girl", "gender": "Feminine"},
                                    "reporter_name": "Her mother", "reporter_relation": "mother",
                                    "last_seen_on": "2026-01-05"}, api=True),
    Endpoint("api missing report patch", "PATCH", lambda c: _report_api(c), Permission.TRACING_RECORD, True,
             data={"reference": "Changed"}, api=True),
    Endpoint("api missing report status", "POST", lambda c: _report_api(c, "status/"), Permission.TRACING_RECORD,
             True, data={"status": "closed", "note": "Closed?"}, api=True),
    Endpoint("missing-person alert to the other node", "POST", lambda c: _report(c, "alert_send"),
             Permission.TRACING_RECORD, True, data={"peer": "IN", "legal_basis": "consent?"}),
    # The review queue, with a candidate proposed for that report (her relative, of Parsa too).
    Endpoint("possible matches", "GET", lambda c: (out_of_scope_candidate(c), reverse("tracing:matches"))[1],
             Permission.MATCH_REVIEW, False),
    Endpoint("possible match", "GET", lambda c: reverse("tracing:match", args=[out_of_scope_candidate(c).public_id]),
             Permission.MATCH_REVIEW, True),
    Endpoint("possible match decide", "POST",
             lambda c: reverse("tracing:match_decide", args=[out_of_scope_candidate(c).public_id]),
             Permission.MATCH_REVIEW, True, data={"decision": "confirm", "reason": "Sure?"}),
    # The other node asked about a person of Parsa.
    Endpoint("asked by the other node", "GET",
             lambda c: reverse("tracing:asked", args=[out_of_scope_asked(c).public_id]), Permission.MATCH_REVIEW, True),
    Endpoint("asked by the other node reveal", "POST",
             lambda c: reverse("tracing:asked_decide", args=[out_of_scope_asked(c).public_id]),
             Permission.MATCH_REVIEW, True, data={"decision": "reveal", "reason": "Sure?"}),
]  # fmt: skip
# Prosecutions, MLA requests and joint training: each app lists its rows and makes the out-of-scope records they
# address (a Parsa prosecutor's prosecution with the out-of-scope case as witness, the Parsa organisation's MLA
# request and training programme).
ENDPOINTS += [Endpoint(**row.as_endpoint()) for row in [*LEGAL_ENDPOINTS, *TRAINING_ENDPOINTS]]
# Reports (dashboards, bilateral statistics and the CTDC extract, exports and printable documents) and imports.
ENDPOINTS += [
    Endpoint(**row.as_endpoint())
    for row in [*DASHBOARD_ENDPOINTS, *STATISTICS_ENDPOINTS, *EXPORT_ENDPOINTS, *IMPORT_ENDPOINTS]
]
ENDPOINTS += [
    Endpoint(row.name, row.method.upper(), row.path, row.permission, row.object_level, data=row.data, api=row.api)
    for row in MLA_ENDPOINTS
]


def _cells():
    for role in Role:
        for endpoint in ENDPOINTS:
            scope = ROLE_PERMISSIONS[role].get(endpoint.permission)
            if scope is None:
                yield pytest.param(role, endpoint, "no permission", id=f"{role.value}-{endpoint.name}-denied")
            elif endpoint.object_level and scope != Scope.NODE:
                yield pytest.param(role, endpoint, "out of scope", id=f"{role.value}-{endpoint.name}-out-of-scope")
            elif endpoint.team_only and role.value not in SUPERVISOR_ROLES:
                # A node-wide grant reaches the case, but the role is neither on its team nor a supervisor.
                yield pytest.param(role, endpoint, "not on the team", id=f"{role.value}-{endpoint.name}-not-team")
            elif not endpoint.object_level and endpoint.method == "GET":
                yield pytest.param(role, endpoint, "list", id=f"{role.value}-{endpoint.name}-allowed")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def out_of_scope(parsa, tmp_path, settings):
    """A person registered by a Parsa organisation, located in Parsa, with a photo; her case, opened by that
    organisation in Parsa, with a sensitive note, a document, a consent, a follow-up visit and a transfer
    waiting for another Parsa organisation; and a relative registered in Parsa."""
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from setu.people import services

    parsa_org = OrganisationFactory(name_en="Transit Home Birgunj", districts=[parsa])
    shelter = OrganisationFactory(name_en="Shelter Birgunj", districts=[parsa])
    parsa_worker = make_user("parsa_worker", "caseworker", parsa_org)
    person = PersonFactory(full_name="Kamala Out-of-scope", organisation=parsa_org, location_district=parsa)
    relative = PersonFactory(full_name="Out-of-scope Mother", organisation=parsa_org, location_district=parsa)
    services.person_add_photo(
        actor=parsa_worker, person=person, upload=SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")
    )
    case = open_case(parsa_worker, district=parsa, survivor=person, age=16)
    case_services.sensitive_note_add(actor=parsa_worker, case=case, kind="testimony", text="Out-of-scope testimony")
    document = case_services.document_add(actor=parsa_worker, case=case, doc_type="fir",
                                          upload=SimpleUploadedFile("fir.pdf", PDF, "application/pdf"))  # fmt: skip
    consent = legal_basis(parsa_worker, case, "family_contact")
    follow_up = case_services.follow_up_schedule(actor=parsa_worker, case=case, due_on=case.identified_at.date())
    case.refresh_from_db()
    transfer = case_services.case_transfer_request(actor=parsa_worker, case=case, to_organisation=shelter,
                                                   reason="closer to home", revision=case.revision)  # fmt: skip
    case.refresh_from_db()
    # A peer node backing off, with one message waiting for it: what the exchange's pages address.
    peer_keys = NodeKeys(tmp_path / "keys-in")
    peer_keys.init()
    keyset = peer_keys.published("IN")
    peer = peer_add(code="IN", base_url="https://setu.example.in", keyset=keyset)
    Peer.objects.filter(pk=peer.pk).update(failures=2, retry_at=timezone.now() + dt.timedelta(minutes=5))
    OutboxMessage.objects.create(id=new_message_id(), peer=peer, type="case.notification", token="x.y.z",
                                 created_at=timezone.now(), attempts=2,
                                 next_attempt_at=timezone.now() + dt.timedelta(minutes=5))  # fmt: skip
    return {"person": person, "photo": Photo.objects.get(person=person), "case": case, "document": document,
            "consent": consent, "follow_up": follow_up, "transfer": transfer, "shelter": shelter,
            "relative": relative, "peer_kid": keyset["keys"][0]["kid"], "peer_keyset": json.dumps(keyset)}  # fmt: skip


def _case_state(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (case.revision, case.stage, case.status, case.organisation_id, case.updated_at, Case.objects.count(),
            case.sensitive_notes.count(), case.documents.count(), case.events.count())  # fmt: skip


def _exchange_state() -> tuple:
    return (tuple(Peer.objects.values_list("code", "base_url", "is_active", "failures", "retry_at", "updated_at")),
            tuple(PeerKey.objects.values_list("kid", "state", "updated_at")),
            tuple(OutboxMessage.objects.values_list("id", "state", "next_attempt_at")))  # fmt: skip


def _request(client: Client, endpoint: Endpoint, ctx: dict):
    path = endpoint.path(ctx)
    data = (endpoint.data(ctx) if callable(endpoint.data) else endpoint.data) or {}
    if endpoint.method == "GET":
        return client.get(path)
    if endpoint.method == "POST":
        if endpoint.api:
            return client.post(path, data, content_type="application/json")
        return client.post(path, data)
    return client.patch(path, data, content_type="application/json")


@pytest.mark.parametrize(("role", "endpoint", "cell"), list(_cells()))
def test_permission_matrix(role, endpoint, cell, np_transit_home, out_of_scope):
    user = make_user(f"matrix_{role.value}", role.value, np_transit_home)
    client = Client()
    client.force_login(user)
    endpoint.path(out_of_scope)  # the out-of-scope records the endpoint addresses exist before the states are taken
    denials_before = AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count()
    case_before = _case_state(out_of_scope["case"])
    exchange_before = _exchange_state()
    report_before = report_state(out_of_scope)

    response = _request(client, endpoint, out_of_scope)

    if cell == "list":
        assert response.status_code == 200, response.content[:300]
        assert b"Kamala Out-of-scope" not in response.content or (
            endpoint.permission in SURVIVOR_LISTS and ROLE_PERMISSIONS[role][endpoint.permission] == Scope.NODE
        )
        return
    assert response.status_code == 404, f"{role} {endpoint.name}: {response.status_code} {response.content[:300]!r}"
    assert b"Kamala Out-of-scope" not in response.content
    assert b"Out-of-scope testimony" not in response.content
    assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied").count() == denials_before + 1
    out_of_scope["person"].refresh_from_db()
    assert out_of_scope["person"].full_name == "Kamala Out-of-scope"
    assert _case_state(out_of_scope["case"]) == case_before
    assert _exchange_state() == exchange_before
    assert report_state(out_of_scope) == report_before


def test_the_matrix_covers_every_role_and_permission():
    cells = list(_cells())
    assert {c.values[0] for c in cells} == set(Role)
    assert {e.permission for e in ENDPOINTS} == set(Permission) - NOT_YET_USED
    assert not NOT_YET_USED & {e.permission for e in ENDPOINTS}, "an endpoint uses it now: take it out of NOT_YET_USED"
    assert len(cells) > 150
