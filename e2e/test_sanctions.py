"""Flow: a social worker reports a breach from the file, prepares and sends the formal notice, records the delivery,
the answer, the legitimate-reason answer, the commitments check, the opinion and the hearing, and marks the dossier
ready for the council. And the blocked one: no delivery recorded and a CPAS commitment unmet without a motivation."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.accounts.enums import Role
from piis.sanctions.models import SanctionDossier
from tests.factories import make_cpas, make_member
from tests.sanctions.builders import in_force_contract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password


def _day(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _setup(*, fee_paid: bool):
    cpas = make_cpas(name="CPAS de test")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="sam_worker")
    contract = in_force_contract(cpas, worker=worker.user)
    if fee_paid:
        contract.cpas_commitment.delivery_status = "done"
        contract.cpas_commitment.delivery_status_on = datetime.date(2026, 3, 20)
        contract.cpas_commitment.save()
    person = contract.beneficiary
    person.first_name, person.last_name, person.address = "Nadia", "Lambert", "Rue Haute 12, 1000 Bruxelles"
    person.save()
    return contract


def _report_and_notify(page, contract, *, deliver: bool):
    page.goto(f"/files/{contract.beneficiary.pk}/")
    page.get_by_role("link", name="Report a breach", exact=True).click()
    page.get_by_label("Suivre la formation de vendeur chaque lundi.").check()
    page.get_by_label("Date of the breach").fill(_day(-10))
    page.get_by_label("Facts").fill("Absente aux trois derniers lundis de formation, sans prévenir.")
    page.get_by_role("button", name="Open the procedure").click()
    page.wait_for_url("**/sanctions/*/")
    page.get_by_role("link", name="Prepare the formal notice", exact=True).click()
    page.get_by_label("Language of the letter").select_option("fr")
    page.get_by_label("To comply or explain by").fill(_day(10))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the sending", exact=True).click()
    page.get_by_label("Sent on").fill(_day(-8))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/sanctions/*/#notice")
    page.get_by_role("link", name="Right to be heard notified", exact=True).click()
    page.get_by_label("Right to be heard notified on").fill(_day(-8))
    page.get_by_role("button", name="Save").click()
    if deliver:
        page.get_by_role("link", name="Record the delivery", exact=True).click()
        page.get_by_label("How it reached the person").select_option("registered")
        page.get_by_label("Delivered on").fill(_day(-6))
        page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the answer or the silence", exact=True).click()
    page.get_by_label("Written answer").check()
    page.get_by_label("Date", exact=True).fill(_day(-2))
    page.get_by_label("What the person said or wrote").fill("J'avais un rendez-vous à l'hôpital.")
    page.get_by_label("The person invokes a legitimate reason").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Answer the question of a legitimate reason", exact=True).click()
    page.get_by_label("No").check()
    page.get_by_label("The CPAS's answer, with its reasons").fill("Le rendez-vous couvrait un seul des trois lundis.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Check the commitments", exact=True).click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Give the opinion", exact=True).click()
    page.get_by_label("Suspension with deferral").check()
    page.get_by_label("Months").fill("1")
    page.get_by_label("Share of the RI suspended (%)").fill("50")
    page.get_by_label("Opinion").fill(
        "Deux absences sans motif; un sursis laisse une chance de reprendre la formation."
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the person's answer", exact=True).click()
    page.get_by_label("The person's answer").select_option("asked")
    page.get_by_label("Asked on").fill(_day(-3))
    page.get_by_label("Hearing planned on").fill(_day(0))
    page.get_by_role("button", name="Save").click()


def test_a_procedure_up_to_ready_for_the_council(page, screenshot, assert_accessible):
    contract = _setup(fee_paid=True)
    log_in(page, "sam_worker", PASSWORD)
    _report_and_notify(page, contract, deliver=True)
    expect(page.get_by_text("The person asked to be heard: record the hearing once it has been held.")).to_be_visible()
    page.get_by_role("link", name="Record the hearing", exact=True).click()
    page.get_by_label("Held on").fill(_day(0))
    page.get_by_label("Who attended").fill("Mme Lambert, l'assistante sociale, deux conseillers")
    page.get_by_label("The person's assistant").fill("Un délégué syndical")
    page.get_by_label("Minutes").fill("Mme Lambert explique ses difficultés de transport.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Every safeguard holds: the dossier can go to the council.")).to_be_visible()
    assert_accessible()
    screenshot("sanctions-dossier-before-ready")
    page.get_by_role("button", name="Ready for the council").click()
    expect(page.get_by_text("Ready for the council", exact=True).first).to_be_visible()
    dossier = SanctionDossier.objects.get(contract=contract)
    assert dossier.status == "ready" and dossier.notice.letter.name.endswith(".pdf")
    page.goto(f"/files/{contract.beneficiary.pk}/#sanctions")
    expect(page.locator("#sanctions").get_by_text("Formal notice delivered")).to_be_visible()
    screenshot("sanctions-file-timeline")


def test_no_delivery_and_an_unmet_cpas_commitment_block_the_council(page, screenshot, assert_accessible):
    contract = _setup(fee_paid=False)  # the CPAS was to pay the fee by 31/03 and did not
    log_in(page, "sam_worker", PASSWORD)
    _report_and_notify(page, contract, deliver=False)
    checklist = page.locator("#checklist")
    expect(checklist.get_by_text("Record when the formal notice reached the person.")).to_be_visible()
    expect(checklist.get_by_text("Sanction excluded: a commitment of the CPAS")).to_be_visible()
    assert page.get_by_role("button", name="Ready for the council").is_disabled()
    assert "R57" not in page.content()
    assert_accessible()
    screenshot("sanctions-dossier-blocked")
