"""Flow: the director opens the observatory, reads a chart and the table of its numbers, downloads a CSV; the same
page at phone width."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.demo.data import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_director_reads_a_chart_and_its_table_and_downloads_the_csv(page, screenshot, assert_accessible):
    load_demo_data()
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.get_by_role("link", name="Observatory").click()
    expect(page.get_by_role("heading", name="Observatory", level=1)).to_be_visible()
    page.get_by_label("Series").select_option("quarter")
    page.get_by_role("button", name="Show").click()
    section = page.locator("#section-negotiation-percent")
    chart = section.get_by_role("img", name="Negotiation (%)")
    expect(chart).to_be_visible()
    table = section.get_by_role("table", name="Negotiation (%)")
    expect(table).to_be_visible()
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


def test_the_director_sees_their_cpas_among_all_cpas_and_the_inspector_every_cpas(
    page, browser, live_server, screenshot, assert_accessible, monkeypatch
):
    """The nightly comparison between CPAS: the director sees their CPAS beside the quartiles of all CPAS, no other
    CPAS named; the SPP IS inspector sees every CPAS by name with the spread, and downloads it. The demo has two
    CPAS: the distribution is drawn from two here (MIN_CPAS lowered), from five in the application."""
    from django.core.management import call_command

    from piis.accounts.models import Cpas
    from piis.observatory import equity

    load_demo_data()
    call_command("compute_equity", stdout=io.StringIO())
    monkeypatch.setattr(equity, "MIN_CPAS", 2)
    names = list(Cpas.objects.order_by("pk").values_list("name", flat=True))
    log_in(page, "wal_director", DEMO_PASSWORD)
    page.get_by_role("link", name="Observatory").click()
    heading = page.get_by_role("heading", name="Your CPAS among all CPAS")
    expect(heading).to_be_visible()
    table = page.get_by_role("table", name="Your CPAS among all CPAS")
    assert table.locator("tbody tr").count() == 13
    expect(page.get_by_role("img", name="Your CPAS among all CPAS")).to_be_visible()
    quarters = table.locator("tbody td:last-child").all_inner_texts()
    assert any("quarter" in q for q in quarters), quarters
    own = Cpas.objects.get(memberships__user__username="wal_director").name
    other = [n for n in names if n != own]
    assert other and all(n not in page.content() for n in other), "no other CPAS is named"
    assert_accessible()
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "observatory-between-cpas-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("heading", name="Your CPAS among all CPAS").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "observatory-between-cpas-phone.png"))

    # The inspector, in a browser of their own.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, "vla_inspector", DEMO_PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Figures of every CPAS").click()
    expect(page.get_by_role("heading", name="Figures of every CPAS", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Figures of every CPAS")
    assert set(table.locator("tbody th").all_inner_texts()) == set(names)
    assert table.locator("tfoot tr").count() == 6
    expect(page.get_by_role("img", name="Spread between CPAS")).to_be_visible()
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert not [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")], (
        results.generate_report()
    )
    page.screenshot(path=str(SCREENSHOTS / "observatory-every-cpas-desktop.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    lines = Path(download_info.value.path()).read_text().splitlines()
    assert lines[0].startswith("cpas,template_share") and len(lines) == 1 + len(names) + 6
    assert AuditEvent.objects.filter(verb=AuditVerb.OBSERVATORY_EXPORTED, changes__table="between_cpas").exists()
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "observatory-every-cpas-phone.png"), full_page=True)
    context.close()
