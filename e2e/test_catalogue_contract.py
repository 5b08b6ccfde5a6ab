"""Flow (issue 18): the CPAS administrator adds a partner to the catalogue; a social worker drafts a PIIS whose step
is tied to a service of the catalogue, with a commitment of means and one of result of the person and a third party
created from the partner; the contract page and the PDF show the entries and say what each commitment promises."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.models import User
from piis.cases.models import Beneficiary
from piis.catalogue.models import CatalogueEntry
from piis.contracts.models import Clause, Contract, ThirdParty
from piis.contracts.services.lifecycle import contract_hand_over
from piis.demo.data import DEMO_PASSWORD, load_demo_data
from tests.factories import make_assessment, make_assessment_item, make_contract, make_objective, make_ri_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _draft() -> Contract:
    """A draft on a demo file of the Walloon CPAS with one objective (drafting: e2e/test_contract_drafting)."""
    worker = User.objects.get(username="wal_social_worker")
    beneficiary = (
        Beneficiary.objects.filter(cpas__nis_code="99101", language="fr")
        .exclude(contracts__status__in=["draft", "handed_over", "awaiting_signatures", "in_force"])
        .order_by("last_name", "id")
        .first()
    )
    cpas = beneficiary.cpas
    decision = make_ri_decision(
        cpas, beneficiary=beneficiary, decided_on=timezone.localdate() - datetime.timedelta(days=20)
    )
    assessment = make_assessment(cpas, beneficiary=beneficiary, author=worker, assessed_on=decision.decided_on)
    need = make_assessment_item(cpas, assessment=assessment, kind="aspiration", text="Travailler dans la vente")
    contract = make_contract(cpas, ri_decision=decision, assessment=assessment,
                             social_worker=worker, start_on=decision.decided_on, path="",
                             end_on=decision.decided_on + datetime.timedelta(days=365))  # fmt: skip
    objective = make_objective(cpas, contract=contract, title="Préparer sa recherche d'emploi",
                               due_on=decision.decided_on + datetime.timedelta(days=180))  # fmt: skip
    objective.assessment_items.add(need)
    return contract


def _pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (poppler-utils) to read the PDF")
    path = tmp_path / "contract.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_a_contract_built_from_the_catalogue(page, screenshot, tmp_path):
    load_demo_data()
    page.set_default_timeout(6000)
    SCREENSHOTS.mkdir(exist_ok=True)

    # The administrator adds a partner.
    log_in(page, "wal_cpas_admin", DEMO_PASSWORD)
    page.goto("/catalogue/")
    page.get_by_role("link", name="Add a service or partner").click()
    page.get_by_label("Kind").select_option("training")
    page.get_by_label("Name").fill("Centre de formation Les Ateliers du Bois")
    page.get_by_label("Contact").fill("071 77 88 99")
    page.get_by_label("French").check()
    page.get_by_label("Capacity (places)").fill("12")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/catalogue/")
    assert "Centre de formation Les Ateliers du Bois" in page.locator("main").inner_text()
    page.set_viewport_size(PHONE)
    screenshot("catalogue-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    partner = CatalogueEntry.objects.get(name="Centre de formation Les Ateliers du Bois")
    workshop = CatalogueEntry.objects.get(cpas=partner.cpas, kind="workshop")

    # A social worker drafts: path, a step with a service, a third party from the partner, means and result.
    contract = _draft()
    page.context.clear_cookies()
    root = page.url.split("/catalogue/")[0] + "/"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": root}])
    log_in(page, "wal_social_worker", DEMO_PASSWORD)
    page.goto(f"/contracts/{contract.pk}/edit/")
    page.get_by_label("Path").select_option("sequenced")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/contracts/{contract.pk}/**")

    objective = contract.objectives.get()
    page.goto(f"/contracts/objectives/{objective.pk}/steps/add/")
    page.get_by_label("Step").fill("Participer à l'atelier CV")
    page.get_by_label("Who").select_option("beneficiary")
    page.get_by_label("From the catalogue").select_option(str(workshop.pk))
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/contracts/{contract.pk}/**")

    page.goto(f"/contracts/{contract.pk}/third-parties/add/")
    page.get_by_label("From the catalogue").select_option(str(partner.pk))
    page.get_by_label("Added at the request of").select_option("beneficiary")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/contracts/{contract.pk}/**")
    third = ThirdParty.objects.get(contract=contract)
    assert (third.name, third.contact, third.catalogue_entry_id) == (partner.name, "071 77 88 99", partner.pk)

    for text, obligation in (("Je participe aux quatre séances de l'atelier.", "means"),
                             ("J'obtiens l'attestation de fin d'atelier.", "result")):  # fmt: skip
        page.goto(f"/contracts/{contract.pk}/clauses/add/?party=beneficiary")
        page.get_by_label("Kind").select_option("training")
        page.get_by_label("Text").fill(text)
        page.get_by_label("Proposed by").select_option("beneficiary")
        page.locator(f"input[name=obligation][value={obligation}]").check()
        page.get_by_label("From the catalogue").select_option(str(workshop.pk))
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(f"**/contracts/{contract.pk}/**")
    promised = dict(Clause.objects.filter(contract=contract).values_list("obligation", "text"))
    assert promised == {
        "means": "Je participe aux quatre séances de l'atelier.",
        "result": "J'obtiens l'attestation de fin d'atelier.",
    }

    page.goto(f"/contracts/{contract.pk}/")
    main = page.locator("main").inner_text()
    assert "Sequenced path" in main and workshop.name in main and partner.name in main
    assert "Obligation of means" in main and "Obligation of result" in main
    page.set_viewport_size(PHONE)
    screenshot("contract-catalogue-phone")

    # The PDF of the version handed over says it in plain words (here in English, the person's language).
    Beneficiary.objects.filter(pk=contract.beneficiary_id).update(language="en")
    contract.refresh_from_db()
    # What the hand-over also needs (e2e/test_contract_drafting drafts them): the CPAS's and the partner's share.
    Clause.objects.create(
        cpas=contract.cpas,
        contract=contract,
        objective=objective,
        party="cpas",
        kind="cost_coverage",
        text="Le CPAS paie les frais de l'atelier.",
        proposed_by="cpas",
    )
    Clause.objects.create(cpas=contract.cpas, contract=contract, party="third_party", third_party=third,
                          kind="training", text="Le centre accueille la personne.", proposed_by="cpas")  # fmt: skip
    member = contract.social_worker.memberships.get(cpas=contract.cpas)
    version = contract_hand_over(membership=member, contract=contract, handed_over_on=timezone.localdate(),
                                 today=timezone.localdate())  # fmt: skip
    response = page.request.get(f"/contracts/{contract.pk}/versions/{version.pk}/pdf/")
    assert response.ok and response.body().startswith(b"%PDF")
    text = " ".join(_pdf_text(response.body(), tmp_path).split())
    assert "You promise to try and to attend" in text and "You promise to obtain this result." in text
    assert workshop.name in text and partner.name in text and "Stage" not in text or "Path" in text
