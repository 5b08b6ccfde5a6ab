"""A commitment's due date (content: frozen in each version, printed, compared) and its delivery status (follow-up:
dated when it changes, never frozen), set in the clause form while drafting."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.contracts.diff import version_diff
from piis.contracts.models import Clause
from piis.contracts.pdf import pdf_context
from piis.contracts.services.lifecycle import contract_hand_over
from piis.contracts.snapshot import ContractSnapshot, version_snapshot
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_clause, make_contract

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 2, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _clause_data(**overrides):
    data = {
        "party_code": "cpas",
        "objective": "",
        "kind": "cost_coverage",
        "text": "Le CPAS paie les frais d'inscription.",
        "proposed_by": "cpas",
        "position": "agreed",
        "discussion": "",
        "may_sanction": "default",
        "due_on": "2026-04-30",
    }
    data.update(overrides)
    return data


def test_the_clause_form_saves_a_due_date_and_a_dated_delivery_status_audited(cpas_a, worker_a, login):
    contract = make_contract(cpas_a, social_worker=worker_a.user, start_on=D(2026, 3, 1))
    client = login(worker_a)
    response = client.post(reverse("contracts:clause_add", args=[contract.pk]), _clause_data())
    assert response.status_code == 302
    clause = Clause.objects.get()
    assert (clause.due_on, clause.delivery_status, clause.delivery_status_on) == (D(2026, 4, 30), "planned", None)
    added = AuditEvent.objects.get(verb=AuditVerb.CLAUSE_ADDED)
    assert added.changes["due_on"][1] == "2026-04-30"

    edit = reverse("contracts:clause_edit", args=[clause.pk])
    response = client.post(edit, _clause_data(due_on="2026-05-15", delivery_status="in_progress"))
    assert response.status_code == 302
    clause.refresh_from_db()
    assert (clause.due_on, clause.delivery_status, clause.delivery_status_on) == (
        D(2026, 5, 15),
        "in_progress",
        TODAY,
    )
    changed = AuditEvent.objects.filter(verb=AuditVerb.CLAUSE_CHANGED).latest("pk")
    assert set(changed.changes) >= {"due_on", "delivery_status", "delivery_status_on"}
    assert changed.changes["delivery_status"] == ["planned", "in_progress"]

    # An edit that leaves the status as it was keeps the date it changed on; a form without the field keeps it.
    Clause.objects.filter(pk=clause.pk).update(delivery_status_on=D(2026, 2, 2))
    response = client.post(edit, _clause_data(text="Le CPAS paie les frais.", delivery_status="in_progress"))
    assert response.status_code == 302
    assert client.post(edit, _clause_data(text="Le CPAS paie tous les frais.")).status_code == 302
    clause.refresh_from_db()
    assert (clause.text, clause.delivery_status, clause.delivery_status_on) == (
        "Le CPAS paie tous les frais.",
        "in_progress",
        D(2026, 2, 2),
    )


def test_a_due_date_before_the_planned_start_is_refused_on_its_field(cpas_a, worker_a, login):
    contract = make_contract(cpas_a, social_worker=worker_a.user, start_on=D(2026, 3, 1))
    response = login(worker_a).post(
        reverse("contracts:clause_add", args=[contract.pk]), _clause_data(due_on="2026-02-27")
    )
    assert response.status_code == 200
    assert "01/03/2026" in " ".join(response.context["form"].errors["due_on"])
    assert not Clause.objects.exists()


def test_a_delivery_status_without_its_date_cannot_be_stored(cpas_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_clause(cpas_a, delivery_status="done")


def test_the_contract_page_shows_due_date_and_delivery(cpas_a, worker_a, login):
    contract = make_contract(cpas_a, social_worker=worker_a.user)
    clause = make_clause(
        cpas_a,
        contract=contract,
        due_on=D(2026, 4, 30),
        delivery_status="in_progress",
        delivery_status_on=D(2026, 2, 1),
    )
    html = login(worker_a).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert f'id="clause-{clause.pk}"' in html
    assert "30/04/2026" in html and "In progress" in html and "since 01/02/2026" in html
    # A draft's delivery is set in the clause form: no follow-up form beside it.
    assert reverse("followup:commitment_delivery", args=[clause.pk]) not in html


def test_the_version_freezes_the_due_date_not_the_delivery_and_prints_it(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    fees = contract.clauses.get(party="cpas")
    fees.due_on = D(2026, 4, 30)
    fees.save()
    version = contract_hand_over(membership=worker_a, contract=contract, handed_over_on=D(2026, 2, 10), today=TODAY)
    frozen = version_snapshot(version)
    entry = next(c for c in frozen.clauses if c.id == fees.pk)
    assert entry.due_on == D(2026, 4, 30)
    assert "due_on" in version.snapshot["clauses"][1] and "delivery_status" not in version.snapshot["clauses"][1]
    printed = next(c for s in pdf_context(version)["sections"] for c in s["clauses"] if c["id"] == fees.pk)
    assert printed["due_on"] == D(2026, 4, 30)
    # A snapshot saved before due dates existed reads with none.
    older = ContractSnapshot.from_json(
        {"schema": 2, "clauses": [{"id": 1, "party": "cpas", "kind": "x", "text": "t"}]}
    )
    assert older.clauses[0].due_on is None
    # An amendment that moves a due date changes that commitment.
    moved = ContractSnapshot.from_json({**version.snapshot, "clauses": [
        {**c, "due_on": "2026-06-30"} if c["id"] == fees.pk else c for c in version.snapshot["clauses"]
    ]})  # fmt: skip
    diff = version_diff(frozen, moved)
    row = next(r for p in diff.parties for r in p.rows if (r.after or r.before).id == fees.pk)
    assert row.status == "changed" and row.fields == ("due_on",)
