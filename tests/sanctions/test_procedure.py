"""The procedure up to "ready for the council" through its services (S-Dec 12–15, S-Time 21–22, R56, R57, R63) and
the adapter to the rules core (sanctions/facts.py): the app-level tests of T33–T43 for this part."""

import datetime
from decimal import Decimal

import pytest

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.contracts.enums import CommitmentStatus
from piis.core.errors import ServiceError
from piis.sanctions import facts, services
from piis.sanctions.enums import TRANSITIONS, DossierStatus, Transition, can_transition
from piis.sanctions.selectors import readiness
from tests.followup.builders import at
from tests.sanctions.builders import in_force_contract, make_decision, make_dossier, make_item

D = datetime.date
BREACH = D(2026, 4, 20)


def _codes(dossier) -> list[str]:
    dossier.refresh_from_db()
    return [p.code for p in readiness(type(dossier).objects.get(pk=dossier.pk))]


def _open(cpas, contract, breach_on=BREACH):
    with at(breach_on + datetime.timedelta(days=2)):
        return services.dossier_open(actor=contract.social_worker, contract=contract, clause=contract.breached,
                                     breach_on=breach_on, facts_text="Absent trois lundis sans prévenir.")  # fmt: skip


def _prepare(dossier, *, actor, override: str = "", legitimate: bool = False):
    """Every step before the council, in order (dates of spring 2026)."""
    with at(D(2026, 4, 23)):
        services.notice_prepare(actor=actor, dossier=dossier, comply_by=D(2026, 5, 8), language="fr")
        services.notice_send(actor=actor, dossier=dossier, sent_on=D(2026, 4, 23))
        services.hearing_right_notified(actor=actor, dossier=dossier, notified_on=D(2026, 4, 23),
                                        reply_by=D(2026, 5, 8))  # fmt: skip
    with at(D(2026, 4, 27)):
        services.notice_delivered(actor=actor, dossier=dossier, delivered_on=D(2026, 4, 25), method="registered")
    with at(D(2026, 5, 4)):
        services.answer_record(actor=actor, dossier=dossier, kind="written", answered_on=D(2026, 5, 4),
                               answer_text="J'étais malade.", legitimate_reason_invoked=True)  # fmt: skip
        services.legitimate_reason_answer(actor=actor, dossier=dossier, found=legitimate,
                                          assessment="Aucun certificat pour ces lundis.")  # fmt: skip
        services.hearing_answer(actor=actor, dossier=dossier, answer="asked", asked_on=D(2026, 5, 4),
                                scheduled_on=D(2026, 5, 11))  # fmt: skip
    with at(D(2026, 5, 12)):
        services.commitments_check(actor=actor, dossier=dossier)
        if override:
            services.commitments_override(actor=actor, dossier=dossier, motivation=override)
        services.hearing_held(actor=actor, dossier=dossier, held_on=D(2026, 5, 11), attendees="Mme X, M. Y",
                              assistant="Un délégué syndical", minutes="La personne explique…")  # fmt: skip
        services.opinion_record(actor=actor, dossier=dossier, opinion="Absences sans motif.", proposal="suspension",
                                months=Decimal("1"), share=Decimal("0.5"))  # fmt: skip


@pytest.mark.django_db
def test_a_breach_opens_a_dossier_with_the_commitment_as_agreed(cpas_a):
    contract = in_force_contract(cpas_a)
    dossier = _open(cpas_a, contract)
    assert dossier.status == DossierStatus.OPEN
    assert dossier.breach.clause_text == "Suivre la formation de vendeur chaque lundi."
    assert dossier.breach.clause_in_force_from == contract.signed_on
    assert dossier.recent_piis_on is None  # signed in January, procedure in April
    events = AuditEvent.objects.filter(
        verb=AuditVerb.SANCTION_PROCEDURE_STARTED, beneficiary_id=contract.beneficiary_id
    )
    assert events.count() == 2  # the dossier and its breach report


