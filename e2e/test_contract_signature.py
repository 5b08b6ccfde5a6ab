"""Flow: a drafted PIIS is handed over, the person is informed, a signature in the reflection period is refused,
then the person and the CPAS signatories sign after it: the contract is in force and its PDF downloads."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.accounts.enums import Role
from piis.contracts.models import Contract
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_cpas, make_member, make_signatory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"


def _arrange():
    cpas = make_cpas(name="CPAS de Test")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="e2e_worker")
    president = make_signatory(cpas, function="president", holder_name="Paula President")
    director = make_signatory(cpas, function="general_director", holder_name="Gaston Director")
    contract = drafted_contract(cpas, language="nl", social_worker=worker.user)
    return contract, president, director


def _sign(page, contract_url, signer_label, on):
    page.goto(contract_url)
    page.get_by_role("link", name="Record a signature").click()
    page.locator("#id_signer").select_option(label=signer_label)
    page.locator("#id_signed_on").fill(on)
    page.get_by_role("button", name="Record the signature").click()


def test_hand_over_inform_sign_after_reflection_and_download_pdf(page, screenshot, assert_accessible):
    contract, president, director = _arrange()
    url = f"/contracts/{contract.pk}/"
    traveller = time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=True)
    traveller.start()
    try:
        log_in(page, "e2e_worker", PASSWORD)
        page.goto(url)
        page.get_by_role("link", name="Hand over the final draft").click()
        page.locator("#id_handed_over_on").fill("2026-03-02")
        page.get_by_role("button", name="Hand over").click()
        page.wait_for_url(f"**{url}")
        assert "6 days left" in page.locator(".lc-countdown").inner_text()
        page.get_by_role("link", name="Record the information and rights").click()
        expect(page.get_by_label("Informed of the right, declined assistance")).to_be_visible()
        for box in page.locator("input[name=rights]").all():
            box.check()
        page.get_by_label("Informed of the right, declined assistance").check()
        page.get_by_role("button", name="Record").click()
        page.wait_for_url(f"**{url}")
        assert_accessible()
        screenshot("contract-handed-over")
    finally:
        traveller.stop()

    traveller = time_machine.travel(datetime.datetime(2026, 3, 6, 10, 0, tzinfo=datetime.UTC), tick=True)
    traveller.start()
    try:
        log_in(page, "e2e_worker", PASSWORD)  # the session of four days ago has expired
        # The refusal a user most likely hits: signing during the reflection period.
        _sign(page, url, "Beneficiary — Alex Martin", "2026-03-06")
        alert = page.locator(".field.has-error .error")
        assert "reflection period is not over" in alert.inner_text() and "08/03/2026" in alert.inner_text()
        assert page.locator("#id_signed_on").input_value() == "2026-03-06"
        screenshot("contract-sign-refused")
    finally:
        traveller.stop()

    traveller = time_machine.travel(datetime.datetime(2026, 3, 9, 10, 0, tzinfo=datetime.UTC), tick=True)
    traveller.start()
    try:
        log_in(page, "e2e_worker", PASSWORD)
        _sign(page, url, "Beneficiary — Alex Martin", "2026-03-09")
        page.wait_for_url(f"**{url}")
        _sign(page, url, "President of the council — Paula President", "2026-03-09")
        page.wait_for_url(f"**{url}")
        _sign(page, url, "General director — Gaston Director", "2026-03-09")
        page.wait_for_url(f"**{url}")
        assert Contract.objects.get(pk=contract.pk).status == "in_force"
        assert page.locator(".lc-step.lc-current").inner_text().startswith("In force")
        assert_accessible()
        screenshot("contract-in-force")
        with page.expect_download() as download_info:
            page.evaluate(
                "url => { const a = document.createElement('a'); a.href = url; a.download = 'c.pdf'; "
                "document.body.appendChild(a); a.click(); }",
                page.get_by_role("link", name="Signed contract (PDF)").get_attribute("href"),
            )
        path = download_info.value.path()
        with open(path, "rb") as handle:
            assert handle.read(4) == b"%PDF"
    finally:
        traveller.stop()
