"""The MLA endpoints for the permission matrix (tests/test_permission_matrix.py), and the out-of-scope request
they address: an outgoing request of the matrix's out-of-scope organisation (the Parsa organisation that owns
`ctx["case"]`). Made on first use and kept in the fixture's dict, so every endpoint of a cell addresses the same
one. `ENDPOINTS` lists each page and API endpoint: URL name, method, permission, whether it addresses one
request (object level), and the path for a context; setu/mla/tests/test_views.py runs them for the roles
without the permission and for a prosecutor of another office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from setu.accounts.roles import Permission
from setu.mla.models import MlaRequest


@dataclass(frozen=True)
class MlaEndpoint:
    name: str
    method: str
    permission: Permission
    object_level: bool
    path: Callable[[dict], str]
    data: dict | None = None
    api: bool = False


def out_of_scope_mla_request(ctx: dict) -> MlaRequest:
    if "mla_request" not in ctx:
        case = ctx["case"]
        now = timezone.now()
        ctx["mla_request"] = MlaRequest.objects.create(
            number="NP-MLA-2026-999999", direction="outgoing", organisation=case.organisation, peer_code="IN",
            requesting_state="NP", requesting_authority="NP-DAO-PARSA", requested_state="IN",
            requested_authority="IN-MHA-IS2", types=["records"], legal_basis="reciprocity",
            subject="Out-of-scope request", summary="Records of a transport company.", language="en",
            language_reason="", letter_date=timezone.localdate() - dt.timedelta(days=3), status="drafted",
            status_changed_at=now, created_by=case.created_by,
        )  # fmt: skip
    return ctx["mla_request"]


def _request(ctx: dict) -> str:
    return str(out_of_scope_mla_request(ctx).public_id)


_DRAFT = {"requesting_authority": "NP-DAO-PARSA", "requested_authority": "IN-MHA-IS2", "types": ["records"],
          "legal_basis": "reciprocity", "subject": "Matrix", "summary": "Matrix", "language": "ne",
          "letter_date": "2026-01-05"}  # fmt: skip

ENDPOINTS: tuple[MlaEndpoint, ...] = (
    MlaEndpoint("mla:dashboard", "get", Permission.MLA_VIEW, False, lambda ctx: reverse("mla:dashboard")),
    MlaEndpoint("mla:request_list", "get", Permission.MLA_VIEW, False, lambda ctx: reverse("mla:request_list")),
    MlaEndpoint("mla:notices_read", "post", Permission.MLA_VIEW, False, lambda ctx: reverse("mla:notices_read")),
    MlaEndpoint("mla:request_create", "get", Permission.MLA_MANAGE, False, lambda ctx: reverse("mla:request_create")),
    MlaEndpoint("mla:request_detail", "get", Permission.MLA_VIEW, True,
                lambda ctx: reverse("mla:request_detail", args=[_request(ctx)])),
    MlaEndpoint("mla:request_edit", "get", Permission.MLA_MANAGE, True,
                lambda ctx: reverse("mla:request_edit", args=[_request(ctx)])),
    MlaEndpoint("mla:request_send", "post", Permission.MLA_MANAGE, True,
                lambda ctx: reverse("mla:request_send", args=[_request(ctx)])),
    MlaEndpoint("mla:request_move", "post", Permission.MLA_MANAGE, True,
                lambda ctx: reverse("mla:request_move", args=[_request(ctx)]), data={"status": "closed"}),
    MlaEndpoint("mla:document_add", "post", Permission.MLA_MANAGE, True,
                lambda ctx: reverse("mla:document_add", args=[_request(ctx)]), data={"kind": "other"}),
    MlaEndpoint("api:mla-dashboard", "get", Permission.MLA_VIEW, False, lambda ctx: reverse("api:mla-dashboard"),
                api=True),
    MlaEndpoint("api:mla-request-list", "get", Permission.MLA_VIEW, False,
                lambda ctx: reverse("api:mla-request-list"), api=True),
    MlaEndpoint("api:mla-request-list", "post", Permission.MLA_MANAGE, False,
                lambda ctx: reverse("api:mla-request-list"), data=_DRAFT, api=True),
    MlaEndpoint("api:mla-request-detail", "get", Permission.MLA_VIEW, True,
                lambda ctx: reverse("api:mla-request-detail", args=[_request(ctx)]), api=True),
    MlaEndpoint("api:mla-request-send", "post", Permission.MLA_MANAGE, True,
                lambda ctx: reverse("api:mla-request-send", args=[_request(ctx)]), api=True),
    MlaEndpoint("api:mla-request-move", "post", Permission.MLA_MANAGE, True,
                lambda ctx: reverse("api:mla-request-move", args=[_request(ctx)]), data={"status": "closed"},
                api=True),
    MlaEndpoint("api:mla-request-documents", "get", Permission.MLA_VIEW, True,
                lambda ctx: reverse("api:mla-request-documents", args=[_request(ctx)]), api=True),
    MlaEndpoint("api:mla-request-documents", "post", Permission.MLA_MANAGE, True,
                lambda ctx: reverse("api:mla-request-documents", args=[_request(ctx)]), data={"kind": "other"},
                api=True),
)  # fmt: skip
