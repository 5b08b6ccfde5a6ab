"""Flow: from a file with an RI decision and a needs assessment, a social worker drafts a PIIS — objective linked to a
need, a commitment of the person and one of the CPAS — and sees the hand-over checklist turn green."""

import datetime

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.accounts.models import User
from piis.cases.models import Beneficiary
from piis.demo.data import DEMO_PASSWORD, load_demo_data
from tests.factories import make_assessment, make_assessment_item, make_ri_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _demo_file():
    load_demo_data()
    worker = User.objects.get(username="wal_social_worker")
    beneficiary = (
        Beneficiary.objects.filter(cpas__nis_code="99101")
        .exclude(contracts__status__in=["draft", "handed_over", "awaiting_signatures", "in_force"])
        .order_by("last_name", "id")
        .first()
    )
    cpas = beneficiary.cpas
    decision = make_ri_decision(cpas, beneficiary=beneficiary, decided_on=datetime.date(2026, 1, 12))
    assessment = make_assessment(cpas, beneficiary=beneficiary, author=worker, assessed_on=datetime.date(2026, 1, 20))
    make_assessment_item(cpas, assessment=assessment, kind="aspiration", text="Travailler dans la vente")
    return beneficiary, decision, assessment


def test_social_worker_drafts_a_piis_until_it_is_ready_for_hand_over(page, screenshot, assert_accessible):
    beneficiary, decision, assessment = _demo_file()
    log_in(page, "wal_social_worker", DEMO_PASSWORD)
    page.goto(f"/files/{beneficiary.pk}/")
    page.get_by_role("link", name="New PIIS").first.click()

    page.get_by_label("RI decision").select_option(str(decision.pk))
    page.get_by_label("Needs assessment").select_option(str(assessment.pk))
    page.get_by_label("Professional insertion").check()
    page.get_by_label("Planned end").fill("2027-11-30")
    page.get_by_label("Evaluation arrangements").fill("Every four months, two of them at the office.")
    assert_accessible()
    page.get_by_role("button", name="Create the draft").click()
    # A new draft has no objective yet: the creation lands on its first one.
    page.wait_for_url("**/contracts/*/objectives/add/")

    # The refusal most likely hit: an objective that answers no need of the assessment. The assessment's only item
    # is ticked to start with; unticked, the objective is refused.
    page.locator("#id_title").fill("Trouver un emploi dans la vente")
    page.get_by_label("Observable result").fill("Un contrat de travail signé")
    page.get_by_label("Due date").fill("2027-06-30")
    page.get_by_label("Travailler dans la vente").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    assert "at least one item of the needs assessment" in page.locator(".error").first.inner_text()
    assert page.get_by_label("Observable result").input_value() == "Un contrat de travail signé"
    page.get_by_label("Travailler dans la vente").check()
    screenshot("contract-drafting-objective")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/contracts/*/#objective-*")

    page.get_by_role("link", name="Add a commitment — Commitments of the person").click()
    page.get_by_label("Kind").select_option("job_search")
    page.get_by_label("Text").fill("Je postule à deux offres par semaine dans la vente.")
    page.get_by_label("Proposed by").select_option("beneficiary")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/contracts/*/#commitments")

    page.get_by_role("link", name="Add a commitment — Commitments of the CPAS").click()
    page.get_by_label("Objective", exact=True).select_option(label="Trouver un emploi dans la vente")
    page.get_by_label("Kind").select_option("cpas_support")
    page.get_by_label("Text").fill("Le CPAS organise un rendez-vous avec le job coach chaque mois.")
    page.get_by_label("Proposed by").select_option("cpas")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/contracts/*/#commitments")

    expect(page.locator(".checklist-ok")).to_be_visible()
    assert "Everything the final draft needs is there." in page.locator(".checklist").inner_text()
    expect(page.get_by_role("heading", name="Commitments of the CPAS")).to_be_visible()
    assert_accessible()
    screenshot("contract-drafting-ready")
