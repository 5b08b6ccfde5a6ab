from django.urls import path

from piis.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.beneficiary_list_view, name="list"),
    path("new/", views.beneficiary_create, name="create"),
    path("<int:beneficiary_id>/", views.beneficiary_detail, name="detail"),
    path("<int:beneficiary_id>/edit/", views.beneficiary_edit, name="edit"),
]
