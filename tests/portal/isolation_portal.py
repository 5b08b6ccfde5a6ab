"""The staff page of a person's portal account, for tests/core/test_isolation.py: another CPAS's file is 404. (The
person's own pages are covered from the person's side by tests/portal/test_isolation.py.)"""

from django.urls import reverse

from piis.accounts.enums import Role

URLS = {
    "cases.beneficiary": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("portal_staff:account", args=[o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("portal_staff:account", args=[o.pk])),
    ],
}
