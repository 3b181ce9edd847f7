"""What the dashboard shows: the user's roles and their own recent work."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.audit.models import AuditEvent

ACTION_LABELS = {
    "person.create": _("Registered a person"),
    "person.update": _("Updated a person"),
    "person.view": _("Opened a person's record"),
    "person.search": _("Searched people"),
    "person.add_alias": _("Added another name"),
    "person.add_document": _("Added an identity document"),
    "person.add_phone": _("Added a phone number"),
    "person.add_photo": _("Added a photo"),
    "person.add_relation": _("Added a relation"),
    "user.update_preferences": _("Changed preferences"),
    "user.create": _("Created an account"),
    "organisation.create": _("Added an organisation"),
    "case.open": _("Opened a case"),
    "case.view": _("Opened a case record"),
    "case.search": _("Searched cases"),
    "case.act": _("Moved a case to its next stage"),
    "case.hold": _("Put a case on hold"),
    "case.resume": _("Took a case off hold"),
    "case.reopen": _("Reopened a case"),
    "case.update": _("Changed a case's details"),
    "case.set_team": _("Set a case's owner and team"),
    "case.transfer_request": _("Proposed a case transfer"),
    "case.transfer_answer": _("Answered a case transfer"),
    "case.decision": _("Recorded a decision"),
    "case.consent_give": _("Recorded consent"),
    "case.consent_withdraw": _("Recorded a withdrawal of consent"),
    "case.document_add": _("Added a case document"),
    "case.document_view": _("Opened a case document"),
    "case.assessment_add": _("Recorded an assessment"),
    "case.support_plan_add": _("Added a support plan"),
    "case.support_plan_end": _("Ended a support plan"),
    "case.service_record": _("Recorded a service"),
    "case.follow_up_schedule": _("Planned a follow-up visit"),
    "case.follow_up_record": _("Recorded a follow-up visit"),
    "case.related_add": _("Linked a person to a case"),
    "case.trafficking_event_add": _("Added to a survivor's trafficking history"),
    "case.sensitive_add": _("Added a sensitive note"),
    "case.sensitive_read": _("Read sensitive notes"),
    "interception.alert_send": _("Sent an interception alert across the border"),
    "interception.alert_acknowledge": _("Acted on an interception alert from across the border"),
    "tracing.report_create": _("Registered a missing-person report"),
    "tracing.report_update": _("Changed a missing-person report"),
    "tracing.report_status": _("Changed a missing-person report's status"),
    "tracing.report_view": _("Opened a missing-person report"),
    "tracing.report_search": _("Searched missing-person reports"),
    "tracing.match_list": _("Looked at the possible matches"),
    "tracing.match_view": _("Opened a possible match"),
    "tracing.match_confirm": _("Confirmed a match"),
    "tracing.match_reject": _("Rejected a possible match"),
    "legal.prosecution_create": _("Registered a prosecution"),
    "legal.prosecution_update": _("Changed a prosecution's details"),
    "legal.prosecution_status": _("Changed a prosecution's status"),
    "legal.prosecution_view": _("Opened a prosecution"),
    "legal.charge_add": _("Added a charge"),
    "legal.charge_remove": _("Removed a charge"),
    "legal.accused_add": _("Added an accused person"),
    "legal.accused_verdict": _("Recorded a verdict"),
    "legal.witness_add": _("Added a survivor as a witness"),
    "legal.hearing_record": _("Recorded a hearing"),
    "legal.compensation_order": _("Recorded compensation ordered"),
    "legal.payment_record": _("Recorded a compensation payment"),
    "legal.witness_need_record": _("Recorded that a witness is needed"),
    "legal.witness_need_status": _("Changed a witness need"),
    "legal.witness_need_her_view": _("Recorded a witness's own view"),
    "legal.witness_need_view": _("Opened a witness need"),
    "legal.testimony_schedule": _("Proposed a video testimony session"),
    "legal.testimony_status": _("Changed a video testimony session"),
    "legal.testimony_answer": _("Answered a video testimony request"),
    "legal.session_view": _("Opened a video testimony session"),
    "mla.request_draft": _("Drafted a mutual legal assistance request"),
    "mla.request_update": _("Changed a draft MLA request"),
    "mla.request_send": _("Sent an MLA request"),
    "mla.request_move": _("Recorded an MLA request's progress"),
    "mla.document_add": _("Added a document to an MLA request"),
    "mla.document_view": _("Opened a document of an MLA request"),
    "mla.notices_read": _("Read MLA reminders"),
    "training.programme_create": _("Created a training programme"),
    "training.programme_update": _("Changed a training programme"),
    "training.session_add": _("Added a training session"),
    "training.participant_add": _("Added a participant"),
    "training.attendance_mark": _("Marked attendance"),
    "training.scores_record": _("Recorded test scores"),
    "training.certificate_issue": _("Issued a certificate"),
    "training.certificate_revoke": _("Revoked a certificate"),
    "training.certificate_download": _("Downloaded a certificate"),
    "training.programme_invite": _("Invited the other country to a training"),
    "training.invitation_nominate": _("Nominated participants for a training across the border"),
    "training.invitation_decline": _("Declined an invitation to a training"),
    "training.results_send": _("Sent training results to the other country"),
    "training.coverage_export": _("Downloaded training coverage"),
    "report.dashboard.export": _("Downloaded a dashboard's figures"),
    "report.annual_summary_view": _("Read the annual summary"),
    "report.annual_summary": _("Printed the annual summary"),
    "report.case_summary": _("Printed a case summary"),
    "report.handover_certificate": _("Printed a handover certificate"),
    "report.home_study_form": _("Printed a home study report form"),
    "export.htcds_csv": _("Exported cases in HTCDS form (CSV)"),
    "export.htcds_json": _("Exported cases in HTCDS form (JSON)"),
    "export.list_csv": _("Exported a list (CSV)"),
    "export.list_xlsx": _("Exported a list (XLSX)"),
    "statistics.publish": _("Published statistics to the other country"),
    "statistics.ctdc_export": _("Downloaded the CTDC extract"),
    "statistics.ctdc_report": _("Downloaded the CTDC extract's suppression report"),
    "import.upload": _("Uploaded a spreadsheet to import"),
    "import.map": _("Mapped a spreadsheet's columns"),
    "import.check": _("Checked a spreadsheet (dry run)"),
    "import.start": _("Started an import"),
    "import.resume": _("Resumed an import"),
    "import.discard": _("Discarded an import"),
    "export.import_report": _("Downloaded an import's dry-run report"),
    "export.import_duplicates": _("Downloaded an import's probable duplicates"),
}


def dashboard_for(user) -> dict:
    from setu.people.selectors import person_list_for

    context: dict = {"memberships": policy.active_memberships(user), "registered": [], "opened": []}
    if policy.has_permission(user, Permission.PERSON_VIEW):
        visible = person_list_for(user)
        context["registered"] = list(visible.filter(created_by=user).order_by("-created_at")[:5])
        opened_ids = list(
            dict.fromkeys(
                AuditEvent.objects.filter(actor_id=user.pk, action="person.view", outcome=AuditEvent.Outcome.ALLOWED)
                .order_by("-seq")
                .values_list("object_id", flat=True)[:30]
            )
        )[:5]
        by_id = {str(p.public_id): p for p in visible.filter(public_id__in=opened_ids)}
        context["opened"] = [by_id[i] for i in opened_ids if i in by_id]
    events = (
        AuditEvent.objects.filter(actor_id=user.pk, outcome=AuditEvent.Outcome.ALLOWED)
        .exclude(action__startswith="auth.")
        .order_by("-seq")[:10]
    )
    if policy.has_permission(user, Permission.CASE_VIEW):
        context.update(_cases(user))
    if policy.has_permission(user, Permission.EXCHANGE_VIEW):
        from setu.exchange.selectors import dashboard_counts

        context["exchange"] = dashboard_counts()
    if policy.has_permission(user, Permission.INTERCEPTION_VIEW):
        from setu.interceptions.alerts import alert_open_count_for

        context["interception_alert_count"] = alert_open_count_for(user)
    if policy.has_permission(user, Permission.TRACING_VIEW):
        from setu.tracing.selectors import open_report_count_for

        context["missing_open_count"] = open_report_count_for(user)
    if policy.has_permission(user, Permission.MATCH_REVIEW):
        from setu.tracing.selectors import candidate_list_for, notices_for

        context["match_review_count"] = candidate_list_for(user).order_by().count()
        context["match_notices"] = list(notices_for(user)[:5])
    if policy.has_permission(user, Permission.LEGAL_VIEW):
        from setu.legal.selectors import dashboard_for as legal_dashboard_for

        context["legal"] = legal_dashboard_for(user, days=30)
    if policy.has_permission(user, Permission.MLA_VIEW):
        from setu.mla.selectors import dashboard_for as mla_dashboard_for

        context["mla"] = mla_dashboard_for(user)
    if policy.has_permission(user, Permission.TRAINING_VIEW):
        from setu.training.selectors import dashboard_for as training_dashboard_for

        context["training"] = training_dashboard_for(user, days=30)
    context["recent_events"] = [(event, ACTION_LABELS.get(event.action, event.action)) for event in events]
    return context


def _cases(user) -> dict:
    """The user's open cases with their clocks, and how much work is waiting."""
    from django.utils import timezone

    from setu.cases import selectors as cases
    from setu.cases.display import clock_view
    from setu.cases.services import stage_name
    from setu.exchange.flows import awaiting

    now = timezone.now()
    mine = (
        cases.case_list_for(user, status="open")
        .filter(Q(owner=user) | Q(team=user))
        .distinct()
        .order_by(F("due_at").asc(nulls_last=True))[:8]
    )
    return {
        "my_cases": [(case, stage_name(case), clock_view(case, now)) for case in mine],
        "task_count": cases.my_tasks(user).count(),
        "overdue_count": cases.overdue_cases_for(user).count(),
        "follow_up_count": cases.follow_ups_due_for(user).count(),
        "received_count": len(awaiting(user)),
    }