@pytest.mark.django_db
def test_s_time_21_a_breach_before_the_commitment_was_in_force_is_refused(cpas_a):
    contract = in_force_contract(cpas_a)
    with pytest.raises(ServiceError) as refused:
        _open(cpas_a, contract, breach_on=D(2026, 1, 10))  # the PIIS was signed on 15/01
    assert refused.value.code == "NO_PIIS_IN_FORCE" and refused.value.field == "breach_on"


@pytest.mark.django_db
def test_s_dec_15_a_commitment_of_the_cpas_cannot_ground_a_breach(cpas_a):
    contract = in_force_contract(cpas_a)
    with pytest.raises(ServiceError) as refused, at(D(2026, 4, 22)):
        services.dossier_open(actor=contract.social_worker, contract=contract, clause=contract.cpas_commitment,
                              breach_on=BREACH, facts_text="x")  # fmt: skip
    assert refused.value.code == "COMMITMENT_OF_ANOTHER_PARTY"


@pytest.mark.django_db
def test_s_time_22_a_piis_signed_shortly_before_is_flagged_for_the_team_lead(cpas_a):
    contract = in_force_contract(cpas_a, signed_on=D(2026, 4, 1))
    dossier = _open(cpas_a, contract)
    assert dossier.recent_piis_on == D(2026, 4, 1)
    assert "RECENT_PIIS_NOT_REVIEWED" in _codes(dossier)


@pytest.mark.django_db
@pytest.mark.scenario("T33")
def test_t33_without_a_formal_notice_the_dossier_cannot_go_to_the_council(cpas_a):
    contract = in_force_contract(cpas_a)
    dossier = _open(cpas_a, contract)
    assert _codes(dossier)[0] == "NOTICE_MISSING"
    with pytest.raises(ServiceError) as refused:
        services.dossier_mark_ready(actor=contract.social_worker, dossier=dossier)
    assert refused.value.code == "READINESS_PROBLEMS" and "NOTICE_MISSING" in refused.value.params["problems"]
    with pytest.raises(ServiceError) as refused:
        facts.check_decision(dossier, months=Decimal(1), share=Decimal(1))
    assert refused.value.code == "NOTICE_MISSING"


@pytest.mark.django_db
@pytest.mark.scenario("T33")
def test_t33_a_notice_sent_but_not_delivered_still_blocks(cpas_a):
    contract = in_force_contract(cpas_a)
    dossier = _open(cpas_a, contract)
    with at(D(2026, 4, 23)):
        services.notice_prepare(actor=contract.social_worker, dossier=dossier, comply_by=D(2026, 5, 8), language="fr")
        services.notice_send(actor=contract.social_worker, dossier=dossier, sent_on=D(2026, 4, 23))
    assert dossier.status == DossierStatus.NOTICE_SENT
    assert _codes(dossier)[0] == "NOTICE_NOT_DELIVERED"


@pytest.mark.django_db
def test_the_full_preparation_makes_the_dossier_ready(cpas_a):
    contract = in_force_contract(cpas_a)
    contract.cpas_commitment.delivery_status = CommitmentStatus.DONE
    contract.cpas_commitment.delivery_status_on = D(2026, 3, 20)
    contract.cpas_commitment.save()
    dossier = _open(cpas_a, contract)
    _prepare(dossier, actor=contract.social_worker)
    assert _codes(dossier) == []
    with at(D(2026, 5, 12)):
        services.dossier_mark_ready(actor=contract.social_worker, dossier=dossier)
    assert dossier.status == DossierStatus.READY and dossier.ready_on == D(2026, 5, 12)
    facts.check_decision(dossier, months=Decimal(1), share=Decimal("0.5"))  # the council may now decide
    verbs = set(AuditEvent.objects.filter(beneficiary_id=dossier.beneficiary_id).values_list("verb", flat=True))
    assert {
        AuditVerb.SANCTION_NOTICE_SENT, AuditVerb.SANCTION_NOTICE_DELIVERED, AuditVerb.SANCTION_ANSWER_RECORDED,
        AuditVerb.SANCTION_REASON_ANSWERED, AuditVerb.SANCTION_COMMITMENTS_CHECKED, AuditVerb.SANCTION_OPINION_GIVEN,
        AuditVerb.SANCTION_HEARING_HELD, AuditVerb.SANCTION_DOSSIER_READY,
    } <= verbs  # fmt: skip


