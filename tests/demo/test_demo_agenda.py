"""The demo's dates reach the agenda: the exemption review the walkthrough found missing (due 18/11/2026 when the
demo is loaded on 27/11/2026), and the new commitment fields, filled the way a worker would."""

import pytest
from django.urls import reverse

from piis.accounts.models import User
from piis.cases.models import Exemption
from piis.contracts.models import Clause
from piis.demo.data import load_demo_data
from piis.followup.selectors import Kind, agenda_for_user
from tests.followup.builders import D, at

pytestmark = pytest.mark.django_db
TODAY = D(2026, 11, 27)


def test_the_demo_dates_are_on_the_agenda():
    """One load of the demo (it takes a while), three checks."""
    with at(TODAY):
        load_demo_data(today=TODAY)
    _the_exemption_review_of_18_11_is_on_its_workers_agenda()
    _every_running_exemption_is_on_an_agenda()
    _commitments_have_due_dates_and_delivery_statuses()


def _the_exemption_review_of_18_11_is_on_its_workers_agenda():
    exemption = Exemption.objects.select_related("beneficiary__cpas").get(
        review_on=D(2026, 11, 18), beneficiary__social_worker__username="wal_social_worker"
    )
    worker = User.objects.get(username="wal_social_worker")
    items = agenda_for_user(cpas=exemption.beneficiary.cpas, user=worker, today=TODAY)
    reviews = [i for i in items if i.kind == Kind.EXEMPTION_REVIEW and i.object_id == exemption.pk]
    assert [(i.due_on, i.overdue) for i in reviews] == [(D(2026, 11, 18), True)]
    assert reviews[0].url == reverse("cases:record_edit", args=[exemption.beneficiary_id, "exemption", exemption.pk])


def _every_running_exemption_is_on_an_agenda():
    running = [
        e
        for e in Exemption.objects.select_related("beneficiary__cpas", "beneficiary__social_worker")
        if e.lifted_on is None and (e.end_on is None or (e.end_on >= TODAY and e.review_on <= e.end_on))
    ]
    assert len(running) >= 4
    for exemption in running:
        beneficiary = exemption.beneficiary
        items = agenda_for_user(cpas=beneficiary.cpas, user=beneficiary.social_worker, today=TODAY)
        assert (Kind.EXEMPTION_REVIEW, exemption.review_on) in {(i.kind, i.due_on) for i in items}


def _commitments_have_due_dates_and_delivery_statuses():
    in_force = Clause.objects.filter(contract__status="in_force")
    statuses = set(in_force.values_list("delivery_status", flat=True))
    assert {"planned", "in_progress", "done"} <= statuses
    assert Clause.objects.filter(due_on__isnull=False).exists()
    # Only a PIIS that ran (in force, or ended: the observatory's files) has commitments delivered or under way.
    ran = ("in_force", "ended")
    assert not Clause.objects.exclude(contract__status__in=ran).exclude(delivery_status="planned").exists()
    assert not Clause.objects.exclude(delivery_status="planned").filter(delivery_status_on__isnull=True).exists()
    # Some fees are left unpaid past their due date: the agenda shows them, overdue, with a link to the commitment.
    worker = User.objects.get(username="wal_social_worker")
    cpas = worker.memberships.get().cpas
    items = agenda_for_user(cpas=cpas, user=worker, today=TODAY)
    assert {Kind.COMMITMENT_DUE, Kind.CONTRACT_END, Kind.OBJECTIVE_DUE, Kind.STEP_DUE} <= {i.kind for i in items}
    assert any(i.kind == Kind.COMMITMENT_DUE and i.overdue and "#clause-" in i.url for i in items)
