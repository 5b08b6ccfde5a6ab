"""The law on commitments, enforced where they are written, saved, frozen and printed.

R23: free text describing community service (any language, case, accents, hyphens or apostrophes) is refused on the
field of a commitment, a step, an objective or a library template, and blocks the hand-over of older text.
R55, R56: only the person's own commitments can ground a sanction — never one of the CPAS or of a third party, in the
form, the service, the frozen version and the PDF.
"""

import datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from piis.contracts.models import Clause, ClauseTemplate, Objective, Step
from piis.contracts.pdf import pdf_context
from piis.contracts.selectors_drafting import drafting_problems
from piis.contracts.services import drafting as services
from piis.contracts.services.lifecycle import contract_hand_over
from piis.contracts.snapshot import version_snapshot
from piis.core.errors import ServiceError, error_message
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import (
    make_assessment_item,
    make_clause,
    make_contract,
    make_objective,
    make_step,
    make_third_party,
)

pytestmark = pytest.mark.django_db

D = datetime.date
COMMUNITY_SERVICE = [
    "Effectuer un travail d’intérêt général au parc communal",
    "Prester des heures de TIG",
    "Service-Communautaire le samedi",
    "Gemeenschapsdienst bij de stad",
    "gemeinnützige Arbeit im Bauhof",
    "Do Community Service at the library",
]
ORDINARY = [
    "S'inscrire au service communal de la jeunesse",
    "Suivre l'atelier Tiger",
    "Deelnemen aan het leven van de gemeenschap",
]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _clause_data(**overrides):
    data = {
        "party_code": "beneficiary",
        "objective": "",
        "kind": "job_search",
        "text": "Je cherche un emploi dans la vente.",
        "proposed_by": "beneficiary",
        "position": "agreed",
        "discussion": "",
        "may_sanction": "default",
        "delivery_status": "planned",
    }
    return {**data, **overrides}


# --- R23: community service in free text ---------------------------------------------------------------------------


@pytest.mark.scenario("T32", rules=("R23",))
@pytest.mark.parametrize("text", COMMUNITY_SERVICE)
def test_t32_a_commitment_describing_community_service_is_refused_on_its_text(text, cpas_a, worker_a, login):
    contract = make_contract(cpas_a)
    response = login(worker_a).post(reverse("contracts:clause_add", args=[contract.pk]), _clause_data(text=text))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["text"] == [error_message("COMMUNITY_SERVICE_FORBIDDEN")]
    assert form["text"].value() == text  # what was typed stays
    assert not Clause.objects.exists()


@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_commitment_that_only_looks_like_community_service_is_saved(text, cpas_a, worker_a, login):
    contract = make_contract(cpas_a)
    response = login(worker_a).post(reverse("contracts:clause_add", args=[contract.pk]), _clause_data(text=text))
    assert response.status_code == 302
    assert Clause.objects.get().text == text


@pytest.mark.parametrize("text", COMMUNITY_SERVICE)
def test_objectives_and_steps_describing_community_service_are_refused(text, cpas_a, worker_a, login):
    contract = make_contract(cpas_a)
    item = make_assessment_item(cpas_a, assessment=contract.assessment)
    client = login(worker_a)
    url = reverse("contracts:objective_add", args=[contract.pk])
    ok = {"title": "Trouver un emploi", "observable_result": "Contrat signé", "due_on": "2026-09-30"}
    for field in ("title", "observable_result"):
        response = client.post(url, {**ok, field: text, "assessment_items": [item.pk]})
        assert response.context["form"].errors[field] == [error_message("COMMUNITY_SERVICE_FORBIDDEN")]
    assert not Objective.objects.exists()
    objective = make_objective(cpas_a, contract=contract)
    step_url = reverse("contracts:step_add", args=[objective.pk])
    response = client.post(step_url, {"description": text, "owner_party": "beneficiary"})
    assert response.context["form"].errors["description"] == [error_message("COMMUNITY_SERVICE_FORBIDDEN")]
    assert not Step.objects.exists()


def test_services_refuse_community_service_text_with_the_rule_and_the_field(cpas_a, worker_a):
    contract = make_contract(cpas_a)
    objective = Objective(contract=contract, title="Un TIG", observable_result="R", due_on=D(2026, 9, 30))
    with pytest.raises(ServiceError) as error:
        services.objective_save(membership=worker_a, objective=objective, assessment_items=[])
    assert (error.value.code, error.value.field, error.value.rule) == ("COMMUNITY_SERVICE_FORBIDDEN", "title", "R23")
    step = Step(objective=make_objective(cpas_a, contract=contract), description="gemeenschaps-dienst")
    with pytest.raises(ServiceError) as error:
        services.step_save(membership=worker_a, step=step, owner="beneficiary")
    assert (error.value.code, error.value.field) == ("COMMUNITY_SERVICE_FORBIDDEN", "description")
    clause = Clause(contract=contract, kind="training", text="TRAVAIL D'INTERET GENERAL", proposed_by="cpas")
    with pytest.raises(ServiceError) as error:
        services.clause_save(membership=worker_a, clause=clause, party="beneficiary", sanctionable=None)
    assert (error.value.code, error.value.field) == ("COMMUNITY_SERVICE_FORBIDDEN", "text")


