"""The site's routes plus the API benchmark's floor (ROOT_URLCONF of benchmarks/bench_api.py only; never served).

The floor is the cheapest call an integration can make: the same middleware as every API call (no session, the
request's transaction), the token looked up under row-level security and counted against its rate limit, then an
empty answer. Each operation of the benchmark is printed as a ratio to it, so that a busy machine moves the figures
but much less the ratios, as `benchmarks/run.py` does for the pages.
"""

from django.urls import path
from ninja import NinjaAPI

from piis.api.auth import TokenAuth
from piis.api.models import Scope
from piis.urls import urlpatterns as site_patterns

floor_api = NinjaAPI(urls_namespace="bench_api_floor", docs_url=None, openapi_url=None)


@floor_api.get("/floor", auth=TokenAuth(Scope.READ_FILES))
def floor(request):
    return {}


urlpatterns = [path("bench/api/", floor_api.urls), *site_patterns]
