"""A person can never reach another person's data: every portal route with an object id, filled with the ids of
another person of the same CPAS and of a person of another CPAS, answers 404; with the person's own ids it answers.
A new portal route with an id parameter must have its kind of id in the worlds (tests/portal/world.py)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_member
from tests.portal.helpers import portal_login
from tests.portal.world import person_world

pytestmark = pytest.mark.django_db


def portal_routes() -> list[tuple[str, str, list[str]]]:
    """(name, route, int parameter names) of every route under /portal/."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and namespace == "portal":
                route = prefix + str(pattern.pattern)
                params = [name for name, conv in pattern.pattern.converters.items() if conv.regex == "[0-9]+"]
                found.append((pattern.name, route, params, list(pattern.pattern.converters)))

    walk(get_resolver().url_patterns, "/", None)
    return found


def fill(route: str, values: dict[str, int]) -> str:
    url = route
    for name, value in values.items():
        for conv in ("int", "str"):
            url = url.replace(f"<{conv}:{name}>", str(value))
    return url


def test_the_portal_has_routes_with_ids():
    names = {name for name, _route, params, _all in portal_routes() if params}
    assert {"contract_detail", "contract_pdf", "notice_letter", "decision_letter", "transfer_letter"} <= names


def test_no_portal_url_reaches_another_person(client, cpas_a, cpas_b):
    mine = person_world(cpas_a, worker=make_member(cpas_a))
    neighbour = person_world(cpas_a, worker=make_member(cpas_a), first_name="Bram")
    elsewhere = person_world(cpas_b, worker=make_member(cpas_b), first_name="Chloe")
    portal_login(client, mine.account)
    checked = 0
    for name, route, params, converters in portal_routes():
        if not params or set(converters) - set(params):
            continue  # no id, or a token (the one-time link: tests/portal/test_accounts.py)
        for param in params:
            assert param in mine.ids, f"portal:{name}: add {param} to tests/portal/world.py"
        for other in (neighbour, elsewhere):
            # every id another person's, then each id alone another person's (the others the person's own)
            combos = [{p: other.ids[p][0] for p in params}]
            if len(params) > 1:
                for swapped in params:
                    combos.append({p: (other if p == swapped else mine).ids[p][0] for p in params})
            for values in combos:
                for method in ("get", "post"):
                    response = getattr(client, method)(fill(route, values))
                    assert response.status_code == 404, (name, values, method, response.status_code)
                    checked += 1
    assert checked >= 20


def test_the_person_reaches_their_own_objects(client, cpas_a, monkeypatch):
    from piis.portal import views

    monkeypatch.setattr(views, "html_to_pdf", lambda html, **kw: b"%PDF-1.4 test")
    monkeypatch.setattr("piis.contracts.pdf.html_to_pdf", lambda html, **kw: b"%PDF-1.4 test")
    mine = person_world(cpas_a, worker=make_member(cpas_a))
    portal_login(client, mine.account)
    reading_routes = {"contract_detail", "contract_pdf", "contract_summary", "notice_letter", "decision_letter"}
    reading_routes.add("transfer_letter")
    for name, route, params, converters in portal_routes():
        if not params or set(converters) - set(params) or name not in reading_routes:
            continue
        response = client.get(fill(route, {p: mine.ids[p][0] for p in params}))
        assert response.status_code == 200, (name, response.status_code)
