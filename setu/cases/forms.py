"""HTML forms of survivor cases. They parse what was typed; the services decide what is valid and say why.

Fields that a service checks with a clear message (a reason, a basis, an outcome) are optional here, so that
the service's message is the one shown (setu.people.forms.ServiceErrorsMixin puts it on the field).
Dates are typed in the user's calendar (BS or AD) with `FlexibleDateField`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import Organisation, User
from setu.cases import choices, services
from setu.cases.models import Case, CaseDocument, SopVersion, SupportPlan
from setu.core.dates import age_on
from setu.core.formfields import CalendarFormMixin, FlexibleDateField
from setu.geo.models import District
from setu.people.forms import DistrictChoiceField, ServiceErrorsMixin, district_choices, set_queryset
from setu.people.models import Language, Nationality, Person

_BLANK: list[tuple[str, Any]] = [("", "—")]
YES_NO_UNKNOWN = [
    ("yes", pgettext_lazy("answer", "Yes")),
    ("no", pgettext_lazy("answer", "No")),
    ("unknown", _("Not known")),
]


def _node_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True, country=settings.SETU_NODE).order_by("name_en")


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RevisionField(forms.IntegerField):
    """The case revision the form was opened at: a newer one on save means someone else changed the case."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=1, **kwargs)


def stage_label(definition_stage) -> str:
    lang = (get_language() or "en")[:2]
    return definition_stage.names.get(lang) or definition_stage.names["en"]


def stage_choices() -> list[tuple[str, str]]:
    """Every stage of every loaded SOP version, in the user's language (a few versions, a dozen stages)."""
    seen: dict[str, str] = {}
    for version in SopVersion.objects.order_by("-created_at"):
        for key, stage in services.definition_of(version).stages.items():
            seen.setdefault(key, stage_label(stage))
    return list(seen.items())


# --- finding cases -------------------------------------------------------------------------------------------


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Case number or survivor's name"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any")), ("open", _("Open (active or follow-up)")), *choices.CaseStatus.choices],
    )  # fmt: skip
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation in charge"), queryset=Organisation.objects.none(), required=False, empty_label=_("Any")
    )
    district = DistrictChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("Any")
    )
    minor = forms.ChoiceField(
        label=_("Age"), required=False,
        choices=[("", _("Any")), ("yes", _("Children only")), ("no", _("Adults only"))],
    )  # fmt: skip
    sop_version = forms.ModelChoiceField(
        label=_("SOP version"), queryset=SopVersion.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = [("", _("Any")), *stage_choices()]
        set_queryset(self, "organisation", _node_organisations())
        set_queryset(self, "district", district_choices().filter(province__country=settings.SETU_NODE))
        set_queryset(self, "sop_version", SopVersion.objects.order_by("-created_at"))

    def filters(self) -> dict[str, Any]:
        """The valid filters as case_list_for's arguments; an invalid one is dropped, not fatal."""
        self.is_valid()
        data = self.cleaned_data
        organisation, district, version = data.get("organisation"), data.get("district"), data.get("sop_version")
        return {
            "query": (data.get("q") or "")[:100],
            "stage": data.get("stage") or "",
            "status": data.get("status") or "",
            "overdue": bool(data.get("overdue")),
            "organisation_id": organisation.pk if organisation else None,
            "district_id": district.pk if district else None,
            "minor": {"yes": True, "no": False}.get(data.get("minor") or ""),
            "sop_version_id": version.pk if version else None,
        }


class OverdueFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("All I may see"),
    )  # fmt: skip

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organisation", organisations)

    def organisation_id(self) -> int | None:
        self.is_valid()
        organisation = self.cleaned_data.get("organisation")
        return organisation.pk if organisation else None


# --- opening and describing a case ---------------------------------------------------------------------------


