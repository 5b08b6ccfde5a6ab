"""R74: the SPP IS inspector reads and never writes. Every route of the URL resolver, its path filled with the fuzz
world's own ids, is sent a GET and an empty POST as the inspector: nothing but read audit rows may change, and no
file page opens (need-to-know: the role has no file role)."""

import pytest
from django.db import transaction
from django.test import Client

from piis.accounts.enums import Role
from piis.accounts.perms import can_edit_beneficiaries, can_view_beneficiaries
from piis.reports.perms import can_view_annual_report, can_view_subsidy_claim, can_view_subsidy_evidence
from tests.fuzz.routes import discover_routes
from tests.fuzz.test_fuzz import table_states
from tests.fuzz.world import build_world, path_candidates

pytestmark = pytest.mark.django_db


def test_the_inspectors_permissions(cpas_a):
    from tests.factories import make_member

    inspector = make_member(cpas_a, Role.INSPECTOR)
    assert can_view_subsidy_claim(inspector) and can_view_subsidy_evidence(inspector)
    assert can_view_annual_report(inspector)
    assert not can_view_beneficiaries(inspector) and not can_edit_beneficiaries(inspector)


def test_the_inspector_writes_nothing_anywhere():
    world = build_world()
    client = Client(raise_request_exception=False)
    inspector = world.members[Role.INSPECTOR]
    client.force_login(inspector.user)
    session = client.session
    session["current_cpas_id"] = inspector.cpas_id
    session.save()
    candidates = path_candidates(world)
    baseline = table_states()
    wrote, reached_files = [], []
    for route in discover_routes():
        own = candidates.get(route.params, ([], []))[0]
        for kwargs in own[:1]:
            url = route.url(kwargs)
            for method in ("get", "post"):
                savepoint = transaction.savepoint()
                try:
                    response = getattr(client, method)(url)
                    if response.streaming:
                        b"".join(response.streaming_content)
                    if table_states() != baseline:
                        wrote.append((method, route.name))
                    if method == "get" and response.status_code == 200 and route.name.startswith("cases:"):
                        reached_files.append(route.name)
                finally:
                    transaction.savepoint_rollback(savepoint)
    assert not wrote, f"the inspector wrote through {wrote}"
    assert not reached_files, f"the inspector opened {reached_files}"
