from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferStatus(models.TextChoices):
    """Where a transfer stands, on either side."""

    AWAITING_ANSWER = "awaiting_answer", _("Waiting for the person's answer")
    SENT = "sent", _("PIIS sent to the new CPAS")
    REFUSED = "refused", _("Refused by the person")
    RECEIVED = "received", _("PIIS received")


class Answer(models.TextChoices):
    """The person's answer to the letter telling them they may refuse the transfer (R52)."""

    CONSENT = "consent", _("Agrees to the transfer")
    REFUSAL = "refusal", _("Refuses the transfer")
    NO_ANSWER = "no_answer", _("No answer by the date given")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("By letter")
    EMAIL = "email", _("By e-mail")
    PHONE = "phone", _("By phone (confirmed in writing)")
    PORTAL = "portal", _("By the person, on their portal")


class Takeover(models.TextChoices):
    """The new CPAS's decision on one commitment of the transferred PIIS (R51)."""

    KEEP = "keep", _("Keep")
    ADAPT = "adapt", _("Adapt")
    DROP = "drop", _("Drop")
