"""The file page: every section in a fixed number of queries, whatever the number of records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    make_assessment,
    make_assessment_item,
    make_assistant,
    make_beneficiary,
    make_exemption,
    make_household_member,
    make_income_period,
    make_ri_decision,
)

pytestmark = pytest.mark.django_db


def _fill(cpas, beneficiary, worker, n: int) -> None:
    for i in range(n):
        make_ri_decision(cpas, beneficiary=beneficiary, decided_on=datetime.date(2020 + i, 1, 10))
        make_household_member(cpas, beneficiary=beneficiary)
        make_assistant(cpas, beneficiary=beneficiary)
        make_income_period(
            cpas,
            beneficiary=beneficiary,
            start_on=datetime.date(2010 + i, 1, 1),
            end_on=datetime.date(2010 + i, 6, 30),
        )
        make_exemption(
            cpas,
            beneficiary=beneficiary,
            start_on=datetime.date(2020 + i, 2, 1),
            end_on=datetime.date(2020 + i, 5, 31),
            review_on=datetime.date(2020 + i, 4, 1),
        )
        assessment = make_assessment(cpas, beneficiary=beneficiary, author=worker.user)
        for domain in ("employment", "housing", "health"):
            make_assessment_item(
                cpas, assessment=assessment, domain=domain, justification="Needed", consent_given=True
            )


def _count(client, beneficiary) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:detail", args=[beneficiary.pk])).status_code == 200
    return len(queries)


def test_file_page_queries_do_not_grow_with_the_records(cpas_a, worker_a, login):
    small, large = make_beneficiary(cpas_a), make_beneficiary(cpas_a)
    _fill(cpas_a, small, worker_a, 1)
    _fill(cpas_a, large, worker_a, 6)
    client = login(worker_a)
    assert _count(client, large) == _count(client, small)


def test_file_page_runs_a_bounded_number_of_queries(cpas_a, worker_a, login, django_assert_max_num_queries):
    beneficiary = make_beneficiary(cpas_a)
    _fill(cpas_a, beneficiary, worker_a, 5)
    client = login(worker_a)
    # 19: session, user, second factor, membership, RLS setting, the file (with whether each of its relations holds
    # a row, and its CPAS's closure days), the audit row (its actor is the request's user, not read again), one per
    # relation that holds rows (here household, assistants, RI decisions, earlier periods, exemptions, assessments
    # and their items), the session's save, and the test transaction's savepoints. No PIIS, meeting request,
    # sanction dossier, council item, document or letter on this file: none is read (test_file_page_rich for a file
    # with them all).
    with django_assert_max_num_queries(19):
        response = client.get(reverse("cases:detail", args=[beneficiary.pk]))
    assert len(response.context["ri_decisions"]) == 5 and len(response.context["assessments"]) == 5
