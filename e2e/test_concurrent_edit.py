"""Flow (issue 16): two people edit the same objective in two browsers. The first saves; the second's save is refused
with what the first saved beside what they typed, nothing overwritten; they take the other's title and save again."""

import pytest

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.enums import Role
from piis.contracts.models import Objective
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_cpas, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-123456"  # tests.factories.make_member's


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    other = context.new_page()
    other.set_default_timeout(15000)
    yield other
    context.close()


def test_t_i16_the_second_save_shows_both_values_and_overwrites_nothing(page, second_page):
    cpas = make_cpas(name="CPAS Concurrent")
    anna = make_member(cpas, Role.SOCIAL_WORKER, username="anna")
    bruno = make_member(cpas, Role.SOCIAL_WORKER, username="bruno")
    # Anna drafts the PIIS; Bruno is its substitute: both may edit it.
    contract = drafted_contract(cpas, social_worker=anna.user, substitute_worker=bruno.user)
    objective = contract.objectives.get()
    url = f"/contracts/objectives/{objective.pk}/edit/"
    log_in(page, "anna", PASSWORD)
    log_in(second_page, "bruno", PASSWORD)
    page.goto(url)
    second_page.goto(url)  # both read the same objective

    page.locator("#id_title").fill("Trouver un emploi de vendeuse à temps plein")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/contracts/{contract.pk}/**")

    second_page.get_by_label("Observable result").fill("Un contrat de travail d'au moins six mois")
    second_page.get_by_role("button", name="Save", exact=True).click()

    summary = second_page.locator(".error-summary").inner_text()
    assert "Someone else saved this while you were editing it, so nothing has been saved" in summary
    title_error = second_page.locator(".field.has-error .error").first.inner_text()
    assert title_error == f"Saved meanwhile: Trouver un emploi de vendeuse à temps plein — yours: {objective.title}"
    # What Bruno typed is still in his form; Anna's title is what is stored.
    assert second_page.get_by_label("Observable result").input_value() == "Un contrat de travail d'au moins six mois"
    stored = Objective.objects.get(pk=objective.pk)
    assert stored.title == "Trouver un emploi de vendeuse à temps plein"
    assert stored.observable_result == objective.observable_result
    _assert_accessible(second_page)
    SCREENSHOTS.mkdir(exist_ok=True)
    second_page.screenshot(path=str(SCREENSHOTS / "concurrent-edit-refused.png"), full_page=True)

    # Bruno takes Anna's title and saves again: the page now carries the version stored, so it goes through.
    second_page.locator("#id_title").fill("Trouver un emploi de vendeuse à temps plein")
    second_page.get_by_role("button", name="Save", exact=True).click()
    second_page.wait_for_url(f"**/contracts/{contract.pk}/**")
    stored.refresh_from_db()
    assert (stored.title, stored.observable_result) == (
        "Trouver un emploi de vendeuse à temps plein",
        "Un contrat de travail d'au moins six mois",
    )


def _assert_accessible(other) -> None:
    """e2e.conftest's assert_accessible, on the second person's page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(other)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, results.generate_report()
