"""place_search: names in English, Nepali or Hindi, and spellings of one script that find the other."""

import pytest

from setu.geo.models import BorderPoint, District
from setu.geo.selectors import MatchQuality, PlaceKind, place_search

pytestmark = pytest.mark.django_db


def _names(hits) -> list[tuple[str, str]]:
    return [(h.kind.value, h.place.name_en) for h in hits]


@pytest.mark.parametrize(
    ("query", "kind", "name"),
    [
        ("Biratnagar", "local_level", "Biratnagar"),  # as stored
        ("विराटनगर", "local_level", "Biratnagar"),  # Nepali, as stored
        ("बिराटनगर", "local_level", "Biratnagar"),  # ब for व: not stored anywhere, found by sound
        ("Viratnagar", "local_level", "Biratnagar"),  # a Latin spelling of the Nepali
        ("Kathmandu", "district", "Kathmandu"),
        ("काठमाडौं", "district", "Kathmandu"),
        ("Kathmandou", "district", "Kathmandu"),
        ("मोरङ", "district", "Morang"),
        ("Chitwan", "district", "Chitawan"),  # the common spelling is an alias of `nepali`'s
        ("चितवन", "district", "Chitawan"),
        ("Jogbani", "border_point", "Jogbani"),
        ("जोगबनी", "border_point", "Jogbani"),  # Hindi, as stored
        ("Raksaul", "border_point", "Raxaul"),  # x / ks
        ("Kakadvitta", "border_point", "Kakarbhitta"),  # other name
        ("काँकडभिट्टा", "border_point", "Kakarbhitta"),
        ("सीतामढ़ी", "district", "Sitamarhi"),
        ("Seetamarhi", "district", "Sitamarhi"),
        ("पूर्वी चम्पारण", "district", "Purbi Champaran"),
        ("East Champaran", "district", "Purbi Champaran"),
        ("Nepalganj", "local_level", "Nepalgunj"),
        ("नेपालगन्ज", "local_level", "Nepalgunj"),
    ],
)
def test_search_finds_places_in_either_script(gazetteer, query, kind, name):
    assert (kind, name) in _names(place_search(query))


def test_a_devanagari_query_finds_a_place_known_only_in_latin_letters(gazetteer):
    BorderPoint.objects.create(country="NP", name_en="Thori", district=District.objects.get(name_en="Parsa"))
    point = BorderPoint.objects.get(name_en="Thori")
    point.refresh_search_text()
    point.save(update_fields=["search_text"])
    assert ("border_point", "Thori") in _names(place_search("ठोरी"))


def test_a_latin_query_finds_a_place_known_only_in_devanagari(gazetteer):
    point = BorderPoint.objects.create(country="IN", name_en="-", name_hi="भिट्ठामोड़", district=District.objects.get(
        name_en="Sitamarhi"))  # fmt: skip
    point.refresh_search_text()
    point.save(update_fields=["search_text"])
    assert point.pk in [h.place.pk for h in place_search("Bhittamor")]


def test_exact_names_come_first_then_prefixes(gazetteer):
    hits = place_search("Kathmandu")
    assert _names(hits)[:2] == [("district", "Kathmandu"), ("local_level", "Kathmandu")]
    assert hits[0].quality == MatchQuality.EXACT
    birat = place_search("Birat")
    # Rani's other name is Biratnagar: both start with the query.
    assert {h.place.name_en for h in birat[:2]} == {"Biratnagar", "Rani"}
    assert {h.quality for h in birat[:2]} == {MatchQuality.PREFIX}
    assert birat[-1].quality == MatchQuality.SOUNDS_LIKE


def test_search_can_be_limited_to_kinds_and_a_country(gazetteer):
    only_points = place_search("Jhulaghat", kinds=[PlaceKind.BORDER_POINT])
    assert {(h.place.country, h.place.name_en) for h in only_points} == {("NP", "Jhulaghat"), ("IN", "Jhulaghat")}
    india = place_search("Jhulaghat", kinds=["border_point"], country="IN")
    assert [(h.country, h.place.name_en) for h in india] == [("IN", "Jhulaghat")]
    assert all(h.kind == PlaceKind.DISTRICT for h in place_search("Banke", kinds=["district"]))


def test_limit_and_empty_queries(gazetteer):
    assert len(place_search("a", limit=5)) == 5
    assert place_search("") == [] and place_search("   ") == []
    assert place_search("Zzyzx Qqq") == []


def test_search_runs_a_bounded_number_of_queries(gazetteer, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        hits = place_search("Rani")
        [h.country for h in hits]