class _CaseDetailsForm(ServiceErrorsMixin, forms.Form):
    """The descriptive fields shared by opening and editing a case (HTCDS values)."""

    path = forms.ChoiceField(label=_("Way home"), choices=choices.CasePath.choices, widget=forms.RadioSelect)
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"), choices=choices.TraffickingStatus.choices,
        initial=choices.TraffickingStatus.POSSIBLE,
        help_text=_("A victim determination, once recorded as a decision, sets it."),
    )  # fmt: skip
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"), choices=choices.ExploitationType.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-grid"}),
    )  # fmt: skip
    control_methods = forms.MultipleChoiceField(
        label=_("Methods of control"), choices=choices.ControlMethod.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-grid"}),
    )  # fmt: skip
    recruitment_place = forms.CharField(label=_("Where she was recruited"), max_length=300, required=False)
    exploitation_place = forms.CharField(label=_("Where she was exploited"), max_length=300, required=False)
    exploitation_country = forms.ChoiceField(
        label=_("Country of exploitation"), choices=_BLANK + Nationality.choices, required=False
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=_text(4),
        help_text=_("No testimony or health details here: add those as a sensitive note."),
    )  # fmt: skip

    DETAIL_FIELDS = (
        "path", "trafficking_status", "exploitation_types", "control_methods", "recruitment_place",
        "exploitation_place", "exploitation_country", "summary",
    )  # fmt: skip

    def detail_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in self.DETAIL_FIELDS if name in data}
        kwargs["exploitation_types"] = list(data.get("exploitation_types") or [])
        kwargs["control_methods"] = list(data.get("control_methods") or [])
        return kwargs


class CaseOpenForm(CalendarFormMixin, _CaseDetailsForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation in charge"), queryset=Organisation.objects.none(), required=False
    )
    district = DistrictChoiceField(
        label=_("District (jurisdiction)"), queryset=District.objects.none(),
        help_text=_("Decides who may see and work on the case: the organisations working in this district."),
    )  # fmt: skip
    identified_on = FlexibleDateField(label=_("Identified or rescued on"))
    identified_time = forms.TimeField(
        label=_("At (time, 24-hour clock)"), required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM", "inputmode": "numeric", "size": "6"}),
        help_text=_("The SOP's clocks count from this moment (a child is produced before the CWC within 24 hours)."),
    )  # fmt: skip
    age_at_identification = forms.IntegerField(
        label=_("Age when identified (years)"), required=False, min_value=0, max_value=120,
        help_text=_("An estimate will do: the SOP differs for children and adults."),
    )  # fmt: skip

    field_order = ["organisation", "district", "identified_on", "identified_time", "age_at_identification"]

    def __init__(self, *args, person: Person, organisations: QuerySet[Organisation], **kwargs) -> None:
        now = timezone.localtime()
        kwargs.setdefault(
            "initial",
            {
                "district": person.location_district_id,
                "identified_on": now.date(),
                "identified_time": now.time().replace(second=0, microsecond=0),
                "age_at_identification": age_on(person.birth_date, now.date()) if person.birth_date else None,
                "path": (
                    choices.CasePath.CROSS_BORDER
                    if person.nationality and person.nationality != settings.SETU_NODE
                    else choices.CasePath.DOMESTIC
                ),
            },
        )
        super().__init__(*args, **kwargs)
        set_queryset(self, "district", district_choices())
        if len(organisations) <= 1:
            del self.fields["organisation"]
        else:
            set_queryset(self, "organisation", organisations)
            self.fields["organisation"].required = True

    def service_field_names(self) -> dict[str, str]:
        return {"identified_at": "identified_on"}

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        day: dt.date = data["identified_on"]
        moment: dt.time | None = data.get("identified_time")
        now = timezone.localtime()
        if moment is None:  # today: now; another day: its start (a deadline is then early, never late)
            moment = now.time() if day == now.date() else dt.time(0, 0)
        kwargs = self.detail_kwargs()
        kwargs.update(
            district=data["district"],
            identified_at=timezone.make_aware(dt.datetime.combine(day, moment)),
            age_at_identification=data.get("age_at_identification"),
        )
        if "organisation" in self.fields:
            kwargs["organisation"] = data["organisation"]
        return kwargs


