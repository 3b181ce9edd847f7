"""The demo's organisations and logins on each node: one user per role, in a realistic agency.

Pure data (no Django import), so `setu demo` can print the logins table without opening a node's
database. Organisations are the agencies of reference/domain.md §3 on each side of the Rani/Biratnagar –
Jogbani crossing; people's names are invented. Jurisdiction is by district (and crossing point for border
posts); an agency with national reach lists every district of its country (`NATIONWIDE`).
"""

from __future__ import annotations

from dataclasses import dataclass

from setu.accounts.roles import ROLE_LABELS, Role

DEMO_PASSWORD = "setu-demo-2026"  # noqa: S105 - printed on purpose; only ever set when SETU_DEMO is on
NATIONWIDE = ("*",)

# HTCDS org_Type values (setu.core.enums.OrganisationType), spelt out to keep this module pure.
NGO = "NGO"
LAW_ENFORCEMENT = "LawEnforcement"
CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation"
LOCAL_GOVERNMENT = "LocalGovernmentOrganisation"
LEGAL_SERVICE = "LegalService"
SCHOOL = "SchoolOrCollege"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    node: str
    name_en: str
    name_local: str  # Nepali on the Nepal node, Hindi on the India node (Devanagari)
    short_name: str
    org_type: str
    districts: tuple[str, ...] = ()  # English gazetteer names, or NATIONWIDE
    border_points: tuple[str, ...] = ()
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    organisation: str  # DemoOrganisation.key

    @property
    def node(self) -> str:
        return self.username[:2].upper()

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    # --- Nepal ---
    DemoOrganisation(
        "np_ministry", "NP", "Ministry of Women, Children and Senior Citizens",
        "महिला, बालबालिका तथा ज्येष्ठ नागरिक मन्त्रालय", "MoWCSC", CENTRAL_GOVERNMENT,
        address="Singha Durbar, Kathmandu",
    ),
    DemoOrganisation(
        "np_maiti", "NP", "Maiti Nepal Biratnagar Transit Home", "माइती नेपाल विराटनगर ट्रान्जिट होम",
        "Maiti Biratnagar", NGO, districts=("Morang",), border_points=("Rani",), address="Biratnagar, Morang",
    ),
    DemoOrganisation(
        "np_htib", "NP", "Nepal Police Human Trafficking Investigation Bureau",
        "नेपाल प्रहरी मानव बेचबिखन अनुसन्धान ब्युरो", "AHTB/HTIB", LAW_ENFORCEMENT, districts=NATIONWIDE,
        address="Babarmahal, Kathmandu",
    ),
    DemoOrganisation(
        "np_biratnagar", "NP", "Biratnagar Metropolitan City", "विराटनगर महानगरपालिका", "Biratnagar Metro",
        LOCAL_GOVERNMENT, districts=("Morang",), address="Biratnagar, Morang",
    ),
    DemoOrganisation(
        "np_ncrc", "NP", "National Child Rights Council", "राष्ट्रिय बाल अधिकार परिषद्", "NCRC",
        CENTRAL_GOVERNMENT, districts=NATIONWIDE, address="Lalitpur",
    ),
    DemoOrganisation(
        "np_attorney", "NP", "Office of the District Attorney, Morang (Office of the Attorney General)",
        "जिल्ला सरकारी वकिल कार्यालय, मोरङ", "DAO Morang", LEGAL_SERVICE, districts=("Morang",),
        address="Biratnagar, Morang",
    ),
    DemoOrganisation(
        "np_academy", "NP", "Nepal Police Academy (joint training cell)", "नेपाल प्रहरी प्रतिष्ठान",
        "Police Academy", SCHOOL, address="Maharajgunj, Kathmandu",
    ),
    DemoOrganisation(
        "np_nhrc", "NP", "National Human Rights Commission, Nepal", "राष्ट्रिय मानव अधिकार आयोग", "NHRC",
        CENTRAL_GOVERNMENT, address="Harihar Bhawan, Lalitpur",
    ),
    # --- India ---
    DemoOrganisation(
        "in_mha", "IN", "Ministry of Home Affairs, Women Safety Division", "गृह मंत्रालय, महिला सुरक्षा प्रभाग",
        "MHA WSD", CENTRAL_GOVERNMENT, address="North Block, New Delhi",
    ),
    DemoOrganisation(
        "in_ahtu", "IN", "Anti-Human Trafficking Unit, Araria (Bihar Police)",
        "मानव तस्करी निरोधी इकाई, अररिया (बिहार पुलिस)", "AHTU Araria", LAW_ENFORCEMENT, districts=("Araria",),
        address="Araria, Bihar",
    ),
    DemoOrganisation(
        "in_ssb", "IN", "Sashastra Seema Bal, Jogbani Border Outpost", "सशस्त्र सीमा बल, जोगबनी सीमा चौकी",
        "SSB Jogbani", LAW_ENFORCEMENT, districts=("Araria",), border_points=("Jogbani",),
        address="Jogbani, Araria, Bihar",
    ),
    DemoOrganisation(
        "in_helpdesk", "IN", "Jogbani Border Anti-Trafficking Help Desk (NGO)",
        "जोगबनी सीमा मानव तस्करी विरोधी सहायता केंद्र", "Jogbani Help Desk", NGO, districts=("Araria",),
        border_points=("Jogbani",), address="Jogbani, Araria, Bihar",
    ),
    DemoOrganisation(
        "in_cwc", "IN", "Child Welfare Committee, Araria", "बाल कल्याण समिति, अररिया", "CWC Araria",
        LOCAL_GOVERNMENT, districts=("Araria",), address="Araria, Bihar",
    ),
    DemoOrganisation(
        "in_dcpu", "IN", "District Child Protection Unit, Araria", "ज़िला बाल संरक्षण इकाई, अररिया",
        "DCPU Araria", LOCAL_GOVERNMENT, districts=("Araria",), address="Araria, Bihar",
    ),
    DemoOrganisation(
        "in_home", "IN", "Children's Home for Girls, Araria (Child Care Institution)", "बालिका गृह, अररिया",
        "CCI Araria", NGO, districts=("Araria",), address="Araria, Bihar",
    ),
    DemoOrganisation(
        "in_jogbani", "IN", "Jogbani Nagar Parishad", "जोगबनी नगर परिषद", "Jogbani NP", LOCAL_GOVERNMENT,
        districts=("Araria",), address="Jogbani, Araria, Bihar",
    ),
    DemoOrganisation(
        "in_prosecution", "IN", "Directorate of Prosecution, Bihar (Araria)", "अभियोजन निदेशालय, बिहार (अररिया)",
        "Prosecution Bihar", LEGAL_SERVICE, districts=("Araria",), address="Araria, Bihar",
    ),
    DemoOrganisation(
        "in_academy", "IN", "Bihar Police Academy, Rajgir", "बिहार पुलिस अकादमी, राजगीर", "BPA Rajgir", SCHOOL,
        address="Rajgir, Nalanda, Bihar",
    ),
    DemoOrganisation(
        "in_nhrc", "IN", "National Human Rights Commission, India", "राष्ट्रीय मानवाधिकार आयोग", "NHRC India",
        CENTRAL_GOVERNMENT, address="Manav Adhikar Bhawan, New Delhi",
    ),
)  # fmt: skip

