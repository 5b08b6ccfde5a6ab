from django.contrib.auth import views as auth_views
from django.urls import path

from piis.accounts import second_factor_views as second_factor
from piis.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", second_factor.verify, name="mfa_verify"),
    path("second-factor/enrol/", second_factor.enrol, name="mfa_enrol"),
    path("second-factor/recovery-codes/", second_factor.recovery_codes_shown, name="mfa_recovery_codes_shown"),
    path("second-factor/recovery-codes/new/", second_factor.recovery_codes_renew, name="mfa_recovery_codes_renew"),
    path("second-factor/mine/", second_factor.account, name="mfa_account"),
    path("cpas/second-factor/", second_factor.staff, name="mfa_staff"),
    path("cpas/second-factor/<int:membership_id>/reset/", second_factor.reset, name="mfa_reset"),
    path("cpas/", views.cpas_settings, name="cpas_settings"),
    path("cpas/signatory/<int:object_id>/", views.signatory_edit, name="signatory_edit"),
    path("cpas/teams/", views.team_list, name="teams"),
    path("cpas/teams/<int:team_id>/", views.team_edit, name="team_edit"),
    path("cpas/teams/<int:team_id>/remove/", views.team_delete, name="team_remove"),
    path("cpas/<str:kind>/<int:object_id>/remove/", views.cpas_object_remove, name="cpas_object_remove"),
]
