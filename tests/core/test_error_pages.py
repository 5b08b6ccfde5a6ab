"""The application's own 404 and 500 pages (issue 10): translated, and the 500 page needs no database."""

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.contracts.isolation_lifecycle import drafted_contract


@pytest.mark.django_db
def test_an_unknown_address_gets_the_applications_not_found_page(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:1] == ["404.html"]
    page = response.content.decode()
    assert "Page not found" in page and "switch CPAS in the header" in page and 'href="/"' in page


@pytest.mark.django_db
def test_a_contract_of_another_cpas_gets_the_same_not_found_page(cpas_a, cpas_b, worker_a, login):
    contract = drafted_contract(cpas_b)
    response = login(worker_a).get(reverse("contracts:detail", args=[contract.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_the_server_error_page_needs_no_database(monkeypatch):
    """Every request opens a transaction (CurrentCpasMiddleware): when that fails with anything but an outage (an
    outage gets the 503 page, tests/core/test_outage.py), the 500 page must still render, without the request
    context, the database or URL reversing."""

    def broken(*args, **kwargs):
        raise RuntimeError("the database driver is broken")

    monkeypatch.setattr(type(connections["default"]), "ensure_connection", broken)
    response = Client(raise_request_exception=False).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "Server Error (500)" not in page
    assert 'lang="en"' in page
