"""Flow: a social worker opens a file, records an RI decision (after a date error), sees the obligation and its
deadline, and adds a needs assessment with an item (after the refusal of a sensitive item without consent)."""

import datetime

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.accounts.models import Membership
from piis.demo.data import DEMO_PASSWORD, load_demo_data
from piis.rules import conclusion_deadline
from tests.factories import make_beneficiary

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shown(day: datetime.date) -> str:
    with translation.override("en"):
        return formats.date_format(day, "DATE_FORMAT")


def test_record_ri_decision_see_obligation_and_add_needs_assessment(page, screenshot, assert_accessible):
    load_demo_data()
    cpas = Membership.objects.get(user__username="wal_social_worker").cpas
    beneficiary = make_beneficiary(cpas, first_name="Léa", last_name="Dumont", birth_date=datetime.date(1985, 3, 4))
    today = timezone.localdate()
    decided = today - datetime.timedelta(days=10)
    requested = decided - datetime.timedelta(days=20)

    log_in(page, "wal_social_worker", DEMO_PASSWORD)
    page.goto(f"/files/{beneficiary.pk}/")
    expect(page.get_by_text("No RI decision is recorded")).to_be_visible()

    # RI decision: a decision dated before the request is refused on the field, the rest is kept.
    page.locator("#next-step").get_by_role("link", name="Record an RI decision").click()  # the file's next step
    page.get_by_label("Category").select_option("2")
    page.get_by_label("RI requested on").fill(decided.isoformat())
    page.get_by_label("Decision date").fill(requested.isoformat())
    page.get_by_label("RI granted from").fill(requested.isoformat())
    page.get_by_label("Monthly amount granted (€)").fill("1314.20")
    page.get_by_label("Motivation and notes").fill("First request, single person.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="before the request")).to_be_visible()
    assert page.get_by_label("Motivation and notes").input_value() == "First request, single person."
    assert_accessible()
    screenshot("file-ri-decision-refused")

    page.get_by_label("RI requested on").fill(requested.isoformat())
    page.get_by_label("Decision date").fill(decided.isoformat())
    page.get_by_role("button", name="Save").click()

    # The obligation box: required (new beneficiary), with its deadline.
    box = page.locator(".obligation-box")
    assert "A PIIS is required." in box.inner_text()
    assert "New beneficiary" in box.inner_text()
    assert box.locator(".deadline").inner_text() == _shown(conclusion_deadline(decided))

    # Needs assessment: a health item without consent is refused; then recorded with an employment aspiration.
    page.locator("#next-step").get_by_role("link", name="New needs assessment").click()
    page.get_by_label("In the person's own words: what they want").fill("Je voudrais travailler dans une crèche.")
    page.locator("#id_items-0-domain").select_option("employment")
    page.locator("#id_items-0-kind").select_option("aspiration")
    page.locator("#id_items-0-text").fill("Work with young children")
    page.locator("#id_items-1-domain").select_option("health")
    page.locator("#id_items-1-kind").select_option("obstacle")
    page.locator("#id_items-1-text").fill("Asthma")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("only with the person's explicit consent")).to_be_visible()
    assert page.locator("#id_items-0-text").input_value() == "Work with young children"
    page.locator("#id_items-1-justification").fill("Some workplaces are not suitable")
    page.locator("#id_items-1-consent_given").check()
    page.get_by_role("button", name="Save").click()

    section = page.locator("#assessments")
    assert "Je voudrais travailler dans une crèche." in section.inner_text()
    expect(section.get_by_text("Work with young children")).to_be_visible()
    expect(section.get_by_text("Confidential — not printed in the contract")).to_be_visible()
    assert_accessible()
    screenshot("file-ri-obligation-assessment")
