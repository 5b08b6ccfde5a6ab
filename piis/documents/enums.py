from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    CERTIFICATE = "certificate", _("Certificate or diploma")
    ATTENDANCE = "attendance", _("Attestation of attendance")
    MEDICAL = "medical", _("Medical certificate (exemption)")
    OTHER = "other", _("Other document")


# A medical certificate backs an exemption for health reasons: it sits in the sensitive area of the file, seen only by
# the workers who carry the file (documents.access.can_see_sensitive), never by a director, the council or an API.
SENSITIVE_DOCUMENT_KINDS = frozenset({DocumentKind.MEDICAL})


class LetterKind(models.TextChoices):
    EVALUATION_INVITATION = "evaluation_invitation", _("Invitation to an evaluation")
    MEETING_CONFIRMATION = "meeting_confirmation", _("Confirmation of a meeting request")
    HANDOVER = "handover", _("Hand-over of the final draft")
    RIGHTS_REMINDER = "rights_reminder", _("Reminder of rights")


class ExitOutcome(models.TextChoices):
    """What a PIIS led to, recorded when it ends (annual report, observatory)."""

    EMPLOYMENT = "employment", _("Employment")
    TRAINING_COMPLETED = "training_completed", _("Training or studies completed")
    MOVED = "moved", _("Moved away")
    EXEMPTION = "exemption", _("Exemption")
    STOPPED = "stopped", _("Stopped")
    OTHER = "other", _("Other")
