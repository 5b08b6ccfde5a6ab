"""Flow: the director opens the comparison between CPAS over time (issue 14) from the observatory: per figure, their
CPAS quarter by quarter beside the median and quartile band of all CPAS, a chart and the table of its numbers, a CSV;
the same page at phone width (the chart drawn for the phone, the tables stacked into cards); then the SPP IS inspector
reads every CPAS quarter by quarter. The demo has two CPAS: the distribution is drawn from two here (MIN_CPAS
lowered), from five in the application."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.models import Cpas
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.demo.data import DEMO_PASSWORD, load_demo_data
from piis.observatory import equity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FIGURE = "Clauses proposed by the person"


def test_the_director_reads_their_cpas_among_all_cpas_over_time(
    page, browser, live_server, screenshot, assert_accessible, monkeypatch
):
    load_demo_data()
    since = timezone.localdate() - datetime.timedelta(days=8 * 92)
    call_command("compute_equity", f"--since={since.isoformat()}", stdout=io.StringIO())
    monkeypatch.setattr(equity, "MIN_CPAS", 2)
    names = list(Cpas.objects.order_by("pk").values_list("name", flat=True))
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.get_by_role("link", name="Observatory").click()
    page.get_by_role("link", name="Your CPAS among all CPAS, quarter by quarter").click()
    expect(page.get_by_role("heading", name="Your CPAS among all CPAS, quarter by quarter", level=1)).to_be_visible()
    section = page.locator("#trend-proposed_by_person")
    expect(section.get_by_role("img", name=FIGURE)).to_be_visible()
    table = section.get_by_role("table", name=FIGURE)
    assert table.locator("tbody tr").count() == 8  # eight quarters
    own = table.locator("tbody td:first-of-type").all_inner_texts()
    assert sum(1 for t in own if t.strip() not in ("—", "fewer than 5")) >= 4, own  # a line, not a point
    assert any("quarter" in t for t in table.locator("tbody td:last-child").all_inner_texts())
    own_name = Cpas.objects.get(memberships__user__username="wal_director").name
    assert all(n not in page.content() for n in names if n != own_name), "no other CPAS is named"
    assert_accessible()
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "observatory-over-time-desktop.png"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    lines = Path(download_info.value.path()).read_text().splitlines()
    assert lines[0] == "period,figure,your_cpas,cpas_count,q1,median,q3,quarter" and len(lines) == 1 + 8 * 13
    assert AuditEvent.objects.filter(verb=AuditVerb.OBSERVATORY_EXPORTED, changes__table="among_cpas").exists()

    # At phone width: the page does not scroll sideways, the phone drawing is shown (its labels at about 12 px),
    # the table is a card per quarter.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    section = page.locator("#trend-proposed_by_person")
    chart = section.get_by_role("img", name=FIGURE)
    assert chart.get_attribute("viewBox").startswith("0 0 360 ")
    label_px = chart.locator("text").first.evaluate("t => t.getBoundingClientRect().height")
    assert label_px >= 10, label_px
    row = section.get_by_role("table", name=FIGURE).locator("tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert_accessible()
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "observatory-over-time-phone.png"))
    # The dashboard's box chart at phone width: the phone drawing too.
    page.goto(live_server.url + "/observatory/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.get_by_role("img", name="Your CPAS among all CPAS")
    assert box.get_attribute("viewBox").startswith("0 0 360 ")
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "observatory-between-cpas-box-phone.png"))

    # The inspector, in a browser of their own: every CPAS, quarter by quarter.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, "vla_inspector", DEMO_PASSWORD)
    page.goto(live_server.url + "/observatory/between-cpas/")
    page.get_by_role("link", name="Every CPAS quarter by quarter").click()
    page.get_by_label("Figure").select_option("proposed_by_person")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name=FIGURE)
    assert set(table.locator("tbody th").all_inner_texts()) == set(names)
    assert table.locator("tfoot tr").count() == 6
    expect(page.get_by_role("img", name=FIGURE)).to_be_visible()
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert not [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")], (
        results.generate_report()
    )
    page.screenshot(path=str(SCREENSHOTS / "observatory-every-cpas-over-time-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "observatory-every-cpas-over-time-phone.png"), full_page=True)
    context.close()
