"""Pages of interceptions: the list, recording one at the desk (with repeat detection as names are typed and a
draft kept in the browser), the record's page (score, repeats, calls, outcome) and its small forms (screen
again, add a person or a companion, log a family call, decide the outcome and refer to the police).

Views only translate HTTP: parse the form, call one service or selector, render. A refusal re-renders the
form with the service's words next to the fields, with status 400, and saves nothing. Others' records are
the same 404 as missing ones (selectors.interception_get_for)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.services import audit_record
from setu.cases.choices import PerpetratorRole
from setu.core.http import AuthedRequest, is_partial
from setu.interceptions import screening, selectors, services
from setu.interceptions.forms import (
    COUNTRY_SUGGESTIONS,
    AddCompanionForm,
    AddPersonForm,
    DecideForm,
    FamilyCallForm,
    InterceptionFilterForm,
    InterceptionRecordForm,
    ScreenForm,
    language,
)
from setu.interceptions.models import Checklist, Document, Interception
from setu.people import selectors as people_selectors

OBJECT_TYPE = "interceptions.interception"
PAGE_SIZE = 25
OTHER_RECORDS_SHOWN = 5
_DRAFT_TOKEN = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_ROW = re.compile(r"^[pc][0-9]$")


def _detail_url(interception: Interception, anchor: str = "") -> str:
    url = reverse("interceptions:detail", args=[interception.public_id])
    return f"{url}#{anchor}" if anchor else url


def _draft_token(value: str) -> str:
    """The browser's draft id, echoed back after the save so that the page can drop that draft (and no other)."""
    value = (value or "").strip()
    return value if _DRAFT_TOKEN.match(value) else ""


# --- the screening, in words -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Driver:
    key: str
    name: str
    weight: int
    group: str


@dataclass(frozen=True)
class ScreeningView:
    version: str
    title: str
    points: int
    level: str
    level_name: str
    drivers: list[Driver]  # heaviest first


def _level_name(checklist: screening.Checklist, level: str) -> str:
    lang = language()
    for band in checklist.bands:
        if band.level == level:
            return band.names.get(lang) or band.names.get("en") or level
    return level


def screening_view(interception: Interception) -> ScreeningView:
    """The score as the record's own checklist version gave it: the flags that drove it, heaviest first."""
    checklist = services.parsed(interception.checklist)
    lang = language()
    drivers = []
    for key in interception.flags:
        flag = checklist.flags.get(key)
        if flag is None:  # not expected: a record's flags come from its own version
            continue
        group = checklist.groups.get(flag.group, {})
        drivers.append(Driver(key, flag.name(lang), flag.weight, group.get(lang) or group.get("en") or flag.group))
    drivers.sort(key=lambda driver: (-driver.weight, driver.key))
    return ScreeningView(
        version=interception.checklist.version, title=checklist.title, points=interception.score,
        level=interception.risk_level, level_name=_level_name(checklist, interception.risk_level), drivers=drivers,
    )  # fmt: skip


def _level_names(rows: Sequence[Interception]) -> dict[tuple[int, str], str]:
    """(checklist, level) -> the level's name in the user's language, for a page of rows (one query)."""
    wanted = {row.checklist_id for row in rows}
    names: dict[tuple[int, str], str] = {}
    for checklist in Checklist.objects.filter(pk__in=sorted(wanted)):
        parsed = services.parsed(checklist)
        for band in parsed.bands:
            names[(checklist.pk, band.level)] = _level_name(parsed, band.level)
    return names


# --- the list ----------------------------------------------------------------------------------------------


