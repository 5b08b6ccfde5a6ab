"""Flow: a social worker logs in, sees the home page, switches language; the page is accessible."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.demo.data import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_in_switch_language_and_see_home(page, screenshot, assert_accessible):
    load_demo_data()
    log_in(page, "wal_social_worker", DEMO_PASSWORD)
    page.locator("#language-select").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bienvenue")
    expect(page.get_by_text("CPAS de Beaumont-les-Prés (démo)").first).to_be_visible()
    assert_accessible()
    screenshot("home-fr")

    page.locator("#language-select").select_option("nl")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    assert_accessible()
    screenshot("home-nl")


def test_wrong_password_shows_a_translated_error_and_keeps_the_user_name(page):
    load_demo_data()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("vla_social_worker")
    page.locator("#id_password").fill("not-the-password")
    page.locator("form button[type=submit].primary").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert page.locator("#id_username").input_value() == "vla_social_worker"


def test_social_worker_searches_and_opens_a_file(page, screenshot):
    load_demo_data()
    from piis.cases.models import Beneficiary

    target = Beneficiary.objects.filter(cpas__nis_code="99201").order_by("last_name").first()
    log_in(page, "vla_social_worker", DEMO_PASSWORD)
    page.goto("/files/")
    page.locator("#q").fill(target.last_name[:5])
    page.wait_for_function("document.querySelector('#file-rows').innerText.length > 0")
    page.get_by_role("link", name=str(target)).first.click()
    page.wait_for_url(f"**/files/{target.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == str(target)
    screenshot("file-detail")
