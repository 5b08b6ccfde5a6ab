"""Explained, not only written (hand-overs, evaluations) and the outcome of an ended PIIS."""

import datetime

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.documents.models import ContractOutcome, Explanation
from piis.documents.selectors import outcome_counts
from tests.documents.builders import make_outcome
from tests.factories import make_assistant, make_beneficiary, make_contract, make_member, make_version
from tests.followup.builders import make_evaluation

pytestmark = pytest.mark.django_db
D = datetime.date


def _contract(cpas, **kwargs):
    member = make_member(cpas, Role.SOCIAL_WORKER)
    beneficiary = make_beneficiary(cpas, social_worker=member.user)
    return member, make_contract(cpas, beneficiary=beneficiary, social_worker=member.user, **kwargs)


def test_handover_explained_with_the_persons_assistant(cpas_a, login):
    member, contract = _contract(cpas_a, status="handed_over")
    version = make_version(cpas_a, contract=contract)
    assistant = make_assistant(cpas_a, beneficiary=contract.beneficiary, name="Fatima B.")
    client = login(member)
    url = reverse("documents:handover_explained", args=[contract.pk, version.pk])
    response = client.post(url, {"orally": "on", "language": "darija", "interpreter": "", "assistant": assistant.pk})
    assert response.status_code == 302
    explained = Explanation.objects.for_cpas(cpas_a).get()
    assert (explained.version, explained.orally, explained.assistant) == (version, True, assistant)
    assert AuditEvent.objects.for_cpas(cpas_a).filter(verb="handover_explained").exists()
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Fatima B." in page and "darija" in page


def test_assistant_of_another_file_refused(cpas_a, login):
    member, contract = _contract(cpas_a, status="handed_over")
    version = make_version(cpas_a, contract=contract)
    stranger = make_assistant(cpas_a, beneficiary=make_beneficiary(cpas_a))
    client = login(member)
    url = reverse("documents:handover_explained", args=[contract.pk, version.pk])
    response = client.post(url, {"orally": "on", "language": "fr", "assistant": stranger.pk})
    assert response.status_code == 200 and not Explanation.objects.for_cpas(cpas_a).exists()


def test_evaluation_explained_with_an_interpreter(cpas_a, login):
    member, contract = _contract(cpas_a, status="in_force", signed_on=D(2026, 1, 15))
    evaluation = make_evaluation(cpas_a, contract=contract)
    client = login(member)
    url = reverse("documents:evaluation_explained", args=[contract.pk, evaluation.pk])
    assert (
        client.post(url, {"orally": "on", "language": "tigrinya", "interpreter": "SeTIS Wallonie"}).status_code == 302
    )
    assert Explanation.objects.for_cpas(cpas_a).get().evaluation == evaluation
    assert "SeTIS Wallonie" in client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()


def test_outcome_only_for_an_ended_contract(cpas_a, login):
    member, contract = _contract(cpas_a, status="in_force", signed_on=D(2026, 1, 15))
    client = login(member)
    assert client.get(reverse("documents:outcome", args=[contract.pk])).status_code == 404
    contract.status, contract.ended_on = "ended", D(2026, 6, 1)
    contract.save()
    response = client.post(reverse("documents:outcome", args=[contract.pk]),
                           {"outcome": "training_completed", "destination": "Bruxelles Formation"})  # fmt: skip
    assert response.status_code == 302
    assert ContractOutcome.objects.for_cpas(cpas_a).get().outcome == "training_completed"
    assert AuditEvent.objects.for_cpas(cpas_a).filter(verb="contract_outcome_recorded").exists()


def test_outcome_counts_for_the_annual_report(cpas_a, cpas_b):
    for outcome in ("employment", "employment", "moved"):
        make_outcome(cpas_a, outcome=outcome)
    make_contract(cpas_a, status="ended", signed_on=D(2025, 1, 10), ended_on=D(2026, 2, 1))  # no outcome recorded
    make_contract(cpas_a, status="ended", signed_on=D(2024, 1, 10), ended_on=D(2025, 2, 1))  # another year
    make_outcome(cpas_b, outcome="stopped")
    counts = outcome_counts(cpas_a, D(2026, 1, 1), D(2026, 12, 31))
    assert counts == {"employment": 2, "training_completed": 0, "moved": 1, "exemption": 0, "stopped": 0,
                      "other": 0, "unrecorded": 1}  # fmt: skip


def test_exemption_reviews_are_on_the_workers_agenda(cpas_a):
    """Exempted people stay followed: the review date of a running exemption is on the worker's agenda."""
    from piis.followup.selectors import agenda_for_user
    from tests.factories import make_exemption

    member = make_member(cpas_a, Role.SOCIAL_WORKER)
    beneficiary = make_beneficiary(cpas_a, social_worker=member.user)
    exemption = make_exemption(cpas_a, beneficiary=beneficiary)
    items = agenda_for_user(cpas=cpas_a, user=member.user, today=exemption.start_on)
    assert any(item.kind == "exemption_review" and item.object_id == exemption.pk for item in items)


# --- inside the forms where the worker records them (piis/www/recorded_with.py) ---------------------------------


