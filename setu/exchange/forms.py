"""Forms of the exchange administration pages: registering a peer, and filtering the message queues."""

from __future__ import annotations

import json
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from setu.people.forms import ServiceErrorsMixin

MAX_KEYSET_CHARS = 20_000


class PeerForm(ServiceErrorsMixin, forms.Form):
    """A peer's code, address and published key set; `setu.exchange.services.peer_add` checks them whole."""

    code = forms.CharField(
        label=_("Country code of the peer node"), max_length=2, min_length=2,
        help_text=_("Two letters, e.g. IN or NP."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )  # fmt: skip
    base_url = forms.CharField(
        label=_("Address of the peer node"), max_length=300,
        help_text=_("Where its exchange answers, e.g. https://setu.example.in."),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
    keyset = forms.CharField(
        label=_("Its public key set (JSON)"), max_length=MAX_KEYSET_CHARS,
        help_text=_("Paste exactly what “setu node show --json” prints on the peer's node. Public keys only: "
                    "never paste a private key."),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
    )  # fmt: skip

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_base_url(self) -> str:
        return self.cleaned_data["base_url"].strip()

    def clean_keyset(self) -> dict:
        text = self.cleaned_data["keyset"]
        try:
            keyset = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("This is not valid JSON (%(problem)s at line %(line)s, column %(column)s). Copy the whole "
                  "output of “setu node show --json”, from the first { to the last }."),
                params={"problem": exc.msg, "line": exc.lineno, "column": exc.colno}, code="json",
            ) from exc  # fmt: skip
        if not isinstance(keyset, dict) or not isinstance(keyset.get("keys"), list):
            raise ValidationError(
                _('The key set must be a JSON object with a "keys" list, as “setu node show --json” prints it.'),
                code="shape",
            )
        return keyset

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("code", "base_url", "keyset")}


# What the messages page lists: one direction and state at a time (the counts above it show them all).
SHOW_CHOICES = [
    ("out-pending", pgettext_lazy("outbox filter", "Sent: waiting (all)")),
    ("out-new", pgettext_lazy("outbox filter", "Sent: waiting, not tried yet")),
    ("out-retrying", pgettext_lazy("outbox filter", "Sent: waiting, retrying")),
    ("out-rejected", pgettext_lazy("outbox filter", "Sent: failed (refused)")),
    ("out-delivered", pgettext_lazy("outbox filter", "Sent: delivered")),
    ("in-applied", pgettext_lazy("inbox filter", "Received: applied")),
    ("in-parked", pgettext_lazy("inbox filter", "Received: parked")),
    ("in-rejected", pgettext_lazy("inbox filter", "Received: refused")),
]
DEFAULT_SHOW = "out-pending"


class MessageFilterForm(forms.Form):
    show = forms.ChoiceField(label=pgettext_lazy("which messages", "Show"), choices=SHOW_CHOICES, required=False)
    peer = forms.ChoiceField(label=_("Peer node"), required=False)

    def __init__(self, *args, peer_codes: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        peers = [("", _("All peers")), *((code, code) for code in peer_codes)]
        cast(forms.ChoiceField, self.fields["peer"]).choices = peers

    def filters(self) -> tuple[str, str]:
        """(show, peer code); anything unknown falls back to the default list, all peers."""
        if not self.is_valid():
            return DEFAULT_SHOW, ""
        return self.cleaned_data["show"] or DEFAULT_SHOW, self.cleaned_data["peer"]
