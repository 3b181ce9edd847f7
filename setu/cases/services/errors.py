"""The refusals of the case services: each means nothing was changed."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from setu.cases import choices
from setu.cases.models import (
    Case,
)
from setu.cases.services.sop import (
    stage_name,
)

# --- refusals ------------------------------------------------------------------------------------------------


class SopRefusalError(ValidationError):
    """The SOP does not allow this step now; `reasons` says every reason, and nothing was changed."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = list(reasons)
        super().__init__({"action": self.reasons}, code="sop")


class ConsentMissingError(ValidationError):
    """The action's purpose has neither live consent nor a recorded legal basis; nothing was changed."""

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose
        label = choices.ConsentPurpose(purpose).label
        super().__init__(
            {
                "consent": [
                    _(
                        "This needs consent (or a recorded legal basis) for the purpose “%(purpose)s”, and the case "
                        "has none in force. Record it under Consent first; nothing was changed."
                    )
                    % {"purpose": label}
                ]
            },
            code="consent",
        )


class CaseConflictError(Exception):
    """Someone else changed the case after the form was opened; nothing was changed."""

    def __init__(self, case: Case) -> None:
        self.case = case
        super().__init__(
            _(
                "Someone else changed case %(number)s while you were working on it (it is now at “%(stage)s”). "
                "Reload the case and try again; nothing was changed."
            )
            % {"number": case.number, "stage": stage_name(case)}
        )
