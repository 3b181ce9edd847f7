"""The red-flag checklist and its score: pure, no database."""

from __future__ import annotations

import pytest

from setu.interceptions.screening import ChecklistError, changes, default_checklist_text, load_checklist, score


@pytest.fixture(scope="module")
def checklist():
    return load_checklist(default_checklist_text())


def test_the_shipped_checklist_loads_with_every_group_and_a_source_for_every_flag(checklist):
    assert set(checklist.groups) == {"vulnerability", "evasion", "control", "visual"}
    assert all(flag.source and flag.names["ne"] and flag.names["hi"] for flag in checklist.flags.values())
    assert {group: len(flags) > 0 for group, flags in checklist.by_group().items()} == dict.fromkeys(
        checklist.groups, True
    )


def test_published_irf_weights_are_kept(checklist):
    """reference/domain.md §2.2: the weights the IRF publishes."""
    published = {
        "family_unwilling_minor": 60, "not_real_job": 55, "family_unaware": 45, "documents_with_broker": 40,
        "refuses_family_info": 35, "caught_in_lie": 35, "married_two_weeks": 15, "job_unconfirmed": 10,
    }  # fmt: skip
    assert {key: checklist.flags[key].weight for key in published} == published
    assert all("IRF weight" in checklist.flags[key].source for key in published)


def test_the_score_is_the_sum_of_the_flags_with_the_heaviest_first(checklist):
    result = score(checklist, ["no_id", "family_unaware", "caught_in_lie"])
    assert result.points == 90 and result.level == "high"
    assert result.drivers == (("family_unaware", 45), ("caught_in_lie", 35), ("no_id", 10))


@pytest.mark.parametrize(("flags", "level"), [([], "low"), (["no_id"], "low"), (["documents_with_broker"], "medium"),
                                              (["documents_with_broker", "known_trafficker"], "high")])  # fmt: skip
def test_bands(checklist, flags, level):
    assert score(checklist, flags).level == level


def test_a_flag_ticked_twice_counts_once(checklist):
    assert score(checklist, ["no_id", "no_id"]).points == 10


def test_an_unknown_flag_is_an_error_not_ignored(checklist):
    with pytest.raises(ChecklistError, match="not_a_flag"):
        score(checklist, ["no_id", "not_a_flag"])


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace('version: "1"', "version: 7"), "version"),
        (lambda t: t.replace("weight: 60", "weight: 0"), "family_unwilling_minor.weight"),
        (lambda t: t.replace("weight: 45", "weight: 500"), "family_unaware.weight"),
        (lambda t: t.replace("group: visual\n    weight: 5", "group: luck\n    weight: 5"), "luck"),
        (lambda t: t.replace("source: IRF weight 35\n  refuses", "source: ''\n  refuses"), "caught_in_lie.source"),
        (lambda t: t.replace("{min: 0, level: low", "{min: 5, level: low"), "lowest band"),
        (lambda t: t + "\n  bad:\n    - [", "not valid YAML"),
    ],
)
def test_a_broken_checklist_is_refused_with_its_problems(change, problem):
    with pytest.raises(ChecklistError) as caught:
        load_checklist(change(default_checklist_text()))
    assert problem in str(caught.value)


def test_changes_between_versions_are_listed(checklist):
    text = default_checklist_text().replace("weight: 45", "weight: 50").replace('version: "1"', 'version: "2"')
    added = "  sold_jewellery:\n    group: visual\n    weight: 5\n    names: {en: a, ne: b, hi: c}\n    source: test\n"
    text = text.replace("  walking_to_border:", added + "  walking_to_border:")
    newer = load_checklist(text)
    assert changes(checklist, newer) == ["flag added: sold_jewellery (5)", "weight of family_unaware: 45 → 50"]
    assert changes(None, newer) == []
