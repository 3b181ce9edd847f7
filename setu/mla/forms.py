"""Forms of the MLA pages. They check types only; the rules (authorities, basis, dates, moves) are the
services', whose refusals come back onto the form (`add_service_errors`)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import Organisation
from setu.core.formfields import CalendarFormMixin, FlexibleDateField
from setu.legal.models import Prosecution
from setu.mla import workflow
from setu.mla.authorities import register
from setu.mla.models import Direction, DocumentKind, Language, LegalBasis, RequestType, Status, Urgency
from setu.mla.services import other_country


class ServiceErrorsMixin:
    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)  # type: ignore[attr-defined]
            return
        for name, errors in exc.error_dict.items():
            field = name if name in self.fields else None  # type: ignore[attr-defined]
            for error in errors:
                self.add_error(field, error)  # type: ignore[attr-defined]


def authority_choices(country: str) -> list[tuple[str, str]]:
    language = (get_language() or "en")[:2]
    return [("", "—")] + [(a.code, a.name(language)) for a in register().of_country(country)]


class DraftForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Office making the request"), queryset=Organisation.objects.none(), required=False
    )
    requesting_authority = forms.ChoiceField(label=_("Requesting authority"), choices=())
    requested_authority = forms.ChoiceField(label=_("Requested authority"), choices=(),
                                            help_text=_("Usually the other country's central authority."))  # fmt: skip
    types = forms.MultipleChoiceField(label=_("Assistance asked for"), choices=RequestType.choices,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    prosecution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Prosecution"), queryset=Prosecution.objects.none(), required=False,
        help_text=_("Leave empty when the request comes before a prosecution."),
    )  # fmt: skip
    subject = forms.CharField(label=_("Subject"), max_length=200)
    summary = forms.CharField(label=_("Summary of the facts and what is asked"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    language = forms.ChoiceField(label=_("Language of the request"), choices=Language.choices)
    language_reason = forms.CharField(
        label=_("Why not in the requested state's language"), max_length=300, required=False,
        help_text=_("Nepal takes requests in Nepali, or in English with the reason."),
    )  # fmt: skip
    women_children = forms.BooleanField(label=_("A crime against women or children"), required=False)
    letter_date = FlexibleDateField(label=_("Date of the letter of request"))
    respond_by = FlexibleDateField(label=_("Answer asked for by"), required=False)

    def __init__(self, *args: Any, organisations, prosecutions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["requesting_authority"]).choices = authority_choices(settings.SETU_NODE)
        cast(forms.ChoiceField, self.fields["requested_authority"]).choices = authority_choices(other_country())
        cast(forms.ModelChoiceField, self.fields["prosecution"]).queryset = prosecutions
        if organisations.count() > 1:
            cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]
        if not self.is_bound:
            self.initial.setdefault("requested_authority", register().central(other_country()).code)
            self.initial.setdefault("legal_basis", workflow.RECIPROCITY)
            # Nepal takes Nepali (or English with the reason); India's courts and MHA work in English.
            self.initial.setdefault("language", "ne" if other_country() == "NP" else "en")

    @staticmethod
    def initial_for(request) -> dict[str, Any]:
        from setu.mla.services import DRAFT_FIELDS

        initial = {name: getattr(request, name) for name in DRAFT_FIELDS if name != "prosecution"}
        initial["prosecution"] = request.prosecution_id
        return initial

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["types"] = list(data.get("types") or [])
        return data


class MoveForm(ServiceErrorsMixin, CalendarFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    on = FlexibleDateField(label=_("Date"), required=False, help_text=_("When it happened; today if empty."))
    reason = forms.CharField(
        label=_("Reason or note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a refusal (why) and a partial execution (what was not done)."),
    )  # fmt: skip

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        cast(forms.ChoiceField, self.fields["status"]).choices = [(s, labels[s]) for s in statuses]


class DocumentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, JPEG, PNG or WebP)"))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Number or subject"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any"))] + list(Status.choices))
    direction = forms.ChoiceField(label=_("Direction"), required=False,
                                  choices=[("", _("Both"))] + list(Direction.choices))  # fmt: skip
    kind = forms.ChoiceField(
        label=_("Assistance"), required=False, choices=[("", _("Any"))] + list(RequestType.choices)
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"query": data["q"], "status": data["status"], "direction": data["direction"], "kind": data["kind"]}
