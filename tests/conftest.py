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


def pass_second_factor(client, user) -> None:
    """Mark the client's session as having passed the second factor (django-otp), with a confirmed TOTP device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _test_logins_pass_the_second_factor(monkeypatch):
    """`client.force_login(user)` logs in as after the password AND the second factor (PIIS_MFA_REQUIRED is on in
    tests, as in production), so tests of other features need not type codes. Tests of the second factor itself log
    in with `client.force_login(user, second_factor=False)` or through the login form."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None, second_factor=True):
        original(self, user, backend)
        if second_factor:
            pass_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


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
