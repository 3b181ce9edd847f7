"""gazetteer_load: the shipped data file gives Nepal's 7/77/753 with 6,743 wards, India's 5 border states,
the border districts and the crossing-point pairs; loading twice changes nothing."""

import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Sum

from setu.audit.models import AuditEvent
from setu.geo.models import BorderPoint, District, LocalLevel, Province
from setu.geo.services import DEFAULT_PATH, GazetteerFileError, gazetteer_load

pytestmark = pytest.mark.django_db


def test_nepal_has_7_provinces_77_districts_753_local_levels_and_6743_wards(gazetteer):
    assert Province.objects.filter(country="NP").count() == 7
    assert District.objects.filter(province__country="NP").count() == 77
    assert LocalLevel.objects.count() == 753
    assert LocalLevel.objects.aggregate(total=Sum("ward_count"))["total"] == 6743
    assert not LocalLevel.objects.filter(ward_count__isnull=True).exists()
    assert gazetteer == {
        "provinces": 12, "districts": 97, "local_levels": 753, "wards": 6743, "border_points": 31,
        "created": 12 + 97 + 753 + 31, "changed": 0,
    }  # fmt: skip


def test_local_levels_per_province_and_kind_match_the_constitution(gazetteer):
    # domain.md §6: districts / local levels per province, and 6 + 11 + 276 + 460 by kind.
    expected = {"1": (14, 137), "2": (8, 136), "3": (13, 119), "4": (11, 85), "5": (12, 109), "6": (10, 79),
                "7": (9, 88)}  # fmt: skip
    for code, (districts, local_levels) in expected.items():
        province = Province.objects.get(country="NP", code=code)
        assert province.districts.count() == districts, province
        assert LocalLevel.objects.filter(district__province=province).count() == local_levels, province
    kinds = Counter(LocalLevel.objects.values_list("kind", flat=True))
    assert kinds == {"metropolitan": 6, "sub_metropolitan": 11, "municipality": 276, "rural_municipality": 460}
    assert LocalLevel.objects.filter(ward_count__lt=5).count() == 0
    assert LocalLevel.objects.filter(ward_count__gt=33).count() == 0


def test_well_known_local_levels_have_their_names_and_wards(gazetteer):
    biratnagar = LocalLevel.objects.get(name_en="Biratnagar")
    assert (biratnagar.district.name_en, biratnagar.name_ne, biratnagar.kind) == ("Morang", "विराटनगर", "metropolitan")
    assert biratnagar.ward_count == 19
    assert list(biratnagar.wards) == list(range(1, 20))
    assert LocalLevel.objects.get(name_en="Kathmandu").ward_count == 32
    assert LocalLevel.objects.get(name_en="Pokhara").ward_count == 33
    # Corrected from `nepali`, which gives Annapurna the Nepali name of Machhapuchchhre.
    assert LocalLevel.objects.get(district__name_en="Kaski", name_en="Annapurna").name_ne == "अन्नपूर्ण"


def test_india_has_the_5_border_states_and_their_20_border_districts_with_lgd_codes(gazetteer):
    states = {p.code: p.name_en for p in Province.objects.filter(country="IN")}
    assert states == {"5": "Uttarakhand", "9": "Uttar Pradesh", "10": "Bihar", "19": "West Bengal", "11": "Sikkim"}
    india = District.objects.filter(province__country="IN")
    assert india.count() == 20
    assert all(d.borders_other_country and d.code and d.name_hi for d in india)
    codes = dict(india.values_list("name_en", "code"))
    assert codes["Araria"] == "188" and codes["Purbi Champaran"] == "213" and codes["Maharajganj"] == "164"
    assert codes["Darjeeling"] == "309" and codes["Champawat"] == "48" and codes["Gyalshing"] == "228"
    assert District.objects.get(name_en="Araria").province.name_en == "Bihar"


def test_the_26_nepali_border_districts_are_marked_with_nawalparasi_west(gazetteer):
    nepal = District.objects.filter(province__country="NP", borders_other_country=True)
    border = set(nepal.values_list("name_en", flat=True))
    assert len(border) == 26
    assert {"Jhapa", "Morang", "Parsa", "Rupandehi", "Banke", "Kanchanpur", "Darchula"} <= border
    assert "Nawalparasi West" in border and "Nawalparasi East" not in border
    assert "Kathmandu" not in border


