"""The gazetteer: administrative areas of both countries and the border crossing points.

Nepal: 7 provinces → 77 districts → 753 local levels (wards numbered 1..n inside each).
India: the 5 states on the Nepal border → their border districts. See setu/geo/README.md for sources.
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from setu.core.enums import Country
from setu.core.text import search_keys


class NamedArea(models.Model):
    """Names in English, Nepali and Hindi, and one folded Latin+Devanagari text to search in."""

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ne = models.CharField(_("name (Nepali)"), max_length=120, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120, blank=True)
    # Other spellings and former names ("Kakadvitta", "Nawalpur"): searched, not shown as the name.
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    # setu.core.text.search_keys over every name and alias: plain words in both scripts, their
    # transliterations and phonetic keys, space-separated. Filled by `refresh_search_text()`.
    search_text = models.TextField(blank=True, editable=False)
    note = models.CharField(_("note"), max_length=400, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def refresh_search_text(self) -> None:
        self.search_text = search_keys(self.name_en, self.name_ne, self.name_hi, *self.aliases)

    @property
    def name(self) -> str:
        lang = (get_language() or "en")[:2]
        localised = {"ne": self.name_ne, "hi": self.name_hi or self.name_ne}.get(lang)
        return localised or self.name_en


class Province(NamedArea):
    """A Nepali province or an Indian state."""

    country = models.CharField(max_length=2, choices=Country.choices)
    code = models.CharField(max_length=16, help_text=_("Province number (Nepal) or LGD state code (India)."))

    class Meta:
        ordering = ["country", "code"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="geo_province_unique_code")]


class District(NamedArea):
    """A district of Nepal, or a district of an Indian border state (with its LGD code)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    code = models.CharField(max_length=16, blank=True, help_text=_("LGD district code (India)."))
    borders_other_country = models.BooleanField(default=False)

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name_en"], name="geo_district_unique_name"),
        ]
        indexes = [models.Index(Lower("name_en"), name="geo_district_name_lower")]

    @property
    def country(self) -> str:
        return self.province.country


class LocalLevel(NamedArea):
    """A Nepali local level (metropolitan city ... rural municipality). Wards are 1..ward_count."""

    class Kind(models.TextChoices):
        METROPOLITAN = "metropolitan", _("Metropolitan city")
        SUB_METROPOLITAN = "sub_metropolitan", _("Sub-metropolitan city")
        MUNICIPALITY = "municipality", _("Municipality")
        RURAL_MUNICIPALITY = "rural_municipality", _("Rural municipality")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="local_levels")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    ward_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Wards are numbered 1 to this number (5 to 33 in Nepal).")
    )

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name_en"], name="geo_locallevel_unique_name"),
            models.CheckConstraint(
                condition=models.Q(ward_count__isnull=True) | models.Q(ward_count__gte=1),
                name="geo_locallevel_ward_count_positive",
            ),
        ]

    @property
    def wards(self) -> range:
        return range(1, (self.ward_count or 0) + 1)


class BorderPoint(NamedArea):
    """One side of a crossing; `counterpart` is the place facing it across the border."""

    country = models.CharField(max_length=2, choices=Country.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="border_points")
    counterpart = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="counterpart_of"
    )
    is_formal = models.BooleanField(_("formal crossing"), default=True)
    has_immigration_office = models.BooleanField(_("immigration office"), default=False)

    class Meta:
        ordering = ["country", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name_en"], name="geo_borderpoint_unique_name"),
        ]
