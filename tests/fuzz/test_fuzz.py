"""No input reaches a server error, and a refused form writes nothing.

Every route of the URL resolver (piis/urls.py), its path filled with ids of a demo-like world (tests/fuzz/world.py:
the CPAS's own objects in each state, another CPAS's, mismatched pairs, ids that do not exist), is visited in three
phases, each request in a savepoint rolled back after it:

1. the sweep: GET as every role and anonymous, then on each of the CPAS's objects; the pages' forms and links teach
   each route's fields, query keys and the role and ids it is used with; each action without a page of its own
   (remove, toggle…) is posted on each object;
2. the edges: each date, number and text field of each form at its edges (0001-01-01, 1900-01-01, 9999-12-31; -1,
   1e309, 20 digits; a NUL; a formula of 6000 characters in a text area), every other field as the page had it, so
   that the odd value reaches the cross-field checks and the services;
3. hypothesis: GET and POST on every route, as any role, with any ids: each field present, missing or duplicated;
   kept, plausible, or hostile (long and odd unicode, NUL, markup, formulas, out-of-range numbers and dates, another
   kind's value, a broken upload); fields the form does not have; several body encodings, languages, htmx or not.

Asserted for every request: no 5xx; and unless it answered with a redirect (it did what was asked), no row of any
piis table changed and no audit row was written but a read (`*_opened`, the trail's export): a form re-rendered with
its errors, a 400, 403, 404 or 405 wrote nothing.

Budget: FUZZ_EXAMPLES hypothesis examples in all (default 400, derandomized: the same ones each run), shared by
the routes after the number of their fields; a slow route (the PDF) gets one. `make fuzz` sets FUZZ_EXAMPLES=2000
and FUZZ_SWEEP=all (the sweep visits every route with every id as every role, and hypothesis draws anew each run).
The figures (requests per phase, routes, roles, statuses, server errors) are printed at the end (`pytest -s`).
"""

import logging
import os
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.core.models import DERIVED_MODELS
from tests.fuzz.routes import Form, Route, discover_routes, parse_page, resolve_url
from tests.fuzz.strategies import baseline_data, form_data, hostile_text
from tests.fuzz.world import World, build_world, path_candidates

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))
FUZZ_SWEEP = os.environ.get("FUZZ_SWEEP", "roles")  # "roles": each route as every role; "all": with every id too
SLOW_SECONDS = 0.4  # a route slower than this on average (the PDF) is fuzzed with one example
ANONYMOUS = "anonymous"
PERSON = "person"  # the world's person, logged in to their portal (piis.portal)
ROLES = (*Role.values, PERSON, ANONYMOUS)
REDIRECTS = (301, 302, 303)
LANGUAGES = ("fr", "nl", "de", "en", "xx", "fr-BE;q=0.9, nl;q=0.8", "\u00e9\u00e9")
BODY_TYPES = (
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
)
# Audit rows that record a read, which a refused request may write: a file or a document opened, the trail exported.
# Reads: `*_opened`, the trail's export, an open PIIS file or a person's data downloaded (and the search for them),
# and the break-the-glass page (it names the person whose file it refuses).
READ_VERBS = [
    *(v for v in AuditVerb.values if v.endswith("_opened")),
    AuditVerb.AUDIT_EXPORTED,
    AuditVerb.TRANSFER_PACKAGE_EXPORTED,  # the open PIIS file downloaded: a read, as the trail's export
    AuditVerb.PERSONAL_DATA_SEARCHED,  # the right of access's search names the people found
    AuditVerb.PERSONAL_DATA_EXPORTED,  # the right of access's ZIP downloaded
    AuditVerb.SUBSIDY_CLAIM_EXPORTED,  # the subsidy claim's CSV downloaded (piis.reports)
    AuditVerb.SUBSIDY_EVIDENCE_EXPORTED,  # the inspection's evidence ZIP downloaded (piis.reports)
    AuditVerb.OBSERVATORY_EXPORTED,  # the observatory's figures as CSV (groups of people, suppressed under 5)
    AuditVerb.FEDERAL_STATISTICS_EXPORTED,  # the R76 statistics downloaded (piis.observatory)
    AuditVerb.FEDERAL_EXCHANGE_EXPORTED,  # the R77 exchange downloaded (piis.observatory)
    AuditVerb.FILE_ACCESS_REFUSED,
]

pytestmark = pytest.mark.django_db


# --- what a request may change ----------------------------------------------------------------------------------


