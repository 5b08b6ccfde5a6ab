"""Transfer of a PIIS when the person moves (R21, R51–R54): T28, T29, T30."""

import datetime

import pytest

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.contracts.enums import ContractStatus, EndReason
from piis.core.errors import ServiceError
from piis.transfers import services
from piis.transfers.enums import Answer, TransferStatus
from piis.transfers.models import IncomingTransfer, TakeoverReview, Transfer
from tests.factories import make_member
from tests.transfers.builders import FAKE_PDF, MOVED, make_piis_in_force

D = datetime.date
pytestmark = pytest.mark.django_db


def _move(cpas_a, cpas_b, *, contract=None, **kwargs):
    contract = contract or make_piis_in_force(cpas_a)
    old = make_member(cpas_a, Role.SOCIAL_WORKER)
    kwargs.setdefault("today", D(2026, 7, 2))
    transfer = services.transfer_record_move(
        membership=old, contract=contract, moved_on=MOVED, learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16),
        new_cpas=cpas_b, **kwargs,
    )  # fmt: skip
    return old, transfer


@pytest.mark.scenario("T28", rules=("R51", "R54"))
def test_t28_move_with_consent_sends_the_package_ends_the_old_piis_and_opens_reviews(cpas_a, cpas_b):
    old, transfer = _move(cpas_a, cpas_b)
    assert transfer.forward_by == D(2026, 7, 7)  # R54: five calendar days after it was known
    incoming = IncomingTransfer.objects.get(cpas=cpas_b)
    assert incoming.status == TransferStatus.AWAITING_ANSWER and incoming.package is None
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.CONSENT,
                                    answered_on=D(2026, 7, 3), channel="letter", today=D(2026, 7, 3))  # fmt: skip
    services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 3))

    transfer.refresh_from_db()
    contract = transfer.contract
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ENDED and contract.end_reason == EndReason.TRANSFERRED
    incoming.refresh_from_db()
    assert incoming.status == TransferStatus.RECEIVED
    piis = incoming.package["piis"]
    assert {c["party"] for c in piis["commitments"]} == {"beneficiary", "cpas"}
    assert len(piis["evaluations"]) == 1 and piis["versions"][0]["concluded_on"] == "2026-03-02"
    # one review task per open commitment (the done one is not reviewed)
    reviews = TakeoverReview.objects.filter(incoming=incoming)
    assert reviews.count() == 2
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"transfer_recorded", "transfer_request_received", "transfer_package_sent",
            "transfer_package_received", "contract_ended"} <= verbs  # fmt: skip
    assert AuditEvent.objects.filter(cpas=cpas_b, verb="transfer_package_received").exists()


@pytest.mark.scenario("T28", rules=("R51",))
def test_t28_review_needs_a_decision_and_a_reason(cpas_a, cpas_b):
    old, transfer = _move(cpas_a, cpas_b)
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.CONSENT,
                                    answered_on=D(2026, 7, 3), channel="letter", today=D(2026, 7, 3))  # fmt: skip
    services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 3))
    review = TakeoverReview.objects.filter(cpas=cpas_b).first()
    new = make_member(cpas_b)
    with pytest.raises(ServiceError) as refused:
        services.review_decide(membership=new, review=review, decision="adapt", reason="", today=D(2026, 7, 4))
    assert refused.value.code == "TAKEOVER_REASON_REQUIRED"
    services.review_decide(membership=new, review=review, decision="adapt", reason="Autre centre ici.",
                           today=D(2026, 7, 4))  # fmt: skip
    review.refresh_from_db()
    assert review.decision == "adapt" and review.decided_by == new.user


@pytest.mark.scenario("T29", rules=("R52",))
def test_t29_refusal_told_to_the_new_cpas_leaves_no_content_there(cpas_a, cpas_b):
    old, transfer = _move(cpas_a, cpas_b)
    incoming = IncomingTransfer.objects.get(cpas=cpas_b)
    new = make_member(cpas_b)
    services.incoming_record_refusal(membership=new, incoming=incoming, refused_on=D(2026, 7, 3),
                                     channel="in_person", today=D(2026, 7, 3))  # fmt: skip
    incoming.refresh_from_db()
    transfer.refresh_from_db()
    assert incoming.status == TransferStatus.REFUSED and incoming.package is None
    assert incoming.refused_on == D(2026, 7, 3) and incoming.refusal_recorded_by == new.user
    assert transfer.status == TransferStatus.REFUSED and transfer.answer == Answer.REFUSAL
    assert not TakeoverReview.objects.exists()
    with pytest.raises(ServiceError) as refused:
        services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 4))
    assert refused.value.code == "TRANSFER_REFUSED_NO_CONTENT"
    transfer.contract.refresh_from_db()
    assert transfer.contract.status == ContractStatus.IN_FORCE  # not closed by a refused transfer
    assert AuditEvent.objects.filter(cpas=cpas_b, verb="transfer_refused").exists()
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="transfer_refused").exists()


@pytest.mark.scenario("T29", rules=("R52",))
def test_t29_refusal_recorded_by_the_old_cpas_reaches_the_new_one(cpas_a, cpas_b):
    old, transfer = _move(cpas_a, cpas_b)
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.REFUSAL,
                                    answered_on=D(2026, 7, 3), channel="letter", today=D(2026, 7, 3))  # fmt: skip
    assert IncomingTransfer.objects.get(cpas=cpas_b).status == TransferStatus.REFUSED


@pytest.mark.scenario("T30", rules=("R21", "R51"))
def test_t30_study_piis_during_uninterrupted_studies_does_not_move(cpas_a, cpas_b):
    contract = make_piis_in_force(cpas_a, studies=True)
    with pytest.raises(ServiceError) as refused:
        _move(cpas_a, cpas_b, contract=contract, studies_uninterrupted=True)
    assert refused.value.code == "TRANSFER_STUDY_PIIS_STAYS"
    assert not Transfer.objects.exists() and not IncomingTransfer.objects.exists()
    # studies stopped: the study PIIS moves like any other
    _move(cpas_a, cpas_b, contract=contract, studies_uninterrupted=False)
    assert Transfer.objects.count() == 1


def test_no_answer_counts_only_after_the_date_given(cpas_a, cpas_b):
    old, transfer = _move(cpas_a, cpas_b)
    with pytest.raises(ServiceError) as refused:
        services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.NO_ANSWER,
                                        answered_on=D(2026, 7, 10), today=D(2026, 7, 10))  # fmt: skip
    assert refused.value.code == "TRANSFER_NO_ANSWER_TOO_EARLY"
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.NO_ANSWER,
                                    answered_on=D(2026, 7, 17), today=D(2026, 7, 17))  # fmt: skip
    services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 17))
    assert IncomingTransfer.objects.get(cpas=cpas_b).package["transfer"]["answer"] == "no_answer"


def test_send_before_an_answer_is_refused(cpas_a, cpas_b):
    old, transfer = _move(cpas_a, cpas_b)
    with pytest.raises(ServiceError) as refused:
        services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 3))
    assert refused.value.code == "TRANSFER_NOT_ANSWERED"


def test_same_cpas_and_second_transfer_refused(cpas_a, cpas_b):
    contract = make_piis_in_force(cpas_a)
    with pytest.raises(ServiceError) as refused:
        _move(cpas_a, cpas_a, contract=contract)
    assert refused.value.code == "TRANSFER_SAME_CPAS"
    _move(cpas_a, cpas_b, contract=contract)
    with pytest.raises(ServiceError) as refused:
        _move(cpas_a, cpas_b, contract=contract)
    assert refused.value.code == "TRANSFER_EXISTS"
