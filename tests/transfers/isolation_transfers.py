"""Tenancy registry of the transfer rows (collected by tests/core/test_isolation.py)."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.transfers.builders import make_incoming, make_review, make_transfer

_SW = Role.SOCIAL_WORKER

BUILDERS = {
    "transfers.transfer": make_transfer,
    "transfers.incomingtransfer": make_incoming,
    "transfers.takeoverreview": make_review,
}

URLS = {
    "transfers.transfer": [
        (Role.TEAM_LEAD, "get", lambda o: reverse("transfers:detail", args=[o.pk])),
        (Role.TEAM_LEAD, "post", lambda o: reverse("transfers:answer", args=[o.pk])),
        (Role.TEAM_LEAD, "post", lambda o: reverse("transfers:letter_sent", args=[o.pk])),
    ],
    "transfers.incomingtransfer": [
        (_SW, "get", lambda o: reverse("transfers:incoming", args=[o.pk])),
        (_SW, "post", lambda o: reverse("transfers:incoming_refusal", args=[o.pk])),
    ],
    "transfers.takeoverreview": [
        (_SW, "post", lambda o: reverse("transfers:review", args=[o.pk])),
    ],
}