class CaseEditForm(_CaseDetailsForm):
    district = DistrictChoiceField(label=_("District (jurisdiction)"), queryset=District.objects.none())
    revision = RevisionField()

    field_order = ["district"]

    def __init__(self, *args, case: Case, **kwargs) -> None:
        initial = {name: getattr(case, name) for name in self.DETAIL_FIELDS}
        initial.update(district=case.district_id, revision=case.revision)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        set_queryset(self, "district", district_choices())

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.detail_kwargs(), "district": self.cleaned_data["district"],
                "revision": self.cleaned_data["revision"]}  # fmt: skip


# --- moving through the SOP ----------------------------------------------------------------------------------


class ActForm(ServiceErrorsMixin, forms.Form):
    """One SOP step. The other country's reference is asked for on a bilateral stage; the reason for
    closing when the step closes the case."""

    action = forms.CharField(widget=forms.HiddenInput, max_length=64)
    revision = RevisionField()
    reason = forms.CharField(
        label=_("Why, and on what basis"), required=False, max_length=2000, widget=_text(2),
        help_text=_("Kept in the stage history."),
    )  # fmt: skip
    counterpart_reference = forms.CharField(
        label=_("The other country's reference (letter, message or meeting)"), max_length=200,
        help_text=_("This stage is completed by the other country: give the reference of its reply."),
    )  # fmt: skip
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=_BLANK + choices.ClosureReason.choices, required=False
    )

    def __init__(self, *args, bilateral: bool = False, final: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not bilateral:
            del self.fields["counterpart_reference"]
        if not final:
            del self.fields["closure_reason"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "action": data["action"],
            "reason": data.get("reason") or "",
            "revision": data["revision"],
            "counterpart_reference": data.get("counterpart_reference") or "",
            "closure_reason": data.get("closure_reason") or "",
        }


class HoldForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Why the case waits"), required=False, max_length=300,
                             help_text=_("e.g. waiting for a court date"))  # fmt: skip
    revision = RevisionField()


class ResumeForm(ServiceErrorsMixin, forms.Form):
    revision = RevisionField()


class ReopenForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Why the case is reopened"), required=False, max_length=2000, widget=_text(2))
    revision = RevisionField()


class TransferForm(ServiceErrorsMixin, forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Transfer to"), queryset=Organisation.objects.none())
    reason = forms.CharField(label=_("Why"), required=False, max_length=2000, widget=_text(3))
    revision = RevisionField()

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "to_organisation", _node_organisations().exclude(pk=case.organisation_id))


class TransferAnswerForm(ServiceErrorsMixin, forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (needed to refuse)"), required=False, max_length=300)


class TeamForm(ServiceErrorsMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("Case owner"), queryset=User.objects.none())
    team = forms.ModelMultipleChoiceField(
        label=_("Team"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The owner and team read the sensitive notes, with the shelter manager and the CWC."),
    )  # fmt: skip
    revision = RevisionField()

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {"owner": case.owner_id, "team": list(case.team.values_list("pk", flat=True)), "revision": case.revision},
        )
        super().__init__(*args, **kwargs)
        # People of the organisation in charge and of the organisations working in the case's district;
        # the service refuses anyone whose role cannot work on the case.
        organisations = Organisation.objects.filter(Q(pk=case.organisation_id) | Q(districts=case.district_id))
        users = (
            User.objects.filter(
                is_active=True, memberships__is_active=True, memberships__organisation__in=organisations
            )
            .distinct()
            .order_by("full_name", "username")
        )
        set_queryset(self, "owner", users)
        set_queryset(self, "team", users)


# --- decisions and consent -----------------------------------------------------------------------------------

FAVOURABLE_CHOICES = [
    ("yes", _("Favourable: the case may go on by this decision (she is found a victim, her age or nationality "
              "is confirmed, return is judged safe, repatriation or compensation is ordered)")),
    ("no", _("Not favourable: the case may not go on by it (e.g. not found a victim, return judged unsafe)")),
]  # fmt: skip


class DocumentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CaseDocument) -> str:
        label = obj.get_doc_type_display()
        return f"{label}: {obj.title}" if obj.title else f"{label} ({obj.original_name})"


class DecisionForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=_BLANK + choices.DecisionKind.choices)
    favourable = forms.ChoiceField(label=_("Is it favourable?"), choices=FAVOURABLE_CHOICES, widget=forms.RadioSelect)
    outcome = forms.CharField(label=_("Outcome, in one sentence"), required=False, max_length=300)
    decider_name = forms.CharField(label=_("Decided by (name and office)"), required=False, max_length=200)
    decision_org_type = forms.ChoiceField(
        label=_("Kind of organisation that made the determination"), required=False,
        choices=_BLANK + choices.DecisionMakingOrg.choices,
    )  # fmt: skip
    decided_on = FlexibleDateField(label=_("Date of the decision"))
    basis = forms.CharField(label=_("Basis (law, evidence, reasons)"), required=False, widget=_text(3))
    survivor_view = forms.CharField(
        label=_("The survivor's own view"), required=False, widget=_text(3),
        help_text=_("What she herself said about it, in her words where possible."),
    )  # fmt: skip
    assessed_age = forms.IntegerField(label=_("Assessed age (years)"), required=False, min_value=0, max_value=120)
    amount = forms.DecimalField(label=_("Amount ordered"), required=False, min_value=0, max_digits=12,
                                decimal_places=2)  # fmt: skip
    documents = DocumentChoiceField(
        label=_("Documents it rests on"), queryset=CaseDocument.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    revision = RevisionField()

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault("initial", {"decided_on": timezone.localdate(), "revision": case.revision})
        super().__init__(*args, **kwargs)
        set_queryset(self, "documents", case.documents.all())
        for key, question in choices.BEST_INTEREST_QUESTIONS:
            self.fields[f"bi_{key}"] = forms.ChoiceField(
                label=str(question), choices=YES_NO_UNKNOWN, required=False, widget=forms.RadioSelect
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"bi_{key}"] for key, _label in choices.BEST_INTEREST_QUESTIONS]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers = {key: data[f"bi_{key}"] for key, _label in choices.BEST_INTEREST_QUESTIONS if data.get(f"bi_{key}")}
        return {
            "kind": data["kind"],
            "favourable": data["favourable"] == "yes",
            "outcome": data.get("outcome") or "",
            "decider_name": data.get("decider_name") or "",
            "decision_org_type": data.get("decision_org_type") or "",
            "decided_on": data["decided_on"],
            "basis": data.get("basis") or "",
            "survivor_view": data.get("survivor_view") or "",
            "answers": answers,
            "assessed_age": data.get("assessed_age"),
            "amount": data.get("amount"),
            "documents": list(data.get("documents") or []),
            "revision": data["revision"],
        }


class ConsentForm(ServiceErrorsMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=choices.ConsentPurpose.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=choices.ConsentGiver.choices, widget=forms.RadioSelect)
    giver_name = forms.CharField(label=_("Name of the parent or guardian"), required=False, max_length=200)
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, max_length=300,
        help_text=_("The law and section, or the order and its date (e.g. CWC order 12/2083)."),
    )  # fmt: skip
    checklist = forms.MultipleChoiceField(
        label=_("She (or the guardian) was told, and agreed"), choices=choices.CONSENT_CHECKLIST, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language used"), choices=_BLANK + Language.choices, required=False)


class ConsentWithdrawForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), required=False, max_length=300)


# --- documents, care, follow-up ------------------------------------------------------------------------------


