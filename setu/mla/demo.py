"""Demo MLA requests in every status across the two demo nodes (setu.web.demo.seed.seed_demo calls `seed`).

Each node seeds both sides of the same story: its own outgoing requests, and as incoming requests the other
node's outgoing ones, under the same bilateral reference (a UUID derived from the story's key) and with the
other node's number. So an outgoing request on one node appears as incoming on the other, as if the real
exchange had delivered it, without both nodes having to run and relay while they are seeded (each node is
seeded on its own, and a real `mla.request` sent now would arrive as a second copy). Numbers are taken in the
list's order on a node that has no MLA request yet, so the numbers each node records for the other match;
a node that already has MLA requests is left as it is.

The demo's central authorities are not organisations of their own: on the Nepal node the central authority's
desk is the Ministry of Women, Children and Senior Citizens' focal point (np_focal), on the India node the MHA
focal point (in_focal, Women Safety Division). Focal points hold MLA_MANAGE node-wide, as the central
authorities do; their moves on incoming requests are recorded under their names. Outgoing requests belong to
the prosecutors' offices (np_attorney: DAO Morang; in_prosecution: Directorate of Prosecution, Bihar) and
link the office's demo prosecutions when setu.legal's demo seeded any (none is fine).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Organisation, User
from setu.legal.models import Prosecution
from setu.mla import workflow as w
from setu.mla.models import MlaRequest
from setu.mla.services import new_number, prosecution_refs, record_move

_NAMESPACE = uuid.UUID("0b8f3c52-3d8e-4f7e-9a55-5e7a1d0c6a20")
OFFICE = {"NP": "np_attorney", "IN": "in_prosecution"}
PROSECUTOR = {"NP": "np_prosecutor", "IN": "in_prosecutor"}
FOCAL = {"NP": "np_focal", "IN": "in_focal"}


@dataclass(frozen=True)
class Story:
    key: str
    sender: str  # the requesting node
    status: str  # where it stands on the requesting node
    age_days: int  # since the letter of request
    requesting_authority: str
    requested_authority: str
    types: tuple[str, ...]
    legal_basis: str
    subject: str
    summary: str
    language: str
    language_reason: str = ""
    women_children: bool = False
    reason: str = ""  # of a refusal or partial execution
    steps: tuple[str, ...] = field(default=())  # the statuses after "sent", in order

    @property
    def ref(self) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, self.key)


# Every status appears on each node: drafted and sent on the requesting side, the others on both sides.
STORIES: tuple[Story, ...] = (
    Story("np-1", "NP", w.DRAFTED, 3, "NP-DAO-KATHMANDU", "IN-MHA-IS2", ("witness_video_link",), w.RECIPROCITY,
          "Video-link testimony of a survivor in Kolkata",
          "A survivor returned from Kolkata is the prime witness; the accused's agent is held in Kolkata. We ask "
          "for her co-accused's statement and for a video link for the trial.",
          "en", "The Indian court works in English"),
    Story("np-2", "NP", w.SENT, 6, "NP-DAO-KATHMANDU", "IN-MHA-IS2", ("records", "asset_tracing_freezing"),
          w.LETTER_ROGATORY, "Bank records of a placement agency in Siliguri",
          "Payments from the accused to an account in Siliguri; we ask for certified statements and a freeze.",
          "en", "The bank's records are in English"),
    Story("np-3", "NP", w.UNDER_STUDY, 40, "NP-HTIB", "IN-MHA-IS2", ("locating_persons", "taking_evidence"),
          w.RECIPROCITY, "Locating two girls sold to a household in Delhi",
          "Two girls from Sindhupalchok were taken to Delhi as domestic workers; we ask to locate them and take "
          "their statements.", "en", "The Indian police work in English", steps=(w.RECEIVED, w.UNDER_STUDY)),
    Story("np-4", "NP", w.EXECUTED, 120, "NP-DAO-KATHMANDU", "IN-MHA-IS2", ("service_of_documents",),
          w.RECIPROCITY, "Summons to a hotel manager in Raxaul",
          "Serve the summons of Kathmandu District Court on the manager of the hotel where the girls were held.",
          "en", "The witness reads English", True, steps=(w.RECEIVED, w.UNDER_STUDY, w.EXECUTED)),
    Story("np-5", "NP", w.CLOSED, 220, "NP-OAG", "IN-MHA-IS2", ("search_and_seizure",), w.LETTER_ROGATORY,
          "Search of a recruitment office in Gorakhpur",
          "Search the recruitment office named by the survivors and seize its registers of Nepali women.",
          "en", "The Indian court works in English", steps=(w.RECEIVED, w.UNDER_STUDY, w.EXECUTED, w.CLOSED)),
    Story("in-1", "IN", w.DRAFTED, 4, "IN-COURT-ARARIA", "NP-MOLJPA", ("service_of_documents",), w.RECIPROCITY,
          "Summons to a witness in Biratnagar",
          "The Sessions Court, Araria, summons a witness living in Biratnagar in a case of trafficking of minors.",
          "en", "The Sessions Court writes in English", True),
    Story("in-2", "IN", w.PARTIALLY_EXECUTED, 95, "IN-AHTU-ARARIA", "NP-MOLJPA", ("taking_evidence", "records"),
          w.RECIPROCITY, "Statements of two rescued women and their travel records",
          "Record the statements of two women repatriated to Morang and certify the border records of their "
          "crossing at Rani.", "en", "The AHTU works in English",
          reason="One woman's statement was taken; the other could not be traced at her home address.",
          steps=(w.RECEIVED, w.UNDER_STUDY, w.PARTIALLY_EXECUTED)),
    Story("in-3", "IN", w.REFUSED, 70, "IN-POLICE-BIHAR", "NP-MOLJPA", ("search_and_seizure",), w.RECIPROCITY,
          "Search of a shop in Birgunj",
          "Search a mobile shop in Birgunj suspected of selling SIM cards to traffickers.", "en",
          "Bihar Police writes in English",
          reason="The offence described is punishable by less than one year: Nepal's MLA Act 2070 excludes it.",
          steps=(w.RECEIVED, w.REFUSED)),
    # Sent 19 days ago and not yet acknowledged: on the Nepal node its 15-day preliminary study is overdue.
    Story("in-4", "IN", w.SENT, 20, "IN-COURT-DARJEELING", "NP-MOLJPA", ("witness_video_link",), w.RECIPROCITY,
          "Video-link testimony from Kathmandu", "A witness in Kathmandu to testify by video link.", "ne"),
    Story("in-5", "IN", w.UNDER_STUDY, 30, "IN-NIA", "NP-MOLJPA", ("asset_tracing_freezing",), w.RECIPROCITY,
          "Assets of a cross-border trafficking ring", "Trace land bought in Jhapa by the ring's leader.", "en",
          "The NIA works in English", steps=(w.RECEIVED, w.UNDER_STUDY)),
)  # fmt: skip


def _number(node: str, index: int, year: int) -> str:
    return f"{node}-MLA-{year}-{index:06d}"


def seed(*, node: str, organisations: dict[str, Organisation], users: dict[str, User],
         today: dt.date | None = None) -> int:  # fmt: skip
    """Seed this node's side of every story; returns how many requests were created (0 if it has any)."""
    if MlaRequest.objects.exists():
        return 0
    today = today or timezone.localdate()
    other = "IN" if node == "NP" else "NP"
    created = 0
    with transaction.atomic():
        # Outgoing first, in the list's order, then the other node's as incoming (drafts have not left their
        # node): each node's numbers for the other's requests are then the other's own.
        ours = [story for story in STORIES if story.sender == node]
        theirs = [story for story in STORIES if story.sender == other]
        ours_sent = [story for story in ours if story.status != w.DRAFTED]
        for story in ours:
            # The number the other node gave it (it told us with its first `mla.status`, "received").
            told = story.steps and story in ours_sent
            peer_number = _number(other, len(theirs) + ours_sent.index(story) + 1, today.year) if told else ""
            _seed_one(story, node=node, incoming=False, users=users, organisations=organisations, today=today,
                      peer_number=peer_number)  # fmt: skip
            created += 1
        for index, story in enumerate(theirs, start=1):
            if story.status == w.DRAFTED:
                continue
            _seed_one(story, node=node, incoming=True, users=users, organisations=organisations, today=today,
                      peer_number=_number(other, index, today.year))  # fmt: skip
            created += 1
    return created


