"""The engines that run the model: one SQL pipeline, DuckDB embedded (default) or Spark. Pure: no Django.

Records are read into features (setu.tracing.linkage.features: in this process for DuckDB, on Spark's
executors for Spark), and everything after that is SQL, the same text on both engines: the blocking
rules' equi-joins (setu.tracing.linkage.blocking), each pair's comparison levels (the model's own SQL,
setu.tracing.linkage.model), the level patterns that EM trains on, and the scored pairs. Only counts of
level patterns come back to Python for EM, so training costs the same whatever the data's size. The
interactive matcher runs the same comparison SQL in DuckDB on a few candidates (`score_candidates`).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import duckdb
import numpy as np

from setu.tracing.linkage.blocking import MAX_BLOCK, RULES
from setu.tracing.linkage.features import FEATURE_NAMES, INTEGER_FEATURES, Features, read_record
from setu.tracing.linkage.model import (
    COMPARISONS,
    FLOOR,
    MIN_EXPECTED_MATCHES,
    TERM_FREQUENCIES,
    TF_MAX_VALUES,
    TF_MIN_COUNT,
    TRAINING_SESSIONS,
    Model,
    em,
    explanation_text,
    probability,
    u_from_random_pairs,
)

CHUNK = 50_000  # features loaded into DuckDB per insert
RANDOM_SIDE = 1000  # u is measured on RANDOM_SIDE x RANDOM_SIDE random pairs (a million)
GAMMAS = [f"g{i}" for i in range(len(COMPARISONS))]
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def no_progress(stage: str, done: int, total: int) -> None:
    return None


def sql_type(name: str) -> str:
    return "BIGINT" if name in INTEGER_FEATURES else "STRING"


def gamma_sql() -> str:
    return ", ".join(f"{c.case_sql()} AS {g}" for c, g in zip(COMPARISONS, GAMMAS, strict=True))


@dataclass
class Result:
    """Pairs at or above the threshold, best first: (left id, right id, probability, explanation)."""

    pairs: list[tuple[str, str, float, str]]
    model: Model
    counts: dict[str, int] = field(default_factory=dict)  # blocked pairs, pairs out


class SQLEngine(ABC):
    """The pipeline, over tables `rid BIGINT, <features>` that a subclass knows how to make and query."""

    sizes: dict[str, int]

    @abstractmethod
    def load(self, table: str, records: Iterable[Mapping[str, str]], *, today: dt.date,
             progress: Progress = no_progress, total: int = 0) -> int:  # fmt: skip
        """Read the records into features in `table` (rid = their order); returns how many."""

    @abstractmethod
    def materialise(self, name: str, sql: str) -> None:
        """Keep the result of `sql` as table `name` for the following statements."""

    @abstractmethod
    def rows(self, sql: str) -> list[tuple]:
        """Run `sql` and return its rows."""

    @abstractmethod
    def register(self, name: str, columns: dict[str, list], types: dict[str, str]) -> None:
        """Make a small table of Python values (scored patterns) available as `name`."""

    def close(self) -> None:
        return None

    def record_ids(self, table: str) -> list[str]:
        return [row[0] for row in self.rows(f"SELECT record_id FROM {table} ORDER BY rid")]

    # --- blocking and comparing ----------------------------------------------------------------------------------

    def block(self, left: str, right: str, *, dedupe: bool, progress: Progress = no_progress) -> int:
        """Blocked pairs with a bit for each rule that found them: table `pairs` (lid, rid, rules)."""
        parts = []
        for bit, rule in enumerate(RULES):
            key_l, key_r = rule.sql("l"), rule.sql("r")
            # Keys present on both sides, and shared by at most MAX_BLOCK records on either.
            counted_l = f"SELECT {key_l} AS key, count(*) AS n FROM {left} l WHERE {key_l} IS NOT NULL GROUP BY 1"
            if dedupe:
                keys = f"SELECT key FROM ({counted_l}) a WHERE a.n <= {MAX_BLOCK}"
            else:
                counted_r = f"SELECT {key_r} AS key, count(*) AS n FROM {right} r WHERE {key_r} IS NOT NULL GROUP BY 1"
                keys = (f"SELECT a.key FROM ({counted_l}) a JOIN ({counted_r}) b ON a.key = b.key "
                        f"WHERE a.n <= {MAX_BLOCK} AND b.n <= {MAX_BLOCK}")  # fmt: skip
            self.materialise(f"keys_{bit}", keys)
            order = "AND l.rid < r.rid" if dedupe else ""
            parts.append(f"""
                SELECT l.rid AS lid, r.rid AS rid, {1 << bit} AS bit
                FROM {left} l JOIN keys_{bit} k ON {key_l} = k.key
                JOIN {right} r ON {key_r} = k.key {order}""")
            progress("blocking", bit + 1, len(RULES) + 1)
        self.materialise("pairs", f"SELECT lid, rid, bit_or(bit) AS rules FROM ({' UNION ALL '.join(parts)}) u "
                                  "GROUP BY lid, rid")  # fmt: skip
        progress("blocking", len(RULES) + 1, len(RULES) + 1)
        return int(self.rows("SELECT count(*) FROM pairs")[0][0])

    def compare(self, left: str, right: str) -> None:
        """Each blocked pair's comparison levels: table `gammas` (lid, rid, rules, g0 ... gN)."""
        self.materialise(
            "gammas",
            f"""
            SELECT p.lid, p.rid, p.rules, {gamma_sql()}
            FROM pairs p JOIN {left} l ON l.rid = p.lid JOIN {right} r ON r.rid = p.rid""",
        )

    def patterns(self, sql: str) -> tuple[np.ndarray, np.ndarray]:
        """Distinct level vectors and their counts from `sql` (which selects g0..gN, count)."""
        found = self.rows(sql)
        if not found:
            return np.zeros((0, len(GAMMAS)), dtype=np.int64), np.zeros(0)
        array = np.array(found, dtype=np.int64)
        return array[:, :-1], array[:, -1].astype(float)

    # --- training ------------------------------------------------------------------------------------------------

    def train(self, left: str, right: str, model: Model, *, dedupe: bool) -> Model:
        """Estimate the model from these records (call after `block` and `compare`):

        1. u from random pairs (a million, picked by a hash of the row number: the same on every engine);
        2. per session, in order (model.TRAINING_SESSIONS: the pairs one blocking rule found), EM of m and
           of the non-matches' own u for the session's free comparisons, the ones the rule fixes left out
           and those learnt before held, and each pair's chance of being a match;
        3. λ as the expected matches (each pair counted once, by the session most sure of it) over all
           possible pairs; u again without those matches; levels made monotone;
        4. the frequencies of given and family names, for the term-frequency adjustment.
        """
        g = ", ".join(GAMMAS)
        n_left, n_right = self.sizes[left], self.sizes[right]
        possible = n_left * (n_left - 1) / 2 if dedupe else n_left * n_right
        random_patterns, random_counts = self.patterns(f"""
            SELECT {g}, count(*) FROM (
                SELECT {gamma_sql()} FROM
                (SELECT * FROM {left} WHERE {_sample("rid", n_left, 1)}) l,
                (SELECT * FROM {right} WHERE {_sample("rid", n_right, 2)}) r
                {"WHERE l.rid <> r.rid" if dedupe else ""}
            ) s GROUP BY {g}""")
        base = Model(m=dict(model.m), u=dict(model.u), prior=model.prior)
        base.u = u_from_random_pairs(random_patterns, random_counts, base)
        found = self.rows(f"SELECT rules, {g}, count(*) FROM gammas GROUP BY rules, {g}")
        if not found:
            return model
        table = np.array(found, dtype=np.int64)
        rules, patterns, counts = table[:, 0], table[:, 1:-1], table[:, -1].astype(float)
        sure = np.zeros(len(table))  # per (rules, pattern): the highest chance of a match any session gives
        sessions: list[tuple[str, dict[str, list[float]], float]] = []
        smaller = min(n_left, n_right)
        learnt = Model(m=dict(base.m), u=dict(base.u), prior=base.prior)  # what the sessions found so far
        for session in TRAINING_SESSIONS:
            bit = 1 << next(i for i, rule in enumerate(RULES) if rule.name == session.rule)
            selected = (rules & bit) != 0
            if not selected.any():
                continue
            distinct, inverse = np.unique(patterns[selected], axis=0, return_inverse=True)
            weights = np.bincount(inverse.ravel(), weights=counts[selected])
            start = min(max(smaller / weights.sum(), 0.001), 0.5)  # at most one match a record
            held = frozenset(c.name for c in COMPARISONS) - session.fixed - session.free
            estimate = em(distinct, weights, learnt, fixed=session.fixed, held=held, free_u=True, share=start)
            sessions.append((session.rule, estimate.m, estimate.expected))
            if estimate.expected >= MIN_EXPECTED_MATCHES:
                learnt.m.update(estimate.m)
                learnt.u.update(estimate.u)
            sure[selected] = np.maximum(sure[selected], estimate.posterior(distinct)[inverse.ravel()])
        expected = float((sure * counts).sum())
        trained = Model(m=dict(learnt.m), u=base.u, prior=base.prior)
        trained.prior = min(max(expected / max(possible, 1.0), 1e-12), 0.5)
        trained.u = u_from_random_pairs(random_patterns, random_counts, trained)
        trained = trained.monotone()
        trained.tf, trained.tf_rare = self.term_frequencies(left, right, dedupe=dedupe)
        trained.trained = {
            "source": "em",
            "on": dt.date.today().isoformat(),  # noqa: DTZ011
            "records": [n_left] if dedupe else [n_left, n_right],
            "blocked_pairs": int(counts.sum()),
            "expected_matches": round(expected, 1),
            "sessions": {name: round(weight, 1) for name, _m, weight in sessions},
        }
        return trained

    def term_frequencies(self, left: str, right: str, *, dedupe: bool) -> tuple[dict, dict]:
        """{feature: {value: share of the records with that feature}} for TERM_FREQUENCIES' features, the
        values seen at least TF_MIN_COUNT times (at most TF_MAX_VALUES), and the share of one other value."""
        tf: dict[str, dict[str, float]] = {}
        rare: dict[str, float] = {}
        for feature, _levels in TERM_FREQUENCIES.values():
            both = f"SELECT {feature} AS value FROM {left}"
            if not dedupe:
                both += f" UNION ALL SELECT {feature} FROM {right}"
            total = int(self.rows(f"SELECT count(value) FROM ({both}) t")[0][0])
            if not total:
                continue
            common = self.rows(f"""
                SELECT value, count(*) AS n FROM ({both}) t WHERE value IS NOT NULL GROUP BY value
                HAVING count(*) >= {TF_MIN_COUNT} ORDER BY n DESC, value LIMIT {TF_MAX_VALUES}""")
            tf[feature] = {value: n / total for value, n in common}
            rare[feature] = 1 / total
        return tf, rare

    # --- the whole run -------------------------------------------------------------------------------------------

    def run(self, left: str, right: str, model: Model, *, dedupe: bool = False, train: bool = True,
            threshold: float = 0.5, per_record: int = 0, progress: Progress = no_progress) -> Result:  # fmt: skip
        """Block, compare, (train,) score: the pairs at or above `threshold`, with their explanations. With
        `per_record`, only each right-hand record's `per_record` most probable pairs (in a deduplication, each
        record's most probable among the records before it)."""
        blocked = self.block(left, right, dedupe=dedupe, progress=progress)
        progress("comparing", 0, 1)
        self.compare(left, right)
        progress("comparing", 1, 1)
        if train and blocked:
            progress("training", 0, 1)
            model = self.train(left, right, model, dedupe=dedupe)
            progress("training", 1, 1)
        if not blocked:
            return Result(pairs=[], model=model, counts={"blocked_pairs": 0, "pairs": 0})
        g = ", ".join(GAMMAS)
        patterns, _counts = self.patterns(f"SELECT {g}, count(*) FROM gammas GROUP BY {g}")
        self.register("scored", {**{name: patterns[:, i].tolist() for i, name in enumerate(GAMMAS)},
                                 "weight": model.weights(patterns).tolist()},
                      {**dict.fromkeys(GAMMAS, "BIGINT"), "weight": "DOUBLE"})  # fmt: skip
        joins, adjustments = self._term_frequency_sql(model)
        if threshold <= 0:
            cut = "TRUE"
        elif threshold >= 1:
            cut = "FALSE"
        else:
            cut = f"w.weight >= {math.log2(threshold / (1 - threshold))!r}"
        weighed = f"""
            SELECT g.lid, g.rid, s.weight {adjustments} AS weight, {", ".join(f"g.{x}" for x in GAMMAS)}
            FROM gammas g JOIN scored s ON {" AND ".join(f"g.{x} = s.{x}" for x in GAMMAS)}
            JOIN {left} l ON l.rid = g.lid {joins}"""
        if per_record > 0:  # a window over the pairs above the cut, so each record keeps its best few of those
            weighed = f"""
                SELECT * FROM (
                    SELECT w.*, row_number() OVER (PARTITION BY w.rid ORDER BY w.weight DESC, w.lid) AS place
                    FROM ({weighed}) w WHERE {cut}
                ) ranked WHERE place <= {int(per_record)}"""
        found = self.rows(f"""
            SELECT l.record_id, r.record_id, w.weight, {", ".join(f"w.{x}" for x in GAMMAS)}, l.given, l.family
            FROM ({weighed}) w JOIN {left} l ON l.rid = w.lid JOIN {right} r ON r.rid = w.rid
            WHERE {cut}""")
        pairs = []
        explained: dict[tuple, str] = {}  # one explanation per pattern and name: pairs share them by the thousand
        for row in found:
            gamma, values = row[3 : 3 + len(GAMMAS)], {"given": row[-2], "family": row[-1]}
            key = (gamma, row[-2], row[-1])
            if key not in explained:
                explained[key] = explanation_text(model.explain(gamma, values))
            pairs.append((row[0], row[1], float(probability(np.array([row[2]]))[0]), explained[key]))
        pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
        return Result(pairs=pairs, model=model, counts={"blocked_pairs": blocked, "pairs": len(pairs)})

    def _term_frequency_sql(self, model: Model) -> tuple[str, str]:
        """The joins and the weight terms of the term-frequency adjustment (Model.tf_adjustment) in SQL, with
        the model's frequencies registered as tables tf_<feature>."""
        joins, terms = [], []
        for comparison, (feature, levels) in TERM_FREQUENCIES.items():
            if feature not in model.tf_rare:
                continue
            values = model.tf.get(feature, {})
            self.register(f"tf_{feature}", {"value": list(values), "frequency": list(values.values())},
                          {"value": "STRING", "frequency": "DOUBLE"})  # fmt: skip
            joins.append(f"LEFT JOIN tf_{feature} ON tf_{feature}.value = l.{feature}")
            column = GAMMAS[[c.name for c in COMPARISONS].index(comparison)]
            frequency = f"greatest(coalesce(tf_{feature}.frequency, {model.tf_rare[feature]!r}), {FLOOR!r})"
            whens = " ".join(
                f"WHEN {level} THEN log2({min(max(model.u[comparison][level], FLOOR), 1 - FLOOR)!r} / {frequency})"
                for level in levels
            )
            terms.append(f"+ CASE g.{column} {whens} ELSE 0 END")
        return " ".join(joins), " ".join(terms)


