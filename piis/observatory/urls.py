from django.urls import path

from piis.observatory import export_views, trend_views, views

app_name = "observatory"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/<slug:table>/", views.export_csv, name="csv"),
    path("between-cpas/", views.between_cpas, name="between_cpas"),
    path("between-cpas/figures.csv", views.between_cpas_csv, name="between_cpas_csv"),
    path("between-cpas/over-time/", trend_views.between_cpas_over_time, name="between_cpas_over_time"),
    path("between-cpas/over-time.csv", trend_views.between_cpas_over_time_csv, name="between_cpas_over_time_csv"),
    path("among-cpas/", trend_views.among_cpas, name="among_cpas"),
    path("among-cpas/over-time.csv", trend_views.among_cpas_csv, name="among_cpas_csv"),
    path("federal/", views.federal_page, name="federal"),
    path("federal/statistics.csv", views.federal_statistics, name="federal_statistics"),
    path("federal/exchange.json", views.federal_exchange, name="federal_exchange"),
    path("exports/<int:job_id>/", export_views.export_status, name="export_status"),
    path("exports/<int:job_id>/download/", export_views.export_download, name="export_download"),
]
