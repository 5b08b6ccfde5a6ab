"""Flow, in French and in Dutch: a social worker takes a person from a new file to a signed PIIS and its PDF.

New file → RI decision → obligation shown → needs assessment → draft (objective linked to a need, a commitment of
the person and one of the CPAS) → hand-over → information and rights → signatures of the person and of every line of
the CPAS signatory matrix → in force → PDF in the person's language. Pages are driven by field ids and URLs so that
the same test runs in both languages; what the person reads is checked in their language."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from e2e.conftest import log_in
from piis.accounts.enums import Region, Role
from piis.cases.models import Beneficiary
from piis.cases.validators import nrn_with_check
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from tests.factories import make_cpas, make_member, make_signatory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"
CASES = {
    "fr": {"region": Region.WALLONIA, "functions": ("president", "general_director"), "name": ("Dubois", "Amélie")},
    "nl": {"region": Region.FLANDERS, "functions": ("bcsd_chair", "algemeen_directeur"), "name": ("Peeters", "Jan")},
}


def _submit(page):
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _switch_language(page, language):
    page.locator("#language-select").select_option(language)
    page.locator(".language-switcher button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def _create_file(page, language, last, first) -> Beneficiary:
    page.goto("/files/new/")
    page.locator("#id_last_name").fill(last)
    page.locator("#id_first_name").fill(first)
    page.locator("#id_birth_date").fill("1990-05-05")
    page.locator("#id_national_number").fill(nrn_with_check(datetime.date(1990, 5, 5), 21))
    page.locator("#id_language").select_option(language)
    _submit(page)
    return Beneficiary.objects.get(last_name=last)


def _ri_decision_and_assessment(page, beneficiary, today):
    decided = today - datetime.timedelta(days=30)
    page.goto(f"/files/{beneficiary.pk}/ri/new/")
    page.locator("#id_category").select_option("2")
    for field in ("requested_on", "decided_on", "start_on"):
        page.locator(f"#id_{field}").fill(decided.isoformat())
    page.locator("#id_monthly_amount").fill("1314.20")
    _submit(page)
    expect(page.locator(".obligation-box .deadline")).to_be_visible()
    page.goto(f"/files/{beneficiary.pk}/assessments/new/")
    page.locator("#id_assessment-assessed_on").fill((decided + datetime.timedelta(days=1)).isoformat())
    page.locator("#id_assessment-own_words").fill("Je voudrais travailler dans la logistique.")
    page.locator("#id_items-0-domain").select_option("employment")
    page.locator("#id_items-0-kind").select_option("aspiration")
    page.locator("#id_items-0-text").fill("Magasinier")
    _submit(page)


def _draft(page, beneficiary) -> Contract:
    page.goto(f"/contracts/new/{beneficiary.pk}/")
    page.locator("#id_ri_decision").select_option(index=1)
    page.locator("#id_assessment").select_option(index=1)
    page.locator("input[name=orientations][value=professional]").check()
    page.locator("#id_end_on").fill((timezone.localdate() + datetime.timedelta(days=365)).isoformat())
    _submit(page)
    contract = Contract.objects.get(beneficiary=beneficiary)
    page.goto(f"/contracts/{contract.pk}/objectives/add/")
    page.locator("#id_title").fill("Trouver un emploi de magasinier")
    page.locator("#id_observable_result").fill("Un contrat de travail signé")
    page.locator("#id_due_on").fill((timezone.localdate() + datetime.timedelta(days=200)).isoformat())
    page.locator("input[name=assessment_items]").first.check()
    _submit(page)
    for party, kind, text in (
        ("beneficiary", "job_search", "Je postule à deux offres par semaine."),
        ("cpas", "cpas_support", "Un rendez-vous par mois avec le job coach."),
    ):
        page.goto(f"/contracts/{contract.pk}/clauses/add/?party={party}")
        if party == "cpas":
            page.locator("#id_objective").select_option(index=1)
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_text").fill(text)
        page.locator("#id_proposed_by").select_option(party)
        _submit(page)
    expect(page.locator(".checklist-ok")).to_be_visible()
    return contract


def _hand_over_inform_sign(page, contract, signatories, today):
    handed = today - datetime.timedelta(days=10)
    page.goto(f"/contracts/{contract.pk}/hand-over/")
    page.locator("#id_handed_over_on").fill(handed.isoformat())
    _submit(page)
    version = contract.versions.get()
    page.goto(f"/contracts/{contract.pk}/versions/{version.pk}/information/")
    page.locator("#id_given_on").fill(handed.isoformat())
    for box in page.locator("input[name=rights]").all():
        box.check()
    page.locator("input[name=assistance][value=declined]").check()
    _submit(page)
    for signer in ["beneficiary", *(f"signatory:{line.pk}" for line in signatories)]:
        page.goto(f"/contracts/{contract.pk}/versions/{version.pk}/sign/")
        page.locator("#id_signer").select_option(signer)
        page.locator("#id_signed_on").fill(today.isoformat())
        _submit(page)
    return version


def _pdf_text(page, url) -> str:
    response = page.request.get(url)
    body = response.body()
    assert response.status == 200 and body[:4] == b"%PDF"
    if shutil.which("pdftotext") is None:  # poppler-utils: installed by .ci/run
        return ""
    return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_new_file_to_signed_contract_and_pdf(language, page, screenshot, assert_accessible):
    case = CASES[language]
    cpas = make_cpas(name=f"CPAS {language}", region=case["region"], working_languages=[language])
    member = make_member(cpas, Role.SOCIAL_WORKER, username=f"worker_{language}")
    signatories = [make_signatory(cpas, function=f, holder_name=f"Holder {f}") for f in case["functions"]]
    today = timezone.localdate()

    log_in(page, member.user.username, PASSWORD)
    _switch_language(page, language)
    beneficiary = _create_file(page, language, *case["name"])
    _ri_decision_and_assessment(page, beneficiary, today)
    contract = _draft(page, beneficiary)
    version = _hand_over_inform_sign(page, contract, signatories, today)

    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE and contract.signed_on == today
    page.goto(f"/contracts/{contract.pk}/")
    with translation.override(language):
        in_force = str(ContractStatus.IN_FORCE.label)
        summary_title = translation.gettext("Your integration project in brief")
    assert in_force in page.locator(".status").first.inner_text()
    assert_accessible()
    screenshot(f"whole-path-in-force-{language}")

    text = _pdf_text(page, f"/contracts/{contract.pk}/versions/{version.pk}/pdf/")
    if text:
        assert case["name"][0].upper() in text.upper() and summary_title in text
