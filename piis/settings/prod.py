"""Production: every secret from the environment, HTTPS only, static files through WhiteNoise.

Start with: gunicorn piis.wsgi --bind 0.0.0.0:8000 (see README).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from piis.settings.base import *  # noqa: F403
from piis.settings.base import env_bool, statement_timeout_options

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment (at least 50 characters).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
# The second factor cannot be turned off in production, whatever the environment says (piis.accounts.checks).
PIIS_MFA_REQUIRED = True
CSRF_COOKIE_SECURE = True
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # type: ignore[index]  # noqa: F405

# A PostgreSQL streaming replica for report reads (docs/scale-out.md): set REPLICA_DATABASE_URL to use it.
DATABASE_ROUTERS = ["piis.core.replica.ReplicaRouter"]
if os.environ.get("REPLICA_DATABASE_URL"):
    import dj_database_url

    DATABASES["replica"] = with_sqlite_options(  # noqa: F405
        dict(dj_database_url.parse(os.environ["REPLICA_DATABASE_URL"], conn_max_age=60, conn_health_checks=True))
    )

# Every statement of a web process (gunicorn through piis/wsgi.py or piis/asgi.py, which set PIIS_PROCESS=web) is
# cancelled by PostgreSQL after DATABASE_STATEMENT_TIMEOUT seconds (default 30; 0 = none): the request gets the 503
# page (core/outage.py) and its transaction is rolled back, instead of a hung worker holding its locks. Management
# commands (cron jobs, the retention run, audit partitions, the observatory's and benchmark's builds, imports, the
# restore drill) run with COMMAND_STATEMENT_TIMEOUT (default 0: none). docs/operations.md.
WEB_PROCESS = os.environ.get("PIIS_PROCESS") == "web"
if WEB_PROCESS:
    DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30"))
else:
    DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("COMMAND_STATEMENT_TIMEOUT", "0"))
for _alias in DATABASES:  # noqa: F405
    statement_timeout_options(DATABASES[_alias], DATABASE_STATEMENT_TIMEOUT)  # noqa: F405
