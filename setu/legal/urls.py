from django.urls import path

from setu.legal import views

app_name = "legal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("hearings/", views.hearing_calendar, name="calendar"),
    path("prosecutions/", views.prosecution_list, name="list"),
    path("prosecutions/new/", views.prosecution_create, name="create"),
    path("prosecutions/<uuid:public_id>/", views.prosecution_detail, name="detail"),
    path("prosecutions/<uuid:public_id>/edit/", views.prosecution_edit, name="edit"),
    path("prosecutions/<uuid:public_id>/status/", views.prosecution_status, name="status"),
    path("prosecutions/<uuid:public_id>/charges/new/", views.charge_add, name="charge_add"),
    path("prosecutions/<uuid:public_id>/accused/new/", views.accused_add, name="accused_add"),
    path("prosecutions/<uuid:public_id>/accused/<uuid:accused_id>/verdict/", views.accused_verdict, name="verdict"),
    path("prosecutions/<uuid:public_id>/witnesses/new/", views.witness_add, name="witness_add"),
    path("prosecutions/<uuid:public_id>/hearings/new/", views.hearing_add, name="hearing_add"),
    path("prosecutions/<uuid:public_id>/compensation/new/", views.compensation_add, name="compensation_add"),
    path(
        "prosecutions/<uuid:public_id>/compensation/<uuid:order_id>/payments/new/",
        views.payment_add,
        name="payment_add",
    ),
    path("prosecutions/<uuid:public_id>/needs/new/", views.need_add, name="need_add"),
    path("needs/<uuid:need_id>/status/", views.need_status, name="need_status"),
    path("needs/<uuid:need_id>/her-view/", views.need_her_view, name="her_view"),
    path("needs/<uuid:need_id>/sessions/new/", views.session_add, name="session_add"),
    path("sessions/<uuid:session_id>/status/", views.session_status, name="session_status"),
    path("sessions/<uuid:session_id>/answer/", views.session_answer, name="session_answer"),
]
