import pytest
from django.conf import settings
from django.db import connection

from piis.accounts.enums import Role
from tests.factories import make_cpas, make_member


def pytest_report_header(config):
    description = getattr(settings, "DATABASE_DESCRIPTION", "unknown")
    return [f"piis test database: {description}"]


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are skipped on SQLite with a reason that says why."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    reason = f"needs PostgreSQL (row-level security, partitions); the test database is {settings.DATABASE_DESCRIPTION}"
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def cpas_a(db):
    return make_cpas(name="CPAS A")


@pytest.fixture
def cpas_b(db):
    return make_cpas(name="CPAS B")


@pytest.fixture
def login(client):
    """login(membership) -> client logged in, with that membership's CPAS as the current one."""

    def _login(membership):
        client.force_login(membership.user)
        session = client.session
        session["current_cpas_id"] = membership.cpas_id
        session.save()
        return client

    return _login


@pytest.fixture
def worker_a(cpas_a):
    return make_member(cpas_a, Role.SOCIAL_WORKER)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a test that activates another must not leak it to the next."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
