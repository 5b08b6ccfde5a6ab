"""Tenant isolation of the API tokens (collected by tests/core/test_isolation.py); the API's own operations are
crossed CPAS-wise in tests/api/test_api.py."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.api.builders import make_token

BUILDERS = {"api.apitoken": make_token}
URLS = {
    "api.apitoken": [
        (Role.CPAS_ADMIN, "post", lambda o: reverse("api_tokens:revoke", args=[o.pk])),
    ],
}
