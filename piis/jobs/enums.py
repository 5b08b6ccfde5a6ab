from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for its turn")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class JobKind(models.TextChoices):
    """What a job builds; the app that owns the kind starts it, runs it (its tasks.py) and serves its file."""

    ANNUAL_PDF = "annual_pdf", _("annual report (PDF)")
    CLAIM_CSV = "claim_csv", _("subsidy claim (CSV)")
    MONTH_BUNDLE = "month_bundle", _("evidence of the month for the inspector (ZIP)")
    CLAIM_RUN = "claim_run", _("computation of the month's subsidy claim")
    FEDERAL_STATISTICS = "federal_statistics", _("federal statistics (CSV)")
    FEDERAL_EXCHANGE = "federal_exchange", _("exchange of agreements and evaluations (JSON)")