USERS: tuple[DemoUser, ...] = (
    DemoUser("np_monitor", "Sabina Rai", Role.BORDER_MONITOR, "np_maiti"),
    DemoUser("np_police", "Inspector Rajendra Karki", Role.POLICE_OFFICER, "np_htib"),
    DemoUser("np_caseworker", "Kamala Shrestha", Role.CASEWORKER, "np_maiti"),
    DemoUser("np_shelter", "Bishnu Maya Limbu", Role.SHELTER_MANAGER, "np_maiti"),
    DemoUser("np_cwc", "Anju Bhattarai", Role.CWC_MEMBER, "np_ncrc"),
    DemoUser("np_localgov", "Ram Prasad Koirala", Role.LOCAL_GOVERNMENT_OFFICER, "np_biratnagar"),
    DemoUser("np_focal", "Sushila Adhikari", Role.FOCAL_POINT, "np_ministry"),
    DemoUser("np_prosecutor", "Hari Bahadur Thapa", Role.PROSECUTOR, "np_attorney"),
    DemoUser("np_trainer", "DSP Nirmala Gurung", Role.TRAINER, "np_academy"),
    DemoUser("np_analyst", "Prakash Poudel", Role.ANALYST, "np_ministry"),
    DemoUser("np_auditor", "Meena Yadav", Role.AUDITOR, "np_nhrc"),
    DemoUser("np_admin", "Setu Nepal node administrator", Role.ADMINISTRATOR, "np_ministry"),
    DemoUser("in_monitor", "Rekha Kumari", Role.BORDER_MONITOR, "in_helpdesk"),
    DemoUser("in_police", "SI Manoj Kumar Singh", Role.POLICE_OFFICER, "in_ahtu"),
    DemoUser("in_caseworker", "Nasreen Khatun", Role.CASEWORKER, "in_dcpu"),
    DemoUser("in_shelter", "Savitri Devi", Role.SHELTER_MANAGER, "in_home"),
    DemoUser("in_cwc", "Dr. Anil Jha", Role.CWC_MEMBER, "in_cwc"),
    DemoUser("in_localgov", "Sanjay Mandal", Role.LOCAL_GOVERNMENT_OFFICER, "in_jogbani"),
    DemoUser("in_focal", "Aarti Sharma", Role.FOCAL_POINT, "in_mha"),
    DemoUser("in_prosecutor", "Rakesh Mishra", Role.PROSECUTOR, "in_prosecution"),
    DemoUser("in_trainer", "DSP Kiran Paswan", Role.TRAINER, "in_academy"),
    DemoUser("in_analyst", "Neha Gupta", Role.ANALYST, "in_mha"),
    DemoUser("in_auditor", "Imran Ansari", Role.AUDITOR, "in_nhrc"),
    DemoUser("in_admin", "Setu India node administrator", Role.ADMINISTRATOR, "in_mha"),
)

# The organisation whose administrator is created first, directly, to bootstrap the rest (see seed.py).
ADMIN_USERNAME = {"NP": "np_admin", "IN": "in_admin"}


def organisations_of(node: str) -> list[DemoOrganisation]:
    return [o for o in ORGANISATIONS if o.node == node]


def users_of(node: str) -> list[DemoUser]:
    return [u for u in USERS if u.node == node]


def organisation(key: str) -> DemoOrganisation:
    return next(o for o in ORGANISATIONS if o.key == key)
