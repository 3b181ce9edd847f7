"""Writes on persons. Each service takes `actor=`, runs in one transaction, checks access with
`setu.accounts.policy`, validates (a ValidationError with field messages, and nothing changed) and writes
one audit event naming the fields it touched, never their values.

Who may write: PERSON_CREATE registers a person for one of the actor's organisations; PERSON_EDIT (and
adding aliases, documents, phones, relations, photos) reaches the persons its grant covers by owning
organisation or location district (see README.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.core import text
from setu.core.models import clean_in_memory
from setu.people import rules
from setu.people.models import (
    BirthPrecision,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonSearchToken,
    PhoneNumber,
    Photo,
    Relation,
    search_tokens_used,
)
from setu.people.photos import CleanImage, ImageRejectedError, clean_image

PERSON_OBJECT_TYPE = "people.person"
T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

# The fields of a person that `person_create` and `person_update` accept (the organisation is set once).
EDITABLE_FIELDS = (
    "full_name",
    "given_name",
    "family_name",
    "other_names",
    "gender",
    "birth_date",
    "birth_precision",
    "birth_calendar",
    "age_estimate",
    "age_estimated_on",
    "nationality",
    "languages",
    "location_district",
    "home_district",
    "home_local_level",
    "home_ward",
    "home_address",
)
_TEXT_FIELDS = ("full_name", "given_name", "family_name", "other_names", "home_address")
_NAME_FIELDS = ("full_name", "given_name", "family_name", "other_names")

_IMAGE_MESSAGES = {
    "type": gettext_lazy("Upload a JPEG, PNG or WebP photo. This file is not one."),
    "pixels": gettext_lazy("This image has too many pixels. Upload a smaller photo."),
    "broken": gettext_lazy("This image is damaged and cannot be read."),
}


class PhotoTooLargeError(ValidationError):
    """The upload is over SETU_UPLOAD_MAX_BYTES. Views and the API answer it with 413."""


def photo_too_large_message() -> str:
    limit_mb = settings.SETU_UPLOAD_MAX_BYTES / (1024 * 1024)
    return _("The photo is larger than %(limit).1f MB. Upload a smaller photo.") % {"limit": limit_mb}


# --- access --------------------------------------------------------------------------------------------------


def _require_edit(actor, person: Person) -> None:
    """PERSON_EDIT must cover the person's organisation or location district; otherwise an audited 404."""
    grant = policy.grants(actor, Permission.PERSON_EDIT)
    if not grant.covers(organisation_id=person.organisation_id, district_id=person.location_district_id):
        policy.deny(actor, "person.edit", object_type=PERSON_OBJECT_TYPE, object_id=str(person.public_id))


def _editing(func: Callable[..., T]) -> Callable[..., T]:
    """Check PERSON_EDIT first, then run the service in one transaction.

    The check runs before the transaction opens so that the audit row of a refusal is not rolled back
    with it."""

    @functools.wraps(func)
    def service(*, actor, person: Person, **kwargs: Any) -> T:
        _require_edit(actor, person)
        with transaction.atomic():
            return func(actor=actor, person=person, **kwargs)

    return service


def _organisation_for_create(actor, organisation: Organisation | None) -> Organisation:
    grant = policy.require(actor, Permission.PERSON_CREATE, object_type=PERSON_OBJECT_TYPE)
    if organisation is None:
        if grant.node_wide or len(grant.organisation_ids) != 1:
            raise ValidationError({"organisation": [_("Choose the organisation that registers this person.")]})
        return Organisation.objects.get(pk=next(iter(grant.organisation_ids)))
    # Creating is always for one's own organisation: a district in the actor's jurisdiction is not enough.
    if not (grant.node_wide or organisation.pk in grant.organisation_ids):
        raise ValidationError({"organisation": [_("You cannot register people for this organisation.")]})
    return organisation


# --- computed fields -----------------------------------------------------------------------------------------


def latin_form(name: str) -> str:
    """The Latin form of a name for lists and search: transliterated from Devanagari, or as entered."""
    if rules.detect_script(name) == rules.DEVANAGARI:
        return text.devanagari_to_latin(name).title()
    return name


def refresh_name_fields(person: Person, alias_names: Iterable[str]) -> None:
    """Set the computed name fields: script, Latin form, and the search keys over every name and alias."""
    person.name_script = rules.detect_script(person.full_name)
    person.name_latin = latin_form(person.full_name)[:400]
    names = [getattr(person, field) for field in _NAME_FIELDS] + list(alias_names)
    person.search_keys = text.search_keys(*(name for name in names if name))