@pytest.mark.django_db
@pytest.mark.scenario("T34")
def test_t34_a_legitimate_reason_excludes_any_sanction(cpas_a):
    contract = in_force_contract(cpas_a)
    contract.cpas_commitment.delivery_status, contract.cpas_commitment.delivery_status_on = "done", D(2026, 3, 1)
    contract.cpas_commitment.save()
    dossier = _open(cpas_a, contract)
    _prepare(dossier, actor=contract.social_worker, legitimate=True)
    assert _codes(dossier) == ["LEGITIMATE_REASON"]
    with pytest.raises(ServiceError) as refused:
        facts.check_decision(dossier, months=Decimal(1), share=Decimal(1))
    assert refused.value.code == "LEGITIMATE_REASON"


@pytest.mark.django_db
@pytest.mark.scenario("T35")
def test_t35_an_unmet_cpas_commitment_excludes_the_sanction_unless_motivated(cpas_a):
    contract = in_force_contract(cpas_a)  # the CPAS was to pay the fee by 2026-03-31 and did not
    dossier = _open(cpas_a, contract)
    _prepare(dossier, actor=contract.social_worker)
    line = dossier.commitment_check.lines.get()
    assert (line.due_on, line.delivery, line.tied) == (D(2026, 3, 31), "unknown", True)
    assert _codes(dossier) == ["COMMITMENT_UNMET_EXCLUDES"]
    with pytest.raises(ServiceError) as refused:
        facts.check_decision(dossier, months=Decimal(1), share=Decimal(1))
    assert refused.value.code == "CPAS_COMMITMENT_UNMET"
    with at(D(2026, 5, 12)):
        services.commitments_override(actor=contract.social_worker, dossier=dossier,
                                      motivation="La formation était gratuite pour la personne.")  # fmt: skip
    assert _codes(dossier) == []


@pytest.mark.django_db
@pytest.mark.scenario("T36")
def test_t36_the_notice_prints_the_cap_and_the_council_cannot_exceed_it(cpas_a):
    contract = in_force_contract(cpas_a)
    dossier = _open(cpas_a, contract)
    with at(D(2026, 4, 23)):
        notice = services.notice_prepare(actor=contract.social_worker, dossier=dossier, comply_by=D(2026, 5, 8),
                                         language="nl")  # fmt: skip
    assert notice.max_months == Decimal(1)
    assert facts.sanction_cap(dossier).recidivism is False
    with pytest.raises(ServiceError) as refused, at(D(2026, 5, 12)):
        services.opinion_record(actor=contract.social_worker, dossier=dossier, opinion="x", proposal="suspension",
                                months=Decimal("1.5"), share=Decimal("0.5"))  # fmt: skip
    assert refused.value.code == "SANCTION_TOO_LONG"


@pytest.mark.django_db
@pytest.mark.scenario("T37")
def test_t37_a_second_breach_within_a_year_of_a_sanction_allows_three_months(cpas_a):
    contract = in_force_contract(cpas_a)
    first = make_dossier(cpas_a, contract=contract, clause=contract.breached, status="decided")
    make_decision(cpas_a, item=make_item(cpas_a, dossier=first), decided_on=D(2026, 5, 20))
    second = _open(cpas_a, contract, breach_on=D(2027, 1, 20))
    cap = facts.sanction_cap(second)
    assert (cap.max_months, cap.recidivism, cap.previous) == (Decimal(3), True, (D(2026, 5, 20),))


