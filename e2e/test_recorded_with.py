"""How a hand-over or an evaluation was explained, and what an ended PIIS led to, recorded inside the forms where the
worker makes them (piis/www/recorded_with.py), on a 390 px screen: one button each instead of the form, then a link
on the contract page, then a second form. Clicks from the form's page to the record saved: hand-over with its
explanation 1 (was 3: "Hand over", "Record how it was explained", "Save"), evaluation with its explanation 1 (was 3),
end with its outcome 1 (was 3: "End the contract", "Record the outcome", "Save")."""

import datetime

import pytest
from django.utils import timezone

from e2e.conftest import log_in
from piis.accounts.enums import Role
from piis.documents.models import ContractOutcome, Explanation
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_assistant, make_cpas, make_member
from tests.followup.builders import make_in_force_contract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password
PHONE = {"width": 390, "height": 844}


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_explanations_and_the_outcome_are_recorded_with_their_form(page, screenshot, assert_accessible):
    page.set_viewport_size(PHONE)
    cpas = make_cpas(name="CPAS de test")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    today = timezone.localdate()
    contract = drafted_contract(cpas, decided_on=today - datetime.timedelta(days=20), social_worker=worker.user)
    make_assistant(cpas, beneficiary=contract.beneficiary, name="Fatima B.")
    log_in(page, "ana_worker", PASSWORD)
    clicks = {}

    # the hand-over: explained orally in darija with the person's assistant, in the same form
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="Hand over the final draft").click()
    page.locator("#id_explained-orally").check()
    page.locator("#id_explained-language").fill("darija")
    page.locator("#id_explained-assistant").select_option(label="Fatima B.")
    _fits(page)
    assert_accessible()
    screenshot("recorded-with-hand-over")
    page.get_by_role("button", name="Hand over").click()
    clicks["hand-over"] = 1
    page.wait_for_url(f"**/contracts/{contract.pk}/")
    page.get_by_text("darija").first.wait_for()
    version = contract.versions.get()
    assert Explanation.objects.get(version=version).assistant.name == "Fatima B."

    # an evaluation of a PIIS in force, explained with an interpreter, in the same form
    in_force = make_in_force_contract(cpas, social_worker=worker.user, signed_on=today - datetime.timedelta(days=60))
    page.goto(f"/contracts/{in_force.pk}/")
    page.get_by_role("link", name="Record an evaluation").click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Mode").select_option("office")
    page.get_by_label("Difficulties").fill("Horaires difficiles.")
    page.locator("#id_explained-orally").check()
    page.locator("#id_explained-language").fill("tigrinya")
    page.locator("#id_explained-interpreter").fill("SeTIS Wallonie")
    _fits(page)
    assert_accessible()
    screenshot("recorded-with-evaluation")
    page.get_by_role("button", name="Save the evaluation").click()
    clicks["evaluation"] = 1
    page.wait_for_url(f"**/contracts/{in_force.pk}/")
    page.get_by_text("SeTIS Wallonie").first.wait_for()
    assert Explanation.objects.get(evaluation__contract=in_force).language == "tigrinya"

    # the end of that PIIS, with what it led to
    page.get_by_role("link", name="End the contract").click()
    page.locator("#id_reason").select_option("completed")
    page.locator("#id_outcome-outcome").select_option("employment")
    page.locator("#id_outcome-destination").fill("Colruyt Namur")
    _fits(page)
    assert_accessible()
    screenshot("recorded-with-end")
    page.get_by_role("button", name="End the contract").click()
    clicks["end"] = 1
    page.wait_for_url(f"**/contracts/{in_force.pk}/")
    page.get_by_text("Colruyt Namur").first.wait_for()
    assert ContractOutcome.objects.get(contract=in_force).outcome == "employment"
    assert clicks == {"hand-over": 1, "evaluation": 1, "end": 1}
