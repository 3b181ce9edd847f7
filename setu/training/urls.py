from django.urls import path

from setu.training import views

app_name = "training"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<uuid:public_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<uuid:public_id>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<uuid:public_id>/sessions/new/", views.session_create, name="session_create"),
    path("programmes/<uuid:public_id>/sessions/<uuid:session_id>/attendance/", views.attendance, name="attendance"),
    path("programmes/<uuid:public_id>/participants/new/", views.participant_create, name="participant_create"),
    path(
        "programmes/<uuid:public_id>/participants/<uuid:participant_id>/certificate/",
        views.certificate_issue,
        name="certificate_issue",
    ),
    path("programmes/<uuid:public_id>/certificates/", views.certificates_issue_all, name="certificates_issue_all"),
    path("programmes/<uuid:public_id>/scores/", views.scores, name="scores"),
    path("programmes/<uuid:public_id>/invite/", views.programme_invite, name="programme_invite"),
    path("programmes/<uuid:public_id>/results/", views.results_send, name="results_send"),
    path("certificates/<uuid:public_id>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<uuid:public_id>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("certificates/<uuid:public_id>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<uuid:public_id>/", views.invitation_detail, name="invitation_detail"),
    path("invitations/<uuid:public_id>/decline/", views.invitation_decline, name="invitation_decline"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage.csv", views.coverage_csv, name="coverage_csv"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
