from django.urls import path

from setu.cases import views

app_name = "cases"


def _form(route: str, name: str):
    """A small form of a case (views.CASE_FORMS), named like its entry."""
    return path(f"<uuid:case_id>/{route}", views.case_form, {"name": name}, name=name)


urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/", views.case_open, name="open"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("overdue/", views.overdue, name="overdue"),
    path("sop/", views.sop_versions, name="sop_versions"),
    path("transfers/<uuid:transfer_id>/answer/", views.transfer_answer, name="transfer_answer"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/act/", views.case_act, name="act"),
    path("<uuid:case_id>/hold/", views.case_hold, name="hold"),
    path("<uuid:case_id>/resume/", views.case_resume, name="resume"),
    path("<uuid:case_id>/reopen/", views.case_reopen, name="reopen"),
    _form("edit/", "edit"),
    _form("team/", "team"),
    _form("transfer/", "transfer"),
    _form("decisions/new/", "decision"),
    _form("consent/new/", "consent"),
    path("<uuid:case_id>/consent/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:case_id>/documents/new/", views.document_add, name="document_add"),
    path("<uuid:case_id>/documents/<uuid:document_id>/", views.document, name="document"),
    _form("assessments/new/", "assessment"),
    _form("support-plans/new/", "support_plan"),
    path("<uuid:case_id>/support-plans/<uuid:plan_id>/end/", views.support_plan_end, name="support_plan_end"),
    _form("services/new/", "service"),
    _form("follow-ups/new/", "follow_up"),
    path("<uuid:case_id>/follow-ups/<uuid:follow_up_id>/", views.follow_up_record, name="follow_up_record"),
    _form("related/new/", "related"),
    _form("history/new/", "history_event"),
    path("<uuid:case_id>/sensitive/", views.sensitive, name="sensitive"),
]
