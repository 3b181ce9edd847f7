"""Sign in, sign out, and the user's own preferences (language, BS/AD dates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from setu.accounts import services
from setu.accounts.forms import LoginForm, PreferencesForm


@method_decorator(login_not_required, name="dispatch")
class SetuLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if user.preferred_language:
            translation.activate(user.preferred_language)
            response.set_cookie(_language_cookie_name(), user.preferred_language, samesite="Lax", httponly=True)
        return response


class SetuLogoutView(auth_views.LogoutView):
    """POST only (Django's default): the session row is deleted, so the old cookie is worthless."""


def _language_cookie_name() -> str:
    from django.conf import settings

    return settings.LANGUAGE_COOKIE_NAME


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_update_preferences(
            actor=request.user,
            preferred_language=form.cleaned_data["preferred_language"],
            date_preference=form.cleaned_data["date_preference"],
        )
        translation.activate(user.preferred_language or "en")
        messages.success(request, _("Your preferences are saved."))
        response = redirect("accounts:preferences")
        if user.preferred_language:
            response.set_cookie(_language_cookie_name(), user.preferred_language, samesite="Lax", httponly=True)
        return response
    return render(request, "accounts/preferences.html", {"form": form})
