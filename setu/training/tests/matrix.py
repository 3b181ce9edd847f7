"""The training endpoints for the permission matrix (tests/test_permission_matrix.py), ready to be wired in:
each row is what its `Endpoint` needs (name, method, path from the matrix's context, permission, whether it
addresses one record, form data), plus the out-of-scope records the object-level rows address: a programme
of the matrix's `out_of_scope` organisation (`ctx["case"].organisation`), with a session, a participant of
that organisation and her certificate. Made on first use and kept in the context dict.

    from setu.training.tests.matrix import ENDPOINTS
    ENDPOINTS_ALL += [Endpoint(**row.as_endpoint()) for row in ENDPOINTS]

The public check (training:verify, training:verify_code, /api/v1/training/verify/) is not in the matrix:
it needs no permission, and its own tests show that it says nothing but name, course, dates and validity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from setu.accounts.roles import Permission
from setu.accounts.tests.matrix import MatrixRow
from setu.training.models import Attendance, Certificate, Participant, ParticipantKind, Programme, Session, TopicArea


def out_of_scope_programme(ctx: dict) -> Programme:
    """A programme (with a session, a participant who attended and her certificate) organised by the
    out-of-scope organisation. Written directly, not through the services: the matrix's out-of-scope
    organisation has no trainer."""
    if "programme" not in ctx:
        case = ctx["case"]
        day = timezone.localdate() - dt.timedelta(days=7)
        programme = Programme.objects.create(
            title="Out-of-scope training", topics=[TopicArea.BORDER_MONITORING], host_country="NP", place="Birgunj",
            starts_on=day, ends_on=day, organiser=case.organisation, created_by=case.created_by,
        )  # fmt: skip
        zone = timezone.get_current_timezone()
        session = Session.objects.create(
            programme=programme, title="Out-of-scope session", topic=TopicArea.BORDER_MONITORING,
            starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=zone),
            ends_at=dt.datetime.combine(day, dt.time(12), tzinfo=zone),
        )  # fmt: skip
        participant = Participant.objects.create(
            programme=programme, name="Out-of-scope participant", sex="Feminine", designation="Inspector",
            kind=ParticipantKind.ORGANISATION, organisation=case.organisation, node="NP",
        )  # fmt: skip
        Attendance.objects.create(session=session, participant=participant, present=True, marked_by=case.created_by)
        Certificate.objects.create(participant=participant, code="OUTSC0PE0001", issued_at=timezone.now(),
                                   issued_by=case.created_by)  # fmt: skip
        ctx["programme"] = programme
    return ctx["programme"]


def _programme(ctx: dict) -> str:
    return str(out_of_scope_programme(ctx).public_id)


def _session(ctx: dict) -> str:
    return str(out_of_scope_programme(ctx).sessions.get().public_id)


def _participant(ctx: dict) -> str:
    return str(out_of_scope_programme(ctx).participants.get().public_id)


def _certificate(ctx: dict) -> str:
    return str(Certificate.objects.get(participant__programme=out_of_scope_programme(ctx)).public_id)


def _page(name: str, *args: Callable[[dict], str]) -> Callable[[dict], str]:
    return lambda ctx: reverse(f"training:{name}", args=[arg(ctx) for arg in args])


def _listed(name: str) -> Callable[[dict], str]:
    """A list page, with the out-of-scope programme made first (so a leak would show)."""
    return lambda ctx: (out_of_scope_programme(ctx), reverse(f"training:{name}"))[1]


def _api(tail: str = "") -> Callable[[dict], str]:
    return lambda ctx: f"/api/v1/training/programmes/{_programme(ctx)}/{tail}"


PROGRAMME_FORM = {"title": "Matrix programme", "topics": ["mla"], "host_country": "NP", "place": "Biratnagar",
                  "starts_on": "2027-01-10", "ends_on": "2027-01-11"}  # fmt: skip


TrainingEndpoint = MatrixRow  # one row of the matrix, as every app lists them (setu.accounts.tests.matrix)


V, M = Permission.TRAINING_VIEW, Permission.TRAINING_MANAGE

ENDPOINTS: list[TrainingEndpoint] = [
    TrainingEndpoint("training dashboard", "GET", _listed("dashboard"), V, False),
    TrainingEndpoint("training programme list", "GET", _listed("programme_list"), V, False),
    TrainingEndpoint("training programme detail", "GET", _page("programme_detail", _programme), V, True),
    TrainingEndpoint(
        "training programme create",
        "POST",
        lambda c: reverse("training:programme_create"),
        M,
        False,
        data=PROGRAMME_FORM,
    ),  # fmt: skip
    TrainingEndpoint(
        "training programme edit", "POST", _page("programme_edit", _programme), M, True, data=PROGRAMME_FORM
    ),  # fmt: skip
    TrainingEndpoint(
        "training session add",
        "POST",
        _page("session_create", _programme),
        M,
        True,
        data={"title": "S", "topic": "mla", "day": "2027-01-10", "start": "10:00", "end": "11:00"},
    ),
    TrainingEndpoint(
        "training participant add",
        "POST",
        _page("participant_create", _programme),
        M,
        True,
        data={"name": "P", "sex": "Feminine", "designation": "SI", "kind": "external", "organisation_name": "Guest"},
    ),  # fmt: skip
    TrainingEndpoint(
        "training attendance", "POST", _page("attendance", _programme, _session), M, True, data={"present": []}
    ),  # fmt: skip
    TrainingEndpoint("training scores", "POST", _page("scores", _programme), M, True, data={}),
    TrainingEndpoint(
        "training certificate issue", "POST", _page("certificate_issue", _programme, _participant), M, True
    ),  # fmt: skip
    TrainingEndpoint("training certificates issue all", "POST", _page("certificates_issue_all", _programme), M, True),
    TrainingEndpoint("training invite", "POST", _page("programme_invite", _programme), M, True),
    TrainingEndpoint("training results send", "POST", _page("results_send", _programme), M, True),
    TrainingEndpoint("training certificate detail", "GET", _page("certificate_detail", _certificate), V, True),
    TrainingEndpoint("training certificate pdf", "GET", _page("certificate_pdf", _certificate), V, True),
    TrainingEndpoint(
        "training certificate revoke",
        "POST",
        _page("certificate_revoke", _certificate),
        M,
        True,
        data={"reason": "Matrix"},
    ),  # fmt: skip
    TrainingEndpoint("training invitation list", "GET", _listed("invitation_list"), V, False),
    TrainingEndpoint("training coverage", "GET", _listed("coverage"), V, False),
    TrainingEndpoint("training coverage csv", "GET", _listed("coverage_csv"), V, False),
    TrainingEndpoint(
        "api training programmes",
        "GET",
        lambda c: (out_of_scope_programme(c), "/api/v1/training/programmes/")[1],
        V,
        False,
        api=True,
    ),  # fmt: skip
    TrainingEndpoint("api training programme", "GET", _api(), V, True, api=True),
    TrainingEndpoint(
        "api training programme create",
        "POST",
        lambda c: "/api/v1/training/programmes/",
        M,
        False,
        data={**PROGRAMME_FORM, "topics": ["mla"]},
        api=True,
    ),  # fmt: skip
    TrainingEndpoint("api training programme update", "PATCH", _api(), M, True, data={"place": "X"}, api=True),
    TrainingEndpoint(
        "api training attendance",
        "POST",
        _api("attendance/"),
        M,
        True,
        data=lambda c: {"session": _session(c), "present": []},
        api=True,
    ),  # fmt: skip
    TrainingEndpoint(
        "api training certificate",
        "GET",
        lambda c: f"/api/v1/training/certificates/{_certificate(c)}/",
        V,
        True,
        api=True,
    ),
    TrainingEndpoint(
        "api training certificate revoke",
        "POST",
        lambda c: f"/api/v1/training/certificates/{_certificate(c)}/revoke/",
        M,
        True,
        data={"reason": "Matrix"},
        api=True,
    ),  # fmt: skip
]
