"""Flow: the main pages under the Content-Security-Policy in a real browser — login, home, a file, the drafting of a
PIIS, the agenda, the contract PDF in the browser's viewer, the audit trail — with no violation reported, and htmx's
live search of the file list still swapping its rows in (and going back still showing the page).

A violation is caught twice: the console's message ("Refused to …", "… violates the following Content Security
Policy directive …"), and a `securitypolicyviolation` listener that
the browser runs before any page script (Playwright's init script, which the page's policy does not govern).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.accounts.models import User
from piis.cases.models import Beneficiary
from piis.contracts.models import Contract
from piis.demo.data import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
        + `at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def problems(page):
    """Every console message about the page's policies (CSP, Permissions-Policy) and every uncaught script error."""
    found: list[str] = []
    page.context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        text = message.text
        if any(sign in text for sign in ("Refused to", "CSP violation", "Content Security Policy", "Permissions")):
            found.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"{page.url}: script error {error}"))
    return found


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    assert "unsafe" not in response.headers["content-security-policy"]
    assert "no-store" in response.headers["cache-control"]
    # Scripts have run (tables.js marks the record tables; htmx is loaded) and its config was read from the meta.
    assert page.evaluate("() => typeof htmx === 'object' && htmx.config.allowEval === false"), url
    assert page.evaluate("() => htmx.config.includeIndicatorStyles === false && htmx.config.historyCacheSize === 0")
    assert page.locator("style").count() == 0, f"{url}: a style element was added to the page"


def test_main_pages_load_without_a_policy_violation(page, screenshot, problems):
    load_demo_data()
    worker = User.objects.get(username="wal_social_worker")
    contract = Contract.objects.filter(social_worker=worker, status="in_force").order_by("pk").first()
    draft = Contract.objects.filter(cpas=contract.cpas, status="draft").order_by("pk").first()
    assert contract is not None and draft is not None, "the demo data has no contract in force or draft"

    _visit(page, reverse("accounts:login"))
    log_in(page, "wal_social_worker", DEMO_PASSWORD)
    for url in [
        reverse("core:home"),
        reverse("cases:list"),
        reverse("cases:detail", args=[contract.beneficiary_id]),
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:detail", args=[draft.pk]),
        reverse("contracts:objective_add", args=[draft.pk]),
        reverse("followup:agenda"),
    ]:
        _visit(page, url)
    screenshot("csp-agenda")

    # htmx under the policy: typing in the search box swaps the matching rows in, without reloading the page.
    person = Beneficiary.objects.filter(cpas=contract.cpas).order_by("last_name").first()
    _visit(page, reverse("cases:list"))
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator("#q").fill(person.last_name)
    page.wait_for_url("**q=**")
    rows = page.locator("#file-rows tbody tr")
    expect(rows.first).to_contain_text(person.last_name, ignore_case=True)
    assert page.evaluate("() => window.notReloaded === true"), "the search reloaded the page instead of swapping"
    assert rows.count() < Beneficiary.objects.filter(cpas=contract.cpas).count()
    screenshot("csp-file-list-live-search")
    # Nothing of the page kept in the browser's storage; going back fetches the page again and shows it whole.
    assert page.evaluate("() => sessionStorage.getItem('htmx-history-cache')") is None
    page.go_back()
    expect(page.locator("#q")).to_be_visible()
    expect(page.locator("header.site-header")).to_have_count(1)

    # The contract PDF, opened inline, shows in the browser's PDF viewer under the same policy.
    version = contract.versions.order_by("-number").first()
    # (Its headers are checked in tests/www/test_security_headers.py: the browser reports the viewer's own here.)
    page.goto(reverse("contracts:pdf", args=[contract.pk, version.pk]))
    page.wait_for_timeout(1500)
    assert any(frame.url.startswith("chrome-extension://") for frame in page.frames), "no PDF viewer"
    screenshot("csp-contract-pdf")

    page.goto(reverse("core:home"))
    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_url("**/accounts/login/**")
    log_in(page, "wal_dpo", DEMO_PASSWORD)
    _visit(page, reverse("audit:list"))
    screenshot("csp-audit-trail")

    assert not problems, "\n".join(problems)


def test_the_check_sees_a_violation(page, problems, live_server):
    """The control: an inline script that the policy refuses is reported by the listener and the console."""
    _visit(page, reverse("accounts:login"))
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.ran = 1";
                   document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert any("CSP violation: script-src" in problem for problem in problems), problems
    assert any("violates the following Content Security Policy directive" in p for p in problems), problems
