"""Bilateral statistics between two real nodes (conftest.py): each node's analyst publishes the year's
tables; each relay delivers them; each node's joint page then holds both countries' figures, and what
crossed holds only protected aggregates (0, at least 11, or null), nothing else."""

from __future__ import annotations

from tests.exchange.conftest import TwoNodes, wait_until

# Each node: an analyst (statistics.publish at node scope). Idempotent.
ANALYST = """
from setu.accounts.models import Organisation, User
from setu.accounts.tests.factories import OrganisationFactory, make_user

organisation = Organisation.objects.filter(name_en=params["organisation"]).first() or OrganisationFactory(
    name_en=params["organisation"], country=params["code"], org_type="CentralGovernmentOrganisation")
if not User.objects.filter(username=params["username"]).exists():
    make_user(params["username"], "analyst", organisation)
print(json.dumps({"ok": True}))
"""

PUBLISH = """
from django.utils import timezone
from setu.accounts.models import User
from setu.exchange.envelope import stored_claims
from setu.reports.statistics import statistics_publish

analyst = User.objects.get(username=params["username"])
publication = statistics_publish(actor=analyst, year=timezone.localdate().year)
print(json.dumps({"year": publication.year, "payload": stored_claims(publication.message.token)["payload"]}))
"""

JOINT = """
from setu.accounts.models import User
from setu.reports.statistics import joint_for

mine, other = joint_for(User.objects.get(username=params["username"]), params["year"])
found = None if other is None else {"mine": mine.node, "other": other.node, "tables": sorted(other.tables),
                                    "published": mine.published_at is not None}
print(json.dumps(found))
"""


def _values(payload: dict) -> list:
    out = []
    for table in payload["tables"]:
        out += [value for row in table["cells"] for value in row]
        out += [*table["row_totals"], *table["col_totals"], table["total"]]
    return out


def test_each_node_publishes_its_statistics_and_the_other_shows_them_side_by_side(relays: TwoNodes):
    np, india = relays.np, relays.india
    np.run(ANALYST, code="NP", organisation="Ministry of Women, Children and Senior Citizens", username="np_stats")
    india.run(ANALYST, code="IN", organisation="Ministry of Home Affairs", username="in_stats")
    sent = {node.code: node.run(PUBLISH, username=username)
            for node, username in ((np, "np_stats"), (india, "in_stats"))}  # fmt: skip
    for published in sent.values():
        assert set(published["payload"]) == {"ref", "year", "k", "published_at", "tables"}
        assert all(value is None or value == 0 or value >= 11 for value in _values(published["payload"]))
    np.start_relay()
    india.start_relay()
    year = sent["NP"]["year"]
    on_np = wait_until(lambda: np.run(JOINT, username="np_stats", year=year), timeout=60,
                       what="India's statistics to reach NP")  # fmt: skip
    on_in = wait_until(lambda: india.run(JOINT, username="in_stats", year=year), timeout=60,
                       what="Nepal's statistics to reach IN")  # fmt: skip
    tables = ["interceptions", "missing", "mla", "repatriations", "survivors", "training"]
    assert on_np == {"mine": "NP", "other": "IN", "tables": tables, "published": True}
    assert on_in == {"mine": "IN", "other": "NP", "tables": tables, "published": True}
