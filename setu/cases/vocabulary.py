"""Value lists of the cases app that the SOP definition refers to. Pure: no Django import."""

from setu.accounts.roles import Role

# Decisions are first-class records (DESIGN.md "Decisions"); an SOP may require any of these kinds.
DECISION_KINDS = frozenset(
    {
        "victim_determination",
        "age_assessment",
        "nationality_verification",
        "best_interest_assessment",
        "repatriation_order",
        "compensation_order",
    }
)
ROLES = frozenset(role.value for role in Role)
