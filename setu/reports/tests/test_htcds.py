"""The HTCDS case export's shape against the standard's field lists (reference/domain.md §5.1), and its values
mapped from Setu's cases, persons and organisations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from setu.cases import services
from setu.cases.models import Case
from setu.cases.tests.factories import legal_basis, open_case
from setu.people.models import PhoneNumber
from setu.people.tests.factories import PersonFactory
from setu.reports import htcds

pytestmark = pytest.mark.django_db

# The HTCDS v2.0 field lists as reference/domain.md §5.1 gives them, group by group.
HTCDS_PRS = ("Salutation FirstName MiddleName SecondName Birthdate Gender Deceased MaritalStatus NumberOfChildren "
             "PrimaryLanguage SecondaryLanguage HighestLevelOfEducation Citizenship IdentityNumber Title Email "
             "HomePhone MobilePhone MailingCity MailingCountry MailingState MailingStreet MailingPostalCode "
             "MailingLongitude MailingLatitude")  # fmt: skip
HTCDS_VIC = (
    "TraffickingStatus TraffickingStatusDecisionMakingOrg RelationshipToTrafficker AgeWhenTrafficked "
    "RecruitmentWebsitesAndApps MethodOfRecruitment LocationOfRecruitment MethodsOfControl TypeOfExploitation "
    "ForcedLabourIndustry TypeOfSexExploitation LocationOfExploitation ExploitationWebsitesAndApps"
)
HTCDS_CAS = (
    "Status ReasonForCaseClosure CaseOwner ReferringOrganisation IncomingReferralDate "
    "ReferringPrimaryCaseWorker ReasonForIncomingReferral IncomingReferralDetails ReferredOrganisation "
    "ReferredPrimaryCaseWorker ReasonForOutgoingReferral OutgoingReferralDate OutgoingReferralDetails"
)
HTCDS_ORG = ("Name ShippingCity ShippingCountry ShippingState ShippingStreet ShippingPostalCode ShippingLongitude "
             "ShippingLatitude Phone Type")  # fmt: skip
HTCDS_HTE = "Longitude Latitude City Country State Street PostalCode Date Type Description"
HTCDS_PER = "RoleInProcess RoleDetails"
HTCDS_SPL = "Objectives ActionPlan PlannedEndDate ActualEndDate Type"

HTCDS_ENUMS = {
    "prs_Gender": {"Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine", "NonConforming",
                   "NonSpecifiedUnknown"},
    "cas_Status": {"Active", "FollowUp", "Closed", "ClosedReferred"},
    "vic_TraffickingStatus": {"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"},
    "org_Type": {"NGO", "LawEnforcement", "HealthServiceOrganisation", "CentralGovernmentOrganisation",
                 "LocalGovernmentOrganisation", "ImmigrationService", "LegalService", "CorporateBusiness",
                 "SchoolOrCollege"},
}  # fmt: skip


def _names(prefix: str, words: str) -> list[str]:
    return [f"{prefix}{word}" for word in words.split()]


def test_the_row_has_every_htcds_field_of_its_groups_and_nothing_else():
    fields = htcds.row_fields()
    standard = [name for name in fields if not name.startswith("setu_")]
    assert sorted(standard) == sorted(_names("cas_", HTCDS_CAS) + _names("prs_", HTCDS_PRS)
                                      + _names("vic_", HTCDS_VIC) + _names("org_", HTCDS_ORG))  # fmt: skip
    assert len(fields) == len(set(fields))
    assert [name for name in fields if name.startswith("setu_")] == ["setu_CaseNumber"]


def test_the_lists_have_their_htcds_fields():
    assert sorted(htcds.list_fields("historic_trafficking_events")) == sorted(_names("hte_", HTCDS_HTE))
    assert sorted(htcds.list_fields("perpetrators")) == sorted(_names("per_", HTCDS_PER))
    assert sorted(htcds.list_fields("support_plans")) == sorted(_names("spl_", HTCDS_SPL))


def test_a_field_is_computed_exactly_when_the_field_list_names_its_source():
    mapped_row_fields = htcds.mapped_fields() & set(htcds.row_fields())
    assert set(htcds.GETTERS) == mapped_row_fields
    # Fields Setu does not record stay blank, as the field list says.
    assert "prs_MaritalStatus" not in htcds.mapped_fields() and "vic_MethodOfRecruitment" not in htcds.mapped_fields()


@pytest.fixture
def full_case(np_caseworker, morang, np_transit_home):
    survivor = PersonFactory(full_name="सीता तामाङ", given_name="सीता", family_name="तामाङ", gender="Feminine",
                             nationality="NP", languages=["taj", "ne"], birth_date=dt.date(2008, 3, 1),
                             birth_precision="exact", organisation=np_transit_home, location_district=morang,
                             home_district=morang, home_address="Tole 4")  # fmt: skip
    PhoneNumber.objects.create(person=survivor, number="+9779841234567", kind="mobile")
    case = open_case(np_caseworker, district=morang, survivor=survivor, age=17,
                     exploitation_types=["SexualExploitation", "ForcedLabour"], control_methods=["DebtBondage"],
                     recruitment_place="Bus park", recruitment_district=morang, exploitation_place="Kamathipura",
                     exploitation_country="IN", trafficking_status="ActualVictimOfTrafficking")  # fmt: skip
    services.trafficking_event_add(actor=np_caseworker, case=case, kind="Recruitment", date=dt.date(2024, 6, 1),
                                   place="Itahari", country="NP", description="Offered a job")  # fmt: skip
    suspect = PersonFactory(full_name="Ram Dalal", organisation=np_transit_home, location_district=morang)
    services.related_person_add(actor=np_caseworker, case=case, person=suspect, role="suspect",
                                perpetrator_roles=["RecruiterOrIntermediary"], details="Promised work")  # fmt: skip
    legal_basis(np_caseworker, case, "care")
    services.support_plan_add(actor=np_caseworker, case=case, plan_type="Education", objectives="Back to school",
                              starts_on=timezone.localdate())  # fmt: skip
    services.decision_record(actor=np_caseworker, case=case, kind="victim_determination", favourable=True,
                             outcome="Victim", decider_name="Insp. Rai", decided_on=timezone.localdate(),
                             basis="Statement", survivor_view="Agrees", decision_org_type="Police")  # fmt: skip
    case.refresh_from_db()
    return services.case_hold(actor=np_caseworker, case=case, reason="Court date", revision=case.revision)


def _exported(case: Case) -> dict:
    return htcds.json_record(next(htcds.iterate(Case.objects.filter(pk=case.pk))))


def test_values_are_mapped_to_htcds(full_case):
    record = _exported(full_case)
    assert record["setu_CaseNumber"] == full_case.number
    assert record["cas_Status"] == "Active"  # on hold is not an HTCDS status
    assert record["prs_FirstName"] == "सीता" and record["prs_SecondName"] == "तामाङ"
    assert record["prs_Gender"] == "Feminine"
    assert record["prs_Birthdate"] == "2008-03-01"
    assert record["prs_Citizenship"] == ["NP"]
    assert (record["prs_PrimaryLanguage"], record["prs_SecondaryLanguage"]) == ("sit", "nep")  # ISO 639-2
    assert record["prs_MobilePhone"] == "+9779841234567"
    assert record["prs_MailingState"] == "Morang" and record["prs_MailingCountry"] == "NP"
    assert record["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"
    assert record["vic_TraffickingStatusDecisionMakingOrg"] == "Police"
    assert record["vic_TypeOfExploitation"] == ["SexualExploitation", "ForcedLabour"]
    assert record["vic_MethodsOfControl"] == ["DebtBondage"]
    assert record["vic_AgeWhenTrafficked"] == 16  # on 2024-06-01, born 2008-03-01
    assert record["vic_LocationOfRecruitment"] == "Bus park, Morang"
    assert record["vic_LocationOfExploitation"] == "Kamathipura, IN"
    assert record["org_Name"] == "Maiti Nepal Biratnagar Transit Home" and record["org_Type"] == "NGO"
    for blank in ("prs_Salutation", "prs_MaritalStatus", "vic_MethodOfRecruitment", "vic_TypeOfSexExploitation"):
        assert record[blank] == ""
    assert record["historic_trafficking_events"] == [{
        "hte_Type": "Recruitment", "hte_Date": "2024-06-01", "hte_City": "Itahari", "hte_State": "",
        "hte_Country": "NP", "hte_Street": "", "hte_PostalCode": "", "hte_Longitude": "", "hte_Latitude": "",
        "hte_Description": "Offered a job"}]  # fmt: skip
    assert record["perpetrators"] == [
        {"per_RoleInProcess": ["RecruiterOrIntermediary"], "per_RoleDetails": "Promised work"}
    ]
    assert "Ram Dalal" not in str(record)  # a suspect's role, not his name
    assert record["support_plans"][0]["spl_Type"] == "Education"


def test_enumerated_values_are_htcds_values(full_case, np_caseworker, morang):
    open_case(np_caseworker, district=morang)
    for case in htcds.iterate(Case.objects.all()):
        record = htcds.record(case)
        for name, allowed in HTCDS_ENUMS.items():
            assert record[name] in allowed, (name, record[name])


def test_csv_row_joins_multiple_values(full_case):
    row = dict(zip(htcds.row_fields(), next(iter(htcds.csv_rows(Case.objects.filter(pk=full_case.pk)))), strict=True))
    assert row["vic_TypeOfExploitation"] == "SexualExploitation;ForcedLabour"
    assert row["prs_Citizenship"] == "NP"


def test_an_accepted_transfer_is_the_incoming_referral(np_caseworker, morang, np_parsa_org):
    from setu.accounts.tests.factories import make_user

    case = open_case(np_caseworker, district=morang)
    transfer = services.case_transfer_request(actor=np_caseworker, case=case, to_organisation=np_parsa_org,
                                              reason="Closer to home", revision=case.revision)  # fmt: skip
    pending = htcds.record(next(htcds.iterate(Case.objects.filter(pk=case.pk))))
    assert pending["cas_ReferredOrganisation"] == np_parsa_org.name_en
    assert pending["cas_OutgoingReferralDetails"] == "Closer to home"
    receiver = make_user("parsa_receiver", "caseworker", np_parsa_org)
    services.case_transfer_answer(actor=receiver, transfer=transfer, accept=True)
    accepted = htcds.record(next(htcds.iterate(Case.objects.filter(pk=case.pk))))
    assert accepted["cas_ReferringOrganisation"] == "Maiti Nepal Biratnagar Transit Home"
    assert accepted["cas_IncomingReferralDetails"] == "Closer to home"
    assert accepted["cas_ReferredOrganisation"] == ""


def test_the_docs_show_every_field():
    from django.conf import settings

    docs = (settings.BASE_DIR / "docs" / "exports.md").read_text(encoding="utf-8")
    for fields in htcds.field_spec().values():
        for field in fields:
            assert f"`{field['name']}`" in docs, field["name"]
