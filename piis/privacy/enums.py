from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    """The kinds of record a CPAS keeps for a period of its own choosing (piis.privacy.retention)."""

    CLOSED_FILE = "closed_file", _("Files without RI or PIIS")
    ENDED_CONTRACT = "ended_contract", _("Ended PIIS contracts")
    EVALUATION = "evaluation", _("Evaluations of ended contracts")
    MEETING_REQUEST = "meeting_request", _("Meeting requests held or withdrawn")
    REMINDER = "reminder", _("Reminders sent to the workers")
    SIGNATURE_SCAN = "signature_scan", _("Scans of signed contracts")
    DOCUMENT = "document", _("Documents of a file (CV, certificates, attestations)")
    LETTER = "letter", _("Letters sent to the person")
    AUDIT = "audit", _("Audit trail")
