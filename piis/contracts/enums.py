"""States, parties and vocabularies of a PIIS contract.

The lifecycle is declared once, as data: `TRANSITIONS` below. Only the transition services in
services/lifecycle.py change `Contract.status`, and each of them asks `can_transition` first; pages show an action
only when the table allows it (`can_transition` in the selectors, never a status compared in a template).
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    HANDED_OVER = "handed_over", _("Handed over (reflection period)")
    AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")


class LifecycleState(StrEnum):
    """Where a contract stands: its stored status, with the two steps of an amendment told apart.

    During an amendment (R49) the contract stays `in_force` (the signed version applies until every party has
    consented); `editing_amendment` and the amendment version handed over tell the two steps apart.
    """

    DRAFT = "draft"
    HANDED_OVER = "handed_over"
    AWAITING_SIGNATURES = "awaiting_signatures"
    IN_FORCE = "in_force"
    AMENDMENT_DRAFTING = "amendment_drafting"
    AMENDMENT_HANDED_OVER = "amendment_handed_over"
    ENDED = "ended"


class Transition(StrEnum):
    """The named steps of the lifecycle and the service that takes each (services/lifecycle.py)."""

    HAND_OVER = "hand_over"  # contract_hand_over: the final draft (or amendment) is frozen as a version (S-Neg 7)
    BACK_TO_DRAFT = "back_to_draft"  # contract_back_to_draft: the person asks for changes; the version is withdrawn
    SIGN = "sign"  # contract_sign: one party signs (or consents to an amendment) without completing it
    CONCLUDE = "conclude"  # contract_sign: the last required signature or consent (R34, R35, R49)
    START_AMENDMENT = "start_amendment"  # contract_start_amendment: the live content is opened again (R49)
    END = "end"  # contract_end: with a reason; an amendment under way is withdrawn


_S = LifecycleState
# transition → {source state: target state}; a transition is refused from any state not listed for it. The
# beneficiary and the CPAS both sign, so the first signature never concludes: a conclusion comes from
# awaiting_signatures (or, for an amendment, from the consents being gathered).
TRANSITIONS: dict[Transition, dict[LifecycleState, LifecycleState]] = {
    Transition.HAND_OVER: {
        _S.DRAFT: _S.HANDED_OVER,
        _S.AMENDMENT_DRAFTING: _S.AMENDMENT_HANDED_OVER,
    },
    Transition.BACK_TO_DRAFT: {
        _S.HANDED_OVER: _S.DRAFT,
        _S.AWAITING_SIGNATURES: _S.DRAFT,
        _S.AMENDMENT_HANDED_OVER: _S.AMENDMENT_DRAFTING,
    },
    Transition.SIGN: {
        _S.HANDED_OVER: _S.AWAITING_SIGNATURES,
        _S.AWAITING_SIGNATURES: _S.AWAITING_SIGNATURES,
        _S.AMENDMENT_HANDED_OVER: _S.AMENDMENT_HANDED_OVER,
    },
    Transition.CONCLUDE: {
        _S.AWAITING_SIGNATURES: _S.IN_FORCE,
        _S.AMENDMENT_HANDED_OVER: _S.IN_FORCE,
    },
    Transition.START_AMENDMENT: {
        _S.IN_FORCE: _S.AMENDMENT_DRAFTING,
    },
    Transition.END: {
        _S.IN_FORCE: _S.ENDED,
        _S.AMENDMENT_DRAFTING: _S.ENDED,
        _S.AMENDMENT_HANDED_OVER: _S.ENDED,
    },
}
INITIAL_STATE = LifecycleState.DRAFT
# The stored status of each state (an amendment under way keeps the contract in force).
STATE_STATUS: dict[LifecycleState, ContractStatus] = {
    state: ContractStatus.IN_FORCE
    if state in (_S.AMENDMENT_DRAFTING, _S.AMENDMENT_HANDED_OVER)
    else ContractStatus(state)
    for state in LifecycleState
}
# The live content (objectives, steps, clauses, third parties) changes only where it can then be handed over.
EDITABLE_STATES = frozenset(TRANSITIONS[Transition.HAND_OVER])


def lifecycle_state(
    status: str, *, editing_amendment: bool = False, amendment_handed_over: bool = False
) -> LifecycleState:
    """The state of a contract from its stored `status`, `editing_amendment` flag and whether an amendment version
    is handed over and waiting for consents (the two flags only matter for a contract in force)."""
    if status == ContractStatus.IN_FORCE and editing_amendment:
        return LifecycleState.AMENDMENT_DRAFTING
    if status == ContractStatus.IN_FORCE and amendment_handed_over:
        return LifecycleState.AMENDMENT_HANDED_OVER
    return LifecycleState(status)


def can_transition(state: LifecycleState, transition: Transition) -> bool:
    """Whether the table allows `transition` from `state`."""
    return state in TRANSITIONS[transition]


def transition_target(state: LifecycleState, transition: Transition) -> LifecycleState:
    """Where `transition` leads from `state`; ValueError when the table does not allow it there."""
    try:
        return TRANSITIONS[transition][state]
    except KeyError:
        raise ValueError(f"{transition} is not allowed from {state}") from None


def is_editable(state: LifecycleState) -> bool:
    return state in EDITABLE_STATES


class Orientation(models.TextChoices):
    """R16, R17: one general PIIS may combine orientations; studies has its own rules (R19–R22)."""

    PROFESSIONAL = "professional", _("Professional insertion")
    TRAINING = "training", _("Training")
    SOCIAL = "social", _("Social insertion")
    STUDIES = "studies", _("Full-time studies")


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Objectives reached / planned end")
    RI_ENDED = "ri_ended", _("The RI ended")
    TRANSFERRED = "transferred", _("Transferred to another CPAS")
    REPLACED = "replaced", _("Replaced by a new PIIS")
    OTHER = "other", _("Other")


class Party(models.TextChoices):
    BENEFICIARY = "beneficiary", _("Beneficiary")
    CPAS = "cpas", _("CPAS")
    THIRD_PARTY = "third_party", _("Third party")


class Position(models.TextChoices):
    """S-Neg 6: the person's position on each clause."""

    AGREED = "agreed", _("Agreed")
    RESERVATION = "reservation", _("Agreed with reservation")
    CONTESTED = "contested", _("Contested")


