"""The red-flag checklist's versions, for administrators: see each version's flags, load a new one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.interceptions import screening
from setu.interceptions.models import Checklist
from setu.interceptions.services import checklist_current, checklist_load, parsed

MAX_CHECKLIST_BYTES = 200_000


class ChecklistUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Checklist file (YAML)"))


def _language() -> str:
    code = (get_language() or "en")[:2]
    return code if code in screening.LANGUAGES else "en"


@require_http_methods(["GET", "POST"])
def checklist_versions(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, Permission.SOP_MANAGE, object_type="interceptions.checklist")
    checklist_current()  # the shipped version is there before anyone screens with it
    form = ChecklistUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_CHECKLIST_BYTES:
                raise screening.ChecklistError([_("The file is larger than a checklist can be.")])
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise screening.ChecklistError([_("The file is not UTF-8 text.")]) from exc
            loaded = checklist_load(actor=request.user, text=text)
        except screening.ChecklistError as exc:
            problems = exc.problems
        else:
            text = _(
                "Checklist %(version)s is now used for new interceptions; earlier records keep the version "
                "they were screened with."
            )
            messages.success(request, text % {"version": loaded.version})
            return redirect("interceptions:checklists")
    versions = list(Checklist.objects.select_related("loaded_by"))
    language = _language()
    shown = []
    for index, version in enumerate(versions):
        current = parsed(version)
        older = parsed(versions[index + 1]) if index + 1 < len(versions) else None
        groups = [(current.groups[group].get(language) or current.groups[group]["en"],
                   [(flag.name(language), flag.weight, flag.source) for flag in flags])
                  for group, flags in current.by_group().items()]  # fmt: skip
        bands = [(band.names.get(language, band.level), band.min) for band in current.bands]
        shown.append({"version": version, "groups": groups, "changes": screening.changes(older, current),
                      "bands": bands})  # fmt: skip
    status = 400 if (form.errors or problems) else 200
    return render(request, "interceptions/checklist_versions.html",
                  {"versions": shown, "form": form, "problems": problems}, status=status)  # fmt: skip


urlpatterns = [path("checklists/", checklist_versions, name="checklists")]
