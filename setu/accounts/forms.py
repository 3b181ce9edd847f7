from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import Organisation
from setu.core.enums import DatePreference


class LoginForm(AuthenticationForm):
    # One message for an unknown user and a wrong password (ASVS 6.3.8: no user enumeration).
    error_messages = {
        "invalid_login": _("That username and password do not match an active account."),
        "inactive": _("That username and password do not match an active account."),
    }


class PreferencesForm(forms.Form):
    """A plain form (not a ModelForm): validating it must not change the signed-in user before the service
    does, or the audit row could not tell what changed."""

    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    date_preference = forms.ChoiceField(
        label=_("Dates shown in"), choices=DatePreference.choices, widget=forms.RadioSelect
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 12 characters; a phrase of several words is easiest to remember."),
    )
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        from setu.accounts.models import RoleChoices

        self.fields["organisation"].queryset = organisations
        self.fields["role"].choices = RoleChoices.choices


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name_en", "name_ne", "name_hi", "short_name", "org_type", "country", "phone", "address",
                  "districts", "border_points"]  # fmt: skip
        help_texts = {"districts": _("Leave empty for an organisation that works in the whole country.")}
