"""Seeded Nepal–India missing/found person records with ground truth, for measuring a record-linkage matcher.

Left: missing-person reports made in Nepal. Right: people found in India or intercepted at the border, of
whom `matched` are reported girls (and boys) seen again, written by other hands; the rest are other people
(Indian nationals, other Nepalis). Hard negatives are planted on purpose: siblings, namesakes from the same
district, duplicate reports. README.md describes the noise model and its rates.

Same seed and arguments, same bytes. `write_link_files` streams the right side, so a million found
records never sit in memory at once.

    python -m setu.tracing.evaluation.generator DIR --left 100000 --right 1000000 --matched 20000
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import multiprocessing
import os
import random
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .people import MISSING_AGES, Person, Population, years_before
from .places import geography
from .pools import Dice, Tally
from .records import COLUMNS, FOUND, PROFILES, REPORT, Profile, Writer

__all__ = [
    "COLUMNS",
    "DedupeDataset",
    "LinkDataset",
    "LinkFiles",
    "dedupe_dataset",
    "link_dataset",
    "write_csv",
    "write_link_files",
]

START = date(2017, 1, 1)  # the first report (FY 2073/74); the last record is dated END at the latest
END = date(2025, 12, 31)
CHUNK = 8192  # found records drawn from one random stream: chunk c uses Random(f"...:right:{c}")
INTERCEPTED = 0.3  # of the matched, the share found at the border within days (the rest rescued later)
OTHER_NEPALIS = 0.3  # of the unmatched found, the share who are Nepalis nobody reported (the rest Indians)


@dataclass
class LinkDataset:
    left: list[dict[str, str]]  # missing-person reports (Nepal side)
    right: list[dict[str, str]]  # found or intercepted people (India side and the border)
    matches: set[tuple[str, str]]  # (left record_id, right record_id) of the same person
    entity: dict[str, str]  # record_id -> true person id, both sides
    people: dict[str, Person] = field(default_factory=dict)  # person id -> the truth about them
    noise: dict[str, tuple[str, ...]] = field(default_factory=dict)  # record_id -> kinds of noise it got
    tally: dict[str, Tally] = field(default_factory=dict)  # profile ("report", "found") -> noise counts


@dataclass
class DedupeDataset:
    rows: list[dict[str, str]]
    clusters: dict[str, str]  # record_id -> true person id
    people: dict[str, Person] = field(default_factory=dict)
    noise: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tally: dict[str, Tally] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkFiles:
    left: Path
    right: Path
    truth: Path
    left_rows: int
    right_rows: int
    matches: int
    tally: dict[str, Tally]


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while records are made: they hold no cycles, and its passes over
    the growing heap cost a quarter of the time. Reference counting still frees everything as it goes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stream(seed: int, part: str, purpose: str = "linkage") -> random.Random:
    """An independent random stream for one part of a dataset (test data, not secrets)."""
    return random.Random(f"setu-{purpose}:{seed}:{part}")  # noqa: S311


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=int(rng.random() * ((last - first).days + 1)))


def _report_delay(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.5:
        return rng.randint(0, 7)
    return rng.randint(8, 60) if roll < 0.85 else rng.randint(61, 365)


def _found_delay(rng: random.Random) -> int:
    if rng.random() < INTERCEPTED:
        return rng.randint(0, 2)
    roll = rng.random()
    if roll < 0.2:
        return rng.randint(7, 90)
    if roll < 0.6:
        return rng.randint(91, 365)
    return rng.randint(366, 1095) if roll < 0.9 else rng.randint(1096, 2190)


def _after(rng: random.Random, start: date, delay: int) -> date:
    day = start + timedelta(days=delay)
    return day if day <= END else _between(rng, start, END)


@dataclass
class _Plan:
    left: list[tuple[Person, date, int]]  # in record-id order; the int is the matched person's index or -1
    planted: list[tuple[int, Person, date]]  # right records that are not filler: (position, person, day)
    matched_position: list[int]  # matched person index -> right position
    people: list[Person]


def _plan(*, seed: int, left: int, right: int, matched: int, duplicates: float, siblings: float, same: float) -> _Plan:
    if min(left, right, matched) < 0 or not 0 <= duplicates <= 1 or not 0 <= siblings <= 1 or not 0 <= same <= 1:
        raise ValueError("counts must be >= 0 and shares between 0 and 1")
    rng = _stream(seed, "people")
    population = Population(rng, geography())
    people: list[Person] = []

    def new_id() -> str:
        return f"P{len(people) + 1:07d}"

    def keep(person: Person) -> Person:
        people.append(person)
        return person

    n_dup, n_sib, n_same = round(matched * duplicates), round(matched * siblings), round(matched * same)
    sib_left, same_left = n_sib // 2, (n_same * 2) // 5
    need_left = matched + n_dup + sib_left + same_left
    need_right = matched + (n_sib - sib_left) + (n_same - same_left)
    if need_left > left or need_right > right:
        raise ValueError(
            f"{matched} matched people with their duplicate reports, siblings and namesakes need {need_left} "
            f"left and {need_right} right records; got left={left}, right={right}"
        )
    left_items: list[tuple[Person, date, int]] = []
    right_items: list[tuple[Person, date, int]] = []
    departures: list[date] = []
    for index in range(matched):
        departed = _between(rng, START, END - timedelta(days=60))
        person = keep(population.nepali(new_id(), on=departed))
        departures.append(departed)
        left_items.append((person, _after(rng, departed, _report_delay(rng)), index))
        right_items.append((person, _after(rng, departed, _found_delay(rng)), index))
    chosen = rng.sample(range(matched), n_dup) if n_dup else []
    for index in chosen:
        person, reported, _ = left_items[index]
        again = min(max(reported + timedelta(days=rng.randint(-30, 90)), departures[index]), END)
        left_items.append((person, again, index))
    for k, index in enumerate(rng.sample(range(matched), n_sib) if n_sib else []):
        of, departed = people[index], departures[index]
        sibling = keep(population.sibling(of, new_id(), on=departed))
        if k < sib_left:  # she went missing too and was reported, and is still missing
            left_items.append((sibling, _after(rng, departed, _report_delay(rng)), -1))
        else:  # found (with her sister, or on her own) and never reported
            right_items.append((sibling, _after(rng, departed, _found_delay(rng)), -1))
    for k, index in enumerate(rng.sample(range(matched), n_same) if n_same else []):
        namesake = keep(population.namesake(people[index], new_id(), on=departures[index]))
        day = _between(rng, min(max(START, years_before(namesake.birth, -4)), END), END)  # at 4 or older
        if k < same_left:
            left_items.append((namesake, day, -1))
        else:
            right_items.append((namesake, day, -1))
    while len(left_items) < left:  # reported missing and never found (NHRC: about half are found)
        day = _between(rng, START, END)
        left_items.append((keep(population.nepali(new_id(), on=day, female_share=0.7)), day, -1))
    rng.shuffle(left_items)
    rng.shuffle(right_items)
    positions = sorted(rng.sample(range(right), len(right_items)))
    matched_position = [0] * matched
    planted: list[tuple[int, Person, date]] = []
    for position, (person, day, index) in zip(positions, right_items, strict=True):
        planted.append((position, person, day))
        if index >= 0:
            matched_position[index] = position
    return _Plan(left_items, planted, matched_position, people)


def _left_id(i: int) -> str:
    return f"L{i + 1:07d}"


def _right_id(position: int) -> str:
    return f"R{position + 1:07d}"


def _add(tally: dict[str, Tally], writer: Writer) -> None:
    for name, dice in writer.dice.items():
        tally.setdefault(name, Tally({}, {})).add(dice.tally())


Job = tuple[int, int, int, int, frozenset[int]]  # seed, chunk, first position, end position, planted positions


@dataclass
class _Chunk:
    """The unmatched found records of one chunk of positions, made in a worker process or in this one."""

    entities: list[str]
    rows: list[list[str]]
    tags: list[tuple[str, ...]]
    tally: dict[str, Tally]
    people: list[Person]  # only when asked for (in this process): they are not worth pickling


def _filler(job: Job, keep_people: bool = False) -> _Chunk:
    """Unmatched found records for the positions first..last-1 of `chunk` not in `taken`."""
    seed, chunk, first, last, taken = job
    rng = _stream(seed, f"right:{chunk}")
    population = Population(rng, geography())
    writer = Writer(rng)
    dice = writer.dice["found"]
    out = _Chunk([], [], [], {}, [])
    with _no_cycle_collection():
        _fill(out, population, writer, dice, rng, first, last, taken, keep_people)
    _add(out.tally, writer)
    return out


def _fill(
    out: _Chunk,
    population: Population,
    writer: Writer,
    dice: Dice,
    rng: random.Random,
    first: int,
    last: int,
    taken: frozenset[int],
    keep_people: bool,
) -> None:
    for position in range(first, last):
        if position in taken:
            continue
        day = _between(rng, START, END)
        entity = f"Q{position + 1:07d}"
        if rng.random() < OTHER_NEPALIS:
            person = population.nepali(entity, on=day, female_share=0.75, ages=MISSING_AGES)
        else:
            person = population.indian(entity, on=day)
        out.rows.append(writer.record(person, _right_id(position), day, FOUND))
        out.entities.append(entity)
        out.tags.append(tuple(dice.tags))
        if keep_people:
            out.people.append(person)


class _Fillers:
    """`_filler` of each job, in order; with workers > 1 made by that many processes, up to `ahead` chunks
    before they are read (so they are being made while this process writes the left side)."""

    def __init__(self, jobs: Iterable[Job], workers: int, ahead: int) -> None:
        self._jobs = iter(jobs)
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[Future[_Chunk]] = deque()
        if workers > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            for job in itertools.islice(self._jobs, ahead):
                self._pending.append(self._pool.submit(_filler, job))

    def __iter__(self) -> Iterator[_Chunk]:
        if self._pool is None:
            yield from map(_filler, self._jobs)
            return
        while self._pending:
            done = self._pending.popleft()
            job = next(self._jobs, None)
            if job is not None:
                self._pending.append(self._pool.submit(_filler, job))
            yield done.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def _planted(right: int, plan: _Plan) -> list[dict[int, tuple[Person, date]]]:
    """The planted (non-filler) right records of each chunk, by position."""
    chunks: list[dict[int, tuple[Person, date]]] = [{} for _ in range((right + CHUNK - 1) // CHUNK)]
    for position, person, day in plan.planted:
        chunks[position // CHUNK][position] = (person, day)
    return chunks


def _jobs(seed: int, right: int, planted: list[dict[int, tuple[Person, date]]]) -> Iterator[Job]:
    for chunk, taken in enumerate(planted):
        yield seed, chunk, chunk * CHUNK, min((chunk + 1) * CHUNK, right), frozenset(taken)


def _right_rows(
    seed: int,
    right: int,
    planted: list[dict[int, tuple[Person, date]]],
    fillers: Iterable[_Chunk],
    tally: dict[str, Tally],
) -> Iterator[tuple[str, list[str], tuple[str, ...], Person | None]]:
    """Every right row in position order: (person id, row, noise tags, the person if planted)."""
    writer = Writer(_stream(seed, "right-planted"))
    for chunk, filler in enumerate(fillers):
        taken = planted[chunk]
        made = iter(zip(filler.entities, filler.rows, filler.tags, strict=True))
        for position in range(chunk * CHUNK, min((chunk + 1) * CHUNK, right)):
            if position in taken:
                person, day = taken[position]
                row = writer.record(person, _right_id(position), day, FOUND)
                yield person.entity, row, tuple(writer.dice["found"].tags), person
            else:
                entity, row, tags = next(made)
                yield entity, row, tags, None
        for name, counts in filler.tally.items():
            tally.setdefault(name, Tally({}, {})).add(counts)
    _add(tally, writer)


def _left_rows(seed: int, plan: _Plan, tally: dict[str, Tally]) -> Iterator[tuple[str, list[str], tuple[str, ...]]]:
    writer = Writer(_stream(seed, "left"))
    for i, (person, day, _index) in enumerate(plan.left):
        row = writer.record(person, _left_id(i), day, REPORT)
        yield person.entity, row, tuple(writer.dice["report"].tags)
    _add(tally, writer)


def _matches(plan: _Plan) -> list[tuple[str, str]]:
    return [
        (_left_id(i), _right_id(plan.matched_position[index]))
        for i, (_person, _day, index) in enumerate(plan.left)
        if index >= 0
    ]


@_no_cycle_collection()
def link_dataset(
    *,
    left: int,
    right: int,
    matched: int,
    seed: int = 2026,
    duplicate_reports: float = 0.10,
    siblings: float = 0.10,
    same_name: float = 0.10,
) -> LinkDataset:
    """Missing reports (left) and found records (right), `matched` people on both sides, in memory.

    `duplicate_reports`, `siblings` and `same_name` are shares of the matched people: reported a second
    time; with a brother or sister in the data (half on the left, half on the right); with someone else of
    the same name from the same district (two in five on the left, the rest on the right).
    """
    plan = _plan(
        seed=seed,
        left=left,
        right=right,
        matched=matched,
        duplicates=duplicate_reports,
        siblings=siblings,
        same=same_name,
    )
    tally: dict[str, Tally] = {}
    data = LinkDataset(left=[], right=[], matches=set(_matches(plan)), entity={}, tally=tally)
    data.people = {person.entity: person for person in plan.people}
    for entity, row, tags in _left_rows(seed, plan, tally):
        data.left.append(dict(zip(COLUMNS, row, strict=True)))
        data.entity[row[0]] = entity
        data.noise[row[0]] = tags
    planted = _planted(right, plan)
    fillers = [_filler(job, keep_people=True) for job in _jobs(seed, right, planted)]
    for filler in fillers:
        data.people.update((person.entity, person) for person in filler.people)
    for entity, row, tags, _person in _right_rows(seed, right, planted, fillers, tally):
        data.right.append(dict(zip(COLUMNS, row, strict=True)))
        data.entity[row[0]] = entity
        data.noise[row[0]] = tags
    return data


def write_csv(path: Path, rows: Iterable[dict[str, str]]) -> None:
    """Rows as UTF-8 CSV with the header COLUMNS."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS)
        out.writerows([row[column] for column in COLUMNS] for row in rows)


