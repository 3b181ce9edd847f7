"""Pages: every page renders, htmx gets the partial, forms call the services, photos are guarded."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEvent
from setu.people import services
from setu.people.models import IdentityDocument, Person, PersonAlias, PhoneNumber, Photo, Relation
from setu.people.tests import images
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _without_tokens(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def _bs_user(user):
    user.date_preference = "BS"
    user.save(update_fields=["date_preference"])
    return user


def _person_form(morang, **extra) -> dict:
    return {"full_name": "सीता तामाङ", "gender": "Feminine", "birth_precision": "unknown",
            "location_district": morang.pk, **extra}  # fmt: skip


# --- list and search -----------------------------------------------------------------------------------------


def test_the_list_renders_as_a_full_page_with_the_persons_in_scope(np_caseworker, transit_home_person, parsa_person):
    response = _client(np_caseworker).get(reverse("people:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and 'id="results"' in body
    assert "Sita Tamang" in body
    assert "Rita Yadav" not in body
    assert AuditEvent.objects.filter(action="person.search", actor_username="np_caseworker").exists()


def test_htmx_search_gets_only_the_results_partial(np_caseworker, transit_home_person, police_person_in_morang):
    response = _client(np_caseworker).get(reverse("people:list"), {"q": "गीता"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "<table" in body
    assert "गीता थापा" in body and "Sita Tamang" not in body
    assert "HX-Request" in response["Vary"]


def test_search_works_without_javascript(np_caseworker, transit_home_person, police_person_in_morang):
    body = _client(np_caseworker).get(reverse("people:list"), {"q": "sita"}).content.decode()
    assert "<html" in body and "Sita Tamang" in body and "गीता थापा" not in body


def test_the_query_itself_is_not_written_to_the_audit_log(np_caseworker, transit_home_person):
    _client(np_caseworker).get(reverse("people:list"), {"q": "Sita"})
    event = AuditEvent.objects.filter(action="person.search").latest("seq")
    assert event.fields == ["q"]
    assert "Sita" not in (event.object_id + event.object_type)


def test_the_list_page_runs_a_constant_number_of_queries(django_assert_max_num_queries, np_caseworker, morang,
                                                         np_transit_home, np_police_org):  # fmt: skip
    client = _client(np_caseworker)
    PersonFactory.create_batch(3, organisation=np_transit_home, location_district=morang)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("people:list"))
    PersonFactory.create_batch(20, organisation=np_police_org, location_district=morang)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("people:list"))
    assert response.content.decode().count("<tr>") == 1 + 23


def test_the_list_pages_through_many_persons(np_focal_point, np_transit_home, morang):
    PersonFactory.create_batch(30, organisation=np_transit_home, location_district=morang)
    body = _client(np_focal_point).get(reverse("people:list"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in body


def test_an_analyst_cannot_open_the_list(np_analyst):
    assert _client(np_analyst).get(reverse("people:list")).status_code == 404


# --- detail --------------------------------------------------------------------------------------------------


def test_the_detail_page_shows_every_fact(np_caseworker, transit_home_person, police_person_in_morang, biratnagar):
    person = transit_home_person
    services.person_update(actor=np_caseworker, person=person, birth_precision="exact",
                           birth_date=dt.date(2008, 4, 13), nationality="NP", languages=["ne", "taj"],
                           home_local_level=biratnagar, home_ward=7, home_address="Tole 3")  # fmt: skip
    services.person_add_alias(actor=np_caseworker, person=person, name="Sani")
    services.person_add_phone(actor=np_caseworker, person=person, number="9841234567")
    services.person_add_document(actor=np_caseworker, person=person, document_type="aadhaar", number="234567890123")
    services.person_add_relation(actor=np_caseworker, person=person, kind="mother", related_name="Maya Tamang")
    services.person_add_relation(actor=np_caseworker, person=person, kind="sibling",
                                 related_person_id=police_person_in_morang.public_id)  # fmt: skip

    response = _client(np_caseworker).get(reverse("people:detail", args=[person.public_id]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Sita Tamang",
        "2008-04-13 AD",
        "Nepali, Tamang",
        "Biratnagar",
        "ward 7",
        "Tole 3",
        "Sani",
        "+977 984-1234567",
        "XXXX XXXX 0123",
        "Maya Tamang",
        "गीता थापा",
        str(person.public_id),
    ):
        assert text in body, text
    assert "234567890123" not in body  # Aadhaar is never shown in full
    assert reverse("people:edit", args=[person.public_id]) in body


def test_the_detail_page_shows_the_birth_date_in_bikram_sambat_for_bs_users(np_caseworker, transit_home_person):
    services.person_update(actor=np_caseworker, person=transit_home_person, birth_precision="exact",
                           birth_date=dt.date(2024, 4, 13))  # fmt: skip
    body = _client(_bs_user(np_caseworker)).get(reverse("people:detail", args=[transit_home_person.public_id]))
    assert "2081-01-01 BS" in body.content.decode()


def test_edit_links_are_only_shown_to_those_who_may_edit(np_police, transit_home_person):
    body = _client(np_police).get(reverse("people:detail", args=[transit_home_person.public_id])).content.decode()
    assert "Sita Tamang" in body
    assert reverse("people:edit", args=[transit_home_person.public_id]) not in body
    assert reverse("people:add_phone", args=[transit_home_person.public_id]) not in body


def test_another_district_gets_the_same_404_as_a_missing_person(np_other_org, transit_home_person):
    client = _client(np_other_org)
    missing_id = "00000000-0000-0000-0000-000000000000"
    forbidden = client.get(reverse("people:detail", args=[transit_home_person.public_id]))
    missing = client.get(reverse("people:detail", args=[missing_id]))
    assert forbidden.status_code == missing.status_code == 404
    # The pages differ only in the address they were asked for (echoed in the language form) and the token.
    forbidden_body = _without_tokens(forbidden.content).replace(str(transit_home_person.public_id).encode(), b"ID")
    assert forbidden_body == _without_tokens(missing.content).replace(missing_id.encode(), b"ID")
    assert AuditEvent.objects.filter(action="person.view", outcome="denied",
                                     object_id=str(transit_home_person.public_id)).exists()  # fmt: skip


# --- create and edit -----------------------------------------------------------------------------------------


def test_the_create_page_renders_with_the_users_calendar(np_caseworker):
    body = _client(_bs_user(np_caseworker)).get(reverse("people:create")).content.decode()
    assert 'class="calendar-name"' in body and ">BS<" in body
    assert "Year of birth (BS)" in body
    assert "js/people.js" in body


def test_registering_a_person_with_a_bs_birth_date_stores_it_in_ad(np_caseworker, morang):
    client = _client(_bs_user(np_caseworker))
    data = _person_form(morang, birth_precision="exact", birth_date="२०८१-०१-०१", phone="9841234567")
    response = client.post(reverse("people:create"), data)

    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    assert person.birth_date == dt.date(2024, 4, 13)
    assert person.birth_calendar == "BS"
    assert person.phones.get().number == "+9779841234567"


def test_an_ad_user_may_type_a_bs_date_by_naming_the_calendar(np_caseworker, morang):
    _client(np_caseworker).post(reverse("people:create"),
                                _person_form(morang, birth_precision="exact", birth_date="2081-01-01 BS"))  # fmt: skip
    assert Person.objects.get().birth_date == dt.date(2024, 4, 13)


def test_a_year_of_birth_in_bs_is_stored_as_the_first_of_baishakh(np_caseworker, morang):
    _client(_bs_user(np_caseworker)).post(reverse("people:create"),
                                          _person_form(morang, birth_precision="year", birth_year=2081))  # fmt: skip
    person = Person.objects.get()
    assert (person.birth_date, person.birth_precision, person.birth_calendar) == (dt.date(2024, 4, 13), "year", "BS")


def test_an_estimated_age_is_entered_with_the_date_of_the_estimate(np_caseworker, morang):
    _client(np_caseworker).post(reverse("people:create"), _person_form(
        morang, birth_precision="estimated", age_estimate=15, age_estimated_on="2024-04-13"))  # fmt: skip
    person = Person.objects.get()
    assert (person.age_estimate, person.birth_date) == (15, dt.date(2009, 4, 13))


def test_a_bad_date_gives_a_clear_message_and_creates_nothing(np_caseworker, morang):
    response = _client(_bs_user(np_caseworker)).post(
        reverse("people:create"), _person_form(morang, birth_precision="exact", birth_date="2081-13-40")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "is not a date in Bikram Sambat (BS)" in body
    assert not Person.objects.exists()


def test_service_errors_appear_on_the_form_fields(np_caseworker, morang, biratnagar):
    response = _client(np_caseworker).post(
        reverse("people:create"), _person_form(morang, home_district=morang.pk, home_local_level=biratnagar.pk,
                                               home_ward=40, phone="12345"))  # fmt: skip
    form = response.context["form"]
    assert "home_ward" in form.errors and "phone" in form.errors
    assert not Person.objects.exists()


def test_the_edit_page_shows_the_stored_date_in_the_users_calendar(np_caseworker, transit_home_person):
    services.person_update(actor=np_caseworker, person=transit_home_person, birth_precision="exact",
                           birth_date=dt.date(2024, 4, 13))  # fmt: skip
    body = _client(_bs_user(np_caseworker)).get(reverse("people:edit", args=[transit_home_person.public_id]))
    assert 'value="2081-01-01"' in body.content.decode()


def test_editing_saves_through_the_service_and_is_audited(np_caseworker, transit_home_person, morang):
    url = reverse("people:edit", args=[transit_home_person.public_id])
    response = _client(np_caseworker).post(url, _person_form(morang, full_name="Sita Kumari Tamang"))
    assert response.status_code == 302
    transit_home_person.refresh_from_db()
    assert transit_home_person.full_name == "Sita Kumari Tamang"
    assert AuditEvent.objects.filter(action="person.update").latest("seq").fields == ["full_name", "gender"]


def test_jurisdiction_does_not_open_the_edit_page(np_police, transit_home_person):
    assert _client(np_police).get(reverse("people:edit", args=[transit_home_person.public_id])).status_code == 404


def test_local_level_options_follow_the_home_district(np_caseworker, morang, biratnagar):
    response = _client(np_caseworker).get(reverse("people:local_level_options"), {"home_district": morang.pk},
                                          headers={"HX-Request": "true"})  # fmt: skip
    assert f'<option value="{biratnagar.pk}">Biratnagar</option>' in response.content.decode()


# --- aliases, documents, phones, relations -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "data", "model"),
    [
        ("people:add_alias", {"name": "कान्छी", "kind": "nickname"}, PersonAlias),
        ("people:add_phone", {"number": "984 123 4567", "kind": "mobile"}, PhoneNumber),
        ("people:add_document", {"document_type": "passport", "number": "PA123456", "issuing_country": "NP",
                                 "issued_on": "2080-05-01"}, IdentityDocument),
        ("people:add_relation", {"kind": "father", "related_name": "Ram Tamang"}, Relation),
    ],
)  # fmt: skip
def test_each_add_form_renders_and_saves(np_caseworker, transit_home_person, url_name, data, model):
    client = _client(_bs_user(np_caseworker))
    url = reverse(url_name, args=[transit_home_person.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302
    assert model.objects.filter(person=transit_home_person).count() == 1


def test_a_document_date_is_read_in_bikram_sambat(np_caseworker, transit_home_person):
    url = reverse("people:add_document", args=[transit_home_person.public_id])
    _client(_bs_user(np_caseworker)).post(url, {"document_type": "citizenship", "number": "27-01-71-01234",
                                                "issuing_country": "NP", "issued_on": "2081-01-01"})  # fmt: skip
    assert IdentityDocument.objects.get().issued_on == dt.date(2024, 4, 13)


def test_an_invalid_phone_stays_on_the_form_with_its_message(np_caseworker, transit_home_person):
    url = reverse("people:add_phone", args=[transit_home_person.public_id])
    response = _client(np_caseworker).post(url, {"number": "12345", "kind": "mobile"})
    assert response.status_code == 200
    assert "is not a phone number that can be dialled" in response.content.decode()


def test_removing_a_phone_from_the_detail_page(np_caseworker, transit_home_person):
    phone = services.person_add_phone(actor=np_caseworker, person=transit_home_person, number="9841234567")
    url = reverse("people:remove_phone", args=[transit_home_person.public_id, phone.public_id])
    client = _client(np_caseworker)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not PhoneNumber.objects.exists()


def test_others_cannot_reach_the_add_forms(np_other_org, transit_home_person):
    url = reverse("people:add_alias", args=[transit_home_person.public_id])
    assert _client(np_other_org).post(url, {"name": "X", "kind": "alias"}).status_code == 404
    assert not PersonAlias.objects.exists()


# --- photos --------------------------------------------------------------------------------------------------


def _post_photo(client, person, data: bytes, name: str = "photo.jpg"):
    url = reverse("people:add_photo", args=[person.public_id])
    return client.post(url, {"photo": SimpleUploadedFile(name, data, content_type="image/jpeg")})


def test_the_photo_page_renders_as_a_multipart_form(np_caseworker, transit_home_person):
    body = _client(np_caseworker).get(reverse("people:add_photo", args=[transit_home_person.public_id]))
    assert 'enctype="multipart/form-data"' in body.content.decode()


def test_an_uploaded_photo_is_served_without_exif_only_through_the_guarded_view(
    np_caseworker, np_other_org, transit_home_person
):
    client = _client(np_caseworker)
    assert _post_photo(client, transit_home_person, images.jpeg_with_gps()).status_code == 302
    photo = Photo.objects.get()

    detail = client.get(reverse("people:detail", args=[transit_home_person.public_id])).content.decode()
    url = reverse("people:photo", args=[transit_home_person.public_id, photo.public_id])
    assert f"{url}?size=thumb" in detail

    response = client.get(url)
    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"]
    assert content.startswith(b"\xff\xd8") and b"PhoneMaker" not in content and b"Exif" not in content
    assert AuditEvent.objects.filter(action="person.photo_view", outcome="allowed").exists()

    assert _client(np_other_org).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="person.photo_view", outcome="denied").exists()


def test_a_photo_cannot_be_fetched_through_another_persons_url(
    np_caseworker, transit_home_person, police_person_in_morang
):
    client = _client(np_caseworker)
    _post_photo(client, transit_home_person, images.jpeg_with_gps())
    photo = Photo.objects.get()
    url = reverse("people:photo", args=[police_person_in_morang.public_id, photo.public_id])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "data", [images.HTML_AS_JPG, images.gif(), images.png_pixel_flood()], ids=["html-as-jpg", "gif", "pixel-bomb"]
)
def test_bad_uploads_are_refused_with_a_message(np_caseworker, transit_home_person, data):
    response = _post_photo(_client(np_caseworker), transit_home_person, data)
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not Photo.objects.exists()


def test_a_photo_at_the_limit_is_accepted_and_one_byte_more_gets_413(settings, np_caseworker, transit_home_person):
    jpeg = images.jpeg_with_gps()
    settings.SETU_UPLOAD_MAX_BYTES = len(jpeg) + 100
    at_limit = jpeg + b"\x00" * 100  # trailing bytes after the JPEG's end marker are ignored by decoders
    client = _client(np_caseworker)
    assert _post_photo(client, transit_home_person, at_limit).status_code == 302

    response = _post_photo(client, transit_home_person, at_limit + b"\x00")
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert Photo.objects.count() == 1


def test_a_body_far_over_the_limit_gets_413(settings, np_caseworker, transit_home_person):
    settings.SETU_UPLOAD_MAX_BYTES = 1000
    response = _post_photo(_client(np_caseworker), transit_home_person, b"\xff\xd8" + b"\x00" * 2_000_000)
    assert response.status_code == 413
    assert not Photo.objects.exists()
