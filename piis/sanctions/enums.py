"""States and vocabularies of the non-compliance procedure (R55–R67, R75, §18 S-Dec 12–15, S-Time 21–22).

The dossier's lifecycle is declared once, as data: `TRANSITIONS` below (as contracts/enums.py). Only the
transition services of sanctions/services.py (and, for the council's part, sanctions/services_council.py) change
`SanctionDossier.status`, each after `can_transition`; pages show an action only when the table allows it.
Whether a dossier may move to `ready` is not a state question but the checklist's (selectors.readiness): the
table says where a step may be taken from, the checklist says whether the safeguards hold.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    """Where a sanction dossier stands (stored on SanctionDossier.status)."""

    OPEN = "open", _("Breach reported")
    NOTICE_SENT = "notice_sent", _("Formal notice sent")
    PREPARING = "preparing", _("Formal notice delivered, being prepared for the council")
    READY = "ready", _("Ready for the council")
    ON_AGENDA = "on_agenda", _("On the agenda of a sitting")
    DECIDED = "decided", _("Decided")
    APPEALED = "appealed", _("Under appeal")
    ANNULLED = "annulled", _("Annulled on appeal")
    CLOSED = "closed", _("Closed without a decision")


class Transition(StrEnum):
    """The named steps of a dossier and the service that takes each."""

    SEND_NOTICE = "send_notice"  # services.notice_send: the letter is frozen and its sending date recorded (R63)
    RECORD_DELIVERY = "record_delivery"  # services.notice_delivered: the delivery date is known (S-Dec 13)
    MARK_READY = "mark_ready"  # services.dossier_mark_ready: every safeguard of the checklist holds (S-Dec 13, 14)
    REOPEN_PREPARATION = "reopen_preparation"  # services.dossier_back_to_preparation: something must be redone
    PUT_ON_AGENDA = "put_on_agenda"  # services_council.item_add (sanct2): a sitting takes the dossier
    REMOVE_FROM_AGENDA = "remove_from_agenda"  # services_council.item_remove (sanct2): postponed, back to ready
    DECIDE = "decide"  # services_council.decision_record (sanct2): the sitting decides (R56.6, R58–R62)
    LODGE_APPEAL = "lodge_appeal"  # services_council.appeal_lodge (sanct2): the person appealed (R66)
    APPEAL_REJECTED = "appeal_rejected"  # services_council.appeal_outcome (sanct2): the court confirms
    ANNUL = "annul"  # services_council.appeal_outcome (sanct2): the court annuls; the export is reversed
    CLOSE = "close"  # services.dossier_close: no proposal to the council (complied, legitimate reason, CPAS default…)


_S = DossierStatus
# transition → {source status: target status}; a transition is refused from any status not listed for it.
TRANSITIONS: dict[Transition, dict[DossierStatus, DossierStatus]] = {
    Transition.SEND_NOTICE: {_S.OPEN: _S.NOTICE_SENT},
    Transition.RECORD_DELIVERY: {_S.NOTICE_SENT: _S.PREPARING},
    Transition.MARK_READY: {_S.PREPARING: _S.READY},
    Transition.REOPEN_PREPARATION: {_S.READY: _S.PREPARING},
    Transition.PUT_ON_AGENDA: {_S.READY: _S.ON_AGENDA},
    Transition.REMOVE_FROM_AGENDA: {_S.ON_AGENDA: _S.READY},
    Transition.DECIDE: {_S.ON_AGENDA: _S.DECIDED},
    Transition.LODGE_APPEAL: {_S.DECIDED: _S.APPEALED},
    Transition.APPEAL_REJECTED: {_S.APPEALED: _S.DECIDED},
    Transition.ANNUL: {_S.APPEALED: _S.ANNULLED},
    Transition.CLOSE: {
        _S.OPEN: _S.CLOSED,
        _S.NOTICE_SENT: _S.CLOSED,
        _S.PREPARING: _S.CLOSED,
        _S.READY: _S.CLOSED,
    },
}
INITIAL_STATUS = DossierStatus.OPEN
# The steps before the council: the breach, the notice, the answer, the checks, the opinion and the hearing are
# recorded (and corrected) while the dossier is in one of these.
PREPARATION_STATUSES = frozenset({_S.OPEN, _S.NOTICE_SENT, _S.PREPARING})
# A dossier in one of these is still running (the agenda, the file page's banner).
ACTIVE_STATUSES = frozenset({_S.OPEN, _S.NOTICE_SENT, _S.PREPARING, _S.READY, _S.ON_AGENDA})


def can_transition(status: str, transition: Transition) -> bool:
    """Whether the table allows `transition` from `status`."""
    return DossierStatus(status) in TRANSITIONS[transition]


def transition_target(status: str, transition: Transition) -> DossierStatus:
    """Where `transition` leads from `status`; ValueError when the table does not allow it there."""
    try:
        return TRANSITIONS[transition][DossierStatus(status)]
    except KeyError:
        raise ValueError(f"{transition} is not allowed from {status}") from None


class ClosureReason(models.TextChoices):
    """Why a dossier ends without going to the council; the register lists the excluded ones with this reason."""

    COMPLIED = "complied", _("The person complied after the formal notice")
    LEGITIMATE_REASON = "legitimate_reason", _("Legitimate reason")
    CPAS_DEFAULT = "cpas_default", _("The CPAS or a third party did not meet its own commitment")
    NOT_PROPOSED = "not_proposed", _("The social worker does not propose a sanction")
    OTHER = "other", _("Other")


class BreachKind(models.TextChoices):
    """What is reported as not kept (the rules core's BREACH_*): the effort (not tried, not attended) or the
    result (not obtained). A result not obtained is a breach only of a commitment of result."""

    EFFORT_NOT_MADE = "effort_not_made", _("Not done: did not try, did not attend, did not take the step")
    RESULT_NOT_OBTAINED = "result_not_obtained", _("Result not obtained")


class EvidenceSource(models.TextChoices):
    """Where an extracted passage comes from. Support notes and evaluations are never evidence on their own (S-Dec
    12): only a passage a worker extracts into the dossier, which is then disclosed to the person."""

    EVALUATION = "evaluation", _("Evaluation")
    MEETING = "meeting", _("Meeting with the person")
    FILE_NOTE = "file_note", _("Note in the social file")
    THIRD_PARTY = "third_party", _("Report from a third party of the contract")
    OTHER = "other", _("Other document")


class DeliveryMethod(models.TextChoices):
    """How a letter reached the person (R66: notification = the day the registered letter is presented, or the
    signed acknowledgement of a letter handed over)."""

    REGISTERED = "registered", _("Registered letter presented")
    NOTICE_OF_PASSAGE = "notice_of_passage", _("Notice of passage left by the post")
    HANDED_OVER = "handed_over", _("Handed over against a signed acknowledgement")
    EMAIL = "email", _("E-mail with acknowledgement of receipt")


class AnswerKind(models.TextChoices):
    WRITTEN = "written", _("Written answer")
    ORAL = "oral", _("Oral answer (at a meeting)")
    SILENCE = "silence", _("No answer by the date set")


class CommitmentDelivery(models.TextChoices):
    """A commitment of the CPAS or a third party, as the check found it (a copy: the follow-up status may change)."""

    DONE = "done", _("Delivered")
    PARTLY = "partly", _("Partly delivered")
    NOT_DONE = "not_done", _("Not delivered")
    UNKNOWN = "unknown", _("Not recorded")


class ProposedOutcome(models.TextChoices):
    """The social worker's proposal to the council (R56.4)."""

    NO_SANCTION = "no_sanction", _("No sanction")
    SUSPENSION = "suspension", _("Suspension of the RI")
    DEFERRED_SUSPENSION = "deferred_suspension", _("Suspension with deferral")


class HearingAnswer(models.TextChoices):
    """Whether the person, told of the right to be heard (R40), asked for a hearing."""

    PENDING = "pending", _("No answer yet")
    ASKED = "asked", _("Asked to be heard")
    DECLINED = "declined", _("Declined to be heard")
    NO_REPLY = "no_reply", _("Did not reply by the date set")


class Organ(models.TextChoices):
    """The decision organ: the council, or the committee it delegated to (R56.6)."""

    COUNCIL = "council", _("Council for social action")
    SPECIAL_COMMITTEE = "special_committee", _("Special committee of the social service")
    OTHER = "other", _("Other delegated organ")


class SittingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTES_CLOSED = "minutes_closed", _("Minutes closed")


class ItemKind(models.TextChoices):
    """What the council decides at a sitting: a sanction dossier, or another PIIS matter the law gives it."""

    SANCTION = "sanction", _("Sanction proposal")
    REFUSAL_TO_SIGN = "refusal_to_sign", _("Refusal to sign a compulsory PIIS")
    IMPOSED_CLAUSES = "imposed_clauses", _("Clauses the person objects to")
    EXEMPTION = "exemption", _("Exemption reserved to the council")


class DecisionOutcome(models.TextChoices):
    NO_SANCTION = "no_sanction", _("No sanction")
    TOTAL_SUSPENSION = "total_suspension", _("Total suspension of the RI")
    PARTIAL_SUSPENSION = "partial_suspension", _("Partial suspension of the RI")
    # the other PIIS matters
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


SUSPENSION_OUTCOMES = frozenset({DecisionOutcome.TOTAL_SUSPENSION, DecisionOutcome.PARTIAL_SUSPENSION})
SANCTION_OUTCOMES = frozenset({DecisionOutcome.NO_SANCTION, *SUSPENSION_OUTCOMES})
MATTER_OUTCOMES = frozenset({DecisionOutcome.APPROVED, DecisionOutcome.REJECTED})


class Deferral(models.TextChoices):
    """R61: the execution of a suspension may be deferred (sursis), totally or partially."""

    NONE = "none", _("No deferral")
    TOTAL = "total", _("Total deferral")
    PARTIAL = "partial", _("Partial deferral")


class SuspensionGround(models.TextChoices):
    """R75: the ground of an RI suspension stated in the decision transmitted to the federal administration
    (R55: only two grounds; this procedure only ever uses the PIIS one, the other is here to keep them apart)."""

    PIIS_NON_COMPLIANCE = "piis_non_compliance", _("Breach of the PIIS obligations (art. 30 §2)")
    UNDECLARED_RESOURCES = "undeclared_resources", _("Undeclared resources or false declaration (art. 30 §1)")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Decision confirmed")
    ANNULLED = "annulled", _("Decision annulled")
    WITHDRAWN = "withdrawn", _("Appeal withdrawn")


class PaymentLineKind(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension")
    REVERSAL = "reversal", _("Reversal after annulment")
