"""API tokens: issued by the CPAS administrator for a named integration, bound to the CPAS and to scopes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from piis.core.models import TenantModel


class Scope(models.TextChoices):
    READ_FILES = "read_files", _("Read beneficiary files, decisions, contracts and follow-up")
    WRITE_FOLLOWUP = "write_followup", _("Record follow-up (evaluations, meeting requests, delivery of commitments)")
    EXPORT = "export", _("Export (sanction decisions for payment)")
    TRANSFERS = "transfers", _("Send and receive transfer packages (open PIIS format)")


class ApiToken(TenantModel):
    """The secret is shown once at issue; only its sha256 is kept. The token text is `piis_<cpas id>_<secret>`: the
    CPAS part lets the request set the CPAS for row-level security before the token is looked up under it."""

    name = models.CharField(_("integration"), max_length=100)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=8, editable=False)  # the secret's first characters, to tell tokens apart
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    @property
    def scope_labels(self) -> list[str]:
        return [str(Scope(code).label) for code in self.scopes if code in Scope.values]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"


class ApiCallCount(TenantModel):
    """A token's calls in one minute (minutes since the epoch), counted by one upsert per call (api.auth): the rate
    limit. The rows of past minutes are deleted at the first call of the next minute."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    minute = models.BigIntegerField()
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "minute"], name="api_call_count_one_per_minute")]
