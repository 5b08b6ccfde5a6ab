"""Writes of the follow-up: evaluations (R45, R48), meeting requests (R41), calendar feeds, reminders.

An evaluation records difficulties and agreed adjustments; it never creates a breach, a formal notice or any
sanction object (S-Dec 12): a breach is a separate record with its own conditions (issue 7).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any
from uuid import UUID

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from piis.accounts.models import Cpas, Membership
from piis.accounts.selectors import closure_days
from piis.audit.enums import AuditVerb
from piis.audit.services import audited_delete, audited_save, record
from piis.cases.models import Beneficiary
from piis.contracts.enums import CommitmentStatus, ContractStatus
from piis.core.errors import ServiceError
from piis.followup.deadlines import refresh_stale_for_cpas
from piis.followup.enums import Delivery, MeetingStatus
from piis.followup.models import (
    CalendarFeed,
    CommitmentReview,
    Deadline,
    Evaluation,
    MeetingRequest,
    ObjectiveProgress,
    Reminder,
)
from piis.followup.perms import CASELOAD_ROLES
from piis.followup.selectors import AgendaItem, agenda_for_cpas
from piis.rules import InvalidInput, meeting_deadline

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgressEntry:
    objective: object
    progress: str  # "" = not assessed this time
    note: str = ""


@dataclass(frozen=True)
class DeliveryEntry:
    clause: object
    delivery: str  # "" = not reviewed this time
    note: str = ""


def _check_evaluation_dates(contract, held_on: date, today: date) -> None:
    if contract.signed_on is None or held_on < contract.signed_on:
        raise ServiceError("EVALUATION_BEFORE_CONCLUSION", field="held_on")
    if contract.ended_on is not None and held_on > contract.ended_on:
        raise ServiceError("EVALUATION_AFTER_END", field="held_on")
    if held_on > today:
        raise ServiceError("EVALUATION_IN_FUTURE", field="held_on")


@transaction.atomic
def evaluation_save(
    *,
    membership,
    contract,
    evaluation: Evaluation,
    third_parties=(),
    progress: Sequence[ProgressEntry] = (),
    deliveries: Sequence[DeliveryEntry] = (),
    today: date,
    context: str = "",
    submission_key: UUID | None = None,
) -> Evaluation:
    """Record (or correct) one evaluation of a concluded PIIS, with progress per objective and the delivery of the
    CPAS's and third parties' commitments. New evaluations only on a PIIS in force.

    ServiceError on `held_on` (EVALUATION_BEFORE_CONCLUSION, EVALUATION_AFTER_END, EVALUATION_IN_FUTURE) or
    EVALUATION_CONTRACT_NOT_IN_FORCE. Writes nothing else: no breach, no notice (S-Dec 12).

    `submission_key` (a new evaluation only): the same key sent again records nothing and returns the evaluation
    it recorded; two sends at once take turns on the contract's row, so the second finds the first.
    """
    assert contract.cpas_id == membership.cpas_id
    is_new = evaluation.pk is None
    if is_new and submission_key is not None:
        type(contract).objects.select_for_update().filter(pk=contract.pk).values_list("pk", flat=True).first()
        done = evaluation_submitted(membership=membership, contract=contract, submission_key=submission_key)
        if done is not None:
            return done
        evaluation.submission_key = submission_key
    allowed = {ContractStatus.IN_FORCE} if is_new else {ContractStatus.IN_FORCE, ContractStatus.ENDED}
    if contract.status not in allowed:
        raise ServiceError("EVALUATION_CONTRACT_NOT_IN_FORCE")
    _check_evaluation_dates(contract, evaluation.held_on, today)
    evaluation.cpas = membership.cpas
    evaluation.contract = contract
    if is_new:
        # An integration (piis.api.principal.ApiActor) has no account: its name is kept instead, as in the audit row.
        evaluation.recorded_by = membership.user if membership.user.pk is not None else None
        evaluation.recorded_by_label = "" if membership.user.pk is not None else str(membership.user)[:150]
    audit = {
        "actor": membership.user,
        "cpas": membership.cpas,
        "context": context,
        "beneficiary_id": contract.beneficiary_id,
        "verb": AuditVerb.EVALUATION_RECORDED if is_new else AuditVerb.EVALUATION_CORRECTED,
    }
    audited_save(instance=evaluation, **audit)
    before = set(evaluation.third_parties.values_list("pk", flat=True))
    after = {tp.pk for tp in third_parties if tp.contract_id == contract.pk}
    if before != after:
        evaluation.third_parties.set(after)
        record(
            target=evaluation,
            changes={"third_parties": [sorted(before), sorted(after)]},
            **audit,
        )
    _save_lines(
        evaluation, ObjectiveProgress, "objective", [(e.objective, e.progress, e.note) for e in progress], audit
    )
    _save_lines(evaluation, CommitmentReview, "clause", [(e.clause, e.delivery, e.note) for e in deliveries], audit)
    for entry in deliveries:
        clause: Any = entry.clause  # a contracts.Clause
        if clause.contract_id == contract.pk:
            _apply_review(clause, DELIVERY_FROM_REVIEW.get(entry.delivery), evaluation.held_on, audit)
    return evaluation


def evaluation_submitted(*, membership, contract, submission_key: UUID | None) -> Evaluation | None:
    """The evaluation already recorded on `contract` by the request of `submission_key`, if any."""
    if submission_key is None:
        return None
    return (
        Evaluation.objects.for_cpas(membership.cpas).filter(contract=contract, submission_key=submission_key).first()
    )


# What an evaluation's review of a commitment says of its delivery status; "not yet due" (or no answer) leaves it.
DELIVERY_FROM_REVIEW: dict[str, str] = {
    Delivery.DELIVERED: CommitmentStatus.DONE,
    Delivery.PARTLY: CommitmentStatus.IN_PROGRESS,
    Delivery.NOT_DELIVERED: CommitmentStatus.NOT_DONE,
}


def _apply_review(clause, status: str | None, held_on: date, audit) -> None:
    """The clause's current delivery status follows its latest review: a review older than the status recorded
    since (on the contract page or at a later evaluation) does not move it back."""
    if status is None or status == clause.delivery_status:
        return
    if clause.delivery_status_on is not None and held_on < clause.delivery_status_on:
        return
    clause.delivery_status, clause.delivery_status_on = status, held_on
    audited_save(instance=clause, **audit)


@transaction.atomic
def commitment_delivery_record(*, membership, clause, status: str, on: date, today: date, context: str = ""):
    """Record whether a commitment of a PIIS in force was delivered, and since when (follow-up: no amendment).

    ServiceError: DELIVERY_CONTRACT_NOT_IN_FORCE (a draft's commitment is edited in its form), DELIVERY_STATUS_UNKNOWN
    on `status`, DELIVERY_IN_FUTURE or DELIVERY_BEFORE_CONCLUSION on `on`. Recording the status it already has
    changes nothing (its date stays the date it changed).
    """
    contract = clause.contract
    assert clause.cpas_id == membership.cpas_id == contract.cpas_id
    if contract.status != ContractStatus.IN_FORCE or contract.signed_on is None:
        raise ServiceError("DELIVERY_CONTRACT_NOT_IN_FORCE")
    if status not in CommitmentStatus.values:
        raise ServiceError("DELIVERY_STATUS_UNKNOWN", field="status")
    if on > today:
        raise ServiceError("DELIVERY_IN_FUTURE", field="on")
    if on < contract.signed_on:
        raise ServiceError("DELIVERY_BEFORE_CONCLUSION", field="on", params={"date": contract.signed_on})
    if status == clause.delivery_status:
        return clause
    clause.delivery_status, clause.delivery_status_on = status, on
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.CLAUSE_CHANGED,
        instance=clause,
        context=context,
        beneficiary_id=contract.beneficiary_id,
    )


def _save_lines(evaluation, model, target: str, entries, audit) -> None:
    """Upsert one row per objective/clause; an entry left blank removes an earlier answer."""
    value_field = "progress" if model is ObjectiveProgress else "delivery"
    existing = {
        getattr(row, f"{target}_id"): row
        for row in model.objects.for_cpas(evaluation.cpas_id).filter(evaluation=evaluation)
    }
    for obj, value, note in entries:
        if obj.contract_id != evaluation.contract_id:
            continue
        row = existing.get(obj.pk)
        if not value:
            if row is not None:
                audited_delete(instance=row, **audit)
            continue
        row = row or model(cpas_id=evaluation.cpas_id, evaluation=evaluation, **{target: obj})
        setattr(row, value_field, value)
        row.note = note
        audited_save(instance=row, **audit)


def meeting_request_submitted(*, membership, beneficiary, submission_key: UUID | None) -> MeetingRequest | None:
    """The meeting request already recorded on `beneficiary`'s file by the form of `submission_key`, if any."""
    if submission_key is None:
        return None
    return (
        MeetingRequest.objects.for_cpas(membership.cpas)
        .filter(beneficiary=beneficiary, submission_key=submission_key)
        .first()
    )


@transaction.atomic
def meeting_request_create(
    *,
    membership,
    beneficiary,
    requested_on: date,
    requested_by: str,
    subject: str = "",
    submission_key: UUID | None = None,
    context: str = "",
    from_portal: bool = False,
) -> MeetingRequest:
    """R41 — record a request for a meeting; its deadline comes from the rules core with the CPAS's closure days.

    `from_portal`: the person asked it themselves (`services_person.person_request_meeting`; `membership` is then
    the person acting, `cases.person.PersonActor`).

    `submission_key`: the key of the form (drawn when it was shown). The same form sent again records nothing and
    returns the request it recorded; two sends at once take turns on the file's row, so the second finds the first.
    ServiceError on `requested_on` when the core cannot count from that date (no parameter in force then, or past
    the end of the calendar): the form's range (piis.core.dates) keeps such a date from getting here.
    """
    assert beneficiary.cpas_id == membership.cpas_id
    if submission_key is not None:
        Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).values_list("pk", flat=True).first()
        done = meeting_request_submitted(membership=membership, beneficiary=beneficiary, submission_key=submission_key)
        if done is not None:
            return done
    try:
        deadline = meeting_deadline(requested_on, closures=closure_days(cpas=membership.cpas))
    except InvalidInput as error:
        raise ServiceError.from_rule(error, field="requested_on") from error
    except OverflowError as error:
        raise ServiceError("DATE_OUT_OF_RANGE", field="requested_on") from error
    request = MeetingRequest(
        cpas=membership.cpas,
        beneficiary=beneficiary,
        requested_on=requested_on,
        requested_by=requested_by,
        subject=subject,
        deadline=deadline,
        # An integration (piis.api.principal.ApiActor) has no account: its name is kept instead, as in the audit row.
        recorded_by=membership.user if membership.user.pk is not None else None,
        recorded_by_label="" if membership.user.pk is not None else str(membership.user)[:150],
        submission_key=submission_key,
        from_portal=from_portal,
    )
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.MEETING_REQUESTED,
        instance=request,
        context=context,
        beneficiary_id=beneficiary.pk,
    )


