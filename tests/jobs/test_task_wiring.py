"""The task framework's wiring (issue 15): a report build enqueued on the real database backend is run by
`manage.py db_worker --batch` under its job's CPAS; the nightly reminders are one task per CPAS, queued by
`send_reminders --enqueue` and sent by the worker, never twice; a concluded version's PDF is stored by a task once
the conclusion commits."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from piis.accounts.enums import Role
from piis.contracts.models import ContractVersion
from piis.followup.management.commands import send_reminders as send_reminders_command
from piis.followup.tasks import send_cpas_reminders
from piis.jobs.enums import JobKind, JobStatus
from piis.jobs.models import Job
from piis.jobs.services import job_start
from piis.reports.tasks import build_report
from tests.contracts.test_lifecycle import hand_over, inform, sign, sign_all_cpas
from tests.factories import make_beneficiary, make_member, make_signatory
from tests.followup.builders import D, make_meeting_request
from tests.reports.builders import file_with_ri, sign_piis


@pytest.fixture
def matrix(cpas_a):
    return [make_signatory(cpas_a, function="president"), make_signatory(cpas_a, function="general_director")]


def _worker():
    out = io.StringIO()
    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", "--interval", "0",
                 stdout=out, stderr=out)  # fmt: skip
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_build_queued_on_the_database_backend_is_run_by_the_worker(cpas_a, cpas_b):
    person, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
    sign_piis(cpas_a, decision, D(2026, 3, 25))
    theirs, their_decision = file_with_ri(cpas_b, granted=D(2026, 3, 10))
    sign_piis(cpas_b, their_decision, D(2026, 3, 25))
    director = make_member(cpas_a, Role.DIRECTOR)
    job = job_start(cpas=cpas_a, user=director.user, kind=JobKind.CLAIM_CSV, params={"year": 2026, "month": 3},
                    task=build_report.using(backend="database"))  # fmt: skip
    assert job.status == JobStatus.QUEUED and job.task_id  # queued, not run: nobody has worked on it yet
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    _worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.beneficiary_ids == [person.pk]  # CPAS A's line only, never B's
    task_row = DBTaskResult.objects.get()
    assert task_row.status == "SUCCESSFUL" and task_row.return_value == JobStatus.DONE
    assert str(task_row.id) == job.task_id
    _worker()  # nothing left to run: the job is not built twice
    assert Job.objects.get().finished_at == job.finished_at


@pytest.mark.django_db(transaction=True)
def test_the_reminders_are_one_task_per_cpas_queued_for_the_worker_and_never_sent_twice(cpas_a, cpas_b, monkeypatch):
    monkeypatch.setattr(send_reminders_command, "send_cpas_reminders", send_cpas_reminders.using(backend="database"))
    for cpas in (cpas_a, cpas_b):
        worker = make_member(cpas)
        worker.user.email = f"worker-{cpas.pk}@example.invalid"
        worker.user.save()
        person = make_beneficiary(cpas, social_worker=worker.user)
        make_meeting_request(cpas, beneficiary=person, requested_on=D(2026, 4, 3), deadline=D(2026, 4, 13))

    def run():
        out = io.StringIO()
        call_command("send_reminders", "--enqueue", "--date", "2026-04-10", stdout=out)
        return out.getvalue()

    assert "2 CPAS queued" in run()
    assert DBTaskResult.objects.filter(status="READY").count() == 2 and not mail.outbox  # nothing sent yet
    _worker()
    assert sorted(m.to[0] for m in mail.outbox) == [f"worker-{c.pk}@example.invalid" for c in (cpas_a, cpas_b)]
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [1, 1]
    run()
    _worker()
    assert len(mail.outbox) == 2  # the same day again: queued and run, nothing new sent


@pytest.mark.django_db(transaction=True)
def test_a_concluded_versions_pdf_is_stored_by_a_task_after_the_conclusion_commits(
    cpas_a, worker_a, matrix, monkeypatch
):  # noqa: E501
    from tests.contracts.isolation_lifecycle import drafted_contract

    layouts = []
    monkeypatch.setattr("piis.contracts.pdf.html_to_pdf", lambda html, **kw: layouts.append(1) or b"%PDF-1.7 stored")
    version = hand_over(worker_a, drafted_contract(cpas_a), D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    sign(worker_a, version, "beneficiary", D(2026, 3, 9))
    assert not layouts  # not concluded yet: nothing to store
    sign_all_cpas(worker_a, version, matrix, D(2026, 3, 9))
    version = ContractVersion.objects.get(pk=version.pk)
    assert version.concluded_on == D(2026, 3, 9)
    assert version.pdf_sha256 and version.pdf_file.name and layouts == [1]  # the immediate backend ran the task


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_build_runs_as_the_app_role_under_its_cpas_row_level_security(cpas_a, cpas_b):
    """The worker connects as the app role: a task sees its job's CPAS only, even a query that forgets to scope."""
    from django.db import connection

    from piis.cases.models import Beneficiary
    from piis.core.rls import grant_app_role
    from piis.jobs.services import in_cpas
    from tests.core.test_isolation import temporary_app_role

    mine, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
    sign_piis(cpas_a, decision, D(2026, 3, 25))
    theirs, their_decision = file_with_ri(cpas_b, granted=D(2026, 3, 10))
    sign_piis(cpas_b, their_decision, D(2026, 3, 25))
    director = make_member(cpas_a, Role.DIRECTOR)
    job = Job.objects.create(cpas=cpas_a, requested_by=director.user, kind=JobKind.CLAIM_CSV,
                             params={"year": 2026, "month": 3})  # fmt: skip
    with temporary_app_role() as role:
        grant_app_role(role)
        with connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{role}"')
        with in_cpas(cpas_a.pk):
            assert list(Beneficiary.objects.values_list("pk", flat=True)) == [mine.pk]  # unscoped, fenced
        assert build_report.call(job.pk, cpas_a.pk) == JobStatus.DONE
        with in_cpas(cpas_b.pk):
            assert not Job.objects.filter(pk=job.pk).exists()  # CPAS B's context does not see A's job
        with in_cpas(cpas_a.pk):
            job.refresh_from_db()
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert job.status == JobStatus.DONE and job.beneficiary_ids == [mine.pk]


