"""Reports built in the background (issue 15): the page starts a build, follows it and downloads the result; the
file is the same as the page's own export, reached only in its CPAS by a role allowed that report, and every
download is audited as the export. Tests run the tasks with the immediate backend (settings.test.TASKS)."""

import io
import zipfile

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.jobs.enums import JobKind, JobStatus
from piis.jobs.models import Job
from piis.jobs.services import JobOutput, run_job
from tests.factories import make_member, make_version
from tests.jobs.builders import make_job
from tests.reports.builders import D, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed_month(cpas_a):
    """Two people with an RI granted in March 2026 and a PIIS signed within the month: two claimed lines."""
    people = []
    for _ in range(2):
        person, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
        contract = sign_piis(cpas_a, decision, D(2026, 3, 25))
        make_version(cpas_a, contract=contract, concluded_on=D(2026, 3, 25))
        people.append(person)
    return people


def _start(client, **data):
    return client.post(reverse("reports:build_start"), data)


def test_the_claim_built_in_the_background_is_the_pages_csv_and_its_download_is_audited(cpas_a, login, claimed_month):
    client = login(make_member(cpas_a, Role.DIRECTOR))
    response = _start(client, kind="claim_csv", year=2026, month=3)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:build_status", args=[job.pk])
    assert job.status == JobStatus.DONE and job.progress == 100 and job.task_id
    assert sorted(job.beneficiary_ids) == sorted(p.pk for p in claimed_month)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("reports:build_download", args=[job.pk]).encode() in page.content
    assert b"hx-trigger" not in page.content  # finished: the block stops asking
    before = AuditEvent.objects.filter(verb=AuditVerb.SUBSIDY_CLAIM_EXPORTED).count()
    download = client.get(reverse("reports:build_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert download["Content-Disposition"] == f'attachment; filename="piis-subsidy-{cpas_a.nis_code}-2026-03.csv"'
    # The background file and the page's CSV are the same claim (the page's reads the stored claim, computed here).
    from tests.reports.builders import compute

    compute(cpas_a, D(2026, 3, 1))
    assert download.content == client.get(reverse("reports:subsidy_claim_csv", args=[2026, 3])).content
    events = AuditEvent.objects.filter(verb=AuditVerb.SUBSIDY_CLAIM_EXPORTED).order_by("pk")
    assert events.count() == before + 2  # the background file's download, then the page's own CSV
    background, page = events[before], events[before + 1]
    assert background.changes == page.changes and background.context.endswith("/download/")


def test_the_months_evidence_built_in_the_background_holds_the_signed_piis(cpas_a, login, claimed_month, monkeypatch):
    monkeypatch.setattr("piis.contracts.pdf.html_to_pdf", lambda html, **kwargs: b"%PDF-1.7 test layout")
    client = login(make_member(cpas_a, Role.INSPECTOR))
    _start(client, kind="month_bundle", year=2026, month=3)
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.error_code
    download = client.get(reverse("reports:build_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert "manifest.json" in names
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 2, names  # one signed PIIS per claimed line, which the page's own ZIP leaves out
    assert AuditEvent.objects.filter(verb=AuditVerb.SUBSIDY_EVIDENCE_EXPORTED).count() == 1


def test_the_annual_pdf_built_in_the_background(cpas_a, login, claimed_month):
    client = login(make_member(cpas_a, Role.COUNCIL_MEMBER))
    _start(client, kind="annual_pdf", year=2026)
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.error_code
    download = client.get(reverse("reports:build_download", args=[job.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert job.filename == f"piis-annual-{cpas_a.nis_code}-2026.pdf"


@pytest.mark.parametrize(
    ("role", "kind", "status"),
    [
        (Role.SOCIAL_WORKER, "annual_pdf", 403),  # no report at all
        (Role.COUNCIL_MEMBER, "claim_csv", 403),  # the annual report only: the claim names people
        (Role.DIRECTOR, "claim_csv", 302),
    ],
)
def test_who_may_start_a_build(cpas_a, login, role, kind, status):
    client = login(make_member(cpas_a, role))
    assert _start(client, kind=kind, year=2026, month=3).status_code == status
    assert Job.objects.exists() == (status == 302)


REFUSED = [
    {},
    {"kind": "claim_csv", "year": 2026},
    {"kind": "x", "year": 2026},
    {"kind": "annual_pdf", "year": 1999},
    {"kind": "annual_pdf", "year": 9999},
]


@pytest.mark.parametrize("data", REFUSED)
def test_a_build_that_cannot_be_made_is_refused_before_anything_is_queued(cpas_a, login, data):
    client = login(make_member(cpas_a, Role.DIRECTOR))
    response = _start(client, **data)
    assert response.status_code == 302 and response["Location"] == reverse("reports:index")
    assert not Job.objects.exists()


def test_a_build_of_cpas_a_is_out_of_reach_from_cpas_b_and_from_a_role_not_allowed_its_report(cpas_a, cpas_b, login):
    job = make_job(cpas_a, kind=JobKind.CLAIM_CSV)
    status, download = (reverse(f"reports:{name}", args=[job.pk]) for name in ("build_status", "build_download"))
    for member in (make_member(cpas_b, Role.DIRECTOR), make_member(cpas_a, Role.COUNCIL_MEMBER)):
        client = login(member)
        assert client.get(status).status_code == 404
        assert client.get(download).status_code == 404
    client = login(make_member(cpas_a, Role.INSPECTOR))
    assert client.get(download).status_code == 200  # the control: the same CPAS, a role allowed the claim


def test_the_status_block_refreshes_itself_with_htmx_until_the_build_is_finished(cpas_a, login):
    director = make_member(cpas_a, Role.DIRECTOR)
    job = Job.objects.create(cpas=cpas_a, requested_by=director.user, kind=JobKind.ANNUAL_PDF,
                             params={"year": 2026}, status=JobStatus.RUNNING, progress=40)  # fmt: skip
    client = login(director)
    url = reverse("reports:build_status", args=[job.pk])
    page = client.get(url)
    assert b'hx-trigger="every 2s"' in page.content and b'value="40"' in page.content
    assert b"<script" not in page.content.split(b"<main", 1)[-1]  # no inline script (CSP)
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.content.lstrip().startswith(b"<section") and b"<html" not in fragment.content
    # not finished: the download waits on the status page
    assert client.get(reverse("reports:build_download", args=[job.pk])).status_code == 302


def test_a_job_runs_once_and_a_refused_build_fails_with_its_message(cpas_a, login):
    director = make_member(cpas_a, Role.DIRECTOR)
    job = Job.objects.create(cpas=cpas_a, requested_by=director.user, kind=JobKind.ANNUAL_PDF, params={"year": 2026})
    calls = []

    def refuse(job, progress):
        calls.append(job.pk)
        progress(50)
        raise ServiceError("PRINT_TIMEOUT")

    assert run_job(job.pk, cpas_a.pk, refuse) == JobStatus.FAILED
    assert run_job(job.pk, cpas_a.pk, lambda j, p: JobOutput(b"x", "x.pdf", "application/pdf")) == JobStatus.FAILED
    assert calls == [job.pk]  # not built again
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error_code == "PRINT_TIMEOUT" and not job.file
    page = login(director).get(reverse("reports:build_status", args=[job.pk]))
    assert b"PRINT_TIMEOUT" not in page.content and b'class="error"' in page.content


@pytest.mark.django_db(transaction=True)
def test_prune_jobs_forgets_old_builds_and_their_files_and_is_safe_to_run_twice(cpas_a, cpas_b):
    import datetime

    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.utils import timezone

    old, recent, theirs = make_job(cpas_a), make_job(cpas_a), make_job(cpas_b)
    long_ago = timezone.now() - datetime.timedelta(days=8)
    Job.objects.filter(pk__in=[old.pk, theirs.pk]).update(finished_at=long_ago)
    for _run in range(2):
        call_command("prune_jobs", "--days", "7", stdout=io.StringIO())
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not default_storage.exists(old.file.name) and not default_storage.exists(theirs.file.name)
    assert default_storage.exists(recent.file.name)


def test_the_reports_page_lists_the_builds_this_role_may_read(cpas_a, cpas_b, login):
    claim, annual = make_job(cpas_a, kind=JobKind.CLAIM_CSV), make_job(cpas_a, kind=JobKind.ANNUAL_PDF)
    theirs = make_job(cpas_b, kind=JobKind.ANNUAL_PDF)
    links = {job: reverse("reports:build_status", args=[job.pk]).encode() for job in (claim, annual, theirs)}
    director = login(make_member(cpas_a, Role.DIRECTOR)).get(reverse("reports:index")).content
    assert links[claim] in director and links[annual] in director and links[theirs] not in director
    council = login(make_member(cpas_a, Role.COUNCIL_MEMBER)).get(reverse("reports:index")).content
    assert links[annual] in council and links[claim] not in council  # the claim names people: not the council's
