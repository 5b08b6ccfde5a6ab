"""Browser tests: Playwright driving Debian's chromium (/usr/bin/chromium; no browser download)."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make to arrange data are
# still plain synchronous code, so Django's async-safety guard is lifted for the browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PIIS_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but no chromium at {CHROMIUM} (apt-get install chromium)")
    skip = pytest.mark.skip(reason=f"no chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    # Pages follow the account's language until the header's choice is made (a cookie): these tests read English.
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def _shot(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def assert_accessible(page):
    """No serious or critical axe violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check():
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        assert not bad, results.generate_report()

    return _check


def totp_code(device) -> str:
    """The code an authenticator app holding `device`'s secret shows now (RFC 6238, django-otp's own arithmetic)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(page, username: str, password: str) -> None:
    """Log in through the form: the password, then the second factor's code from the user's TOTP device (given one
    here if the account has none, so that the tests of other features skip the enrolment, e2e/test_second_factor.py
    covers it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from piis.accounts.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="e2e", confirmed=True
    )
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a second login within 30 s may reuse the code
    device.refresh_from_db()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    if "/accounts/second-factor/" in page.url:
        page.locator("#id_code").fill(totp_code(device))
        page.locator("form button[type=submit].primary").click()
        page.wait_for_url(lambda url: "/accounts/second-factor/" not in url)
