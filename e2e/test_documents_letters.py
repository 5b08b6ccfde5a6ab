"""Flow: a social worker keeps a certificate as the proof of a step of a PIIS in force, prepares and sends an
invitation to the evaluation in the person's language, and finds both on the file page; at 390 px too. The letter's
PDF is kept as sent (its pages are rendered to PNG for a look: e2e/screenshots/letter-invitation-*.png)."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.enums import Role
from piis.documents.models import Document, Letter
from tests.documents.builders import PDF
from tests.factories import make_beneficiary, make_cpas, make_member, make_objective, make_ri_decision, make_step
from tests.followup.builders import make_in_force_contract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password
PHONE = {"width": 390, "height": 844}


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_certificate_as_proof_of_a_step_and_an_invitation_letter(page, screenshot, tmp_path):
    cpas = make_cpas(name="CPAS de Beaumont")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    person = make_beneficiary(cpas, social_worker=worker.user, first_name="Zoé", last_name="Lambert", language="fr",
                              address="Rue de la Station 12, 6500 Beaumont")  # fmt: skip
    decision = make_ri_decision(cpas, beneficiary=person, decided_on=_days(-200), requested_on=_days(-200))
    contract = make_in_force_contract(cpas, social_worker=worker.user, ri_decision=decision, signed_on=_days(-190))
    objective = make_objective(cpas, contract=contract, title="Trouver une formation en vente", due_on=_days(60))
    step = make_step(cpas, objective=objective, description="Suivre l'atelier CV du CPAS")
    certificate = tmp_path / "attestation-atelier.pdf"
    certificate.write_bytes(PDF)

    log_in(page, "ana_worker", PASSWORD)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="All documents of the PIIS").click()
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Type").select_option("certificate")
    page.get_by_label("Title").fill("Attestation de suivi — atelier CV")
    page.get_by_label("Date of the document").fill(_days(-2).isoformat())
    page.get_by_label("File (PDF or image)").set_input_files(str(certificate))
    page.get_by_label("Proof of the step").select_option(str(step.pk))
    screenshot("documents-add")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/documents/contracts/{contract.pk}/")
    document = Document.objects.get()
    assert document.step == step and document.contract == contract

    page.goto(f"/documents/files/{person.pk}/")
    page.get_by_role("link", name="Invitation to an evaluation").click()
    page.get_by_label("Date of the evaluation").fill(_days(14).isoformat())
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Place").fill("CPAS, rue Haute 4, bureau 2")
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_text("CPAS, rue Haute 4, bureau 2").first).to_be_visible()
    screenshot("letter-preview")
    page.get_by_role("button", name="Send the letter").click()
    page.wait_for_url(f"**/documents/files/{person.pk}/", timeout=60_000)
    letter = Letter.objects.get()
    assert letter.language == "fr" and "rue Haute 4" in letter.body

    page.goto(f"/files/{person.pk}/")
    expect(page.get_by_text("Attestation de suivi — atelier CV").first).to_be_visible()
    expect(page.get_by_text(letter.subject).first).to_be_visible()
    screenshot("documents-file-page")
    page.set_viewport_size(PHONE)
    page.goto(f"/files/{person.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("documents-file-page-phone")
    page.goto(f"/documents/files/{person.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("documents-list-phone")

    # The letter as sent, looked at page by page.
    SCREENSHOTS.mkdir(exist_ok=True)
    stored = tmp_path / "letter.pdf"
    with letter.pdf.open("rb") as source:
        stored.write_bytes(source.read())
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(stored), str(SCREENSHOTS / "letter-invitation")],
                       check=True, timeout=60)  # fmt: skip
