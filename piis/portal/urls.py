"""The beneficiary portal, under /portal/ in the `portal` namespace: the account pages (account_views.py), what the
person reads (views.py) and what the person can do (urls_actions.py)."""

from django.urls import include, path

from piis.portal import account_views, views

# The ids are named for the portal (piis_id, not contract_id): the person's own objects, which the crawls of
# tests/fuzz fill from the world's person rather than from the staff's lists.
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
    path("piis/", views.contract, name="contract"),
    path("piis/<int:piis_id>/", views.contract_detail, name="contract_detail"),
    path("piis/<int:piis_id>/pdf/<int:piis_version_id>/", views.contract_pdf, name="contract_pdf"),
    path("piis/<int:piis_id>/summary/<int:piis_version_id>/", views.contract_summary, name="contract_summary"),
    path("dates/", views.timeline, name="timeline"),
    path("rights/", views.rights, name="rights"),
    path("letters/", views.letters, name="letters"),
    path("letters/notice/<int:notice_letter_id>/", views.notice_letter, name="notice_letter"),
    path("letters/decision/<int:decision_letter_id>/", views.decision_letter, name="decision_letter"),
    path("letters/move/<int:move_letter_id>/", views.transfer_letter, name="transfer_letter"),
    path("", include("piis.portal.urls_actions")),
]
