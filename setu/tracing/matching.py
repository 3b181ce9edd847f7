"""Matching on the node: its persons indexed for the matcher, candidates for one record at a time, the review
queue filled as records are saved, and the node's own model trained on its records.

Two sides meet here. A **report's person** (the girl a family reported missing, with an open report) is
matched against **found persons** (survivors with a case, people stopped at the border), and a found person
against the report persons. Both sides are persons (setu.people): their features
(setu.tracing.linkage.features) are kept in MatchProfile and their blocking keys in BlockKey. So a record
finds its candidates among a million persons with a few index lookups, and scores them with the model's own
SQL in DuckDB (setu.tracing.linkage.engine.score_candidates): the very comparisons `setu link` makes.

When a report is saved, a case opened or an interception recorded, the record's person is indexed and
matched at once (after the commit, so a matching failure never loses the record; `sweep` catches up). The
candidates at or above REVIEW_THRESHOLD go to the review queue (MatchCandidate). Nobody is linked here:
confirming a candidate is a person's decision (services.candidate_confirm). A person whose names or details
change is indexed again by `sweep`, which the scheduler runs every minute.

Nothing here checks access: callers are the services and the tasks; what a user sees goes through
selectors.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.cases.models import Case
from setu.core.dates import ad_to_bs
from setu.interceptions.models import InterceptedPerson
from setu.people.models import BirthPrecision, Person, PhoneNumber, Relation
from setu.people.rules import format_phone
from setu.tracing.linkage.blocking import MAX_BLOCK, keys
from setu.tracing.linkage.engine import DuckDBEngine, score_candidates
from setu.tracing.linkage.features import Features, read_record
from setu.tracing.linkage.model import Contribution, Model
from setu.tracing.models import (
    BlockKey,
    CandidateStatus,
    MatchCandidate,
    MatchModel,
    MatchProfile,
    MissingReport,
    Status,
)

log = logging.getLogger(__name__)

# Candidates at or above this chance go to the review queue; the pairs `setu link` writes start at 0.5, but
# a person reviewing a missing girl's report should also see the weaker ones.
REVIEW_THRESHOLD = 0.2
SHOWN = 10  # candidates kept per record
# A key shared by more persons than this finds nobody in particular (a bare common name): not used, as the
# batch engines leave out keys shared by more than blocking.MAX_BLOCK records.
MAX_KEY_PERSONS = min(MAX_BLOCK, 2000)
SWEEP_BATCH = 2000
KEYS_ASKED = 500  # keys (or persons) asked of the index in one query by candidates_many
# A model needs this many records a side to be trained on the node; until then, the defaults.
MIN_TRAINING_RECORDS = 200

REPORTS, FOUND, ANYONE = "reports", "found", "anyone"  # which persons a record is matched against


# --- a person as the matcher reads them ----------------------------------------------------------------------


def person_record(person: Person) -> dict[str, str]:
    """The person in the command line's columns (setu.tracing.linkage.features.COLUMNS)."""
    record = {
        "record_id": str(person.pk),
        "full_name": person.full_name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "sex": person.gender,
        "home_country": person.nationality,
        "home_district": person.home_district.name_en if person.home_district else "",
        "home_local_level": person.home_local_level.name_en if person.home_local_level else "",
        "home_ward": str(person.home_ward or ""),
    }
    if person.birth_date and person.birth_precision == BirthPrecision.EXACT:
        record["birth_date"] = person.birth_date.isoformat()
    elif person.birth_date and person.birth_precision == BirthPrecision.YEAR:
        # Stored as the first day of the year in the calendar it was given in.
        if person.birth_calendar == "BS":
            record["birth_date_bs"] = str(ad_to_bs(person.birth_date)[0])
        else:
            record["birth_date"] = str(person.birth_date.year)
    elif person.age_estimate is not None and person.age_estimated_on:
        record["age"], record["recorded_on"] = str(person.age_estimate), person.age_estimated_on.isoformat()
    parents = {str(Relation.Kind.FATHER): "father_name", str(Relation.Kind.MOTHER): "mother_name"}
    for relation in person.relations.filter(kind__in=list(parents)).select_related("related_person"):
        name = relation.related_person.full_name if relation.related_person else relation.related_name
        record.setdefault(parents[relation.kind], name)
    phone = person.phones.values_list("number", flat=True).first()
    if phone:
        record["phone"] = phone
    return record


