"""Joint training of the professionals who work against trafficking on both sides of the border.

A **programme** (a course: title, topic areas, host country, place, dates, organiser, trainers) has
**sessions**; **participants** take part (professionals, never survivors: a participant is a name as
written, a sex, a designation and an organisation, with no link to any person record); each session's
**attendance** is marked; pre- and post-test scores (0-100) show what was learnt; a participant who
completed gets a **certificate** with a verification code that anyone can check on the public page.

Across the border: the host node invites the other node to a joint programme (`training.invitation`,
kept here as a received **Invitation**); the invited node's trainer **nominates** participants
(`training.nomination`, kept on the invited side as Nomination rows and on the host as participants of the
other node); the host sends the results back (`training.result`) so the nominee's node counts them in its
coverage. Models hold data rules only; writes go through `setu.training.services`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setu.core.enums import Gender
from setu.core.models import PublicIdModel

# A participant has completed a programme when she attended at least this share of its sessions.
COMPLETION_SHARE = 0.75
MAX_SCORE = 100

# Verification codes: Crockford's base32 (no I, L, O, U: nothing to confuse with 1, 0 or V), 12 characters,
# 60 bits from the operating system's generator. Typed with or without the dashes of XXXX-XXXX-XXXX.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_CODE_READING = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """The code typed (any case, spaces or dashes, O for 0, I or L for 1) in stored form; None if it cannot
    be a code. Nothing is looked up here."""
    cleaned = "".join(str(text or "")[:64].upper().replace("-", "").split()).translate(_CODE_READING)
    if len(cleaned) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in cleaned):
        return None
    return cleaned


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class TopicArea(models.TextChoices):
    """The topic areas the Biratnagar cross-border workshop (Dec 2025) asked joint training to cover
    (reference/domain.md §0): a maintained list, each programme and session stores the values."""

    BORDER_MONITORING = "border_monitoring", _("Border monitoring")
    INFORMATION_SHARING = "information_sharing", _("Information sharing")
    TECHNOLOGY = "technology", _("Use of technology")
    SURVIVOR_CARE = "survivor_care", _("Survivor care")
    REPATRIATION = "repatriation", _("Repatriation protocols")
    MLA = "mla", _("Mutual legal assistance")


class Country(models.TextChoices):
    NEPAL = "NP", _("Nepal")
    INDIA = "IN", _("India")


class ParticipantKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation on this node")
    OTHER_NODE = "other_node", _("Organisation of the other country")
    EXTERNAL = "external", _("External guest")


class Programme(PublicIdModel):
    """One training course, held over one or more days in one place."""

    title = models.CharField(_("title"), max_length=200, error_messages={"blank": _("Enter the title.")})
    topics = models.JSONField(_("topic areas"), default=list, blank=True)  # TopicArea values, in its order
    host_country = models.CharField(_("host country"), max_length=2, choices=Country.choices)
    place = models.CharField(_("place"), max_length=200, error_messages={"blank": _("Enter the place.")})
    starts_on = models.DateField(_("first day"), error_messages={"null": _("Enter the first day.")})
    ends_on = models.DateField(_("last day"), error_messages={"null": _("Enter the last day.")})
    organiser = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    trainers = models.TextField(_("trainers"), max_length=2000, blank=True, help_text=_("One name a line."))
    description = models.TextField(_("description"), max_length=4000, blank=True)
    is_joint = models.BooleanField(_("joint training of both countries"), default=True)
    seats = models.PositiveSmallIntegerField(
        _("seats for the other country"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    reply_by = models.DateField(_("nominations by"), null=True, blank=True)
    invitation = models.ForeignKey(
        "exchange.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        indexes = [models.Index(fields=["organiser", "starts_on"], name="training_programme_org")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_programme_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors.setdefault("ends_on", []).append(_("The last day cannot be before the first day."))
        if self.reply_by and self.starts_on and self.reply_by > self.starts_on:
            errors.setdefault("reply_by", []).append(_("Nominations must be due by the first day at the latest."))
        topics = self.topics if isinstance(self.topics, list) else None
        if topics is None or any(topic not in TopicArea.values for topic in topics):
            errors.setdefault("topics", []).append(_("Choose the topic areas from the list."))
        elif not topics:
            errors.setdefault("topics", []).append(_("Choose at least one topic area."))
        if errors:
            raise ValidationError(errors)

    @property
    def topic_labels(self) -> list[str]:
        return [str(TopicArea(topic).label) for topic in self.topics if topic in TopicArea.values]

    @property
    def trainer_names(self) -> list[str]:
        return [line.strip() for line in self.trainers.splitlines() if line.strip()]


class Session(PublicIdModel):
    """One sitting of a programme: when, where (the programme's place unless said), on which topic."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, error_messages={"blank": _("Enter the session's title.")})
    starts_at = models.DateTimeField(_("starts at"), error_messages={"null": _("Enter when the session starts.")})
    ends_at = models.DateTimeField(_("ends at"), error_messages={"null": _("Enter when the session ends.")})
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Leave empty for the programme's."))
    topic = models.CharField(_("topic area"), max_length=24, choices=TopicArea.choices,
                             error_messages={"blank": _("Choose the topic area.")})  # fmt: skip

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_times"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": [_("The session must end after it starts.")]})


