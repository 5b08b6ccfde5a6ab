"""make test: PostgreSQL when DATABASE_URL or 127.0.0.1:5432 answers, else SQLite.

With REQUIRE_POSTGRES=1 (set by .ci/run) a missing PostgreSQL is an error instead of a fallback.
"""

import os
import tempfile
from pathlib import Path
from typing import Any, cast

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from piis.settings.base import *  # noqa: F403
from piis.settings.base import BASE_DIR, env_bool, with_sqlite_options

LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/piis"


def _postgres_answers(url: str) -> bool:
    try:
        import psycopg

        cfg = dj_database_url.parse(url)
        psycopg.connect(
            host=cfg["HOST"] or None,
            port=cfg["PORT"] or None,
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=2,
        ).close()
    except Exception:
        return False
    return True


def _choose_database() -> tuple[dict[str, Any], str]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url)), f"DATABASE_URL ({url.split('@')[-1]})"
    if _postgres_answers(LOCAL_POSTGRES_URL):
        return dict(dj_database_url.parse(LOCAL_POSTGRES_URL)), "PostgreSQL at 127.0.0.1:5432"
    return (
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "test-db.sqlite3")},
        "SQLite (PostgreSQL not reachable at 127.0.0.1:5432 and DATABASE_URL unset)",
    )


_db, DATABASE_DESCRIPTION = _choose_database()
if env_bool("REQUIRE_POSTGRES", False) and _db["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(f"REQUIRE_POSTGRES=1 but the test database would be {DATABASE_DESCRIPTION}.")
# One test database per test process, so that several runs (developers' parallel sessions, CI) never drop each
# other's database; pytest-django destroys it at the end of the run.
_db["TEST"] = {"NAME": f"test_piis_{os.getpid()}"} if _db["ENGINE"] != "django.db.backends.sqlite3" else {}
DATABASES = {"default": cast(Any, with_sqlite_options(_db))}

SECRET_KEY = "test-only-insecure-key"
DEMO_DATA_ALLOWED = True
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Fast hashing in tests; base.py keeps argon2 (a test checks it).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "en"
# Static files straight from the source folders (no collectstatic in tests; e2e pages still get their CSS).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploads in tests go to a throw-away folder, never into the checkout.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "piis-test-media"
# A second alias standing for the streaming replica, on the same test database (docs/scale-out.md; tests/core/
# test_replica.py): reads inside `core.replica.reading_replica` go through it.
DATABASE_ROUTERS = ["piis.core.replica.ReplicaRouter"]
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# Background tasks run at once, inside the request (tests/jobs); the "database" alias is the real backend, for the
# test that enqueues on it and runs `db_worker --batch`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
