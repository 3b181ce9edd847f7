"""The matching model: comparisons with their levels, Fellegi–Sunter weights, estimation by EM, the match
probability and its field-by-field explanation. Pure: no Django; numpy only.

Each comparison looks at one field of two records (their features, setu.tracing.linkage.features) and
says which of its levels the pair falls in, best first; level 0 means "no information" (a side is blank)
and weighs nothing. A level's condition is written once, in SQL over the two records' feature columns
(`l.given`, `r.given`), in the small dialect DuckDB and Spark share (=, levenshtein, instr, greatest,
least, abs, CASE): every engine runs the very same text, so the embedded engine, the Spark engine and
the interactive matcher agree by construction (tests/linkage check the engines against each other).

For a pair with level g_c in each comparison c, Fellegi and Sunter's weight is

    w = log2(λ / (1 - λ)) + Σ_c log2(m_c[g_c] / u_c[g_c])

with m the chance of that level among true matches, u among non-matches, λ the chance that two records
drawn at random are the same person; the probability is 1 / (1 + 2^-w). Agreeing exactly on a given or
family name weighs by how common that name is (`TERM_FREQUENCIES`). u is measured on random pairs; m and
λ are estimated by expectation–maximisation on the blocked pairs (Winkler 1988), in sessions that each
leave out the comparisons their blocking rule fixes, as Splink does, learn the non-matches' own u beside m
(the pairs a rule finds share more than random pairs do), and hold what earlier sessions learnt
(`TRAINING_SESSIONS`). Until a node has data, `Model.default()` holds values that a careful reading of the
field gives.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MODEL_VERSION = 1


@dataclass(frozen=True)
class Level:
    label: str  # how the level reads in an explanation ("same after spelling")
    sql: str  # condition over l.<feature> and r.<feature>


@dataclass(frozen=True)
class Comparison:
    name: str  # the field as the explanation names it
    null_sql: str  # when this holds, the comparison says nothing (level 0)
    levels: tuple[Level, ...]  # best first; the last is the disagreement and its sql is "TRUE"
    default_m: tuple[float, ...]  # one per level, summing to 1
    default_u: tuple[float, ...]

    @property
    def size(self) -> int:
        return len(self.levels) + 1  # with level 0

    def case_sql(self) -> str:
        whens = " ".join(f"WHEN {level.sql} THEN {i}" for i, level in enumerate(self.levels[:-1], start=1))
        return f"CASE WHEN {self.null_sql} THEN 0 {whens} ELSE {len(self.levels)} END"


def _null(*columns: str) -> str:
    return " OR ".join(f"l.{c} IS NULL OR r.{c} IS NULL" for c in columns)


def _lev(column: str, at_most: int) -> str:
    return f"levenshtein(l.{column}, r.{column}) <= {at_most}"


def _among(column: str) -> str:
    """The word of one side is one of the other side's name words (names written in another order)."""
    return (f"(r.tokens IS NOT NULL AND instr(r.tokens, '|' || l.{column} || '|') > 0) OR "
            f"(l.tokens IS NOT NULL AND instr(l.tokens, '|' || r.{column} || '|') > 0)")  # fmt: skip