@_no_cycle_collection()
def write_link_files(
    directory: Path,
    *,
    left: int,
    right: int,
    matched: int,
    seed: int = 2026,
    duplicate_reports: float = 0.10,
    siblings: float = 0.10,
    same_name: float = 0.10,
    workers: int | None = None,
) -> LinkFiles:
    """left.csv, right.csv and truth.csv (left_id,right_id) in `directory`: the rows of `link_dataset` with
    the same arguments, written as they are made (only the left side and the planted right records are
    held in memory). The unmatched found records are made by `workers` processes (default: one per CPU);
    the bytes do not depend on how many."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    plan = _plan(
        seed=seed,
        left=left,
        right=right,
        matched=matched,
        duplicates=duplicate_reports,
        siblings=siblings,
        same=same_name,
    )
    tally: dict[str, Tally] = {}
    paths = LinkFiles(directory / "left.csv", directory / "right.csv", directory / "truth.csv", 0, 0, 0, tally)
    counts = {"left": 0, "right": 0}
    planted = _planted(right, plan)
    processes = workers if workers is not None else (os.cpu_count() or 1)
    fillers = _Fillers(_jobs(seed, right, planted), processes, ahead=8 * processes)
    try:
        with paths.left.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(COLUMNS)
            for _entity, row, _tags in _left_rows(seed, plan, tally):
                out.writerow(row)
                counts["left"] += 1
        with paths.right.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(COLUMNS)
            for _entity, row, _tags, _person in _right_rows(seed, right, planted, fillers, tally):
                out.writerow(row)
                counts["right"] += 1
    finally:
        fillers.close()
    pairs = sorted(_matches(plan))
    with paths.truth.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(("left_id", "right_id"))
        out.writerows(pairs)
    return LinkFiles(paths.left, paths.right, paths.truth, counts["left"], counts["right"], len(pairs), tally)


@_no_cycle_collection()
def dedupe_dataset(
    *,
    records: int,
    seed: int = 2026,
    duplicates: float = 0.25,
    siblings: float = 0.05,
    same_name: float = 0.05,
) -> DedupeDataset:
    """One file of Nepalis recorded once or several times (reports and found records of the same person).

    `duplicates` is the share of people with more than one record (2 records 70% of the time, 3 22%,
    4 8%); `siblings` and `same_name` the shares of people who are a sibling or a namesake of someone
    already in the file.
    """
    if records < 0 or not 0 <= duplicates <= 1 or not 0 <= siblings <= 1 or not 0 <= same_name <= 1:
        raise ValueError("records must be >= 0 and shares between 0 and 1")
    rng = _stream(seed, "people", "dedupe")
    population = Population(rng, geography())
    people: list[Person] = []
    departures: list[date] = []
    items: list[tuple[Person, date, Profile]] = []
    while len(items) < records:
        entity = f"P{len(people) + 1:07d}"
        roll = rng.random()
        departed = _between(rng, START, END - timedelta(days=60))
        if people and roll < siblings:
            base = rng.randrange(len(people))
            person = population.sibling(people[base], entity, on=departures[base])
        elif people and roll < siblings + same_name:
            base = rng.randrange(len(people))
            person = population.namesake(people[base], entity, on=departures[base])
        else:
            person = population.nepali(entity, on=departed, female_share=0.8)
        people.append(person)
        departures.append(departed)
        copies = 1
        if rng.random() < duplicates:
            copies += rng.choices((1, 2, 3), weights=(0.7, 0.22, 0.08))[0]
        for k in range(min(copies, records - len(items))):
            profile = REPORT if k == 0 or rng.random() < 0.5 else FOUND
            delay = _report_delay(rng) if profile is REPORT else _found_delay(rng)
            items.append((person, _after(rng, departed, delay), profile))
    rng.shuffle(items)
    writer = Writer(_stream(seed, "records", "dedupe"))
    data = DedupeDataset(rows=[], clusters={}, people={p.entity: p for p in people})
    for i, (person, day, profile) in enumerate(items):
        row = writer.record(person, f"D{i + 1:07d}", day, profile)
        data.rows.append(dict(zip(COLUMNS, row, strict=True)))
        data.clusters[row[0]] = person.entity
        data.noise[row[0]] = tuple(writer.dice[profile.name].tags)
    _add(data.tally, writer)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--left", type=int, default=100_000)
    parser.add_argument("--right", type=int, default=1_000_000)
    parser.add_argument("--matched", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=None, help="processes for the unmatched found records")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = write_link_files(
        args.directory, left=args.left, right=args.right, matched=args.matched, seed=args.seed, workers=args.workers
    )
    elapsed = time.perf_counter() - started
    print(f"{files.left_rows} left, {files.right_rows} right, {files.matches} true pairs in {elapsed:.1f} s")
    for name in PROFILES:
        tally = files.tally.get(name)
        if tally is None:
            continue
        print(f"\n{name}: kind, tried, happened, rate")
        for kind in sorted(tally.hits):
            tried = tally.tries.get(kind.split("=")[0], 0)
            print(f"  {kind:28} {tried:9} {tally.hits[kind]:9} {tally.rate(kind):7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
