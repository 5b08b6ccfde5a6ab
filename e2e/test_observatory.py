"""Flow: the director opens the observatory, reads a chart and the table of its numbers, downloads a CSV; the same
page at phone width."""

from pathlib import Path

import pytest

from e2e.conftest import log_in
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.demo.data import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_director_reads_a_chart_and_its_table_and_downloads_the_csv(page, screenshot, assert_accessible):
    load_demo_data()
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.get_by_role("link", name="Observatory").click()
    assert page.get_by_role("heading", name="Observatory", level=1).is_visible()
    page.get_by_label("Series").select_option("quarter")
    page.get_by_role("button", name="Show").click()
    section = page.locator("#section-negotiation-percent")
    chart = section.get_by_role("img", name="Negotiation (%)")
    assert chart.is_visible()
    table = section.get_by_role("table", name="Negotiation (%)")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 8
    # The demo gives numbers, not only suppressed cells: its thirty files per CPAS conclude too few PIIS a quarter
    # for the content figures (suppressed per quarter), but enough are in force for the sanction rate, and the
    # whole year's figures stand in the equity table.
    empty = ("—", "fewer than 5")
    rate = page.locator("#section-decoupling-per100").get_by_role("table")
    assert any(t.strip() not in empty for t in rate.locator("tbody td").all_inner_texts())
    equity = page.get_by_role("table", name="Spread between workers and between teams")
    assert any(t.strip() not in empty for t in equity.locator("tbody td").all_inner_texts())
    assert_accessible()
    screenshot("observatory-desktop")
    with page.expect_download() as download_info:
        section.get_by_role("link", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("observatory-negotiation-percent-")
    lines = Path(download.path()).read_text().splitlines()
    assert lines[0] == "period,proposed_by_person,contested,assisted" and len(lines) == 9
    assert AuditEvent.objects.filter(verb=AuditVerb.OBSERVATORY_EXPORTED).count() == 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    screenshot("observatory-phone")
