"""Reads on joint training, scoped to the asking user, the dashboard and coverage figures, and the public
certificate lookup.

Scope (setu.accounts.roles): TRAINING_VIEW node-wide (trainers, analysts, focal points) sees every
programme of the node; organisation-wide (prosecutors) the programmes its organisations organise or send
participants to. `programme_get_for` is the access function: missing and forbidden look the same (an
audited 404); participants, sessions and certificates are reached through their programme.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_denied
from setu.core.ids import as_uuid
from setu.training.models import (
    Certificate,
    Country,
    Invitation,
    Nomination,
    Participant,
    ParticipantKind,
    Programme,
    Session,
    normalise_code,
)
from setu.training.services import PROGRAMME_OBJECT, attended_count, has_completed, may_manage, sessions_needed


def _visible(user) -> Q | None:
    grant = policy.grants(user, Permission.TRAINING_VIEW)
    if not grant.allowed:
        return None
    if grant.node_wide:
        return Q()
    orgs = sorted(grant.organisation_ids)
    sending = Participant.objects.filter(organisation_id__in=orgs).values("programme_id")
    return Q(organiser_id__in=orgs) | Q(pk__in=sending)


def programme_list_for(user, *, query: str = "", topic: str = "", upcoming: bool = False) -> QuerySet[Programme]:
    """The programmes `user` may see, latest first; `upcoming`: those not over yet, soonest first."""
    scope = _visible(user)
    if scope is None:
        return Programme.objects.none()
    programmes = Programme.objects.filter(scope)
    if query:
        programmes = programmes.filter(Q(title__icontains=query[:100]) | Q(place__icontains=query[:100]))
    if topic:
        # JSON containment is not on SQLite; the topic's value is quoted inside the stored list.
        programmes = programmes.filter(topics__icontains=f'"{topic[:40]}"')
    if upcoming:
        programmes = programmes.filter(ends_on__gte=timezone.localdate()).order_by("starts_on", "id")
    else:
        programmes = programmes.order_by("-starts_on", "-id")
    return programmes.select_related("organiser").annotate(participant_count=Count("participants", distinct=True))


def programme_get_for(user, public_id, *, permission: Permission = Permission.TRAINING_VIEW) -> Programme:
    """The programme if `permission` reaches it (TRAINING_MANAGE: its organiser is the user's organisation);
    else an audited NotFoundOrForbidden."""
    key = as_uuid(public_id)
    programme = None
    if key is not None:
        programme = Programme.objects.select_related("organiser", "invitation").filter(public_id=key).first()
    if programme is not None:
        if permission == Permission.TRAINING_MANAGE:
            allowed = may_manage(user, programme)
        else:
            scope = _visible(user)
            allowed = scope is not None and Programme.objects.filter(scope, pk=programme.pk).exists()
        if allowed:
            return programme
    audit_denied(actor=user, action=permission.value, object_type=PROGRAMME_OBJECT, object_id=str(public_id)[:64])
    raise policy.NotFoundOrForbidden()


def participant_get_for(user, programme: Programme, public_id) -> Participant:
    key = as_uuid(public_id)
    found = programme.participants.filter(public_id=key).select_related("organisation").first() if key else None
    if found is None:
        policy.deny(user, Permission.TRAINING_VIEW.value, object_type="training.participant", object_id=str(public_id))
    return found


def session_get_for(user, programme: Programme, public_id) -> Session:
    key = as_uuid(public_id)
    found = programme.sessions.filter(public_id=key).first() if key else None
    if found is None:
        policy.deny(user, Permission.TRAINING_VIEW.value, object_type="training.session", object_id=str(public_id))
    found.programme = programme
    return found


def certificate_get_for(user, public_id) -> Certificate:
    """A certificate the user may see (through its programme); else the audited 404."""
    key = as_uuid(public_id)
    certificate = (Certificate.objects.select_related("participant__programme__organiser", "participant__organisation")
                   .filter(public_id=key).first() if key else None)  # fmt: skip
    if certificate is not None:
        programme_get_for(user, certificate.participant.programme.public_id)
        return certificate
    audit_denied(actor=user, action=Permission.TRAINING_VIEW.value, object_type="training.certificate",
                 object_id=str(public_id)[:64])  # fmt: skip
    raise policy.NotFoundOrForbidden()


@dataclass
class ParticipantRow:
    participant: Participant
    attended: int
    present: set[int]
    completed: bool


def participant_rows(programme: Programme) -> tuple[list[Session], list[ParticipantRow]]:
    """The programme's sessions and, per participant, the sessions attended and whether she completed. Three
    queries however many participants."""
    sessions = list(programme.sessions.all())
    participants = list(programme.participants.select_related("organisation", "certificate"))
    present: dict[int, set[int]] = defaultdict(set)
    from setu.training.models import Attendance

    for participant_id, session_id in Attendance.objects.filter(session__programme=programme, present=True).values_list(
        "participant_id", "session_id"
    ):
        present[participant_id].add(session_id)
    needed = sessions_needed(len(sessions)) if sessions else None
    rows = [
        ParticipantRow(participant=p, attended=len(present[p.pk]), present=present[p.pk],
                       completed=needed is not None and len(present[p.pk]) >= needed)
        for p in participants
    ]  # fmt: skip
    return sessions, rows


def session_present_ids(session: Session) -> set[int]:
    return set(session.attendance.filter(present=True).values_list("participant_id", flat=True))


def participant_completion(participant: Participant) -> tuple[int, int, bool]:
    return attended_count(participant), participant.programme.sessions.count(), has_completed(participant)


# --- the public check ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the public page may show of a certificate: the name, the course, the dates, valid or revoked."""

    name: str
    course: str
    starts_on: dt.date
    ends_on: dt.date
    valid: bool
    code: str


def certificate_verify(text: str) -> Verification | None:
    """The certificate with this code, as the public may see it; None for an unknown or malformed code alike."""
    code = normalise_code(text)
    if code is None:
        return None
    certificate = Certificate.objects.select_related("participant__programme").filter(code=code).first()
    if certificate is None:
        return None
    participant, programme = certificate.participant, certificate.participant.programme
    return Verification(name=participant.name, course=programme.title, starts_on=programme.starts_on,
                        ends_on=programme.ends_on, valid=certificate.is_valid,
                        code=certificate.display_code)  # fmt: skip


# --- dashboard and coverage ------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    upcoming_sessions: list[Session]
    upcoming_programmes: list[Programme]
    certificates_issued: int
    certificates_this_year: int
    open_invitations: list[Invitation]


def dashboard_for(user, *, days: int = 60, now: dt.datetime | None = None) -> Dashboard:
    """The next `days` days' sessions of the programmes the user may see, the programmes not over yet, the
    certificates issued, and invitations from the other country waiting for an answer."""
    from setu.training.exchange import invitation_list_for

    now = now or timezone.now()
    visible = programme_list_for(user)
    sessions = list(
        Session.objects.filter(programme__in=visible.values("pk"), starts_at__gte=now,
                               starts_at__lt=now + dt.timedelta(days=days))
        .select_related("programme").order_by("starts_at")[:20]
    )  # fmt: skip
    certificates = Certificate.objects.filter(participant__programme__in=visible.values("pk"))
    return Dashboard(
        upcoming_sessions=sessions,
        upcoming_programmes=list(programme_list_for(user, upcoming=True)[:10]),
        certificates_issued=certificates.count(),
        certificates_this_year=certificates.filter(issued_at__year=timezone.localdate(now).year).count(),
        open_invitations=list(invitation_list_for(user, open_only=True)[:10]),
    )


@dataclass
class CoverageRow:
    country: str
    label: str  # the organisation's name, or the designation
    participants: int = 0
    completed: int = 0
    certified: int = 0
    women: int = 0


@dataclass
class Coverage:
    by_organisation: list[CoverageRow] = field(default_factory=list)
    by_designation: list[CoverageRow] = field(default_factory=list)
    total: CoverageRow = field(default_factory=lambda: CoverageRow(country="", label=""))


def coverage_for(user, *, year: int | None = None) -> Coverage:
    """Who was trained, by organisation and by designation, in both countries: every participant of the
    programmes the user may see, and this node's nominees to the other country's programmes (from the
    results it sent back). A participation counts once per programme; `year`: programmes starting that year."""
    programmes = programme_list_for(user)
    if year:
        programmes = programmes.filter(starts_on__year=year)
    ids = list(programmes.values_list("pk", flat=True))
    participants = Participant.objects.filter(programme_id__in=ids).select_related("organisation", "certificate")
    held: dict[int, int] = dict(
        Session.objects.filter(programme_id__in=ids).values("programme_id").annotate(n=Count("id"))
        .values_list("programme_id", "n")
    )  # fmt: skip
    attended: dict[int, int] = dict(
        Participant.objects.filter(programme_id__in=ids, attendance__present=True).values("pk")
        .annotate(n=Count("attendance")).values_list("pk", "n")
    )  # fmt: skip
    facts: list[tuple[str, str, str, bool, bool, bool]] = []  # country, organisation, designation, done, cert, woman
    for p in participants:
        sessions = held.get(p.programme_id, 0)
        done = sessions > 0 and attended.get(p.pk, 0) >= sessions_needed(sessions)
        certificate = getattr(p, "certificate", None)
        facts.append((p.node, p.organisation_label, p.designation, done,
                      certificate is not None and certificate.is_valid, p.sex == "Feminine"))  # fmt: skip
    if policy.grants(user, Permission.TRAINING_VIEW).node_wide or policy.has_permission(
        user, Permission.TRAINING_MANAGE
    ):
        nominations = Nomination.objects.select_related("organisation", "invitation")
        if year:
            nominations = nominations.filter(invitation__starts_on__year=year)
        for n in nominations:
            facts.append((n.organisation.country or "", n.organisation.name, n.designation, n.completed,
                          bool(n.certificate_code), n.sex == "Feminine"))  # fmt: skip
    coverage = Coverage()
    by_org: dict[tuple[str, str], CoverageRow] = {}
    by_designation: dict[tuple[str, str], CoverageRow] = {}
    for country, organisation, designation, done, certified, woman in facts:
        for table, label in ((by_org, organisation), (by_designation, designation.strip().capitalize())):
            row = table.setdefault((country, label), CoverageRow(country=country, label=label))
            _count(row, done, certified, woman)
        _count(coverage.total, done, certified, woman)
    order = {code: index for index, code in enumerate(Country.values)}

    def key(row: CoverageRow) -> tuple:
        return (order.get(row.country, 9), -row.completed, row.label.lower())

    coverage.by_organisation = sorted(by_org.values(), key=key)
    coverage.by_designation = sorted(by_designation.values(), key=key)
    return coverage


def _count(row: CoverageRow, done: bool, certified: bool, woman: bool) -> None:
    row.participants += 1
    row.completed += int(done)
    row.certified += int(certified)
    row.women += int(woman)


KIND_LABELS = dict(ParticipantKind.choices)
