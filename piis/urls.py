"""Root URLs. The pages layer (piis/www) shares the namespaces of the apps whose objects its pages show."""

from django.urls import include, path

from piis.api import urls as api_urls
from piis.api.api import api
from piis.cases import urls as cases_urls
from piis.contracts import urls as contracts_urls
from piis.followup import urls as followup_urls
from piis.www import urls as www_urls

urlpatterns = [
    path("", include((www_urls.home_patterns, "core"))),
    path("accounts/", include("piis.accounts.urls")),
    path("files/", include((www_urls.file_patterns + cases_urls.urlpatterns, "cases"))),
    path("contracts/", include((www_urls.contract_patterns + contracts_urls.urlpatterns, "contracts"))),
    path("followup/", include((www_urls.followup_patterns + followup_urls.urlpatterns, "followup"))),
    path("audit/", include((www_urls.audit_patterns, "audit"))),
    path("sanctions/", include("piis.sanctions.urls")),
    path("council/", include("piis.sanctions.urls_council")),
    path("privacy/", include("piis.privacy.urls")),
    path("catalogue/", include("piis.catalogue.urls")),
    path("documents/", include("piis.documents.urls")),
    path("observatory/", include("piis.observatory.urls")),
    path("reports/", include("piis.reports.urls")),
    path("transfers/", include("piis.transfers.urls")),
    path("api/v1/", api.urls),
    path("accounts/cpas/api-tokens/", include(api_urls)),
    path("portal/", include("piis.portal.urls")),
    path("portal-accounts/", include("piis.portal.urls_staff")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# A database outage gets a translated 503 page with Retry-After instead of the 500 page (piis/core/outage.py).
handler500 = "piis.core.outage.server_error"
# A file beyond one's need-to-know gets the break-the-glass page (piis/www/need_to_know.py), other refusals the 403.
handler403 = "piis.www.need_to_know.permission_denied_or_break_glass"
