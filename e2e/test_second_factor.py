"""Flow (issue 16): a social worker without a second factor logs in, enrols an authenticator app (the code computed
from the key the page shows, as the app would), keeps the recovery codes, later logs in with a recovery code; the
CPAS administrator resets a lost phone. The second-factor pages are measured at 390 px."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from e2e.test_phone_width import MEASURE, PHONE
from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from tests.factories import make_cpas, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password


def app_code(secret_shown: str) -> str:
    """What an authenticator app shows for the key typed from the page (base32, in groups of four)."""
    key = base64.b32decode(secret_shown.replace(" ", ""))
    return f"{TOTP(key).token():06d}"


def fits(page, name: str) -> None:
    result = page.evaluate(MEASURE)
    page.screenshot(path=str(SCREENSHOTS / f"second-factor-{name}.png"), full_page=True)
    assert result["width"] <= PHONE["width"] and not result["offenders"], (name, result)


def password(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit].primary").click()


def test_enrol_then_log_in_with_a_recovery_code(browser, live_server):
    SCREENSHOTS.mkdir(exist_ok=True)
    cpas = make_cpas(name="CPAS de test")
    make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    refused: list[str] = []  # the QR code is an SVG data: image, which the Content-Security-Policy allows
    page.on("console", lambda message: refused.append(message.text) if "Refused to" in message.text else None)

    password(page, "ana_worker")
    page.wait_for_url("**/accounts/second-factor/enrol/**")
    expect(page.locator("img.qr")).to_be_visible()
    assert page.evaluate("() => document.querySelector('img.qr').naturalWidth") > 0
    assert page.get_by_role("navigation").count() == 0  # no menu before the second factor
    fits(page, "enrol")
    page.locator("#id_code").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    assert "Wrong code" in page.locator(".field .error").inner_text()
    page.wait_for_timeout(1100)  # the device's delay after one wrong code
    page.locator("#id_code").fill(app_code(page.get_by_test_id("totp-secret").inner_text()))
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/recovery-codes/**")
    codes = re.findall(r"[a-z2-7]{8}", page.get_by_test_id("recovery-codes").inner_text())
    assert len(codes) == 10
    fits(page, "recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(lambda url: url.rstrip("/") == live_server.url)
    expect(page.get_by_role("link", name="Files", exact=True)).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    password(page, "ana_worker")
    page.wait_for_url("**/accounts/second-factor/?next=**")
    fits(page, "verify")
    page.locator("#id_code").fill(codes[3])
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/second-factor/" not in url)
    assert "9 left" in page.locator(".messages").inner_text()

    page.goto(reverse("accounts:mfa_account"))
    fits(page, "account")
    assert AuditEvent.objects.filter(verb=AuditVerb.SECOND_FACTOR_CODE_USED).count() == 1
    assert not refused, refused
    context.close()


def test_the_administrator_resets_a_lost_phone(browser, live_server):
    SCREENSHOTS.mkdir(exist_ok=True)
    cpas = make_cpas(name="CPAS de test")
    make_member(cpas, Role.CPAS_ADMIN, username="ada_admin")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    worker.user.first_name, worker.user.last_name = "Ana", "Peeters"
    worker.user.save()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=worker.user, name="phone", confirmed=True)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, "ada_admin", PASSWORD)  # password, then the code computed from the admin's device
    page.goto(reverse("accounts:cpas_settings"))
    page.get_by_role("link", name="Staff second factor (reset a lost phone)").click()
    row = page.locator("tr", has_text="Ana Peeters")
    assert "Set up" in row.inner_text()
    fits(page, "staff")
    row.get_by_role("button", name="Reset").click()
    assert "was reset" in page.locator(".messages").inner_text()
    assert "Not set up" in page.locator("tr", has_text="Ana Peeters").inner_text()
    fits(page, "staff-after-reset")
    assert not TOTPDevice.objects.filter(user=worker.user).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.SECOND_FACTOR_RESET, target_id=worker.user.pk).count() == 1
    context.close()