def _seed_one(story: Story, *, node: str, incoming: bool, users: dict[str, User],
              organisations: dict[str, Organisation], today: dt.date, peer_number: str) -> None:  # fmt: skip
    letter = today - dt.timedelta(days=story.age_days)
    prosecutor, focal = users.get(PROSECUTOR[node]), users.get(FOCAL[node])
    office = None if incoming else organisations.get(OFFICE[node])
    prosecution = None
    if office is not None:
        # The office's prosecutions in turn (the stories' order), none when setu.legal's demo seeded none.
        prosecutions = list(Prosecution.objects.filter(organisation=office).order_by("opened_on", "id"))
        ours = [s for s in STORIES if s.sender == node]
        prosecution = prosecutions[ours.index(story) % len(prosecutions)] if prosecutions else None

    def at(on: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(on, dt.time(11, 0)))

    request = MlaRequest(
        exchange_ref=story.ref, direction=w.INCOMING if incoming else w.OUTGOING, organisation=office,
        peer_code="IN" if node == "NP" else "NP", peer_number=peer_number, requesting_state=story.sender,
        requesting_authority=story.requesting_authority, requested_state="IN" if story.sender == "NP" else "NP",
        requested_authority=story.requested_authority, types=list(story.types), legal_basis=story.legal_basis,
        prosecution=prosecution, prosecution_refs=prosecution_refs(prosecution) if prosecution else {},
        subject=story.subject, summary=story.summary, language=story.language,
        language_reason=story.language_reason, women_children=story.women_children, letter_date=letter,
        status=w.RECEIVED if incoming else w.DRAFTED, status_changed_at=at(letter),
        created_by=None if incoming else prosecutor,
    )  # fmt: skip
    # Each step one day (or more) after the one before: sent a day after the letter, then spread evenly.
    sent_on = letter + dt.timedelta(days=1)
    steps = list(story.steps)
    gap = max(1, (story.age_days - 2) // (len(steps) + 1))
    dates = [min(today, sent_on + dt.timedelta(days=gap * (i + 1))) for i in range(len(steps))]
    request.number = new_number(today.year)
    if incoming:
        request.received_on = sent_on
        request.save()
        record_move(request, to=w.RECEIVED, at=at(sent_on), on=sent_on, from_peer=story.sender)
        local_steps = [(s, d) for s, d in zip(steps, dates, strict=True) if s != w.RECEIVED]
        for status, on in local_steps:
            _move(request, status, on, at(on), by=focal, reason=story.reason if status in w.NEEDS_REASON else "")
        return
    request.save()
    record_move(request, to=w.DRAFTED, at=at(letter), on=letter, by=prosecutor)
    if story.status == w.DRAFTED:
        return
    request.sent_on = sent_on
    _move(request, w.SENT, sent_on, at(sent_on), by=prosecutor)
    for status, on in zip(steps, dates, strict=True):
        if status == w.CLOSED:
            _move(request, status, on, at(on), by=prosecutor)
        else:
            _move(request, status, on, at(on), from_peer=story.requested_authority[:2],
                  reason=story.reason if status in w.NEEDS_REASON else "")  # fmt: skip


def _move(request: MlaRequest, status: str, on: dt.date, when: dt.datetime, *, by=None, from_peer: str = "",
          reason: str = "") -> None:  # fmt: skip
    before = request.status
    request.status, request.status_changed_at = status, when
    if reason:
        request.status_reason = reason
    request.save()
    record_move(request, to=status, at=when, on=on, by=by, from_peer=from_peer, reason=reason, before=before)
