"""Every response of the application carries the security headers, and none of them may be cached.

Every GET route of the URL resolver (tests/fuzz/routes.py), its path filled with the CPAS's own ids of the fuzz
test's demo-like world (tests/fuzz/world.py), is fetched as the roles in turn until one gets a 200 (a route refused
to every role is checked on its refusal): pages, htmx fragments, the contract PDF, the signature scan, the audit CSV
and the calendar feed. Each answer must be `Cache-Control: no-store` with `Pragma: no-cache`, and carry the
Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval'), Permissions-Policy and Referrer-Policy. Static files,
served by WhiteNoise before the application, keep their cache.
"""

import pytest
from django.test import Client

from piis.accounts.enums import Role
from tests.fuzz.routes import discover_routes
from tests.fuzz.world import build_world, path_candidates

pytestmark = pytest.mark.django_db

# The roles tried in turn for a route, the widest readers first.
ROLES = [Role.SOCIAL_WORKER, Role.TEAM_LEAD, Role.CPAS_ADMIN, *Role.values]

# Every kind of answer that holds personal data, each to be seen at least once by the crawl.
FILE_KINDS = {
    "text/html": "a page",
    "application/pdf": "the contract PDF or a signature scan",
    "text/csv": "the audit trail export",
    "text/calendar": "the calendar feed",
}


def assert_private(response, where: str) -> None:
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert "no-store" in cache_control, f"{where}: Cache-Control {response.get('Cache-Control')!r}"
    assert "public" not in cache_control and "private" in cache_control, where
    assert response.get("Pragma") == "no-cache", where
    csp = response.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("script-src") == ["'self'"], f"{where}: CSP {csp!r}"
    assert directives.get("style-src") == ["'self'"], f"{where}: CSP {csp!r}"
    assert directives.get("default-src") == ["'none'"] and directives.get("frame-ancestors") == ["'none'"], where
    assert "unsafe" not in csp, f"{where}: CSP {csp!r}"
    policy = response.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy, f"{where}: Permissions-Policy {policy!r}"
    assert response.get("Referrer-Policy") == "same-origin", where


def _client(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["current_cpas_id"] = membership.cpas_id
    session.save()
    return client


def _read(response) -> None:
    if response.streaming:
        response.getvalue()  # read to the end: the test client then closes the file it streams


def test_every_route_is_private_and_under_the_policies():
    world = build_world()
    candidates = path_candidates(world)
    clients = {role: _client(world.members[role]) for role in dict.fromkeys(ROLES)}
    seen: dict[str, list[str]] = {}
    checked = 0
    for route in discover_routes():
        own, _other = candidates[route.params]
        url = route.url(own[0])
        for role in dict.fromkeys(ROLES):
            response = clients[role].get(url)
            _read(response)
            if response.status_code == 200:
                break
        assert_private(response, f"{route.name} {url} ({response.status_code})")
        checked += 1
        kind = response.get("Content-Type", "").split(";")[0]
        if response.status_code == 200:
            seen.setdefault(kind, []).append(route.name)
    assert checked > 50, f"only {checked} routes: the route list is broken"
    missing = {kind: what for kind, what in FILE_KINDS.items() if kind not in seen}
    assert not missing, f"the crawl got none of {missing}; seen: {sorted(seen)}"
    # Both files of a contract: the PDF of a version and the scan of a signature.
    assert {"contracts:pdf", "contracts:signature_scan"} <= set(seen["application/pdf"]), seen["application/pdf"]


def test_an_htmx_fragment_and_the_anonymous_pages_are_private(client):
    world = build_world()
    worker = _client(world.members[Role.SOCIAL_WORKER])
    fragment = worker.get("/files/", {"q": "a"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    assert_private(fragment, "the file list's htmx rows")
    for url, status in [("/accounts/login/", 200), ("/files/", 302), ("/no-such-page/", 404)]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_private(response, url)


def test_static_files_keep_their_cache(client):
    """The control: WhiteNoise answers before the middleware, so the CSS and JavaScript are cacheable."""
    response = client.get("/static/css/piis.css")
    assert response.status_code == 200
    _read(response)
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response
