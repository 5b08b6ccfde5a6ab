"""Tenant isolation of background jobs (collected by tests/core/test_isolation.py): another CPAS's build, its
progress and its file answer 404."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.jobs.builders import make_job

BUILDERS = {"jobs.job": make_job}
URLS = {
    "jobs.job": [
        (Role.DIRECTOR, "get", lambda o: reverse("reports:build_status", args=[o.pk])),
        (Role.DIRECTOR, "get", lambda o: reverse("reports:build_download", args=[o.pk])),
        (Role.INSPECTOR, "get", lambda o: reverse("reports:build_download", args=[o.pk])),
    ],
}