_OVERLAP = "l.birth_lo <= r.birth_hi AND r.birth_lo <= l.birth_hi"
_GAP = "greatest(l.birth_lo - r.birth_hi, r.birth_lo - l.birth_hi)"
_NARROW = "l.birth_hi - l.birth_lo <= 366 AND r.birth_hi - r.birth_lo <= 366"

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "given_name", _null("given"),
        (Level("same spelling", "l.given_spelled = r.given_spelled"),
         Level("same after spelling variants", "l.given = r.given"),
         Level("found among the other's names", _among("given")),
         Level("one letter apart", _lev("given", 1)),
         Level("two letters apart", _lev("given", 2)),
         Level("sound alike", "l.given_key = r.given_key"),
         Level("different", "TRUE")),
        (0.54, 0.25, 0.05, 0.1, 0.03, 0.015, 0.015), (0.004, 0.004, 0.003, 0.012, 0.03, 0.05, 0.897),
    ),
    Comparison(
        "family_name", _null("family"),
        (Level("same", "l.family = r.family"),
         Level("one letter apart", _lev("family", 1)),
         Level("found among the other's names", _among("family")),
         Level("same community name", "l.community = r.community"),
         Level("two letters apart", _lev("family", 2)),
         Level("different", "TRUE")),
        (0.8, 0.08, 0.03, 0.04, 0.02, 0.03), (0.02, 0.01, 0.005, 0.01, 0.02, 0.935),
    ),
    Comparison(
        "sex", _null("sex"),
        (Level("same", "l.sex = r.sex"), Level("different", "TRUE")),
        (0.98, 0.02), (0.5, 0.5),
    ),
    Comparison(
        "birth", _null("birth_lo", "birth_hi"),
        (Level("same day", "l.birth_day = r.birth_day"),
         Level("one digit apart", "levenshtein(l.birth_day, r.birth_day) <= 1"),
         Level("same year", f"{_OVERLAP} AND {_NARROW}"),
         Level("within the estimate", _OVERLAP),
         Level("within two years", f"{_GAP} <= 731"),
         Level("within five years", f"{_GAP} <= 1827"),
         Level("further apart", "TRUE")),
        (0.3, 0.04, 0.2, 0.32, 0.1, 0.03, 0.01), (0.0003, 0.001, 0.01, 0.1, 0.12, 0.15, 0.6187),
    ),
    Comparison(
        "father_name", _null("father"),
        (Level("same", "l.father = r.father"),
         Level("one letter apart", _lev("father", 1)),
         Level("sound alike", "l.father_key = r.father_key"),
         Level("different", "TRUE")),
        (0.8, 0.1, 0.05, 0.05), (0.01, 0.02, 0.05, 0.92),
    ),
    Comparison(
        "mother_name", _null("mother"),
        (Level("same", "l.mother = r.mother"),
         Level("one letter apart", _lev("mother", 1)),
         Level("sound alike", "l.mother_key = r.mother_key"),
         Level("different", "TRUE")),
        (0.8, 0.1, 0.05, 0.05), (0.01, 0.02, 0.05, 0.92),
    ),
    Comparison(
        "home", "(l.district IS NULL OR r.district IS NULL)",
        (Level("same local level and ward", "l.local_level = r.local_level AND l.ward = r.ward"),
         Level("same local level", "l.local_level = r.local_level"),
         Level("same ward, local level spelt a little differently",
               "l.ward = r.ward AND levenshtein(l.local_level, r.local_level) <= 2"),
         Level("local level spelt a little differently", "levenshtein(l.local_level, r.local_level) <= 2"),
         Level("same district, local level not known on one side",
               "l.district = r.district AND (l.local_level IS NULL OR r.local_level IS NULL)"),
         Level("same district, another local level", "l.district = r.district"),
         Level("different district", "TRUE")),
        (0.3, 0.25, 0.02, 0.02, 0.25, 0.05, 0.11), (0.0005, 0.003, 0.0004, 0.0005, 0.02, 0.03, 0.9456),
    ),
    Comparison(
        "phone", _null("phone"),
        (Level("same number", "right(l.phone, 8) = right(r.phone, 8)"),
         Level("one digit apart", "levenshtein(right(l.phone, 8), right(r.phone, 8)) <= 1"),
         Level("two digits apart", "levenshtein(right(l.phone, 8), right(r.phone, 8)) <= 2"),
         Level("different", "TRUE")),
        (0.85, 0.05, 0.02, 0.08), (0.00001, 0.0001, 0.001, 0.99889),
    ),
)  # fmt: skip
COMPARISON_NAMES = tuple(c.name for c in COMPARISONS)


# EM sessions: pairs found by each rule (setu.tracing.linkage.blocking) estimate m for the comparisons the
# rule does not fix. Every comparison is left free by at least one session.
@dataclass(frozen=True)
class Session:
    """EM on the pairs one blocking rule found: `fixed` comparisons are what the rule made agree (left out),
    `free` are estimated (m, and the non-matches' own u), the others are held at what earlier sessions
    found, so that they tell matches from look-alikes while the free ones are learnt."""

    rule: str
    fixed: frozenset[str]
    free: frozenset[str]