_HASH_MODULUS = 1_000_003  # a prime


def _sample(column: str, size: int, stream: int) -> str:
    """About RANDOM_SIDE of `size` rows, chosen by an integer hash of the row number: the same rows on every
    engine, and unrelated to the order of the file (two files listing the same people in the same order
    would make a systematic sample pick true pairs)."""
    multiplier = (2_654_435_761, 2_246_822_519, 3_266_489_917)[stream]
    cut = max(1, _HASH_MODULUS * RANDOM_SIDE // max(size, 1))
    return f"(({column} + {stream * 7919}) * {multiplier}) % {_HASH_MODULUS} < {cut}"


# --- DuckDB ------------------------------------------------------------------------------------------------------


def _duck_type(kind: str) -> str:
    return "VARCHAR" if kind == "STRING" else kind


class DuckDBEngine(SQLEngine):
    """One DuckDB database in memory (spilling to `temp_directory` when it must) per run."""

    def __init__(self, *, threads: int | None = None, memory_limit: str | None = None,
                 temp_directory: str | None = None) -> None:  # fmt: skip
        config: dict[str, str | bool | int | float | list[str]] = {
            key: value
            for key, value in (("threads", threads), ("memory_limit", memory_limit), ("temp_directory", temp_directory))
            if value
        }
        self.con = duckdb.connect(config=config)
        self.sizes = {}

    def close(self) -> None:
        self.con.close()

    def load(self, table: str, records: Iterable[Mapping[str, str]], *, today: dt.date,
             progress: Progress = no_progress, total: int = 0) -> int:  # fmt: skip
        return self.load_features(table, (read_record(record, today=today) for record in records), progress=progress,
                                  total=total)  # fmt: skip

    def load_features(self, table: str, features: Iterable[Features], *, progress: Progress = no_progress,
                      total: int = 0) -> int:  # fmt: skip
        """Put features already read (a node's index) into `table`; returns how many."""
        schema = ", ".join(["rid BIGINT"] + [f"{n} {_duck_type(sql_type(n))}" for n in FEATURE_NAMES])
        self.con.execute(f"CREATE OR REPLACE TABLE {table} ({schema})")
        count = 0
        batch: list[Features] = []
        for item in features:
            batch.append(item)
            if len(batch) >= CHUNK:
                count = self._insert(table, batch, count)
                progress(f"reading {table}", count, total)
                batch = []
        count = self._insert(table, batch, count)
        progress(f"reading {table}", count, max(total, count))
        self.sizes[table] = count
        return count

    def _insert(self, table: str, batch: list[Features], start: int) -> int:
        if not batch:
            return start
        data = {"rid": np.arange(start, start + len(batch), dtype=np.int64)}
        for name in FEATURE_NAMES:
            data[name] = np.array([getattr(f, name) for f in batch], dtype=object)
        self.con.register("_chunk", data)
        casts = ", ".join(f"CAST({n} AS {_duck_type(sql_type(n))})" for n in FEATURE_NAMES)
        self.con.execute(f"INSERT INTO {table} SELECT rid, {casts} FROM _chunk")
        self.con.unregister("_chunk")
        return start + len(batch)

    def materialise(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def register(self, name: str, columns: dict[str, list], types: dict[str, str]) -> None:
        data = {key: np.array(values, dtype=object) for key, values in columns.items()}
        self.con.register(f"_{name}", data)
        casts = ", ".join(f"CAST({key} AS {_duck_type(types[key])}) AS {key}" for key in columns)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {casts} FROM _{name}")
        self.con.unregister(f"_{name}")


# --- interactive: one record, a few candidates, one query --------------------------------------------------------

_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per thread (a connection is not shared between threads)."""
    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect(config={"threads": 1})
    return con


def score_candidates(record: Features, candidates: list[Features],
                     model: Model) -> list[tuple[Features, float, tuple[int, ...]]]:  # fmt: skip
    """Score one record against candidates with the model's SQL: (candidate, probability, levels), best
    first. For the interactive matcher: a few hundred candidates take a few milliseconds."""
    if not candidates:
        return []
    con = _connection()
    left = {name: np.array([getattr(record, name)], dtype=object) for name in FEATURE_NAMES}
    right = {name: np.array([getattr(c, name) for c in candidates], dtype=object) for name in FEATURE_NAMES}
    right["rid"] = np.arange(len(candidates), dtype=np.int64)
    casts = ", ".join(f"CAST({n} AS {_duck_type(sql_type(n))}) AS {n}" for n in FEATURE_NAMES)
    con.register("_l", left)
    con.register("_r", right)
    try:
        found = con.execute(f"""
            SELECT r.rid, {gamma_sql()}
            FROM (SELECT {casts} FROM _l) l, (SELECT rid, {casts} FROM _r) r ORDER BY r.rid""").fetchall()
    finally:
        con.unregister("_l")
        con.unregister("_r")
    gammas = np.array([row[1:] for row in found], dtype=np.int64)
    values = {"given": record.given, "family": record.family}  # on the exact levels both sides hold these
    adjust = np.array([sum(model.tf_adjustment(name, int(row[1 + i]), values[feature])
                           for i, name in enumerate(c.name for c in COMPARISONS)
                           if name in TERM_FREQUENCIES for feature in [TERM_FREQUENCIES[name][0]])
                       for row in found])  # fmt: skip
    scores = probability(model.weights(gammas) + adjust)
    scored = [(candidates[row[0]], float(p), tuple(int(x) for x in row[1:]))
              for row, p in zip(found, scores, strict=True)]  # fmt: skip
    scored.sort(key=lambda item: -item[1])
    return scored
