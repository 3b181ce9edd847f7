from django.utils import translation

from setu.tracing import explain
from setu.tracing.linkage.model import COMPARISONS
from setu.tracing.templatetags.tracing_tags import findings


def test_every_comparison_and_level_of_the_model_has_words():
    assert {c.name for c in COMPARISONS} == set(explain.FIELD_LABELS)
    labels = {level.label for c in COMPARISONS for level in c.levels}
    assert labels - set(explain.LEVEL_LABELS) == set()


def test_findings_read_in_the_readers_language():
    explanation = [{"field": "given_name", "level": 1, "label": "same spelling", "weight": 7.1},
                   {"field": "home", "level": 7, "label": "different district", "weight": -2.0},
                   {"field": "phone", "level": 1, "label": "same number", "weight": 9.0}]  # fmt: skip
    assert findings(explanation, 2) == "Name: same spelling; Home: different district"
    with translation.override("ne"):
        nepali = findings(explanation)
    assert "same spelling" not in nepali and "given_name" not in nepali and nepali.count(";") == 2


def test_a_label_the_pages_do_not_know_shows_as_stored():
    assert findings([{"field": "eye_colour", "label": "same shade", "weight": 1.0}]) == "eye_colour: same shade"
    assert findings([]) == "" and findings(None) == ""
