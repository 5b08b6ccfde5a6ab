"""Flow: the data-protection officer finds a person and downloads everything held about them (GDPR art. 15); the
CPAS administrator reads the retention periods and what is past them, and changes one."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.cases.models import Beneficiary
from piis.contracts.models import Contract
from piis.demo.data import DEMO_PASSWORD, load_demo_data
from piis.privacy.models import RetentionPeriod

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_dpo_downloads_everything_held_about_a_person(page, screenshot, assert_accessible):
    load_demo_data()
    person = Contract.objects.filter(cpas__nis_code="99101", versions__isnull=False).first().beneficiary
    log_in(page, "wal_dpo", DEMO_PASSWORD)
    page.get_by_role("link", name="Right of access").click()
    page.get_by_label("Name or national register number").fill(person.last_name)
    page.get_by_role("button", name="Search").click()
    row = page.locator("tr", has_text=person.last_name.upper())
    assert row.count() >= 1
    assert_accessible()
    screenshot("privacy-access-search")
    with page.expect_download() as download_info:
        page.locator(f"button[data-export='{person.pk}']").click()
    download = download_info.value
    assert (
        download.suggested_filename.startswith("access-99101-") and person.last_name not in download.suggested_filename
    )
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    data = json.loads(archive.read("personal-data.json"))
    assert data["sections"]["identity"][0]["national_number"] == person.national_number
    assert data["sections"]["contracts"] and data["sections"]["accesses"]
    assert any(name.startswith("files/contract-") and name.endswith(".pdf") for name in archive.namelist())
    assert AuditEvent.objects.filter(verb=AuditVerb.PERSONAL_DATA_EXPORTED, beneficiary_id=person.pk).count() == 1
    # the summary, as the person will read it
    summary = SCREENSHOTS / "privacy-export-summary.html"
    SCREENSHOTS.mkdir(exist_ok=True)
    summary.write_bytes(archive.read("summary.html"))
    page.goto(summary.as_uri())
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("privacy-export-summary")


def test_the_admin_reads_the_retention_report_and_changes_a_period(page, screenshot, assert_accessible):
    load_demo_data()
    log_in(page, "wal_cpas_admin", DEMO_PASSWORD)
    page.get_by_role("link", name="Retention").click()
    expect(page.locator("tr[data-kind='closed_file']")).to_be_visible()
    assert_accessible()
    screenshot("privacy-retention")
    page.locator("tr[data-kind='meeting_request']").get_by_role("link", name="Change the period").click()
    page.get_by_label("Kept for (years)").fill("3")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/privacy/retention/")
    assert page.locator("tr[data-kind='meeting_request']").inner_text().count("3")
    cpas_id = Beneficiary.objects.filter(cpas__nis_code="99101").values_list("cpas_id", flat=True).first()
    assert RetentionPeriod.objects.get(cpas_id=cpas_id, kind="meeting_request").years == 3


def test_the_privacy_pages_fit_a_phone(browser, live_server):
    """The sweep of e2e/test_phone_width.py lists these pages too; this is the quick check of them alone."""
    from e2e.test_phone_width import MEASURE, PHONE

    load_demo_data()
    person = Beneficiary.objects.filter(cpas__nis_code="99201").order_by("pk").first()
    for username, urls in {
        "vla_dpo": [f"/privacy/access/?q={person.last_name}", "/privacy/retention/"],
        "vla_cpas_admin": ["/privacy/retention/", "/privacy/retention/closed_file/"],
    }.items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-BE")
        page = context.new_page()
        log_in(page, username, DEMO_PASSWORD)
        for url in urls:
            assert page.goto(url).status == 200
            result = page.evaluate(MEASURE)
            name = url.strip("/").split("?")[0].replace("/", "-")
            page.screenshot(path=str(SCREENSHOTS / f"privacy-phone-{name}.png"), full_page=True)
            assert result["width"] <= PHONE["width"] and not result["offenders"], (url, result)
        context.close()
