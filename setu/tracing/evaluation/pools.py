"""Names as the generator knows them, and Zipf-weighted pools to draw them from.

A `Name` is one name (a given name, a family name, a filler such as Kumari) with every form the generator
may write for it: Devanagari as Nepali writes it, Devanagari as Hindi writes it where that differs, and the
Latin spellings officers actually use, the most common first. The tables are written by hand (see
README.md); nothing here derives one script from the other.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")

# Zipf-Mandelbrot weights: the r-th name (0-based) of a pool has weight (r + ZIPF_OFFSET) ** -exponent. The
# offset keeps the head from being absurdly heavy: with these values the most common of 135 given names is
# drawn 5.6% of the time, the 10th 1.9% and the 100th 0.4% (test_generator checks the shape), the shape of
# published name-frequency lists (a few very common names, a long tail) [I]. Family names have their own
# shape per community (names_np.FAMILY_SHAPES).
ZIPF_EXPONENT = 0.8
ZIPF_OFFSET = 3.0


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True, slots=True)
class Name:
    """One name and the ways it is written.

    `ne` is the Devanagari as a Nepali writer spells it (for Indian names, as Hindi spells it); `hi` is the
    Hindi spelling where it differs ("" when the same); `latin` holds the usual Latin spellings, most common
    first; `ne_alt` other Devanagari forms in real use (abbreviations such as वि.क.); `short` a short or pet
    form as (Devanagari, Latin), used as a nickname.
    """

    ne: str
    latin: tuple[str, ...]
    hi: str = ""
    ne_alt: tuple[str, ...] = ()
    short: tuple[str, str] | None = None
    key: str = ""  # a stable identifier: the canonical Latin spelling

    @property
    def hindi(self) -> str:
        return self.hi or self.ne

    @property
    def canonical(self) -> str:
        return self.latin[0]


def n(ne: str, latin: str, hi: str = "", *, alt: str = "", short: str = "") -> Name:
    """A table row: `latin` and `alt` are "|"-separated; `short` is "देवनागरी|Latin"."""
    spellings = tuple(nfc(s) for s in latin.split("|"))
    short_pair = None
    if short:
        deva, lat = short.split("|")
        short_pair = (nfc(deva), lat)
    return Name(
        ne=nfc(ne),
        latin=spellings,
        hi=nfc(hi),
        ne_alt=tuple(nfc(a) for a in alt.split("|")) if alt else (),
        short=short_pair,
        key=spellings[0],
    )


class Pool:
    """Names in order of frequency, drawn with Zipf-Mandelbrot weights."""

    __slots__ = ("_cum", "_total", "names")

    def __init__(
        self, names: tuple[Name, ...] | list[Name], exponent: float = ZIPF_EXPONENT, offset: float = ZIPF_OFFSET
    ) -> None:
        if not names:
            raise ValueError("a pool needs at least one name")
        self.names = tuple(names)
        self._cum = list(accumulate((r + offset) ** -exponent for r in range(len(self.names))))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> Name:
        return self.names[bisect(self._cum, rng.random() * self._total)]

    def share(self, rank: int) -> float:
        """The probability of drawing the name of this rank (0-based)."""
        before = self._cum[rank - 1] if rank else 0.0
        return (self._cum[rank] - before) / self._total

    def __len__(self) -> int:
        return len(self.names)


class Weighted(Generic[T]):
    """A fixed categorical distribution over arbitrary values."""

    __slots__ = ("_cum", "_total", "values")

    def __init__(self, pairs: tuple[tuple[T, float], ...] | list[tuple[T, float]]) -> None:
        self.values = tuple(v for v, _w in pairs)
        self._cum = list(accumulate(w for _v, w in pairs))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect(self._cum, rng.random() * self._total)]


@dataclass(slots=True)
class Tally:
    """How often each kind of noise was tried and how often it happened."""

    tries: dict[str, int]
    hits: dict[str, int]

    def rate(self, kind: str) -> float:
        """The measured rate of `kind` ("nickname", or "script=latin" for one outcome of a choice)."""
        tried = self.tries.get(kind.split("=")[0], 0)
        return self.hits.get(kind, 0) / tried if tried else 0.0

    def add(self, other: Tally) -> None:
        for kind, count in other.tries.items():
            self.tries[kind] = self.tries.get(kind, 0) + count
        for kind, count in other.hits.items():
            self.hits[kind] = self.hits.get(kind, 0) + count


@cache
def _outcome_key(kind: str, value: str) -> str:
    return f"{kind}={value}"


class Dice:
    """A random source that counts, per kind of noise, how often it was tried and how often it happened.

    `roll(kind, rate)` is the only way the generator decides to add a kind of noise, so the counts are the
    measured rates of every kind (README.md's table is checked against them by test_generator). The kinds
    that happened on the record being written are in `tags`.
    """

    __slots__ = ("hits", "random", "rng", "tags", "tries")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.random = rng.random
        self.tries: defaultdict[str, int] = defaultdict(int)
        self.hits: defaultdict[str, int] = defaultdict(int)
        self.tags: list[str] = []

    def roll(self, kind: str, rate: float) -> bool:
        self.tries[kind] += 1
        if self.random() < rate:
            self.hits[kind] += 1
            self.tags.append(kind)
            return True
        return False

    def choose(self, kind: str, options: tuple[tuple[str, float], ...]) -> str:
        """One of several outcomes (weights summing to 1), counted as "kind=outcome"."""
        self.tries[kind] += 1
        x = self.random()
        value = options[-1][0]
        for option, weight in options:
            x -= weight
            if x < 0:
                value = option
                break
        key = _outcome_key(kind, value)
        self.hits[key] += 1
        self.tags.append(key)
        return value

    def tally(self) -> Tally:
        return Tally(dict(self.tries), dict(self.hits))
