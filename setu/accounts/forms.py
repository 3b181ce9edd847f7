from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import User


class LoginForm(AuthenticationForm):
    # One message for an unknown user and a wrong password (ASVS 6.3.8: no user enumeration).
    error_messages = {
        "invalid_login": _("That username and password do not match an active account."),
        "inactive": _("That username and password do not match an active account."),
    }


class PreferencesForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["preferred_language", "date_preference"]
        widgets = {"date_preference": forms.RadioSelect}