# In order. First the pairs sharing given and family name: siblings and namesakes differ there in birth,
# parents, home and phone, which are learnt. Then, with those held, the names themselves, from pairs that
# share the district, the father or the phone (where siblings, who share all three, would otherwise pass
# for the same girl).
TRAINING_SESSIONS: tuple[Session, ...] = (
    Session("given_family", frozenset({"given_name", "family_name"}),
            frozenset({"sex", "birth", "father_name", "mother_name", "home", "phone"})),
    Session("given_district", frozenset({"given_name", "home"}), frozenset({"family_name"})),
    Session("family_father", frozenset({"family_name", "father_name"}), frozenset({"given_name"})),
    Session("phone", frozenset({"phone"}), frozenset({"given_name", "family_name"})),
)  # fmt: skip

# Term frequencies: agreeing on a common name says less than agreeing on a rare one. For the exact levels
# of these comparisons the level's u is replaced by the value's own frequency among the records
# (Winkler's frequency-based matching, Splink's "term frequency adjustment"): comparison -> (the feature
# holding the value, the levels it applies to).
TERM_FREQUENCIES: dict[str, tuple[str, tuple[int, ...]]] = {
    "given_name": ("given", (1, 2)),
    "family_name": ("family", (1,)),
}
# A model keeps the frequencies of values seen at least this often, at most this many per feature; other
# values count as seen once among the records the model was trained on.
TF_MIN_COUNT = 2
TF_MAX_VALUES = 50_000

# Below this many expected matches in a session, its estimates are noise: the defaults stay.
MIN_EXPECTED_MATCHES = 20.0
# No level is ever taken as certain either way: m and u stay inside (FLOOR, 1 - FLOOR).
FLOOR = 1e-6


