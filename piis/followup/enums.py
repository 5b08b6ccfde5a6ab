from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationMode(models.TextChoices):
    """R47: the modes the rules core knows; only office and home visit count as in person by default (A4)."""

    OFFICE = "office", _("At the office")
    HOME_VISIT = "home_visit", _("Home visit")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    WRITTEN = "written", _("Written")


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    REACHED = "reached", _("Reached")
    ADJUSTED = "adjusted", _("To be adjusted")
    ABANDONED = "abandoned", _("Abandoned by agreement")


class Delivery(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    PARTLY = "partly", _("Partly delivered")
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    NOT_DUE = "not_due", _("Not yet due")


class RequestedBy(models.TextChoices):
    BENEFICIARY = "beneficiary", _("The person")
    WORKER = "worker", _("The social worker, on the person's behalf")


class MeetingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HELD = "held", _("Held")
    WITHDRAWN = "withdrawn", _("Withdrawn by the person")