def _watched_models():
    """Every table of the app's packages; audit rows are counted apart (reads are legitimately logged); derived
    tables a read may refresh (core.models.DERIVED_MODELS) are not watched."""
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("piis.")
        and m is not AuditEvent
        and not m._meta.proxy
        and m._meta.managed
        and m._meta.label_lower not in DERIVED_MODELS
    ]


def table_states() -> dict[str, tuple]:
    """Per piis table, what any insert, update or delete changes; plus the number of audit rows of a change.

    On PostgreSQL, the row count and the newest `xmin`: each request runs in a savepoint, whose rows carry its own,
    newer transaction id. Elsewhere, every row.
    """
    models = _watched_models()
    if connection.vendor != "postgresql":
        states = {m._meta.db_table: tuple(sorted(map(repr, m.objects.values_list()))) for m in models}
        states["audit"] = (AuditEvent.objects.exclude(verb__in=READ_VERBS).count(),)
        return states
    quote = connection.ops.quote_name
    parts = [f"SELECT %s, count(*), max(xmin::text::bigint) FROM {quote(m._meta.db_table)}" for m in models]
    parts.append(f"SELECT %s, count(*), 0 FROM {quote(AuditEvent._meta.db_table)} WHERE NOT (verb = ANY(%s))")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [*(m._meta.db_table for m in models), "audit", READ_VERBS])
        return {table: (count, newest) for table, count, newest in cursor.fetchall()}


# --- the run ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """A form found on a page: what it sends, and a role and ids with which the page showed it."""

    form: Form
    role: str
    kwargs: dict


@dataclass
class Run:
    world: World
    routes: list[Route]
    candidates: dict  # route parameters → (own ids, other ids)
    clients: dict[str, Client] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    baseline: dict = field(default_factory=dict)
    forms: dict = field(default_factory=lambda: defaultdict(dict))  # route name → {form key: Seen}
    form_roles: dict = field(default_factory=lambda: defaultdict(set))  # route name → roles shown one of its forms
    query_keys: dict = field(default_factory=lambda: defaultdict(set))  # route name → keys seen in links and forms
    reached: dict = field(default_factory=lambda: defaultdict(set))  # route name → roles answered 2xx/3xx
    statuses: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)  # route name → time spent
    sent: Counter = field(default_factory=Counter)  # route name → requests
    served: dict = field(default_factory=dict)  # route name → (requests answered 200, their seconds)
    roles_used: set = field(default_factory=set)
    gettable: set = field(default_factory=set)  # routes that answered a GET with something else than 405
    writes: int = 0
    failures: list = field(default_factory=list)
    phases: list = field(default_factory=list)  # (name, requests, seconds)

    def kwargs(self, route: Route) -> list[dict]:
        own, other = self.candidates[route.params]
        return [*own, *other]

    def client(self, role: str) -> Client:
        client = self.clients[role]
        client.cookies.clear()
        if role != ANONYMOUS:
            # A logout (or a login) in an earlier request must not change who sends the next one.
            client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def send(self, route: Route, kwargs: dict, role: str, method: str, data=None, *, raw=None, headers=None):
        """One request, in a savepoint rolled back after it. Returns (status, what went wrong or None)."""
        url = route.url(kwargs)
        client = self.client(role)
        self.roles_used.add(role)
        savepoint = transaction.savepoint()
        started = time.monotonic()
        try:
            try:
                if method == "get":
                    response = client.get(url, data or {}, headers=headers)
                elif raw is not None:
                    response = client.post(url, raw[0], content_type=raw[1], headers=headers)
                else:
                    response = client.post(url, data or {}, headers=headers)
            except Exception as error:  # the test client re-raises what the view raised (a 500)
                status, problem = 500, "".join(traceback.format_exception(error))
            else:
                status = response.status_code
                problem = None if status < 500 else f"status {status}"
                if problem is None and (method == "get" or status not in REDIRECTS):
                    now = table_states()
                    if now != self.baseline:
                        self.writes += 1
                        problem = f"refused but wrote to {sorted(t for t in now if now[t] != self.baseline.get(t))}"
                if response.streaming:  # read to the end: the test client then closes the file it streams
                    b"".join(response.streaming_content)
                elif status < 400 and response.get("Content-Type", "").startswith("text/html"):
                    self.learn(route, role, kwargs, response.content.decode(errors="replace"))
        finally:
            transaction.savepoint_rollback(savepoint)
            self.seconds[route.name] += time.monotonic() - started
            self.sent[route.name] += 1
        self.statuses[status] += 1
        if status == 200:
            count, seconds = self.served.get(route.name, (0, 0.0))
            self.served[route.name] = (count + 1, seconds + time.monotonic() - started)
        if method == "get" and status != 405:
            self.gettable.add(route.name)
        if 200 <= status < 300 or (status in REDIRECTS and role != ANONYMOUS):  # not the way to the login page
            self.reached[route.name].add(role)
        return status, problem

    def learn(self, route: Route, role: str, kwargs: dict, html: str) -> None:
        """Remember each form of the page under the route it posts to, with a role and ids it was shown with."""
        forms, links = parse_page(html)
        for form in forms:
            found = resolve_url(form.action) if form.action else (route.name, kwargs)
            if found:
                target, target_kwargs = found
                self.forms[target].setdefault(form.key(), Seen(form, role, target_kwargs))
                self.form_roles[target].add(role)
                if form.method == "get":
                    self.query_keys[target].update(form.fields)
        for link in links:
            parts = urlsplit(link)
            found = resolve_url(link) if parts.path else (route.name, kwargs)
            if found:
                self.query_keys[found[0]].update(k for k, _v in parse_qsl(parts.query, keep_blank_values=True))

    def seen(self, route: Route, method: str) -> list["Seen"]:
        return [seen for seen in self.forms[route.name].values() if seen.form.method == method]

    def mean_seconds(self, route: Route) -> float:
        """How long the route takes to answer with its page (refusals are quick and would hide a slow page)."""
        count, seconds = self.served.get(route.name, (0, 0.0))
        return seconds / max(1, count)

    def phase(self, name: str, work, *args) -> None:
        """Run one phase of the test and note its requests and time for the summary."""
        sent, started = sum(self.sent.values()), time.monotonic()
        work(self, *args)
        self.phases.append((name, sum(self.sent.values()) - sent, time.monotonic() - started))

    def summary(self) -> str:
        phases = ", ".join(f"{n} in {name} ({seconds:.0f} s)" for name, n, seconds in self.phases)
        slowest = ", ".join(f"{name} {s:.1f} s / {self.sent[name]}" for name, s in self.seconds.most_common(3))
        return (
            f"fuzz: {sum(self.sent.values())} requests ({phases}) to {len(self.sent)} of {len(self.routes)} routes "
            f"as {len(self.roles_used)} roles ({', '.join(sorted(self.roles_used))}); statuses "
            f"{dict(sorted(self.statuses.items()))}: {self.statuses[500]} server errors, {self.writes} refused "
            f"requests that wrote, {len(self.failures)} failures. Slowest routes: {slowest}."
        )