def features_of(person: Person) -> Features:
    return read_record(person_record(person), today=timezone.localdate())


def _features(data: dict) -> Features:
    return Features(**data)


def index_person(person: Person) -> Features:
    """Read the person into features and keys, replacing what the index held."""
    features = features_of(person)
    now = timezone.now()
    with transaction.atomic():
        MatchProfile.objects.update_or_create(person=person, defaults={"features": asdict(features), "indexed_at": now})
        wanted = set(keys(features))
        stored = set(BlockKey.objects.filter(person=person).values_list("key", flat=True))
        if stored - wanted:
            BlockKey.objects.filter(person=person, key__in=stored - wanted).delete()
        BlockKey.objects.bulk_create([BlockKey(key=k, person=person) for k in sorted(wanted - stored)],
                                     ignore_conflicts=True)  # fmt: skip
    return features


def stale_persons(limit: int = SWEEP_BATCH) -> list[Person]:
    """Persons never indexed, or changed since (their own row, a relation, a phone), at most `limit`."""
    ids = list(Person.objects.filter(match_profile__isnull=True).values_list("pk", flat=True)[:limit])
    since = F("person__match_profile__indexed_at")
    changed = [
        Person.objects.filter(updated_at__gt=F("match_profile__indexed_at")).values_list("pk", flat=True),
        Relation.objects.filter(updated_at__gt=since).values_list("person_id", flat=True),
        PhoneNumber.objects.filter(updated_at__gt=since).values_list("person_id", flat=True),
    ]
    for query in changed:
        if len(ids) >= limit:
            break
        ids += [pk for pk in query[: limit - len(ids)] if pk not in ids]
    return list(Person.objects.filter(pk__in=ids).select_related("home_district", "home_local_level"))


def _birth(person: Person) -> str:
    if person.birth_date and person.birth_precision == BirthPrecision.EXACT:
        return person.birth_date.isoformat()
    if person.birth_date and person.birth_precision == BirthPrecision.YEAR:
        return str(person.birth_date.year)
    if person.age_estimate is not None and person.age_estimated_on:
        return _("about %(age)s on %(date)s") % {"age": person.age_estimate, "date": person.age_estimated_on}
    return ""


def person_facts(person: Person) -> dict[str, str]:
    """What the matcher compared, as recorded, for people to compare side by side (the review pages, the
    details revealed across the border)."""
    parents = {str(Relation.Kind.FATHER): "", str(Relation.Kind.MOTHER): ""}
    for relation in person.relations.filter(kind__in=list(parents)).select_related("related_person"):
        if not parents[relation.kind]:
            parents[relation.kind] = (
                relation.related_person.full_name if relation.related_person else relation.related_name
            )
    phone = person.phones.values_list("number", flat=True).first()
    name = person.full_name + (
        f" ({person.name_latin})" if person.name_latin and person.name_latin != person.full_name else ""
    )
    home = ", ".join(str(part) for part in (
        f"{person.home_local_level.name}-{person.home_ward}" if person.home_local_level and person.home_ward
        else person.home_local_level.name if person.home_local_level else "",
        person.home_district.name if person.home_district else "",
    ) if part)  # fmt: skip
    return {
        "given_name": name,
        "family_name": person.family_name or "",
        "sex": person.get_gender_display(),
        "birth": _birth(person),
        "father_name": parents[str(Relation.Kind.FATHER)],
        "mother_name": parents[str(Relation.Kind.MOTHER)],
        "home": home,
        # The last digits only: enough to see that they agree, not a number to call from the queue.
        "phone": f"…{format_phone(phone)[-4:]}" if phone else "",
    }


# --- the model -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Current:
    model: Model
    trained_at: dt.datetime | None  # None: the defaults


_cache: dict[str, Current] = {}


