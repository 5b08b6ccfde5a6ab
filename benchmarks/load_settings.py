"""Settings for the load test (benchmarks/locustfile.py): the test settings (DEBUG off, the database of DATABASE_URL,
static files from the source folders, so no collectstatic) with production's persistent connections."""

from piis.settings.test import *  # noqa: F403
from piis.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES.pop("replica", None)
