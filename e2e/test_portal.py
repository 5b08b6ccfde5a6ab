"""The beneficiary portal on a 390 px phone, in French and in Dutch: the social worker opens the person's account on
the file page and reads out the one-time code; on their phone the person types it, chooses a password, then — with
the keyboard only — reads their PIIS and opens their dates, their rights and their letters. axe finds no violation of
any severity on any portal page; the pages reflow at 200 % zoom (195 CSS px) without sideways scrolling; every page
has a visible focus ring. A screenshot of each page is kept in e2e/screenshots/portal-*.png."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from tests.factories import make_cpas, make_member
from tests.portal.helpers import PASSWORD as PERSON_PASSWORD
from tests.portal.world import person_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
STAFF_PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password
PHONE = {"width": 390, "height": 844}
ZOOMED = {"width": 195, "height": 422}  # the same phone at 200 % zoom


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert not results.response["violations"], results.generate_report()


WIDER = """(width) => Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.getBoundingClientRect().right > width + 1)
    .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"""


def _fits(page, width: int):
    wider = page.evaluate(WIDER, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, wider)


def _check(page, name: str, language: str):
    _axe(page)
    _fits(page, PHONE["width"])
    page.screenshot(path=SCREENSHOTS / f"portal-{name}-{language}.png", full_page=True)
    page.set_viewport_size(ZOOMED)
    _fits(page, ZOOMED["width"])
    expect(page.locator("main h1")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"portal-{name}-{language}-zoom200.png", full_page=True)
    page.set_viewport_size(PHONE)


def _tab_to(page, href_end: str, limit: int = 40) -> None:
    """Press Tab until the focused element is the link ending in `href_end`; it must show a focus ring."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement && document.activeElement.getAttribute('href')")
        if href and href.endswith(href_end):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("", "none"), f"no visible focus on {href}"
            return
    raise AssertionError(f"no link to {href_end} within {limit} tabs on {page.url}")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_person_logs_in_with_a_code_and_reads_their_piis(browser, live_server, page, language):
    SCREENSHOTS.mkdir(exist_ok=True)
    cpas = make_cpas(name="CPAS de Liège" if language == "fr" else "OCMW Gent")
    worker = make_member(cpas, username=f"worker_{language}")
    world = person_world(cpas, worker=worker, language=language, first_name="Nadia", with_account=False)

    # The social worker opens the account on the file page and reads the code out.
    log_in(page, worker.user.username, STAFF_PASSWORD)
    page.goto(f"/files/{world.beneficiary.pk}/")
    page.get_by_role("link", name="Portal account").click()
    page.get_by_role("button", name="Open a portal account").click()
    code = page.get_by_test_id("portal-code").inner_text()
    login_name = page.get_by_test_id("portal-login-name").inner_text()
    assert len(code.replace(" ", "")) == 8 and login_name.startswith("P-")

    # On the person's phone, in their language: the code, then a password.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=f"{language}-BE")
    phone.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    person = phone.new_page()
    person.set_default_timeout(15000)
    person.goto("/portal/login/")
    assert person.locator("html").get_attribute("lang") == language
    _check(person, "login", language)
    person.locator("a[href='/portal/start/']").click()
    _check(person, "code", language)
    person.locator("#id_code").fill(code.lower())
    person.locator("main form button[type=submit]").click()
    person.wait_for_url("**/portal/password/")
    assert person.get_by_test_id("login-name").inner_text() == login_name
    _check(person, "password", language)
    person.locator("#id_new_password1").fill(PERSON_PASSWORD)
    person.locator("#id_new_password2").fill(PERSON_PASSWORD)
    person.locator("main form button[type=submit]").click()
    person.wait_for_url(lambda url: url.endswith("/portal/"))
    expect(person.locator("[data-read-aloud]")).to_be_visible()
    _check(person, "home", language)

    # Keyboard only: to the PIIS, then to the dates.
    _tab_to(person, "/portal/piis/")
    person.keyboard.press("Enter")
    person.wait_for_url("**/portal/piis/")
    assert person.locator("main h1").inner_text() == _in(language, "My PIIS")
    assert "Suivre la formation en vente." in person.locator("main").inner_text()
    _check(person, "piis", language)
    _tab_to(person, "/portal/dates/")
    person.keyboard.press("Enter")
    person.wait_for_url("**/portal/dates/")
    assert person.locator("main h1").inner_text() == _in(language, "My dates")
    assert person.locator("ol.timeline > li").count() >= 8
    _check(person, "dates", language)
    for name, url in (("rights", "/portal/rights/"), ("letters", "/portal/letters/")):
        person.goto(url)
        _check(person, name, language)
    phone.close()
