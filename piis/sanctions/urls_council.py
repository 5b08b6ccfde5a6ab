"""The council's pages (sanct2): sittings, agenda, decisions, letters, minutes, appeals, payment exports, register."""

from django.urls import path

from piis.sanctions import views_council as views

app_name = "council"
urlpatterns = [
    path("", views.sitting_list, name="sittings"),
    path("new/", views.sitting_new, name="sitting_new"),
    path("<int:sitting_id>/", views.sitting_detail, name="sitting"),
    path("<int:sitting_id>/edit/", views.sitting_edit, name="sitting_edit"),
    path("<int:sitting_id>/dossier/", views.item_add_dossier, name="item_add_dossier"),
    path("<int:sitting_id>/matter/", views.item_add_matter, name="item_add_matter"),
    path("<int:sitting_id>/minutes/", views.minutes_close, name="minutes_close"),
    path("<int:sitting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("items/<int:item_id>/move/<str:direction>/", views.item_move, name="item_move"),
    path("items/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    path("items/<int:item_id>/hearing/", views.item_hearing, name="item_hearing"),
    path("items/<int:item_id>/decide/", views.item_decide, name="item_decide"),
    path("decisions/<int:decision_id>/notified/", views.decision_notified, name="decision_notified"),
    path("decisions/<int:decision_id>/letter.pdf", views.decision_letter, name="decision_letter"),
    path("decisions/<int:decision_id>/appeal/", views.appeal_new, name="appeal_new"),
    path("appeals/<int:appeal_id>/judgment/", views.appeal_judged, name="appeal_judged"),
    path("payments/", views.exports, name="exports"),
    path("payments/<int:export_id>.csv", views.export_download, name="export_download"),
    path("register/", views.register_view, name="register"),
]