@pytest.mark.django_db(transaction=True)
def test_the_months_claim_queued_on_the_database_backend_is_computed_and_stored_by_the_worker(cpas_a, cpas_b):
    from piis.reports.models import ClaimLine, ClaimRun

    person, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
    sign_piis(cpas_a, decision, D(2026, 3, 25))
    file_with_ri(cpas_b, granted=D(2026, 3, 10))
    director = make_member(cpas_a, Role.DIRECTOR)
    job = job_start(cpas=cpas_a, user=director.user, kind=JobKind.CLAIM_RUN, params={"year": 2026, "month": 3},
                    task=build_report.using(backend="database"))  # fmt: skip
    assert job.status == JobStatus.QUEUED and not ClaimRun.objects.exists()
    _worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and not job.file
    run = ClaimRun.objects.get()
    assert (run.cpas_id, run.lines, run.claimed, run.computed_by_id) == (cpas_a.pk, 1, 1, director.user_id)
    assert list(ClaimLine.objects.values_list("beneficiary_id", flat=True)) == [person.pk]


@pytest.mark.django_db(transaction=True)
def test_a_federal_export_queued_on_the_database_backend_is_built_by_the_worker(cpas_a):
    from piis.observatory.tasks import build_export

    director = make_member(cpas_a, Role.DIRECTOR)
    params = {"start": "2026-01-01", "end": "2026-06-30", "code": "2026-S1", "generated_on": "2026-07-01"}
    job = job_start(cpas=cpas_a, user=director.user, kind=JobKind.FEDERAL_EXCHANGE, params=params,
                    task=build_export.using(backend="database"))  # fmt: skip
    assert job.status == JobStatus.QUEUED
    _worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.filename == "piis-exchange-2026-S1.json"
    assert job.file.name.endswith(".json")
