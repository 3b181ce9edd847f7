"""Pages for persons. Views only translate HTTP: parse the form, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.core.formfields import CalendarFormMixin
from setu.core.http import AuthedRequest, is_partial, protected_file
from setu.geo.models import LocalLevel
from setu.people import selectors, services
from setu.people.forms import (
    AliasForm,
    DocumentForm,
    PersonForm,
    PersonSearchForm,
    PhoneForm,
    PhotoForm,
    RelationForm,
    ServiceErrorsMixin,
)
from setu.people.models import Language, Person

PAGE_SIZE = 25


@require_GET
def person_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.PERSON_VIEW, object_type=selectors.PERSON_OBJECT_TYPE)
    form = PersonSearchForm(request.GET)
    filters = form.filters()
    persons = selectors.person_results_for(
        request.user, query=filters["query"], gender=filters["gender"], nationality=filters["nationality"]
    )
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.person_search_audit(request.user, query=filters["query"])
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {"form": form, "page": page, "query_string": query_string.urlencode()}
    template = "people/_results.html" if is_partial(request) else "people/person_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def person_detail(request: AuthedRequest, public_id) -> HttpResponse:
    person = selectors.person_get_for(request.user, public_id)
    can_view_photos = selectors.person_can_view_photos(request.user, person)
    context = {
        "person": person,
        "aliases": list(person.aliases.all()),
        "documents": list(person.documents.all()),
        "phones": list(person.phones.all()),
        "relations": selectors.person_relations_for(request.user, person),
        "photos": list(person.photos.all()) if can_view_photos else [],
        "can_edit": selectors.person_can_edit(request.user, person),
        "language_labels": [Language(code).label for code in person.languages if code in Language.values],
    }
    return render(request, "people/person_detail.html", context)


@require_http_methods(["GET", "POST"])
def person_create(request: AuthedRequest) -> HttpResponse:
    grant = policy.require(request.user, Permission.PERSON_CREATE, object_type=selectors.PERSON_OBJECT_TYPE)
    organisations = Organisation.objects.filter(pk__in=grant.organisation_ids, is_active=True)
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        calendar=request.user.date_preference,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            return redirect("people:detail", public_id=person.public_id)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, public_id) -> HttpResponse:
    person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
    form = PersonForm(
        request.POST if request.method == "POST" else None, calendar=request.user.date_preference, person=person
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:detail", public_id=person.public_id)
    return render(request, "people/person_form.html", {"form": form, "person": person})


# --- aliases, documents, phones, relations: one small form each ----------------------------------------------

_ITEM_FORMS: dict[str, tuple[type[ServiceErrorsMixin], Callable[..., object], Any, Any]] = {
    "alias": (
        AliasForm,
        services.person_add_alias,
        gettext_lazy("Add another name"),
        gettext_lazy("The name is added."),
    ),
    "document": (
        DocumentForm,
        services.person_add_document,
        gettext_lazy("Add an identity document"),
        gettext_lazy("The document is added."),
    ),
    "phone": (
        PhoneForm,
        services.person_add_phone,
        gettext_lazy("Add a phone number"),
        gettext_lazy("The phone number is added."),
    ),
    "relation": (
        RelationForm,
        services.person_add_relation,
        gettext_lazy("Add a relative"),
        gettext_lazy("The relative is added."),
    ),
}


@require_http_methods(["GET", "POST"])
def person_add_item(request: AuthedRequest, public_id, item: str) -> HttpResponse:
    form_class, service, title, done = _ITEM_FORMS[item]
    person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
    data = request.POST if request.method == "POST" else None
    options: dict[str, Any] = {}
    if issubclass(form_class, CalendarFormMixin):
        options["calendar"] = request.user.date_preference
    form = form_class(data, **options)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done)
            return redirect("people:detail", public_id=person.public_id)
    return render(request, "people/item_form.html", {"form": form, "person": person, "title": title})


_REMOVERS = {
    "alias": (services.person_remove_alias, "alias_id"),
    "document": (services.person_remove_document, "document_id"),
    "phone": (services.person_remove_phone, "phone_id"),
    "relation": (services.person_remove_relation, "relation_id"),
}


@require_POST
def person_remove_item(request: AuthedRequest, public_id, item: str, item_id) -> HttpResponse:
    remover, argument = _REMOVERS[item]
    person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
    remover(actor=request.user, person=person, **{argument: item_id})
    messages.success(request, _("Removed."))
    return redirect("people:detail", public_id=person.public_id)


# --- photos --------------------------------------------------------------------------------------------------


def _too_large(request: AuthedRequest, person: Person) -> HttpResponse:
    form = PhotoForm(QueryDict(), MultiValueDict())
    form.full_clean()
    form.errors["photo"] = form.error_class([services.photo_too_large_message()])
    context = {"form": form, "person": person, "title": _("Add a photo"), "multipart": True}
    return render(request, "people/item_form.html", context, status=413)


@require_http_methods(["GET", "POST"])
def person_add_photo(request: AuthedRequest, public_id) -> HttpResponse:
    person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
    form = PhotoForm()
    if request.method == "POST":
        try:
            files = request.FILES
        except RequestDataTooBig:
            return _too_large(request, person)
        # The upload handler cuts a file over the limit off mid-stream: it is then missing, the body was big.
        if "photo" not in files and int(request.META.get("CONTENT_LENGTH") or 0) > settings.SETU_UPLOAD_MAX_BYTES:
            return _too_large(request, person)
        form = PhotoForm(request.POST, files)
        if form.is_valid():
            try:
                services.person_add_photo(actor=request.user, person=person, upload=form.cleaned_data["photo"])
            except services.PhotoTooLargeError:
                return _too_large(request, person)
            except ValidationError as exc:
                for message in exc.message_dict.get("photo", exc.messages):
                    form.add_error("photo", message)
            else:
                messages.success(request, _("The photo is added."))
                return redirect("people:detail", public_id=person.public_id)
    context = {"form": form, "person": person, "title": _("Add a photo"), "multipart": True}
    return render(request, "people/item_form.html", context)


@require_GET
def photo(request: AuthedRequest, public_id, photo_id) -> FileResponse:
    """A stored photo, only after the access check; `?size=thumb` for the small one. Never cached."""
    stored = selectors.photo_get_for(request.user, public_id, photo_id)
    field = stored.thumbnail if request.GET.get("size") == "thumb" else stored.image
    return protected_file(field.open("rb"), content_type="image/jpeg", filename=f"photo-{stored.public_id}.jpg",
                          as_attachment=False)  # fmt: skip


@require_POST
def person_remove_photo(request: AuthedRequest, public_id, photo_id) -> HttpResponse:
    person = selectors.person_get_for(request.user, public_id, permission=Permission.PERSON_EDIT)
    services.person_remove_photo(actor=request.user, person=person, photo_public_id=photo_id)
    messages.success(request, _("The photo is removed."))
    return redirect("people:detail", public_id=person.public_id)


@require_GET
def local_level_options(request: AuthedRequest) -> HttpResponse:
    """The <option>s of a district's local levels, for the home address select (htmx)."""
    policy.require(request.user, Permission.GAZETTEER_VIEW)
    district = request.GET.get("home_district", "")
    valid = district.isascii() and district.isdigit() and len(district) <= 9
    levels = LocalLevel.objects.filter(district_id=int(district)).order_by("name_en") if valid else []
    return render(request, "people/_local_level_options.html", {"levels": levels})
