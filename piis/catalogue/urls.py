from django.urls import path

from piis.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("new/", views.entry_add, name="entry_add"),
    path("<int:entry_id>/", views.entry_edit, name="entry_edit"),
    path("groups/new/", views.group_add, name="group_add"),
    path("groups/<int:group_id>/", views.group_edit, name="group_edit"),
]
