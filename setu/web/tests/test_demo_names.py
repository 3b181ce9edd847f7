"""The synthetic people generator: deterministic, both scripts, the cross-border overlap the demo needs."""

from collections import Counter

import pytest

from setu.web.demo import agencies
from setu.web.demo.names import FEMALE, MALE, REFERENCE_DATE, generate_persons


def _is_devanagari(text: str) -> bool:
    letters = [ch for ch in text if not ch.isspace()]
    return bool(letters) and all("\u0900" <= ch <= "\u097f" for ch in letters)


def test_same_seed_gives_the_same_people_and_another_seed_others():
    assert generate_persons("NP", 50) == generate_persons("NP", 50)
    assert generate_persons("NP", 50) != generate_persons("NP", 50, seed=7)


def test_refs_are_stable_and_numbered_per_node():
    people = generate_persons("IN", 12)
    assert [p.ref for p in people] == [f"IN-{n:04d}" for n in range(1, 13)]


def test_every_name_has_a_latin_form_and_new_names_a_devanagari_one():
    for person in generate_persons("NP", 200) + generate_persons("IN", 200):
        assert person.given_name.latin and person.family_name.latin
        assert person.full_name_latin.isascii()
        if not person.same_as:
            assert _is_devanagari(person.given_name.devanagari)
            assert _is_devanagari(person.family_name.devanagari)
            assert _is_devanagari(person.father_name.devanagari)


def test_people_are_mostly_women_and_girls_of_plausible_ages():
    people = generate_persons("NP", 300)
    sexes = Counter(p.sex for p in people)
    assert set(sexes) == {FEMALE, MALE}
    assert sexes[FEMALE] > 2 * sexes[MALE]
    assert all(8 <= p.age <= 45 for p in people)
    assert all(p.birth_date < REFERENCE_DATE for p in people)
    assert {p.birth_precision for p in people} == {"day", "year", "estimate"}


def test_phones_are_e164_for_the_persons_country_or_absent():
    for person in generate_persons("NP", 100) + generate_persons("IN", 100):
        if person.phone:
            prefix = {"NP": "+977", "IN": "+91"}[person.nationality]
            assert person.phone.startswith(prefix)
            assert person.phone[1:].isdigit() and len(person.phone) <= 16


def test_india_node_holds_nepal_node_people_seen_again_with_other_spellings():
    nepal = {p.ref: p for p in generate_persons("NP", 300)}
    india = generate_persons("IN", 300)
    seen_again = [p for p in india if p.same_as]
    assert len(seen_again) >= 20
    respelt = 0
    for person in seen_again:
        original = nepal[person.same_as]
        assert person.nationality == original.nationality == "NP"
        assert person.sex == original.sex
        assert person.father_name == original.father_name
        assert abs(person.age - original.age) <= 3
        respelt += person.given_name != original.given_name or person.family_name != original.family_name
    assert respelt >= len(seen_again) // 3
    assert len({p.same_as for p in seen_again}) == len(seen_again)


def test_most_people_on_each_node_are_its_own_nationals():
    assert Counter(p.nationality for p in generate_persons("NP", 300))["NP"] > 250
    assert Counter(p.nationality for p in generate_persons("IN", 300))["IN"] > 150


def test_unknown_node_or_negative_count_is_refused():
    with pytest.raises(ValueError):
        generate_persons("BD", 10)
    with pytest.raises(ValueError):
        generate_persons("NP", -1)


def test_every_role_has_one_demo_login_on_each_node_in_an_organisation_of_that_node():
    for node in ("NP", "IN"):
        users = agencies.users_of(node)
        assert sorted(u.role for u in users) == sorted(agencies.Role)
        assert all(u.username.startswith(f"{node.lower()}_") for u in users)
        keys = {o.key for o in agencies.organisations_of(node)}
        assert {u.organisation for u in users} <= keys
    names = [(o.node, o.name_en) for o in agencies.ORGANISATIONS]
    assert len(names) == len(set(names))
    assert all(_is_devanagari(o.name_local.replace(",", "").replace("(", "").replace(")", ""))
               for o in agencies.ORGANISATIONS)  # fmt: skip
