"""The site's routes plus the benchmark floor: a view returning two bytes behind the same middleware (session,
second factor, current CPAS with its transaction and row-level security setting). Used by `make bench` and the
locust file only (ROOT_URLCONF=benchmarks.bench_urls); never part of the served site."""

from django.http import HttpResponse
from django.urls import path

from piis.urls import urlpatterns as site_patterns


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *site_patterns]
