"""Border interceptions: a monitor (or officer) stops at-risk travellers at a crossing, screens them against
the red-flag checklist, calls their families and decides an outcome (reference/domain.md §2).

One `Interception` is one stop at one station: the people stopped (`InterceptedPerson`, each a person
record), the companions and suspects with them (`Companion`, HTCDS perpetrator roles), the calls to the
families (`FamilyCall`), the screening (checklist version, flags ticked, score, the monitor's certainty)
and the outcome. A referral to the police opens a survivor case under the SOP for a person stopped.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from setu.core.models import PublicIdModel, TimeStamped


class Checklist(PublicIdModel):
    """One loaded red-flag checklist file, kept as it was loaded; records keep the version they used."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    source = models.TextField(_("checklist file"))
    sha256 = models.CharField(max_length=64)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    is_current = models.BooleanField(_("in use for new records"), default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True),
                                    name="interceptions_one_current_checklist"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"checklist {self.version}"


class InterceptionCounter(models.Model):
    """The last interception number given out per year on this node."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class NoticedBy(models.TextChoices):
    STAFF = "staff", _("Our staff")
    POLICE = "police", _("Police or border force")
    FAMILY = "family", _("Her family")
    SELF = "self", _("She asked for help")
    PUBLIC = "public", _("A member of the public")
    OTHER = "other", _("Other")


class Transport(models.TextChoices):
    WALKING = "walking", _("On foot")
    RICKSHAW = "rickshaw", _("Rickshaw or e-rickshaw")
    BUS = "bus", _("Bus")
    MICROBUS = "microbus", _("Jeep or microbus")
    MOTORBIKE = "motorbike", _("Motorbike")
    CAR = "car", _("Car or taxi")
    TRAIN = "train", _("Train")
    OTHER = "other", _("Other")


class Purpose(models.TextChoices):
    WORK = "work", _("Work")
    RELATIVES = "relatives", _("Visiting relatives")
    MARRIAGE = "marriage", _("Marriage")
    STUDY = "study", _("Study")
    MEDICAL = "medical", _("Medical treatment")
    PILGRIMAGE = "pilgrimage", _("Pilgrimage or tourism")
    SHOPPING = "shopping", _("Shopping or market")
    OTHER = "other", _("Other")


class Document(models.TextChoices):
    CITIZENSHIP = "citizenship", _("Citizenship certificate")
    PASSPORT = "passport", _("Passport")
    VOTER_ID = "voter_id", _("Voter ID")
    AADHAAR = "aadhaar", _("Aadhaar")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    SCHOOL_ID = "school_id", _("School or college ID")
    LABOUR_PERMIT = "labour_permit", _("Labour permit")
    NONE = "none", _("No document")


class Outcome(models.TextChoices):
    """reference/domain.md §2.3."""

    OPEN = "open", pgettext_lazy("status", "Open")
    COUNSELLED = "counselled", _("Counselled and released")
    RETURNED = "returned", _("Returned to family")
    TRANSIT_HOME = "transit_home", _("Placed in a transit home")
    POLICE = "police", _("Referred to police (case registered)")
    OTHER_SIDE = "other_side", _("Handed to the other side's authorities")


class AgeBand(models.TextChoices):
    """CTDC's age bands (reference/domain.md §5.2), so the figures line up with the national ones."""

    UNKNOWN = "unknown", _("Unknown")
    A0_8 = "0-8", "0–8"
    A9_17 = "9-17", "9–17"
    A18_20 = "18-20", "18–20"
    A21_23 = "21-23", "21–23"
    A24_26 = "24-26", "24–26"
    A27_29 = "27-29", "27–29"
    A30_38 = "30-38", "30–38"
    A39_47 = "39-47", "39–47"
    A48 = "48+", "48+"


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    for band in AgeBand:
        if band == AgeBand.UNKNOWN:
            continue
        low, _sep, high = band.value.partition("-")
        if age >= int(low.rstrip("+")) and (not high or age <= int(high)):
            return band.value
    return AgeBand.UNKNOWN


