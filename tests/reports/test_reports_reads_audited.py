"""Every reports page that shows a person writes an audit row in that request, for every role (the crawl of
tests/www/test_every_read_is_audited.py, restricted to the reports' routes)."""

import pytest

from piis.accounts.enums import Role
from tests.fuzz.routes import discover_routes
from tests.fuzz.world import build_world, path_candidates
from tests.www.test_every_read_is_audited import _client, _get, _shows_a_person

pytestmark = pytest.mark.django_db


def test_every_reports_page_showing_a_person_is_audited():
    world = build_world()
    candidates = path_candidates(world)
    problems, shown = [], 0
    for role in Role.values:
        client = _client(world.members[role])
        for route in (r for r in discover_routes() if r.name.startswith("reports:")):
            for kwargs in candidates[route.params][0]:
                status, html, written = _get(client, route.url(kwargs))
                if status == 200 and html and _shows_a_person(world, html):
                    shown += 1
                    if not written:
                        problems.append((role, route.name))
    assert not problems
    assert shown, "the director's and the inspector's claim show people"
