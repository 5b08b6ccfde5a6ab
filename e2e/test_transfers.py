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


def test_import_refuses_a_hostile_file_then_takes_the_good_one(page, screenshot, tmp_path):
    """Another deployment: the new CPAS imports the open PIIS file; a file with a script in a text is refused with
    a message and nothing imported."""
    from piis.transfers import services
    from piis.transfers.openpiis import dump
    from tests.transfers.builders import FAKE_PDF

    contract = _setup()
    IncomingTransfer.objects.all().delete()
    old = contract.social_worker.memberships.get(cpas=contract.cpas)
    day = timezone.localdate()
    transfer = services.transfer_record_move(
        membership=old, contract=contract, moved_on=day - datetime.timedelta(days=20),
        learned_on=day - datetime.timedelta(days=19), answer_by=day - datetime.timedelta(days=5),
        other_name="CPAS de Namur", other_nis_code="92094", today=day,
    )  # fmt: skip
    services.transfer_record_answer(membership=old, transfer=transfer, answer="no_answer", answered_on=day, today=day)
    services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=day)
    transfer.refresh_from_db()
    good = tmp_path / "open-piis.json"
    good.write_bytes(dump(transfer.package))
    hostile = tmp_path / "hostile.json"
    hostile.write_bytes(dump(transfer.package).replace(b"Un entretien par mois.", b"<script>alert(1)</script>"))
    log_in(page, "tom_new", PASSWORD)
    page.goto("/transfers/import/")
    page.get_by_label("Open PIIS file").set_input_files(str(hostile))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("markup or a script").wait_for()
    screenshot("transfer-import-refused")
    assert not IncomingTransfer.objects.exists()
    page.get_by_label("Open PIIS file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Commitments to review for takeover").wait_for()
    assert IncomingTransfer.objects.get().imported
