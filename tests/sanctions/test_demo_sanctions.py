"""The demo has a sanction dossier at each stage before the council in both demo CPAS, each reachable by its page,
and loading it again adds none."""

import pytest
from django.urls import reverse

from piis.accounts.models import Membership
from piis.demo.data import DEMO_CPAS, load_demo_data
from piis.demo.sanctions import load_sanctions_demo
from piis.sanctions.models import SanctionDossier
from piis.sanctions.selectors import readiness
from tests.followup.builders import D, at

pytestmark = pytest.mark.django_db
TODAY = D(2026, 11, 27)


def test_each_demo_cpas_has_a_dossier_at_each_stage_and_a_second_load_adds_none(client):
    with at(TODAY):
        load_demo_data(today=TODAY)
    count = SanctionDossier.objects.count()
    for spec in DEMO_CPAS:
        dossiers = SanctionDossier.objects.filter(cpas__nis_code=spec.nis_code)
        statuses = set(dossiers.values_list("status", flat=True))
        assert {"open", "notice_sent", "preparing", "closed"} <= statuses, (spec.key, statuses)
        # the ready one may have gone on to the council's part of the demo (a sitting, a decision)
        assert statuses & {"ready", "on_agenda", "decided", "appealed"} or any(d.recent_piis_on for d in dossiers)
        closed = dossiers.get(status="closed")
        assert closed.closure_reason == "legitimate_reason"
        preparing = dossiers.get(status="preparing")
        assert readiness(preparing)  # still something to do before the council
        lead = Membership.objects.get(cpas=closed.cpas, user__username=f"{spec.key}_team_lead")
        with at(TODAY):
            client.force_login(lead.user)
            session = client.session
            session["current_cpas_id"] = lead.cpas_id
            session.save()
            for dossier in dossiers:
                assert client.get(reverse("sanctions:detail", args=[dossier.pk])).status_code == 200
        with at(TODAY):
            assert load_sanctions_demo(closed.cpas, today=TODAY) == {}
    assert SanctionDossier.objects.count() == count
