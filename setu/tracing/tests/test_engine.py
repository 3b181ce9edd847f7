"""The engines (setu.tracing.linkage.engine): training on the generated Nepal–India records, the batch
scores and the interactive scorer agreeing, and the blocking rules finding the true pairs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from setu.tracing.evaluation.generator import link_dataset
from setu.tracing.linkage.blocking import RULES, keys
from setu.tracing.linkage.engine import DuckDBEngine, score_candidates
from setu.tracing.linkage.features import read_record
from setu.tracing.linkage.model import Model

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def data():
    return link_dataset(left=600, right=6000, matched=250, seed=7)


@pytest.fixture(scope="module")
def trained(data):
    engine = DuckDBEngine(threads=2)
    engine.load("l", data.left, today=TODAY)
    engine.load("r", data.right, today=TODAY)
    result = engine.run("l", "r", Model.default(), threshold=0.5)
    engine.close()
    return result


def test_training_on_the_records_finds_most_true_pairs_and_few_false_ones(data, trained):
    found = {(a, b) for a, b, _p, _e in trained.pairs}
    right = len(found & data.matches)
    precision, recall = right / len(found), right / len(data.matches)
    assert precision > 0.7 and recall > 0.55, (precision, recall)
    assert trained.model.trained["source"] == "em" and trained.model.tf_rare
    assert 0 < trained.model.prior < 1e-3


def test_the_trained_model_keeps_its_levels_in_order(trained):
    weights = trained.model.level_weights()
    for row, size in zip(weights, (len(m) for m in trained.model.m.values()), strict=False):
        levels = row[1:size]
        assert all(a >= b - 1e-9 for a, b in zip(levels, levels[1:], strict=False))


def test_the_interactive_scorer_gives_the_batch_probabilities(data, trained):
    """One record against its candidates (score_candidates, as the node does) scores each pair exactly as the
    batch engine did with the same model."""
    model = trained.model
    engine = DuckDBEngine(threads=2)
    engine.load("l", data.left, today=TODAY)
    engine.load("r", data.right, today=TODAY)
    everything = {(a, b): p for a, b, p, _e in engine.run("l", "r", model, train=False, threshold=0.0).pairs}
    engine.close()
    features = {r["record_id"]: read_record(r, today=TODAY) for r in [*data.left, *data.right]}
    by_left: dict[str, list[str]] = {}
    for left, right in everything:
        by_left.setdefault(left, []).append(right)
    checked = 0
    for left, rights in list(by_left.items())[:80]:
        for candidate, probability, _levels in score_candidates(features[left], [features[r] for r in rights], model):
            assert probability == pytest.approx(everything[(left, candidate.record_id)], rel=1e-9, abs=1e-12)
            checked += 1
    assert checked > 100


def test_per_record_keeps_each_records_most_probable_pairs(data, trained):
    engine = DuckDBEngine(threads=2)
    engine.load("l", data.left, today=TODAY)
    engine.load("r", data.right, today=TODAY)
    best = engine.run("l", "r", trained.model, train=False, threshold=0.5, per_record=1).pairs
    engine.close()
    every: dict[str, list[float]] = {}
    for _left, right, chance, _why in trained.pairs:
        every.setdefault(right, []).append(chance)
    assert len(best) == len(every) < len(trained.pairs)  # some right-hand records had more than one
    for _left, right, chance, why in best:
        assert chance == pytest.approx(max(every[right])) and why


def test_blocking_finds_nearly_every_true_pair(data):
    index: dict[str, set[str]] = {}
    for record in data.right:
        for key in keys(read_record(record, today=TODAY)):
            index.setdefault(key, set()).add(record["record_id"])
    left = {r["record_id"]: read_record(r, today=TODAY) for r in data.left}
    found = sum(1 for a, b in data.matches if any(b in index.get(key, ()) for key in keys(left[a])))
    assert found / len(data.matches) > 0.85
    assert len(RULES) == len({rule.name for rule in RULES})


def test_a_record_with_no_candidates_scores_nothing():
    assert score_candidates(read_record({"record_id": "x"}), [], Model.default()) == []


def test_scores_are_probabilities(trained):
    probabilities = np.array([p for _a, _b, p, _e in trained.pairs])
    assert ((probabilities >= 0.5) & (probabilities <= 1)).all()
