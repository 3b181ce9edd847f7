"""Prosecutions of traffickers and what they need from survivors: the legal side of a case (reference/domain.md
§1.1 stage 10, §4).

A prosecution is kept by the organisation that brings it (a prosecutor's office), placed in the district of
its court, and numbered per node and year (NP-PRS-2026-000001). Models hold data rules only; writes go through
`setu.legal.services`, reads through `selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from setu.core.models import PublicIdModel, TimeStamped


class ProsecutionCounter(models.Model):
    """The last prosecution number given out in a year (setu.core.ids.numbers_taken)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ProsecutionStatus(models.TextChoices):
    INVESTIGATION = "investigation", _("Under investigation")
    CHARGED = "charged", _("Charge sheet filed")
    TRIAL = "trial", _("On trial")
    JUDGMENT = "judgment", _("Judgment given")
    APPEAL = "appeal", _("On appeal")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    """The outcome of a prosecution as a whole (each accused has a verdict of their own)."""

    PENDING = "pending", _("Pending")
    CONVICTION = "conviction", _("Conviction")
    PARTLY = "partly", _("Some accused convicted")
    ACQUITTAL = "acquittal", _("Acquittal")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ABATED = "abated", _("Abated")


class Prosecution(PublicIdModel):
    number = models.CharField(_("prosecution number"), max_length=32, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="prosecutions",
        verbose_name=_("prosecuting office"),
    )
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="prosecutions", verbose_name=_("district of the court")
    )
    police_case_number = models.CharField(_("police case / FIR number"), max_length=64)
    police_unit = models.CharField(_("police unit"), max_length=200)
    court = models.CharField(_("court"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProsecutionStatus.choices, default=ProsecutionStatus.INVESTIGATION
    )
    opened_on = models.DateField(_("registered on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Added by the legal app's second migration (prosecution_details): the overall outcome, when judgment came.
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default="pending")
    judgment_on = models.DateField(_("judgment given on"), null=True, blank=True)
    notes = models.TextField(_("notes (no testimony here)"), blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Currency(models.TextChoices):
    NPR = "NPR", _("Nepalese rupees (NPR)")
    INR = "INR", _("Indian rupees (INR)")


class Charge(TimeStamped):
    """One charge of a prosecution: a section from the maintained list (setu.legal.charges) with particulars."""

    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="charges")
    code = models.CharField(_("section"), max_length=32)
    particulars = models.TextField(_("particulars"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["prosecution", "code"], name="legal_charge_once")]

    def __str__(self) -> str:
        return self.code


class Verdict(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISCHARGED = "discharged", _("Discharged")
    ABSCONDING = "absconding", _("Absconding")


class Accused(PublicIdModel):
    """A person prosecuted (a linked person record) with the HTCDS roles they played (cases.choices.PerpetratorRole)
    and, once judged, the verdict, sentence and fine."""

    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="accused")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="prosecutions_as_accused")
    roles = models.JSONField(_("roles (HTCDS)"), default=list, blank=True)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, default=Verdict.PENDING)
    verdict_on = models.DateField(_("verdict given on"), null=True, blank=True)
    sentence = models.CharField(_("sentence"), max_length=300, blank=True)
    fine_amount = models.DecimalField(_("fine"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "accused"
        constraints = [
            models.UniqueConstraint(fields=["prosecution", "person"], name="legal_accused_once"),
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gte=0), name="legal_fine_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prosecution_id}: {self.person_id}"


class Witness(PublicIdModel):
    """A victim of the prosecution, as a witness: her survivor case (setu.cases)."""

    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="witnesses")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_witness_of")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["prosecution", "case"], name="legal_witness_once")]

    def __str__(self) -> str:
        return f"{self.prosecution_id}: {self.case_id}"


class Hearing(PublicIdModel):
    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField(_("date of the hearing"))
    what_happened = models.TextField(_("what happened"), blank=True)
    next_on = models.DateField(_("next date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_on__isnull=True) | Q(next_on__gt=F("held_on")), name="legal_next_after_hearing"
            ),
        ]


class CompensationOrder(PublicIdModel):
    """Compensation a court ordered to a victim, paid by a convicted accused (HTTCA s.17 in Nepal)."""

    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="compensation_orders")
    accused = models.ForeignKey(Accused, on_delete=models.PROTECT, related_name="compensation_orders")
    amount = models.DecimalField(_("amount ordered"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    ordered_on = models.DateField(_("ordered on"))
    # Recorded below the legal minimum (HTTCA s.17) on purpose, with why (e.g. as the court ordered; appealed).
    below_minimum_reason = models.CharField(_("why below the legal minimum"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["ordered_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="legal_compensation_positive")]


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer to her account")
    COURT = "court", _("Deposited with the court")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash, with receipt")
    FUND = "fund", _("From the rehabilitation / victim compensation fund")


class CompensationPayment(PublicIdModel):
    order = models.ForeignKey(CompensationOrder, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    method = models.CharField(_("method"), max_length=8, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference (receipt, transaction)"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="legal_payment_positive")]


# --- witness availability ----------------------------------------------------------------------------------------


class Presence(models.TextChoices):
    PHYSICAL = "physical", _("In person only")
    VIDEO_POSSIBLE = "video_possible", _("In person, or by video")
    VIDEO = "video", _("By video")


class HerConsent(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked yet")
    YES = "yes", _("She agrees to testify")
    NO = "no", _("She does not agree")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met (she testified)")
    WITHDRAWN = "withdrawn", _("No longer needed")


class WitnessNeed(PublicIdModel):
    """A survivor needed as a witness: by which prosecution and court, where, when, whether video will do, and
    her own view. Kept on her case (setu.cases)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="witness_needs")
    prosecution = models.ForeignKey(Prosecution, on_delete=models.PROTECT, related_name="witness_needs")
    court = models.CharField(_("court"), max_length=200)
    place = models.CharField(_("where"), max_length=200)
    needed_from = models.DateField(_("needed from"))
    needed_until = models.DateField(_("needed until"), null=True, blank=True)
    presence = models.CharField(_("presence"), max_length=16, choices=Presence.choices)
    her_consent = models.CharField(
        _("her consent"), max_length=10, choices=HerConsent.choices, default=HerConsent.NOT_ASKED
    )
    her_view = models.TextField(_("her own view"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["needed_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(needed_until__isnull=True) | Q(needed_until__gte=F("needed_from")),
                name="legal_need_dates_in_order",
            ),
        ]

    @property
    def needs_presence(self) -> bool:
        return self.presence == Presence.PHYSICAL


class SessionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    ADJOURNED = "adjourned", _("Adjourned")
    CANCELLED = "cancelled", _("Cancelled")


class VideoTestimony(PublicIdModel):
    """A video testimony session: the court at one end, the survivor at the other (often across the border,
    after her return). `peer` is set on the survivor's side when the session was asked for by the other
    country's node (testimony.request); `public_id` is the session's id on both nodes."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="video_testimonies")
    need = models.ForeignKey(WitnessNeed, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    scheduled_at = models.DateTimeField(_("scheduled at"))
    timezone = models.CharField(_("time zone"), max_length=40, default="Asia/Kathmandu")
    court = models.CharField(_("court"), max_length=200)
    court_end = models.CharField(_("court end (where the court sits)"), max_length=200)
    survivor_end = models.CharField(_("survivor end (where she testifies from)"), max_length=200)
    interpreter = models.CharField(_("interpreter (language, name)"), max_length=200, blank=True)
    link_reference = models.CharField(_("link reference (room, meeting id)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PROPOSED)
    status_note = models.CharField(_("note on the status"), max_length=300, blank=True)
    peer = models.CharField(_("asked for by node"), max_length=8, blank=True)
    # The other side's last answer, when it proposed another time: what it proposed, for the court to accept.
    counter_at = models.DateTimeField(_("other time proposed"), null=True, blank=True)
    task = models.ForeignKey("cases.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="legal_session_upcoming")]