class Participant(PublicIdModel):
    """A professional taking part: a police officer, a prosecutor, a social worker, a border monitor. Not a
    survivor: there is no link to any person record, only the name as written and the work she does."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200, error_messages={"blank": _("Enter the name.")},
                            help_text=_("As the participant writes it, in Devanagari or Latin letters."))  # fmt: skip
    sex = models.CharField(_("sex"), max_length=24, choices=Gender.choices,
                           error_messages={"blank": _("Choose the sex.")})  # fmt: skip
    designation = models.CharField(_("designation / role"), max_length=200,
                                   error_messages={"blank": _("Enter the designation.")})  # fmt: skip
    kind = models.CharField(_("from"), max_length=16, choices=ParticipantKind.choices,
                            default=ParticipantKind.ORGANISATION)  # fmt: skip
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    organisation_name = models.CharField(_("organisation (other country or guest)"), max_length=200, blank=True)
    node = models.CharField(_("country"), max_length=2, choices=Country.choices)
    pre_score = models.PositiveSmallIntegerField(
        _("pre-test score"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(MAX_SCORE)]
    )
    post_score = models.PositiveSmallIntegerField(
        _("post-test score"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(MAX_SCORE)]
    )
    # For a participant nominated by the other node: the nomination's reference there (results go back by it).
    remote_ref = models.UUIDField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   editable=False)  # fmt: skip

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(condition=Q(pre_score__lte=MAX_SCORE), name="training_pre_score_range"),
            models.CheckConstraint(condition=Q(post_score__lte=MAX_SCORE), name="training_post_score_range"),
            models.CheckConstraint(
                condition=Q(kind="organisation", organisation__isnull=False) | ~Q(kind="organisation"),
                name="training_participant_organisation",
            ),
            models.UniqueConstraint(
                fields=["programme", "remote_ref"],
                condition=Q(remote_ref__isnull=False),
                name="training_participant_remote_once",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation_id and self.organisation else self.organisation_name

    @property
    def score_change(self) -> int | None:
        """Post-test minus pre-test, in points; None until both are recorded."""
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score


class Attendance(models.Model):
    """Whether one participant was at one session (a row only once marked)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=False)
    marked_at = models.DateTimeField(auto_now=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="training_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}@{self.session_id}: {'present' if self.present else 'absent'}"


class Certificate(PublicIdModel):
    """Issued to a participant who completed. The code is what the public verification page looks up; a
    revoked certificate still verifies as "revoked", so a printed copy cannot pass for a valid one."""

    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=CODE_LENGTH, unique=True, editable=False)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    revoke_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return format_code(self.code)

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class Invitation(PublicIdModel):
    """A joint programme of the other node that it invited this node to (`training.invitation`), exactly as
    it came, and what this node answered: nominations, or a decline."""

    class Answer(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        NOMINATED = "nominated", _("Participants nominated")
        DECLINED = "declined", _("Declined")

    # The message it came in; none for an invitation seeded by the demo (setu.training.demo).
    inbox = models.OneToOneField("exchange.InboxMessage", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")  # fmt: skip
    from_node = models.CharField(max_length=2)
    ref = models.UUIDField()  # the programme's id on the host node
    title = models.CharField(max_length=200)
    topics = models.JSONField(default=list)
    host_country = models.CharField(max_length=2)
    organiser = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    seats = models.PositiveSmallIntegerField(null=True, blank=True)
    reply_by = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    received_at = models.DateTimeField()
    answer = models.CharField(max_length=16, choices=Answer.choices, default=Answer.OPEN)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")  # fmt: skip
    results_received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["from_node", "ref"], name="training_invitation_once")]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_labels(self) -> list[str]:
        return [str(TopicArea(topic).label) for topic in self.topics if topic in TopicArea.values]


class Nomination(PublicIdModel):
    """Someone of this node nominated for the other node's programme; the host's results come back here
    (attendance, scores, certificate code), so this node's coverage counts her."""

    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="nominations")
    name = models.CharField(_("name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=24, choices=Gender.choices)
    designation = models.CharField(_("designation / role"), max_length=200)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))  # fmt: skip
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sessions_attended = models.PositiveSmallIntegerField(null=True, blank=True)
    sessions_held = models.PositiveSmallIntegerField(null=True, blank=True)
    pre_score = models.PositiveSmallIntegerField(null=True, blank=True)
    post_score = models.PositiveSmallIntegerField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    certificate_code = models.CharField(max_length=CODE_LENGTH, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def score_change(self) -> int | None:
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score