def _close_meeting(*, membership, meeting_request, status: str, on: date, field: str, context: str):
    assert meeting_request.cpas_id == membership.cpas_id
    if meeting_request.status != MeetingStatus.OPEN:
        raise ServiceError("MEETING_REQUEST_CLOSED")
    if on < meeting_request.requested_on:
        raise ServiceError("DATE_BEFORE_MEETING_REQUEST", field=field)
    meeting_request.status = status
    setattr(meeting_request, field, on)
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.MEETING_HELD if status == MeetingStatus.HELD else AuditVerb.MEETING_WITHDRAWN,
        instance=meeting_request,
        context=context,
        beneficiary_id=meeting_request.beneficiary_id,
    )


@transaction.atomic
def meeting_request_mark_held(*, membership, meeting_request, held_on: date, context: str = "") -> MeetingRequest:
    """The requested meeting took place on `held_on` (late or not: the date is kept, the delay is visible)."""
    return _close_meeting(
        membership=membership,
        meeting_request=meeting_request,
        status=MeetingStatus.HELD,
        on=held_on,
        field="held_on",
        context=context,
    )


@transaction.atomic
def meeting_request_withdraw(*, membership, meeting_request, withdrawn_on: date, context: str = "") -> MeetingRequest:
    """The person withdrew the request."""
    return _close_meeting(
        membership=membership,
        meeting_request=meeting_request,
        status=MeetingStatus.WITHDRAWN,
        on=withdrawn_on,
        field="withdrawn_on",
        context=context,
    )


