"""Value lists of survivor cases, HTCDS v2.0 where HTCDS defines them (reference/domain.md §5.1)."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class CaseStatus(models.TextChoices):
    """HTCDS cas_Status, plus `on_hold` (the SOP clock stops while a case waits, e.g. for a court)."""

    ACTIVE = "Active", _("Active")
    ON_HOLD = "OnHold", _("On hold")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed, referred")


OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP)


class CasePath(models.TextChoices):
    """Whether the survivor goes home across the border or within this country (an SOP exit condition)."""

    CROSS_BORDER = "cross_border", _("Across the border")
    DOMESTIC = "domestic", _("Within this country")


class TraffickingStatus(models.TextChoices):  # HTCDS vic_TraffickingStatus
    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class DecisionMakingOrg(models.TextChoices):  # HTCDS vic_TraffickingStatusDecisionMakingOrg
    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT = "CourtOrProsecution", _("Court or prosecution")
    GOVERNMENT = "NonPoliceGovernmentalOrganization", _("Government body other than police")
    OTHER = "Other", _("Other")


class ExploitationType(models.TextChoices):  # HTCDS vic_TypeOfExploitation
    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military service by non-state actors")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    OTHER = "Other", _("Other")


class ControlMethod(models.TextChoices):  # HTCDS vic_MethodsOfControl
    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of the police")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threats against children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts access to money")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Drugs or alcohol")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class PerpetratorRole(models.TextChoices):  # HTCDS per_RoleInProcess
    TRAVELLING_PARTNER = "TravellingPartner", _("Travelling partner")
    TRANSPORTER = "Transporter", _("Transporter")
    RECRUITER = "RecruiterOrIntermediary", _("Recruiter or intermediary")
    BROKER = "BrokerTravelAgent", _("Broker or travel agent")
    TRANSFERRED = "TransferredIndividual", _("Transferred the person")
    HARBOURED = "HarbouredIndividual", _("Harboured the person")
    SOLD = "SoldIndividual", _("Sold the person")
    BOUGHT = "BoughtIndividual", _("Bought the person")
    RECEIVED = "ReceivedIndividual", _("Received the person")
    CONTROLLED = "ControlledIndividual", _("Controlled the person")
    SMUGGLER = "Smuggler", _("Smuggler")
    ABUSER = "Abuser", _("Abuser")
    KIDNAPPER = "Kidnapper", _("Kidnapper")
    EXPLOITER = "Exploiter", _("Exploiter")
    OTHER = "Other", _("Other")


class RelatedRole(models.TextChoices):
    GUARDIAN = "guardian", _("Guardian")
    PARENT = "parent", _("Parent")
    SPOUSE = "spouse", _("Husband or wife")
    SIBLING = "sibling", _("Brother or sister")
    RELATIVE = "relative", _("Other relative")
    SUSPECT = "suspect", _("Suspect")
    WITNESS = "witness", _("Witness")


class EventType(models.TextChoices):  # HTCDS hte_Type
    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class ClosureReason(models.TextChoices):
    """Why a case was closed (HTCDS cas_ReasonForCaseClosure is free text there; these are the usual ones)."""

    REINTEGRATED = "reintegrated", _("Reintegrated: follow-up complete")
    REFERRED = "referred", _("Referred to another organisation")
    REPATRIATED = "repatriated", _("Repatriated: the case went to her country's node")
    NOT_A_VICTIM = "not_a_victim", _("Found not to be a victim")
    DECLINED = "declined", _("Survivor declined further support")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class DecisionKind(models.TextChoices):
    """Decisions are first-class records (DESIGN.md "Decisions"); see setu.cases.vocabulary.DECISION_KINDS."""

    VICTIM_DETERMINATION = "victim_determination", _("Victim determination")
    AGE_ASSESSMENT = "age_assessment", _("Age assessment")
    NATIONALITY_VERIFICATION = "nationality_verification", _("Nationality verification")
    BEST_INTEREST_ASSESSMENT = "best_interest_assessment", _("Best-interest / safety-of-return assessment")
    REPATRIATION_ORDER = "repatriation_order", _("Repatriation order")
    COMPENSATION_ORDER = "compensation_order", _("Compensation order")


# The safety-of-return questions a best-interest assessment answers (reference/domain.md §1.2, [S 30]).
BEST_INTEREST_QUESTIONS: tuple[tuple[str, StrOrPromise], ...] = (
    ("guardian_knew_destination", _("Did the guardian know where she was going?")),
    ("family_pressure_for_broker", _("Is the family under pressure to accept the broker?")),
    ("risk_of_being_sent_again", _("Will anyone try to send her again?")),
    ("feels_safe_with_guardian", _("Does she feel safe with her guardian?")),
    ("abuse_at_home", _("Is there sexual, physical or emotional abuse at home?")),
    ("guardian_alcohol_or_drugs", _("Does the guardian use alcohol or drugs?")),
    ("family_economic_hardship", _("Is the family in economic hardship?")),
    ("suicidal_thoughts", _("Has she had suicidal thoughts?")),
    ("evidence_family_sold_her", _("Is there evidence that the guardians sold her?")),
)


class ConsentPurpose(models.TextChoices):
    CARE = "care", _("Care and services")
    SHARING = "sharing_with_other_country", _("Sharing with the other country")
    PROSECUTION = "prosecution", _("Prosecution")
    FAMILY_CONTACT = "family_contact", _("Contacting the family")
    STATISTICS = "statistics", _("Statistics and research")


class ConsentGiver(models.TextChoices):
    SURVIVOR = "survivor", _("The survivor")
    GUARDIAN = "guardian", _("A parent or lawful guardian")
    LEGAL_BASIS = "legal_basis", _("Not consent: a legal basis (e.g. a CWC order)")


# HTCDS con_ consent checklist (reference/domain.md §5.1): every item is confirmed when consent is given.
CONSENT_CHECKLIST: tuple[tuple[str, StrOrPromise], ...] = (
    ("assent_to_interview", _("Consent or assent to be interviewed")),
    ("informed_of_purpose", _("Informed of the purpose")),
    ("informed_of_data_use", _("Informed of how the data is and may be used")),
    ("informed_of_research_use", _("Informed of non-identifying research use")),
    ("right_to_own_data", _("Told of the right to ask for her own data")),
    ("retention_period", _("Told how long the data is kept")),
    ("how_to_withdraw", _("Told how to withdraw consent")),
)


class DocumentType(models.TextChoices):
    FIR = "fir", _("First information report (FIR)")
    RESCUE_MEMO = "rescue_memo", _("Rescue memo")
    CWC_ORDER = "cwc_order", _("CWC order")
    SOCIAL_INVESTIGATION = "social_investigation", _("Social investigation report")
    HOME_STUDY = "home_study", _("Home study / home verification report")
    AGE_ASSESSMENT = "age_assessment", _("Age assessment report")
    CLEARANCE_LETTER = "clearance_letter", _("Clearance letter (MHA / ministry / embassy)")
    ESCORT_ORDER = "escort_order", _("Escort order")
    HANDOVER_MEMO = "handover_memo", _("Handover memo")
    CERTIFIED_STATEMENT = "certified_statement", _("Court-certified statement")
    SUPPORT_PLAN = "support_plan", _("Support plan")
    FOLLOW_UP_REPORT = "follow_up_report", _("Follow-up report")
    MEDICAL_REPORT = "medical_report", _("Medical report")
    OTHER = "other", _("Other")


class AssessmentKind(models.TextChoices):
    NEEDS = "needs", _("Needs")
    RISK = "risk", _("Risk and safety")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    FAMILY = "family", _("Family and household")


class SupportType(models.TextChoices):  # HTCDS spl_Type
    EDUCATION = "Education", _("Education")
    FINANCIAL = "Financial", _("Financial")
    HEALTH = "Health", _("Health")
    LABOUR_REHABILITATION = "LabourExploitationRehabilitation", _("Rehabilitation after labour exploitation")
    LEGAL = "Legal", _("Legal")
    LIVELIHOOD = "Livelihood", _("Livelihood")
    RIGHTS_TRAINING = "RightsBasedTraining", _("Rights-based training")
    SEXUAL_REHABILITATION = "SexualExploitationRehabilitation", _("Rehabilitation after sexual exploitation")
    SOCIAL_CARE = "SocialCare", _("Social care")


class SensitiveKind(models.TextChoices):
    """Kept encrypted at rest and shown only to the case team and supervisors (DESIGN.md "Privacy")."""

    TESTIMONY = "testimony", _("Testimony")
    HEALTH = "health", _("Health")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Details of sexual exploitation")


class TaskKind(models.TextChoices):
    ESCALATION = "escalation", _("Deadline passed")
    TRANSFER = "transfer", _("Transfer to accept or refuse")
    EXCHANGE = "exchange", _("Message from the other country")