def test_the_hand_over_form_records_how_it_was_explained_in_the_same_save(cpas_a, worker_a, login):
    import time_machine

    from tests.contracts.isolation_lifecycle import drafted_contract

    with time_machine.travel("2026-03-02 10:00"):
        contract = drafted_contract(cpas_a)
        assistant = make_assistant(cpas_a, beneficiary=contract.beneficiary, name="Fatima B.")
        client = login(worker_a)
        url = reverse("contracts:hand_over", args=[contract.pk])
        assert 'name="explained-language"' in client.get(url).content.decode()
        data = {"handed_over_on": "2026-03-02", "explained-orally": "on", "explained-language": "darija",
                "explained-assistant": assistant.pk}  # fmt: skip
        assert client.post(url, data).status_code == 302
    version = contract.versions.get()
    explained = Explanation.objects.for_cpas(cpas_a).get()
    assert (explained.version, explained.orally, explained.language, explained.assistant) == (
        version, True, "darija", assistant)  # fmt: skip
    assert AuditEvent.objects.for_cpas(cpas_a).filter(verb="handover_explained").exists()


def test_a_refused_explanation_hands_nothing_over(cpas_a, worker_a, login):
    import time_machine

    from tests.contracts.isolation_lifecycle import drafted_contract

    with time_machine.travel("2026-03-02 10:00"):
        contract = drafted_contract(cpas_a)
        stranger = make_assistant(cpas_a, beneficiary=make_beneficiary(cpas_a))
        data = {"handed_over_on": "2026-03-02", "explained-orally": "on", "explained-assistant": stranger.pk}
        response = login(worker_a).post(reverse("contracts:hand_over", args=[contract.pk]), data)
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.status == "draft" and not contract.versions.exists()
    assert not Explanation.objects.for_cpas(cpas_a).exists()


def test_the_hand_over_form_left_empty_records_no_explanation(cpas_a, worker_a, login):
    import time_machine

    from tests.contracts.isolation_lifecycle import drafted_contract

    with time_machine.travel("2026-03-02 10:00"):
        contract = drafted_contract(cpas_a)
        response = login(worker_a).post(reverse("contracts:hand_over", args=[contract.pk]),
                                        {"handed_over_on": "2026-03-02"})  # fmt: skip
    assert response.status_code == 302 and contract.versions.exists()
    assert not Explanation.objects.for_cpas(cpas_a).exists()


def test_the_evaluation_form_records_and_then_corrects_how_it_was_explained(cpas_a, login):
    from piis.followup.models import Evaluation
    from tests.followup.builders import at, make_in_force_contract

    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    member = contract.social_worker.memberships.get(cpas=cpas_a)
    with at(D(2026, 12, 1)):
        client = login(member)
        data = {"held_on": "2026-11-30", "mode": "office", "beneficiary_present": "on", "difficulties": "Rien",
                "explained-orally": "on", "explained-language": "tigrinya",
                "explained-interpreter": "SeTIS"}  # fmt: skip
        response = client.post(reverse("followup:evaluation_add", args=[contract.pk]), data)
        assert response.status_code == 302, response.context["form"].errors
        evaluation = Evaluation.objects.get(contract=contract)
        explained = Explanation.objects.for_cpas(cpas_a).get()
        assert (explained.evaluation, explained.interpreter) == (evaluation, "SeTIS")
        edit = reverse("followup:evaluation_edit", args=[evaluation.pk])
        page = client.get(edit).content.decode()
        assert 'value="SeTIS"' in page
        data = {**data, "explained-interpreter": "Interprète du CPAS"}
        response = client.post(edit, data)
        assert response.status_code == 302, response.context["form"].errors
    explained.refresh_from_db()
    assert explained.interpreter == "Interprète du CPAS" and Explanation.objects.for_cpas(cpas_a).count() == 1


def test_the_end_form_records_the_outcome_in_the_same_save(cpas_a, login):
    member, contract = _contract(cpas_a, status="in_force", signed_on=D(2026, 1, 15))
    client = login(member)
    url = reverse("contracts:end", args=[contract.pk])
    assert 'name="outcome-outcome"' in client.get(url).content.decode()
    data = {"ended_on": "01/06/2026", "reason": "completed", "outcome-outcome": "employment",
            "outcome-destination": "Colruyt Namur"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    contract.refresh_from_db()
    outcome = ContractOutcome.objects.for_cpas(cpas_a).get()
    assert contract.status == "ended" and (outcome.outcome, outcome.destination) == ("employment", "Colruyt Namur")
    assert AuditEvent.objects.for_cpas(cpas_a).filter(verb="contract_outcome_recorded").exists()


def test_the_end_form_without_an_outcome_ends_the_contract_only(cpas_a, login):
    member, contract = _contract(cpas_a, status="in_force", signed_on=D(2026, 1, 15))
    response = login(member).post(reverse("contracts:end", args=[contract.pk]),
                                  {"ended_on": "01/06/2026", "reason": "completed"})  # fmt: skip
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "ended" and not ContractOutcome.objects.for_cpas(cpas_a).exists()


def test_a_destination_without_an_outcome_ends_nothing(cpas_a, login):
    member, contract = _contract(cpas_a, status="in_force", signed_on=D(2026, 1, 15))
    response = login(member).post(reverse("contracts:end", args=[contract.pk]),
                                  {"ended_on": "01/06/2026", "reason": "completed",
                                   "outcome-destination": "Colruyt Namur"})  # fmt: skip
    assert response.status_code == 200 and response.context["sections"][0].form.errors
    contract.refresh_from_db()
    assert contract.status == "in_force" and not ContractOutcome.objects.for_cpas(cpas_a).exists()
