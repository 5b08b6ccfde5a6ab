"""The beneficiary portal, under /portal/ in the `portal` namespace: the account pages and what the person reads
(views.py, account_views.py), and what the person can do (urls_actions.py)."""

from django.urls import include, path

from piis.portal import account_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("start/", account_views.activate_with_code, name="activate"),
    path("start/<str:token>/", account_views.activate_with_link, name="activate_link"),
    path("password/", account_views.set_password, name="set_password"),
    path("second-factor/", account_views.second_factor, name="second_factor"),
    path("second-factor/settings/", account_views.second_factor_settings, name="second_factor_settings"),
    path("", include("piis.portal.urls_actions")),
]
