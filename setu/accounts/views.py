"""Sign in, sign out, and the user's own preferences (language, BS/AD dates)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from setu.accounts import policy, selectors, services
from setu.accounts.forms import LoginForm, OrganisationForm, PreferencesForm, UserCreateForm
from setu.accounts.roles import Permission, Role
from setu.core.http import AuthedRequest


@method_decorator(login_not_required, name="dispatch")
class SetuLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if user.preferred_language:
            # The cookie carries the language to the next request; activating it here would leak into
            # whatever this thread serves next.
            _set_language_cookie(response, user.preferred_language)
        return response


class SetuLogoutView(auth_views.LogoutView):
    """POST only (Django's default): the session row is deleted, so the old cookie is worthless."""


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" in settings
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    initial = {"preferred_language": request.user.preferred_language or "en",
               "date_preference": request.user.date_preference}  # fmt: skip
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = services.user_update_preferences(
            actor=request.user,
            preferred_language=form.cleaned_data["preferred_language"],
            date_preference=form.cleaned_data["date_preference"],
        )
        with translation.override(user.preferred_language or "en"):
            messages.success(request, _("Your preferences are saved."))
        response = redirect("accounts:preferences")
        if user.preferred_language:
            _set_language_cookie(response, user.preferred_language)
        return response
    return render(request, "accounts/preferences.html", {"form": form})


def organisation_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    organisations = selectors.organisation_list_for(request.user, query=query)
    template = "accounts/_organisation_rows.html" if request.htmx else "accounts/organisation_list.html"
    return render(request, template, {"organisations": organisations, "query": query})


def organisation_detail(request: AuthedRequest, public_id) -> HttpResponse:
    organisation = selectors.organisation_get_for(request.user, public_id)
    members = None
    if policy.has_permission(request.user, Permission.USER_MANAGE):
        members = organisation.memberships.select_related("user").order_by("user__username")
    return render(request, "accounts/organisation_detail.html", {"organisation": organisation, "members": members})


def user_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/user_list.html", {"users": selectors.user_list_for(request.user)})


@require_http_methods(["GET", "POST"])
def user_create(request: AuthedRequest) -> HttpResponse:
    selectors.user_list_for(request.user)  # function-level check before showing the form
    form = UserCreateForm(request.POST or None, organisations=selectors.organisation_list_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                organisation=form.cleaned_data["organisation"],
                role=Role(form.cleaned_data["role"]),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Account %(username)s created.") % {"username": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_create.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def user_set_active(request: AuthedRequest, pk: int) -> HttpResponse:
    target = selectors.user_get_for(request.user, pk)
    is_active = request.POST.get("is_active") == "1"
    services.user_set_active(actor=request.user, user=target, is_active=is_active)
    if is_active:
        messages.success(request, _("%(username)s can sign in again.") % {"username": target.username})
    else:
        messages.success(request, _("%(username)s is disabled and signed out.") % {"username": target.username})
    return redirect("accounts:user_list")


@require_http_methods(["GET", "POST"])
def organisation_create(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.ORGANISATION_MANAGE, object_type="accounts.organisation")
    form = OrganisationForm(request.POST or None, initial={"country": settings.SETU_NODE})
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items()}
        try:
            organisation = services.organisation_create(actor=request.user, **fields)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Organisation %(name)s added.") % {"name": organisation.name})
            return redirect("accounts:organisation_detail", public_id=organisation.public_id)
    return render(request, "accounts/organisation_form.html", {"form": form}, status=400 if form.errors else 200)
