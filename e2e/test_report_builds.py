"""Flow (issue 15): the director starts the month's evidence for the inspector as a background build, follows its
progress on a page that refreshes itself (htmx) while the task worker (db_worker, database backend) builds it, and
downloads the ZIP; the status page at phone width (390 px)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.demo.data import DEMO_PASSWORD, load_demo_data
from piis.jobs.models import Job
from piis.reports.tasks import build_report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_director_builds_the_months_evidence_in_the_background(page, screenshot, monkeypatch, assert_accessible):
    # As under `make run`: the build is queued in the database, and a worker takes it (here when the test says).
    monkeypatch.setattr("piis.reports.build_views.build_report", build_report.using(backend="database"))
    load_demo_data()
    call_command("compute_claims", stdout=io.StringIO())  # the nightly run: the claims are stored
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    page.locator("a.button.primary").first.click()
    expect(page.locator('tr[data-status="claimed"]').first).to_be_visible()  # the demo gives claimed lines
    page.get_by_role("button", name="Prepare the evidence with the signed PIIS (ZIP) in the background").click()

    status = page.locator("#build-status")
    assert status.get_attribute("data-status") == "queued"
    expect(page.get_by_role("heading", name="Evidence of the month for the inspector (ZIP)")).to_be_visible()
    expect(status.locator("progress")).to_be_visible()
    assert_accessible()
    screenshot("report-build-queued-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("report-build-queued-phone")

    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", "--interval", "0")
    job = Job.objects.get()
    assert job.status == "done"
    # The page was not reloaded: its block asked again by itself and now offers the file.
    link = page.get_by_role("link", name=f"Download {job.filename}")
    link.wait_for(timeout=10000)
    assert page.locator("#build-status").get_attribute("data-status") == "done"
    screenshot("report-build-done-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("report-build-done-desktop")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == job.filename and job.filename.startswith("inspection-")
    names = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())).namelist()
    assert "manifest.json" in names and any(name.endswith(".pdf") for name in names), names
    downloads = AuditEvent.objects.filter(verb=AuditVerb.SUBSIDY_EVIDENCE_EXPORTED, context__endswith="/download/")
    assert downloads.count() == 1
