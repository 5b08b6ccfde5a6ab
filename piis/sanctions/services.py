"""The non-compliance procedure up to "ready for the council" (R40, R56, R57, R63; S-Dec 12–15, S-Time 21–22).

Every write records its audit event (AuditVerb.SANCTION_*) in the same transaction, on the person's file
(`beneficiary_id`), so the DPO's trail and the person's timeline show each step. Only the transition services change
`SanctionDossier.status`, each after enums.can_transition; the law is asked through sanctions/facts.py only.
The steps before the council are recorded while the dossier is being prepared (enums.PREPARATION_STATUSES) and
corrected in place (the audit trail keeps the earlier values).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_delete, audited_save, record
from piis.contracts.models import Clause, Contract
from piis.core.errors import ServiceError
from piis.sanctions import facts
from piis.sanctions.enums import (
    PREPARATION_STATUSES,
    AnswerKind,
    BreachKind,
    ClosureReason,
    DeliveryMethod,
    DossierStatus,
    EvidenceSource,
    HearingAnswer,
    ProposedOutcome,
    Transition,
    can_transition,
    transition_target,
)
from piis.sanctions.models import (
    BreachReport,
    CommitmentCheck,
    CommitmentCheckLine,
    EvidenceExtract,
    FormalNotice,
    Hearing,
    PersonAnswer,
    SanctionDossier,
    WorkerOpinion,
)

__all__ = [
    "answer_record",
    "breach_correct",
    "commitments_check",
    "commitments_override",
    "dossier_back_to_preparation",
    "dossier_close",
    "dossier_mark_ready",
    "dossier_open",
    "evidence_add",
    "evidence_disclosed",
    "evidence_remove",
    "hearing_answer",
    "hearing_held",
    "hearing_right_notified",
    "legitimate_reason_answer",
    "notice_delivered",
    "notice_prepare",
    "notice_send",
    "opinion_record",
    "recent_piis_review",
]


def _today() -> date:
    return timezone.localdate()


def _not_future(day: date, field: str) -> None:
    if day > _today():
        raise ServiceError("DATE_IN_FUTURE", field=field)


def _save(actor, dossier: SanctionDossier, verb: AuditVerb, instance, context: str = ""):
    return audited_save(
        actor=actor, cpas=dossier.cpas, verb=verb, instance=instance, beneficiary_id=dossier.beneficiary_id,
        context=context,
    )  # fmt: skip


def _preparing(dossier: SanctionDossier) -> None:
    if dossier.status not in PREPARATION_STATUSES:
        raise ServiceError("DOSSIER_NOT_IN_PREPARATION")


def _move(actor, dossier: SanctionDossier, transition: Transition, verb: AuditVerb, **fields) -> SanctionDossier:
    """Take one step of the transitions table (enums.TRANSITIONS) and record it as `verb`."""
    if not can_transition(dossier.status, transition):
        raise ServiceError("DOSSIER_STEP_NOT_ALLOWED")
    dossier.status = transition_target(dossier.status, transition)
    for name, value in fields.items():
        setattr(dossier, name, value)
    return _save(actor, dossier, verb, dossier)


# --- opening: the breach (S-Dec 12, S-Time 21, S-Time 22) ----------------------------------------------------------


def dossier_open(
    *, actor, contract: Contract, clause: Clause, breach_on: date, facts_text: str,
    kind: str = BreachKind.EFFORT_NOT_MADE,
) -> SanctionDossier:  # fmt: skip
    """Open a procedure on a breach of one of the person's own sanctionable commitments of a PIIS in force on
    `breach_on` (the core decides: facts.clause_in_force). The commitment's text as agreed that day is copied.
    S-Time 22: a PIIS concluded or amended shortly before is flagged for the team lead's review."""
    if clause.contract_id != contract.pk:
        raise ServiceError("CLAUSE_OF_ANOTHER_CONTRACT", field="clause")
    _not_future(breach_on, "breach_on")
    if not facts_text.strip():
        raise ServiceError("BREACH_FACTS_REQUIRED", field="facts")
    agreed = facts.clause_in_force(clause, breach_on=breach_on, breach_kind=kind)
    today = _today()
    with transaction.atomic():
        dossier = SanctionDossier(
            cpas=contract.cpas, beneficiary=contract.beneficiary, contract=contract, opened_on=today,
            opened_by=actor, recent_piis_on=facts.recent_piis_on(contract, opened_on=today),
        )  # fmt: skip
        _save(actor, dossier, AuditVerb.SANCTION_PROCEDURE_STARTED, dossier)
        breach = BreachReport(
            cpas=contract.cpas, dossier=dossier, clause=clause, clause_text=agreed.text,
            clause_in_force_from=agreed.in_force_from, contract_version=agreed.version_number, breach_on=breach_on,
            kind=kind, facts=facts_text.strip(), reported_by=actor,
        )  # fmt: skip
        _save(actor, dossier, AuditVerb.SANCTION_PROCEDURE_STARTED, breach)
    return dossier