class DocumentForm(ServiceErrorsMixin, forms.Form):
    doc_type = forms.ChoiceField(label=_("Type of document"), choices=_BLANK + choices.DocumentType.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    file = forms.FileField(
        label=_("File"), required=False,
        help_text=_("A PDF or a photo (JPEG, PNG or WebP). It is kept outside the web server and shown only to "
                    "those who may see the case."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )  # fmt: skip

    def service_field_names(self) -> dict[str, str]:
        return {"upload": "file"}


class AssessmentForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=choices.AssessmentKind.choices)
    assessed_on = FlexibleDateField(label=_("Date"))
    summary = forms.CharField(
        label=_("Findings"), required=False, widget=_text(4),
        help_text=_("No health details here: add those as a sensitive note."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SupportPlanForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    plan_type = forms.ChoiceField(label=_("Type of support"), choices=_BLANK + choices.SupportType.choices)
    objectives = forms.CharField(label=_("Objectives"), required=False, widget=_text(3))
    action_plan = forms.CharField(label=_("Action plan"), required=False, widget=_text(3))
    starts_on = FlexibleDateField(label=_("Start date"))
    planned_end = FlexibleDateField(label=_("Planned end"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SupportPlanEndForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    actual_end = FlexibleDateField(label=_("Ended on"))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"actual_end": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SupportPlan) -> str:
        return f"{obj.get_plan_type_display()} ({obj.starts_on.isoformat()})"


class ServiceForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    service = forms.CharField(label=_("Service delivered"), required=False, max_length=200,
                              help_text=_("e.g. medical check-up, counselling session, school enrolment"))  # fmt: skip
    provider = forms.ModelChoiceField(label=_("Provided by"), queryset=Organisation.objects.none())
    delivered_on = FlexibleDateField(label=_("Date"))
    plan = PlanChoiceField(label=_("Under the support plan"), queryset=SupportPlan.objects.none(), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=_text(3))

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate(), "provider": case.organisation_id})
        super().__init__(*args, **kwargs)
        set_queryset(self, "provider", _node_organisations())
        set_queryset(self, "plan", case.support_plans.all())


class FollowUpForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    due_on = FlexibleDateField(label=_("Visit due on"))
    with_family = forms.BooleanField(
        label=_("The visit contacts the family"), required=False, initial=True,
        help_text=_("Recording such a visit needs consent (or a legal basis) for contacting the family."),
    )  # fmt: skip


class FollowUpRecordForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    done_on = FlexibleDateField(label=_("Visited on"))
    outcome = forms.CharField(label=_("What was found"), required=False, widget=_text(4))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


# --- people and history of the case --------------------------------------------------------------------------


class RelatedForm(ServiceErrorsMixin, forms.Form):
    person_id = forms.UUIDField(
        label=_("Setu id of the person"),
        help_text=_("Register the person under People first; the Setu id is shown on their page."),
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Related to the case as"), choices=choices.RelatedRole.choices)
    perpetrator_roles = forms.MultipleChoiceField(
        label=_("Role in the trafficking (suspects only)"), choices=choices.PerpetratorRole.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-grid"}),
    )  # fmt: skip
    details = forms.CharField(label=_("Details"), required=False, max_length=300)

    def service_field_names(self) -> dict[str, str]:
        return {"person": "person_id"}


class HistoryEventForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=choices.EventType.choices)
    date = FlexibleDateField(label=_("Date"), required=False)
    place = forms.CharField(label=_("Place (city, street)"), required=False, max_length=300)
    district = DistrictChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    country = forms.ChoiceField(label=_("Country"), choices=_BLANK + Nationality.choices, required=False)
    description = forms.CharField(
        label=_("What happened"), required=False, widget=_text(4),
        help_text=_("Details of sexual exploitation go in a sensitive note, not here."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "district", district_choices())


class SensitiveNoteForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=choices.SensitiveKind.choices)
    text = forms.CharField(label=_("Note"), required=False, widget=_text(6))
