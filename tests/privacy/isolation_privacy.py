"""Tenant isolation of the personal-data tools (collected by tests/core/test_isolation.py)."""

from django.urls import reverse

from piis.accounts.enums import Role
from piis.privacy.models import RetentionPeriod

BUILDERS = {
    "privacy.retentionperiod": lambda cpas: RetentionPeriod.objects.create(cpas=cpas, kind="reminder", years=2)
}
URLS = {
    # A period is edited by its kind, inside one's own CPAS (privacy:retention_edit): no object id in any URL.
    "privacy.retentionperiod": [],
    # The access export of a person: another CPAS's file answers 404.
    "cases.beneficiary": [(Role.DPO, "post", lambda o: reverse("privacy:export", args=[o.pk]))],
}
