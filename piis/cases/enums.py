from django.db import models
from django.utils.translation import gettext_lazy as _


class RiCategory(models.IntegerChoices):
    COHABITANT = 1, _("Category 1: cohabitant")
    SINGLE = 2, _("Category 2: single person")
    FAMILY = 3, _("Category 3: person with dependent family")


class PeriodKind(models.TextChoices):
    """R2, R3: what breaks the 3-month gap that makes a person a new beneficiary."""

    RI = "ri", _("Integration income (RI)")
    CPAS_EMPLOYMENT = "cpas_employment", _("CPAS-supported employment (art. 60 §7, art. 61…)")


class ExemptionGround(models.TextChoices):
    HEALTH = "health", _("Health reasons")
    EQUITY = "equity", _("Equity reasons")


class HouseholdRelation(models.TextChoices):
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other")


class LifeDomain(models.TextChoices):
    """S-Dom 16: the life domains of the needs assessment, from the professional to the intimate."""

    EMPLOYMENT = "employment", _("Employment")
    TRAINING = "training", _("Training and studies")
    LANGUAGE = "language", _("Language")
    ADMINISTRATION = "administration", _("Administration")
    HOUSING = "housing", _("Housing")
    DEBT = "debt", _("Debt")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family and parenting")
    RELATIONSHIPS = "relationships", _("Relationships")
    SOCIAL_PARTICIPATION = "social_participation", _("Leisure and social participation")
    ADDICTION = "addiction", _("Addiction")


# S-Dom 16: these need a justification and the person's explicit consent, and stay out of the printable contract.
SENSITIVE_DOMAINS = frozenset({LifeDomain.HEALTH, LifeDomain.FAMILY, LifeDomain.RELATIONSHIPS, LifeDomain.ADDICTION})


class AssessmentItemKind(models.TextChoices):
    ASPIRATION = "aspiration", _("Aspiration")
    NEED = "need", _("Need")
    OBSTACLE = "obstacle", _("Obstacle")
    STRENGTH = "strength", _("Strength")