@pytest.fixture
def run(db):
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)  # 403, 404 and 405 come by the hundred; failures are reported below
    try:
        world = build_world()
        run = Run(world=world, routes=discover_routes(), candidates=path_candidates(world))
        for role in ROLES:
            client = run.clients[role] = Client(raise_request_exception=True)
            if role == PERSON:
                client.force_login(world.person_account.user)
                run.sessions[role] = client.session.session_key
            elif role != ANONYMOUS:
                membership = world.members[role]
                client.force_login(membership.user)
                session = client.session
                session["current_cpas_id"] = membership.cpas_id
                session.save()
                run.sessions[role] = session.session_key
        run.baseline = table_states()
        yield run
    finally:
        logging.disable(previous)


def test_every_route_has_ids_to_fill_its_path(run):
    """A new route with parameters the world cannot fill would go unfuzzed: say so."""
    missing = {r.name: r.params for r in run.routes if r.params not in run.candidates}
    assert not missing, f"tests/fuzz/world.py path_candidates() has no ids for {missing}"
    assert all(run.candidates[r.params][0] for r in run.routes), "each route needs at least one id of the CPAS"


def test_a_refused_request_that_writes_is_caught(run, monkeypatch):
    """The control of the write check: a row changed under a request answered 200 is reported, then rolled back."""
    from piis.cases.models import Beneficiary

    home = next(r for r in run.routes if r.name == "core:home")
    original = Client.get

    def writing_get(self, *args, **kwargs):
        Beneficiary.objects.filter(pk=run.world.ids["beneficiary_id"][0]).update(first_name="Changed")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "get", writing_get)
    status, problem = run.send(home, {}, Role.SOCIAL_WORKER, "get")
    monkeypatch.undo()
    assert status == 200 and problem and "cases_beneficiary" in problem
    assert run.send(home, {}, Role.SOCIAL_WORKER, "get") == (200, None)