@pytest.mark.django_db
@pytest.mark.scenario("T38")
def test_t38_an_annulled_sanction_does_not_count_for_recidivism(cpas_a):
    contract = in_force_contract(cpas_a)
    first = make_dossier(cpas_a, contract=contract, clause=contract.breached, status="annulled")
    make_decision(cpas_a, item=make_item(cpas_a, dossier=first), decided_on=D(2026, 5, 20))
    second = _open(cpas_a, contract, breach_on=D(2027, 1, 20))
    assert facts.sanction_cap(second).max_months == Decimal(1)


@pytest.mark.scenario("T42")
def test_t42_the_start_window_comes_from_the_core():
    window = facts.start_window(decided_on=D(2026, 11, 15), notified_on=D(2026, 11, 18))
    assert (window.earliest, window.latest, window.default) == (D(2026, 11, 19), D(2027, 2, 1), D(2027, 1, 1))
    with pytest.raises(ServiceError) as refused:
        facts.check_start(decided_on=D(2026, 11, 15), notified_on=D(2026, 11, 18), start=D(2027, 2, 15))
    assert refused.value.code == "SUSPENSION_START_OUTSIDE_WINDOW" and refused.value.field == "start_on"
    assert refused.value.params == {"earliest": D(2026, 11, 19), "latest": D(2027, 2, 1)}


@pytest.mark.scenario("T43")
def test_t43_the_appeal_deadline_rolls_to_the_next_working_day():
    deadline = facts.appeal_deadline_for(D(2026, 6, 12))
    assert (deadline.legal, deadline.effective) == (D(2026, 9, 12), D(2026, 9, 14))


@pytest.mark.django_db
def test_silence_is_recorded_only_after_the_date_to_comply(cpas_a):
    contract = in_force_contract(cpas_a)
    dossier = _open(cpas_a, contract)
    actor = contract.social_worker
    with at(D(2026, 4, 23)):
        services.notice_prepare(actor=actor, dossier=dossier, comply_by=D(2026, 5, 8), language="fr")
        services.notice_send(actor=actor, dossier=dossier, sent_on=D(2026, 4, 23))
        with pytest.raises(ServiceError) as refused:
            services.answer_record(actor=actor, dossier=dossier, kind="silence", answered_on=None, answer_text="",
                                   legitimate_reason_invoked=False)  # fmt: skip
    assert refused.value.code == "SILENCE_BEFORE_DEADLINE"


def test_every_transition_of_the_table_leads_somewhere_and_nowhere_else():
    for transition, moves in TRANSITIONS.items():
        for status in DossierStatus:
            assert can_transition(status, transition) == (status in moves)
    assert not can_transition(DossierStatus.OPEN, Transition.MARK_READY)  # the notice comes first


@pytest.mark.django_db
def test_s_dec_12_passages_extracted_before_the_notice_are_disclosed_with_it(cpas_a):
    contract = in_force_contract(cpas_a)
    dossier = _open(cpas_a, contract)
    actor = contract.social_worker
    with at(D(2026, 4, 23)):
        extract = services.evidence_add(actor=actor, dossier=dossier, source="third_party", source_date=D(2026, 4, 21),
                                        passage="Le centre signale trois absences.")  # fmt: skip
        assert extract.disclosed_on is None
        services.notice_prepare(actor=actor, dossier=dossier, comply_by=D(2026, 5, 8), language="fr")
        services.notice_send(actor=actor, dossier=dossier, sent_on=D(2026, 4, 23))
    extract.refresh_from_db()
    assert extract.disclosed_on == D(2026, 4, 23)
    assert AuditEvent.objects.filter(verb=AuditVerb.SANCTION_EVIDENCE_DISCLOSED, target_id=extract.pk).exists()
    with pytest.raises(ServiceError) as refused:
        services.evidence_remove(actor=actor, extract=extract)
    assert refused.value.code == "EVIDENCE_ALREADY_DISCLOSED"
