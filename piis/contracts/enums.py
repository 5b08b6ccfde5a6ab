"""States, parties and vocabularies of a PIIS contract.

Lifecycle (only the named transition services in services/lifecycle.py change `Contract.status`):

    draft ──hand over final draft──▶ handed_over ──first signature──▶ awaiting_signatures ──last required
      ▲                                  │                                                signature──▶ in_force
      └──────── back to draft (the person asks for changes; a new hand-over restarts the reflection period)
    in_force ──end (reason)──▶ ended
    in_force ──amendment: new version drafted, handed over and consented by every party──▶ in_force (version + 1)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    HANDED_OVER = "handed_over", _("Handed over (reflection period)")
    AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")


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
