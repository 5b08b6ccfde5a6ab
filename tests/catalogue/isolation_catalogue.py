"""Tenancy fence for the catalogue: another CPAS's service, partner or target group answers 404 on its edit pages
(tests/core/test_isolation.py collects this module)."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.catalogue.builders import make_catalogue_entry, make_target_group

ADMIN = Role.CPAS_ADMIN

BUILDERS = {
    "catalogue.catalogueentry": make_catalogue_entry,
    "catalogue.targetgroup": make_target_group,
}

URLS = {
    "catalogue.catalogueentry": [
        (ADMIN, "get", lambda o: reverse("catalogue:entry_edit", args=[o.pk])),
        (ADMIN, "post", lambda o: reverse("catalogue:entry_edit", args=[o.pk])),
    ],
    "catalogue.targetgroup": [
        (ADMIN, "get", lambda o: reverse("catalogue:group_edit", args=[o.pk])),
        (ADMIN, "post", lambda o: reverse("catalogue:group_edit", args=[o.pk])),
    ],
}
