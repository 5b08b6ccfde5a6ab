"""The month's subsidy claim of a CPAS, computed once and stored (reports.claims): the claim page, its CSV and the
API read a page of lines and the totals from here instead of computing every line of the CPAS per request.

A run is the latest computation of one CPAS's month (a new one replaces it in one transaction); each line holds
what piis.reports.subsidy said of one person or couple, with its reason in every language of the site (the reason
is words, and whoever reads the claim may read it in another language than whoever computed it). The people's
names and national numbers are not copied: they are read from the files when a page is shown.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from piis.core.models import TenantModel


class ClaimRun(TenantModel):
    month = models.DateField(_("month"))  # the first day of the month
    computed_at = models.DateTimeField(_("computed on"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # None: the nightly schedule (manage.py compute_claims)
    # The data it was computed from: the latest change to the files, decisions and PIIS of the CPAS at that time
    # (claims.data_changed_at); a later change means the stored claim may be out of date.
    data_as_of = models.DateTimeField(null=True, blank=True)
    seconds = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    lines = models.PositiveIntegerField(default=0)
    claimed = models.PositiveIntegerField(default=0)
    claimed_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    recoverable = models.PositiveIntegerField(default=0)
    not_due = models.PositiveIntegerField(default=0)
    # The coverage rate shown beside the claim (R71), computed with it: month by month of the year up to the month
    # computed (or the day of the computation) as [{start, end, with_ri, with_piis}], and the calendar year's ratio
    # the bonus-malus takes.
    coverage = models.JSONField(default=list)
    year_coverage = models.DecimalField(max_digits=6, decimal_places=4, default=0)

    class Meta:
        verbose_name = _("computed subsidy claim")
        constraints = [models.UniqueConstraint(fields=["cpas", "month"], name="claim_run_once_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ClaimLine(TenantModel):
    run = models.ForeignKey(ClaimRun, on_delete=models.CASCADE, related_name="claim_lines")
    position = models.PositiveIntegerField()  # the claim's order (names), from 0
    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("cases.Beneficiary", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    category = models.PositiveSmallIntegerField()
    ri_granted = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=12)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    reasons = models.JSONField(default=dict)  # language code → the reason in words
    start = models.DateField(null=True, blank=True)
    code = models.CharField(max_length=2, blank=True)
    first_period_start = models.DateField(null=True, blank=True)
    first_period_end = models.DateField(null=True, blank=True)
    contract_id = models.IntegerField(null=True, blank=True)  # the PIIS the line rests on (a plain id: a snapshot)
    signed_on = models.DateField(null=True, blank=True)
    rate = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("line of a computed subsidy claim")
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="claim_line_position_unique")]
        indexes = [models.Index(fields=["run", "status", "position"], name="claim_line_status")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.position}"