class Interception(PublicIdModel):
    number = models.CharField(_("number"), max_length=32, unique=True)
    station = models.ForeignKey("geo.BorderPoint", on_delete=models.PROTECT, related_name="interceptions",
                                verbose_name=_("station (crossing point)"))  # fmt: skip
    # The station's district, kept for scoping and counting without a join.
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="interceptions", verbose_name=_("organisation"))  # fmt: skip
    intercepted_at = models.DateTimeField(_("date and time"))
    staff_names = models.CharField(_("staff present"), max_length=300, blank=True)
    noticed_by = models.CharField(_("who noticed"), max_length=12, choices=NoticedBy.choices, default=NoticedBy.STAFF)
    transport = models.CharField(_("transport"), max_length=12, choices=Transport.choices, blank=True)
    vehicle = models.CharField(_("vehicle (number plate, operator, colour)"), max_length=120, blank=True)
    coming_from = models.CharField(_("coming from"), max_length=120, blank=True)
    from_district = models.ForeignKey("geo.District", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("district coming from"))  # fmt: skip
    purpose = models.CharField(_("stated purpose"), max_length=12, choices=Purpose.choices, blank=True)
    purpose_detail = models.CharField(_("purpose, in her words"), max_length=300, blank=True)
    destination = models.CharField(_("destination (place)"), max_length=120, blank=True)
    destination_country = models.CharField(_("destination country"), max_length=2, blank=True)  # ISO 3166
    onward_country = models.CharField(_("going on to (third country)"), max_length=2, blank=True)
    documents = models.JSONField(_("documents carried"), default=list, blank=True)

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="interceptions")
    flags = models.JSONField(_("red flags"), default=list, blank=True)
    score = models.PositiveSmallIntegerField(_("red-flag points"), default=0)
    risk_level = models.CharField(_("risk"), max_length=16, blank=True)
    certainty = models.PositiveSmallIntegerField(
        _("how sure it is trafficking (1–5)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )  # fmt: skip

    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_at = models.DateTimeField(_("outcome decided at"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    handed_to = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("handed to (transit home, police)"))  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The alert sent across the border for this interception (setu.interceptions.alerts), at most one.
    alert = models.OneToOneField("exchange.OutboxMessage", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="interception", editable=False)  # fmt: skip
    # The id of the browser's draft the record was sent from: a form sent twice (the first reply lost on a
    # bad connection) finds the record already saved instead of making a second one.
    draft_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-intercepted_at", "-id"]
        indexes = [
            models.Index(fields=["station", "intercepted_at"], name="interceptions_station_time"),
            models.Index(fields=["organisation", "intercepted_at"], name="interceptions_org_time"),
            models.Index(fields=["district", "intercepted_at"], name="interceptions_district_time"),
            models.Index(fields=["intercepted_at"], name="interceptions_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(certainty__isnull=True) | Q(certainty__gte=1, certainty__lte=5),
                                   name="interceptions_certainty_1_5"),
            models.UniqueConstraint(fields=["organisation", "draft_key"], condition=~Q(draft_key=""),
                                    name="interceptions_draft_once"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.number


class InterceptedPerson(TimeStamped):
    """A person stopped: her person record, her age then, and the case opened when she was referred."""

    interception = models.ForeignKey(Interception, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="interceptions")
    age_years = models.PositiveSmallIntegerField(_("age (years)"), null=True, blank=True)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    relationship = models.CharField(_("relationship with her companions, as she tells it"), max_length=120,
                                    blank=True)  # fmt: skip
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="interceptions")  # fmt: skip

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["interception", "person"], name="interceptions_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.interception_id}: {self.person_id}"


class Companion(TimeStamped):
    """Someone travelling with the people stopped: a companion, or a suspect with HTCDS perpetrator roles."""

    interception = models.ForeignKey(Interception, on_delete=models.CASCADE, related_name="companions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="escorts")
    is_suspect = models.BooleanField(_("suspect"), default=False)
    roles = models.JSONField(_("roles (HTCDS)"), default=list, blank=True)  # cases.choices.PerpetratorRole
    claimed_relationship = models.CharField(_("says he or she is her"), max_length=120, blank=True)
    description = models.CharField(_("description (build, clothes, marks)"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["interception", "person"], name="interceptions_companion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.interception_id}: {self.person_id}"


class CallVerdict(models.TextChoices):
    VERIFIED = "verified", _("Confirmed her story")
    NOT_VERIFIED = "not_verified", _("Could not confirm")
    CONTRADICTED = "contradicted", _("Contradicted her story")
    UNREACHABLE = "unreachable", _("No answer")


class FamilyCall(TimeStamped):
    """A call to verify a traveller's story with her family: who was called, what they said."""

    interception = models.ForeignKey(Interception, on_delete=models.CASCADE, related_name="calls")
    called_at = models.DateTimeField(_("called at"))
    called_name = models.CharField(_("name of the person called"), max_length=120)
    relation = models.CharField(_("relation to her"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20)
    said = models.TextField(_("what they said"), blank=True)
    verdict = models.CharField(_("result"), max_length=16, choices=CallVerdict.choices)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["called_at", "id"]

    def __str__(self) -> str:
        return f"{self.called_name} ({self.verdict})"


class AlertOutcome(models.TextChoices):
    WATCHED = "watched", _("Watched for")
    FOUND = "found", _("Suspect found")
    POLICE = "police", _("Passed to police")


class InterceptionAlert(PublicIdModel):
    """An interception alert from the post facing one of ours across the border (exchange type
    `interception.alert`): exactly what the message carried, the station of ours it concerns, and what our
    post did about it. Written only by setu.interceptions.alerts (the inbox handler and the acknowledgement)."""

    inbox = models.OneToOneField("exchange.InboxMessage", on_delete=models.PROTECT, related_name="interception_alert")
    from_node = models.CharField(_("from node"), max_length=8)
    # Our crossing point facing the sender's: found by the name the alert gives it (null when not found).
    station = models.ForeignKey("geo.BorderPoint", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="alerts_received", verbose_name=_("station"))  # fmt: skip
    payload = models.JSONField(_("what the alert carried"))
    received_at = models.DateTimeField(_("received at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("acknowledged by"))  # fmt: skip
    outcome = models.CharField(_("what was done"), max_length=12, choices=AlertOutcome.choices, blank=True)
    action_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["station", "acknowledged_at"], name="interceptions_alert_open")]

    def __str__(self) -> str:
        return f"alert {self.payload.get('interception_number', '?')} from {self.from_node}"
