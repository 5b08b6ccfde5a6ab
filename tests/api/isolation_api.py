"""Tenant isolation of the API tokens (collected by tests/core/test_isolation.py); the API's own operations are
crossed CPAS-wise in tests/api/test_api.py."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.api.builders import make_token


def make_call_count(cpas):
    from piis.api.models import ApiCallCount

    return ApiCallCount.objects.create(cpas=cpas, token=make_token(cpas), minute=1, calls=1)


BUILDERS = {"api.apitoken": make_token, "api.apicallcount": make_call_count}
URLS = {
    "api.apitoken": [
        (Role.CPAS_ADMIN, "post", lambda o: reverse("api_tokens:revoke", args=[o.pk])),
    ],
    # Call counts have no page of their own: only the rate limit of the token's own calls reads them.
    "api.apicallcount": [],
}
