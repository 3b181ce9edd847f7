"""Users, organisations (HTCDS org types) and memberships that give a user a role in an organisation."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from setu.accounts.roles import ROLE_LABELS, Role
from setu.core.enums import Country, DatePreference, OrganisationType
from setu.core.models import PublicIdModel

RoleChoices = models.TextChoices(  # type: ignore[misc,call-overload]
    "RoleChoices", [(r.name, (r.value, _(ROLE_LABELS[r]))) for r in Role]
)


class Organisation(PublicIdModel):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ne = models.CharField(_("name (Nepali)"), max_length=200, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    org_type = models.CharField(_("type"), max_length=40, choices=OrganisationType.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    # HTCDS org_Phone: E.164, the same rule as persons' phones (people.PhoneNumber).
    phone = models.CharField(
        _("phone"),
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+[1-9][0-9]{1,14}$", _("Enter the phone number in international form, e.g. +9779841234567.")
            )
        ],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Jurisdiction: the districts and crossing points the organisation works in.
    districts = models.ManyToManyField("geo.District", blank=True, related_name="organisations")
    border_points = models.ManyToManyField("geo.BorderPoint", blank=True, related_name="organisations")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name_en"]
        constraints = [models.UniqueConstraint(fields=["country", "name_en"], name="accounts_org_unique_name")]

    @property
    def name(self) -> str:
        lang = (get_language() or "en")[:2]
        localised = {"ne": self.name_ne, "hi": self.name_hi or self.name_ne}.get(lang)
        return localised or self.name_en

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Their roles come from memberships, never from Django's is_staff flags."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, blank=True)
    date_preference = models.CharField(
        _("dates shown in"), max_length=2, choices=DatePreference.choices, default=DatePreference.AD
    )

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        """The name people know them by (Django's first and last name fields are not used)."""
        return self.full_name or self.username


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=RoleChoices.choices)
    # The crossing a border monitor is posted at: she then reaches that station's interceptions only
    # (empty: every station of her organisation).
    border_point = models.ForeignKey("geo.BorderPoint", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("posted at"))  # fmt: skip
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name_en", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="accounts_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"
