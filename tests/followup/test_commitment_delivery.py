"""The delivery status of a commitment while its PIIS is in force: recorded beside it on the contract page, or by an
evaluation's review of it; dated, audited, never an amendment."""

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.accounts.models import Membership
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.followup.models import Evaluation
from piis.followup.services import DeliveryEntry, commitment_delivery_record, evaluation_save
from tests.factories import make_clause, make_contract, make_member
from tests.followup.builders import D, at, make_in_force_contract

pytestmark = pytest.mark.django_db
TODAY = D(2026, 4, 8)


@pytest.fixture
def in_force(cpas_a, worker_a):
    contract = make_in_force_contract(cpas_a, social_worker=worker_a.user, signed_on=D(2026, 1, 15))
    fees = make_clause(
        cpas_a, contract=contract, party="cpas", proposed_by="cpas", kind="cost_coverage", due_on=D(2026, 3, 31)
    )
    training = make_clause(cpas_a, contract=contract, text="Suivre la formation.", due_on=D(2026, 6, 30))
    return contract, fees, training


def _post(client, clause, **data):
    url = reverse("followup:commitment_delivery", args=[clause.pk])
    return client.post(url, {f"delivery-{clause.pk}-{key}": value for key, value in data.items()})


def test_the_worker_records_a_delivery_beside_the_commitment_audited(cpas_a, worker_a, login, in_force):
    contract, fees, training = in_force
    client = login(worker_a)
    with at(TODAY):
        page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
        assert reverse("followup:commitment_delivery", args=[fees.pk]) in page  # in force: the form is there
        response = _post(client, fees, status="done", on="2026-04-02")
        _post(client, training, status="not_done", on="2026-04-08")  # the person's own commitment too
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:detail", args=[contract.pk]) + f"#clause-{fees.pk}"
    fees.refresh_from_db()
    training.refresh_from_db()
    assert (fees.delivery_status, fees.delivery_status_on) == ("done", D(2026, 4, 2))
    assert (training.delivery_status, training.delivery_status_on) == ("not_done", TODAY)
    event = AuditEvent.objects.filter(verb=AuditVerb.CLAUSE_CHANGED, target_id=fees.pk).get()
    assert event.changes["delivery_status"] == ["planned", "done"]
    assert event.changes["delivery_status_on"][1] == "2026-04-02"
    assert event.beneficiary_id == contract.beneficiary_id
    assert not contract.versions.exists()  # follow-up, not an amendment


@pytest.mark.parametrize(
    ("on", "message"),
    [("2026-04-09", "once it has happened"), ("2026-01-14", "15/01/2026")],
)
def test_a_delivery_dated_in_the_future_or_before_the_conclusion_is_refused(
    cpas_a, worker_a, login, in_force, on, message
):
    _contract, fees, _training = in_force
    with at(TODAY):
        response = _post(login(worker_a), fees, status="done", on=on)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["on"])
    fees.refresh_from_db()
    # The clause's own rows only: the page's read of the contract is audited too, and its id may be the clause's.
    clause_rows = AuditEvent.objects.filter(target_type="contracts.clause", target_id=fees.pk)
    assert fees.delivery_status == "planned" and not clause_rows.exists()


def test_a_drafts_commitment_is_changed_in_its_form_not_here(cpas_a, worker_a):
    clause = make_clause(cpas_a, contract=make_contract(cpas_a, social_worker=worker_a.user))
    with pytest.raises(ServiceError) as error:
        commitment_delivery_record(membership=worker_a, clause=clause, status="done", on=TODAY, today=TODAY)
    assert error.value.code == "DELIVERY_CONTRACT_NOT_IN_FORCE"


def test_only_caseload_roles_record_and_only_in_their_cpas(cpas_a, cpas_b, login, in_force):
    _contract, fees, _training = in_force
    with at(TODAY):
        assert _post(login(make_member(cpas_a, Role.DPO)), fees, status="done", on="2026-04-02").status_code == 403
        assert _post(login(make_member(cpas_b)), fees, status="done", on="2026-04-02").status_code == 404
    fees.refresh_from_db()
    assert fees.delivery_status == "planned"


def test_an_evaluations_review_moves_the_status_but_an_older_one_does_not_move_it_back(cpas_a, worker_a, in_force):
    contract, fees, _training = in_force
    member = Membership.objects.get(user=contract.social_worker, cpas=cpas_a)

    def review(held_on, delivery, evaluation=None):
        return evaluation_save(
            membership=member,
            contract=contract,
            evaluation=evaluation or Evaluation(held_on=held_on, mode="office"),
            deliveries=[DeliveryEntry(fees, delivery)],
            today=TODAY,
        )

    early = review(D(2026, 2, 10), "not_due")
    fees.refresh_from_db()
    assert fees.delivery_status == "planned"  # not yet due: nothing to say
    review(D(2026, 3, 20), "partly")
    fees.refresh_from_db()
    assert (fees.delivery_status, fees.delivery_status_on) == ("in_progress", D(2026, 3, 20))
    moved = AuditEvent.objects.get(
        verb=AuditVerb.EVALUATION_RECORDED, target_id=fees.pk, target_type="contracts.clause"
    )
    assert moved.changes["delivery_status"] == ["planned", "in_progress"]
    review(D(2026, 2, 10), "not_delivered", evaluation=early)  # correcting the older evaluation
    fees.refresh_from_db()
    assert (fees.delivery_status, fees.delivery_status_on) == ("in_progress", D(2026, 3, 20))
    review(D(2026, 4, 7), "delivered")
    fees.refresh_from_db()
    assert (fees.delivery_status, fees.delivery_status_on) == ("done", D(2026, 4, 7))
