"""Writes to the gazetteer: loading it from the data file committed with the code.

The gazetteer is reference data, the same on every node (both countries' places are needed on each side:
a Nepali girl intercepted at Jogbani is recorded on the India node with her home local level in Nepal). It
is loaded by `setu load_gazetteer` at install and by the demo seeding; users never edit it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.db import transaction

from setu.audit.services import audit_record
from setu.geo.models import BorderPoint, District, LocalLevel, NamedArea, Province

DEFAULT_PATH = Path(__file__).parent / "data" / "gazetteer.json"
SYSTEM_ACTOR = "load_gazetteer"


class GazetteerFileError(ValueError):
    """The data file is not a gazetteer this loader understands; nothing was loaded."""


AreaT = TypeVar("AreaT", bound=NamedArea)


class _Upsert(Generic[AreaT]):
    """update_or_create by natural key, against one prefetch of the table: a record is created when
    missing, saved only when a field differs, and left alone otherwise, so a second load writes nothing."""

    def __init__(self, model: type[AreaT], key_fields: tuple[str, ...]) -> None:
        self.model = model
        self.key_fields = key_fields
        self.existing: dict[tuple, AreaT] = {self._key_of(obj): obj for obj in model._default_manager.all()}
        self.created = 0
        self.changed = 0

    def _key_of(self, obj) -> tuple:
        return tuple(getattr(obj, f) for f in self.key_fields)

    def __call__(self, key: tuple, values: dict[str, Any]) -> AreaT:
        obj = self.existing.get(key)
        if obj is None:
            obj = self.model(**dict(zip(self.key_fields, key, strict=True)), **values)
            obj.refresh_search_text()
            obj.clean_fields(exclude=["province", "district"])  # choices and lengths; keys are known
            obj.save()
            self.existing[key] = obj
            self.created += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        old_search_text = obj.search_text
        obj.refresh_search_text()
        if obj.search_text != old_search_text:
            changed.append("search_text")
        if changed:
            obj.save(update_fields=changed)
            self.changed += 1
        return obj


def _names(record: dict) -> dict[str, Any]:
    return {
        "name_ne": record.get("name_ne", ""),
        "name_hi": record.get("name_hi", ""),
        "aliases": list(record.get("aliases", [])),
        "note": record.get("note", ""),
    }


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GazetteerFileError(f"Cannot read the gazetteer file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise GazetteerFileError(f"The gazetteer file {path} is not a JSON object.")
    missing = {"provinces", "districts", "local_levels", "border_points"} - set(data)
    if missing:
        raise GazetteerFileError(f"The gazetteer file {path} has no {', '.join(sorted(missing))}.")
    return data


@transaction.atomic
def gazetteer_load(*, path: Path | str | None = None) -> dict[str, int]:
    """Create or update every province, district, local level and border point in the data file, in one
    transaction, matching existing rows by natural key (country + code, province + name, district + name,
    country + name), and fill their search text. Returns the counts in the file, and how many rows were
    created and changed. Rows not in the file are kept: persons and organisations may refer to them."""
    data = _read(Path(path) if path else DEFAULT_PATH)
    provinces = _Upsert(Province, ("country", "code"))
    districts = _Upsert(District, ("province", "name_en"))
    local_levels = _Upsert(LocalLevel, ("district", "name_en"))
    points = _Upsert(BorderPoint, ("country", "name_en"))

    province_by_code: dict[tuple[str, str], Province] = {}
    for record in data["provinces"]:
        key = (record["country"], str(record["code"]))
        province_by_code[key] = provinces(key, {"name_en": record["name_en"], **_names(record)})

    district_by_name: dict[tuple[str, str], District] = {}
    for record in data["districts"]:
        province = province_by_code[(record["country"], str(record["province"]))]
        values = {
            "code": record.get("code", ""),
            "borders_other_country": bool(record.get("borders_other_country")),
            **_names(record),
        }
        district_by_name[(record["country"], record["name_en"])] = districts((province, record["name_en"]), values)

    wards = 0
    for record in data["local_levels"]:
        district = district_by_name[("NP", record["district"])]
        values = {"kind": record["kind"], "ward_count": record.get("ward_count"), **_names(record)}
        local_levels((district, record["name_en"]), values)
        wards += record.get("ward_count") or 0

    point_by_name: dict[tuple[str, str], BorderPoint] = {}
    for record in data["border_points"]:
        values = {
            "district": district_by_name[(record["country"], record["district"])],
            "is_formal": bool(record.get("is_formal", True)),
            "has_immigration_office": bool(record.get("has_immigration_office")),
            **_names(record),
        }
        point_by_name[(record["country"], record["name_en"])] = points((record["country"], record["name_en"]), values)
    _link_counterparts(data["border_points"], point_by_name)

    counts = {
        "provinces": len(data["provinces"]),
        "districts": len(data["districts"]),
        "local_levels": len(data["local_levels"]),
        "wards": wards,
        "border_points": len(data["border_points"]),
        "created": provinces.created + districts.created + local_levels.created + points.created,
        "changed": provinces.changed + districts.changed + local_levels.changed + points.changed,
    }
    if counts["created"] or counts["changed"]:
        audit_record(
            actor=None,
            actor_username=SYSTEM_ACTOR,
            action="gazetteer.load",
            object_type="geo.gazetteer",
            object_id=str(data.get("meta", {}).get("built_on", "")),
            fields=[name for name, value in counts.items() if value and name in ("created", "changed")],
        )
    return counts


def _link_counterparts(records: list[dict], point_by_name: dict[tuple[str, str], BorderPoint]) -> None:
    """Each point faces at most one point across the border (a one-to-one link, set on both sides)."""
    wanted: dict[int, int | None] = {}
    for record in records:
        point = point_by_name[(record["country"], record["name_en"])]
        other_country = "IN" if record["country"] == "NP" else "NP"
        name = record.get("counterpart") or ""
        other = point_by_name.get((other_country, name)) if name else None
        if name and other is None:
            raise GazetteerFileError(f"Border point {record['name_en']}: no counterpart {name!r} in {other_country}.")
        wanted[point.pk] = other.pk if other else None
    current = dict(BorderPoint.objects.filter(pk__in=wanted).values_list("pk", "counterpart_id"))
    changed = {pk for pk, target in wanted.items() if current.get(pk) != target}
    if not changed:
        return
    # Clear first: the one-to-one constraint would refuse a swap made one row at a time.
    BorderPoint.objects.filter(pk__in=changed).update(counterpart=None)
    for pk in changed:
        if wanted[pk] is not None:
            BorderPoint.objects.filter(pk=pk).update(counterpart_id=wanted[pk])
