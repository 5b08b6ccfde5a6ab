"""The session is saved as the last write of the request's transaction (piis.accounts.sessions): a page that writes
its audit row commits once, not once for its writes and once more for the session (issue 15)."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from piis.accounts.sessions import SessionStore
from piis.audit.models import AuditEvent
from tests.factories import make_beneficiary


def _store_with_data() -> SessionStore:
    store = SessionStore()
    store["piis_test"] = 1
    store.save(must_create=True)
    return SessionStore(store.session_key)


@pytest.mark.django_db(transaction=True)
def test_a_page_that_writes_commits_once_with_its_session(worker_a, login, monkeypatch):
    person = make_beneficiary(worker_a.cpas, social_worker=worker_a.user)
    client = login(worker_a)
    client.get(reverse("core:home"))
    commits = []
    real_commit = connection.commit
    monkeypatch.setattr(connection, "commit", lambda: (commits.append(1), real_commit())[1])
    before = Session.objects.get().expire_date
    audit_rows = AuditEvent.objects.filter(beneficiary_id=person.pk).count()
    response = client.get(reverse("cases:detail", args=[person.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(beneficiary_id=person.pk).count() > audit_rows  # the page wrote its audit row…
    assert len(commits) == 1  # …and the session in the same transaction
    assert Session.objects.get().expire_date >= before  # the idle limit still counts from this request


@pytest.mark.django_db
def test_a_session_saved_with_the_request_is_not_written_again():
    store = _store_with_data()
    store.save_with_request(HttpResponse())
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_session_changed_after_the_request_transaction_is_saved_again():
    store = _store_with_data()
    store.save_with_request(HttpResponse())
    store["messages"] = "left for the next page"  # e.g. MessageMiddleware, outside the request's transaction
    store.save()
    assert SessionStore(store.session_key)["messages"] == "left for the next page"


@pytest.mark.django_db
def test_a_session_deleted_meanwhile_is_left_to_djangos_save():
    store = _store_with_data()
    Session.objects.filter(session_key=store.session_key).delete()  # logged out in another tab
    store.save_with_request(HttpResponse())
    with pytest.raises(UpdateError):  # SessionMiddleware turns it into SessionInterrupted, as before
        store.save()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [500, 503])
def test_an_error_page_saves_no_session(status):
    store = _store_with_data()
    with CaptureQueriesContext(connection) as queries:
        store.save_with_request(HttpResponse(status=status))
    assert len(queries) == 0 and not store._saved_with_request


@pytest.mark.django_db
def test_a_request_being_rolled_back_leaves_the_session_to_its_own_save():
    store = _store_with_data()
    with transaction.atomic():
        transaction.set_rollback(True)
        with CaptureQueriesContext(connection) as queries:
            store.save_with_request(HttpResponse())
        assert len(queries) == 0
    store["piis_test"] = 2
    store.save()
    assert SessionStore(store.session_key)["piis_test"] == 2


@pytest.mark.django_db
def test_a_session_without_data_is_not_saved():
    store = SessionStore()
    with CaptureQueriesContext(connection) as queries:
        store.save_with_request(HttpResponse())
    assert len(queries) == 0 and not Session.objects.exists()
