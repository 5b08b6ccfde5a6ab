"""The request's membership holds the request's user: a page's audit row names its actor (`membership.user`)
without reading the user a second time (issue 15)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from piis.accounts.selectors import membership_for_request
from piis.audit.models import AuditEvent
from tests.factories import make_beneficiary

pytestmark = pytest.mark.django_db


def test_each_membership_holds_the_user_it_was_read_for(cpas_a, worker_a):
    user = worker_a.user
    with CaptureQueriesContext(connection) as queries:
        membership, memberships = membership_for_request(user=user, wanted_cpas_id=cpas_a.pk)
        assert membership.user is user and all(m.user is user for m in memberships)
    assert len(queries) == 1 and membership.pk == worker_a.pk


def test_an_audited_page_reads_the_user_once_and_names_them_in_its_audit_row(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    client = login(worker_a)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:detail", args=[beneficiary.pk])).status_code == 200
    user_reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "accounts_user"' in q["sql"]]
    assert len(user_reads) == 1  # the session's user (django.contrib.auth), not again for the audit row
    row = AuditEvent.objects.filter(beneficiary_id=beneficiary.pk).latest("pk")
    assert row.actor_id == worker_a.user_id
