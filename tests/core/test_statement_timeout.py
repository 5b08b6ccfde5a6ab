"""A runaway query in a web request is cancelled by PostgreSQL (statement_timeout, set for the web processes by
settings.prod, DATABASE_STATEMENT_TIMEOUT): the person gets the 503 page within seconds, not a hung page; the
request's writes are rolled back and the next request is served. Management commands have no limit by default."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client, override_settings

from piis.accounts.models import Cpas
from piis.core.outage import RETRY_AFTER_SECONDS
from piis.settings.base import statement_timeout_options
from tests.core.runaway_urls import RUNAWAY_NIS_CODE

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
DEADLINE_SECONDS = 5


def _prod_options(**env) -> dict:
    """settings.prod's DATABASES OPTIONS, as a process started with `env` builds them."""
    environment = {k: v for k, v in os.environ.items() if k not in ("PIIS_PROCESS", "DATABASE_STATEMENT_TIMEOUT",
                                                                    "COMMAND_STATEMENT_TIMEOUT",
                                                                    "DJANGO_SETTINGS_MODULE")}  # fmt: skip
    environment |= {"SECRET_KEY": "x" * 60, "DATABASE_URL": "postgres://piis@127.0.0.1:5432/piis", **env}
    code = (
        "import os, json\n"
        "if os.environ.get('AS_WSGI'):\n    import piis.wsgi\n"
        "else:\n    import django; os.environ['DJANGO_SETTINGS_MODULE'] = 'piis.settings.prod'; django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                          cwd=settings.BASE_DIR, timeout=60, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_bounds_the_web_processes_statements_and_not_the_commands():
    assert "-c statement_timeout=30000" in _prod_options(AS_WSGI="1").get("options", "")  # gunicorn's entry
    assert "-c statement_timeout=5000" in _prod_options(PIIS_PROCESS="web", DATABASE_STATEMENT_TIMEOUT="5")["options"]
    assert "statement_timeout" not in _prod_options().get("options", "")  # manage.py: no limit
    assert "statement_timeout" not in _prod_options(PIIS_PROCESS="web", DATABASE_STATEMENT_TIMEOUT="0").get(
        "options", ""
    )
    assert "-c statement_timeout=3600000" in _prod_options(COMMAND_STATEMENT_TIMEOUT="3600")["options"]


def test_a_connection_made_with_those_options_cancels_a_long_statement():
    params = statement_timeout_options({**connection.settings_dict, "OPTIONS": {}}, 0.5)
    bounded = DatabaseWrapper(params, alias="statement_timeout_test")
    try:
        with bounded.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "500ms"
            started = time.monotonic()
            with pytest.raises(OperationalError, match="statement timeout"):
                cursor.execute("SELECT pg_sleep(30)")
            assert time.monotonic() - started < DEADLINE_SECONDS
    finally:
        bounded.close()


def _runaway_request():
    with connection.cursor() as cursor:  # what the startup option does for a web process's connection
        cursor.execute("SET statement_timeout = 500")
    client = Client(raise_request_exception=False)
    started = time.monotonic()
    response = client.get("/runaway/", HTTP_ACCEPT_LANGUAGE="fr")
    assert time.monotonic() - started < DEADLINE_SECONDS
    assert response.status_code == 503 and response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert 'lang="fr"' in response.content.decode()
    assert not Cpas.objects.filter(nis_code=RUNAWAY_NIS_CODE).exists()  # the request's transaction rolled back
    assert client.get("/accounts/login/").status_code == 200  # the next request is served


@override_settings(ROOT_URLCONF="tests.core.runaway_urls")
def test_a_runaway_query_in_a_request_gets_the_503_page_and_writes_nothing():
    _runaway_request()  # inside the test's transaction: the request's is a savepoint


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF="tests.core.runaway_urls")
def test_the_same_as_the_outermost_transaction_as_in_production():
    try:
        _runaway_request()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


def test_production_prepares_the_compiled_reads_unless_turned_off():
    # core.compiled prepares only where psycopg keeps prepared statements: prepare_threshold set (Django sets None).
    assert _prod_options(AS_WSGI="1").get("prepare_threshold") is not None
    assert "prepare_threshold" not in _prod_options(AS_WSGI="1", PIIS_PREPARED_READS="0")


def test_the_web_process_freezes_what_it_loaded_out_of_the_collector_s_reach():
    environment = {k: v for k, v in os.environ.items() if k not in ("PIIS_PROCESS", "DJANGO_SETTINGS_MODULE")}
    environment |= {"SECRET_KEY": "x" * 60, "DATABASE_URL": "postgres://piis@127.0.0.1:5432/piis"}
    code = "import gc, piis.wsgi, piis.asgi\nprint(gc.get_freeze_count())"
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                          cwd=settings.BASE_DIR, timeout=60, check=True)  # fmt: skip
    assert int(done.stdout.strip().splitlines()[-1]) > 10_000
