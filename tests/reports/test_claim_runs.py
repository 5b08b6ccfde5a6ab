"""The month's claim computed once and stored (reports.claims): line for line the figures of subsidy_lines on the
known data sets of tests/reports (T44–T48's kinds of line), its reason in every language, the page reading it (or
saying it was never computed), the director's computation as a background job, the nightly command, the stale
warning."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.jobs.enums import JobKind, JobStatus
from piis.jobs.models import Job
from piis.reports.claims import compute_claim, is_out_of_date, iter_stored_lines, stored_lines, stored_run
from piis.reports.models import ClaimLine, ClaimRun
from piis.reports.subsidy import CLAIMED, subsidy_lines
from tests.factories import make_member
from tests.reports import test_subsidy_queries, test_t48_bonus_malus
from tests.reports.builders import D, compute, couple, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


def _known(cpas) -> None:
    """The data sets of the T44–T48 tests in one CPAS: each kind of line (first period, prolongation with and
    without motivation, couple, recovery, exemption, ended PIIS) and a year of 100 files at 63 % coverage."""
    test_subsidy_queries._files(cpas)  # prolongation, couple, recoverable, exempted, ended (May 2027)
    test_t48_bonus_malus._cpas_with_63_percent(cpas)  # 2028
    (_a, da), (_b, db) = couple(cpas, granted=D(2026, 3, 10))
    sign_piis(cpas, da, D(2026, 3, 20))
    sign_piis(cpas, db, D(2026, 4, 2))  # T45: both signed
    same_month, decision = file_with_ri(cpas, granted=D(2026, 3, 10))  # T44: starts on the grant day
    sign_piis(cpas, decision, D(2026, 3, 25))
    later, decision = file_with_ri(cpas, granted=D(2026, 3, 10))  # T44: the first of the signature month
    sign_piis(cpas, decision, D(2026, 5, 4))


MONTHS = [D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1), D(2027, 4, 1), D(2027, 5, 1), D(2028, 3, 1)]


@pytest.mark.parametrize("flag", [False, True])
def test_the_stored_lines_are_those_of_subsidy_lines(cpas_a, settings, flag):
    settings.PIIS_SUBSIDY_BONUS_MALUS = flag
    _known(cpas_a)
    for month in MONTHS:
        run = compute_claim(cpas_a, month)
        for language in ("en", "fr", "nl"):
            with translation.override(language):
                live = subsidy_lines(cpas_a, month)
                assert list(iter_stored_lines(cpas_a, run)) == live, (month, language)
        assert run.lines == len(live) and run.claimed == sum(1 for line in live if line.status == CLAIMED)
        assert run.claimed_amount == sum((line.amount for line in live if line.claimed), Decimal("0.00"))
        assert run.recoverable + run.not_due + run.claimed == run.lines
    assert {line.status for line in subsidy_lines(cpas_a, D(2027, 5, 1))} == {"claimed", "recoverable", "not_due"}


def test_a_second_computation_replaces_the_first(cpas_a):
    _known(cpas_a)
    first = compute_claim(cpas_a, D(2027, 5, 17))
    again = compute_claim(cpas_a, D(2027, 5, 1))
    assert ClaimRun.objects.filter(cpas=cpas_a).count() == 1 and again.month == D(2027, 5, 1)
    assert not ClaimLine.objects.filter(run_id=first.pk).exists()
    assert ClaimLine.objects.filter(run=again).count() == again.lines
    assert [line.beneficiary_id for line in stored_lines(cpas_a, again, offset=1, limit=2)] == [
        line.beneficiary_id for line in subsidy_lines(cpas_a, D(2027, 5, 1))[1:3]
    ]


def _claim(client, year=2026, month=4, page=None):
    url = reverse("reports:subsidy_claim", args=[year, month]) + (f"?page={page}" if page else "")
    return client.get(url)


def test_a_month_never_computed_says_so_and_the_director_computes_it(cpas_a, login):
    beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
    sign_piis(cpas_a, decision, D(2026, 3, 25))
    client = login(make_member(cpas_a, Role.DIRECTOR))
    with translation.override("fr"):
        body = client.get(reverse("reports:subsidy_claim", args=[2026, 4]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'data-claim-state="not-computed"' in body and 'data-figure="claimed"' not in body
    assert 'value="claim_run"' in body and beneficiary.last_name not in body
    assert not AuditEvent.objects.filter(verb="subsidy_claim_opened").exists()  # nobody shown
    csv = client.get(reverse("reports:subsidy_claim_csv", args=[2026, 4]))
    assert csv.status_code == 302  # back to the page that offers the computation
    # The button: a job (run at once by the tests' immediate task backend), then the claim.
    started = client.post(reverse("reports:build_start"), {"kind": "claim_run", "year": 2026, "month": 4})
    job = Job.objects.get(kind=JobKind.CLAIM_RUN)
    assert started.status_code == 302 and job.status == JobStatus.DONE and not job.file
    status = client.get(reverse("reports:build_status", args=[job.pk])).content.decode()
    assert reverse("reports:subsidy_claim", args=[2026, 4]) in status
    body = _claim(client).content.decode()
    assert 'data-claim-state="computed"' in body and 'data-figure="computed_at"' in body
    assert body.count('data-status="claimed"') == 1 and beneficiary.last_name in body
    assert 'data-figure="out_of_date"' not in body
    assert stored_run(cpas_a, D(2026, 4, 1)).computed_by == job.requested_by


def test_the_inspector_reads_but_does_not_compute(cpas_a, login):
    file_with_ri(cpas_a, granted=D(2026, 3, 10))
    client = login(make_member(cpas_a, Role.INSPECTOR))
    body = _claim(client).content.decode()
    assert 'data-claim-state="not-computed"' in body and 'value="claim_run"' not in body
    refused = client.post(reverse("reports:build_start"), {"kind": "claim_run", "year": 2026, "month": 4})
    assert refused.status_code == 403 and not ClaimRun.objects.exists()


def test_a_change_after_the_computation_marks_the_claim_out_of_date(cpas_a, login):
    from piis.audit.enums import AuditVerb
    from piis.audit.services import record

    beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
    run = compute(cpas_a, D(2026, 4, 1))
    assert not is_out_of_date(cpas_a, run)
    director = make_member(cpas_a, Role.DIRECTOR)
    record(actor=director.user, cpas=cpas_a, verb=AuditVerb.FILE_OPENED, target=beneficiary)  # a read: no change
    assert not is_out_of_date(cpas_a, run)
    record(actor=director.user, cpas=cpas_a, verb=AuditVerb.RI_DECISION_CORRECTED, target=decision)
    assert is_out_of_date(cpas_a, run)
    assert 'data-figure="out_of_date"' in _claim(login(director)).content.decode()


def test_the_nightly_command_computes_this_month_and_the_previous_one_twice_safely(cpas_a, cpas_b):
    file_with_ri(cpas_a, granted=D(2026, 3, 10))
    file_with_ri(cpas_b, granted=D(2026, 3, 10))
    call_command("compute_claims", "--date", "2026-04-15")
    call_command("compute_claims", "--date", "2026-04-15")
    runs = ClaimRun.objects.order_by("cpas_id", "month")
    assert [(r.cpas_id, r.month) for r in runs] == [
        (cpas.pk, month) for cpas in (cpas_a, cpas_b) for month in (D(2026, 3, 1), D(2026, 4, 1))
    ]
    assert all(r.lines == 1 and r.computed_by is None for r in runs)


def test_the_claim_page_reads_the_same_queries_for_10_and_200_lines(cpas_a, login, django_assert_num_queries):
    def files(n):
        for _ in range(n):
            _b, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
            sign_piis(cpas_a, decision, D(2026, 3, 25))
        compute(cpas_a, D(2026, 4, 1))

    files(10)
    client = login(make_member(cpas_a, Role.DIRECTOR))
    _claim(client)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert _claim(client).status_code == 200
    files(190)
    for page in (None, 2, 4):
        with django_assert_num_queries(len(few.captured_queries)):
            assert _claim(client, page=page).status_code == 200