def test_a_server_error_is_caught(run, monkeypatch):
    """The control of the 5xx check: a view that raises is reported with its traceback."""
    from piis.www import home

    monkeypatch.setattr(home, "count_files", lambda membership: 1 / 0)
    route = next(r for r in run.routes if r.name == "core:home")
    status, problem = run.send(route, {}, Role.SOCIAL_WORKER, "get")
    assert status == 500 and "ZeroDivisionError" in problem


# --- the sweep and the fuzzing ------------------------------------------------------------------------------------


def _sweep(run: Run) -> None:
    """Every route as every role with its first ids; then each of its own ids (FUZZ_SWEEP=all: every id, as every
    role); then each action without a page on each own id. Learns each route's forms and query keys, and which roles
    reach it."""

    def visit(route, kwargs, role):
        status, problem = run.send(route, kwargs, role, "get")
        if problem:
            run.failures.append(f"GET {route.url(kwargs)} as {role} → {status}\n{problem}")

    for route in run.routes:
        own, other = run.candidates[route.params]
        for role in ROLES:
            for kwargs in [*own, *other] if FUZZ_SWEEP == "all" else own[:1]:
                visit(route, kwargs, role)
        if FUZZ_SWEEP != "all" and run.mean_seconds(route) < SLOW_SECONDS:
            # The most able role that reached the route (ROLES order), so that the forms only it is shown (a
            # dossier's "back to preparation", say) are learnt on the other objects too.
            role = next((r for r in ROLES if r in run.reached[route.name] and r != ANONYMOUS), Role.SOCIAL_WORKER)
            for kwargs in own[1:]:
                visit(route, kwargs, role)
    # The search forms (GET) of the pages without parameters, filled with the world's person's name: their results
    # show the forms of what is done with a file found (the right of access's export, privacy:export).
    for route in run.routes:
        if route.params:
            continue
        for seen in run.seen(route, "get")[:1]:
            data = baseline_data(seen.form)
            typed = [f.name for f in seen.form.fields.values() if f.kind in ("text", "search")]
            data.update(dict.fromkeys(typed, run.world.search_term))
            status, problem = run.send(route, seen.kwargs, seen.role, "get", data)
            if problem:
                run.failures.append(f"GET {route.url(seen.kwargs)} as {seen.role} with {data} → {status}\n{problem}")
    # The actions without a page of their own (remove, toggle, back to draft…): their form, as a page showed it, on
    # each of the CPAS's objects in each of its states.
    for route in run.routes:
        if run.reached[route.name]:
            continue
        for seen in run.seen(route, "post")[:1]:
            for kwargs in run.candidates[route.params][0]:
                status, problem = run.send(route, kwargs, seen.role, "post", baseline_data(seen.form))
                if problem:
                    run.failures.append(f"POST {route.url(kwargs)} as {seen.role} → {status}\n{problem}")


# Values at the edges that break what computes with them (a calendar, a law's parameters, a decimal column, a text
# column) or stores them (a NUL, a long text).
BOUNDARIES = {
    "date": ("0001-01-01", "1900-01-01", "9999-12-31"),
    "number": ("-1", "1e309", "99999999999999999999"),
    **dict.fromkeys(("text", "search", "email"), ("a\x00b",)),
    "textarea": ("a\x00b", '=HYPERLINK("x")' + "é" * 6_000),
}


def _boundaries(run: Run) -> None:
    """Each date, number and text field of each form at its edges, every other field filled in as the page had it,
    as the role and with the ids the page was shown with: what a random draw reaches rarely, every time."""
    for route in run.routes:
        for method in ("get", "post"):
            for seen in run.seen(route, method):
                for f in seen.form.fields.values():
                    for value in BOUNDARIES.get(f.kind, ()):
                        data = {**baseline_data(seen.form), f.name: value}
                        status, problem = run.send(route, seen.kwargs, seen.role, method, data)
                        if problem:
                            run.failures.append(
                                f"{method.upper()} {route.url(seen.kwargs)} as {seen.role} with {f.name}={value} "
                                f"(the rest as the page had it) → {status}\n{problem}"
                            )


def _roles_for(run: Run, route: Route) -> list[str]:
    """The roles that reach the route or were shown one of its forms, the most able first."""
    able = run.reached[route.name] | run.form_roles[route.name]
    return [r for r in ROLES if r in able] or list(ROLES)


