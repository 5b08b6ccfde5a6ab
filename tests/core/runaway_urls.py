"""A URLconf for tests/core/test_statement_timeout.py: the site's routes plus one view whose query never ends (it
first writes a row, so that the test sees the request's transaction rolled back)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from piis.accounts.models import Cpas
from piis.urls import urlpatterns as site

handler500 = "piis.core.outage.server_error"
RUNAWAY_NIS_CODE = "99999"


def runaway(request):
    Cpas.objects.create(name="Written before the runaway query", nis_code=RUNAWAY_NIS_CODE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(60)")
    return HttpResponse("never")


urlpatterns = [path("runaway/", runaway), *site]
