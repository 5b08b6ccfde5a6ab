"""Flow: the CPAS administrator issues an API token for an integration (shown once), the integration reads a file
with it, the administrator revokes it and it stops working; the API's docs page renders under the CSP."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in
from e2e.test_content_security_policy import problems  # noqa: F401 (fixture)
from piis.accounts.enums import Role
from tests.factories import make_beneficiary, make_cpas, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_admin_issues_sees_once_and_revokes_a_token(page, screenshot, live_server, problems):  # noqa: F811
    cpas = make_cpas()
    admin = make_member(cpas, Role.CPAS_ADMIN, username="admin_api")
    person = make_beneficiary(cpas)
    log_in(page, "admin_api", "pw-for-tests-123456")
    page.goto("/accounts/cpas/")
    page.get_by_role("link", name="API tokens of the CPAS's software").click()
    page.get_by_label("Integration").fill("Logiciel de paie")
    page.get_by_label("Read beneficiary files, decisions, contracts and follow-up").check()
    page.get_by_role("button", name="Issue the token").click()
    issued = page.get_by_test_id("issued-token").locator("code")
    expect(issued).to_contain_text("piis_")
    token = issued.inner_text().strip()
    screenshot("api_token_issued")
    page.set_viewport_size({"width": 390, "height": 844})  # the page, the token shown, fits a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("api_token_issued_phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    api = page.context.request
    answer = api.get(f"/api/v1/files/{person.pk}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and answer.json()["last_name"] == person.last_name

    page.reload()  # shown once: the page never shows it again
    expect(page.get_by_test_id("issued-token")).to_have_count(0)
    assert token not in page.content()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("cell", name="Revoked")).to_be_visible()
    screenshot("api_token_revoked")
    assert api.get("/api/v1/files", headers={"Authorization": f"Bearer {token}"}).status == 401
    assert admin.cpas_id == cpas.pk
    assert not problems, problems


def test_the_api_docs_page_renders_under_the_csp(page, screenshot, problems):  # noqa: F811
    response = page.goto("/api/v1/docs")
    assert response is not None and response.ok
    assert "unsafe" not in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("PIIS API")
    expect(page.locator(".opblock").first).to_be_visible()
    screenshot("api_docs")
    assert not problems, problems


def test_an_evaluation_recorded_by_an_integration_is_shown_under_its_name(page, screenshot, live_server, problems):  # noqa: F811
    """An integration records an evaluation held through the API; the worker finds it on the contract page and its
    printable page names the integration (it has no account)."""
    from tests.api.builders import make_token
    from tests.followup.builders import make_in_force_contract

    cpas = make_cpas()
    worker = make_member(cpas, username="worker_api")
    person = make_beneficiary(cpas, social_worker=worker.user)
    contract = make_in_force_contract(cpas, beneficiary=person, social_worker=worker.user)
    token = make_token(cpas, name="Agenda partagé")
    api = page.context.request
    body = {"held_on": "2026-03-10", "mode": "home_visit", "difficulties": "Transport jusqu'au centre"}
    answer = api.post(f"/api/v1/contracts/{contract.pk}/evaluations", data=body,
                      headers={"Authorization": f"Bearer {token.text}", "Accept-Language": "fr"})  # fmt: skip
    assert answer.status == 201, answer.text()
    evaluation_id = answer.json()["id"]

    log_in(page, "worker_api", "pw-for-tests-123456")
    page.goto(f"/contracts/{contract.pk}/")
    page.locator(f"a[href='/followup/evaluations/{evaluation_id}/print/']").first.click()
    expect(page.get_by_text("api: Agenda partagé")).to_be_visible()
    expect(page.get_by_text("Transport jusqu'au centre")).to_be_visible()
    screenshot("api_evaluation_print")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not problems, problems