def current_model() -> Current:
    """The node's newest trained model (read once per process per model), else the defaults."""
    newest = MatchModel.objects.order_by("-trained_at", "-id").values_list("id", "trained_at").first()
    key = str(newest[0]) if newest else "default"
    if key not in _cache:
        if newest is None:
            _cache[key] = Current(Model.default(), None)
        else:
            text = MatchModel.objects.values_list("model", flat=True).get(pk=newest[0])
            _cache[key] = Current(Model.from_json(text), newest[1])
    return _cache[key]


# --- candidates ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    person_id: int
    probability: float
    explanation: list[Contribution]


def _among(side: str):
    """Persons on one side: with an open report, found (a case, or stopped at the border), or anyone (for
    finding the same person registered twice on the node)."""
    if side == ANYONE:
        return Q()
    if side == REPORTS:
        return Exists(MissingReport.objects.filter(person=OuterRef("person_id"), status=Status.OPEN))
    return Exists(Case.objects.filter(survivor=OuterRef("person_id"))) | Exists(
        InterceptedPerson.objects.filter(person=OuterRef("person_id"))
    )


def candidates(features: Features, *, among: str, exclude: frozenset[int] = frozenset(), limit: int = SHOWN,
               threshold: float = REVIEW_THRESHOLD) -> list[Scored]:  # fmt: skip
    """The persons of one side (REPORTS, FOUND or ANYONE) most likely to be the same as `features`, best
    first: those sharing a blocking key with it (keys shared by more than MAX_KEY_PERSONS left out), scored
    by the node's model with its own SQL, at or above `threshold`."""
    return candidates_many([features], among=among, exclude=exclude, limit=limit, threshold=threshold)[0]


def candidates_many(records: list[Features], *, among: str, exclude: frozenset[int] = frozenset(),
                    limit: int = SHOWN, threshold: float = REVIEW_THRESHOLD) -> list[list[Scored]]:  # fmt: skip
    """`candidates` for many records at once (an import's rows), each record's list in their order: the index
    is asked once for all their keys and once for the persons found, not once a record."""
    wanted = [keys(features) for features in records]
    every = sorted({key for record_keys in wanted for key in record_keys})
    persons: dict[str, list[int]] = {}
    for start in range(0, len(every), KEYS_ASKED):
        asked = every[start : start + KEYS_ASKED]
        crowded = set(BlockKey.objects.filter(key__in=asked).values("key").annotate(n=Count("id"))
                      .filter(n__gt=MAX_KEY_PERSONS).values_list("key", flat=True))  # fmt: skip
        for key, person_id in BlockKey.objects.filter(key__in=[k for k in asked if k not in crowded]).values_list(
            "key", "person_id"
        ):
            persons.setdefault(key, []).append(person_id)
    ids = [{p for key in record_keys for p in persons.get(key, ())} - set(exclude) for record_keys in wanted]
    found = sorted(set().union(*ids)) if ids else []
    profiles: dict[int, Features] = {}
    for start in range(0, len(found), KEYS_ASKED):
        chunk = found[start : start + KEYS_ASKED]
        for person_id, data in (
            MatchProfile.objects.filter(person_id__in=chunk).filter(_among(among)).values_list("person_id", "features")
        ):
            profiles[person_id] = _features(data)
    current = current_model()
    result = []
    for features, record_ids in zip(records, ids, strict=True):
        others = [profiles[p] for p in sorted(record_ids) if p in profiles]
        scored = score_candidates(features, others, current.model) if others else []
        result.append([
            Scored(int(other.record_id), probability, current.model.explain(levels, {"given": features.given,
                                                                                  "family": features.family}))
            for other, probability, levels in scored[:limit]
            if probability >= threshold
        ])  # fmt: skip
    return result


def _keep(report: MissingReport, person_id: int, scored: Scored, trained_at: dt.datetime | None) -> None:
    """Put one candidate in the queue, or refresh its score; a decided one is left as it was decided."""
    explanation = [asdict(c) for c in scored.explanation if c.level]
    explanation.sort(key=lambda c: -abs(c["weight"]))
    MatchCandidate.objects.filter(report=report, person_id=person_id, status=CandidateStatus.PROPOSED).update(
        probability=scored.probability, explanation=explanation, model_trained_at=trained_at
    )
    MatchCandidate.objects.get_or_create(
        report=report, person_id=person_id,
        defaults={"probability": scored.probability, "explanation": explanation, "model_trained_at": trained_at},
    )  # fmt: skip