def index_names(person: Person) -> None:
    """Store the person's search keys as tokens (PersonSearchToken) where name search reads them (SQLite;
    PostgreSQL indexes `search_keys` itself): call after saving new names."""
    if not search_tokens_used():
        return
    wanted = set(person.search_keys.split())
    stored = set(person.search_tokens.values_list("token", flat=True))
    if stored - wanted:
        person.search_tokens.filter(token__in=stored - wanted).delete()
    PersonSearchToken.objects.bulk_create(
        [PersonSearchToken(person=person, token=token) for token in sorted(wanted - stored)], ignore_conflicts=True
    )


def index_names_bulk(persons: Iterable[Person]) -> int:
    """Store the search keys of persons just created together (`persons_write`, demo and benchmark seeding) as
    tokens, as `index_names` does one person's: one statement for them all, run with `executemany` (a token row
    is two columns; the ORM's per-object work was most of an import's time). Returns the tokens written; none
    where name search does not read them (PostgreSQL)."""
    if not search_tokens_used():
        return 0
    rows = [(p.pk, t) for p in persons for t in sorted(set(p.search_keys.split()))]
    table = PersonSearchToken._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (person_id, token) VALUES (%s, %s)", rows)  # noqa: S608 - our table
    return len(rows)


def _alias_names(person: Person) -> list[str]:
    return list(person.aliases.values_list("name", flat=True)) if person.pk else []


# --- validation helpers --------------------------------------------------------------------------------------


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    """Tidy what people type: trim and collapse spaces, drop repeated languages."""
    for name in _TEXT_FIELDS:
        if name in values and values[name] is not None:
            values[name] = " ".join(str(values[name]).split())
    if values.get("languages") is not None:
        values["languages"] = list(dict.fromkeys(values["languages"]))
    return values


def _derive_birth(person: Person) -> None:
    """An estimated age implies a birth date (for age bands and matching); a local level implies its district."""
    estimated = person.birth_precision == BirthPrecision.ESTIMATED
    if estimated and person.age_estimate is not None and person.age_estimated_on is not None:
        try:
            person.birth_date = rules.estimated_birth_date(person.age_estimate, person.age_estimated_on)
        except ValueError:  # before year 1: clean() refuses the estimate's date with a field message
            person.birth_date = None
    local_level = person.home_local_level if person.home_local_level_id is not None else None
    if local_level is not None and person.home_district_id is None:
        person.home_district_id = local_level.district_id


def _phone_region() -> str:
    return rules.NODE_PHONE_REGION.get(settings.SETU_NODE, settings.SETU_NODE)


def normalise_phone_or_error(number: str, *, field: str = "number") -> str:
    try:
        return rules.normalise_phone(number or "", region=_phone_region())
    except rules.InvalidPhoneNumberError:
        raise ValidationError(
            {field: [_("“%(number)s” is not a phone number that can be dialled.") % {"number": (number or "")[:40]}]}
        ) from None


def _changed(before: dict[str, Any], after: Person, names: Iterable[str]) -> list[str]:
    return sorted(name for name in names if before.get(name) != getattr(after, _attname(name)))


def _attname(name: str) -> str:
    return f"{name}_id" if name in ("location_district", "home_district", "home_local_level") else name


def _snapshot(person: Person) -> dict[str, Any]:
    return {name: getattr(person, _attname(name)) for name in EDITABLE_FIELDS}


# --- persons -------------------------------------------------------------------------------------------------


@dataclass
class PersonDraft:
    """A person checked and not yet written (`person_build`), with the names, phones and relatives written
    with her (`persons_write`), and the fields given, for the audit event."""

    person: Person
    aliases: list[PersonAlias]
    phones: list[PhoneNumber]
    relations: list[Relation]
    given: list[str]


def person_create(*, actor, organisation: Organisation | None = None, **details: Any) -> Person:
    """Register a person for the actor's organisation (or `organisation`, if the actor has several): the
    details `person_build` takes, checked, then written with her aliases and phones and one audit event.

    `phones` and `aliases` may be given at once, as a border monitor records them in one sitting.
    """
    owner = _organisation_for_create(actor, organisation)
    with transaction.atomic():
        return persons_write(actor=actor, drafts=[person_build(actor=actor, owner=owner, **details)])[0]


