"""A NUL character anywhere in a request (path, query, form field or its name, upload field, cookie) is refused before
any view or database sees it: a 400 page that says what to do, never a server error (PostgreSQL refuses NUL in
text) and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from tests.factories import make_beneficiary, make_member

pytestmark = pytest.mark.django_db

REFUSAL = "contains a null character"


@pytest.fixture
def dpo_client(cpas_a, login):
    return login(make_member(cpas_a, Role.DPO))


@pytest.mark.parametrize(
    "query",
    [{"actor": "a\x00b"}, {"target_type": "\x00"}, {"verb": "file_opened\x00"}, {"date_from": "2026-01-01\x00"},
     {"beneficiary_id": "1\x00"}, {"page": "\x00"}, {"x\x00": "1"}],
)  # fmt: skip
@pytest.mark.parametrize("page", ["audit:list", "audit:export"])
def test_a_nul_in_an_audit_filter_is_refused_and_nothing_is_recorded(dpo_client, page, query):
    before = AuditEvent.objects.count()
    response = dpo_client.get(reverse(page), query)
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert AuditEvent.objects.count() == before  # not even the export's own audit row


def test_a_nul_in_the_file_search_is_refused(cpas_a, login):
    response = login(make_member(cpas_a, Role.SOCIAL_WORKER)).get(reverse("cases:list"), {"q": "Mar\x00tin"})
    assert response.status_code == 400 and REFUSAL in response.content.decode()


def test_a_nul_in_a_form_field_or_its_name_is_refused_and_nothing_is_saved(cpas_a, login):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    beneficiary = make_beneficiary(cpas_a, first_name="Alex")
    client = login(worker)
    url = reverse("cases:edit", args=[beneficiary.pk])
    for data in (
        {"first_name": "Al\x00ex"},
        {"first\x00name": "x"},
        {"scan\x00": SimpleUploadedFile("a.pdf", b"%PDF")},
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert REFUSAL in response.content.decode()
    beneficiary.refresh_from_db()
    assert beneficiary.first_name == "Alex"


def test_a_nul_in_the_path_or_a_cookie_is_refused_before_the_session_is_read(django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(0):
        assert client.get("/followup/feed/a%00b.ics").status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    with django_assert_num_queries(0):
        response = client.get(reverse("core:home"))
    assert response.status_code == 400 and REFUSAL in response.content.decode()


def test_the_refusal_speaks_the_browsers_language():
    response = Client().get(reverse("accounts:login"), {"next": "\x00"}, headers={"accept-language": "nl"})
    assert response.status_code == 400
    assert response.content.decode().startswith("<!DOCTYPE html>") and 'lang="nl"' in response.content.decode()


def test_text_without_nul_still_goes_through(cpas_a, login):
    response = login(make_member(cpas_a, Role.SOCIAL_WORKER)).get(
        reverse("cases:list"), {"q": "Martin \u202e\U0001f600"}
    )
    assert response.status_code == 200
