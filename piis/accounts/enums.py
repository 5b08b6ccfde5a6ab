from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    BRUSSELS = "brussels", _("Brussels-Capital")
    WALLONIA = "wallonia", _("Wallonia")
    FLANDERS = "flanders", _("Flanders")
    GERMAN_COMMUNITY = "german_community", _("German-speaking Community")


class Language(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    DE = "de", _("German")
    EN = "en", _("English")


class Role(models.TextChoices):
    """A staff member's role in one CPAS. Beneficiaries get portal accounts, not memberships."""

    SOCIAL_WORKER = "social_worker", _("Social worker")
    TEAM_LEAD = "team_lead", _("Team lead")
    COUNCIL_MEMBER = "council_member", _("Council/committee member")
    COUNCIL_SECRETARY = "council_secretary", _("Council secretary")
    DIRECTOR = "director", _("Director")
    CPAS_ADMIN = "cpas_admin", _("CPAS administrator")
    DPO = "dpo", _("Data-protection officer")
    # SPP IS inspection (R74): reads the subsidy claims and their evidence, per CPAS; edits nothing.
    INSPECTOR = "inspector", _("Inspector (SPP IS)")


class SignatoryFunction(models.TextChoices):
    """R35 / O5: who may sign a PIIS for the CPAS; the matrix per CPAS says which are required."""

    PRESIDENT = "president", _("President of the council")
    GENERAL_DIRECTOR = "general_director", _("General director")
    BCSD_CHAIR = "bcsd_chair", _("Chair of the special social services committee (BCSD)")
    ALGEMEEN_DIRECTEUR = "algemeen_directeur", _("General director (algemeen directeur)")
    SOCIAL_WORKER = "social_worker", _("Social worker in charge")
    OTHER = "other", _("Other")
