"""Roles and permissions: the one table that says which role may do what (deny by default).

Pure: no Django model import, so the permission matrix tests can be generated from it. The labels are
marked with gettext_noop so that makemessages finds them; RoleChoices translates them when shown.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_noop


class Role(StrEnum):
    BORDER_MONITOR = "border_monitor"
    POLICE_OFFICER = "police_officer"
    CASEWORKER = "caseworker"
    SHELTER_MANAGER = "shelter_manager"
    CWC_MEMBER = "cwc_member"
    LOCAL_GOVERNMENT_OFFICER = "local_government_officer"
    FOCAL_POINT = "focal_point"
    PROSECUTOR = "prosecutor"
    TRAINER = "trainer"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


ROLE_LABELS: dict[Role, str] = {
    Role.BORDER_MONITOR: gettext_noop("Border monitor"),
    Role.POLICE_OFFICER: gettext_noop("Police officer"),
    Role.CASEWORKER: gettext_noop("Caseworker"),
    Role.SHELTER_MANAGER: gettext_noop("Shelter manager"),
    Role.CWC_MEMBER: gettext_noop("Child Welfare Committee member"),
    Role.LOCAL_GOVERNMENT_OFFICER: gettext_noop("Local government officer"),
    Role.FOCAL_POINT: gettext_noop("Focal point"),
    Role.PROSECUTOR: gettext_noop("Prosecutor"),
    Role.TRAINER: gettext_noop("Trainer"),
    Role.ANALYST: gettext_noop("Analyst"),
    Role.AUDITOR: gettext_noop("Auditor"),
    Role.ADMINISTRATOR: gettext_noop("Administrator"),
}


class Permission(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_CREATE = "person.create"
    PERSON_EDIT = "person.edit"
    PERSON_PHOTO_VIEW = "person.photo_view"
    ORGANISATION_VIEW = "organisation.view"
    ORGANISATION_MANAGE = "organisation.manage"
    USER_MANAGE = "user.manage"
    AUDIT_VIEW = "audit.view"
    GAZETTEER_VIEW = "gazetteer.view"
    SOP_MANAGE = "sop.manage"
    CASE_VIEW = "case.view"
    CASE_OPEN = "case.open"
    CASE_WORK = "case.work"  # move through the SOP, record decisions, consent, documents, care; transfer
    CASE_SENSITIVE = "case.sensitive"  # testimony, health, sexual exploitation; also needs team or supervisor
    # The exchange with the other country's node, as operated here: peers, their keys, the message queues
    # (types, ids, references and states; never a message's contents). VIEW reads, MANAGE changes.
    EXCHANGE_VIEW = "exchange.view"
    EXCHANGE_MANAGE = "exchange.manage"  # register a peer, retire its key, retry delivery now
    # Border interceptions: the people stopped, their companions and suspects, the screening and outcome.
    # A border monitor posted at a station (Membership.border_point) reaches that station's records only.
    INTERCEPTION_VIEW = "interception.view"
    INTERCEPTION_RECORD = "interception.record"  # record one, call the family, decide the outcome, refer
    HOTSPOT_VIEW = "interception.hotspots"  # counts by crossing point, month, outcome, route: no identities
    # Prevention by local governments and NGOs: awareness activities and community vigilance reports.
    PREVENTION_VIEW = "prevention.view"
    PREVENTION_RECORD = "prevention.record"
    # Missing-person reports (setu.tracing): the report, the missing person's record it names, its status.
    # A "restricted" report (the family suspects someone close) reaches only the reporting organisation and
    # node-wide grants, whatever the scope below says.
    TRACING_VIEW = "tracing.view"
    TRACING_RECORD = "tracing.record"  # register a report, edit it, mark her found or close it
    MATCH_REVIEW = "tracing.match_review"  # confirm or reject a candidate match (the review queue, to come)
    # Prosecutions (setu.legal): charges, accused, survivors as witnesses, hearings, fines and compensation,
    # video testimony. A caseworker sees the witness needs of the cases she may see, on the case, without this.
    LEGAL_VIEW = "legal.view"
    LEGAL_RECORD = "legal.record"  # record a prosecution, its hearings, outcome, compensation; witness needs
    # Mutual legal assistance requests (setu.mla) between the two countries' central authorities.
    MLA_VIEW = "mla.view"
    MLA_MANAGE = "mla.manage"  # draft, send, receive, study, execute, refuse and close requests
    # Joint training (setu.training): programmes, sessions, participants, attendance, certificates.
    TRAINING_VIEW = "training.view"
    TRAINING_MANAGE = "training.manage"  # run a programme: sessions, invitations, attendance, scores
    # Reports (setu.reports): dashboards of counts, medians and rates over the records within the scope; never
    # a name. The scope says whose records are counted (an organisation's, a district's, the node's).
    REPORT_VIEW = "report.view"
    # Bilateral statistics: publish this node's k-anonymous aggregates to the peer and read both countries'
    # figures side by side; the CTDC-compatible k-anonymised extract.
    STATISTICS_PUBLISH = "statistics.publish"
    STATISTICS_EXPORT = "statistics.export"
    # Bulk exports of identifying records (the HTCDS case export; list exports beyond a page of rows).
    EXPORT_BULK = "export.bulk"
    # Imports of NGO spreadsheets (setu.imports): interceptions, missing-person reports and cases, owned by
    # the importing organisation (or, for a node-wide grant, the organisation chosen).
    IMPORT_RUN = "import.run"


class Scope(StrEnum):
    """How far a permission reaches (Primero's self/group/all)."""

    ORGANISATION = "organisation"  # records owned by the user's organisation
    JURISDICTION = "jurisdiction"  # ...and records located in the organisation's districts
    NODE = "node"  # every record on this node


_FRONTLINE = {
    Permission.PERSON_VIEW: Scope.JURISDICTION,
    Permission.PERSON_CREATE: Scope.ORGANISATION,
    Permission.PERSON_EDIT: Scope.ORGANISATION,
    Permission.PERSON_PHOTO_VIEW: Scope.JURISDICTION,
    Permission.ORGANISATION_VIEW: Scope.NODE,
    Permission.GAZETTEER_VIEW: Scope.NODE,
    # A case is seen and worked on by the organisation in charge and by the bodies of its district
    # (a CWC acts on a shelter's case); the survivor's sensitive notes need the team or a supervisor too.
    Permission.CASE_VIEW: Scope.JURISDICTION,
    Permission.CASE_OPEN: Scope.ORGANISATION,
    Permission.CASE_WORK: Scope.JURISDICTION,
    Permission.CASE_SENSITIVE: Scope.JURISDICTION,
    Permission.REPORT_VIEW: Scope.JURISDICTION,
}

# Who may read sensitive notes without being on the case team: the manager of the shelter in charge and
# the Child Welfare Committee of the district (the statutory authority for a child in care).
SUPERVISOR_ROLES = frozenset({"shelter_manager", "cwc_member"})

# Prevention work is public-interest, not about survivors: the district's bodies see each other's.
_PREVENTION = {Permission.PREVENTION_VIEW: Scope.JURISDICTION, Permission.PREVENTION_RECORD: Scope.ORGANISATION}

# Missing persons: the bodies of the district where she was last seen or lives see the report; each
# organisation registers and keeps its own reports; those who care for rescued people review the matches.
_TRACING = {
    Permission.TRACING_VIEW: Scope.JURISDICTION,
    Permission.TRACING_RECORD: Scope.ORGANISATION,
    Permission.MATCH_REVIEW: Scope.JURISDICTION,
}

ROLE_PERMISSIONS: dict[Role, dict[Permission, Scope]] = {
    Role.BORDER_MONITOR: {**_FRONTLINE, Permission.PERSON_VIEW: Scope.ORGANISATION,
                          Permission.PERSON_PHOTO_VIEW: Scope.ORGANISATION, Permission.CASE_VIEW: Scope.ORGANISATION,
                          Permission.CASE_WORK: Scope.ORGANISATION, Permission.CASE_SENSITIVE: Scope.ORGANISATION,
                          Permission.INTERCEPTION_VIEW: Scope.ORGANISATION,
                          Permission.INTERCEPTION_RECORD: Scope.ORGANISATION,
                          Permission.HOTSPOT_VIEW: Scope.NODE, **_PREVENTION,
                          # Monitors look a traveller up in their own organisation's reports at the desk;
                          # matches are reviewed by those who care for the people rescued, not at the desk.
                          Permission.TRACING_VIEW: Scope.ORGANISATION, Permission.TRACING_RECORD: Scope.ORGANISATION},
    # Police (and the border forces) stop people too, and take the referrals of the district's posts.
    Role.POLICE_OFFICER: {**_FRONTLINE, Permission.INTERCEPTION_VIEW: Scope.JURISDICTION,
                          Permission.INTERCEPTION_RECORD: Scope.ORGANISATION, Permission.HOTSPOT_VIEW: Scope.NODE,
                          **_TRACING},
    Role.CASEWORKER: {**_FRONTLINE, **_TRACING},
    # Transit homes receive the people placed with them by the district's posts.
    # They also bring their organisation's old spreadsheets in (setu.imports).
    Role.SHELTER_MANAGER: {**_FRONTLINE, Permission.INTERCEPTION_VIEW: Scope.JURISDICTION, **_TRACING,
                           Permission.IMPORT_RUN: Scope.ORGANISATION},
    Role.CWC_MEMBER: {**_FRONTLINE, **_TRACING},
    # Local governments take reports from families (a ward office) but do not review matches.
    Role.LOCAL_GOVERNMENT_OFFICER: {**_FRONTLINE, Permission.HOTSPOT_VIEW: Scope.NODE, **_PREVENTION,
                                    Permission.TRACING_VIEW: Scope.JURISDICTION,
                                    Permission.TRACING_RECORD: Scope.ORGANISATION},
    # Focal points of ministries and embassies act for the whole country. They see every report and review
    # matches node-wide; they register reports (an embassy's of nationals missing abroad) and keep their own,
    # but do not edit other agencies' reports: a report's status is its reporting organisation's to change.
    Role.FOCAL_POINT: {**_FRONTLINE, Permission.PERSON_VIEW: Scope.NODE, Permission.PERSON_PHOTO_VIEW: Scope.NODE,
                       Permission.CASE_VIEW: Scope.NODE, Permission.CASE_WORK: Scope.NODE,
                       Permission.CASE_SENSITIVE: Scope.NODE, Permission.INTERCEPTION_VIEW: Scope.NODE,
                       Permission.HOTSPOT_VIEW: Scope.NODE, Permission.PREVENTION_VIEW: Scope.NODE,
                       Permission.TRACING_VIEW: Scope.NODE, Permission.TRACING_RECORD: Scope.ORGANISATION,
                       Permission.MATCH_REVIEW: Scope.NODE,
                       # The central authorities (Nepal's Ministry of Law, India's MHA) are focal points: every
                       # MLA request of the node and the prosecutions behind them.
                       Permission.LEGAL_VIEW: Scope.NODE, Permission.MLA_VIEW: Scope.NODE,
                       Permission.MLA_MANAGE: Scope.NODE,
                       # Joint training is coordinated nationally (MoWCSC, MHA): every programme and its coverage.
                       Permission.TRAINING_VIEW: Scope.NODE,
                       # The national statistics, the bilateral figures, and the exports the ministries send on.
                       Permission.REPORT_VIEW: Scope.NODE, Permission.STATISTICS_PUBLISH: Scope.NODE,
                       Permission.STATISTICS_EXPORT: Scope.NODE, Permission.EXPORT_BULK: Scope.NODE,
                       Permission.IMPORT_RUN: Scope.ORGANISATION},
    # Prosecutors see the cases of their district (survivors as witnesses) but do not work them. They keep
    # their office's prosecutions and see the district's; they draft MLA requests for their prosecutions.
    Role.PROSECUTOR: {
        Permission.PERSON_VIEW: Scope.JURISDICTION,
        Permission.CASE_VIEW: Scope.JURISDICTION,
        Permission.ORGANISATION_VIEW: Scope.NODE,
        Permission.GAZETTEER_VIEW: Scope.NODE,
        Permission.LEGAL_VIEW: Scope.JURISDICTION,
        Permission.LEGAL_RECORD: Scope.ORGANISATION,
        Permission.MLA_VIEW: Scope.ORGANISATION,
        Permission.MLA_MANAGE: Scope.ORGANISATION,
        Permission.TRAINING_VIEW: Scope.ORGANISATION,
        Permission.REPORT_VIEW: Scope.JURISDICTION,
    },
    # Trainers run their organisation's programmes and see every joint training of the node (invitations come
    # from either side); they never see survivors. Analysts see training coverage and aggregates only.
    Role.TRAINER: {Permission.ORGANISATION_VIEW: Scope.NODE, Permission.GAZETTEER_VIEW: Scope.NODE,
                   Permission.TRAINING_VIEW: Scope.NODE, Permission.TRAINING_MANAGE: Scope.ORGANISATION,
                   Permission.REPORT_VIEW: Scope.ORGANISATION},
    Role.ANALYST: {Permission.ORGANISATION_VIEW: Scope.NODE, Permission.GAZETTEER_VIEW: Scope.NODE,
                   Permission.HOTSPOT_VIEW: Scope.NODE, Permission.PREVENTION_VIEW: Scope.NODE,
                   Permission.TRAINING_VIEW: Scope.NODE, Permission.REPORT_VIEW: Scope.NODE,
                   Permission.STATISTICS_PUBLISH: Scope.NODE, Permission.STATISTICS_EXPORT: Scope.NODE},
    Role.AUDITOR: {
        Permission.AUDIT_VIEW: Scope.NODE,
        Permission.EXCHANGE_VIEW: Scope.NODE,
        Permission.ORGANISATION_VIEW: Scope.NODE,
        Permission.GAZETTEER_VIEW: Scope.NODE,
    },
    # Administrators run the node (organisations, users); they do not browse survivors.
    Role.ADMINISTRATOR: {
        Permission.ORGANISATION_VIEW: Scope.NODE,
        Permission.ORGANISATION_MANAGE: Scope.NODE,
        Permission.SOP_MANAGE: Scope.NODE,
        Permission.USER_MANAGE: Scope.NODE,
        Permission.AUDIT_VIEW: Scope.NODE,
        Permission.GAZETTEER_VIEW: Scope.NODE,
        Permission.EXCHANGE_VIEW: Scope.NODE,
        Permission.EXCHANGE_MANAGE: Scope.NODE,
    },
}  # fmt: skip
