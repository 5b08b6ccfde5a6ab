"""Flow (issue 16, need-to-know): a social worker of another team searches a person, meets the break-the-glass page,
is refused without a reason, gives one, works on the file under the banner; the DPO finds the opening in their list.
"""

import pytest
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.models import Membership
from piis.cases.models import Beneficiary
from piis.demo.data import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "Collègue absente, la personne est à l'accueil pour son attestation."


def test_break_the_glass_then_the_dpo_sees_it(page, screenshot, assert_accessible, browser, live_server):
    load_demo_data()
    member = Membership.objects.get(user__username="wal_social_worker_2")
    cpas = member.cpas
    # A file of another team (the second team has its own files since the observatory's demo).
    person = (
        Beneficiary.objects.for_cpas(cpas)
        .exclude(social_worker=member.user)
        .exclude(team=member.team)
        .order_by("last_name")
        .first()
    )

    log_in(page, "wal_social_worker_2", DEMO_PASSWORD)
    # The list holds no file of another team; a search finds the person by name, masked, with the way in.
    page.goto("/files/")
    assert page.locator("tr[data-beyond-need-to-know]").count() == 0
    page.goto(f"/files/?q={person.last_name}")
    row = page.locator("tr[data-beyond-need-to-know]").filter(has_text=person.last_name.upper()).first
    expect(row.get_by_text("Outside your need-to-know")).to_be_visible()
    row.get_by_role("link", name="Break the glass").click()

    # No reason: refused on the field.
    page.get_by_role("button", name="Break the glass and open the file").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert page.url.endswith(f"/files/{person.pk}/break-the-glass/")
    page.get_by_label("Why do you need this file now?").fill(REASON)
    assert_accessible()
    screenshot("break-the-glass-form")
    page.get_by_role("button", name="Break the glass and open the file").click()

    # The file, under the banner that says how and until when.
    page.wait_for_url(f"**/files/{person.pk}/")
    banner = page.locator("[data-glass-break]")
    assert "Opened by breaking the glass" in banner.inner_text() and REASON in banner.inner_text()
    assert_accessible()
    screenshot("break-the-glass-file")

    # The DPO's list of openings, in a browser of their own.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    dpo = context.new_page()
    log_in(dpo, "wal_dpo", DEMO_PASSWORD)
    dpo.goto("/audit/")
    dpo.get_by_role("link", name="Files opened by breaking the glass").click()
    table = dpo.locator("table.list")
    assert REASON in table.inner_text()
    assert person.last_name.upper() in table.inner_text()
    dpo.screenshot(path=str(SCREENSHOTS / "break-the-glass-dpo-list.png"), full_page=True)
    context.close()
