"""Two people edit the same objective at the same time, through the real views (issue 16).

Each person has their own test client, thread, database connection and request transaction: both read the edit
page, then both save at once (a barrier), each having changed a different field. Used by
tests/core/test_concurrent_edits.py (PostgreSQL) and by `make measure-concurrent-edits`
(benchmarks/concurrent_edits.py), which plays 100 pairs and prints how many conflicts were caught and how many
updates were lost.
"""

import threading
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.urls import reverse

from piis.accounts.enums import Role
from piis.contracts.models import Objective
from tests.conftest import pass_second_factor
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_member
from tests.fuzz.routes import parse_page

REFUSED = "nothing has been saved"


def client_of(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    pass_second_factor(client, membership.user)  # outside pytest too (the benchmark), as after the login form
    session = client.session
    session["current_cpas_id"] = membership.cpas_id
    session.save()
    return client


@dataclass
class Editors:
    """Two social workers of one CPAS: one drafts the objectives' PIIS, the other is its substitute (both may
    reach the file and edit it, piis.cases.access)."""

    members: list
    clients: list[Client]


def two_editors(cpas) -> Editors:
    members = [make_member(cpas, Role.SOCIAL_WORKER) for _ in range(2)]
    return Editors(members, [client_of(member) for member in members])


def an_objective(cpas, editors: Editors) -> Objective:
    first, second = (member.user for member in editors.members)
    return drafted_contract(cpas, social_worker=first, substitute_worker=second).objectives.get()


def page_data(html: str) -> dict:
    """What the browser posts when the page is saved as shown (every field, the version read included)."""
    form = next(f for f in parse_page(html)[0] if "read_version" in f.fields)
    data: dict = {}
    for name, item in form.fields.items():
        if item.kind == "checkbox":  # the objective's one assessment item, ticked (the parser keeps the last ticked)
            data[name] = [item.value] if item.value else []
        else:
            data[name] = item.value
    return data


@dataclass
class PairResult:
    statuses: list[int]
    refused: list[bool]
    lost: bool  # a save answered "saved" whose change is not stored
    overlapped: bool  # the second transaction waited for the first one's lock
    stored: dict = field(default_factory=dict)

    @property
    def caught(self) -> bool:
        return sorted(self.statuses) == [200, 302] and self.refused.count(True) == 1


class LockWatch:
    """Wraps the lock-and-compare step of audited_save: records when each request asked for the row and got it,
    and holds the lock `hold` seconds so that the other request's transaction really waits on it."""

    def __init__(self, original, hold: float):
        self.original, self.hold = original, hold
        self.events: list[tuple[float, float]] = []
        self._lock = threading.Lock()

    def __call__(self, instance):
        asked = time.monotonic()
        try:
            return self.original(instance)
        finally:
            with self._lock:
                self.events.append((asked, time.monotonic()))
            time.sleep(self.hold)

    def waited(self) -> bool:
        if len(self.events) < 2:
            return False
        (first_asked, first_got), (second_asked, second_got) = sorted(self.events, key=lambda e: e[1])
        return second_asked < first_got + self.hold and second_got >= first_got + self.hold


def play_pair(editors: Editors, objective: Objective, *, watch: LockWatch | None = None) -> PairResult:
    clients = editors.clients
    url = reverse("contracts:objective_edit", args=[objective.pk])
    pages = [client.get(url).content.decode() for client in clients]  # both read the same version
    data = [page_data(html) for html in pages]
    mine = [
        ("title", f"Objectif revu par A {objective.pk}"),
        ("observable_result", f"Résultat revu par B {objective.pk}"),
    ]
    for person, (name, value) in enumerate(mine):
        data[person][name] = value
    if watch is not None:
        watch.events.clear()
    barrier = threading.Barrier(2)
    responses: list = [None, None]

    def save(person: int) -> None:
        try:
            barrier.wait(timeout=30)
            responses[person] = clients[person].post(url, data[person])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(person,)) for person in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stored = Objective.objects.filter(pk=objective.pk).values("title", "observable_result").get()
    statuses = [r.status_code for r in responses]
    refused = [r.status_code == 200 and REFUSED in r.content.decode() for r in responses]
    lost = any(status == 302 and stored[name] != value for status, (name, value) in zip(statuses, mine, strict=True))
    return PairResult(statuses, refused, lost, watch.waited() if watch else False, stored)
