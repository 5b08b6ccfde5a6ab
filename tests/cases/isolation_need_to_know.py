"""Tenancy registry of need-to-know: teams (accounts) and break-the-glass openings (cases), collected by
tests/core/test_isolation.py."""

import datetime

from django.urls import reverse
from django.utils import timezone

from piis.accounts.enums import Role
from piis.cases.models import GlassBreak
from tests.factories import make_beneficiary, make_member, make_team


def _glass_break(cpas):
    return GlassBreak.objects.create(
        cpas=cpas,
        beneficiary=make_beneficiary(cpas),
        user=make_member(cpas).user,
        reason="The assigned worker is absent today.",
        until=timezone.now() + datetime.timedelta(hours=8),
    )


BUILDERS = {"accounts.team": make_team, "cases.glassbreak": _glass_break}

URLS = {
    "accounts.team": [
        (Role.CPAS_ADMIN, "get", lambda o: reverse("accounts:team_edit", args=[o.pk])),
        (Role.CPAS_ADMIN, "post", lambda o: reverse("accounts:team_edit", args=[o.pk])),
        (Role.CPAS_ADMIN, "post", lambda o: reverse("accounts:team_remove", args=[o.pk])),
    ],
    # An opening has no page of its own: the DPO lists those of their CPAS (tests/cases/test_need_to_know.py); the
    # break-the-glass page of another CPAS's file answers 404 (its beneficiary's entry).
    "cases.glassbreak": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("cases:break_glass", args=[o.beneficiary_id])),
    ],
}
