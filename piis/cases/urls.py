from django.urls import path

from piis.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.beneficiary_list_view, name="list"),
    path("new/", views.beneficiary_create, name="create"),
    path("<int:beneficiary_id>/edit/", views.beneficiary_edit, name="edit"),
    path("<int:beneficiary_id>/assessments/new/", views.assessment_edit, name="assessment_create"),
    path("<int:beneficiary_id>/assessments/<int:assessment_id>/", views.assessment_edit, name="assessment_edit"),
    # Household members, assistants, RI decisions, earlier periods, exemptions (views.RECORD_KINDS).
    path("<int:beneficiary_id>/<slug:kind>/new/", views.file_record_edit, name="record_create"),
    path("<int:beneficiary_id>/<slug:kind>/<int:record_id>/", views.file_record_edit, name="record_edit"),
    path("<int:beneficiary_id>/<slug:kind>/<int:record_id>/remove/", views.file_record_remove, name="record_remove"),
]