@dataclass
class Model:
    """m and u per comparison level (index 0, "no information", unused) and λ; JSON round-trips."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float  # λ: the chance that two records drawn at random are the same person
    trained: dict = field(default_factory=dict)  # how the numbers were obtained (sessions, pairs, dates)
    version: int = MODEL_VERSION
    # Per feature of TERM_FREQUENCIES: {value: its share of the records}, and the share of a value not listed.
    tf: dict[str, dict[str, float]] = field(default_factory=dict)
    tf_rare: dict[str, float] = field(default_factory=dict)

    @classmethod
    def default(cls, *, prior: float = 1e-4) -> Model:
        return cls(
            m={c.name: [1.0, *c.default_m] for c in COMPARISONS},
            u={c.name: [1.0, *c.default_u] for c in COMPARISONS},
            prior=prior,
            trained={"source": "defaults"},
        )

    # --- persistence -------------------------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps({"version": self.version, "prior": self.prior, "m": self.m, "u": self.u,
                           "trained": self.trained, "tf": self.tf, "tf_rare": self.tf_rare},
                          indent=1, sort_keys=True, ensure_ascii=False)  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        if data.get("version") != MODEL_VERSION:
            raise ValueError(f"model version {data.get('version')!r} is not {MODEL_VERSION}")
        model = cls(m=data["m"], u=data["u"], prior=float(data["prior"]), trained=data.get("trained", {}),
                    tf=data.get("tf", {}), tf_rare=data.get("tf_rare", {}))  # fmt: skip
        for comparison in COMPARISONS:
            for table in (model.m, model.u):
                if len(table.get(comparison.name, [])) != comparison.size:
                    raise ValueError(f"model has no levels for {comparison.name} as version {MODEL_VERSION} defines")
        if not 0 < model.prior < 1:
            raise ValueError("the prior must be between 0 and 1")
        return model

    @classmethod
    def load(cls, path: Path) -> Model:
        return cls.from_json(path.read_text(encoding="utf-8"))

    # --- scoring -----------------------------------------------------------------------------------------------

    def level_weights(self) -> np.ndarray:
        """log2(m/u) per comparison (rows) and level (columns, padded with 0); level 0 weighs 0."""
        width = max(c.size for c in COMPARISONS)
        weights = np.zeros((len(COMPARISONS), width))
        for i, comparison in enumerate(COMPARISONS):
            m = np.clip(np.asarray(self.m[comparison.name], dtype=float), FLOOR, 1 - FLOOR)
            u = np.clip(np.asarray(self.u[comparison.name], dtype=float), FLOOR, 1 - FLOOR)
            weights[i, : comparison.size] = np.log2(m / u)
            weights[i, 0] = 0.0
        return weights

    def monotone(self) -> Model:
        """The same model with every comparison's weights never rising from a better level to a worse one:
        levels whose estimates break the order are pooled (their m and u added, pool-adjacent-violators),
        so a pair that agrees better on a field never scores lower for it."""
        m, u = {}, {}
        for comparison in COMPARISONS:
            blocks = [[[float(a)], [float(b)]] for a, b in
                      zip(self.m[comparison.name][1:], self.u[comparison.name][1:], strict=True)]  # fmt: skip
            merged: list[list[list[float]]] = []
            for block in blocks:
                merged.append(block)
                while len(merged) > 1 and _ratio(merged[-1]) > _ratio(merged[-2]):
                    last = merged.pop()
                    merged[-1] = [merged[-1][0] + last[0], merged[-1][1] + last[1]]
            m_levels, u_levels = [1.0], [1.0]
            for ms, us in merged:
                share_m, share_u = sum(ms) / len(ms), sum(us) / len(us)
                m_levels.extend([share_m] * len(ms))
                u_levels.extend([share_u] * len(us))
            m[comparison.name], u[comparison.name] = m_levels, u_levels
        return Model(
            m=m,
            u=u,
            prior=self.prior,
            trained=dict(self.trained),
            version=self.version,
            tf=self.tf,
            tf_rare=self.tf_rare,
        )

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    def weights(self, gammas: np.ndarray) -> np.ndarray:
        """Match weight of each pair; `gammas` has one row per pair and one column per comparison."""
        table = self.level_weights()
        rows = np.arange(len(COMPARISONS))
        return self.prior_weight + table[rows, gammas].sum(axis=1)

    def tf_adjustment(self, comparison: str, level: int, value: str | None) -> float:
        """log2 of how much more (or less) agreeing on this value says than agreeing on an average one: 0
        outside the exact levels of TERM_FREQUENCIES, or without frequencies."""
        feature, levels = TERM_FREQUENCIES.get(comparison, ("", ()))
        if level not in levels or not value or feature not in self.tf_rare:
            return 0.0
        frequency = self.tf[feature].get(value, self.tf_rare[feature])
        u = min(max(self.u[comparison][level], FLOOR), 1 - FLOOR)
        return math.log2(u / max(frequency, FLOOR))

    def explain(self, gamma, values: dict[str, str | None] | None = None) -> list[Contribution]:
        """What each field said about one pair, in the comparisons' order; with the pair's `values` of the
        TERM_FREQUENCIES features, the exact name levels weigh by how common the name is."""
        table = self.level_weights()
        found = []
        for i, (comparison, level) in enumerate(zip(COMPARISONS, gamma, strict=True)):
            label = "no information" if level == 0 else comparison.levels[level - 1].label
            weight = float(table[i, level])
            if values and comparison.name in TERM_FREQUENCIES:
                feature = TERM_FREQUENCIES[comparison.name][0]
                weight += self.tf_adjustment(comparison.name, int(level), values.get(feature))
            found.append(Contribution(comparison.name, int(level), label, weight))
        return found


@dataclass(frozen=True)
class Contribution:
    field: str
    level: int
    label: str
    weight: float  # log2 of the Bayes factor: + for, - against, 0 no information

    def __str__(self) -> str:
        return f"{self.field}: {self.label} ({self.weight:+.1f})"


def _ratio(block: list[list[float]]) -> float:
    return max(sum(block[0]), FLOOR) / max(sum(block[1]), FLOOR)


def probability(weight: np.ndarray) -> np.ndarray:
    """Match probability of each weight (an array, like the weights)."""
    return 1.0 / (1.0 + np.power(2.0, -np.asarray(weight, dtype=float)))


def explanation_text(contributions: list[Contribution]) -> str:
    """One line, strongest evidence first; fields without information left out."""
    said = sorted((c for c in contributions if c.level), key=lambda c: -abs(c.weight))
    return "; ".join(str(c) for c in said)


# --- estimation ------------------------------------------------------------------------------------------------


def u_from_random_pairs(patterns: np.ndarray, counts: np.ndarray, model: Model) -> dict[str, list[float]]:
    """u per level from the level counts of random pairs. Random pairs include a few true matches (a share
    λ of them, with levels distributed as m): their part, λ·m, is taken out of what was seen, which
    matters for sharp fields when λ is not tiny (every record of one file has its match in the other). A
    level never seen keeps a floor of half a pair, so a rare agreement is strong evidence but never
    infinite. With no information on a field the model's own u stays."""
    u = {}
    for i, comparison in enumerate(COMPARISONS):
        tally = np.zeros(comparison.size)
        np.add.at(tally, patterns[:, i], counts)
        informative = tally[1:].sum()
        if informative < 1:
            u[comparison.name] = list(model.u[comparison.name])
            continue
        seen = tally[1:] / informative
        m = np.asarray(model.m[comparison.name][1:], dtype=float)
        share = min(model.prior, 0.5)
        corrected = (seen - share * m) / (1 - share)
        smoothed = np.maximum(corrected, 0.5 / informative)
        u[comparison.name] = [1.0, *(smoothed / smoothed.sum()).tolist()]
    return u