def propose_for_report(report: MissingReport) -> int:
    """Match an open report's person against the found persons; queue the candidates. A report that is no
    longer open has its undecided candidates withdrawn. Returns how many candidates it has to review."""
    if report.status != Status.OPEN:
        MatchCandidate.objects.filter(report=report, status=CandidateStatus.PROPOSED).delete()
        return 0
    features = index_person(report.person)
    trained_at = current_model().trained_at
    for scored in candidates(features, among=FOUND, exclude=frozenset({report.person_id})):
        _keep(report, scored.person_id, scored, trained_at)
    return MatchCandidate.objects.filter(report=report, status=CandidateStatus.PROPOSED).count()


def propose_for_person(person: Person) -> int:
    """Match a found person (a survivor, someone stopped at the border) against the open reports' persons;
    queue the candidates. Returns how many were queued or refreshed."""
    features = index_person(person)
    trained_at = current_model().trained_at
    count = 0
    for scored in candidates(features, among=REPORTS, exclude=frozenset({person.pk})):
        for report in MissingReport.objects.filter(person_id=scored.person_id, status=Status.OPEN):
            _keep(report, person.pk, scored, trained_at)
            count += 1
    return count


_deferred: contextvars.ContextVar[bool] = contextvars.ContextVar("setu_matching_deferred", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Within it, a save proposes nothing at commit: for a bulk writer (an import of thousands of rows), where
    a candidate search per row would cost more than the row itself. Nothing is lost: the persons it saved are
    never indexed, and `sweep` (the scheduled task, or one enqueued by the writer) proposes for them."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def after_commit(function, *args) -> None:
    """Run a proposal once the caller's transaction commits (unless `deferred`). A failure is logged, never
    raised: the record is saved whatever happens here, and `sweep` proposes again for what changed."""
    if _deferred.get():
        return

    def run() -> None:
        try:
            function(*args)
        except Exception:  # noqa: BLE001 - matching must never fail the save that triggered it
            log.exception("matching after a save failed; the sweep will try again")

    transaction.on_commit(run)


def sweep(limit: int = SWEEP_BATCH) -> dict[str, int]:
    """Index the persons that changed (or were never indexed) and propose again for them, on either side."""
    persons = stale_persons(limit)
    reports = 0
    found = 0
    for person in persons:
        open_reports = list(MissingReport.objects.filter(person=person, status=Status.OPEN).select_related("person"))
        for report in open_reports:
            propose_for_report(report)
            reports += 1
        is_found = (
            Case.objects.filter(survivor=person).exists() or InterceptedPerson.objects.filter(person=person).exists()
        )
        if is_found:
            propose_for_person(person)
            found += 1
        if not open_reports and not is_found:
            index_person(person)
    from setu.tracing.border import answer_waiting  # alerts from the other node whose matching failed

    return {"indexed": len(persons), "reports": reports, "found": found, "alerts": answer_waiting()}


# --- training on the node's own records ------------------------------------------------------------------------


def train() -> MatchModel | None:
    """Train a model on the node's report persons against its found persons (EM in DuckDB, as `setu link`
    trains) and keep it; None when a side has fewer than MIN_TRAINING_RECORDS persons (the defaults stay)."""
    while stale_persons(1):
        sweep()
    sides = {}
    for side in (REPORTS, FOUND):
        profiles = MatchProfile.objects.filter(_among(side)).order_by("person_id")
        sides[side] = list(profiles.values_list("features", flat=True))
    if min(len(rows) for rows in sides.values()) < MIN_TRAINING_RECORDS:
        return None
    engine = DuckDBEngine(threads=2)
    try:
        for table, side in (("l", REPORTS), ("r", FOUND)):
            engine.load_features(table, [_features(data) for data in sides[side]])
        result = engine.run("l", "r", Model.default(), train=True, threshold=0.99)
    finally:
        engine.close()
    summary = {**result.model.trained, "reports": len(sides[REPORTS]), "found": len(sides[FOUND])}
    return MatchModel.objects.create(trained_at=timezone.now(), model=result.model.to_json(), summary=summary)
