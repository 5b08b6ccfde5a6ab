"""Flows (issues 14 and 15): the director computes the month's subsidy claim in the background (a month never
computed says so and offers it), follows its progress while the task worker computes and stores it, then reads the
totals and the first page of lines; the director prepares the federal statistics of a half-year in the background
and downloads the file. Pages at phone width (390 px)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.demo.data import DEMO_PASSWORD, load_demo_data
from piis.jobs.models import Job
from piis.observatory.tasks import build_export
from piis.reports.models import ClaimRun
from piis.reports.tasks import build_report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _worker() -> None:
    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", "--interval", "0")


def _phone(page, screenshot, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (name, width)
    screenshot(name)


def test_the_director_computes_the_months_claim_and_reads_it(page, screenshot, monkeypatch, assert_accessible):
    monkeypatch.setattr("piis.reports.build_views.build_report", build_report.using(backend="database"))
    load_demo_data()
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.goto(f"/reports/subsidy/{last_month.year}/{last_month.month}/")
    state = page.locator("[data-claim-state]")
    assert state.get_attribute("data-claim-state") == "not-computed"
    expect(page.get_by_text("The claim of this month has not been computed yet.")).to_be_visible()
    assert page.locator('tr[data-status="claimed"]').count() == 0
    assert page.locator('[data-figure="claimed"]').count() == 0
    assert_accessible()
    _phone(page, screenshot, "claim-not-computed-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Compute the claim now").click()
    status = page.locator("#build-status")
    assert status.get_attribute("data-status") == "queued"
    expect(page.get_by_role("heading", name="Computation of the month's subsidy claim")).to_be_visible()
    _phone(page, screenshot, "claim-computing-phone")
    _worker()
    job = Job.objects.get()
    assert job.status == "done" and not job.file
    see = page.get_by_role("link", name="See the computed claim")
    see.wait_for(timeout=10000)  # the block asked again by itself
    see.click()

    run = ClaimRun.objects.get()
    assert page.locator("[data-claim-state]").get_attribute("data-claim-state") == "computed"
    assert page.locator('[data-figure="computed_at"]').inner_text().startswith("Computed on")
    assert int(page.locator('[data-figure="claimed"]').inner_text()) == run.claimed > 0
    assert page.locator("table.list tbody tr").count() == min(run.lines, 50)
    assert page.locator('[data-figure="out_of_date"]').count() == 0
    assert AuditEvent.objects.filter(verb=AuditVerb.SUBSIDY_CLAIM_OPENED).count() == 1
    assert_accessible()
    screenshot("claim-computed-desktop")
    _phone(page, screenshot, "claim-computed-phone")
    expect(page.get_by_role("button", name="Compute the claim again")).to_be_visible()


def test_the_director_prepares_the_federal_statistics_and_downloads_them(page, screenshot, monkeypatch):
    monkeypatch.setattr("piis.observatory.views.build_export", build_export.using(backend="database"))
    load_demo_data()
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.goto("/observatory/federal/")
    page.get_by_role("button", name="Download the statistics (CSV)").click()
    expect(page.get_by_role("heading", name="Federal statistics (CSV)")).to_be_visible()
    _phone(page, screenshot, "federal-export-offer-phone")
    page.get_by_role("button", name="Prepare the file").click()
    status = page.locator("#export-status")
    assert status.get_attribute("data-status") == "queued"
    expect(status.locator("progress")).to_be_visible()
    _phone(page, screenshot, "federal-export-queued-phone")
    _worker()
    job = Job.objects.get()
    assert job.status == "done", job.error_code
    link = page.get_by_role("link", name=f"Download {job.filename}")
    link.wait_for(timeout=10000)
    _phone(page, screenshot, "federal-export-done-phone")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == job.filename and job.filename.startswith("piis-statistics-")
    header = Path(download.path()).read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("cpas_nis;period;national_number")
    assert AuditEvent.objects.filter(verb=AuditVerb.FEDERAL_STATISTICS_EXPORTED).count() == 1