def breach_correct(*, actor, dossier: SanctionDossier, breach_on: date, facts_text: str) -> BreachReport:
    """Correct the date or facts before the notice is sent (the notice states them)."""
    if dossier.status != DossierStatus.OPEN:
        raise ServiceError("BREACH_FIXED_BY_NOTICE")
    _not_future(breach_on, "breach_on")
    breach = dossier.breach
    agreed = facts.clause_in_force(breach.clause, breach_on=breach_on, breach_kind=breach.kind)
    breach.breach_on, breach.facts = breach_on, facts_text.strip()
    breach.clause_text, breach.clause_in_force_from = agreed.text, agreed.in_force_from
    breach.contract_version = agreed.version_number
    return _save(actor, dossier, AuditVerb.SANCTION_BREACH_CORRECTED, breach)


# --- evidence (S-Dec 12) ---------------------------------------------------------------------------------------------


def evidence_add(
    *, actor, dossier: SanctionDossier, source: str, source_date: date, passage: str, evaluation=None,
    source_label: str = "",
) -> EvidenceExtract:  # fmt: skip
    """A passage a worker extracts from the support file: the only way a note or an evaluation becomes evidence."""
    _preparing(dossier)
    _not_future(source_date, "source_date")
    if evaluation is not None and evaluation.contract.beneficiary_id != dossier.beneficiary_id:
        raise ServiceError("EVALUATION_OF_ANOTHER_PERSON", field="evaluation")
    if source == EvidenceSource.EVALUATION and evaluation is None:
        raise ServiceError("EVIDENCE_EVALUATION_REQUIRED", field="evaluation")
    extract = EvidenceExtract(
        cpas=dossier.cpas, dossier=dossier, source=source, evaluation=evaluation, source_date=source_date,
        source_label=source_label, passage=passage.strip(), extracted_by=actor, extracted_on=_today(),
    )  # fmt: skip
    return _save(actor, dossier, AuditVerb.SANCTION_EVIDENCE_EXTRACTED, extract)


def evidence_disclosed(*, actor, extract: EvidenceExtract, disclosed_on: date) -> EvidenceExtract:
    _not_future(disclosed_on, "disclosed_on")
    extract.disclosed_on = disclosed_on
    return _save(actor, extract.dossier, AuditVerb.SANCTION_EVIDENCE_DISCLOSED, extract)


def evidence_remove(*, actor, extract: EvidenceExtract) -> None:
    """A passage not yet disclosed may be taken out again (a disclosed one stays: the person has read it)."""
    dossier = extract.dossier
    _preparing(dossier)
    if extract.disclosed_on is not None:
        raise ServiceError("EVIDENCE_ALREADY_DISCLOSED")
    audited_delete(actor=actor, cpas=dossier.cpas, verb=AuditVerb.SANCTION_EVIDENCE_REMOVED, instance=extract,
                   beneficiary_id=dossier.beneficiary_id)  # fmt: skip


# --- the formal notice (R63, R56.2) ----------------------------------------------------------------------------------


