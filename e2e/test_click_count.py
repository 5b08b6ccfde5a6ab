"""Flow, counted: from "New file" to a PIIS in force in at most 25 clicks (issue 10; 48 before).

A social worker creates a file, records the RI decision and a needs assessment, drafts a PIIS with an objective, a
step, a commitment of the CPAS and one of the person, hands it over with the information and every right explained,
and after the reflection period records the signature of the person and of each line of the CPAS signatory matrix.

A click is a click or tap on a link, a button, a checkbox, a radio button or a select option: every one goes through
`Clicks`, which wraps the page's click, check and select_option. Typing into a field is not a click. Logging in, and
opening the contract again after the reflection period (the same navigation for any count), are not part of the path.
The defaults the path relies on are asserted where they are used, and what the path recorded is checked at the end:
each right stored on its own, the information dated, one signature per party."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.accounts.enums import Region, Role
from piis.cases.models import Beneficiary
from piis.cases.validators import nrn_with_check
from piis.contracts.enums import ContractStatus, Party
from piis.contracts.models import Contract
from piis.contracts.rights import RIGHT_CODES
from tests.factories import make_cpas, make_member, make_signatory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"
MAX_CLICKS = 25
DRAFTED = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)  # a Monday
SIGNED = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)  # after the reflection period


class Clicks:
    """The user's clicks: each call of click, check or select is one, and is logged with what it was for."""

    def __init__(self, page):
        self.page = page
        self.log: list[str] = []

    @property
    def count(self) -> int:
        return len(self.log)

    def _locator(self, target):
        return self.page.locator(target) if isinstance(target, str) else target

    def click(self, target, why: str) -> None:
        self._locator(target).click()
        self.log.append(why)
        self.page.wait_for_load_state()

    def check(self, target, why: str) -> None:
        self._locator(target).check()
        self.log.append(why)

    def select(self, target, value: str, why: str) -> None:
        self._locator(target).select_option(value)
        self.log.append(why)


def _continue(clicks, why):
    clicks.click("main form button[name=then][value=continue]", why)


def _file_to_assessment(page, clicks, screenshot) -> Beneficiary:
    page.goto("/files/")
    clicks.click("main a[href$='/files/new/']", "New file")
    page.locator("#id_last_name").fill("Dubois")
    page.locator("#id_first_name").fill("Amélie")
    page.locator("#id_birth_date").fill("1990-05-05")
    page.locator("#id_national_number").fill(nrn_with_check(datetime.date(1990, 5, 5), 21))
    clicks.click("main form button[type=submit].primary", "save the file")
    beneficiary = Beneficiary.objects.get(last_name="Dubois")

    clicks.click("#next-step a.primary", "next step: record the RI decision")
    assert page.url.endswith(f"/files/{beneficiary.pk}/ri/new/")
    clicks.select("#id_category", "2", "RI category")
    page.locator("#id_requested_on").fill("2026-02-02")
    page.locator("#id_decided_on").fill("2026-02-16")
    page.locator("#id_start_on").fill("2026-02-02")
    page.locator("#id_monthly_amount").fill("1314.20")
    clicks.click("main form button[type=submit].primary", "save the RI decision")
    expect(page.url.endswith("#next-step") and page.locator(".obligation-box .deadline")).to_be_visible()
    screenshot("click-count-file-next-step")

    clicks.click("#next-step a.primary", "next step: needs assessment")
    assert page.locator("#id_assessment-assessed_on").input_value() == "2026-03-02"  # today, prefilled
    page.locator("#id_assessment-own_words").fill("Je voudrais travailler dans la logistique.")
    clicks.select("#id_items-0-domain", "employment", "life domain of the item")
    clicks.select("#id_items-0-kind", "aspiration", "kind of the item")
    page.locator("#id_items-0-text").fill("Magasinier")
    clicks.click("main form button[type=submit].primary", "save the assessment")
    return beneficiary


