"""Abstract bases shared by the domain models."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStamped):
    """A row with an opaque public id: URLs and the API never expose sequential primary keys."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


def clean_in_memory(instance: models.Model, *, exclude: list[str] | tuple[str, ...] = ()) -> None:
    """`full_clean()` without its queries, for many rows checked before one bulk write (an import's chunk).

    Fields and `clean()` are checked as `full_clean()` checks them. A foreign key is checked for being given,
    not looked up: the callers hold the related objects, read from the database a moment before. Uniqueness
    and check constraints, which `full_clean()` asks the database about row by row, are left to the database:
    a bulk write that breaks one raises IntegrityError, and the caller redoes those rows one by one through
    `full_clean()`, which names the problem. Raises ValidationError with every problem, as `full_clean()` does.
    """
    errors: dict = {}
    relations = [f for f in instance._meta.concrete_fields if f.is_relation and f.name not in exclude]
    for f in relations:
        if getattr(instance, f.attname) is None and not f.null:
            errors.setdefault(f.name, []).append(ValidationError(f.error_messages["null"], code="null"))
    try:
        instance.clean_fields(exclude=[*exclude, *(f.name for f in relations)])
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
