"""The monthly claim page in pages of lines: totals over every line, the people of the page audited, a number of
queries that does not grow with the lines."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.reports.views import CLAIM_PAGE_SIZE
from tests.factories import make_member
from tests.reports.builders import D, compute, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


def _files(cpas, n: int) -> list:
    people = []
    for _ in range(n):
        beneficiary, decision = file_with_ri(cpas, granted=D(2026, 3, 10))
        sign_piis(cpas, decision, D(2026, 3, 25))
        people.append(beneficiary)
    compute(cpas, D(2026, 4, 1))
    return people


def _claim(client, page=None):
    url = reverse("reports:subsidy_claim", args=[2026, 4]) + (f"?page={page}" if page else "")
    return client.get(url)


def test_the_claim_is_paginated_with_totals_over_every_line(cpas_a, login):
    total = CLAIM_PAGE_SIZE + 5
    _files(cpas_a, total)
    client = login(make_member(cpas_a, Role.DIRECTOR))
    first = _claim(client).content.decode()
    assert first.count('data-status="claimed"') == CLAIM_PAGE_SIZE
    assert re.search(r'data-figure="claimed">\s*' + str(total) + r"\s*<", first)
    amount = re.escape(str(Decimal("87.61") * total))
    assert re.search(r'data-figure="claimed_amount">\s*€ ' + amount + r"\s*<", first)
    assert f"Lines 1 to {CLAIM_PAGE_SIZE} of {total}" in first
    assert 'rel="next"' in first
    second = _claim(client, 2).content.decode()
    assert second.count('data-status="claimed"') == 5
    assert re.search(r'data-figure="claimed">\s*' + str(total) + r"\s*<", second)
    # Each page audits the people it showed, not the others.
    events = AuditEvent.objects.filter(verb="subsidy_claim_opened").order_by("pk")
    assert [len(e.changes["beneficiaries"]) for e in events] == [CLAIM_PAGE_SIZE, 5]
    # A page out of range shows the last one; a page that is not a number, the first.
    assert _claim(client, 99).content.decode().count('data-status="claimed"') == 5
    assert _claim(client, "x").content.decode().count('data-status="claimed"') == CLAIM_PAGE_SIZE


def test_a_short_claim_has_no_pager(cpas_a, login):
    _files(cpas_a, 3)
    body = _claim(login(make_member(cpas_a, Role.INSPECTOR))).content.decode()
    assert body.count('data-status="claimed"') == 3 and 'rel="next"' not in body and "Lines 1 to" not in body


def test_the_claim_page_reads_a_fixed_number_of_queries(cpas_a, login, django_assert_max_num_queries):
    _files(cpas_a, 5)
    client = login(make_member(cpas_a, Role.DIRECTOR))
    _claim(client)
    with django_assert_max_num_queries(40) as few:
        assert _claim(client).status_code == 200
    _files(cpas_a, CLAIM_PAGE_SIZE + 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _claim(client).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _claim(client, 2).status_code == 200
