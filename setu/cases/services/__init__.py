"""Writes of the cases app: atomic, access-checked, audited, and under the SOP the case was opened with.

Every function takes the acting user first (`actor=`), checks access through `setu.accounts.policy`, runs
in one transaction, writes the case's timeline and an audit event (field names, never values), and refuses
with a reason and no change at all when the SOP, consent or a concurrent edit says no:
- `SopRefusalError` (a ValidationError): the SOP does not allow the step now, with every reason;
- `ConsentMissingError` (a ValidationError): the purpose has neither live consent nor a recorded legal basis;
- `CaseConflictError`: someone else changed the case since the form was opened (revision mismatch).

The functions live in modules by subdomain (sop, lifecycle, records, care, sensitive); import them from here.
"""

from setu.cases.services.care import (
    assessment_add,
    follow_up_record,
    follow_up_schedule,
    related_person_add,
    service_record,
    support_plan_add,
    support_plan_end,
    trafficking_event_add,
)
from setu.cases.services.common import (
    case_clock,
    case_facts,
    event_text,
    require_purpose,
    set_due,
    task_text,
)
from setu.cases.services.errors import (
    CaseConflictError,
    ConsentMissingError,
    SopRefusalError,
)
from setu.cases.services.lifecycle import (
    case_act,
    case_available,
    case_follow_peer,
    case_hold,
    case_open,
    case_reopen,
    case_resume,
    case_set_team,
    case_transfer_answer,
    case_transfer_request,
    case_update,
)
from setu.cases.services.records import (
    ANSWERS,
    DOCUMENT_TYPES,
    consent_give,
    consent_withdraw,
    decision_record,
    document_add,
)
from setu.cases.services.sensitive import (
    may_read_sensitive,
    sensitive_note_add,
    sensitive_notes_read,
    sensitive_rotate,
)
from setu.cases.services.sop import (
    CLI_ACTOR,
    definition_of,
    sop_load,
    sop_parse,
    stage_name,
)

__all__ = [
    "ANSWERS",
    "CLI_ACTOR",
    "CaseConflictError",
    "ConsentMissingError",
    "DOCUMENT_TYPES",
    "SopRefusalError",
    "assessment_add",
    "case_act",
    "case_follow_peer",
    "case_available",
    "case_clock",
    "case_facts",
    "case_hold",
    "case_open",
    "case_reopen",
    "case_resume",
    "case_set_team",
    "case_transfer_answer",
    "case_transfer_request",
    "case_update",
    "consent_give",
    "consent_withdraw",
    "decision_record",
    "definition_of",
    "document_add",
    "event_text",
    "follow_up_record",
    "follow_up_schedule",
    "may_read_sensitive",
    "related_person_add",
    "require_purpose",
    "sensitive_note_add",
    "sensitive_notes_read",
    "sensitive_rotate",
    "set_due",
    "service_record",
    "sop_load",
    "sop_parse",
    "stage_name",
    "support_plan_add",
    "support_plan_end",
    "task_text",
    "trafficking_event_add",
]
