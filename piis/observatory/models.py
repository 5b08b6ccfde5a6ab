"""The observatory's one table: each CPAS's figures per quarter (over the twelve months ending with it), as
aggregates only, kept from quarter to quarter so that CPAS are compared over time.

Not a tenant table, on purpose: it is how CPAS are compared without any CPAS reading another's files. Each row is
computed by `equity.refresh` inside the CPAS's own row-level-security context and holds a figure's value and the
number of people in its base, never a person, a worker or a team; a value whose base counts fewer than
`metrics.MIN_PEOPLE` people is stored as suppressed, without its value. One row per CPAS, figure and period
(`period`: the quarter's language-neutral code, "2026-Q2"; `start`…`end`: the twelve months ending with that
quarter, the window the figure is computed over).
"""

from django.db import models


class CpasFigure(models.Model):
    cpas = models.ForeignKey("accounts.Cpas", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)  # the quarter: "2026-Q2" (periods.Period.code)
    figure = models.CharField(max_length=40)  # a key of metrics.FIGURES
    value = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)  # None: none, or suppressed
    people = models.PositiveIntegerField(default=0)
    suppressed = models.BooleanField(default=False)
    start = models.DateField()
    end = models.DateField()
    computed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cpas", "period", "figure"], name="observatory_cpasfigure_one_per_period")
        ]
        indexes = [models.Index(fields=["period", "figure"], name="observatory_figure_period")]

    def __str__(self) -> str:
        return f"{self.cpas_id} {self.period} {self.figure}"
