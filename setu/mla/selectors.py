"""Reads on MLA requests, scoped to the asking user, and the dashboard's figures.

Scope (setu.accounts.roles): MLA_VIEW node-wide (the focal points, who are the central authority) sees every
request of the node; otherwise the requests of the user's offices (a prosecutor's). An incoming request
belongs to no office, so only node-wide grants see it. `request_get_for` is the access function: missing and
forbidden look the same (an audited 404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_denied
from setu.core.ids import as_uuid
from setu.legal.models import Prosecution
from setu.mla import workflow
from setu.mla.models import Deadline, MlaDocument, MlaRequest, ReminderNotice, Status
from setu.mla.services import REQUEST_OBJECT

AGE_BANDS = ((0, 30, "< 30"), (30, 90, "30–90"), (90, 180, "90–180"), (180, None, "> 180"))


def _scope(user, permission: Permission) -> Q | None:
    grant = policy.grants(user, permission)
    if not grant.allowed:
        return None
    if grant.node_wide:
        return Q()
    return Q(organisation_id__in=sorted(grant.organisation_ids))


def request_list_for(
    user,
    *,
    status: str = "",
    direction: str = "",
    kind: str = "",
    query: str = "",
    open_only: bool = False,
) -> QuerySet[MlaRequest]:
    """The requests `user` may see, filtered; the latest moved first."""
    scope = _scope(user, Permission.MLA_VIEW)
    if scope is None:
        return MlaRequest.objects.none()
    rows = MlaRequest.objects.filter(scope)
    if status:
        rows = rows.filter(status=status)
    if open_only:
        rows = rows.exclude(status=workflow.CLOSED)
    if direction:
        rows = rows.filter(direction=direction)
    if kind:
        # A JSON list holds the kind: matched on its quoted form, which works on SQLite and PostgreSQL alike.
        rows = rows.filter(types__icontains=f'"{kind}"')
    query = " ".join(query.split())[:100]
    if query:
        rows = rows.filter(Q(number__icontains=query) | Q(peer_number__icontains=query)
                           | Q(subject__icontains=query) | Q(prosecution__number__icontains=query))  # fmt: skip
    return rows.select_related("organisation", "prosecution")


def request_get_for(user, public_id, *, permission: Permission = Permission.MLA_VIEW) -> MlaRequest:
    """The request with `public_id` if `permission` reaches it; else an audited NotFoundOrForbidden."""
    scope = _scope(user, permission)
    key = as_uuid(public_id)
    found = None
    if scope is not None and key is not None:
        found = (MlaRequest.objects.filter(scope, public_id=key)
                 .select_related("organisation", "prosecution", "created_by", "message").first())  # fmt: skip
    if found is None:
        audit_denied(actor=user, action=permission.value, object_type=REQUEST_OBJECT, object_id=str(public_id)[:64])
        raise policy.NotFoundOrForbidden()
    return found


def document_get_for(user, request_id, document_id) -> MlaDocument:
    request = request_get_for(user, request_id)
    key = as_uuid(document_id)
    document = request.documents.filter(public_id=key).exclude(file="").first() if key else None
    if document is None:
        audit_denied(actor=user, action="mla.document_view", object_type="mla.mladocument",
                     object_id=str(document_id)[:64])  # fmt: skip
        raise policy.NotFoundOrForbidden()
    return document


def prosecutions_for(user) -> QuerySet[Prosecution]:
    """The prosecutions a request of `user` may name: those LEGAL_VIEW reaches."""
    grant = policy.grants(user, Permission.LEGAL_VIEW)
    rows = Prosecution.objects.all()
    if not grant.allowed:
        return rows.none()
    if not grant.node_wide:
        rows = rows.filter(Q(organisation_id__in=grant.organisation_ids) | Q(district_id__in=grant.district_ids))
    return rows.order_by("-opened_on", "-id")


# --- the dashboard -------------------------------------------------------------------------------------------------


def started_on(request: MlaRequest) -> dt.date:
    """Since when the request has been open here: sent (outgoing), received (incoming), else drafted."""
    return request.sent_on or request.received_on or timezone.localdate(request.created_at)


@dataclass
class Dashboard:
    by_status: list[tuple[str, str, int]]  # (status, label, count) of open requests
    by_age: list[tuple[str, int, int]]  # (band, outgoing, incoming)
    overdue: list[Deadline]
    near: list[Deadline]
    notices: list[ReminderNotice] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(count for _s, _l, count in self.by_status)

    @property
    def widest(self) -> int:
        return max([count for _s, _l, count in self.by_status] + [1])


def dashboard_for(user, *, today: dt.date | None = None, near_days: int | None = None) -> Dashboard:
    """Open requests by status and by age, and the open deadlines overdue and near, over what `user` sees."""
    from setu.mla.deadlines_rules import rule_book

    today = today or timezone.localdate()
    near_days = rule_book().near_days if near_days is None else near_days
    open_rows = request_list_for(user, open_only=True).select_related(None).only(
        "status", "direction", "sent_on", "received_on", "created_at")  # fmt: skip
    counts: dict[str, int] = {}
    ages = {label: [0, 0] for _lo, _hi, label in AGE_BANDS}
    for row in open_rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        age = (today - started_on(row)).days
        for low, high, label in AGE_BANDS:
            if age >= low and (high is None or age < high):
                ages[label][0 if row.direction == workflow.OUTGOING else 1] += 1
                break
    by_status = [(value, str(label), counts.get(value, 0)) for value, label in Status.choices
                 if value != workflow.CLOSED]  # fmt: skip
    visible = request_list_for(user, open_only=True).values("pk")
    deadlines = (Deadline.objects.filter(request__in=visible, met_at__isnull=True)
                 .select_related("request").order_by("due_on", "id"))  # fmt: skip
    overdue = list(deadlines.filter(due_on__lt=today)[:50])
    near = list(deadlines.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=near_days))[:50])
    notices = list(ReminderNotice.objects.filter(user=user, read_at__isnull=True)
                   .select_related("reminder__deadline__request")[:20])  # fmt: skip
    return Dashboard(by_status=by_status, by_age=[(label, o, i) for label, (o, i) in ages.items()],
                     overdue=overdue, near=near, notices=notices)  # fmt: skip
