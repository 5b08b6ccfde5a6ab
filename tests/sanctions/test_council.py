"""The council's part: sittings, decisions within the core's caps (T36–T41), the start window (T42), the
notification and the appeal deadline (T43), the appeal and the payment export with its reversal, the register."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.sanctions import services_council
from piis.sanctions.enums import DossierStatus, SittingStatus
from piis.sanctions.export import COLUMNS, export_csv
from piis.sanctions.selectors_council import MIN_GROUP, register
from tests.factories import make_member
from tests.followup.builders import at
from tests.sanctions.council_builders import ready_dossier, sitting_with, suspension

D = datetime.date


def _codes(call) -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.code


def _decided(cpas, given=None, **kwargs):
    dossier = ready_dossier(cpas, **kwargs)
    sitting, item, secretary = sitting_with(cpas, dossier)
    with at(D(2026, 5, 20)):
        decision = services_council.decision_record(actor=secretary, item=item, given=given or suspension())
    return decision, secretary


@pytest.mark.django_db
def test_a_ready_dossier_goes_on_the_agenda_and_back_when_postponed(cpas_a):
    dossier = ready_dossier(cpas_a)
    sitting, item, secretary = sitting_with(cpas_a, dossier)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ON_AGENDA and item.position == 1
    assert _codes(lambda: services_council.item_add_dossier(actor=secretary, sitting=sitting, dossier=dossier)) in {
        "DOSSIER_ALREADY_ON_AGENDA"
    }
    services_council.item_remove(actor=secretary, item=item)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY and not sitting.items.exists()


@pytest.mark.django_db
@pytest.mark.scenario("T36")
def test_t36_a_first_sanction_half_for_one_month_is_allowed_six_weeks_is_refused(cpas_a):
    dossier = ready_dossier(cpas_a)
    _sitting, item, secretary = sitting_with(cpas_a, dossier)
    with at(D(2026, 5, 20)):
        assert (
            _codes(
                lambda: services_council.decision_record(
                    actor=secretary, item=item, given=suspension(months=Decimal("1.5"))
                )
            )
            == "SANCTION_TOO_LONG"
        )
        decision = services_council.decision_record(actor=secretary, item=item, given=suspension())
    assert (decision.max_months, decision.recidivism, decision.share) == (Decimal(1), False, Decimal("0.5"))
    assert (decision.start_on, decision.end_on) == (D(2026, 7, 1), D(2026, 7, 31))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DECIDED and item.sitting.status == SittingStatus.HELD
    assert AuditEvent.objects.filter(verb=AuditVerb.SANCTION_DECIDED, beneficiary_id=dossier.beneficiary_id).exists()


@pytest.mark.django_db
@pytest.mark.scenario("T37")
def test_t37_a_second_breach_eight_months_later_allows_three_months(cpas_a):
    first, secretary = _decided(cpas_a)
    contract = first.dossier.contract
    second = ready_dossier(cpas_a, breach_on=D(2027, 1, 20), contract=contract)
    _sitting, item, _ = sitting_with(cpas_a, second, sits_on=D(2027, 2, 17), secretary=secretary)
    with at(D(2027, 2, 17)):
        decision = services_council.decision_record(
            actor=secretary, item=item, given=suspension(months=Decimal(3), start_on=D(2027, 4, 1))
        )
    assert (decision.max_months, decision.recidivism) == (Decimal(3), True)


@pytest.mark.django_db
@pytest.mark.scenario("T38")
def test_t38_thirteen_months_later_it_is_not_recidivism(cpas_a):
    first, secretary = _decided(cpas_a)
    second = ready_dossier(cpas_a, breach_on=D(2027, 6, 21), contract=first.dossier.contract)
    _sitting, item, _ = sitting_with(cpas_a, second, sits_on=D(2027, 7, 14), secretary=secretary)
    with at(D(2027, 7, 14)):
        code = _codes(
            lambda: services_council.decision_record(
                actor=secretary, item=item, given=suspension(months=Decimal(2), start_on=D(2027, 9, 1))
            )
        )
    assert code == "SANCTION_TOO_LONG"


@pytest.mark.django_db
@pytest.mark.scenario("T34")
def test_t34_no_suspension_for_a_dossier_with_a_legitimate_reason_only_no_sanction(cpas_a):
    dossier = ready_dossier(cpas_a)
    _sitting, item, secretary = sitting_with(cpas_a, dossier)
    answer = dossier.answer
    answer.legitimate_reason_found = True  # found legitimate after the dossier was put before the council
    answer.save()
    with at(D(2026, 5, 20)):
        assert _codes(lambda: services_council.decision_record(actor=secretary, item=item, given=suspension())) == (
            "LEGITIMATE_REASON"
        )
        decision = services_council.decision_record(
            actor=secretary, item=item, given=suspension(outcome="no_sanction")
        )
    assert decision.months is None and decision.start_on is None


@pytest.mark.django_db
@pytest.mark.scenario("T41")
def test_t41_a_total_deferral_withholds_nothing_and_is_executed_only_by_a_new_decision(cpas_a):
    first, secretary = _decided(
        cpas_a, given=suspension(outcome="total_suspension", deferral="total", probation_end=D(2026, 11, 20))
    )
    assert (first.deferred_share, first.start_on, first.end_on) == (Decimal(1), None, None)
    with at(D(2026, 5, 26)):
        services_council.decision_notified(
            actor=secretary,
            decision=first,
            letter_sent_on=D(2026, 5, 21),
            delivery_method="registered",
            notified_on=D(2026, 5, 22),
        )
        assert services_council.periods_due(cpas_a) == []  # nothing is executed
    # a new breach during the probation, the whole procedure again, a new decision executes the deferred one
    second = ready_dossier(cpas_a, breach_on=D(2026, 9, 14), contract=first.dossier.contract)
    _sitting, item, _ = sitting_with(cpas_a, second, sits_on=D(2026, 10, 14), secretary=secretary)
    with at(D(2026, 10, 14)):
        decision = services_council.decision_record(
            actor=secretary,
            item=item,
            given=suspension(start_on=D(2026, 12, 1), executes_deferral_of=first, months=Decimal(1)),
        )
        services_council.decision_notified(
            actor=secretary,
            decision=decision,
            letter_sent_on=D(2026, 10, 14),
            delivery_method="handed_over",
            notified_on=D(2026, 10, 14),
        )
        due = services_council.periods_due(cpas_a)
    assert [(p.decision, p.start_on, p.end_on, p.share) for p in due] == [
        (decision, D(2026, 12, 1), D(2026, 12, 31), Decimal("0.50")),
        (first, D(2027, 1, 1), D(2027, 1, 31), Decimal("1.00")),
    ]
    # executed once only
    third = ready_dossier(cpas_a, breach_on=D(2026, 10, 20), contract=first.dossier.contract)
    _sitting, item3, _ = sitting_with(cpas_a, third, sits_on=D(2026, 11, 18), secretary=secretary)
    with at(D(2026, 11, 18)):
        assert (
            _codes(
                lambda: services_council.decision_record(
                    actor=secretary,
                    item=item3,
                    given=suspension(start_on=D(2027, 1, 1), executes_deferral_of=first, months=Decimal(3)),
                )
            )
            == "DEFERRAL_ALREADY_EXECUTED"
        )


@pytest.mark.django_db
@pytest.mark.scenario("T41")
def test_t41_a_partial_deferral_executes_the_rest_of_the_share(cpas_a):
    decision, _ = _decided(
        cpas_a, given=suspension(deferral="partial", deferred_share=Decimal("0.5"), probation_end=D(2026, 11, 20))
    )
    assert decision.deferred_share == Decimal("0.5")
    with at(D(2026, 5, 20)):
        assert _codes(
            lambda: services_council.decision_record(actor=None, item=decision.item, given=suspension())
        ) in {"ITEM_ALREADY_DECIDED"}


@pytest.mark.django_db
@pytest.mark.scenario("T42")
def test_t42_the_start_is_checked_in_the_window_at_the_decision_and_again_at_notification(cpas_a):
    dossier = ready_dossier(cpas_a, breach_on=D(2026, 10, 19))
    _sitting, item, secretary = sitting_with(cpas_a, dossier, sits_on=D(2026, 11, 16))
    with at(D(2026, 11, 16)):
        error = pytest.raises(
            ServiceError,
            services_council.decision_record,
            actor=secretary,
            item=item,
            given=suspension(start_on=D(2027, 2, 15)),
        )
        assert (error.value.code, error.value.field) == ("SUSPENSION_START_OUTSIDE_WINDOW", "start_on")
        decision = services_council.decision_record(
            actor=secretary, item=item, given=suspension(start_on=D(2026, 11, 18))
        )
    with at(D(2026, 11, 20)):
        # notified on the 18th: the start must now be from the 19th
        code = _codes(
            lambda: services_council.decision_notified(
                actor=secretary,
                decision=decision,
                letter_sent_on=D(2026, 11, 17),
                delivery_method="registered",
                notified_on=D(2026, 11, 18),
            )
        )
        assert code == "SUSPENSION_START_OUTSIDE_WINDOW"
        decision.refresh_from_db()
        services_council.decision_notified(
            actor=secretary,
            decision=decision,
            letter_sent_on=D(2026, 11, 17),
            delivery_method="registered",
            notified_on=D(2026, 11, 18),
            start_on=D(2027, 1, 1),
        )
    assert (decision.start_on, decision.end_on) == (D(2027, 1, 1), D(2027, 1, 31))


@pytest.mark.django_db
@pytest.mark.scenario("T43")
def test_t43_the_appeal_deadline_follows_the_notification_and_rolls_to_monday(cpas_a):
    decision, secretary = _decided(cpas_a)
    with at(D(2026, 6, 15)):
        services_council.decision_notified(
            actor=secretary,
            decision=decision,
            letter_sent_on=D(2026, 6, 10),
            delivery_method="registered",
            notified_on=D(2026, 6, 12),
        )
    decision.refresh_from_db()
    assert (decision.appeal_deadline_legal, decision.appeal_deadline) == (D(2026, 9, 12), D(2026, 9, 14))
    assert AuditEvent.objects.filter(verb=AuditVerb.SANCTION_DECISION_NOTIFIED).exists()


@pytest.mark.django_db
def test_an_annulment_on_appeal_is_reversed_in_the_next_export(cpas_a):
    from piis.cases.models import RiDecision

    decision, secretary = _decided(cpas_a)
    ri = RiDecision.objects.filter(beneficiary=decision.beneficiary)
    assert ri.exists()  # the file's RI decision in force gives the amount withheld
    ri.update(monthly_amount=Decimal("1263.17"))
    with at(D(2026, 5, 25)):
        services_council.decision_notified(
            actor=secretary,
            decision=decision,
            letter_sent_on=D(2026, 5, 21),
            delivery_method="registered",
            notified_on=D(2026, 5, 22),
        )
        first = services_council.payments_export(actor=secretary, cpas=cpas_a)
        assert services_council.payments_export(actor=secretary, cpas=cpas_a) is None  # nothing twice
        appeal = services_council.appeal_lodge(
            actor=secretary, decision=decision, lodged_on=D(2026, 5, 25), court="Tribunal du travail de Liège"
        )
    with at(D(2026, 10, 2)):
        services_council.appeal_outcome(actor=secretary, appeal=appeal, outcome="annulled", outcome_on=D(2026, 10, 1))
        second = services_council.payments_export(actor=secretary, cpas=cpas_a)
    decision.dossier.refresh_from_db()
    assert decision.dossier.status == DossierStatus.ANNULLED
    rows = list(csv.DictReader(io.StringIO(export_csv(first).decode())))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["kind"], r["start_on"], r["end_on"], r["share_suspended"], r["amount_eur"]) for r in rows] == [
        ("suspension", "2026-07-01", "2026-07-31", "0.50", "631.59")
    ]
    again = list(csv.DictReader(io.StringIO(export_csv(second).decode())))
    assert [(r["kind"], r["reverses_line_id"], r["amount_eur"]) for r in again] == [
        ("reversal", rows[0]["line_id"], "-631.59")
    ]  # a negative number, not a neutralised formula


@pytest.mark.django_db
def test_a_refusal_to_sign_is_decided_only_after_the_person_was_heard(cpas_a):
    from tests.factories import make_beneficiary

    secretary = make_member(cpas_a, "council_secretary").user
    person = make_beneficiary(cpas_a)
    with at(D(2026, 5, 10)):
        sitting = services_council.sitting_plan(actor=secretary, cpas=cpas_a, organ="council", sits_on=D(2026, 5, 20))
        assert (
            _codes(
                lambda: services_council.item_add_matter(
                    actor=secretary, sitting=sitting, kind="refusal_to_sign", beneficiary=person
                )
            )
            == "ITEM_REASONS_REQUIRED"
        )
        item = services_council.item_add_matter(
            actor=secretary,
            sitting=sitting,
            kind="refusal_to_sign",
            beneficiary=person,
            person_reasons="Je ne veux pas de formation.",
        )
    given = suspension(outcome="approved", months=None, share=None, start_on=None)
    with at(D(2026, 5, 20)):
        assert _codes(lambda: services_council.decision_record(actor=secretary, item=item, given=given)) == (
            "HEARING_NOT_OFFERED"
        )
        services_council.item_hearing(actor=secretary, item=item, right_notified_on=D(2026, 5, 11), answer="asked")
        item.refresh_from_db()
        assert _codes(lambda: services_council.decision_record(actor=secretary, item=item, given=given)) == (
            "HEARING_NOT_HELD"
        )
        services_council.item_hearing(
            actor=secretary,
            item=item,
            right_notified_on=D(2026, 5, 11),
            answer="asked",
            held_on=D(2026, 5, 20),
            attendees="Le conseil",
            minutes="La personne explique.",
        )
        item.refresh_from_db()
        decision = services_council.decision_record(actor=secretary, item=item, given=given)
        assert decision.outcome == "approved"
        services_council.minutes_close(actor=secretary, sitting=sitting, present="Mme A, M. B")
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.MINUTES_CLOSED


@pytest.mark.django_db
def test_the_register_suppresses_groups_under_five_people(cpas_a):
    decision, _ = _decided(cpas_a)
    director = make_member(cpas_a, "director")
    rows, figures = register(membership=director, year=2026)
    assert [r.dossier for r in rows] == [decision.dossier]
    assert all(group.suppressed for group in figures) and MIN_GROUP == 5


@pytest.mark.django_db
def test_the_register_and_the_sittings_read_a_bounded_number_of_queries(cpas_a, django_assert_max_num_queries):
    from piis.sanctions.selectors_council import sitting_get_for_user, sittings_for_user

    decision, secretary = _decided(cpas_a)
    for breach in (D(2026, 4, 21), D(2026, 4, 22)):
        dossier = ready_dossier(cpas_a, breach_on=breach)
        sitting_with(cpas_a, dossier)
    membership = secretary.memberships.get()
    director = make_member(cpas_a, "director")
    with django_assert_max_num_queries(8):
        register(membership=director, year=2026)
    with django_assert_max_num_queries(4):
        sittings_for_user(membership=membership)
    with django_assert_max_num_queries(12):
        sitting = sitting_get_for_user(membership=membership, pk=decision.item.sitting_id)
        [getattr(i, "decision", None) for i in sitting.items.all()]
