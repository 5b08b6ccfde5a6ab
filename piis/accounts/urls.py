from django.contrib.auth import views as auth_views
from django.urls import path

from piis.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cpas/", views.cpas_settings, name="cpas_settings"),
    path("cpas/signatory/<int:object_id>/", views.signatory_edit, name="signatory_edit"),
    path("cpas/<str:kind>/<int:object_id>/remove/", views.cpas_object_remove, name="cpas_object_remove"),
]
