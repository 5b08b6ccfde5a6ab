"""Issue 18 on the contract: objectives, steps and commitments point to the CPAS's catalogue, third parties come
from its partners, the path (sequenced or integrated) and the stages, and every commitment promises means or a
result — drafted, frozen in the version, shown on the page and printed in plain words."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from piis.contracts.models import Clause, Objective, Step, ThirdParty
from piis.contracts.paths import promise_sentence, stages
from piis.contracts.pdf import contract_html, pdf_context
from piis.contracts.services import drafting as services
from piis.contracts.services.lifecycle import contract_hand_over
from piis.contracts.snapshot import ContractSnapshot, version_snapshot
from piis.core.errors import ServiceError
from tests.catalogue.builders import make_catalogue_entry
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_assessment_item, make_clause, make_contract, make_objective

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_drafting_forms_offer_the_active_catalogue_of_the_cpas(cpas_a, cpas_b, worker_a, login):
    service = make_catalogue_entry(cpas_a, kind="budget", name="Guidance budgétaire")
    partner = make_catalogue_entry(cpas_a, kind="employment", name="FOREM Namur")
    make_catalogue_entry(cpas_a, kind="workshop", name="Ancien atelier", active=False)
    make_catalogue_entry(cpas_b, kind="training", name="Elders")
    contract = make_contract(cpas_a)
    client = login(worker_a)
    for url in (
        reverse("contracts:objective_add", args=[contract.pk]),
        reverse("contracts:clause_add", args=[contract.pk]),
    ):
        offered = set(client.get(url).context["form"].fields["catalogue_entry"].queryset)
        assert offered == {service, partner}
    offered = set(
        client.get(reverse("contracts:third_party_add", args=[contract.pk]))
        .context["form"]
        .fields["catalogue_entry"]
        .queryset
    )
    assert offered == {partner}


def test_an_objective_a_step_and_commitments_of_means_and_result_tied_to_the_catalogue(cpas_a, worker_a, login):
    workshop = make_catalogue_entry(cpas_a, kind="workshop", name="Atelier CV")
    contract = make_contract(cpas_a, path="sequenced")
    item = make_assessment_item(cpas_a, assessment=contract.assessment)
    client = login(worker_a)
    data = {"title": "Préparer un CV", "observable_result": "Un CV imprimé", "due_on": "2026-06-30", "stage": "1",
            "catalogue_entry": workshop.pk, "assessment_items": [item.pk]}  # fmt: skip
    assert client.post(reverse("contracts:objective_add", args=[contract.pk]), data).status_code == 302
    objective = Objective.objects.get()
    assert (objective.stage, objective.catalogue_entry) == (1, workshop)
    data = {"description": "Participer à l'atelier", "owner_party": "beneficiary", "catalogue_entry": workshop.pk}
    assert client.post(reverse("contracts:step_add", args=[objective.pk]), data).status_code == 302
    assert Step.objects.get().catalogue_entry == workshop
    base = {"party_code": "beneficiary", "objective": objective.pk, "kind": "training", "proposed_by": "beneficiary",
            "position": "agreed", "discussion": "", "may_sanction": "default"}  # fmt: skip
    client.post(
        reverse("contracts:clause_add", args=[contract.pk]),
        {**base, "text": "Participer aux quatre séances.", "obligation": "means", "catalogue_entry": workshop.pk},
    )
    client.post(reverse("contracts:clause_add", args=[contract.pk]),
                {**base, "text": "Obtenir l'attestation de fin d'atelier.", "obligation": "result"})  # fmt: skip
    assert dict(Clause.objects.values_list("text", "obligation")) == {
        "Participer aux quatre séances.": "means", "Obtenir l'attestation de fin d'atelier.": "result"}  # fmt: skip
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Atelier CV" in page and "Stage 1" in page or "Étape 1" in page or "Phase 1" in page


def test_a_third_party_is_created_from_a_partner(cpas_a, worker_a, login):
    partner = make_catalogue_entry(cpas_a, kind="training", name="Centre IFAPME", contact="081 22 33 44")
    service = make_catalogue_entry(cpas_a, kind="debt", name="Médiation de dettes")
    contract = make_contract(cpas_a)
    client = login(worker_a)
    url = reverse("contracts:third_party_add", args=[contract.pk])
    response = client.post(url, {"catalogue_entry": partner.pk, "requested_by": "beneficiary"})
    assert response.status_code == 302
    third = ThirdParty.objects.get()
    assert (third.name, third.kind, third.contact, third.catalogue_entry) == (
        "Centre IFAPME", "training_centre", "081 22 33 44", partner)  # fmt: skip
    response = client.post(url, {"catalogue_entry": service.pk, "requested_by": "cpas"})
    assert response.status_code == 200 and "catalogue_entry" in response.context["form"].errors
    response = client.post(url, {"requested_by": "cpas"})  # neither a partner nor a name
    assert set(response.context["form"].errors) >= {"name", "kind"}
    with pytest.raises(ServiceError) as refused:
        services.third_party_save(membership=worker_a, third_party=ThirdParty(
            contract=contract, name="x", kind="other", requested_by="cpas", catalogue_entry=service))  # fmt: skip
    assert refused.value.code == "CATALOGUE_NOT_A_PARTNER"


def test_an_inactive_entry_cannot_be_chosen_but_one_already_chosen_stays(cpas_a, worker_a):
    gone = make_catalogue_entry(cpas_a, kind="workshop", name="Atelier fermé", active=False)
    objective = make_objective(cpas_a)
    item = make_assessment_item(cpas_a, assessment=objective.contract.assessment)
    objective.catalogue_entry = gone
    with pytest.raises(ServiceError) as refused:
        services.objective_save(membership=worker_a, objective=objective, assessment_items=[item])
    assert refused.value.code == "CATALOGUE_ENTRY_INACTIVE"
    Objective.objects.filter(pk=objective.pk).update(catalogue_entry=gone)
    services.objective_save(membership=worker_a, objective=objective, assessment_items=[item])


def test_the_version_freezes_path_stages_obligations_and_catalogue_and_the_pdf_says_it(cpas_a, worker_a):
    partner = make_catalogue_entry(cpas_a, kind="employment", name="Actiris Ixelles", contact="02 800 42 42")
    contract = drafted_contract(cpas_a, language="fr", path="sequenced")
    objective = contract.objectives.get()
    objective.stage, objective.catalogue_entry = 2, partner
    objective.save()
    first = make_objective(cpas_a, contract=contract, title="Apprendre le français", stage=1,
                           due_on=D(2026, 5, 31))  # fmt: skip
    first.assessment_items.add(*objective.assessment_items.all())
    make_clause(cpas_a, contract=contract, objective=first, party="cpas", kind="cpas_support", proposed_by="cpas",
                text="Le CPAS paie le cours de français.")  # fmt: skip
    contract.clauses.filter(party="beneficiary").update(obligation="result", catalogue_entry=partner)
    version = contract_hand_over(membership=worker_a, contract=contract, handed_over_on=D(2026, 2, 10),
                                 today=D(2026, 2, 10))  # fmt: skip
    s = version_snapshot(version)
    assert s.path == "sequenced" and {o.stage for o in s.objectives} == {1, 2}
    assert {c.party: c.obligation for c in s.clauses} == {"beneficiary": "result", "cpas": "means"}
    mine = next(c for c in s.clauses if c.party == "beneficiary")
    assert mine.catalogue is not None and mine.catalogue.name == "Actiris Ixelles"
    partner.name = "Renamed since"
    partner.save()
    with translation.override("en"):
        context = pdf_context(version)
        assert [(g["stage"], [o["title"] for o in g["objectives"]]) for g in context["stages"]] == [
            (1, ["Apprendre le français"]), (2, [objective.title])]  # fmt: skip
        html = contract_html(version)
    assert "Actiris Ixelles" in html and "Renamed since" not in html  # as it stood at hand-over
    assert "02 800 42 42" in html
    version.language = "en"
    html = contract_html(version)
    assert "You promise to obtain this result." in html
    assert "The CPAS promises to do everything it can for it." in html
    assert "Stage 1" in html and "Stage 2" in html


def test_a_snapshot_frozen_before_the_distinction_reads_as_means():
    old = ContractSnapshot.from_json({"schema": 3, "clauses": [{"id": 1, "party": "beneficiary", "kind": "training",
                                                                "text": "Suivre la formation."}]})  # fmt: skip
    assert old.clauses[0].obligation == "means" and old.clauses[0].catalogue is None and old.path == ""


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_promise_is_said_per_party_in_every_language(language):
    with translation.override(language):
        sentences = {
            promise_sentence(party, obligation, third_party_name="VDAB")
            for party in ("beneficiary", "cpas", "third_party")
            for obligation in ("means", "result")
        }
    assert len(sentences) == 6 and all(s.strip() for s in sentences)
    assert any("VDAB" in s for s in sentences)


def test_stages_group_a_sequenced_path_and_keep_an_integrated_one_whole():
    items = [("a", 2), ("b", None), ("c", 1), ("d", 2)]
    assert stages(items, "sequenced", stage_of=lambda i: i[1]) == [
        (1, [("c", 1)]), (2, [("a", 2), ("d", 2)]), (None, [("b", None)])]  # fmt: skip
    assert stages(items, "integrated", stage_of=lambda i: i[1]) == [(None, items)]
    assert stages([], "sequenced", stage_of=lambda i: i) == []
