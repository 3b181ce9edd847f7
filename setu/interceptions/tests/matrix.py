"""Out-of-scope records for the permission matrix (tests/test_permission_matrix.py): an interception at
Birgunj recorded by the Parsa organisation of the matrix's `out_of_scope` fixture, and an alert from India
for Birgunj. Made on first use and kept in the fixture's dict, so every endpoint of a cell addresses the
same ones; an `interception` the fixture already holds is used as it is."""

from __future__ import annotations

from django.utils import timezone

from setu.accounts.tests.factories import make_user
from setu.exchange.envelope import new_message_id
from setu.exchange.models import InboxMessage, Peer
from setu.geo.models import BorderPoint
from setu.interceptions.models import Interception, InterceptionAlert


def _birgunj(ctx: dict) -> BorderPoint:
    district = ctx["case"].district
    return BorderPoint.objects.get_or_create(country="NP", name_en="Birgunj", defaults={"district": district})[0]


def out_of_scope_interception(ctx: dict) -> Interception:
    if "interception" not in ctx:
        from setu.interceptions.services import InterceptionEntry, PersonEntry, interception_record

        organisation = ctx["case"].organisation
        monitor = make_user("parsa_matrix_monitor", "border_monitor", organisation)
        entry = InterceptionEntry(station=_birgunj(ctx), intercepted_at=timezone.now(), organisation=organisation,
                                  persons=[PersonEntry(person=ctx["person"])])  # fmt: skip
        ctx["interception"] = interception_record(actor=monitor, entry=entry)
    return ctx["interception"]


def out_of_scope_alert(ctx: dict) -> InterceptionAlert:
    """An alert from India for Birgunj, a station none of the matrix's users works at (stored as the inbox
    handler stores one; the matrix's peer IN has no real key here)."""
    if "alert" not in ctx:
        now = timezone.now()
        payload = {
            "interception_number": "IN-INT-2026-000099", "station": "Raxaul", "counterpart_station": "Birgunj",
            "intercepted_at": "2026-01-05T10:00:00Z", "persons": [{"sex": "Feminine", "age_band": "9-17"}],
        }  # fmt: skip
        row = InboxMessage.objects.create(
            peer=Peer.objects.get(code="IN"), message_id=new_message_id(), type="interception.alert", token="x.y.z",
            created_at=now, received_at=now, state=InboxMessage.State.APPLIED, applied_at=now, receipt="x.y.z",
        )  # fmt: skip
        ctx["alert"] = InterceptionAlert.objects.create(inbox=row, from_node="IN", station=_birgunj(ctx),
                                                        payload=payload, received_at=now)  # fmt: skip
    return ctx["alert"]
