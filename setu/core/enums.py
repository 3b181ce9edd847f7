"""Value lists shared by several apps. HTCDS v2.0 values where HTCDS defines them (reference/domain.md §5.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    """The countries Setu's first deployment spans (ISO 3166-1 alpha-2)."""

    NEPAL = "NP", _("Nepal")
    INDIA = "IN", _("India")


class Gender(models.TextChoices):
    """HTCDS prs_Gender."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender (female)")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender (male)")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    NOT_SPECIFIED = "NonSpecifiedUnknown", _("Not specified / unknown")


class OrganisationType(models.TextChoices):
    """HTCDS org_Type."""

    NGO = "NGO", _("NGO")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH_SERVICE = "HealthServiceOrganisation", _("Health service")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government")
    IMMIGRATION = "ImmigrationService", _("Immigration service")
    LEGAL_SERVICE = "LegalService", _("Legal service")
    CORPORATE = "CorporateBusiness", _("Business")
    SCHOOL = "SchoolOrCollege", _("School or college")


class DatePreference(models.TextChoices):
    AD = "AD", _("AD (Gregorian)")
    BS = "BS", _("Bikram Sambat")
