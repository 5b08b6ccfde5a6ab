"""Flow: a PIIS in force moves with the person to another CPAS of the deployment. With consent: the old CPAS records
the move from the contract page, prints the letter telling the person they may refuse, records the agreement and
sends the PIIS; the new CPAS sees the package and reviews a commitment. With refusal: the new CPAS records it and
sees nothing of the PIIS."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.enums import Role
from piis.contracts.models import Contract
from piis.transfers.models import IncomingTransfer
from tests.factories import make_cpas, make_member
from tests.transfers.builders import make_piis_in_force

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password


def _day(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _setup():
    old = make_cpas(name="CPAS de Liège", nis_code="62063")
    new = make_cpas(name="CPAS de Namur", nis_code="92094")
    worker = make_member(old, Role.SOCIAL_WORKER, username="lea_old")
    make_member(new, Role.SOCIAL_WORKER, username="tom_new")
    contract = make_piis_in_force(old, social_worker=worker.user)
    person = contract.beneficiary
    person.first_name, person.last_name, person.address = "Nadia", "Lambert", "Rue Haute 12, 4000 Liège"
    person.save()
    return contract


def _record_move(page, contract):
    log_in(page, "lea_old", PASSWORD)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="The person moved", exact=True).click()
    page.get_by_label("Moved on").fill(_day(-3))
    page.get_by_label("The move was known on").fill(_day(-1))
    page.get_by_label("New CPAS (in this application)").select_option(label="CPAS de Namur")
    page.get_by_label("The person may refuse until").fill(_day(13))
    page.get_by_role("button", name="Record the move").click()
    page.wait_for_url("**/transfers/*/")


def test_transfer_with_consent(page, screenshot, browser, live_server):
    contract = _setup()
    _record_move(page, contract)
    # the letter, in the person's language (French), as a PDF then a PNG to look at
    letter = page.request.get(page.url + "letter/")
    assert letter.headers["content-type"] == "application/pdf"
    pdf = SCREENSHOTS / "transfer-letter.pdf"
    pdf.write_bytes(letter.body())
    png = str(SCREENSHOTS / "transfer-letter")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), png], check=True)  # noqa: S607
    page.get_by_label("Agrees to the transfer").check()
    page.get_by_label("Date of the answer").fill(_day(0))
    page.get_by_label("How").select_option("letter")
    page.get_by_role("button", name="Record the answer").click()
    page.get_by_role("button", name="Send the PIIS to the new CPAS").click()
    page.get_by_text("What was sent").wait_for()
    screenshot("transfer-sent")
    contract.refresh_from_db()
    assert contract.status == "ended" and contract.end_reason == "transferred"

    other = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="en-GB")
    other.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    new_page = other.new_page()
    log_in(new_page, "tom_new", PASSWORD)
    new_page.goto("/transfers/")
    new_page.get_by_role("link", name="Nadia Lambert").click()
    new_page.get_by_text("Commitments to review for takeover").wait_for()
    new_page.get_by_label("Adapt").first.check()
    new_page.get_by_label("Reason").first.fill("Formation équivalente à Namur.")
    new_page.get_by_role("button", name="Record").first.click()
    new_page.get_by_text("Formation équivalente à Namur.").wait_for()
    assert new_page.evaluate("document.documentElement.scrollWidth") <= 390
    new_page.screenshot(path=str(SCREENSHOTS / "transfer-received-phone.png"), full_page=True)
    other.close()


def test_transfer_with_refusal(page, screenshot, browser, live_server):
    contract = _setup()
    _record_move(page, contract)
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    other.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    new_page = other.new_page()
    log_in(new_page, "tom_new", PASSWORD)
    new_page.goto("/transfers/")
    new_page.get_by_role("link", name="Nadia Lambert").click()
    new_page.get_by_label("Refused on").fill(_day(0))
    new_page.get_by_label("How").select_option("in_person")
    new_page.get_by_role("button", name="Record the refusal").click()
    new_page.get_by_text("Nothing of its content is received here").wait_for()
    body = new_page.content()
    assert "Suivre la formation" not in body and "Un entretien par mois" not in body
    new_page.screenshot(path=str(SCREENSHOTS / "transfer-refused-new-cpas.png"), full_page=True)
    other.close()
    assert IncomingTransfer.objects.get().package is None
    page.reload()
    page.get_by_text("The person refused the transfer").wait_for()
    screenshot("transfer-refused-old-cpas")
    assert Contract.objects.get(pk=contract.pk).status == "in_force"
