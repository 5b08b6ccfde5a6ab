from django.urls import include, path

urlpatterns = [
    path("", include("piis.core.urls")),
    path("accounts/", include("piis.accounts.urls")),
    path("files/", include("piis.cases.urls")),
    path("contracts/", include("piis.contracts.urls")),
    path("followup/", include("piis.followup.urls")),
    path("audit/", include("piis.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
