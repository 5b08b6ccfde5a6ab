from django.urls import path

from piis.sanctions import views

app_name = "sanctions"
urlpatterns = [
    path("", views.dossier_list_view, name="list"),
    path("contracts/<int:contract_id>/open/", views.dossier_open, name="open"),
    path("<int:dossier_id>/", views.dossier_detail, name="detail"),
    path("<int:dossier_id>/notice/sent/", views.notice_sent, name="notice_sent"),
    path("<int:dossier_id>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:dossier_id>/ready/", views.dossier_ready, name="ready"),
    path("<int:dossier_id>/back/", views.dossier_back, name="back"),
    path("<int:dossier_id>/<slug:step>/", views.dossier_step, name="step"),
]
