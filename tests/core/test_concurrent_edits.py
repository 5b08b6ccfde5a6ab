"""Issue 16 on PostgreSQL: two real concurrent transactions edit the same objective through the real views.

Each save runs in its own thread, connection and request transaction; the lock-and-compare step holds its row lock
a moment, so the second transaction really waits for the first. The second is refused with both values shown and
the first's values stand: no lost update. Without the comparison (the control) the same race loses an update, so
this test can fail. Edits of two different objects at the same time both go through.
"""

import threading

import pytest

from piis.audit import services as audit_services
from piis.contracts.models import Objective
from tests.core.concurrent_edits import REFUSED, LockWatch, an_objective, page_data, play_pair, two_editors
from tests.factories import make_cpas

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cpas(db):
    return make_cpas(name="CPAS concurrent")


def test_t_i16_the_second_of_two_concurrent_saves_is_refused_and_the_first_stands(cpas, monkeypatch):
    editors = two_editors(cpas)
    objective = an_objective(cpas, editors)
    watch = LockWatch(audit_services.check_read_version, hold=0.3)
    monkeypatch.setattr(audit_services, "check_read_version", watch)

    result = play_pair(editors, objective, watch=watch)

    assert result.overlapped, "the two transactions did not overlap: the second never waited for the lock"
    assert result.caught, result
    assert not result.lost
    first = result.statuses.index(302)
    second = 1 - first
    stored = Objective.objects.get(pk=objective.pk)
    if first == 0:
        assert (
            stored.title.startswith("Objectif revu par A") and stored.observable_result == objective.observable_result
        )
    else:
        assert stored.observable_result.startswith("Résultat revu par B") and stored.title == objective.title
    assert result.refused[second]


def test_without_the_comparison_the_same_race_loses_an_update(cpas, monkeypatch):
    """The control: the lock alone (no version compared) lets the second save write the first one's field back."""
    editors = two_editors(cpas)
    objective = an_objective(cpas, editors)

    def lock_only(instance):
        instance.__dict__.pop("_piis_expected_read_version", None)
        return None

    watch = LockWatch(lock_only, hold=0.0)
    monkeypatch.setattr(audit_services, "check_read_version", watch)
    result = play_pair(editors, objective, watch=watch)
    assert result.statuses == [302, 302] and result.lost


def test_concurrent_edits_of_two_different_objectives_both_succeed(cpas, monkeypatch):
    editors = two_editors(cpas)
    clients = editors.clients
    objectives = [an_objective(cpas, editors), an_objective(cpas, editors)]
    watch = LockWatch(audit_services.check_read_version, hold=0.5)
    monkeypatch.setattr(audit_services, "check_read_version", watch)
    urls = [f"/contracts/objectives/{o.pk}/edit/" for o in objectives]
    data = [page_data(client.get(url).content.decode()) for client, url in zip(clients, urls, strict=True)]
    for person, values in enumerate(data):
        values["title"] = f"Objectif de la personne {person}"
    barrier = threading.Barrier(2)
    statuses: list = [None, None]

    def save(person):
        from django.db import connection

        try:
            barrier.wait(timeout=30)
            response = clients[person].post(urls[person], data[person])
            statuses[person] = (response.status_code, REFUSED in response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(p,)) for p in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [(302, False), (302, False)]
    assert [Objective.objects.get(pk=o.pk).title for o in objectives] == [
        "Objectif de la personne 0",
        "Objectif de la personne 1",
    ]
    # They did not wait for each other: each locked its own row.
    (a_asked, a_got), (b_asked, b_got) = sorted(watch.events)
    assert b_got - b_asked < 0.4
