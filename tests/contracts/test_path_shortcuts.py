"""Fewer clicks from a new draft to a PIIS in force, nothing less recorded (issue 10): every right in one tick (each
still stored), the information with the hand-over, "Signed today" per party, the drafting forms' "Save and
continue" and "Save and add another", and the defaults a new objective or commitment starts from."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from piis.audit.models import AuditEvent
from piis.contracts.enums import ContractStatus, Party
from piis.contracts.models import Clause, Step
from piis.contracts.rights import RIGHT_CODES
from piis.contracts.selectors_drafting import drafting_next_action
from piis.contracts.services.lifecycle import contract_hand_over, contract_hand_over_and_inform
from piis.core.errors import ServiceError
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_assessment_item, make_contract, make_objective, make_signatory, make_third_party

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(cpas_a):
    return [
        make_signatory(cpas_a, function="president", holder_name="Paula President"),
        make_signatory(cpas_a, function="general_director", holder_name="Gaston Director"),
    ]


HANDED_OVER_ON = D(2026, 3, 2)


def _handed_over(cpas, worker, on=HANDED_OVER_ON):
    contract = drafted_contract(cpas)
    version = contract_hand_over(membership=worker, contract=contract, handed_over_on=on, today=on)
    return contract, version


# --- information and rights -----------------------------------------------------------------------------------


@time_machine.travel("2026-03-03 10:00")
def test_every_right_in_one_tick_still_stores_each_right(cpas_a, worker_a, login):
    contract, version = _handed_over(cpas_a, worker_a)
    url = reverse("contracts:information", args=[contract.pk, version.pk])
    data = {"given_on": "2026-03-02", "all_rights": "on", "assistance": "declined"}
    assert login(worker_a).post(url, data).status_code == 302
    version.refresh_from_db()
    assert version.rights_given == list(RIGHT_CODES) and len(RIGHT_CODES) == 9
    assert version.information_given_on == D(2026, 3, 2) and version.information_given_by == worker_a.user


@time_machine.travel("2026-03-03 10:00")
def test_information_without_any_right_ticked_is_refused_with_the_reason(cpas_a, worker_a, login):
    contract, version = _handed_over(cpas_a, worker_a)
    url = reverse("contracts:information", args=[contract.pk, version.pk])
    data = {"given_on": "2026-03-02", "rights": list(RIGHT_CODES)[:8], "assistance": "declined"}
    response = login(worker_a).post(url, data)
    assert response.status_code == 200 and "Every right must be explained" in str(response.context["form"].errors)
    version.refresh_from_db()
    assert version.information_given_on is None and version.rights_given == []


# --- the hand-over with the information -----------------------------------------------------------------------


@time_machine.travel("2026-03-02 10:00")
def test_hand_over_records_the_information_given_at_the_same_meeting(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a)
    data = {"handed_over_on": "2026-03-02", "all_rights": "on", "assistance": "assisted", "assisted_by": "Sam"}
    response = login(worker_a).post(reverse("contracts:hand_over", args=[contract.pk]), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    version = contract.versions.get()
    assert contract.status == ContractStatus.HANDED_OVER and version.handed_over_on == D(2026, 3, 2)
    assert version.information_given_on == D(2026, 3, 2) and version.rights_given == list(RIGHT_CODES)
    assert (version.assistance, version.assisted_by) == ("assisted", "Sam")
    verbs = set(AuditEvent.objects.filter(target_id=str(version.pk)).values_list("verb", flat=True))
    assert {"contract_handed_over", "information_recorded"} <= verbs


@time_machine.travel("2026-03-02 10:00")
def test_hand_over_alone_leaves_the_information_to_record(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a)
    url = reverse("contracts:hand_over", args=[contract.pk])
    assert login(worker_a).post(url, {"handed_over_on": "2026-03-02"}).status_code == 302
    version = contract.versions.get()
    assert version.information_given_on is None and version.rights_given == []


@time_machine.travel("2026-03-02 10:00")
@pytest.mark.parametrize(
    ("information", "field"),
    [
        ({"assistance": "declined"}, "all_rights"),  # the rights not ticked
        ({"all_rights": "on"}, "assistance"),  # assistance not answered
        ({"all_rights": "on", "assistance": "assisted"}, "assisted_by"),  # assisted by nobody
    ],
)
def test_hand_over_with_incomplete_information_hands_nothing_over(cpas_a, worker_a, login, information, field):
    contract = drafted_contract(cpas_a)
    data = {"handed_over_on": "2026-03-02", **information}
    response = login(worker_a).post(reverse("contracts:hand_over", args=[contract.pk]), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT and not contract.versions.exists()


def test_hand_over_and_inform_is_one_transaction(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    with pytest.raises(ServiceError) as error:
        contract_hand_over_and_inform(
            membership=worker_a, contract=contract, handed_over_on=D(2026, 3, 2), rights=list(RIGHT_CODES),
            assistance="assisted", assisted_by=" ", today=D(2026, 3, 2),
        )  # fmt: skip
    assert error.value.code == "ASSISTANT_NAME_REQUIRED"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT and not contract.versions.exists()


# --- signatures -----------------------------------------------------------------------------------------------


def _informed(cpas, worker, client):
    contract, version = _handed_over(cpas, worker)
    url = reverse("contracts:information", args=[contract.pk, version.pk])
    client.post(url, {"given_on": "2026-03-02", "all_rights": "on", "assistance": "declined"})
    return contract, version


def test_signed_today_records_each_party_in_one_click_after_the_reflection_period(cpas_a, worker_a, login, matrix):
    client = login(worker_a)
    with time_machine.travel("2026-03-03 10:00"):
        contract, version = _informed(cpas_a, worker_a, client)
        page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
        assert "quick-sign" not in page  # the reflection period is running
    with time_machine.travel("2026-03-09 10:00"):
        client = login(worker_a)  # the session of six days ago has expired
        page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
        assert page.count('class="inline quick-sign"') == 3
        sign_url = reverse("contracts:sign", args=[contract.pk, version.pk])
        for signer in [Party.BENEFICIARY, *(f"signatory:{line.pk}" for line in matrix)]:
            data = {"signer": signer, "signed_on": "2026-03-09", "method": "paper"}
            assert client.post(sign_url, data).status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE and version.signatures.count() == 3


@time_machine.travel("2026-03-09 10:00")
def test_no_signed_today_before_the_information_is_recorded(cpas_a, worker_a, login, matrix):
    contract, _version = _handed_over(cpas_a, worker_a)
    page = login(worker_a).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "quick-sign" not in page and "Still to sign" in page


@time_machine.travel("2026-03-09 10:00")
def test_sign_page_preselects_the_next_party_still_to_sign(cpas_a, worker_a, login, matrix):
    client = login(worker_a)
    contract, version = _informed(cpas_a, worker_a, client)
    url = reverse("contracts:sign", args=[contract.pk, version.pk])
    assert client.get(url).context["form"]["signer"].value() == Party.BENEFICIARY
    client.post(url, {"signer": Party.BENEFICIARY, "signed_on": "2026-03-09", "method": "paper"})
    assert client.get(url).context["form"]["signer"].value() == f"signatory:{matrix[0].pk}"
    chosen = f"signatory:{matrix[1].pk}"
    assert client.get(f"{url}?signer={chosen}").context["form"]["signer"].value() == chosen


# --- drafting -------------------------------------------------------------------------------------------------


def _clause_data(**overrides):
    data = {"party_code": "beneficiary", "objective": "", "kind": "job_search", "text": "Je cherche un emploi.",
            "proposed_by": "cpas", "position": "agreed", "discussion": "", "may_sanction": "default"}  # fmt: skip
    return {**data, **overrides}


def test_new_objective_starts_with_the_assessments_only_item(cpas_a, worker_a, login):
    contract = make_contract(cpas_a)
    item = make_assessment_item(cpas_a, assessment=contract.assessment)
    client = login(worker_a)
    url = reverse("contracts:objective_add", args=[contract.pk])
    assert [i.pk for i in client.get(url).context["form"]["assessment_items"].initial] == [item.pk]
    make_assessment_item(cpas_a, assessment=contract.assessment, text="Another aspiration")
    assert not client.get(url).context["form"]["assessment_items"].initial  # two: the worker chooses


def test_objective_save_and_add_a_step_or_another_objective(cpas_a, worker_a, login):
    contract = make_contract(cpas_a)
    item = make_assessment_item(cpas_a, assessment=contract.assessment)
    client = login(worker_a)
    url = reverse("contracts:objective_add", args=[contract.pk])
    data = {"title": "Trouver un emploi", "observable_result": "Contrat signé", "due_on": "2026-09-30",
            "assessment_items": [item.pk]}  # fmt: skip
    response = client.post(url, {**data, "then": "continue"})
    objective = contract.objectives.get()
    assert response.url == reverse("contracts:step_add", args=[objective.pk])
    assert client.post(url, {**data, "then": "another"}).url == url
    assert client.post(url, data).url == reverse("contracts:detail", args=[contract.pk]) + "#objective-" + str(
        contract.objectives.order_by("-id").first().pk
    )


def test_step_save_and_continue_goes_to_what_the_draft_needs_next(cpas_a, worker_a, login):
    objective = make_objective(cpas_a)
    contract = objective.contract
    client = login(worker_a)
    url = reverse("contracts:step_add", args=[objective.pk])
    response = client.post(url, {"description": "Visite", "owner_party": "beneficiary", "then": "continue"})
    clause_add = reverse("contracts:clause_add", args=[contract.pk])
    assert response.url == f"{clause_add}?party=cpas&objective={objective.pk}"
    assert "Next: Add the CPAS" in " ".join(str(m) for m in client.get(response.url).context["messages"])
    response = client.post(url, {"description": "Autre visite", "owner_party": "cpas", "then": "another"})
    assert response.url == url and Step.objects.filter(objective=objective).count() == 2


def test_new_commitment_starts_with_the_party_asked_the_only_objective_and_the_cpas(cpas_a, worker_a, login):
    objective = make_objective(cpas_a)
    url = reverse("contracts:clause_add", args=[objective.contract_id])
    form = login(worker_a).get(f"{url}?party=cpas").context["form"]
    assert form["party_code"].value() == "cpas" and form["proposed_by"].value() == Party.CPAS
    assert form["objective"].value() == objective.pk
    assert not form["kind"].value() and form.fields["kind"].widget.choices[0][0] == "cpas_support"


def test_commitment_save_and_add_another_keeps_the_party_and_objective(cpas_a, worker_a, login):
    objective = make_objective(cpas_a)
    contract = objective.contract
    client = login(worker_a)
    url = reverse("contracts:clause_add", args=[contract.pk])
    data = _clause_data(party_code="cpas", kind="cpas_support", objective=objective.pk, then="another")
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == f"{url}?party=cpas&objective={objective.pk}"
    assert Clause.objects.get().proposed_by == Party.CPAS


def test_commitment_save_and_continue_reaches_the_hand_over_when_nothing_is_missing(cpas_a, worker_a, login):
    objective = make_objective(cpas_a)
    contract = objective.contract
    client = login(worker_a)
    url = reverse("contracts:clause_add", args=[contract.pk])
    response = client.post(url, _clause_data(party_code="cpas", kind="cpas_support", objective=objective.pk,
                                             then="continue"))  # fmt: skip
    assert response.url == f"{url}?party=beneficiary"  # the person has no commitment yet
    response = client.post(url, _clause_data(then="continue"))
    assert response.url == reverse("contracts:detail", args=[contract.pk]) + "#lifecycle-title"


def test_next_action_follows_the_checklist(cpas_a):
    contract = make_contract(cpas_a)
    clause_add = reverse("contracts:clause_add", args=[contract.pk])
    assert drafting_next_action(contract=contract).url == reverse("contracts:objective_add", args=[contract.pk])
    objective = make_objective(cpas_a, contract=contract, title="Emploi")
    action = drafting_next_action(contract=contract)
    assert action.url == f"{clause_add}?party=cpas&objective={objective.pk}" and "Emploi" in action.label
    Clause.objects.create(cpas=cpas_a, contract=contract, objective=objective, party="cpas", kind="cpas_support",
                          text="Suivi", proposed_by="cpas")  # fmt: skip
    assert drafting_next_action(contract=contract).url == f"{clause_add}?party=beneficiary"
    Clause.objects.create(cpas=cpas_a, contract=contract, party="beneficiary", kind="job_search", text="Postuler",
                          proposed_by="cpas")  # fmt: skip
    third = make_third_party(cpas_a, contract=contract)
    assert drafting_next_action(contract=contract).url == f"{clause_add}?party=tp:{third.pk}"
    Clause.objects.create(cpas=cpas_a, contract=contract, party="third_party", third_party=third, kind="training",
                          text="Former", proposed_by="cpas")  # fmt: skip
    assert drafting_next_action(contract=contract) is None


def test_contract_page_offers_the_next_action_before_the_hand_over(cpas_a, worker_a, login):
    objective = make_objective(cpas_a)
    page = login(worker_a).get(reverse("contracts:detail", args=[objective.contract_id])).content.decode()
    clause_add = reverse("contracts:clause_add", args=[objective.contract_id])
    assert f'class="button primary" href="{clause_add}?party=cpas&amp;objective={objective.pk}"' in page
