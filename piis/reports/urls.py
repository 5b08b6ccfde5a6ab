from django.urls import path

from piis.reports import build_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("subsidy/<int:year>/<int:month>/", views.subsidy_claim, name="subsidy_claim"),
    path("subsidy/<int:year>/<int:month>/claim.csv", views.subsidy_claim_csv, name="subsidy_claim_csv"),
    path("subsidy/<int:year>/coverage.csv", views.coverage_csv, name="coverage_csv"),
    path("subsidy/<int:year>/<int:month>/evidence/<int:beneficiary_id>/", views.evidence, name="evidence"),
    path(
        "subsidy/<int:year>/<int:month>/evidence/<int:beneficiary_id>/bundle.zip",
        views.evidence_bundle,
        name="evidence_bundle",
    ),
    path("subsidy/<int:year>/<int:month>/evidence.zip", views.month_bundle, name="month_bundle"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>/report.pdf", views.annual_pdf, name="annual_pdf"),
    path("annual/<int:year>/report.csv", views.annual_csv, name="annual_csv"),
    path("builds/start/", build_views.build_start, name="build_start"),
    path("builds/<int:job_id>/", build_views.build_status, name="build_status"),
    path("builds/<int:job_id>/download/", build_views.build_download, name="build_download"),
]
