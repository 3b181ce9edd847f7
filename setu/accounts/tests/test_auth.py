"""Signing in and out, throttling, session lifetime (reference/security.md §4.3 "Brute force", "Sessions")."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from setu.accounts import services
from setu.accounts.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from setu.accounts.tests.factories import TEST_PASSWORD
from setu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_pages_require_sign_in():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_api_requires_authentication():
    assert Client().get("/api/v1/me/").status_code in (401, 403)


def test_health_and_schema_are_public():
    client = Client()
    assert client.get("/health/").json() == {"status": "ok"}
    assert client.get("/api/v1/schema/").status_code == 200


def test_caseworker_signs_in_and_the_login_is_audited(np_caseworker):
    client = Client()
    response = _login(client, "np_caseworker")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor_username="np_caseworker").exists()


def _comparable(page: bytes, username: str) -> str:
    """The page without what legitimately differs per request: the CSRF token and the echoed username."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", page.decode()).replace(username, "X")


def test_unknown_user_and_wrong_password_get_the_same_answer(np_caseworker):
    wrong = _login(Client(), "np_caseworker", "not the password")
    unknown = _login(Client(), "nobody_here", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert b"do not match an active account" in wrong.content
    assert _comparable(wrong.content, "np_caseworker") == _comparable(unknown.content, "nobody_here")
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() == 2
    assert set(failed.values_list("outcome", flat=True)) == {"failed"}


def test_ten_failures_lock_the_account_even_with_the_right_password(np_caseworker, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "np_caseworker", "wrong password")
    response = _login(Client(REMOTE_ADDR="10.9.9.9"), "np_caseworker")
    assert response.status_code == 429
    assert b"paused" in response.content


def test_logout_kills_the_session_and_the_old_cookie(np_caseworker):
    client = Client()
    _login(client, "np_caseworker")
    old_cookie = client.cookies[client.session.session_key and "setu_np_session"].value
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=old_cookie).exists()
    replay = Client()
    replay.cookies["setu_np_session"] = old_cookie
    assert replay.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor_username="np_caseworker").exists()


def test_logout_by_get_is_refused(np_caseworker):
    client = Client()
    _login(client, "np_caseworker")
    assert client.get("/accounts/logout/").status_code == 405


def test_signed_in_pages_are_not_cached(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    response = client.get("/")
    assert response["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def _age_session(client: Client, *, started_ago: float, seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[SESSION_STARTED_KEY] = now - started_ago
    session[SESSION_SEEN_KEY] = now - seen_ago
    session.save()


def test_session_ends_after_fifteen_idle_minutes(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    _age_session(client, started_ago=16 * 60, seen_ago=16 * 60)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_activity_keeps_the_session_alive(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    _age_session(client, started_ago=60 * 60, seen_ago=14 * 60)
    assert client.get("/").status_code == 200


def test_session_ends_after_twelve_hours_however_active(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    _age_session(client, started_ago=12 * 3600 + 5, seen_ago=10)
    assert client.get("/").status_code == 302


def test_api_session_that_expired_gets_401_json(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    _age_session(client, started_ago=13 * 3600, seen_ago=10)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "session has ended" in response.json()["detail"]


def test_deactivating_a_user_ends_their_sessions_at_once(np_caseworker, np_admin):
    client = Client()
    client.force_login(np_caseworker)
    assert client.get("/").status_code == 200
    services.user_set_active(actor=np_admin, user=np_caseworker, is_active=False)
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(np_caseworker.pk)).exists()


def test_only_administrators_may_deactivate_users(np_caseworker, np_police):
    from django.http import Http404

    with pytest.raises(Http404):
        services.user_set_active(actor=np_police, user=np_caseworker, is_active=False)
    np_caseworker.refresh_from_db()
    assert np_caseworker.is_active


def test_preferences_switch_language_and_calendar(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    response = client.post(
        reverse("accounts:preferences"), {"preferred_language": "ne", "date_preference": "BS"}, follow=True
    )
    assert response.status_code == 200
    np_caseworker.refresh_from_db()
    assert (np_caseworker.preferred_language, np_caseworker.date_preference) == ("ne", "BS")
    event = AuditEvent.objects.get(action="user.update_preferences")
    assert event.fields == ["date_preference", "preferred_language"]


def test_bad_preferences_change_nothing(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    response = client.post(reverse("accounts:preferences"), {"preferred_language": "xx", "date_preference": "BS"})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    np_caseworker.refresh_from_db()
    assert np_caseworker.date_preference == "AD"


def test_language_switch_translates_the_chrome(np_caseworker):
    client = Client()
    client.force_login(np_caseworker)
    client.post("/i18n/setlang/", {"language": "ne", "next": "/"})
    response = client.get("/")
    assert 'lang="ne"' in response.content.decode()
