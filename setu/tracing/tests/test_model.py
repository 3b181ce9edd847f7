"""The Fellegi–Sunter model (setu.tracing.linkage.model): weights, monotone levels, the explanation, EM
that recovers what generated the data, and the JSON the nodes keep."""

from __future__ import annotations

import json

import numpy as np
import pytest

from setu.tracing.linkage.model import COMPARISONS, Model, em, explanation_text, probability, u_from_random_pairs


def _random_model(seed: int) -> Model:
    rng = np.random.default_rng(seed)
    m, u = {}, {}
    for comparison in COMPARISONS:
        m[comparison.name] = [1.0, *rng.dirichlet(np.ones(comparison.size - 1)).tolist()]
        u[comparison.name] = [1.0, *rng.dirichlet(np.ones(comparison.size - 1)).tolist()]
    return Model(m=m, u=u, prior=10 ** rng.uniform(-6, -2))


@pytest.mark.parametrize("model", [Model.default(), *(_random_model(seed).monotone() for seed in range(8))])
def test_agreeing_better_on_any_field_never_lowers_the_score(model):
    rng = np.random.default_rng(1)
    for _ in range(200):
        gamma = np.array([rng.integers(0, c.size) for c in COMPARISONS])
        base = model.weights(gamma[None, :])[0]
        for i, comparison in enumerate(COMPARISONS):
            if gamma[i] > 1:  # one level better (level 1 is the best; 0 says nothing)
                better = gamma.copy()
                better[i] -= 1
                assert model.weights(better[None, :])[0] >= base - 1e-9, (comparison.name, gamma)


def test_monotone_pools_levels_that_break_the_order_and_keeps_the_totals():
    model = Model.default()
    model.m["sex"], model.u["sex"] = [1.0, 0.1, 0.9], [1.0, 0.5, 0.5]  # "different" would weigh more than "same"
    fixed = model.monotone()
    assert fixed.m["sex"][1] == fixed.m["sex"][2] == pytest.approx(0.5)
    assert sum(fixed.m["given_name"][1:]) == pytest.approx(sum(model.m["given_name"][1:]))
    assert Model.default().monotone().level_weights() == pytest.approx(Model.default().level_weights())


def test_a_blank_field_weighs_nothing():
    model = Model.default()
    nothing = np.zeros((1, len(COMPARISONS)), dtype=int)
    assert model.weights(nothing)[0] == pytest.approx(model.prior_weight)
    assert probability(model.weights(nothing))[0] == pytest.approx(model.prior)


def test_the_explanation_names_every_field_with_its_level_and_weight():
    model = Model.default()
    gamma = [1, 1, 1, 0, 4, 0, 3, 1]
    said = model.explain(gamma)
    assert [c.field for c in said] == [c.name for c in COMPARISONS]
    assert said[0].label == "same spelling" and said[0].weight > 0
    assert said[3].label == "no information" and said[3].weight == 0
    assert said[4].label == "different" and said[4].weight < 0
    text = explanation_text(said)
    assert "birth" not in text and "mother_name" not in text  # nothing to say: left out
    assert text.index("phone") < text.index("sex")  # strongest evidence first
    assert sum(c.weight for c in said) + model.prior_weight == pytest.approx(model.weights(np.array([gamma]))[0])


def test_json_round_trips_and_a_foreign_file_is_refused():
    model = _random_model(3)
    again = Model.from_json(model.to_json())
    assert again.level_weights() == pytest.approx(model.level_weights()) and again.prior == model.prior
    data = json.loads(model.to_json())
    with pytest.raises(ValueError, match="version"):
        Model.from_json(json.dumps({**data, "version": 99}))
    data["m"]["given_name"] = data["m"]["given_name"][:3]
    with pytest.raises(ValueError, match="given_name"):
        Model.from_json(json.dumps(data))


def _simulate(model: Model, share: float, pairs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    matches = rng.random(pairs) < share
    columns = []
    for comparison in COMPARISONS:
        m = np.asarray(model.m[comparison.name][1:])
        u = np.asarray(model.u[comparison.name][1:])
        drawn_m = rng.choice(np.arange(1, comparison.size), size=pairs, p=m / m.sum())
        drawn_u = rng.choice(np.arange(1, comparison.size), size=pairs, p=u / u.sum())
        columns.append(np.where(matches, drawn_m, drawn_u))
    gammas = np.stack(columns, axis=1)
    patterns, counts = np.unique(gammas, axis=0, return_counts=True)
    return patterns, counts.astype(float)


def test_em_recovers_the_m_probabilities_and_the_match_share_that_made_the_pairs():
    truth = Model.default()
    patterns, counts = _simulate(truth, share=0.2, pairs=60_000, seed=7)
    start = Model.default()
    start.m = {name: [1.0, *(np.ones(len(v) - 1) / (len(v) - 1)).tolist()] for name, v in truth.m.items()}
    found = em(patterns, counts, start)
    assert found.share == pytest.approx(0.2, abs=0.01)
    assert found.expected == pytest.approx(12_000, rel=0.05)
    for name in ("given_name", "birth", "home"):
        assert found.m[name][1:] == pytest.approx(truth.m[name][1:], abs=0.03), name


def test_em_with_free_u_learns_the_non_matches_too_and_tells_each_pattern_apart():
    truth = Model.default()
    truth.u["home"] = [1.0, 0.05, 0.05, 0.01, 0.01, 0.3, 0.08, 0.5]  # namesakes often share a district
    patterns, counts = _simulate(truth, share=0.1, pairs=80_000, seed=11)
    start = Model.default()
    found = em(patterns, counts, start, free_u=True, share=0.05)
    assert found.share == pytest.approx(0.1, abs=0.01)
    assert found.u["home"][1:] == pytest.approx(truth.u["home"][1:], abs=0.02)
    certain = np.array([[1, 1, 1, 1, 1, 1, 1, 1], [7, 6, 2, 7, 4, 4, 7, 4]])
    assert found.posterior(certain).round(3).tolist() == [1.0, 0.0]


def test_em_leaves_the_fixed_comparisons_alone():
    truth = Model.default()
    patterns, counts = _simulate(truth, share=0.3, pairs=5000, seed=2)
    found = em(patterns, counts, truth, fixed=frozenset({"given_name", "family_name"}))
    assert "given_name" not in found.m and "family_name" not in found.m and "birth" in found.m


def test_u_from_random_pairs_never_gives_a_level_zero_chance():
    model = Model.default()
    patterns = np.ones((1, len(COMPARISONS)), dtype=int) * 0
    patterns[0, 0] = len(COMPARISONS[0].levels)  # every random pair: given names differ
    u = u_from_random_pairs(patterns, np.array([1000.0]), model)
    assert all(value > 0 for value in u["given_name"][1:])
    assert u["given_name"][-1] == pytest.approx(1.0, abs=0.01)
    assert u["birth"] == model.u["birth"]  # no information about it: the model's own value stays


def test_a_common_name_agreeing_says_less_than_a_rare_one():
    model = Model.default()
    model.tf, model.tf_rare = {"given": {"sita": 0.05, "kmla": 0.002}}, {"given": 1e-5}
    same = [1, 0, 0, 0, 0, 0, 0, 0]
    weight = {name: sum(c.weight for c in model.explain(same, {"given": name})) for name in ("sita", "kmla", "ngwng")}
    assert weight["sita"] < weight["kmla"] < weight["ngwng"]
    assert model.tf_adjustment("given_name", 3, "sita") == 0  # only the exact levels
    assert model.tf_adjustment("birth", 1, "sita") == 0
    assert Model.from_json(model.to_json()).tf == model.tf