@transaction.atomic
def calendar_feed_create(*, membership, context: str = "") -> CalendarFeed:
    """A new private feed URL for the member; any earlier one stops working."""
    calendar_feed_revoke(membership=membership, context=context)
    feed = CalendarFeed(cpas=membership.cpas, user=membership.user)
    verb = AuditVerb.CALENDAR_FEED_CREATED
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=feed, context=context)


@transaction.atomic
def calendar_feed_revoke(*, membership, context: str = "") -> int:
    revoked = 0
    for feed in CalendarFeed.objects.filter(cpas=membership.cpas, user=membership.user, revoked_at__isnull=True):
        feed.revoked_at = timezone.now()
        verb = AuditVerb.CALENDAR_FEED_REVOKED
        audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=feed, context=context)
        revoked += 1
    return revoked


# --- reminders ------------------------------------------------------------------------------------------------


def reminder_key(item: AgendaItem) -> str:
    """One reminder when a deadline comes near, one more if it is missed."""
    return _reminder_key(item.kind, item.object_id, item.due_on, item.overdue)


def _reminder_key(kind: str, object_id: int, due_on: date, overdue: bool) -> str:
    """reminder_key from a deadline row's values (AgendaItem.key, then due or overdue)."""
    return f"{kind}:{object_id}:{due_on.isoformat()}:{'overdue' if overdue else 'due'}"


