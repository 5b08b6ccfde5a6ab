"""The staff page of a person's portal account (namespace portal_staff), outside /portal/."""

from django.urls import path

from piis.portal import staff_views

app_name = "portal_staff"
urlpatterns = [
    path("<int:beneficiary_id>/", staff_views.account, name="account"),
]