def person_build(
    *,
    actor,
    owner: Organisation,
    full_name: str,
    location_district,
    given_name: str = "",
    family_name: str = "",
    other_names: str = "",
    gender: str = "NonSpecifiedUnknown",
    birth_precision: str = BirthPrecision.UNKNOWN,
    birth_date: dt.date | None = None,
    birth_calendar: str = "",
    age_estimate: int | None = None,
    age_estimated_on: dt.date | None = None,
    nationality: str = "",
    languages: Sequence[str] = (),
    home_district=None,
    home_local_level=None,
    home_ward: int | None = None,
    home_address: str = "",
    phones: Sequence[str] = (),
    aliases: Sequence[str] = (),
    spellings: Sequence[str] = (),
    relatives: Sequence[tuple[str, str]] = (),
    in_memory: bool = False,
) -> PersonDraft:
    """Check a new person for `owner` (which the caller has checked the actor may register for) and return her
    draft; write it with `persons_write`. Raises ValidationError with every problem; writes nothing.

    `aliases` are other names, `spellings` other spellings of her name (her name in the other script),
    `relatives` (kind, name) pairs of relatives known by name. `in_memory=True` checks without asking the
    database (setu.core.models.clean_in_memory), for an import's rows (many persons in one bulk write, or a
    case register's survivors) whose caller redoes a row with the default if the database refuses it; the
    default checks as `full_clean()` does.
    """
    values = _normalise(
        {
            "full_name": full_name,
            "given_name": given_name,
            "family_name": family_name,
            "other_names": other_names,
            "gender": gender,
            "birth_precision": birth_precision,
            "birth_date": birth_date,
            "birth_calendar": birth_calendar,
            "age_estimate": age_estimate,
            "age_estimated_on": age_estimated_on,
            "nationality": nationality,
            "languages": list(languages or []),
            "home_ward": home_ward,
            "home_address": home_address,
        }
    )
    person = Person(
        **values,
        organisation=owner,
        location_district=location_district,
        home_district=home_district,
        home_local_level=home_local_level,
        created_by=actor,
    )
    _derive_birth(person)
    named: dict[str, str] = {}  # each other name once, with its kind; a spelling that is her name is no other name
    for names, kind in ((aliases, PersonAlias.Kind.ALIAS), (spellings, PersonAlias.Kind.SPELLING)):
        for name in (" ".join((n or "").split()) for n in names):
            if name and name not in named and not (kind == PersonAlias.Kind.SPELLING and name == person.full_name):
                named[name] = kind
    refresh_name_fields(person, list(named))
    errors: dict[str, list] = {}
    try:
        if in_memory:
            clean_in_memory(person, exclude=["created_by"])
        else:
            person.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    numbers = []
    for number in phones:
        if number and number.strip():
            try:
                numbers.append(normalise_phone_or_error(number, field="phones"))
            except ValidationError as exc:
                errors.setdefault("phones", []).extend(exc.message_dict["phones"])
    alias_rows = [PersonAlias(name=name, kind=kind, script=rules.detect_script(name)) for name, kind in named.items()]
    for alias in alias_rows:
        try:
            alias.clean_fields(exclude=["person"])
        except ValidationError as exc:
            errors.setdefault("aliases", []).extend(exc.message_dict.get("name", exc.messages))
    relations = [Relation(related_name=" ".join(name.split()), kind=kind) for kind, name in relatives
                 if name and name.strip()]  # fmt: skip
    for relation in relations:
        try:
            relation.clean_fields(exclude=["person", "related_person"])
        except ValidationError as exc:
            errors.setdefault("relations", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    given = [name for name in EDITABLE_FIELDS if getattr(person, _attname(name)) not in (None, "", [])]
    given += ["aliases"] if alias_rows else []
    given += ["phones"] if numbers else []
    given += ["relations"] if relations else []
    phone_rows = [PhoneNumber(number=number) for number in dict.fromkeys(numbers)]
    return PersonDraft(person, alias_rows, phone_rows, relations, ["organisation", *given])


def persons_write(*, actor, drafts: Sequence[PersonDraft]) -> list[Person]:
    """Write checked persons (`person_build`) in one insert a table, each with her search keys (where name
    search reads them), aliases, phones and relatives, and one `person.create` audit event. Call it inside the
    caller's transaction. The matcher is the callers' to ask (setu.tracing.matching)."""
    persons = Person.objects.bulk_create([draft.person for draft in drafts])
    index_names_bulk(persons)
    for model, rows in ((PersonAlias, "aliases"), (PhoneNumber, "phones"), (Relation, "relations")):
        children = []
        for draft in drafts:
            for child in getattr(draft, rows):
                child.person = draft.person
                children.append(child)
        model.objects.bulk_create(children)
    for draft in drafts:
        audit_record(actor=actor, action="person.create", obj=draft.person, fields=draft.given)
    return persons


@_editing
def person_update(*, actor, person: Person, **changes: Any) -> Person:
    """Change some of a person's fields (any of EDITABLE_FIELDS). Returns the saved person."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"person_update() got fields it does not edit: {sorted(unknown)}")
    # Lock only the person row: PostgreSQL cannot lock the nullable side of an outer join.
    person = Person.objects.select_for_update(of=("self",)).select_related("home_local_level").get(pk=person.pk)
    before = _snapshot(person)
    changes = _normalise(dict(changes))
    for name, value in changes.items():
        setattr(person, name, value)
    # Subordinate fields follow the precision unless the caller set them explicitly.
    if person.birth_precision != BirthPrecision.ESTIMATED:
        for name in ("age_estimate", "age_estimated_on"):
            if name not in changes:
                setattr(person, name, None)
    if person.birth_precision == BirthPrecision.UNKNOWN and "birth_date" not in changes:
        person.birth_date = None
    if "home_local_level" in changes and changes["home_local_level"] is None and "home_ward" not in changes:
        person.home_ward = None
    _derive_birth(person)
    refresh_name_fields(person, _alias_names(person))
    person.full_clean(exclude=["created_by"])
    fields = _changed(before, person, EDITABLE_FIELDS)
    if fields:
        person.save()
        index_names(person)
    audit_record(actor=actor, action="person.update", obj=person, fields=fields)
    return person


# --- aliases, documents, phones, relations -------------------------------------------------------------------


def _save_names(person: Person) -> None:
    refresh_name_fields(person, _alias_names(person))
    person.save(update_fields=["name_script", "name_latin", "search_keys", "updated_at"])
    index_names(person)


@_editing
def person_add_alias(*, actor, person: Person, name: str, kind: str = PersonAlias.Kind.ALIAS) -> PersonAlias:
    name = " ".join((name or "").split())
    alias = PersonAlias(person=person, name=name, kind=kind, script=rules.detect_script(name))
    alias.full_clean()
    alias.save()
    _save_names(person)
    audit_record(actor=actor, action="person.add_alias", obj=person, fields=["aliases"])
    return alias


@_editing
def person_remove_alias(*, actor, person: Person, alias_id) -> None:
    deleted, _rows = _by_public_id(PersonAlias.objects.filter(person=person), alias_id).delete()
    if not deleted:
        raise policy.NotFoundOrForbidden()
    _save_names(person)
    audit_record(actor=actor, action="person.remove_alias", obj=person, fields=["aliases"])


@_editing
def person_add_document(
    *,
    actor,
    person: Person,
    document_type: str,
    number: str,
    issuing_country: str = "",
    issued_on: dt.date | None = None,
) -> IdentityDocument:
    if not issuing_country and document_type == IdentityDocument.DocumentType.AADHAAR:
        issuing_country = "IN"
    number = " ".join((number or "").split())
    document = IdentityDocument(
        person=person,
        document_type=document_type,
        number=number,
        number_normalised=rules.normalise_document_number(number),
        issuing_country=issuing_country,
        issued_on=issued_on,
    )
    document.full_clean()
    document.save()
    audit_record(actor=actor, action="person.add_document", obj=person, fields=["documents"])
    return document


@_editing
def person_remove_document(*, actor, person: Person, document_id) -> None:
    deleted, _rows = _by_public_id(IdentityDocument.objects.filter(person=person), document_id).delete()
    if not deleted:
        raise policy.NotFoundOrForbidden()
    audit_record(actor=actor, action="person.remove_document", obj=person, fields=["documents"])


@_editing
def person_add_phone(*, actor, person: Person, number: str, kind: str = PhoneNumber.Kind.MOBILE) -> PhoneNumber:
    """Record a phone number, stored in E.164; a national number is read in this node's country."""
    phone = PhoneNumber(person=person, number=normalise_phone_or_error(number), kind=kind)
    phone.full_clean()
    phone.save()
    audit_record(actor=actor, action="person.add_phone", obj=person, fields=["phones"])
    return phone


@_editing
def person_remove_phone(*, actor, person: Person, phone_id) -> None:
    deleted, _rows = _by_public_id(PhoneNumber.objects.filter(person=person), phone_id).delete()
    if not deleted:
        raise policy.NotFoundOrForbidden()
    audit_record(actor=actor, action="person.remove_phone", obj=person, fields=["phones"])


def person_add_relation(
    *,
    actor,
    person: Person,
    kind: str,
    related_person_id: uuid.UUID | str | None = None,
    related_name: str = "",
    note: str = "",
) -> Relation:
    """Record that `person` has a relative: a registered person the actor may see (by public id), or a name."""
    from setu.people.selectors import person_list_for

    _require_edit(actor, person)
    related = None
    if related_person_id:
        related = _by_public_id(person_list_for(actor), related_person_id).first()
        if related is None:
            from setu.audit.services import audit_denied

            audit_denied(
                actor=actor, action="person.view", object_type=PERSON_OBJECT_TYPE, object_id=str(related_person_id)
            )
            raise ValidationError({"related_person_id": [_("No person with this Setu id is visible to you.")]})
    with transaction.atomic():
        relation = Relation(
            person=person,
            related_person=related,
            related_name=" ".join((related_name or "").split()),
            kind=kind,
            note=" ".join((note or "").split()),
        )
        relation.full_clean()
        relation.save()
        audit_record(actor=actor, action="person.add_relation", obj=person, fields=["relations"])
        return relation


@_editing
def person_remove_relation(*, actor, person: Person, relation_id) -> None:
    deleted, _rows = _by_public_id(Relation.objects.filter(person=person), relation_id).delete()
    if not deleted:
        raise policy.NotFoundOrForbidden()
    audit_record(actor=actor, action="person.remove_relation", obj=person, fields=["relations"])


def _by_public_id(queryset: QuerySet[M], value) -> QuerySet[M]:
    """`queryset` narrowed to the row with public id `value`; empty when `value` is not a UUID."""
    try:
        key = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip())
    except ValueError:
        return queryset.none()
    return queryset.filter(public_id=key)


