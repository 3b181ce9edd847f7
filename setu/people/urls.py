from django.urls import path

from setu.people import views

app_name = "people"


urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("local-levels/", views.local_level_options, name="local_level_options"),
    path("<uuid:public_id>/", views.person_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:public_id>/photos/new/", views.person_add_photo, name="add_photo"),
    path("<uuid:public_id>/photos/<uuid:photo_id>/", views.photo, name="photo"),
    path("<uuid:public_id>/photos/<uuid:photo_id>/remove/", views.person_remove_photo, name="remove_photo"),
    path("<uuid:public_id>/aliases/new/", views.person_add_item, {"item": "alias"}, name="add_alias"),
    path("<uuid:public_id>/documents/new/", views.person_add_item, {"item": "document"}, name="add_document"),
    path("<uuid:public_id>/phones/new/", views.person_add_item, {"item": "phone"}, name="add_phone"),
    path("<uuid:public_id>/relations/new/", views.person_add_item, {"item": "relation"}, name="add_relation"),
    path(
        "<uuid:public_id>/aliases/<uuid:item_id>/remove/",
        views.person_remove_item,
        {"item": "alias"},
        name="remove_alias",
    ),
    path(
        "<uuid:public_id>/documents/<uuid:item_id>/remove/",
        views.person_remove_item,
        {"item": "document"},
        name="remove_document",
    ),
    path(
        "<uuid:public_id>/phones/<uuid:item_id>/remove/",
        views.person_remove_item,
        {"item": "phone"},
        name="remove_phone",
    ),
    path(
        "<uuid:public_id>/relations/<uuid:item_id>/remove/",
        views.person_remove_item,
        {"item": "relation"},
        name="remove_relation",
    ),
]
