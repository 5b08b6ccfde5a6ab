"""Every page that shows a person's data is audited by the request that shows it.

Every GET route of the URL resolver, its path filled with the CPAS's own ids of the fuzz test's demo-like world
(tests/fuzz/world.py), is visited as every role; a page answered 200 whose HTML shows a beneficiary's last name or
national number must have written at least one audit row in that request (each request in a savepoint rolled back
after it, so the rows of one request are counted alone).
"""

import re

import pytest
from django.db import transaction
from django.test import Client

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.cases.models import Beneficiary
from tests.fuzz.routes import discover_routes
from tests.fuzz.world import build_world, path_candidates

pytestmark = pytest.mark.django_db


def _shows_a_person(world, html: str) -> str | None:
    """The first beneficiary of the world whose last name or national number the page shows, or None."""
    for last_name, number in Beneficiary.objects.filter(cpas=world.cpas).values_list("last_name", "national_number"):
        if re.search(rf"\b{re.escape(last_name)}\b", html, re.IGNORECASE) or number in html:
            return last_name
    return None


def _get(client: Client, url: str) -> tuple[int, str, int]:
    """(status, HTML or "", audit rows written) of one GET, rolled back after it."""
    savepoint = transaction.savepoint()
    try:
        before = AuditEvent.objects.count()
        response = client.get(url)
        written = AuditEvent.objects.count() - before
        if response.streaming:
            response.getvalue()  # read to the end: the test client then closes the file it streams
            html = ""
        elif response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode(errors="replace")
        else:
            html = ""
    finally:
        transaction.savepoint_rollback(savepoint)
    return response.status_code, html, written


@pytest.fixture
def world(db):
    return build_world()


def _client(membership) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(membership.user)
    session = client.session
    session["current_cpas_id"] = membership.cpas_id
    session.save()
    return client


def test_the_check_sees_an_unaudited_page(world, monkeypatch):
    """The control: a page showing a name without an audit row is reported by the crawl's check."""
    from piis.audit import services

    client = _client(world.members[Role.SOCIAL_WORKER])
    beneficiary = world.ids["beneficiary_id"][0]
    status, html, written = _get(client, f"/files/{beneficiary}/")
    assert status == 200 and _shows_a_person(world, html) and written >= 1
    monkeypatch.setattr(services, "_write", lambda event: None)  # record() writes its row there
    status, html, written = _get(client, f"/files/{beneficiary}/")
    assert status == 200 and _shows_a_person(world, html) and written == 0


def test_every_page_showing_a_person_writes_an_audit_row(world):
    candidates = path_candidates(world)
    clients = {role: _client(world.members[role]) for role in Role.values}
    unaudited, shown = [], 0
    for route in discover_routes():
        own, _other = candidates[route.params]
        for role in Role.values:
            for kwargs in own[:1] if role != Role.SOCIAL_WORKER else own:
                url = route.url(kwargs)
                status, html, written = _get(clients[role], url)
                if status != 200 or not html:
                    continue
                person = _shows_a_person(world, html)
                if person is None:
                    continue
                shown += 1
                if not written:
                    unaudited.append(f"{route.name} {url} as {role} shows {person}")
    assert shown > 50, f"only {shown} pages showed a person: the world or the check is broken"
    assert not unaudited, f"{len(unaudited)} reads of personal data without an audit row:\n" + "\n".join(unaudited)


@pytest.mark.parametrize("url", ["/files/", "/followup/agenda/", "/"])
def test_a_page_listing_people_writes_one_row_naming_each_file_shown(world, url):
    client = _client(world.members[Role.SOCIAL_WORKER])
    before = AuditEvent.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    rows = list(AuditEvent.objects.order_by("-pk")[: AuditEvent.objects.count() - before])
    assert [row.verb for row in rows] == [AuditVerb.FILE_LIST_OPENED]
    html = response.content.decode()
    listed = Beneficiary.objects.filter(pk__in=rows[0].changes["beneficiaries"])
    assert listed.count() == len(rows[0].changes["beneficiaries"]) > 0
    assert all(b.last_name.lower() in html.lower() for b in listed)
