"""No CPAS ever sees another's data: URLs of another CPAS's objects give 404, and on PostgreSQL row-level
security hides other CPAS's rows even from a query that forgets to scope."""

import importlib
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.core.models import tenant_models
from piis.core.rls import APP_ROLE, POLICY, grant_app_role, set_current_cpas
from tests.factories import make_beneficiary, make_closure_day, make_delegation, make_member, make_signatory

# Every tenant model, with how to make one and the URLs that show or change one (role that may use them).
# Each app's tests add theirs in tests/<app>/isolation*.py (BUILDERS and URLS dicts, same shapes); a tenant model
# without an entry fails test_every_tenant_model_is_covered.
BUILDERS = {
    "cases.beneficiary": make_beneficiary,
    "accounts.closureday": make_closure_day,
    "accounts.signatory": make_signatory,
    "accounts.signatorydelegation": make_delegation,
    "audit.auditevent": lambda cpas: record(
        actor=None, cpas=cpas, verb=AuditVerb.FILE_OPENED, target_type="cases.beneficiary"
    ),
}
URLS = {
    "cases.beneficiary": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("cases:detail", args=[o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("cases:edit", args=[o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("cases:edit", args=[o.pk])),
    ],
    "accounts.closureday": [
        (Role.CPAS_ADMIN, "post", lambda o: reverse("accounts:cpas_object_remove", args=["closure", o.pk])),
    ],
    "accounts.signatory": [
        (Role.CPAS_ADMIN, "get", lambda o: reverse("accounts:signatory_edit", args=[o.pk])),
        (Role.CPAS_ADMIN, "post", lambda o: reverse("accounts:cpas_object_remove", args=["signatory", o.pk])),
    ],
    "accounts.signatorydelegation": [
        (Role.CPAS_ADMIN, "post", lambda o: reverse("accounts:cpas_object_remove", args=["delegation", o.pk])),
    ],
    # Audit events have no page of their own: they are listed only inside the DPO's own CPAS (tests/audit).
    "audit.auditevent": [],
}


def _collect_app_registries():
    for path in sorted(Path(__file__).resolve().parent.parent.glob("*/isolation*.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        for label, builder in getattr(module, "BUILDERS", {}).items():
            assert label not in BUILDERS, f"{label} registered twice"
            BUILDERS[label] = builder
        for label, urls in getattr(module, "URLS", {}).items():
            URLS.setdefault(label, []).extend(urls)


_collect_app_registries()


def test_every_tenant_model_is_covered():
    labels = {model._meta.label_lower for model in tenant_models()}
    assert labels == set(BUILDERS) == set(URLS)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(URLS))
def test_another_cpas_object_url_answers_404(label, cpas_a, cpas_b, login):
    other = BUILDERS[label](cpas_b)
    for role, method, url in URLS[label]:
        client = login(make_member(cpas_a, role))
        response = getattr(client, method)(url(other))
        assert response.status_code == 404, (label, url(other), response.status_code)
    assert type(other).objects.filter(pk=other.pk).exists()  # nothing was deleted across the fence


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(URLS))
def test_same_cpas_object_url_answers(label, cpas_a, login):
    """The control: the same URLs work inside one's own CPAS (so the 404 above is the fence, not a typo)."""
    for role, method, url in URLS[label]:
        own = BUILDERS[label](cpas_a)
        client = login(make_member(cpas_a, role))
        response = getattr(client, method)(url(own))
        assert response.status_code in (200, 302), (label, url(own), response.status_code)


def _tenant_tables():
    return sorted(model._meta.db_table for model in tenant_models())


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_tenant_table_has_forced_rls_and_policy():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY(%s)",
            [_tenant_tables()],
        )
        flags = {name: (rls, force) for name, rls, force in cursor.fetchall()}
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = %s", [POLICY])
        with_policy = {row[0] for row in cursor.fetchall()}
    for table in _tenant_tables():
        assert flags.get(table) == (True, True), f"{table} lacks ENABLE + FORCE ROW LEVEL SECURITY"
        assert table in with_policy, f"{table} has no {POLICY} policy"


def _role_exists(role: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


@contextmanager
def temporary_app_role():
    """An unprivileged role like the app's, for this test process only, dropped afterwards.

    Roles belong to the whole PostgreSQL cluster, not to the test database: parallel runs must neither share one
    nor drop another's, and none may stay behind (a rolled-back test transaction undoes CREATE ROLE, a
    transactional test does not)."""
    role = f"{APP_ROLE}_test_{os.getpid()}"
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")  # a test's SET LOCAL ROLE lasts until its outer transaction ends
        if _role_exists(role):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP OWNED BY "{role}"')  # its grants and default privileges in this database
                cursor.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def app_role(db):
    with temporary_app_role() as role:
        yield role


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_role_created_for_a_test_is_dropped_afterwards():
    with temporary_app_role() as role:
        grant_app_role(role)  # committed: no test transaction to roll it back
        assert _role_exists(role)
    assert not _role_exists(role)


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_unscoped_query_under_other_cpas_returns_none_of_its_rows(label, cpas_a, cpas_b, app_role):
    mine, theirs = BUILDERS[label](cpas_a), BUILDERS[label](cpas_b)
    model = type(mine)
    grant_app_role(app_role)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{app_role}"')
        set_current_cpas(cpas_a.pk)
        seen = set(model.objects.values_list("pk", flat=True))  # deliberately unscoped
        assert mine.pk in seen and theirs.pk not in seen
        set_current_cpas(None)
        assert not model.objects.exists(), "an unset CPAS must match no row"


@pytest.mark.postgres
@pytest.mark.django_db
def test_rls_refuses_writing_a_row_into_another_cpas(cpas_a, cpas_b, app_role):
    from django.db.utils import ProgrammingError

    grant_app_role(app_role)
    with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{app_role}"')
        set_current_cpas(cpas_a.pk)
        make_beneficiary(cpas_b)


@pytest.mark.postgres
@pytest.mark.django_db
def test_request_sets_the_cpas_for_rls_inside_its_transaction(cpas_a, login):
    """The middleware sets app.cpas_id per request, transaction-locally: nothing remains after it."""
    client = login(make_member(cpas_a, Role.SOCIAL_WORKER))
    seen = {}

    from piis.www import home as views

    original = views.count_files

    def spy(membership):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.cpas_id', true)")
            seen["inside"] = cursor.fetchone()[0]
        return original(membership)

    views.count_files = spy
    try:
        assert client.get(reverse("core:home")).status_code == 200
    finally:
        views.count_files = original
    assert seen["inside"] == str(cpas_a.pk)


@pytest.mark.postgres
@pytest.mark.django_db
def test_grant_app_role_command_grants_an_unprivileged_role(app_role):
    from django.core.management import call_command

    call_command("grant_app_role", role=app_role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [app_role])
        assert cursor.fetchone() == (False, False)
        cursor.execute("SELECT has_table_privilege(%s, 'cases_beneficiary', 'SELECT')", [app_role])
        assert cursor.fetchone() == (True,)
        cursor.execute("SELECT has_table_privilege(%s, 'audit_auditevent', 'UPDATE')", [app_role])
        assert cursor.fetchone() == (False,)


# --- every relation the app role can reach, the audit partitions included (issue 16) -----------------------------


# Directory tables hold a cpas_id but are read before any CPAS is set, so no tenant policy can apply; their reads
# go through one selector each (accounts.selectors.membership_for_request, followup's feed-by-token lookup).
DIRECTORY_TABLES = {
    "accounts_membership": "read at login, to know which CPAS the user may enter",
    "followup_calendarfeed": "looked up by its secret token before the feed's CPAS is known",
    "portal_portalaccount": "read at the person's login, to know the CPAS of their portal session",
    "portal_portalinvitation": "looked up by the code the person types before their CPAS is known",
    "observatory_cpasfigure": "aggregates per CPAS (no person, suppressed under 5), compared across CPAS by design",
}


def _fenced(cursor, table: str) -> bool:
    cursor.execute(
        "SELECT c.relrowsecurity AND c.relforcerowsecurity AND EXISTS "
        "(SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = %s) "
        "FROM pg_class c WHERE c.relname = %s",
        [POLICY, table],
    )
    return bool(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_relation_the_app_role_can_read_with_a_cpas_column_is_fenced(app_role):
    """Not only the models' tables: whatever the app role can SELECT and holds a cpas_id (partitions included)."""
    grant_app_role(app_role)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'cpas_id' AND NOT a.attisdropped "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
            "AND has_table_privilege(%s, c.oid, 'SELECT') ORDER BY c.relname",
            [app_role],
        )
        reachable = [row[0] for row in cursor.fetchall()]
        unfenced = [t for t in reachable if t not in DIRECTORY_TABLES and not _fenced(cursor, t)]
    assert any(name.startswith("audit_auditevent_") for name in reachable)
    assert not unfenced, f"reachable by the app role without ENABLE + FORCE + {POLICY}: {unfenced}"


def _current_partition() -> str:
    from django.utils import timezone

    return f"audit_auditevent_{timezone.now():%Y%m}"


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_audit_partition_queried_directly_shows_only_the_current_cpas(cpas_a, cpas_b, app_role):
    actor = make_member(cpas_a).user
    for cpas in (cpas_a, cpas_b):
        record(actor=actor, cpas=cpas, verb=AuditVerb.AUDIT_EXPORTED, target_type="audit.auditevent")
    grant_app_role(app_role)
    partition = _current_partition()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{app_role}"')
        set_current_cpas(cpas_a.pk)
        cursor.execute(f'SELECT DISTINCT cpas_id FROM "{partition}"')
        assert [row[0] for row in cursor.fetchall()] == [cpas_a.pk]
        set_current_cpas(None)
        cursor.execute(f'SELECT count(*) FROM "{partition}"')
        assert cursor.fetchone()[0] == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_row_forged_into_a_partition_for_another_cpas_is_refused(cpas_a, cpas_b, app_role):
    from django.db.utils import ProgrammingError

    grant_app_role(app_role)
    partition = _current_partition()
    with (
        pytest.raises(ProgrammingError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f'SET LOCAL ROLE "{app_role}"')
        set_current_cpas(cpas_a.pk)
        cursor.execute(
            f'INSERT INTO "{partition}" (occurred_at, cpas_id, actor_label, verb, target_type, target_id, '
            "target_repr, changes, context) VALUES (now(), %s, 'x', 'file_opened', 't', NULL, '', '{}', '')",
            [cpas_b.pk],
        )


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_month_partition_created_later_is_fenced_too():
    import datetime

    from piis.audit.partitions import ensure_month_partitions

    created = ensure_month_partitions(datetime.date(2031, 1, 1), 1)
    assert created == ["audit_auditevent_203101"]
    with connection.cursor() as cursor:
        assert _fenced(cursor, "audit_auditevent_203101")
