"""Issue 15: the agenda and the home page read a number of queries that does not depend on the caseload, and the
agenda shows one page of deadlines (its audit row names only the people on that page)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.www.agenda import AGENDA_PAGE_SIZE
from tests.factories import make_member
from tests.followup.builders import D, at, make_caseload

pytestmark = pytest.mark.django_db
TODAY = D(2026, 4, 8)


def _queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url_name", ["followup:agenda", "core:home"])
def test_page_queries_do_not_grow_with_the_caseload(cpas_a, worker_a, login, url_name):
    other = make_member(cpas_a)
    make_caseload(cpas_a, worker_a.user, 5, due_dates=True)
    make_caseload(cpas_a, other.user, 60, due_dates=True)
    with at(TODAY):
        small = _queries(login(worker_a), reverse(url_name))
        large = _queries(login(other), reverse(url_name))
    assert small == large


def test_home_page_query_budget(cpas_a, worker_a, login, django_assert_max_num_queries):
    make_caseload(cpas_a, worker_a.user, 150, due_dates=True)
    client = login(worker_a)
    with at(TODAY):
        client.get(reverse("core:home"))
        # The session, the user, the second-factor device, the membership, the row-level security setting (and two
        # savepoints), the files in reach, the caseload's files not fresh with the overdue and next deadlines and
        # the overdue count (one query), the audit row, the session's save (and its savepoints).
        with django_assert_max_num_queries(13):
            assert client.get(reverse("core:home")).status_code == 200


def test_agenda_shows_one_page_of_deadlines_and_audits_its_people(cpas_a, worker_a, login):
    make_caseload(cpas_a, worker_a.user, 40, due_dates=True)
    client = login(worker_a)
    with at(TODAY):
        first = client.get(reverse("followup:agenda"))
        view, page = first.context["view"], first.context["page"]
        assert view.total > AGENDA_PAGE_SIZE and len(page.object_list) == AGENDA_PAGE_SIZE
        assert sum(view.counts.values()) == view.total  # the counts are over every deadline, not the page
        shown = AuditEvent.objects.filter(verb=AuditVerb.FILE_LIST_OPENED).order_by("-id").first()
        second = client.get(reverse("followup:agenda"), {"page": 2})
    assert [i.key for i in second.context["page"]] == [
        i.key for i in view.items[AGENDA_PAGE_SIZE : 2 * AGENDA_PAGE_SIZE]
    ]
    assert 'rel="next"' in first.content.decode()
    assert set(shown.changes["beneficiaries"]) == {i.beneficiary.pk for i in page}


def test_agenda_reads_the_sanction_dates_when_the_cpas_has_a_running_dossier(cpas_a, worker_a, login):
    """The agenda asks first whether the CPAS has a transfer or a dossier running (one query for both); with one,
    the procedure's dates are read and shown to the file's worker, in one query more."""
    from tests.factories import make_contract
    from tests.sanctions.builders import make_dossier, make_notice

    client = login(worker_a)
    with at(D(2026, 4, 30)):
        before = _queries(client, reverse("followup:agenda"))
    contract = make_contract(cpas_a, status="in_force", signed_on=D(2026, 1, 15), social_worker=worker_a.user)
    make_notice(cpas_a, dossier=make_dossier(cpas_a, contract=contract), sent_on=D(2026, 4, 24))
    with at(D(2026, 4, 30)):
        after = _queries(client, reverse("followup:agenda"))
        html = client.get(reverse("followup:agenda")).content.decode()
    assert 'id="sanction-dates"' in html and "08/05/2026" in html
    assert after >= before + 1  # the dossiers with their steps (one query per step prefetched)


@pytest.mark.parametrize("days_later", [0, 45])
def test_a_read_that_finds_files_not_fresh_recomputes_them_then_reads(cpas_a, worker_a, login, days_later):
    """The agenda's counts and the home page's lists are read in the statement that checks the caseload's freshness:
    when it finds files not fresh (their first read, or a day that changes them), they are recomputed and read
    again; the page shows what a second read shows."""
    import datetime

    make_caseload(cpas_a, worker_a.user, 20, due_dates=True)
    client = login(worker_a)
    day = TODAY + datetime.timedelta(days=days_later)
    with at(TODAY):
        client.get(reverse("followup:agenda"))  # computed for TODAY
    with at(day):
        client = login(worker_a)  # a new session: the first one has expired
        first = client.get(reverse("followup:agenda")).context["view"]
        second = client.get(reverse("followup:agenda")).context["view"]
        home_first = client.get(reverse("core:home")).context["counts"]
        home_second = client.get(reverse("core:home")).context["counts"]
    assert first.total > 0 and (first.counts, first.overdue) == (second.counts, second.overdue)
    assert home_first["overdue"] == home_second["overdue"] == second.overdue
    assert [i.key for i in home_first["next"]] == [i.key for i in home_second["next"]]
