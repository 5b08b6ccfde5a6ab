from django.urls import path

from piis.observatory import views

app_name = "observatory"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/<slug:table>/", views.export_csv, name="csv"),
    path("between-cpas/", views.between_cpas, name="between_cpas"),
    path("between-cpas/figures.csv", views.between_cpas_csv, name="between_cpas_csv"),
    path("federal/", views.federal_page, name="federal"),
    path("federal/statistics.csv", views.federal_statistics, name="federal_statistics"),
    path("federal/exchange.json", views.federal_exchange, name="federal_exchange"),
]
