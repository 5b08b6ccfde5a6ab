"""The council's part of the procedure (R40, R56.6, R58–R62, R66–R67, R75; S-Dec 13–14): sittings and their agenda,
decisions within the core's caps, the notification and the appeal deadline, the minutes, the appeal and the
payment export with its reversals.

Every write records its audit event (AuditVerb.SANCTION_*) in the same transaction, on the person's file when it
concerns one. A sanction dossier moves only through the transitions table (enums.TRANSITIONS: put_on_agenda,
remove_from_agenda, decide, lodge_appeal, appeal_rejected, annul); the law is asked through sanctions/facts.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_delete, audited_save, record
from piis.core.errors import ServiceError
from piis.sanctions import facts
from piis.sanctions.enums import (
    MATTER_OUTCOMES,
    SANCTION_OUTCOMES,
    SUSPENSION_OUTCOMES,
    AppealOutcome,
    DecisionOutcome,
    Deferral,
    DeliveryMethod,
    DossierStatus,
    HearingAnswer,
    ItemKind,
    Organ,
    PaymentLineKind,
    SittingStatus,
    SuspensionGround,
    Transition,
    can_transition,
    transition_target,
)
from piis.sanctions.models import (
    Appeal,
    CouncilSitting,
    Decision,
    Hearing,
    PaymentExport,
    PaymentLine,
    SanctionDossier,
    SittingItem,
)

__all__ = [
    "appeal_lodge",
    "appeal_outcome",
    "decision_notified",
    "notification_apply",
    "decision_record",
    "item_add_dossier",
    "item_add_matter",
    "item_hearing",
    "item_remove",
    "items_reorder",
    "minutes_close",
    "payments_export",
    "sitting_change",
    "sitting_plan",
]


def _today() -> date:
    return timezone.localdate()


def _not_future(day: date, field: str) -> None:
    if day > _today():
        raise ServiceError("DATE_IN_FUTURE", field=field)


def _required(text: str, code: str, field: str) -> str:
    if not (text or "").strip():
        raise ServiceError(code, field=field)
    return text.strip()


def _move(actor, dossier: SanctionDossier, transition: Transition, verb: AuditVerb) -> SanctionDossier:
    if not can_transition(dossier.status, transition):
        raise ServiceError("DOSSIER_STEP_NOT_ALLOWED")
    dossier.status = transition_target(dossier.status, transition)
    return audited_save(actor=actor, cpas=dossier.cpas, verb=verb, instance=dossier,
                        beneficiary_id=dossier.beneficiary_id)  # fmt: skip


# --- sittings ----------------------------------------------------------------------------------------------------


def _members_of(cpas, members: Iterable) -> list:
    from piis.accounts.enums import Role
    from piis.accounts.models import Membership

    members = list(members)
    allowed = set(
        Membership.objects.filter(cpas=cpas, is_active=True, role=Role.COUNCIL_MEMBER, user__in=members).values_list(
            "user_id", flat=True
        )
    )
    if any(m.pk not in allowed for m in members):
        raise ServiceError("SITTING_MEMBER_NOT_COUNCIL", field="members")
    return members


def _sitting_fields(sitting: CouncilSitting, *, organ: str, sits_on: date, starts_at: time | None, place: str) -> None:
    if organ not in Organ.values:
        raise ServiceError("ORGAN_UNKNOWN", field="organ")
    sitting.organ, sitting.sits_on, sitting.starts_at, sitting.place = organ, sits_on, starts_at, place.strip()


def sitting_plan(
    *, actor, cpas, organ: str, sits_on: date, starts_at: time | None = None, place: str = "", members: Iterable = ()
) -> CouncilSitting:
    """Plan a sitting of the council or of its committee (R56.6): its date, time, place and the members convened;
    the actor (the council secretary) is its secretary."""
    members = _members_of(cpas, members)
    sitting = CouncilSitting(cpas=cpas, created_by=actor, secretary=actor)
    _sitting_fields(sitting, organ=organ, sits_on=sits_on, starts_at=starts_at, place=place)
    with transaction.atomic():
        audited_save(actor=actor, cpas=cpas, verb=AuditVerb.SANCTION_SITTING_PLANNED, instance=sitting)
        sitting.members.set(members)
    return sitting


def sitting_change(
    *, actor, sitting: CouncilSitting, organ: str, sits_on: date, starts_at: time | None = None, place: str = "",
    members: Iterable = (),
) -> CouncilSitting:  # fmt: skip
    """Change a sitting not yet held (no decision recorded)."""
    if sitting.status != SittingStatus.PLANNED:
        raise ServiceError("SITTING_ALREADY_HELD")
    members = _members_of(sitting.cpas, members)
    _sitting_fields(sitting, organ=organ, sits_on=sits_on, starts_at=starts_at, place=place)
    with transaction.atomic():
        audited_save(actor=actor, cpas=sitting.cpas, verb=AuditVerb.SANCTION_SITTING_CHANGED, instance=sitting)
        sitting.members.set(members)
    return sitting


# --- the agenda --------------------------------------------------------------------------------------------------


def _has_decision(item: SittingItem) -> bool:
    """Whether the item is decided (asked of the database: a refused decision left no row, whatever the caches)."""
    return Decision.objects.for_cpas(item.cpas_id).filter(item_id=item.pk).exists()


def _open_agenda(sitting: CouncilSitting) -> None:
    if sitting.status == SittingStatus.MINUTES_CLOSED:
        raise ServiceError("MINUTES_ALREADY_CLOSED")


def _next_position(sitting: CouncilSitting) -> int:
    last = sitting.items.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def item_add_dossier(*, actor, sitting: CouncilSitting, dossier: SanctionDossier, summary: str = "") -> SittingItem:
    """Put a dossier ready for the council (S-Dec 13: its checklist was empty when it was marked ready) on the
    agenda: transition put_on_agenda."""
    _open_agenda(sitting)
    if dossier.cpas_id != sitting.cpas_id:
        raise ServiceError("DOSSIER_STEP_NOT_ALLOWED")
    if sitting.items.filter(dossier=dossier).exists():
        raise ServiceError("DOSSIER_ALREADY_ON_AGENDA", field="dossier")
    item = SittingItem(
        cpas=sitting.cpas, sitting=sitting, position=_next_position(sitting), kind=ItemKind.SANCTION,
        beneficiary_id=dossier.beneficiary_id, dossier=dossier, contract_id=dossier.contract_id,
        summary=summary.strip(), added_by=actor,
    )  # fmt: skip
    with transaction.atomic():
        _move(actor, dossier, Transition.PUT_ON_AGENDA, AuditVerb.SANCTION_ITEM_ADDED)
        audited_save(actor=actor, cpas=sitting.cpas, verb=AuditVerb.SANCTION_ITEM_ADDED, instance=item,
                     beneficiary_id=item.beneficiary_id)  # fmt: skip
    return item


def item_add_matter(
    *, actor, sitting: CouncilSitting, kind: str, beneficiary, contract=None, clauses: Sequence = (),
    exemption=None, person_reasons: str = "", summary: str = "",
) -> SittingItem:  # fmt: skip
    """Another PIIS matter the council decides: a person's refusal to sign a compulsory PIIS (with the person's
    reasons; a hearing is recorded on the item, R40), clauses imposed over the person's objection (with the
    objection), an exemption the CPAS reserves to the council."""
    _open_agenda(sitting)
    if kind not in ItemKind.values or kind == ItemKind.SANCTION:
        raise ServiceError("ITEM_KIND_UNKNOWN", field="kind")
    if beneficiary.cpas_id != sitting.cpas_id:
        raise ServiceError("ITEM_PERSON_REQUIRED", field="beneficiary")
    if contract is not None and contract.beneficiary_id != beneficiary.pk:
        raise ServiceError("ITEM_CONTRACT_OF_ANOTHER_PERSON", field="contract")
    if kind in {ItemKind.REFUSAL_TO_SIGN, ItemKind.IMPOSED_CLAUSES}:
        _required(person_reasons, "ITEM_REASONS_REQUIRED", "person_reasons")
    if kind == ItemKind.IMPOSED_CLAUSES:
        if contract is None:
            raise ServiceError("ITEM_CONTRACT_REQUIRED", field="contract")
        if not clauses or any(c.contract_id != contract.pk for c in clauses):
            raise ServiceError("ITEM_CLAUSES_REQUIRED", field="clauses")
    if kind == ItemKind.EXEMPTION:
        if exemption is None or exemption.beneficiary_id != beneficiary.pk:
            raise ServiceError("EXEMPTION_REQUIRED", field="exemption")
    else:
        exemption = None
    item = SittingItem(
        cpas=sitting.cpas, sitting=sitting, position=_next_position(sitting), kind=kind, beneficiary=beneficiary,
        contract=contract, exemption=exemption, person_reasons=person_reasons.strip(), summary=summary.strip(),
        added_by=actor,
    )  # fmt: skip
    with transaction.atomic():
        audited_save(actor=actor, cpas=sitting.cpas, verb=AuditVerb.SANCTION_ITEM_ADDED, instance=item,
                     beneficiary_id=beneficiary.pk)  # fmt: skip
        if kind == ItemKind.IMPOSED_CLAUSES:
            item.clauses.set(clauses)
    return item


def item_remove(*, actor, item: SittingItem) -> None:
    """Take an undecided matter off the agenda (postponed): a dossier goes back to ready (remove_from_agenda)."""
    _open_agenda(item.sitting)
    if _has_decision(item):
        raise ServiceError("ITEM_ALREADY_DECIDED")
    with transaction.atomic():
        if item.dossier is not None:
            _move(actor, item.dossier, Transition.REMOVE_FROM_AGENDA, AuditVerb.SANCTION_ITEM_REMOVED)
        hearing = getattr(item, "hearing", None)
        if hearing is not None:
            audited_delete(actor=actor, cpas=item.cpas, verb=AuditVerb.SANCTION_ITEM_REMOVED, instance=hearing,
                           beneficiary_id=item.beneficiary_id)  # fmt: skip
        item.clauses.clear()
        audited_delete(actor=actor, cpas=item.cpas, verb=AuditVerb.SANCTION_ITEM_REMOVED, instance=item,
                       beneficiary_id=item.beneficiary_id)  # fmt: skip


def items_reorder(*, actor, sitting: CouncilSitting, order: Sequence[int]) -> None:
    """Put the agenda in the order given (every item of the sitting, by id)."""
    _open_agenda(sitting)
    items = {item.pk: item for item in sitting.items.all()}
    if sorted(order) != sorted(items):
        raise ServiceError("AGENDA_ORDER_INCOMPLETE")
    with transaction.atomic():
        for position, pk in enumerate(order, start=1):
            items[pk].position = position
            items[pk].save(update_fields=["position"])
        record(actor=actor, cpas=sitting.cpas, verb=AuditVerb.SANCTION_AGENDA_REORDERED, target=sitting,
               changes={"order": list(order)})  # fmt: skip


def item_hearing(
    *, actor, item: SittingItem, right_notified_on: date, answer: str, held_on: date | None = None,
    attendees: str = "", assistant: str = "", minutes: str = "",
) -> Hearing:  # fmt: skip
    """R40: the person told of the right to be heard before the council decides on their refusal to sign (or on the
    other matters), their answer and, if they asked, the hearing held (who attended, their assistant, minutes)."""
    if item.kind == ItemKind.SANCTION:
        raise ServiceError("DOSSIER_STEP_NOT_ALLOWED")
    if _has_decision(item):
        raise ServiceError("ITEM_ALREADY_DECIDED")
    _not_future(right_notified_on, "right_notified_on")
    if answer not in HearingAnswer.values:
        raise ServiceError("HEARING_ANSWER_UNKNOWN", field="answer")
    if held_on is not None:
        if answer != HearingAnswer.ASKED:
            raise ServiceError("HEARING_NOT_ASKED", field="held_on")
        _not_future(held_on, "held_on")
        if held_on < right_notified_on:
            raise ServiceError("HEARING_BEFORE_NOTIFICATION", field="held_on")
        attendees = _required(attendees, "HEARING_ATTENDEES_REQUIRED", "attendees")
        minutes = _required(minutes, "HEARING_MINUTES_REQUIRED", "minutes")
    hearing = getattr(item, "hearing", None) or Hearing(cpas=item.cpas, item=item, recorded_by=actor)
    hearing.right_notified_on, hearing.answer, hearing.held_on = right_notified_on, answer, held_on
    hearing.attendees, hearing.assistant, hearing.minutes = attendees.strip(), assistant.strip(), minutes.strip()
    return audited_save(actor=actor, cpas=item.cpas, verb=AuditVerb.SANCTION_ITEM_HEARING_RECORDED,
                        instance=hearing, beneficiary_id=item.beneficiary_id)  # fmt: skip


# --- decisions ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    """What the council decided on one item, as the secretary records it."""

    outcome: str
    motivation: str
    labour_court: str
    letter_language: str
    months: Decimal | None = None
    share: Decimal | None = None
    deferral: str = Deferral.NONE
    deferred_share: Decimal | None = None
    probation_end: date | None = None
    start_on: date | None = None
    ground: str = SuspensionGround.PIIS_NON_COMPLIANCE
    executes_deferral_of: Decision | None = None


def _check_deferral(given: DecisionInput, decided_on: date) -> Decimal | None:
    """R61: total (the whole suspension deferred) or partial (a share of it), until a probation end."""
    if given.deferral not in Deferral.values:
        raise ServiceError("DEFERRAL_UNKNOWN", field="deferral")
    if given.deferral == Deferral.NONE:
        return None
    if given.probation_end is None or given.probation_end <= decided_on:
        raise ServiceError("PROBATION_END_REQUIRED", field="probation_end", params={"date": decided_on})
    if given.deferral == Deferral.TOTAL:
        return Decimal(1)
    if given.deferred_share is None or not Decimal(0) < given.deferred_share < Decimal(1):
        raise ServiceError("DEFERRED_SHARE_REQUIRED", field="deferred_share")
    return given.deferred_share


def _check_execution_of(dossier: SanctionDossier, earlier: Decision | None) -> None:
    """R61: a deferred suspension is executed only by a new decision on a new breach, after the full procedure (this
    dossier's), of the same person, during the probation, and only once."""
    if earlier is None:
        return
    if (
        earlier.beneficiary_id != dossier.beneficiary_id
        or earlier.deferral == Deferral.NONE
        or earlier.dossier_id == dossier.pk
        or (earlier.dossier is not None and earlier.dossier.status == DossierStatus.ANNULLED)
    ):
        raise ServiceError("DEFERRAL_NOT_EXECUTABLE", field="executes_deferral_of")
    breach_on = dossier.breach.breach_on
    if not (earlier.decided_on < breach_on <= (earlier.probation_end or earlier.decided_on)):
        raise ServiceError("DEFERRAL_PROBATION_OVER", field="executes_deferral_of",
                           params={"date": earlier.probation_end})  # fmt: skip
    if earlier.executed_by.exists():
        raise ServiceError("DEFERRAL_ALREADY_EXECUTED", field="executes_deferral_of")


def _suspension(decision: Decision, dossier: SanctionDossier, given: DecisionInput) -> None:
    """R56–R62, R75: a suspension within the cap, a share, a deferral, a start inside the window, the ground."""
    if given.months is None:
        raise ServiceError("MONTHS_NOT_POSITIVE", field="months")
    if given.outcome == DecisionOutcome.TOTAL_SUSPENSION:
        share = Decimal(1)
    elif given.share is None or not Decimal(0) < given.share < Decimal(1):
        raise ServiceError("PARTIAL_SHARE_REQUIRED", field="share")
    else:
        share = given.share
    facts.check_decision(dossier, months=given.months, share=share)
    if given.ground != SuspensionGround.PIIS_NON_COMPLIANCE:  # R55: this procedure has one ground
        raise ServiceError("GROUND_NOT_OF_THIS_PROCEDURE", field="ground")
    cap = facts.sanction_cap(dossier)
    decision.months, decision.share, decision.ground = given.months, share, given.ground
    decision.max_months, decision.recidivism = cap.max_months, cap.recidivism
    deferred = _check_deferral(given, decision.decided_on)
    decision.deferral, decision.deferred_share = given.deferral, deferred
    decision.probation_end = given.probation_end if deferred is not None else None
    _check_execution_of(dossier, given.executes_deferral_of)
    if given.executes_deferral_of is not None and given.deferral == Deferral.TOTAL:
        raise ServiceError("DEFERRAL_NOT_EXECUTABLE", field="executes_deferral_of")
    decision.executes_deferral_of = given.executes_deferral_of
    if given.deferral == Deferral.TOTAL:
        decision.start_on = decision.end_on = None  # nothing is executed (T41)
        return
    if given.start_on is None:
        raise ServiceError("SUSPENSION_START_REQUIRED", field="start_on")
    # R62: the notification is not known yet; it cannot be before the decision, so the window is checked from the
    # decision day now and again with the real notification date when it is recorded (decision_notified).
    facts.check_start(decided_on=decision.decided_on, notified_on=decision.decided_on, start=given.start_on)
    decision.start_on = given.start_on
    decision.end_on = facts.suspension_end(given.start_on, given.months)


def decision_record(*, actor, item: SittingItem, given: DecisionInput) -> Decision:
    """The sitting's decision on one item, dated the sitting's day (held: not in the future). On a sanction dossier
    on the agenda: no sanction, or a suspension the core allows (facts.check_decision: the full procedure, no
    legitimate reason, no unmet tied commitment, within the cap); transition decide. On another matter: approved or
    rejected, a refusal to sign only after the person was told of the right to be heard (and heard if asked)."""
    sitting = item.sitting
    _open_agenda(sitting)
    if _has_decision(item):
        raise ServiceError("ITEM_ALREADY_DECIDED")
    decided_on = sitting.sits_on
    if decided_on > _today():
        raise ServiceError("SITTING_NOT_HELD_YET", params={"date": decided_on})
    from piis.accounts.enums import Language

    if given.letter_language not in Language.values:
        raise ServiceError("LETTER_LANGUAGE_REQUIRED", field="letter_language")
    decision = Decision(
        cpas=item.cpas, item_id=item.pk, dossier=item.dossier, beneficiary_id=item.beneficiary_id,
        decided_on=decided_on, outcome=given.outcome, recorded_by=actor, letter_language=given.letter_language,
        motivation=_required(given.motivation, "DECISION_MOTIVATION_REQUIRED", "motivation"),
        labour_court=_required(given.labour_court, "LABOUR_COURT_REQUIRED", "labour_court"),
    )  # fmt: skip
    if item.kind == ItemKind.SANCTION:
        dossier = item.dossier
        assert dossier is not None  # item_dossier_iff_sanction
        if given.outcome not in SANCTION_OUTCOMES:
            raise ServiceError("OUTCOME_NOT_FOR_THIS_MATTER", field="outcome")
        if dossier.status != DossierStatus.ON_AGENDA:
            raise ServiceError("DOSSIER_STEP_NOT_ALLOWED")
        if given.outcome in SUSPENSION_OUTCOMES:
            _suspension(decision, dossier, given)
    else:
        if given.outcome not in MATTER_OUTCOMES:
            raise ServiceError("OUTCOME_NOT_FOR_THIS_MATTER", field="outcome")
        if item.kind == ItemKind.REFUSAL_TO_SIGN:
            _heard(item)
    with transaction.atomic():
        audited_save(actor=actor, cpas=item.cpas, verb=AuditVerb.SANCTION_DECIDED, instance=decision,
                     beneficiary_id=item.beneficiary_id)  # fmt: skip
        if item.dossier is not None:
            _move(actor, item.dossier, Transition.DECIDE, AuditVerb.SANCTION_DECIDED)
        if sitting.status == SittingStatus.PLANNED:
            sitting.status = SittingStatus.HELD
            audited_save(actor=actor, cpas=sitting.cpas, verb=AuditVerb.SANCTION_DECIDED, instance=sitting)
    return decision


def _heard(item: SittingItem) -> None:
    """R40: before deciding on a refusal to sign, the person was told of the right to be heard, and heard if asked."""
    hearing = getattr(item, "hearing", None)
    if hearing is None:
        raise ServiceError("HEARING_NOT_OFFERED")
    if hearing.answer == HearingAnswer.PENDING:
        raise ServiceError("HEARING_ANSWER_PENDING")
    if hearing.answer == HearingAnswer.ASKED and hearing.held_on is None:
        raise ServiceError("HEARING_NOT_HELD")


def notification_apply(
    *, decision: Decision, letter_sent_on: date, delivery_method: str, notified_on: date, start_on: date | None = None
) -> Decision:
    """Check the sending and the notification and set them on `decision` (not saved): the letter can then be laid
    out with its appeal deadline before decision_notified stores both."""
    if decision.notified_on is not None:
        raise ServiceError("DECISION_ALREADY_NOTIFIED")
    if delivery_method not in DeliveryMethod.values:
        raise ServiceError("DELIVERY_METHOD_UNKNOWN", field="delivery_method")
    _not_future(letter_sent_on, "letter_sent_on")
    _not_future(notified_on, "notified_on")
    if letter_sent_on < decision.decided_on:
        raise ServiceError("LETTER_BEFORE_DECISION", field="letter_sent_on", params={"date": decision.decided_on})
    if notified_on < letter_sent_on:
        raise ServiceError("DELIVERED_BEFORE_SENT", field="notified_on", params={"date": letter_sent_on})
    if decision.start_on is not None:  # an executed suspension: R62 again, from the real notification
        start = start_on or decision.start_on
        assert decision.months is not None
        facts.check_start(decided_on=decision.decided_on, notified_on=notified_on, start=start)
        decision.start_on, decision.end_on = start, facts.suspension_end(start, decision.months)
    deadline = facts.appeal_deadline_for(notified_on)
    decision.letter_sent_on, decision.delivery_method = letter_sent_on, delivery_method
    decision.notified_on = notified_on
    decision.appeal_deadline_legal, decision.appeal_deadline = deadline.legal, deadline.effective
    return decision


def decision_notified(
    *, actor, decision: Decision, letter_sent_on: date, delivery_method: str, notified_on: date,
    start_on: date | None = None, letter_pdf: bytes | None = None,
) -> Decision:  # fmt: skip
    """The letter sent and the day it reached the person (R66: the registered letter presented, the notice of
    passage, or the signed acknowledgement): the appeal deadline follows (facts.appeal_deadline_for); an executed
    suspension's start is checked again inside the window from the real notification (R62), and may be moved.
    The letter as sent (with the deadline) is stored when its PDF is given."""
    notification_apply(decision=decision, letter_sent_on=letter_sent_on, delivery_method=delivery_method,
                       notified_on=notified_on, start_on=start_on)  # fmt: skip
    with transaction.atomic():
        if letter_pdf is not None:
            name = f"decision-{decision.pk}-{decision.letter_language}.pdf"
            decision.letter.save(name, ContentFile(letter_pdf), save=False)
        audited_save(actor=actor, cpas=decision.cpas, verb=AuditVerb.SANCTION_DECISION_NOTIFIED, instance=decision,
                     beneficiary_id=decision.beneficiary_id)  # fmt: skip
    return decision


# --- minutes -----------------------------------------------------------------------------------------------------


def minutes_close(*, actor, sitting: CouncilSitting, present: str, notes: str = "") -> CouncilSitting:
    """Close the minutes of a held sitting: who was present, other business; every item on the agenda decided
    (postponed ones are taken off first). The minutes PDF is laid out from these rows (pdf_council)."""
    _open_agenda(sitting)
    if sitting.sits_on > _today():
        raise ServiceError("SITTING_NOT_HELD_YET", params={"date": sitting.sits_on})
    if sitting.items.filter(decision__isnull=True).exists():
        raise ServiceError("ITEMS_NOT_DECIDED")
    sitting.present = _required(present, "PRESENT_MEMBERS_REQUIRED", "present")
    sitting.minutes_notes, sitting.minutes_closed_on = notes.strip(), _today()
    sitting.status = SittingStatus.MINUTES_CLOSED
    return audited_save(actor=actor, cpas=sitting.cpas, verb=AuditVerb.SANCTION_MINUTES_CLOSED, instance=sitting)


# --- appeal (R66) ------------------------------------------------------------------------------------------------


def appeal_lodge(*, actor, decision: Decision, lodged_on: date, court: str, reference: str = "") -> Appeal:
    """The person appealed to the labour court: a sanction dossier goes under appeal (lodge_appeal)."""
    _not_future(lodged_on, "lodged_on")
    if lodged_on < decision.decided_on:
        raise ServiceError("APPEAL_BEFORE_DECISION", field="lodged_on", params={"date": decision.decided_on})
    if decision.appeals.filter(outcome=AppealOutcome.PENDING).exists():
        raise ServiceError("APPEAL_ALREADY_PENDING")
    appeal = Appeal(cpas=decision.cpas, decision=decision, lodged_on=lodged_on, recorded_by=actor,
                    court=_required(court, "LABOUR_COURT_REQUIRED", "court"), reference=reference.strip())  # fmt: skip
    with transaction.atomic():
        audited_save(actor=actor, cpas=decision.cpas, verb=AuditVerb.SANCTION_APPEAL_LODGED, instance=appeal,
                     beneficiary_id=decision.beneficiary_id)  # fmt: skip
        if decision.dossier is not None:
            _move(actor, decision.dossier, Transition.LODGE_APPEAL, AuditVerb.SANCTION_APPEAL_LODGED)
    return appeal


def appeal_outcome(*, actor, appeal: Appeal, outcome: str, outcome_on: date | None, note: str = "") -> Appeal:
    """The court's judgment: confirmed or withdrawn (the dossier is decided again: appeal_rejected), or annulled
    (annul: the sanction no longer counts for recidivism, facts.previous_sanction_dates, and the next payment export
    reverses what was exported)."""
    if appeal.outcome != AppealOutcome.PENDING:
        raise ServiceError("APPEAL_ALREADY_JUDGED")
    if outcome not in AppealOutcome.values or outcome == AppealOutcome.PENDING:
        raise ServiceError("APPEAL_OUTCOME_UNKNOWN", field="outcome")
    if outcome_on is None:
        raise ServiceError("JUDGMENT_DATE_REQUIRED", field="outcome_on")
    _not_future(outcome_on, "outcome_on")
    if outcome_on < appeal.lodged_on:
        raise ServiceError("JUDGMENT_BEFORE_APPEAL", field="outcome_on")
    appeal.outcome, appeal.outcome_on, appeal.outcome_note = outcome, outcome_on, note.strip()
    decision = appeal.decision
    with transaction.atomic():
        audited_save(actor=actor, cpas=appeal.cpas, verb=AuditVerb.SANCTION_APPEAL_JUDGED, instance=appeal,
                     beneficiary_id=decision.beneficiary_id)  # fmt: skip
        if decision.dossier is not None:
            step = Transition.ANNUL if outcome == AppealOutcome.ANNULLED else Transition.APPEAL_REJECTED
            _move(actor, decision.dossier, step, AuditVerb.SANCTION_APPEAL_JUDGED)
    return appeal


# --- execution: the payment export (layout in docs/sanctions.md) ------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One period to export: the executed part of a decision, or the deferred part of an earlier one that a new
    decision executes (R61)."""

    decision: Decision
    start_on: date
    end_on: date
    share: Decimal
    months: Decimal
    gross_share: Decimal  # the share decided, and the part of it not executed: for the amount (withheld_amount)
    not_executed: Decimal


def _ri_monthly(decision: Decision, on: date) -> Decimal | None:
    from piis.cases.models import RiDecision

    row = (
        RiDecision.objects.for_cpas(decision.cpas_id)
        .filter(beneficiary_id=decision.beneficiary_id, start_on__lte=on)
        .exclude(end_on__lt=on)
        .order_by("-decided_on", "-id")
        .first()
    )
    return row.monthly_amount if row is not None else None


def periods_due(cpas) -> list[Due]:
    """The suspension periods executed and not yet exported: notified decisions of dossiers decided or under appeal
    (an appeal does not suspend), not totally deferred; plus the deferred part of an earlier decision that a new
    notified decision executes, from the day after the new period."""
    from datetime import timedelta

    decisions = (
        Decision.objects.for_cpas(cpas)
        .filter(outcome__in=SUSPENSION_OUTCOMES, notified_on__isnull=False, start_on__isnull=False)
        .filter(dossier__status__in=[DossierStatus.DECIDED, DossierStatus.APPEALED])
        .select_related("beneficiary", "executes_deferral_of", "dossier")
        .order_by("start_on", "id")
    )
    exported = set(
        PaymentLine.objects.for_cpas(cpas)
        .filter(kind=PaymentLineKind.SUSPENSION)
        .values_list("decision_id", "start_on")
    )
    due: list[Due] = []
    for d in decisions:
        assert d.months is not None and d.share is not None and d.end_on is not None
        net = facts.executed_share(share=d.share, deferred_share=d.deferred_share)
        if (d.pk, d.start_on) not in exported:
            due.append(Due(d, d.start_on, d.end_on, net, d.months, d.share, d.deferred_share or Decimal(0)))
        earlier = d.executes_deferral_of
        if earlier is not None and earlier.deferred_share and earlier.months and earlier.share:
            start = d.end_on + timedelta(days=1)
            if (earlier.pk, start) not in exported:
                part = facts.executed_share(share=earlier.share, deferred_share=Decimal(1) - earlier.deferred_share)
                end = facts.suspension_end(start, earlier.months)
                rest = Decimal(1) - earlier.deferred_share
                due.append(Due(earlier, start, end, part, earlier.months, earlier.share, rest))
    return due


def reversals_due(cpas) -> list[PaymentLine]:
    """Exported suspension lines of an annulled decision, not reversed yet."""
    return list(
        PaymentLine.objects.for_cpas(cpas)
        .filter(
            kind=PaymentLineKind.SUSPENSION, decision__dossier__status=DossierStatus.ANNULLED, reversed_by__isnull=True
        )  # fmt: skip
        .select_related("decision", "beneficiary")
        .order_by("start_on", "id")
    )


def payments_export(*, actor, cpas) -> PaymentExport | None:
    """Store one export of every period due and every reversal due (None when there is nothing to export). The CSV
    is laid out from the stored lines (export.export_csv), so the same file can be downloaded again."""
    due, reversals = periods_due(cpas), reversals_due(cpas)
    if not due and not reversals:
        return None
    now = timezone.localtime()
    with transaction.atomic():
        export = PaymentExport(cpas=cpas, exported_by=actor, file_name=f"suspensions-{now:%Y%m%d-%H%M%S}.csv")
        audited_save(actor=actor, cpas=cpas, verb=AuditVerb.SANCTION_PAYMENTS_EXPORTED, instance=export)
        for period in due:
            d = period.decision
            ri = _ri_monthly(d, period.start_on)
            amount = None
            if ri is not None:
                amount = facts.withheld_amount(ri_monthly=ri, months=period.months, share=period.gross_share,
                                               deferred_share=period.not_executed)  # fmt: skip
            line = PaymentLine.objects.create(
                cpas=cpas, export=export, decision=d, beneficiary_id=d.beneficiary_id, kind=PaymentLineKind.SUSPENSION,
                start_on=period.start_on, end_on=period.end_on, share=period.share, amount=amount,
            )  # fmt: skip
            record(actor=actor, cpas=cpas, verb=AuditVerb.SANCTION_PAYMENTS_EXPORTED, target=line,
                   beneficiary_id=d.beneficiary_id)  # fmt: skip
        for old in reversals:
            line = PaymentLine.objects.create(
                cpas=cpas, export=export, decision=old.decision, beneficiary_id=old.beneficiary_id,
                kind=PaymentLineKind.REVERSAL, start_on=old.start_on, end_on=old.end_on, share=old.share,
                amount=-old.amount if old.amount is not None else None, reverses=old,
            )  # fmt: skip
            record(actor=actor, cpas=cpas, verb=AuditVerb.SANCTION_PAYMENTS_EXPORTED, target=line,
                   beneficiary_id=old.beneficiary_id)  # fmt: skip
    return export