@require_GET
def interception_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.INTERCEPTION_VIEW, object_type=OBJECT_TYPE)
    form = InterceptionFilterForm(request.GET, user=request.user)
    rows = selectors.interception_list_for(request.user, **form.filters()).annotate(persons_count=Count("persons"))
    rows = rows.order_by("-intercepted_at", "-id")  # an aggregate drops the default ordering
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page)
    levels = _level_names(items)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form, "page": page, "query_string": query_string.urlencode(),
        "rows": [(row, levels.get((row.checklist_id, row.risk_level), row.risk_level)) for row in items],
    }  # fmt: skip
    template = "interceptions/_results.html" if is_partial(request) else "interceptions/interception_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- recording ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def interception_record(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.INTERCEPTION_RECORD, object_type=OBJECT_TYPE)
    checklist = services.checklist_current()
    data = request.POST if request.method == "POST" else None
    form = InterceptionRecordForm(data, user=request.user, checklist=services.parsed(checklist),
                                  calendar=request.user.date_preference)  # fmt: skip
    draft = _draft_token(request.POST.get("draft", "")) if data is not None else ""
    if data is not None and form.is_valid():
        entry = form.entry()
        entry.draft_key = draft
        started = timezone.now()
        try:
            interception = services.interception_record(actor=request.user, entry=entry)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if interception.created_at < started:  # this draft was saved before; its reply had not arrived
                text = _("Interception %(number)s was already recorded from this draft; nothing was added.")
            else:
                text = _("Interception %(number)s is recorded.")
            messages.success(request, text % {"number": interception.number})
            url = _detail_url(interception)
            return redirect(f"{url}?draft={draft}" if draft else url)
    context = {"form": form, "checklist": checklist, "draft_token": draft, "countries": COUNTRY_SUGGESTIONS}
    return render(request, "interceptions/interception_form.html", context, status=400 if form.errors else 200)


def _typed_name(params: QueryDict) -> str:
    """What was typed: `q`, or the name input that triggered the request (htmx sends it as `p0-full_name`)."""
    typed = params.get("q") or next((value for key, value in params.items() if key.endswith("full_name")), "")
    return str(typed)[:100]


@require_GET
def repeats(request: AuthedRequest) -> HttpResponse:
    """Repeat detection at the desk: the earlier interceptions of the records matching a name (for a companion,
    the others he travelled with), and other records of that name to choose from. Only what the user may see."""
    policy.require(request.user, Permission.INTERCEPTION_VIEW, object_type=OBJECT_TYPE)
    query = _typed_name(request.GET).strip()
    row = request.GET.get("row", "")
    found = selectors.repeats_for_name(request.user, query) if len(query) >= 2 else []
    others = []
    if len(query) >= 2:
        seen = {item.person.pk for item in found}
        matches = people_selectors.person_results_for(request.user, query=query)[: OTHER_RECORDS_SHOWN + len(seen)]
        others = [person for person in matches if person.pk not in seen][:OTHER_RECORDS_SHOWN]
        people_selectors.person_search_audit(request.user, query=query)
    context = {
        "query": query, "found": found, "others": others, "row": row if _ROW.match(row) else "",
        "kind": "companion" if request.GET.get("kind") == "companion" else "person",
    }  # fmt: skip
    template = "interceptions/_repeats.html" if is_partial(request) else "interceptions/repeats.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- the record's page -------------------------------------------------------------------------------------


def _labels(values, choice_class) -> list[str]:
    return [str(choice_class(value).label) if value in choice_class.values else value for value in values]


@require_GET
def interception_detail(request: AuthedRequest, interception_id) -> HttpResponse:
    user = request.user
    interception = selectors.interception_get_for(user, interception_id)
    audit_record(actor=user, action="interception.view", obj=interception)
    persons = interception.persons.select_related("person", "person__home_district", "case")
    companions = interception.companions.select_related("person")
    context = {
        "interception": interception,
        "screening": screening_view(interception),
        "can_record": selectors.interception_can_record(user, interception),
        "persons": [(item, selectors.repeats_for(user, item.person, exclude=interception)) for item in persons],
        "companions": [(item, _labels(item.roles, PerpetratorRole),
                        selectors.repeats_for(user, item.person, exclude=interception)) for item in companions],
        "calls": list(interception.calls.select_related("called_by")),
        "documents": _labels(interception.documents, Document),
        "draft_done": _draft_token(request.GET.get("draft", "")),
    }  # fmt: skip
    return render(request, "interceptions/interception_detail.html", context)


# --- its small forms ---------------------------------------------------------------------------------------


def _editable(request: AuthedRequest, interception_id) -> Interception:
    """The interception, for a user who may record on it (others get the same 404 as for a missing one)."""
    return selectors.interception_get_for(request.user, interception_id, permission=Permission.INTERCEPTION_RECORD)


