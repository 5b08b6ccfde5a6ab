from django.urls import path

from piis.privacy import views

app_name = "privacy"

urlpatterns = [
    path("access/", views.search, name="search"),
    path("access/<int:beneficiary_id>/export/", views.export, name="export"),
    path("retention/", views.retention, name="retention"),
    path("retention/<slug:kind>/", views.retention_edit, name="retention_edit"),
]