@dataclass
class Estimate:
    m: dict[str, list[float]]  # for the free comparisons
    u: dict[str, list[float]]  # for the free comparisons (as given when u is held)
    share: float  # λ_b: the share of these pairs that are matches
    expected: float  # how many of them are matches
    counted: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)  # (m, u) in the likelihood

    def posterior(self, patterns: np.ndarray) -> np.ndarray:
        """The chance that pairs with these level vectors are matches, by this estimate (every comparison
        that counted, held or free)."""
        odds = np.full(len(patterns), math.log2(self.share / (1 - self.share)))
        for i, comparison in enumerate(COMPARISONS):
            if comparison.name in self.counted:
                m = np.clip(np.asarray(self.counted[comparison.name][0]), FLOOR, 1)
                u = np.clip(np.asarray(self.counted[comparison.name][1]), FLOOR, 1)
                ratio = np.log2(m / u)
                ratio[0] = 0.0
                odds += ratio[patterns[:, i]]
        return 1.0 / (1.0 + np.power(2.0, -np.clip(odds, -1000, 1000)))


def em(
    patterns: np.ndarray,
    counts: np.ndarray,
    model: Model,
    *,
    fixed: frozenset[str] = frozenset(),
    held: frozenset[str] = frozenset(),
    free_u: bool = False,
    share: float = 0.1,
    iterations: int = 100,
    tolerance: float = 1e-6,
) -> Estimate:
    """Expectation–maximisation of m (and of u when `free_u`) and of the match share among these pairs.

    `patterns`: distinct level vectors (rows) with `counts`. Comparisons in `fixed` (those the pairs were
    blocked on) neither move nor count; those in `held` count at the model's values without moving. Starts
    from the model's m and u and the given share."""
    counted = [i for i, c in enumerate(COMPARISONS) if c.name not in fixed]
    free = [i for i in counted if COMPARISONS[i].name not in held]
    m = {c.name: np.clip(np.asarray(model.m[c.name], dtype=float), FLOOR, 1) for c in COMPARISONS}
    u = {c.name: np.clip(np.asarray(model.u[c.name], dtype=float), FLOOR, 1) for c in COMPARISONS}
    total = float(counts.sum())
    expected = 0.0
    for _ in range(iterations):
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for i in counted:
            name = COMPARISONS[i].name
            g = patterns[:, i]
            informative = g > 0
            log_m += np.where(informative, np.log(m[name][g]), 0.0)
            log_u += np.where(informative, np.log(u[name][g]), 0.0)
        odds = np.log(share) - np.log1p(-share) + log_m - log_u
        posterior = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        matched = posterior * counts
        expected = float(matched.sum())
        new_share = min(max(expected / total, FLOOR), 1 - FLOOR)
        change = abs(new_share - share)
        tables = [(m, matched)] + ([(u, counts - matched)] if free_u else [])
        for table, weight in tables:
            for i in free:
                comparison = COMPARISONS[i]
                tally = np.zeros(comparison.size)
                np.add.at(tally, patterns[:, i], weight)
                informative = tally[1:].sum()
                if informative > 0:
                    updated = np.concatenate([[1.0], np.maximum(tally[1:] / informative, FLOOR)])
                    change = max(change, float(np.abs(updated - table[comparison.name]).max()))
                    table[comparison.name] = updated
        share = new_share
        if change < tolerance:
            break
    names = [COMPARISONS[i].name for i in free]
    return Estimate(m={n: m[n].tolist() for n in names}, u={n: u[n].tolist() for n in names}, share=share,
                    expected=expected, counted={COMPARISONS[i].name: (m[COMPARISONS[i].name].tolist(),
                                                                      u[COMPARISONS[i].name].tolist())
                                                for i in counted})  # fmt: skip