def _draft(page, clicks, beneficiary, screenshot, assert_accessible) -> Contract:
    clicks.click("#next-step a.primary", "next step: new PIIS")
    # The only RI decision and the latest assessment are preselected, the worker is the social worker.
    assert page.locator("#id_ri_decision option:checked").get_attribute("value") != ""
    assert page.locator("#id_assessment option:checked").get_attribute("value") != ""
    clicks.check("input[name=orientations][value=professional]", "orientation")
    page.locator("#id_end_on").fill("2027-03-01")
    clicks.click("main form button[type=submit].primary", "create the draft")
    contract = Contract.objects.get(beneficiary=beneficiary)
    assert page.url.endswith(f"/contracts/{contract.pk}/objectives/add/")  # a new draft needs an objective first

    page.locator("#id_title").fill("Trouver un emploi de magasinier")
    page.locator("#id_observable_result").fill("Un contrat de travail signé")
    page.locator("#id_due_on").fill("2026-09-30")
    assert page.locator("input[name=assessment_items]").is_checked()  # the assessment's only item
    assert_accessible()
    screenshot("click-count-objective")
    _continue(clicks, "save the objective and add a step")

    page.locator("#id_description").fill("S'inscrire dans deux agences d'intérim")
    page.locator("#id_due_on").fill("2026-04-15")
    _continue(clicks, "save the step and continue")

    # What the draft still needs: a commitment of the CPAS for the objective, then one of the person.
    assert page.locator("#id_party_code").input_value() == Party.CPAS
    assert page.locator("#id_objective option:checked").inner_text().startswith("Trouver un emploi")
    page.locator("#id_text").fill("Un rendez-vous par mois avec le job coach du CPAS.")
    screenshot("click-count-cpas-commitment")
    _continue(clicks, "save the CPAS's commitment and continue")

    assert page.locator("#id_party_code").input_value() == Party.BENEFICIARY
    clicks.select("#id_kind", "job_search", "kind of the person's commitment")
    page.locator("#id_text").fill("Je postule à deux offres par semaine.")
    _continue(clicks, "save the person's commitment and continue")
    assert page.url.endswith(f"/contracts/{contract.pk}/#lifecycle-title")
    expect(page.locator(".checklist-ok")).to_be_visible()
    screenshot("click-count-draft-ready")
    return contract


def _hand_over_with_information(page, clicks, contract, screenshot, assert_accessible) -> None:
    clicks.click(f"main a.primary[href$='/contracts/{contract.pk}/hand-over/']", "hand over the final draft")
    assert page.locator("#id_handed_over_on").input_value() == "2026-03-02"  # today, prefilled
    clicks.check("#id_all_rights", "every right explained")
    clicks.check("input[name=assistance][value=declined]", "assistance declined")
    assert_accessible()
    screenshot("click-count-hand-over")
    clicks.click("main form button[type=submit].primary", "hand over")
    assert page.url.endswith(f"/contracts/{contract.pk}/")
    expect(page.locator(".lc-ok").first).to_be_visible()  # the information is recorded


def _sign(page, clicks, contract, screenshot, assert_accessible) -> None:
    log_in(page, "worker", PASSWORD)  # the session of a week ago has expired
    page.goto(f"/contracts/{contract.pk}/")
    buttons = page.locator("form.quick-sign button[type=submit]")
    assert buttons.count() == 3  # the person, the president, the general director
    assert_accessible()
    screenshot("click-count-signatures")
    for party in ("the person", "the president", "the general director"):
        clicks.click(page.locator("form.quick-sign button[type=submit]").first, f"signed today: {party}")
        assert page.url.endswith(f"/contracts/{contract.pk}/")


def test_new_file_to_piis_in_force_in_at_most_25_clicks(page, screenshot, assert_accessible):
    cpas = make_cpas(name="CPAS de Clics", region=Region.WALLONIA, working_languages=["fr"])
    make_member(cpas, Role.SOCIAL_WORKER, username="worker")
    for function in ("president", "general_director"):
        make_signatory(cpas, function=function, holder_name=f"Holder {function}")
    clicks = Clicks(page)

    with time_machine.travel(DRAFTED, tick=True):
        log_in(page, "worker", PASSWORD)
        beneficiary = _file_to_assessment(page, clicks, screenshot)
        contract = _draft(page, clicks, beneficiary, screenshot, assert_accessible)
        _hand_over_with_information(page, clicks, contract, screenshot, assert_accessible)
    with time_machine.travel(SIGNED, tick=True):
        _sign(page, clicks, contract, screenshot, assert_accessible)
        screenshot("click-count-in-force")

    print(f"\nclicks from 'New file' to a PIIS in force: {clicks.count} (at most {MAX_CLICKS})")
    for number, why in enumerate(clicks.log, start=1):
        print(f"  {number:2}. {why}")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE and contract.signed_on == datetime.date(2026, 3, 10)
    version = contract.versions.get()
    assert version.rights_given == list(RIGHT_CODES)  # each right stored on its own
    assert version.information_given_on == version.handed_over_on == datetime.date(2026, 3, 2)
    assert version.assistance == "declined" and version.information_given_by.username == "worker"
    assert sorted(s.party for s in version.signatures.all()) == sorted(["beneficiary", "cpas", "cpas"])
    assert {s.signed_on for s in version.signatures.all()} == {datetime.date(2026, 3, 10)}
    objective = contract.objectives.get()
    assert objective.steps.count() == 1 and objective.assessment_items.count() == 1
    assert {c.party for c in contract.clauses.all()} == {Party.BENEFICIARY, Party.CPAS}
    assert clicks.count <= MAX_CLICKS, clicks.log
