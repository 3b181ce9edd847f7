"""Nepali and Hindi: the catalogs are complete and compiled, and pages render in the language chosen.

The catalogs are read with a small .po reader (no polib): every message is translated, none is fuzzy,
placeholders survive, and the committed .mo files say the same as the .po files (so a machine without
gettext gets the translations). Then the login page, the dashboard, the people list and a person's page
are rendered with the language cookie set, and the Nepali or Hindi labels appear where the English did.
"""

from __future__ import annotations

import gettext as pygettext
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from setu.accounts.models import RoleChoices
from setu.core.enums import DatePreference, Gender
from setu.people.models import Relation
from setu.people.tests.factories import PersonFactory

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ("ne", "hi")
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%%")

pytestmark = pytest.mark.django_db


# --- a small .po reader ---------------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    line: int = 0


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header is the entry with an empty msgid). Obsolete entries (#~) are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which string a continuation line extends
    flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path}:{number}: continuation without a keyword"
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _unquote(line))
            continue
        if keyword == "msgctxt" or (keyword == "msgid" and (current is None or current.msgstr)):
            current = Entry(msgid="", flags=flags, line=number)
            entries.append(current)
            flags = set()
        assert current is not None, f"{path}:{number}: {keyword} before msgid"
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, _unquote(rest))
            target = (keyword, 0)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr.extend([""] * (index + 1 - len(current.msgstr)))
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def _catalog(language: str) -> list[Entry]:
    return read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# --- the catalogs -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_names_the_language_its_charset_and_plural_forms(language):
    header = next(entry for entry in _catalog(language) if entry.msgid == "")
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "fuzzy" not in header.flags


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = [entry for entry in _catalog(language) if entry.msgid]
    assert len(entries) > 300  # the whole interface, not a stub
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(s.strip() for s in e.msgstr)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    plural = [e for e in entries if e.msgid_plural]
    assert plural and all(len(e.msgstr) == 2 for e in plural)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for entry in _catalog(language):
        if not entry.msgid:
            continue
        sources = [entry.msgid, entry.msgid_plural or entry.msgid]
        for index, translated in enumerate(entry.msgstr):
            if _placeholders(translated) != _placeholders(sources[min(index, 1)]):
                wrong.append((entry.msgid, translated))
        if "<a " in entry.msgid:  # markup in a message comes back whole
            assert all(s.count("<a ") == 1 and s.count("</a>") == 1 for s in entry.msgstr), entry.msgid
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_matches_the_po_file(language):
    """`make messages` compiles the .mo; a .po edited without compiling would ship stale translations."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = pygettext.GNUTranslations(handle)
    stale = []
    for entry in _catalog(language):
        if not entry.msgid:
            continue
        if entry.msgid_plural:
            got = [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        elif entry.msgctxt:
            got = [compiled.pgettext(entry.msgctxt, entry.msgid)]
        else:
            got = [compiled.gettext(entry.msgid)]
        if got != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` (or compilemessages) to rebuild the .mo files"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ne", {"People": "व्यक्तिहरू", "Sign in": "साइन इन गर्नुहोस्", "Bikram Sambat": "विक्रम संवत्"}),
        ("hi", {"People": "व्यक्ति", "Sign in": "साइन इन करें", "Bikram Sambat": "विक्रम संवत"}),
    ],
)
def test_key_strings_translate_at_run_time(language, expected):
    with translation.override(language):
        for english, translated in expected.items():
            assert translation.gettext(english) == translated
        # Choices and role labels are lazy: they translate when shown, in the active language.
        assert str(DatePreference.BS.label) == expected["Bikram Sambat"]
        assert str(Gender.FEMININE.label) == "महिला"
        assert str(dict(RoleChoices.choices)["caseworker"]) == "केस कार्यकर्ता"
        assert str(dict(RoleChoices.choices)["border_monitor"]) == "सीमा निगरानीकर्ता"
        assert translation.ngettext("%(wards)s ward", "%(wards)s wards", 19) % {"wards": 19} in (
            "19 वडा",
            "19 वार्ड",
        )


# --- pages --------------------------------------------------------------------------------------------------


def _client(language: str, user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _visible_text(body: str) -> str:
    """The text a reader sees: no scripts, no tags, no attributes; entities decoded."""
    body = re.sub(r"<script\b.*?</script>", " ", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def _has_english_label(text: str, label: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text) is not None


PAGES = {
    "ne": {
        "login": ["साइन इन गर्नुहोस्", "प्रयोगकर्ता नाम", "पासवर्ड", "मुख्य सामग्रीमा जानुहोस्"],
        "dashboard": ["ड्यासबोर्ड", "व्यक्तिहरू", "स्थानहरू", "संस्थाहरू", "साइन आउट गर्नुहोस्", "केस कार्यकर्ता",
                      "नमस्ते", "सेतु — नेपाल नोड।", "तपाईंले दर्ता गर्नुभएका व्यक्तिहरू", "तपाईंका हालैका गतिविधिहरू"],
        "people": ["व्यक्तिहरू", "व्यक्ति दर्ता गर्नुहोस्", "नाम, फोन वा कागजातको नम्बर", "लिङ्ग", "राष्ट्रियता",
                   "महिला", "खोज्नुहोस्", "अहिले रहेको जिल्ला"],
        "detail": ["जन्म मिति", "थाहा छैन", "नातेदारहरू", "आमा", "नातेदार (आमा) का रूपमा अभिलेखित", "सेतु आईडी"],
    },
    "hi": {
        "login": ["साइन इन करें", "उपयोगकर्ता नाम", "पासवर्ड", "मुख्य सामग्री पर जाएँ"],
        "dashboard": ["डैशबोर्ड", "व्यक्ति", "स्थान", "संगठन", "साइन आउट करें", "केस कार्यकर्ता", "नमस्ते",
                      "सेतु — नेपाल नोड।", "आपके द्वारा पंजीकृत व्यक्ति", "आपकी हाल की गतिविधि"],
        "people": ["व्यक्ति का पंजीकरण करें", "नाम, फ़ोन या दस्तावेज़ संख्या", "लिंग", "राष्ट्रीयता", "महिला",
                   "खोजें", "वर्तमान ज़िला"],
        "detail": ["जन्म तिथि", "ज्ञात नहीं", "संबंधी", "माता", "के संबंधी (माता) के रूप में दर्ज", "सेतु आईडी"],
    },
}  # fmt: skip

ENGLISH = {
    "login": ["Sign in", "Username", "Password", "Skip to content"],
    "dashboard": ["Dashboard", "People", "Places", "Organisations", "Sign out", "Caseworker", "Namaste",
                  "Your roles", "Nepal node", "People you registered", "Your recent activity"],
    "people": ["Register a person", "Name, phone or document number", "Sex / gender", "Nationality", "Female",
               "Search", "Now in", "No person matches"],
    "detail": ["Date of birth", "Not known", "Relatives", "Mother", "Recorded as", "Setu id", "Back to people"],
}  # fmt: skip


def _assert_translated(response, language: str, page: str) -> None:
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    text = _visible_text(body)
    missing = [label for label in PAGES[language][page] if label not in text]
    english = [label for label in ENGLISH[page] if _has_english_label(text, label)]
    assert missing == [], f"{page} ({language}) lacks {missing}"
    assert english == [], f"{page} ({language}) still shows {english}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_page_is_translated(language):
    response = _client(language).get(reverse("login"))
    _assert_translated(response, language, "login")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dashboard_is_translated(language, np_caseworker):
    response = _client(language, np_caseworker).get(reverse("web:dashboard"))
    _assert_translated(response, language, "dashboard")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_people_list_is_translated(language, np_caseworker):
    response = _client(language, np_caseworker).get(reverse("people:list"))
    _assert_translated(response, language, "people")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_persons_page_keeps_the_relation_sentence_whole(language, np_caseworker, np_transit_home, morang):
    daughter = PersonFactory(full_name="Sita Tamang", organisation=np_transit_home, location_district=morang)
    mother = PersonFactory(full_name="Maya Tamang", organisation=np_transit_home, location_district=morang)
    Relation.objects.create(person=daughter, related_person=mother, kind=Relation.Kind.MOTHER)
    response = _client(language, np_caseworker).get(reverse("people:detail", args=[mother.public_id]))
    _assert_translated(response, language, "detail")
    # The daughter's name is still a link inside the translated sentence.
    link = reverse("people:detail", args=[daughter.public_id])
    assert re.search(rf'<a href="{re.escape(link)}">Sita Tamang</a>', response.content.decode())


def test_english_stays_the_default(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    text = _visible_text(client.get(reverse("web:dashboard")).content.decode())
    assert "People" in text and "व्यक्तिहरू" not in text