class CommitmentStatus(models.TextChoices):
    """Whether a commitment was delivered, as it stands now (`Clause.delivery_status`, with the date it changed).

    Follow-up, not content: it changes while the contract is in force, without an amendment. An evaluation's review
    of a commitment (`followup.CommitmentReview.delivery`) moves it (followup.services.DELIVERY_FROM_REVIEW).
    """

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")


# A commitment in one of these states is still expected: its due date is on the agenda.
OPEN_COMMITMENT_STATUSES = frozenset({CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS})


class PathKind(models.TextChoices):
    """How the PIIS is built: stages one after the other, or several domains worked on at once."""

    SEQUENCED = "sequenced", _("Sequenced path (stages one after the other)")
    INTEGRATED = "integrated", _("Integrated path (several domains at once)")


class Obligation(models.TextChoices):
    """What a commitment promises (the rules core's OBLIGATION_MEANS / OBLIGATION_RESULT): to try or attend, or
    to obtain. A breach of a result is accepted only for a commitment of result (rules.check_breach)."""

    MEANS = "means", _("Obligation of means (to try, to attend)")
    RESULT = "result", _("Obligation of result (to obtain)")


class ThirdPartyKind(models.TextChoices):
    TRAINING_CENTRE = "training_centre", _("Training centre")
    EMPLOYER = "employer", _("Employer")
    SCHOOL = "school", _("School")
    ASSOCIATION = "association", _("Association or service")
    OTHER = "other", _("Other")


class VersionKind(models.TextChoices):
    INITIAL = "initial", _("Initial contract")
    AMENDMENT = "amendment", _("Amendment")


class SignatureMethod(models.TextChoices):
    PAPER = "paper", _("On paper, then scanned")
    SCREEN = "screen", _("On screen")


class AssistanceChoice(models.TextChoices):
    """R38, S-Neg 8: whether the person was assisted while the contract was negotiated."""

    ASSISTED = "assisted", _("Assisted by a person of their choice")
    DECLINED = "declined", _("Informed of the right, declined assistance")


# R28, S-Info 24: the rights the person must be told about; each is recorded as given. The figures come from the
# rules core when the list is shown (contracts.rights.rights_list), never from here.
RIGHTS = (
    ("assistance", _("to be assisted by a person of one's choice")),
    ("reflection", _("a reflection period of %(reflection_days)s calendar days before signing")),
    ("meeting", _("a meeting with the social worker within %(meeting_days)s working days of a request")),
    ("hearing", _("to be heard before a decision on the RI, the PIIS or a sanction")),
    ("amendment", _("to ask for an amendment, by agreement of all parties")),
    ("evaluation", _("at least %(evaluations)s evaluations a year, %(in_person)s of them in person")),
    (
        "sanctions",
        _(
            "on a breach without a legitimate reason: a formal notice, a hearing, then a suspension of the RI of at "
            "most %(first_months)s month (%(repeat_months)s months on a repeat within a year)"
        ),
    ),
    ("appeal", _("to appeal to the labour court within %(appeal_months)s months")),
    ("transfer", _("to refuse the transfer of the contract to another CPAS")),
)
