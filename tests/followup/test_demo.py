"""The follow-up demo data: compliant, at-risk and non-compliant contracts, meeting requests, idempotent."""

import pytest

from piis.demo.followup import load_followup_demo
from piis.followup.models import Evaluation, MeetingRequest
from piis.followup.selectors import contract_compliance, current_year
from tests.followup.builders import D, make_in_force_contract

pytestmark = pytest.mark.django_db
TODAY = D(2026, 11, 23)


def test_demo_gives_each_profile_and_is_idempotent(cpas_a):
    contracts = [make_in_force_contract(cpas_a, signed_on=D(2025, 1, 10 + i)) for i in range(6)]
    first = load_followup_demo(cpas_a, today=TODAY)
    assert first["evaluations"] > 0 and first["meeting_requests"] > 0
    statuses = set()
    for contract in contracts:
        years = contract_compliance(contract=contract, evaluations=contract.evaluations.all(), today=TODAY)
        statuses.add(years[0].status)
        statuses.add(current_year(years).status)
    assert {"compliant", "at_risk", "non_compliant_count", "non_compliant_in_person"} <= statuses
    counts = (Evaluation.objects.count(), MeetingRequest.objects.count())
    assert load_followup_demo(cpas_a, today=TODAY) == {"evaluations": 0, "meeting_requests": 0}
    assert (Evaluation.objects.count(), MeetingRequest.objects.count()) == counts


def test_demo_is_reproducible(cpas_a, cpas_b):
    for cpas in (cpas_a,):
        make_in_force_contract(cpas, signed_on=D(2025, 6, 1))
    load_followup_demo(cpas_a, today=TODAY, seed=1)
    first = list(Evaluation.objects.values_list("held_on", "mode"))
    Evaluation.objects.all().delete()
    MeetingRequest.objects.all().delete()  # the demo runs once per CPAS: from the same state, the same output
    load_followup_demo(cpas_a, today=TODAY, seed=1)
    assert list(Evaluation.objects.values_list("held_on", "mode")) == first
