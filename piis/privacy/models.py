"""How long a CPAS keeps each kind of record (piis.privacy.retention reads it; a kind without a row keeps its
default period)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from piis.core.models import TenantModel
from piis.privacy.enums import RecordKind

MIN_YEARS, MAX_YEARS = 1, 100


class RetentionPeriod(TenantModel):
    kind = models.CharField(_("kind of record"), max_length=30, choices=RecordKind.choices)
    years = models.PositiveSmallIntegerField(
        _("kept for (years)"), validators=[MinValueValidator(MIN_YEARS), MaxValueValidator(MAX_YEARS)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["cpas", "kind"], name="retention_period_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.years}"
