"""The life of an MLA request as a pure state machine: which status may follow which, who may make the move
(a person on this node, or the other node's message), and what a move needs (a reason for a refusal). No
Django import: tested without a database (tests/test_workflow.py).

Statuses (the issue's list): drafted, sent, received, under study, executed, partially executed, refused
(with the reason), closed. An outgoing request is drafted and sent here; from then on its status follows
what the requested state's node reports (received, under study, executed, partially executed, refused),
and the requesting side closes it. An incoming request arrives "received" for the central authority, which
studies it (Nepal MLA Regulation: a preliminary study of a reciprocity request within 15 days), then records
it executed, partially executed or refused, and closes it.
"""

from __future__ import annotations

DRAFTED = "drafted"
SENT = "sent"
RECEIVED = "received"
UNDER_STUDY = "under_study"
EXECUTED = "executed"
PARTIALLY_EXECUTED = "partially_executed"
REFUSED = "refused"
CLOSED = "closed"

STATUSES = (DRAFTED, SENT, RECEIVED, UNDER_STUDY, PARTIALLY_EXECUTED, EXECUTED, REFUSED, CLOSED)
OPEN_STATUSES = frozenset(STATUSES) - {CLOSED}
# The answers of the requested state: each travels back as `mla.response`; the others as `mla.status`.
ANSWERS = frozenset({EXECUTED, PARTIALLY_EXECUTED, REFUSED})
# Moves that need a reason: a refusal says why (Nepal MLA Act 2070: the grounds of refusal are given to the
# requesting state), a partial execution says what was not done.
NEEDS_REASON = frozenset({REFUSED, PARTIALLY_EXECUTED})

OUTGOING = "outgoing"
INCOMING = "incoming"
DIRECTIONS = (OUTGOING, INCOMING)

LOCAL = "local"  # a person on this node
PEER = "peer"  # the other node's message

# What a person on this node may do. Sending (drafted -> sent) is its own service: it queues the message.
LOCAL_MOVES: dict[str, dict[str, frozenset[str]]] = {
    OUTGOING: {
        DRAFTED: frozenset({SENT, CLOSED}),
        SENT: frozenset({CLOSED}),
        RECEIVED: frozenset({CLOSED}),
        UNDER_STUDY: frozenset({CLOSED}),
        PARTIALLY_EXECUTED: frozenset({CLOSED}),
        EXECUTED: frozenset({CLOSED}),
        REFUSED: frozenset({CLOSED}),
    },
    INCOMING: {
        RECEIVED: frozenset({UNDER_STUDY, REFUSED}),
        UNDER_STUDY: frozenset({EXECUTED, PARTIALLY_EXECUTED, REFUSED}),
        PARTIALLY_EXECUTED: frozenset({EXECUTED, CLOSED}),
        EXECUTED: frozenset({CLOSED}),
        REFUSED: frozenset({CLOSED}),
    },
}

# How far along the requested state's handling is: a report from the peer moves an outgoing request forward
# only (messages of no case are not ordered, so an older report arriving late changes nothing).
_PROGRESS = {SENT: 1, RECEIVED: 2, UNDER_STUDY: 3, PARTIALLY_EXECUTED: 4, EXECUTED: 5, REFUSED: 5}
PEER_REPORTS = frozenset({RECEIVED, UNDER_STUDY, PARTIALLY_EXECUTED, EXECUTED, REFUSED})

# Problems, as codes; the caller turns them into words in the reader's language.
UNKNOWN = "unknown_status"
NOT_ALLOWED = "not_allowed"
REASON_REQUIRED = "reason_required"
STALE = "stale"  # a peer's report that is behind what is known: ignored, not an error


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def next_statuses(direction: str, current: str) -> list[str]:
    """The statuses a person here may move a request to, in the list's order (sending excluded)."""
    allowed = LOCAL_MOVES.get(direction, {}).get(current, frozenset())
    return [status for status in STATUSES if status in allowed and status != SENT]


def move_problem(*, direction: str, current: str, target: str, by: str = LOCAL, reason: str = "") -> str:
    """'' when `current` -> `target` is allowed for `by` on a request of `direction`; else a problem code."""
    if direction not in DIRECTIONS or current not in STATUSES or target not in STATUSES:
        return UNKNOWN
    if by == PEER:
        if direction != OUTGOING or target not in PEER_REPORTS:
            return NOT_ALLOWED
        if current in (DRAFTED,):
            return NOT_ALLOWED
        if current == CLOSED or _PROGRESS[target] <= _PROGRESS.get(current, 0):
            return STALE
    elif target not in LOCAL_MOVES[direction].get(current, frozenset()):
        return NOT_ALLOWED
    if target in NEEDS_REASON and not reason.strip():
        return REASON_REQUIRED
    return ""


# The kinds of assistance (the issue's list; Nepal MLA Act 2070's matters) and the legal bases, as codes.
REQUEST_TYPES = (
    "taking_evidence",
    "service_of_documents",
    "witness_video_link",
    "search_and_seizure",
    "locating_persons",
    "asset_tracing_freezing",
    "transfer_detained_person",
    "records",
)
AGREEMENT = "agreement_2026"
RECIPROCITY = "reciprocity"
LETTER_ROGATORY = "letter_rogatory"
LEGAL_BASES = (AGREEMENT, RECIPROCITY, LETTER_ROGATORY)