def notice_prepare(*, actor, dossier: SanctionDossier, comply_by: date, language: str) -> FormalNotice:
    """Prepare (or change, before it is sent) the notice: its language and the date to comply or explain; the range
    printed is the core's cap for this breach (facts.sanction_cap)."""
    if dossier.status != DossierStatus.OPEN:
        raise ServiceError("NOTICE_ALREADY_SENT")
    if comply_by <= _today():
        raise ServiceError("COMPLY_BY_NOT_AFTER_SENDING", field="comply_by")
    notice = getattr(dossier, "notice", None) or FormalNotice(cpas=dossier.cpas, dossier=dossier)
    notice.comply_by, notice.language = comply_by, language
    notice.max_months = facts.sanction_cap(dossier).max_months
    verb = AuditVerb.SANCTION_NOTICE_PREPARED
    return _save(actor, dossier, verb, notice)


def notice_send(*, actor, dossier: SanctionDossier, sent_on: date, letter_pdf: bytes | None = None) -> FormalNotice:
    """Record the sending; the letter as sent is stored (frozen) when its PDF is given."""
    notice = getattr(dossier, "notice", None)
    if notice is None:
        raise ServiceError("NOTICE_NOT_PREPARED")
    _not_future(sent_on, "sent_on")
    if sent_on < dossier.breach.breach_on:
        raise ServiceError("NOTICE_BEFORE_BREACH", field="sent_on", params={"date": dossier.breach.breach_on})
    if notice.comply_by <= sent_on:
        raise ServiceError("COMPLY_BY_NOT_AFTER_SENDING", field="sent_on")
    with transaction.atomic():
        notice.sent_on, notice.sent_by = sent_on, actor
        if letter_pdf is not None:
            from django.core.files.base import ContentFile

            notice.letter.save(f"notice-{dossier.pk}-{notice.language}.pdf", ContentFile(letter_pdf), save=False)
        _save(actor, dossier, AuditVerb.SANCTION_NOTICE_SENT, notice)
        _move(actor, dossier, Transition.SEND_NOTICE, AuditVerb.SANCTION_NOTICE_SENT)
        # The letter quotes every passage extracted so far: they are disclosed to the person with it (S-Dec 12).
        for extract in EvidenceExtract.objects.for_cpas(dossier.cpas_id).filter(dossier=dossier, disclosed_on=None):
            extract.dossier = dossier
            evidence_disclosed(actor=actor, extract=extract, disclosed_on=sent_on)
    return notice


def notice_delivered(*, actor, dossier: SanctionDossier, delivered_on: date, method: str) -> FormalNotice:
    """S-Dec 13: the delivery date is known (registered letter presented, notice of passage, handed over)."""
    notice = getattr(dossier, "notice", None)
    if notice is None or notice.sent_on is None:
        raise ServiceError("NOTICE_NOT_SENT")
    if method not in DeliveryMethod.values:
        raise ServiceError("DELIVERY_METHOD_UNKNOWN", field="delivery_method")
    _not_future(delivered_on, "delivered_on")
    if delivered_on < notice.sent_on:
        raise ServiceError("DELIVERED_BEFORE_SENT", field="delivered_on", params={"date": notice.sent_on})
    with transaction.atomic():
        notice.delivered_on, notice.delivery_method = delivered_on, method
        _save(actor, dossier, AuditVerb.SANCTION_NOTICE_DELIVERED, notice)
        if can_transition(dossier.status, Transition.RECORD_DELIVERY):
            _move(actor, dossier, Transition.RECORD_DELIVERY, AuditVerb.SANCTION_NOTICE_DELIVERED)
    return notice


# --- the person's answer and the legitimate reason (R57, S-Dec 14) ---------------------------------------------------