def _request_strategy(run: Run, route: Route, method: str, forms: list[Form]):
    query_keys = sorted(run.query_keys[route.name] | {"page", "next"})
    other_fields = sorted({k for fs in run.forms.values() for seen in fs.values() for k in seen.form.fields})
    extra_keys = tuple(query_keys if method == "get" else query_keys + other_fields)
    # Fixed now: what the run learns while it fuzzes must not change what a replayed example draws.
    able, own, everything = tuple(_roles_for(run, route)), tuple(run.candidates[route.params][0]), run.kwargs(route)
    return st.fixed_dictionaries(
        {
            # Mostly a role that may use the route and the CPAS's own objects; sometimes anyone, anything.
            "role": st.sampled_from([able, able, able, ROLES]).flatmap(st.sampled_from),
            "kwargs": st.sampled_from([own, own, own, everything]).flatmap(st.sampled_from),
            "data": st.sampled_from(forms).flatmap(lambda form: form_data(form, extra_keys)),
            "encoding": st.sampled_from(["form", "form", "form", "urlencoded", "raw"]),
            "raw": st.tuples(
                st.one_of(st.binary(max_size=300), hostile_text.map(lambda s: s.encode())), st.sampled_from(BODY_TYPES)
            ),
            "headers": st.fixed_dictionaries(
                {},
                optional={
                    "accept-language": st.sampled_from(LANGUAGES),
                    "hx-request": st.just("true"),
                    "referer": st.one_of(st.just("/"), hostile_text),
                },
            ),
        }
    )


def _send_drawn(run: Run, route: Route, method: str, drawn: dict):
    data, raw = drawn["data"], None
    if method == "get" or drawn["encoding"] == "urlencoded":
        data = {k: v for k, v in data.items() if not hasattr(v, "read")}  # no file outside a multipart body
        if method == "post":
            raw = (urlencode(data, doseq=True), "application/x-www-form-urlencoded")
    elif drawn["encoding"] == "raw":
        raw = drawn["raw"]
    return run.send(route, drawn["kwargs"], drawn["role"], method, data, raw=raw, headers=drawn["headers"] or None)


def _fuzz(run: Run, route: Route, method: str, examples: int) -> str | None:
    """Hypothesis on one route and method; the shrunk failing request, or None."""
    seen = run.seen(route, method)
    forms = [s.form for s in seen] or [Form(action="", method=method)]
    # The first example is the page's own form as it was shown, filled in: the route is reached.
    first = {
        "role": seen[0].role if seen else _roles_for(run, route)[0],
        "kwargs": seen[0].kwargs if seen else run.kwargs(route)[0],
        "data": baseline_data(forms[0]),
        "encoding": "form",
        "raw": (b"", BODY_TYPES[0]),
        "headers": {},
    }

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        derandomize=FUZZ_SWEEP != "all",  # `make test` stays reproducible; `make fuzz` explores anew
        phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no "explain": it traces coverage, slowly
    )
    @example(drawn=first)
    @given(drawn=_request_strategy(run, route, method, forms))
    def fuzz_route(drawn):
        status, problem = _send_drawn(run, route, method, drawn)
        assert problem is None, f"{method.upper()} {route.name} as {drawn['role']} → {status}\n{problem}"

    try:
        fuzz_route()
    except AssertionError as error:
        return "\n".join([str(error), *getattr(error, "__notes__", [])])
    return None


def _inputs(run: Run, route: Route, method: str) -> int:
    fields = [len(seen.form.fields) for seen in run.seen(route, method)]
    return max(fields, default=0) + (len(run.query_keys[route.name]) if method == "get" else 0)


def _fuzz_all(run: Run) -> None:
    """Hypothesis on every route: GET where a page answered, POST everywhere (a page that only shows must refuse a
    POST cleanly too). The examples go where there is input to vary: a route's share grows with its fields."""
    targets = [(r, "get") for r in run.routes if r.name in run.gettable] + [(r, "post") for r in run.routes]
    weights = {target: 1 + _inputs(run, *target) for target in targets}
    for (route, method), weight in weights.items():
        share = max(1, round(FUZZ_EXAMPLES * weight / sum(weights.values())))
        examples = 1 if run.mean_seconds(route) > SLOW_SECONDS else share
        if failure := _fuzz(run, route, method, examples):
            run.failures.append(failure)


def test_no_input_reaches_a_server_error_and_a_refused_form_writes_nothing(run):
    run.phase("the sweep", _sweep)
    run.phase("the edges of each field", _boundaries)
    run.phase(f"{FUZZ_EXAMPLES} hypothesis examples", _fuzz_all)
    summary = run.summary()
    print(summary)
    assert not run.failures, summary + "\n\n" + "\n\n".join(run.failures)
    # Every route answered at least once with a page or a redirect: its ids and fields were right somewhere.
    assert not [r.name for r in run.routes if not run.reached[r.name]], summary
