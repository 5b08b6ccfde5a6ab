"""The file page says its next step toward a PIIS first, as the primary button (issue 10: fewer clicks)."""

import pytest
import time_machine
from django.urls import reverse

from piis.accounts.enums import Role
from tests.factories import (
    make_assessment,
    make_beneficiary,
    make_contract,
    make_member,
    make_ri_decision,
)

pytestmark = pytest.mark.django_db


def _next_step(client, beneficiary):
    response = client.get(reverse("cases:detail", args=[beneficiary.pk]))
    step = response.context["next_step"]
    if step:
        assert f'<a class="button primary" href="{step.url}">' in response.content.decode()
    return step


@time_machine.travel("2026-02-01 10:00")
def test_next_step_goes_from_the_ri_decision_to_the_assessment_to_the_piis(cpas_a, worker_a, login):
    client = login(worker_a)
    beneficiary = make_beneficiary(cpas_a)
    assert _next_step(client, beneficiary).url == reverse("cases:record_create", args=[beneficiary.pk, "ri"])
    decision = make_ri_decision(cpas_a, beneficiary=beneficiary)
    assert _next_step(client, beneficiary).url == reverse("cases:assessment_create", args=[beneficiary.pk])
    page = client.get(reverse("cases:detail", args=[beneficiary.pk])).content.decode()
    assert "A PIIS is required." in page.split('id="next-step"')[1].split("</section>")[0]
    assessment = make_assessment(cpas_a, beneficiary=beneficiary)
    assert _next_step(client, beneficiary).url == reverse("contracts:create", args=[beneficiary.pk])
    contract = make_contract(cpas_a, ri_decision=decision, assessment=assessment)
    assert _next_step(client, beneficiary).url == reverse("contracts:detail", args=[contract.pk])
    contract.status = "in_force"
    contract.save()
    assert _next_step(client, beneficiary) is None


@time_machine.travel("2026-02-01 10:00")
def test_no_next_step_toward_a_piis_that_is_not_required(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    make_ri_decision(cpas_a, beneficiary=beneficiary, employed_with_top_up=True)
    assert _next_step(login(worker_a), beneficiary) is None


@time_machine.travel("2026-02-01 10:00")
def test_no_next_step_for_a_role_that_cannot_edit_the_file(cpas_a, login):
    director = make_member(cpas_a, Role.DIRECTOR)  # reads files (by breaking the glass), does not edit them
    beneficiary = make_beneficiary(cpas_a)
    client = login(director)
    client.post(reverse("cases:break_glass", args=[beneficiary.pk]), {"reason": "A complaint about this file."})
    response = client.get(reverse("cases:detail", args=[beneficiary.pk]))
    assert response.status_code == 200
    assert not response.context["next_step"] and 'id="next-step"' not in response.content.decode()
