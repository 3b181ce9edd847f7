"""Forms of the import pages: the upload, the column mapping (one choice per column of the sheet), and the
confirmation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.imports import kinds
from setu.imports.models import Kind
from setu.imports.services import MAX_UPLOAD


class UploadForm(forms.Form):
    source = forms.CharField(label=_("Source"), max_length=120,
                             widget=forms.TextInput(attrs={"list": "import-sources", "autocomplete": "off"}),
                             help_text=_("The register or sheet it comes from, e.g. “Helpline register 2080”. Its "
                                         "column choices are remembered for the next file."))  # fmt: skip
    kind = forms.ChoiceField(label=_("The sheet holds"), choices=Kind.choices)
    file = forms.FileField(label=_("File (CSV or XLSX)"),
                           help_text=_("Save Nepali text as Unicode (CSV UTF-8 or XLSX); old Preeti-font sheets "
                                       "are detected and must be converted first."))  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD // 2**20})
        return upload


class MappingForm(forms.Form):
    """One select per column of the sheet: a field of the kind, or “do not import”; none left unchosen."""

    def __init__(self, *args, kind: str, header: list[str], initial_mapping: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, object]] = [("", _("— choose —")), (kinds.IGNORE, _("Do not import this column"))]
        choices += [(f.key, f"{f.label}{' *' if f.required else ''}") for f in kinds.fields_of(kind)]
        self.columns: list[tuple[str, str]] = []
        for index, name in enumerate(header):
            if not name:
                continue
            key = f"column_{index}"
            self.fields[key] = forms.ChoiceField(label=name, choices=choices, required=True,
                                                 initial=initial_mapping.get(name, ""))  # fmt: skip
            self.columns.append((key, name))

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data[key] for key, name in self.columns}


class ConfirmForm(forms.Form):
    skip_duplicates = forms.BooleanField(
        label=_("Leave out the rows that are probably someone already on record or an earlier row"), required=False
    )