# Above this many deadlines not yet told, the reminders read every row due rather than list them in the query.
UNTOLD_LIST_LIMIT = 10_000


def _send_reminder(*, user_id: int, address: str, subject: str, body: str, keys: list[str]) -> None:
    """Send one reminder e-mail, after the commit that recorded it. A failure is logged, never raised nor retried."""
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # SMTP refusal, connection lost…: what was committed stays; the other e-mails still go
        logger.exception("Reminder e-mail to user %s not sent, not retried (deadlines: %s)", user_id, ", ".join(keys))


@transaction.atomic
def reminders_send(*, cpas, today: date, days: int) -> int:
    """E-mail each caseload member of `cpas` the deadlines due within `days` days or overdue that they have not yet
    been told about: one e-mail per member, each item recorded in Reminder (safe to run twice).

    The e-mails leave only once the caller's transaction commits (transaction.on_commit), one callback per member:
    a rollback sends nothing and a committed reminder is sent once. A send that fails (SMTP refusal, server down)
    is logged and not retried: its Reminder rows stay committed, so the next run does not send it again; the
    deadline stays on the worker's agenda, and a due deadline that is then missed gets its own overdue reminder.
    The caller sets the CPAS for row-level security inside its transaction. Returns the number of e-mails queued.
    """

    refresh_stale_for_cpas(cpas=cpas, today=today, limit=None)  # the table for the day (none when the task did it)
    until = today + timedelta(days=days)
    # What is due, as values (an agenda item per row, for every overdue deadline of the CPAS each night, cost more
    # than the rest of the run): only the deadlines not yet told are then read as items.
    due = list(
        Deadline.objects.for_cpas(cpas)
        .filter(due_on__lte=until)
        .values_list("worker_id", "kind", "object_id", "due_on", "overdue")
    )
    if not due:
        return 0
    # Two runs at once for one CPAS would both see the same deadlines as untold: the second waits for the first
    # (NO KEY UPDATE does not block the rows that reference this CPAS).
    list(Cpas.objects.select_for_update(no_key=True).filter(pk=cpas.pk).values_list("pk", flat=True))
    sent_keys = set(
        Reminder.objects.for_cpas(cpas).filter(due_on__gte=min(row[3] for row in due)).values_list("user_id", "key")
    )
    untold = {
        object_id
        for worker, kind, object_id, due_on, overdue in due
        if (worker, _reminder_key(kind, object_id, due_on, overdue)) not in sent_keys
    }
    if not untold:
        return 0
    only = untold if len(untold) <= UNTOLD_LIST_LIMIT else None

    def due_items() -> list[AgendaItem]:
        # Refreshed above: refresh_limit=0 recomputes nothing and runs no query.
        return agenda_for_cpas(cpas=cpas, today=today, until=until, object_ids=only, refresh_limit=0)

    items = due_items()
    if not items:
        return 0
    # The items' labels are worded in the language active when the agenda is read: read it again in each
    # recipient's language (once per language), so that an e-mail never mixes two languages.
    in_language: dict[str, list[AgendaItem]] = {}

    def items_for(language: str) -> list[AgendaItem]:
        if language not in in_language:
            with translation.override(language):
                in_language[language] = due_items()
        return in_language[language]

    members = Membership.objects.filter(cpas=cpas, is_active=True, role__in=CASELOAD_ROLES).select_related("user")
    sent = 0
    for member in members:
        user = member.user
        if not user.email or not any(user.pk in i.workers for i in items):
            continue
        language = user.preferred_language or cpas.default_language
        new = [i for i in items_for(language) if user.pk in i.workers and (user.pk, reminder_key(i)) not in sent_keys]
        if not new:
            continue
        with translation.override(language):
            context = {"user": user, "cpas": cpas, "items": new, "today": today}
            subject = str(_("PIIS: %(count)s deadline(s) to watch") % {"count": len(new)})
            body = render_to_string("followup/email/reminders.txt", context)
        keys = [reminder_key(i) for i in new]
        Reminder.objects.bulk_create(
            [Reminder(cpas=cpas, user=user, key=key, due_on=i.due_on) for key, i in zip(keys, new, strict=True)],
            ignore_conflicts=True,
        )
        mail = partial(_send_reminder, user_id=user.pk, address=user.email, subject=subject, body=body, keys=keys)
        transaction.on_commit(mail)
        sent += 1
    return sent