def answer_record(
    *, actor, dossier: SanctionDossier, kind: str, answered_on: date | None, answer_text: str,
    legitimate_reason_invoked: bool,
) -> PersonAnswer:  # fmt: skip
    """The person's answer to the notice, or their silence once the date to comply or explain has passed."""
    _preparing(dossier)
    notice = getattr(dossier, "notice", None)
    if notice is None or notice.sent_on is None:
        raise ServiceError("NOTICE_NOT_SENT")
    if kind == AnswerKind.SILENCE:
        if _today() <= notice.comply_by:
            raise ServiceError("SILENCE_BEFORE_DEADLINE", field="kind", params={"date": notice.comply_by})
        answered_on, answer_text, legitimate_reason_invoked = None, "", False
    else:
        if answered_on is None:
            raise ServiceError("ANSWER_DATE_REQUIRED", field="answered_on")
        _not_future(answered_on, "answered_on")
        if answered_on < notice.sent_on:
            raise ServiceError("ANSWER_BEFORE_NOTICE", field="answered_on", params={"date": notice.sent_on})
        if not answer_text.strip():
            raise ServiceError("ANSWER_TEXT_REQUIRED", field="answer_text")
    answer = getattr(dossier, "answer", None) or PersonAnswer(cpas=dossier.cpas, dossier=dossier)
    answer.kind, answer.answered_on, answer.answer_text = kind, answered_on, answer_text.strip()
    answer.legitimate_reason_invoked, answer.recorded_by = legitimate_reason_invoked, actor
    return _save(actor, dossier, AuditVerb.SANCTION_ANSWER_RECORDED, answer)


def legitimate_reason_answer(*, actor, dossier: SanctionDossier, found: bool, assessment: str) -> PersonAnswer:
    """S-Dec 14: the CPAS answers the question of a legitimate reason, yes or no, with its text (T34: a legitimate
    reason found leaves "no sanction" as the only possible decision)."""
    _preparing(dossier)
    answer = getattr(dossier, "answer", None)
    if answer is None:
        raise ServiceError("ANSWER_MISSING")
    if not assessment.strip():
        raise ServiceError("REASON_ASSESSMENT_INCOMPLETE", field="assessment")
    answer.legitimate_reason_found, answer.legitimate_reason_assessment = found, assessment.strip()
    return _save(actor, dossier, AuditVerb.SANCTION_REASON_ANSWERED, answer)


# --- the CPAS's and third parties' commitments (R57, S-Dec 13) -------------------------------------------------------


def commitments_check(*, actor, dossier: SanctionDossier, tied: set[int] | None = None) -> CommitmentCheck:
    """Copy the CPAS's and third parties' commitments due on or before the breach with their delivery status as the
    follow-up has it now. `tied`: the ids the worker ties to the breached commitment; by default those serving the
    same objective. Checking again replaces the lines (the audit keeps the earlier check)."""
    from piis.sanctions.selectors import commitments_due

    _preparing(dossier)
    due = commitments_due(dossier)
    breached = dossier.breach.clause
    if tied is None:
        tied = {c.pk for c in due if breached.objective_id is not None and c.objective_id == breached.objective_id}
    unknown = set(tied) - {c.pk for c in due}
    if unknown:
        raise ServiceError("CLAUSE_OF_ANOTHER_CONTRACT", field="tied")
    with transaction.atomic():
        check = getattr(dossier, "commitment_check", None) or CommitmentCheck(cpas=dossier.cpas, dossier=dossier)
        check.checked_on, check.checked_by = _today(), actor
        _save(actor, dossier, AuditVerb.SANCTION_COMMITMENTS_CHECKED, check)
        CommitmentCheckLine.objects.for_cpas(dossier.cpas_id).filter(commitment_check=check).delete()
        lines = [
            CommitmentCheckLine(
                cpas=dossier.cpas,
                commitment_check=check,
                clause=clause,
                party=clause.party,
                clause_text=clause.text,
                due_on=clause.due_on,
                delivery=facts.delivery_of(clause),
                delivery_on=clause.delivery_status_on,
                tied=clause.pk in tied,
            )  # fmt: skip
            for clause in due
        ]
        CommitmentCheckLine.objects.bulk_create(lines)
        record(
            actor=actor, cpas=dossier.cpas, verb=AuditVerb.SANCTION_COMMITMENTS_CHECKED, target=check,
            beneficiary_id=dossier.beneficiary_id,
            changes={"lines": [None, [[line.clause_id, line.delivery, line.tied] for line in lines]]},
        )  # fmt: skip
    return check


