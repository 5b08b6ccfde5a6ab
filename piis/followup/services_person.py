"""The person's own actions on their follow-up, through the portal: ask for a meeting (R41), comment an evaluation.

Each takes the person's own user (no staff membership) and their file, refuses anything of another file
(PERSON_NOT_OWN), writes its audit row with the person as actor and a portal context, and e-mails a confirmation
when the person gave an address. A form sent twice (double tap, lost response) records one thing: the form's
submission key is looked up under a lock on the file's row, as for the meeting requests staff record.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_save
from piis.cases.models import Beneficiary
from piis.cases.person import confirm_to_person, person_actor, portal_context, require_own
from piis.contracts.enums import ContractStatus
from piis.core.errors import ServiceError
from piis.followup.enums import RequestedBy
from piis.followup.models import Evaluation, EvaluationComment, MeetingRequest
from piis.followup.services import meeting_request_create, meeting_request_submitted
from piis.rules import param_int

REASON_MAX_LENGTH = 300  # MeetingRequest.subject
COMMENT_MAX_LENGTH = 2000  # EvaluationComment.text
# An evaluation the person may comment: of a PIIS concluded (in force, or ended: their words stay possible after).
COMMENTABLE = {ContractStatus.IN_FORCE, ContractStatus.ENDED}


def meeting_working_days(on: date) -> int:
    """How many working days the CPAS has to hold a meeting the person asks for on `on` (R41, the parameter table),
    for the page that explains it."""
    return param_int("meeting_working_days", on=on)


def _lock_file(beneficiary) -> None:
    Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).values_list("pk", flat=True).first()


def _clean_text(text: str, *, limit: int, field: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ServiceError("PERSON_TEXT_REQUIRED", field=field)
    if len(text) > limit:
        raise ServiceError("PERSON_TEXT_TOO_LONG", field=field, params={"max": limit})
    return text


@transaction.atomic
def person_request_meeting(
    *,
    user,
    beneficiary,
    reason: str,
    today: date,
    submission_key: UUID | None = None,
    context: str = "",
) -> MeetingRequest:
    """R41 — the person asks for a meeting. The deadline comes from the same adapter as a request recorded by
    staff (`meeting_request_create` → `piis.rules.meeting_deadline` with the CPAS's closure days), so the
    request is on the worker's agenda at once, marked as asked by the person through the portal."""
    actor = person_actor(user=user, beneficiary=beneficiary)
    reason = _clean_text(reason, limit=REASON_MAX_LENGTH, field="reason", required=False)
    if submission_key is not None:
        _lock_file(beneficiary)
        done = meeting_request_submitted(membership=actor, beneficiary=beneficiary, submission_key=submission_key)
        if done is not None:
            return done
    request = meeting_request_create(
        membership=actor,
        beneficiary=beneficiary,
        requested_on=today,
        requested_by=RequestedBy.BENEFICIARY,
        subject=reason,
        submission_key=submission_key,
        context=portal_context(context),
        from_portal=True,
    )
    confirm_to_person(
        beneficiary=beneficiary,
        subject=_("Your request for a meeting"),
        lines=[
            _("We received your request for a meeting."),
            _("Your social worker will meet you by %(date)s at the latest.")
            % {"date": date_format(request.deadline, "d/m/Y")},
        ],
    )
    return request


@transaction.atomic
def person_comment_evaluation(
    *,
    user,
    beneficiary,
    evaluation: Evaluation,
    text: str,
    disagrees: bool,
    submission_key: UUID | None = None,
    context: str = "",
) -> EvaluationComment:
    """The person's comment on (or disagreement with) an evaluation of their PIIS: a new row every time, shown
    beside the worker's text, never overwritten. PERSON_NOT_OWN for an evaluation of another file."""
    actor = person_actor(user=user, beneficiary=beneficiary)
    contract = evaluation.contract
    require_own(beneficiary, contract.beneficiary_id)
    if evaluation.cpas_id != beneficiary.cpas_id or contract.status not in COMMENTABLE:
        raise ServiceError("PERSON_NO_EVALUATION_COMMENT")
    text = _clean_text(text, limit=COMMENT_MAX_LENGTH, field="text", required=True)
    _lock_file(beneficiary)
    if submission_key is not None:
        done = (
            EvaluationComment.objects.for_cpas(beneficiary.cpas_id)
            .filter(evaluation=evaluation, submission_key=submission_key)
            .first()
        )
        if done is not None:
            return done
    comment = audited_save(
        actor=actor.user,
        cpas=actor.cpas,
        verb=AuditVerb.EVALUATION_COMMENTED,
        instance=EvaluationComment(
            cpas=actor.cpas,
            evaluation=evaluation,
            beneficiary=beneficiary,
            text=text,
            disagrees=bool(disagrees),
            written_by=actor.user,
            submission_key=submission_key,
        ),
        context=portal_context(context),
        beneficiary_id=beneficiary.pk,
    )
    confirm_to_person(
        beneficiary=beneficiary,
        subject=_("Your comment on an evaluation"),
        lines=[
            _("We received your comment on the evaluation of %(date)s.")
            % {"date": date_format(evaluation.held_on, "d/m/Y")},
            _("It is kept beside the text of your social worker. Nobody can change it."),
        ],
    )
    return comment