def test_border_points_come_in_pairs_that_face_each_other(gazetteer):
    assert BorderPoint.objects.filter(country="NP").count() == 20
    assert BorderPoint.objects.filter(country="IN").count() == 11
    pairs = {
        ("Kakarbhitta", "Panitanki"), ("Pashupatinagar", "Mirik"), ("Rani", "Jogbani"), ("Birgunj", "Raxaul"),
        ("Belahiya", "Sunauli"), ("Krishnanagar", "Barhni"), ("Jamunaha", "Rupaidiha"),
        ("Gauriphanta", "Gauriphanta"), ("Gaddachauki", "Banbasa"), ("Jhulaghat", "Jhulaghat"),
        ("Darchula", "Dharchula"),
    }  # fmt: skip
    for nepal_name, india_name in pairs:
        nepal = BorderPoint.objects.get(country="NP", name_en=nepal_name)
        india = BorderPoint.objects.get(country="IN", name_en=india_name)
        assert nepal.counterpart == india and india.counterpart == nepal
        assert nepal.district.province.country == "NP" and india.district.province.country == "IN"
    birgunj = BorderPoint.objects.get(country="NP", name_en="Birgunj")
    assert (birgunj.district.name_en, birgunj.name_ne) == ("Parsa", "वीरगञ्ज")
    assert BorderPoint.objects.get(country="IN", name_en="Raxaul").name_hi == "रक्सौल"
    assert BorderPoint.objects.get(country="IN", name_en="Raxaul").district.name_en == "Purbi Champaran"
    # Entry points without a recorded Indian counterpart keep none.
    assert BorderPoint.objects.get(country="NP", name_en="Kunauli").counterpart is None


def test_immigration_offices_are_at_the_seven_points_of_the_department_of_immigration(gazetteer):
    with_office = set(BorderPoint.objects.filter(has_immigration_office=True).values_list("name_en", flat=True))
    # Mohana is recorded as an other name of Gauriphanta (Kailali).
    assert with_office == {"Kakarbhitta", "Rani", "Birgunj", "Belahiya", "Jamunaha", "Gauriphanta", "Gaddachauki"}
    assert "Mohana" in BorderPoint.objects.get(country="NP", name_en="Gauriphanta").aliases
    assert BorderPoint.objects.filter(is_formal=True).count() == 31


def test_every_place_has_search_text_in_both_scripts(gazetteer):
    morang = District.objects.get(name_en="Morang")
    assert " morang" in morang.search_text and " मोरङ" in morang.search_text and " ~mrg" in morang.search_text
    assert not District.objects.filter(search_text="").exists()
    assert not LocalLevel.objects.filter(search_text="").exists()
    assert not BorderPoint.objects.filter(search_text="").exists()


def test_loading_again_changes_nothing(gazetteer):
    before = {m: m.objects.count() for m in (Province, District, LocalLevel, BorderPoint)}
    events = AuditEvent.objects.count()
    again = gazetteer_load()
    assert again["created"] == 0 and again["changed"] == 0
    assert {m: m.objects.count() for m in (Province, District, LocalLevel, BorderPoint)} == before
    assert AuditEvent.objects.count() == events  # nothing happened, nothing to audit


def test_the_first_load_is_audited(gazetteer):
    event = AuditEvent.objects.get(action="gazetteer.load")
    assert event.actor_username == "load_gazetteer"
    assert event.object_type == "geo.gazetteer"


def test_loading_repairs_an_edited_row_and_keeps_existing_ids(gazetteer):
    morang = District.objects.get(name_en="Morang")
    District.objects.filter(pk=morang.pk).update(name_ne="wrong", search_text="")
    counts = gazetteer_load()
    assert counts["changed"] == 1 and counts["created"] == 0
    morang.refresh_from_db()
    assert morang.name_ne == "मोरङ" and " मोरङ" in morang.search_text


def test_load_fills_the_places_tests_created_before_it(morang, parsa):
    # conftest's Morang and Parsa are the same rows after a load, not duplicates.
    gazetteer_load()
    assert District.objects.filter(name_en="Morang").get() == morang
    assert District.objects.filter(name_en="Parsa").get().pk == parsa.pk
    morang.refresh_from_db()
    assert morang.borders_other_country is True


def test_a_bad_file_loads_nothing(tmp_path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["border_points"][0]["counterpart"] = "Nowhere"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(GazetteerFileError, match="Nowhere"):
        gazetteer_load(path=broken)
    assert Province.objects.count() == 0 and LocalLevel.objects.count() == 0


def test_a_file_that_is_not_a_gazetteer_is_refused(tmp_path):
    not_json = tmp_path / "x.json"
    not_json.write_text("{", encoding="utf-8")
    with pytest.raises(GazetteerFileError):
        gazetteer_load(path=not_json)
    incomplete = tmp_path / "y.json"
    incomplete.write_text('{"provinces": []}', encoding="utf-8")
    with pytest.raises(GazetteerFileError, match="border_points"):
        gazetteer_load(path=incomplete)


def test_the_data_file_records_its_sources_and_counts():
    meta = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["meta"]
    assert meta["counts"]["wards"] == 6743 and meta["counts"]["local_levels"] == 753
    assert sum(meta["ward_count_matching"].values()) == 753
    sources = " ".join(s["source"] for s in meta["sources"])
    assert "sagautam5/local-states-nepal" in sources and "nepali" in sources
    assert all(s["licence"] for s in meta["sources"])


def test_the_command_loads_and_prints_counts(capsys):
    call_command("load_gazetteer")
    out = capsys.readouterr().out
    assert "753 local levels (6743 wards)" in out and "893 created, 0 changed" in out
    call_command("load_gazetteer")
    assert "0 created, 0 changed" in capsys.readouterr().out


def test_the_command_reports_a_bad_file(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_gazetteer", path=str(bad))