def commitments_override(*, actor, dossier: SanctionDossier, motivation: str) -> CommitmentCheck:
    """R57, S-Dec 13: going on despite an unmet commitment tied to the breach needs a written motivation."""
    _preparing(dossier)
    check = getattr(dossier, "commitment_check", None)
    if check is None:
        raise ServiceError("COMMITMENTS_NOT_CHECKED")
    if not facts.unmet_tied_commitments(dossier):
        raise ServiceError("NOTHING_TO_OVERRIDE")
    if not motivation.strip():
        raise ServiceError("OVERRIDE_MOTIVATION_REQUIRED", field="motivation")
    check.override_motivation, check.override_by, check.override_on = motivation.strip(), actor, _today()
    return _save(actor, dossier, AuditVerb.SANCTION_OVERRIDE_MOTIVATED, check)


# --- the social worker's opinion (R56.4) -----------------------------------------------------------------------------


def opinion_record(
    *, actor, dossier: SanctionDossier, opinion: str, proposal: str, months: Decimal | None = None,
    share: Decimal | None = None, given_on: date | None = None,
) -> WorkerOpinion:  # fmt: skip
    _preparing(dossier)
    given_on = given_on or _today()
    _not_future(given_on, "given_on")
    if not opinion.strip():
        raise ServiceError("OPINION_MISSING", field="opinion")
    if proposal == ProposedOutcome.NO_SANCTION:
        months = share = None
    elif months is None:
        raise ServiceError("MONTHS_NOT_POSITIVE", field="proposed_months")
    else:
        cap = facts.sanction_cap(dossier).max_months
        if months > cap:
            raise ServiceError("SANCTION_TOO_LONG", field="proposed_months", params={"max_months": cap})
    row = getattr(dossier, "opinion", None) or WorkerOpinion(cpas=dossier.cpas, dossier=dossier)
    row.opinion, row.proposal, row.proposed_months = opinion.strip(), proposal, months
    row.proposed_share = share if share is not None or proposal == ProposedOutcome.NO_SANCTION else Decimal(1)
    row.given_on, row.given_by = given_on, actor
    return _save(actor, dossier, AuditVerb.SANCTION_OPINION_GIVEN, row)


# --- the hearing (R40, R56.5) ----------------------------------------------------------------------------------------


def hearing_right_notified(
    *, actor, dossier: SanctionDossier, notified_on: date, reply_by: date | None = None
) -> Hearing:
    _preparing(dossier)
    _not_future(notified_on, "right_notified_on")
    if reply_by is not None and reply_by < notified_on:
        raise ServiceError("HEARING_BEFORE_NOTIFICATION", field="reply_by")
    hearing = getattr(dossier, "hearing", None) or Hearing(cpas=dossier.cpas, dossier=dossier, recorded_by=actor)
    hearing.right_notified_on, hearing.reply_by = notified_on, reply_by
    return _save(actor, dossier, AuditVerb.SANCTION_HEARING_RIGHT_NOTIFIED, hearing)


def hearing_answer(
    *, actor, dossier: SanctionDossier, answer: str, asked_on: date | None = None, scheduled_on: date | None = None
) -> Hearing:
    _preparing(dossier)
    hearing = getattr(dossier, "hearing", None)
    if hearing is None:
        raise ServiceError("HEARING_RIGHT_NOT_NOTIFIED")
    if answer not in HearingAnswer.values:
        raise ServiceError("HEARING_ANSWER_UNKNOWN", field="answer")
    if answer == HearingAnswer.ASKED and asked_on is None:
        raise ServiceError("HEARING_ASKED_DATE_REQUIRED", field="asked_on")
    if answer == HearingAnswer.NO_REPLY and (hearing.reply_by is None or _today() <= hearing.reply_by):
        raise ServiceError("NO_REPLY_BEFORE_DEADLINE", field="answer")
    if answer != HearingAnswer.ASKED:
        asked_on = scheduled_on = None
    elif asked_on is not None:
        _not_future(asked_on, "asked_on")
    hearing.answer, hearing.asked_on, hearing.scheduled_on = answer, asked_on, scheduled_on
    return _save(actor, dossier, AuditVerb.SANCTION_HEARING_ANSWER_RECORDED, hearing)