# --- photos --------------------------------------------------------------------------------------------------


def photo_check(upload) -> CleanImage:
    """Check an upload as `person_add_photo` does, storing nothing: the image re-encoded (no EXIF/GPS).

    Raises PhotoTooLargeError over SETU_UPLOAD_MAX_BYTES, ValidationError (keyed "photo") for anything but a
    sound JPEG/PNG/WebP. Forms that take a photo with other data (setu.tracing's report) call it first, so
    that a bad photo is refused with the rest of their problems, before anything is written."""
    limit = settings.SETU_UPLOAD_MAX_BYTES
    if upload is None:
        raise ValidationError({"photo": [_("Choose a photo to upload.")]})
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise PhotoTooLargeError({"photo": [photo_too_large_message()]}, code="too_large")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PhotoTooLargeError({"photo": [photo_too_large_message()]}, code="too_large")
    try:
        return clean_image(data, max_pixels=settings.SETU_IMAGE_MAX_PIXELS)
    except ImageRejectedError as exc:
        raise ValidationError({"photo": [_IMAGE_MESSAGES[exc.reason]]}, code=exc.reason) from None


@_editing
def person_add_photo(*, actor, person: Person, upload) -> Photo:
    """Check, re-encode (no EXIF/GPS) and store a photo under MEDIA_ROOT with a server-made name.

    Raises PhotoTooLargeError over SETU_UPLOAD_MAX_BYTES, ValidationError for anything but a sound JPEG/PNG/WebP.
    """
    image = photo_check(upload)
    stem = uuid.uuid4().hex
    stored: list[str] = []
    try:
        stored.append(default_storage.save(f"people/photos/{stem}.jpg", ContentFile(image.data)))
        stored.append(default_storage.save(f"people/photos/{stem}-thumb.jpg", ContentFile(image.thumbnail)))
        photo = Photo.objects.create(
            person=person,
            image=stored[0],
            thumbnail=stored[1],
            content_type="image/jpeg",
            width=image.width,
            height=image.height,
            byte_size=len(image.data),
            sha256=image.sha256,
            uploaded_by=actor,
        )
        audit_record(actor=actor, action="person.add_photo", obj=person, fields=["photos"])
    except BaseException:
        for name in stored:  # the row is rolled back: do not leave its files behind
            default_storage.delete(name)
        raise
    return photo


@_editing
def person_remove_photo(*, actor, person: Person, photo_public_id) -> None:
    photo = _by_public_id(Photo.objects.filter(person=person), photo_public_id).first()
    if photo is None:
        raise policy.NotFoundOrForbidden()
    names = [photo.image.name, photo.thumbnail.name]
    photo.delete()
    audit_record(actor=actor, action="person.remove_photo", obj=person, fields=["photos"])

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
