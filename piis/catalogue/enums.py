from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """What a catalogue entry is: one of the CPAS's own services, or a partner outside it."""

    # The CPAS's own services
    INSERTION = "insertion", _("Socio-professional insertion")
    ART60 = "art60", _("Placement under art. 60 §7")
    ART61 = "art61", _("Placement under art. 61")
    WORKSHOP = "workshop", _("Collective workshop")
    BUDGET = "budget", _("Budget guidance")
    DEBT = "debt", _("Debt mediation")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    OTHER_SERVICE = "other_service", _("Other service of the CPAS")
    # Partners
    TRAINING = "training", _("Training centre")
    EMPLOYMENT = "employment", _("Regional employment service (FOREM, VDAB, Actiris, ADG)")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health service")
    HOUSING = "housing", _("Housing service")
    OTHER_PARTNER = "other_partner", _("Other partner")


SERVICE_KINDS = frozenset(
    {
        EntryKind.INSERTION,
        EntryKind.ART60,
        EntryKind.ART61,
        EntryKind.WORKSHOP,
        EntryKind.BUDGET,
        EntryKind.DEBT,
        EntryKind.PSYCHOLOGICAL,
        EntryKind.OTHER_SERVICE,
    }
)
PARTNER_KINDS = frozenset(set(EntryKind) - SERVICE_KINDS)


class TargetGroupBasis(models.TextChoices):
    """The situation a target group of the CPAS's policy is built on (for an optional PIIS: the compulsory groups
    are the law's, decided by the rules core)."""

    OVER_25 = "over_25", _("People over 25, by situation")
    EQUIVALENT_RI = "equivalent_ri", _("Social aid equivalent to the RI")
    HOMELESS = "homeless", _("Homeless people")
    REINFORCED = "reinforced", _("Reinforced support")
    NEWCOMERS = "newcomers", _("Newcomers with language courses")
    OTHER = "other", _("Other")