def hearing_held(
    *, actor, dossier: SanctionDossier, held_on: date, attendees: str, assistant: str = "", minutes: str
) -> Hearing:
    """The hearing the person asked for, held: who attended, the person's assistant (R38), the minutes."""
    hearing = getattr(dossier, "hearing", None)
    if hearing is None or hearing.answer != HearingAnswer.ASKED:
        raise ServiceError("HEARING_NOT_ASKED")
    if dossier.status not in PREPARATION_STATUSES | {DossierStatus.READY, DossierStatus.ON_AGENDA}:
        raise ServiceError("DOSSIER_NOT_IN_PREPARATION")
    _not_future(held_on, "held_on")
    if not attendees.strip():
        raise ServiceError("HEARING_ATTENDEES_REQUIRED", field="attendees")
    if not minutes.strip():
        raise ServiceError("HEARING_MINUTES_REQUIRED", field="minutes")
    hearing.held_on, hearing.attendees = held_on, attendees.strip()
    hearing.assistant, hearing.minutes = assistant.strip(), minutes.strip()
    return _save(actor, dossier, AuditVerb.SANCTION_HEARING_HELD, hearing)


# --- S-Time 22: the team lead's review -------------------------------------------------------------------------------


def recent_piis_review(*, actor, dossier: SanctionDossier, note: str) -> SanctionDossier:
    if dossier.recent_piis_on is None:
        raise ServiceError("NO_RECENT_PIIS_ALERT")
    if not note.strip():
        raise ServiceError("REVIEW_NOTE_REQUIRED", field="note")
    dossier.recent_piis_review_note, dossier.recent_piis_reviewed_by = note.strip(), actor
    dossier.recent_piis_reviewed_on = _today()
    return _save(actor, dossier, AuditVerb.SANCTION_RECENT_PIIS_REVIEWED, dossier)


# --- ready for the council, back to preparation, closed ----------------------------------------------------------


def dossier_mark_ready(*, actor, dossier: SanctionDossier) -> SanctionDossier:
    """S-Dec 13, 14: only with an empty checklist (selectors.readiness); ServiceError READINESS_PROBLEMS with the
    problems' codes otherwise."""
    from piis.sanctions.selectors import readiness

    problems = readiness(dossier)
    if problems:
        raise ServiceError("READINESS_PROBLEMS", params={"problems": [p.code for p in problems]})
    return _move(actor, dossier, Transition.MARK_READY, AuditVerb.SANCTION_DOSSIER_READY, ready_on=_today())


def dossier_back_to_preparation(*, actor, dossier: SanctionDossier) -> SanctionDossier:
    return _move(actor, dossier, Transition.REOPEN_PREPARATION, AuditVerb.SANCTION_DOSSIER_REOPENED, ready_on=None)


def dossier_close(*, actor, dossier: SanctionDossier, reason: str, note: str) -> SanctionDossier:
    """End the procedure without going to the council, with the reason the register lists (excluded ones too)."""
    if reason not in ClosureReason.values:
        raise ServiceError("CLOSURE_REASON_REQUIRED", field="reason")
    if not note.strip():
        raise ServiceError("CLOSURE_NOTE_REQUIRED", field="note")
    return _move(actor, dossier, Transition.CLOSE, AuditVerb.SANCTION_DOSSIER_CLOSED, closed_on=_today(),
                 closure_reason=reason, closure_note=note.strip())  # fmt: skip