def test_a_library_template_describing_community_service_is_refused(cpas_a, worker_a, login):
    data = {"title": "Recherche", "party": "beneficiary", "kind": "job_search", "language": "fr"}
    client = login(worker_a)
    response = client.post(reverse("contracts:library_add"), {**data, "text": "Prester un service communautaire."})
    assert response.context["form"].errors["text"] == [error_message("COMMUNITY_SERVICE_FORBIDDEN")]
    response = client.post(reverse("contracts:library_add"), {**data, "title": "TIG", "text": "Je cherche."})
    assert response.context["form"].errors["title"] == [error_message("COMMUNITY_SERVICE_FORBIDDEN")]
    assert not ClauseTemplate.objects.exists()


def test_older_text_describing_community_service_blocks_the_hand_over(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    assert drafting_problems(contract=contract, today=D(2026, 2, 10)) == []
    make_step(cpas_a, objective=contract.objectives.get(), description="Gemeinnütziger Dienst, 4 Stunden")
    make_clause(cpas_a, contract=contract, text="Service communal de la jeunesse")  # not community service
    with translation.override("en"):
        problems = drafting_problems(contract=contract, today=D(2026, 2, 10))
    assert problems == [
        "“Gemeinnütziger Dienst, 4 Stunden” describes community service, which can never be part of a PIIS: reword "
        "or remove it."
    ]


# --- R55, R56: only the person's own commitments ground a sanction ------------------------------------------------


@pytest.mark.parametrize("party", ["cpas", "third_party"])
def test_a_commitment_of_the_cpas_or_a_third_party_cannot_be_made_sanctionable_in_the_form(
    party, cpas_a, worker_a, login
):
    contract = make_contract(cpas_a)
    code = f"tp:{make_third_party(cpas_a, contract=contract).pk}" if party == "third_party" else "cpas"
    url = reverse("contracts:clause_add", args=[contract.pk])
    data = _clause_data(party_code=code, kind="training", proposed_by="cpas", may_sanction="yes")
    response = login(worker_a).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["may_sanction"] == [error_message("COMMITMENT_OF_ANOTHER_PARTY")]
    assert not Clause.objects.exists()


def test_the_service_refuses_a_sanctionable_third_party_commitment_and_defaults_it_to_not(cpas_a, worker_a):
    contract = make_contract(cpas_a)
    centre = make_third_party(cpas_a, contract=contract)
    clause = Clause(contract=contract, kind="training", text="Le centre accueille.", proposed_by="cpas")
    with pytest.raises(ServiceError) as error:
        services.clause_save(membership=worker_a, clause=clause, party=f"tp:{centre.pk}", sanctionable=True)
    assert (error.value.code, error.value.field, error.value.rule) == (
        "COMMITMENT_OF_ANOTHER_PARTY",
        "sanctionable",
        "R56",
    )
    # "training" is sanctionable by default for the person, never for a third party
    services.clause_save(membership=worker_a, clause=clause, party=f"tp:{centre.pk}", sanctionable=None)
    assert Clause.objects.get().sanctionable is False


def test_a_third_party_commitment_marked_sanctionable_before_is_set_back_when_saved(cpas_a, worker_a, login):
    contract = make_contract(cpas_a)
    centre = make_third_party(cpas_a, contract=contract)
    clause = make_clause(cpas_a, contract=contract, party="third_party", third_party=centre, sanctionable=True)
    client = login(worker_a)
    url = reverse("contracts:clause_edit", args=[clause.pk])
    form = client.get(url).context["form"]
    assert form["may_sanction"].value() == "no"
    data = _clause_data(party_code=f"tp:{centre.pk}", kind="training", text=clause.text, may_sanction="no")
    assert client.post(url, data).status_code == 302
    clause.refresh_from_db()
    assert clause.sanctionable is False


def test_a_third_party_commitment_is_never_frozen_nor_printed_as_grounding_a_sanction(cpas_a, worker_a):
    contract = drafted_contract(cpas_a, third_party=True)
    # rows written before the rule was enforced: every commitment marked sanctionable
    contract.clauses.update(sanctionable=True)
    version = contract_hand_over(
        membership=worker_a, contract=contract, handed_over_on=D(2026, 2, 10), today=D(2026, 2, 10)
    )
    frozen = {clause.party: clause.sanctionable for clause in version_snapshot(version).clauses}
    assert frozen == {"beneficiary": True, "cpas": False, "third_party": False}
    # a version frozen before the rule (the JSON says so) is printed right too
    for clause in version.snapshot["clauses"]:
        clause["sanctionable"] = True
    version.save()
    with translation.override("en"):
        context = pdf_context(version)
        html = render_to_string("contracts/pdf/_legal.html", context)
    printed = {c["party"]: c["sanctionable"] for section in context["sections"] for c in section["clauses"]}
    assert printed == {"beneficiary": True, "cpas": False, "third_party": False}
    assert html.count("may ground a sanction") == 1
    third = html.index("Le centre accueille la personne en formation.")
    assert "cannot ground a sanction" in html[third : third + 400]


def test_the_drafting_page_never_badges_a_third_party_commitment_as_sanctionable(cpas_a, worker_a, login):
    contract = make_contract(cpas_a)
    centre = make_third_party(cpas_a, contract=contract)
    make_clause(cpas_a, contract=contract, party="third_party", third_party=centre, sanctionable=True)
    page = login(worker_a).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "may ground a sanction" not in page
