"""Training records made through the services, as a trainer would (so they are valid and audited)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from setu.training import services
from setu.training.models import Participant, ParticipantKind, Programme, Session, TopicArea

TODAY = dt.date(2026, 3, 10)


def make_programme(*, actor, organiser=None, starts_on: dt.date | None = None, days: int = 3, **overrides) -> Programme:
    starts_on = starts_on or timezone.localdate() + dt.timedelta(days=10)
    values = {
        "title": "Border monitoring and information sharing",
        "topics": [TopicArea.BORDER_MONITORING, TopicArea.INFORMATION_SHARING],
        "host_country": "NP",
        "place": "Biratnagar, Morang",
        "starts_on": starts_on,
        "ends_on": starts_on + dt.timedelta(days=days - 1),
        "organiser": organiser,
        "trainers": "DSP Nirmala Gurung\nInspector Rajendra Karki",
        **overrides,
    }
    return services.programme_create(actor=actor, **values)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def make_sessions(*, actor, programme: Programme, count: int = 3) -> list[Session]:
    return [
        services.session_add(actor=actor, programme=programme, title=f"Session {n + 1}",
                             topic=TopicArea.BORDER_MONITORING,
                             starts_at=at(programme.starts_on, 9 + 2 * n), ends_at=at(programme.starts_on, 10 + 2 * n))
        for n in range(count)
    ]  # fmt: skip


def make_participant(
    *, actor, programme: Programme, organisation=None, name: str = "सीता तामाङ", **overrides
) -> Participant:
    values = {"name": name, "sex": "Feminine", "designation": "Police Inspector"}
    values.update(overrides)
    if organisation is not None:
        return services.participant_add(actor=actor, programme=programme, kind=ParticipantKind.ORGANISATION,
                                        organisation=organisation, **values)  # fmt: skip
    values.setdefault("organisation_name", "AHTU Araria")
    values.setdefault("kind", ParticipantKind.OTHER_NODE)
    return services.participant_add(actor=actor, programme=programme, **values)