def _data(request: AuthedRequest):
    return request.POST if request.method == "POST" else None


def _form_page(
    request: AuthedRequest,
    interception: Interception,
    form: Any,
    call: Callable[[], object],
    *,
    template: str,
    title: Any,
    done: Callable[[], str],
    anchor: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            call()
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done())
            return redirect(_detail_url(interception, anchor))
    context = {"interception": interception, "form": form, "title": title, **(extra or {})}
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def screen(request: AuthedRequest, interception_id) -> HttpResponse:
    interception = _editable(request, interception_id)
    initial = {"flags": interception.flags, "certainty": interception.certainty}
    form = ScreenForm(_data(request), initial=initial, checklist=services.parsed(interception.checklist))
    return _form_page(
        request, interception, form,
        lambda: services.interception_screen(actor=request.user, interception=interception,
                                             flags=form.cleaned_data["flags"],
                                             certainty=form.cleaned_data["certainty"]),
        template="interceptions/screen.html", title=_("Screen again"), done=lambda: _("The screening is saved."),
        anchor="screening", extra={"version": interception.checklist.version},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def add_person(request: AuthedRequest, interception_id) -> HttpResponse:
    interception = _editable(request, interception_id)
    form = AddPersonForm(_data(request), user=request.user, repeats_url=reverse("interceptions:repeats"),
                         prefix="p0")  # fmt: skip
    return _form_page(
        request, interception, form,
        lambda: services.interception_add_person(actor=request.user, interception=interception, entry=form.entry()),
        template="interceptions/person_add.html", title=_("Add a person stopped"),
        done=lambda: _("The person is added."), anchor="persons",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def add_companion(request: AuthedRequest, interception_id) -> HttpResponse:
    interception = _editable(request, interception_id)
    form = AddCompanionForm(_data(request), user=request.user, repeats_url=reverse("interceptions:repeats"),
                            prefix="c0")  # fmt: skip
    return _form_page(
        request, interception, form,
        lambda: services.interception_add_companion(actor=request.user, interception=interception,
                                                    entry=form.entry()),
        template="interceptions/person_add.html", title=_("Add a companion or suspect"),
        done=lambda: _("The companion is added."), anchor="companions",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def family_call(request: AuthedRequest, interception_id) -> HttpResponse:
    interception = _editable(request, interception_id)
    form = FamilyCallForm(_data(request), calendar=request.user.date_preference)
    return _form_page(
        request, interception, form,
        lambda: services.family_call_record(actor=request.user, interception=interception, **form.service_kwargs()),
        template="interceptions/call_form.html", title=_("Log a call to her family"),
        done=lambda: _("The call is logged."), anchor="calls",
    )  # fmt: skip


def _decided(interception: Interception) -> str:
    cases = [item.case.number for item in interception.persons.select_related("case") if item.case is not None]
    if interception.outcome == "police" and cases:
        return _("The outcome is saved. Cases: %(numbers)s.") % {"numbers": ", ".join(cases)}
    return _("The outcome is saved.")


@require_http_methods(["GET", "POST"])
def decide(request: AuthedRequest, interception_id) -> HttpResponse:
    interception = _editable(request, interception_id)
    form = DecideForm(_data(request), interception=interception)
    return _form_page(
        request, interception, form,
        lambda: services.interception_decide(actor=request.user, interception=interception, **form.service_kwargs()),
        template="interceptions/decide.html", title=_("Decide the outcome"), done=lambda: _decided(interception),
        anchor="outcome",
    )  # fmt: skip


urlpatterns = [
    path("", interception_list, name="list"),
    path("new/", interception_record, name="record"),
    path("repeats/", repeats, name="repeats"),
    path("<uuid:interception_id>/", interception_detail, name="detail"),
    path("<uuid:interception_id>/screen/", screen, name="screen"),
    path("<uuid:interception_id>/persons/new/", add_person, name="add_person"),
    path("<uuid:interception_id>/companions/new/", add_companion, name="add_companion"),
    path("<uuid:interception_id>/calls/new/", family_call, name="call"),
    path("<uuid:interception_id>/decide/", decide, name="decide"),
]
