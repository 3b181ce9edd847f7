"""SOP versions for administrators: the list, loading a new file, and what each version changed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from setu.cases import selectors, services
from setu.core.http import AuthedRequest

MAX_SOP_BYTES = 200_000


class SopUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("SOP definition file (YAML)"))


@require_http_methods(["GET", "POST"])
def sop_versions(request: AuthedRequest) -> HttpResponse:
    versions = list(selectors.sop_version_list_for(request.user))
    form = SopUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_SOP_BYTES:
                raise ValidationError({"source": [_("The file is larger than an SOP definition can be.")]})
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValidationError({"source": [_("The file is not UTF-8 text.")]}) from exc
            loaded = services.sop_load(actor=request.user, text=text)
        except ValidationError as exc:
            problems = exc.message_dict.get("source", exc.messages)
        else:
            messages.success(request, _("SOP %(version)s is now used for new cases.") % {"version": loaded.version})
            return redirect("cases:sop_versions")
    changes = [
        (version, selectors.sop_changes(versions[index + 1] if index + 1 < len(versions) else None, version))
        for index, version in enumerate(versions)
    ]
    status = 400 if (form.errors or problems) else 200
    return render(
        request, "cases/sop_versions.html", {"changes": changes, "form": form, "problems": problems}, status=status
    )
