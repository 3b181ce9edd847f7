"""Out-of-scope records for the permission matrix (tests/test_permission_matrix.py), all of the Parsa
organisation of the matrix's `out_of_scope` fixture: a missing-person report for the out-of-scope person, last
seen in Parsa; a candidate match proposed for it (her relative, registered in Parsa); and a person of Parsa the
other country's node asked about. Made on first use and kept in the fixture's dict, so every endpoint of a cell
addresses the same ones."""

from __future__ import annotations

import uuid

from django.utils import timezone

from setu.exchange.models import InboxMessage, Peer
from setu.tracing.models import AlertReceived, BorderStatus, LocalCandidate, MatchCandidate, MissingReport
from setu.tracing.tests.factories import make_report


def out_of_scope_report(ctx: dict) -> MissingReport:
    if "missing_report" not in ctx:
        case = ctx["case"]
        ctx["missing_report"] = make_report(organisation=case.organisation, person=ctx["person"],
                                            last_seen_district=case.district, created_by=case.created_by,
                                            last_seen_place="Birgunj Ghantaghar")  # fmt: skip
    return ctx["missing_report"]


def out_of_scope_candidate(ctx: dict) -> MatchCandidate:
    if "match_candidate" not in ctx:
        ctx["match_candidate"] = MatchCandidate.objects.create(
            report=out_of_scope_report(ctx), person=ctx["relative"], probability=0.8,
            explanation=[{"field": "given_name", "level": 1, "label": "same spelling", "weight": 7.0}],
        )  # fmt: skip
    return ctx["match_candidate"]


def out_of_scope_asked(ctx: dict) -> LocalCandidate:
    """The out-of-scope person, proposed to India's node for its alert and asked about."""
    if "asked" not in ctx:
        now = timezone.now()
        inbox = InboxMessage.objects.create(peer=Peer.objects.get(code="IN"), message_id=uuid.uuid4(),
                                            type="tracing.alert", token="x.y.z", created_at=now, received_at=now,
                                            state=InboxMessage.State.APPLIED, receipt="r")  # fmt: skip
        alert = AlertReceived.objects.create(inbox=inbox, from_node="IN", alert_ref=uuid.uuid4(),
                                             reported_on=now.date(), features={"given": "kmla"})  # fmt: skip
        ctx["asked"] = LocalCandidate.objects.create(alert=alert, person=ctx["person"], candidate_ref=uuid.uuid4(),
                                                     probability=0.7, status=BorderStatus.ASKED)  # fmt: skip
    return ctx["asked"]


def report_state(ctx: dict) -> tuple:
    """What a refused cell must leave as it was."""
    state: tuple = ()
    if "missing_report" in ctx:
        report = MissingReport.objects.get(pk=ctx["missing_report"].pk)
        state += (report.status, report.reporter_name, report.reference, report.visibility, report.updated_at,
                  MissingReport.objects.count(), report.alerts.count())  # fmt: skip
    if "match_candidate" in ctx:
        state += tuple(MatchCandidate.objects.filter(pk=ctx["match_candidate"].pk).values_list("status", "reason"))
    if "asked" in ctx:
        state += tuple(LocalCandidate.objects.filter(pk=ctx["asked"].pk).values_list("status", "reason"))
    return state
