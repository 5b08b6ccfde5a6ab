"""Flow: a social worker records an evaluation and sees the compliance of the contract year change; then opens the
agenda of legal deadlines and filters it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.accounts.enums import Role
from tests.factories import make_beneficiary, make_clause, make_cpas, make_member, make_objective, make_ri_decision
from tests.followup.builders import make_evaluation, make_in_force_contract, make_meeting_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _at_risk_contract(cpas, worker):
    """A contract year ending in about six weeks, with three evaluations of which only one in person."""
    person = make_beneficiary(cpas, social_worker=worker.user, first_name="Zoé", last_name="Lambert")
    decision = make_ri_decision(cpas, beneficiary=person, decided_on=_days(-330), requested_on=_days(-330))
    contract = make_in_force_contract(cpas, social_worker=worker.user, ri_decision=decision, signed_on=_days(-320))
    for offset, mode in ((-300, "office"), (-200, "phone"), (-100, "phone")):
        make_evaluation(cpas, contract=contract, held_on=_days(offset), mode=mode)
    make_objective(cpas, contract=contract, title="Trouver une formation en vente", due_on=_days(60))
    make_clause(cpas, contract=contract, party="cpas", proposed_by="cpas", kind="cost_coverage", text="Le CPAS paie.")
    return contract


def test_record_an_evaluation_and_see_compliance_change(page, screenshot, assert_accessible):
    cpas = make_cpas(name="CPAS de test")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    contract = _at_risk_contract(cpas, worker)
    log_in(page, "ana_worker", PASSWORD)
    page.goto(f"/contracts/{contract.pk}/")
    assert page.locator("#compliance-current").inner_text() == "At risk"
    expect(page.get_by_text("1 more evaluation in person").first).to_be_visible()
    screenshot("followup-contract-at-risk")

    page.get_by_role("link", name="Record an evaluation").click()
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Mode").select_option("home_visit")
    page.locator("select[name^=progress_]").select_option("in_progress")
    page.locator("select[name^=delivery_]").select_option("delivered")
    page.get_by_label("Difficulties").fill("Garde d'enfants difficile le mardi.")
    page.get_by_label("Agreed adjustments").fill("Déplacer la formation au jeudi.")
    page.get_by_label("The person's own comment").fill("Je veux continuer.")
    assert_accessible()
    screenshot("followup-evaluation-form")
    page.get_by_role("button", name="Save the evaluation").click()

    page.wait_for_url(f"**/contracts/{contract.pk}/")
    assert page.locator("#compliance-current").inner_text() == "Compliant"
    expect(page.get_by_role("link", name="Go to the amendment")).to_be_visible()
    assert_accessible()
    screenshot("followup-contract-compliant")


def test_refuses_an_evaluation_dated_in_the_future(page):
    cpas = make_cpas(name="CPAS de test")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    contract = _at_risk_contract(cpas, worker)
    log_in(page, "ana_worker", PASSWORD)
    page.goto(f"/followup/contracts/{contract.pk}/evaluations/new/")
    page.get_by_label("Date").fill(_days(3).isoformat())
    page.get_by_label("Mode").select_option("office")
    page.get_by_label("Difficulties").fill("Texte à garder")
    page.get_by_role("button", name="Save the evaluation").click()
    assert page.get_by_role("alert").first.inner_text().startswith("This date is in the future")
    assert page.get_by_label("Difficulties").input_value() == "Texte à garder"


def test_open_the_agenda_and_filter_it(page, screenshot, assert_accessible):
    cpas = make_cpas(name="CPAS de test")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    _at_risk_contract(cpas, worker)
    obliged = make_beneficiary(cpas, social_worker=worker.user, last_name="Dubois")
    make_ri_decision(cpas, beneficiary=obliged, decided_on=_days(-80), requested_on=_days(-80))
    asking = make_beneficiary(cpas, social_worker=worker.user, last_name="Peeters")
    make_meeting_request(cpas, beneficiary=asking, requested_on=_days(-10), deadline=_days(-3))
    make_meeting_request(cpas, beneficiary=asking, requested_on=_days(-1), deadline=_days(6), subject="Logement")

    log_in(page, "ana_worker", PASSWORD)
    page.goto("/followup/agenda/")
    assert page.locator("#count-overdue").inner_text() == "1"
    assert page.locator("#count-meeting").inner_text() == "2"
    rows = page.locator("table.agenda tbody tr")
    assert rows.first.get_attribute("class").endswith("is-overdue")
    assert_accessible()
    screenshot("followup-agenda")

    page.get_by_label("Kind", exact=True).select_option("evaluation")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=evaluation**")
    assert rows.count() == 1
    assert "LAMBERT" in rows.first.inner_text()

    page.get_by_label("Kind", exact=True).select_option("")
    page.get_by_label("Due within").select_option("7")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**horizon=7**")
    assert rows.count() == 2  # the overdue meeting, and the one due in six days
    screenshot("followup-agenda-7-days")


def test_team_lead_sees_the_load_per_worker(page, screenshot, assert_accessible):
    cpas = make_cpas(name="CPAS de test")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    _at_risk_contract(cpas, worker)
    asking = make_beneficiary(cpas, social_worker=worker.user, last_name="Peeters")
    make_meeting_request(cpas, beneficiary=asking, requested_on=_days(-1), deadline=_days(6))
    make_member(cpas, Role.TEAM_LEAD, username="tom_lead")
    log_in(page, "tom_lead", PASSWORD)
    page.goto("/followup/team/")
    row = page.get_by_role("row").filter(has_text="ana_worker")
    assert row.get_by_role("cell").nth(0).inner_text() == "2"  # files
    assert_accessible()
    screenshot("followup-team")
    row.get_by_role("link", name="ana_worker").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Agenda of ana_worker"
