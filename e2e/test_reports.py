"""Flow: the director opens the month's PIIS subsidy claim, downloads its CSV, opens the annual global evaluation and
its PDF; the pages at phone width (390 px). The inspector of the other demo CPAS reads a line's evidence."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.demo.data import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _phone(page, screenshot, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (name, width)
    screenshot(name)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_director_claims_the_subsidy_and_reads_the_annual_report(page, live_server, screenshot, assert_accessible):
    load_demo_data()
    call_command("compute_claims", stdout=io.StringIO())  # the nightly run: the claims are stored
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    page.locator("a.button.primary").first.click()
    expect(page.get_by_role("heading", name="PIIS subsidy claim", exact=False)).to_be_visible()
    claimed = page.locator('tr[data-status="claimed"]').count()
    assert claimed > 0, "the demo gives claimed lines"
    expect(
        page.get_by_role("img", name="Share of people with an RI who have a PIIS, month by month (%)")
    ).to_be_visible()
    assert_accessible()
    screenshot("reports-claim-desktop")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the claim (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("piis-subsidy-")
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("cpas_nis_code;month;national_number") and len(lines) > claimed
    assert AuditEvent.objects.filter(verb=AuditVerb.SUBSIDY_CLAIM_EXPORTED).count() == 1
    _phone(page, screenshot, "reports-claim-phone")

    year = timezone.localdate().year
    page.goto(f"/reports/annual/{year}/")
    expect(page.get_by_role("heading", name=f"Annual global evaluation {year}")).to_be_visible()
    assert page.locator('[data-section="obligation"] svg').count() == 1
    assert_accessible()
    screenshot("reports-annual-desktop")
    pdf = page.request.get(f"{live_server.url}/reports/annual/{year}/report.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SCREENSHOTS / "reports-annual.pdf").write_bytes(pdf.body())
    _phone(page, screenshot, "reports-annual-phone")


def test_the_inspector_reads_the_evidence_of_a_line(page, screenshot):
    load_demo_data()
    call_command("compute_claims", stdout=io.StringIO())  # the nightly run: the claims are stored
    log_in(page, "vla_inspector", DEMO_PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    page.locator("a.button.primary").first.click()
    page.locator('tr[data-status="claimed"] th a').first.click()
    expect(page.get_by_role("heading", name="Evidence of a subsidy line")).to_be_visible()
    assert page.locator('[data-evidence="contracts"]').count() >= 1
    assert AuditEvent.objects.filter(verb=AuditVerb.SUBSIDY_EVIDENCE_OPENED).exists()
    _phone(page, screenshot, "reports-evidence-phone")


def test_the_claim_reads_page_by_page_with_the_couple_line_at_phone_width(page, screenshot):
    """The claim shows its lines a page at a time, the totals over them all; the demo's couple on the category-3
    RI has one line naming both partners."""
    import re

    load_demo_data()
    call_command("compute_claims", stdout=io.StringIO())  # the nightly run: the claims are stored
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Reports").first.click()
    page.locator("a.button.primary").first.click()
    total = int(page.locator('[data-figure="claimed"]').inner_text())
    shown = page.locator('tr[data-status="claimed"]').count()
    couple = page.locator("tr", has_text="+ Benali Karim")
    assert couple.count() == 1 and couple.get_attribute("data-status") == "claimed"
    assert "category-3 amount" in couple.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    couple.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "reports-claim-couple-phone.png"))
    counts = page.locator('[data-figure="lines_shown"]')
    assert counts.count() == 1, "the demo's claim has more lines than a page"
    all_lines = int(re.search(r"of (\d+)", counts.inner_text()).group(1))
    page.get_by_role("link", name="Next").click()
    assert int(page.locator('[data-figure="claimed"]').inner_text()) == total  # the totals count every page
    assert page.locator("table.list tbody tr").count() == all_lines - 50
    assert shown + page.locator('tr[data-status="claimed"]').count() <= total
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("reports-claim-page-2-phone")
