"""piis_name_search (cases migration 0005, issue 15): the name search that uses its trigram index under row-level
security. It takes the CPAS from the transaction's `app.cpas_id` only, never from its argument, so that whatever a
caller passes it never returns another CPAS's files; the app role (not owner) runs it and cannot read its table."""

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from piis.cases.models import Beneficiary
from piis.cases.selectors import beneficiary_list
from piis.core.rls import grant_app_role, set_current_cpas
from tests.core.test_isolation import temporary_app_role
from tests.factories import make_beneficiary

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

HOSTILE = [
    ["dupre"],
    ["%"],
    ["_"],
    [""],
    [],
    ["dupre", "%"],
    ["\\"],
    ["%' OR true --"],
    ["') UNION SELECT id FROM cases_beneficiary --"],
    [None],
]


@pytest.fixture
def app_role(db):
    with temporary_app_role() as role:
        yield role


def _search(words) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT piis_name_search(%s::text[])", [words])
        return {row[0] for row in cursor.fetchall()}


def _as_role(role):
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')


def test_finds_only_the_files_of_the_transactions_cpas_whatever_the_words(cpas_a, cpas_b, app_role):
    mine = make_beneficiary(cpas_a, last_name="Dupré-Smet", first_name="Léa")
    make_beneficiary(cpas_a, last_name="Janssens", first_name="Jan")
    theirs = make_beneficiary(cpas_b, last_name="Dupré", first_name="Léa")
    grant_app_role(app_role)
    with transaction.atomic():
        _as_role(app_role)
        assert _search(["dupre"]) == set(), "no CPAS set: nothing"
        set_current_cpas(cpas_a.pk)
        assert _search(["dupre"]) == {mine.pk}
        assert _search(["smet", "lea"]) == {mine.pk}
        assert _search(["dupre", "jan"]) == set()
        assert _search(["5%"]) == set()  # a wildcard typed is a character, not "anything"
        for words in HOSTILE:
            assert theirs.pk not in _search(words)
            assert _search(words) <= set(Beneficiary.objects.filter(cpas=cpas_a).values_list("pk", flat=True))
        set_current_cpas(cpas_b.pk)
        assert _search(["dupre"]) == {theirs.pk}
        assert mine.pk not in _search(["smet"])


def test_the_app_role_cannot_read_or_write_the_search_table(cpas_a, app_role):
    make_beneficiary(cpas_a, last_name="Dupont")
    grant_app_role(app_role)
    for statement in (
        "SELECT count(*) FROM cases_namesearch",
        "INSERT INTO cases_namesearch VALUES (1, 1, 'x')",
        "UPDATE cases_namesearch SET cpas_id = 1",
        "DELETE FROM cases_namesearch",
    ):
        with pytest.raises(ProgrammingError, match="permission denied"), transaction.atomic():
            _as_role(app_role)
            with connection.cursor() as cursor:
                cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.prosecdef, pg_get_userbyid(p.proowner) <> %s FROM pg_proc p "
            "WHERE p.proname = 'piis_name_search'",
            [app_role],
        )
        assert cursor.fetchone() == (True, True)  # runs as its owner, which the app role is not


def test_the_keys_follow_the_files(cpas_a, cpas_b, app_role):
    person = make_beneficiary(cpas_a, last_name="Peeters", first_name="Els")
    grant_app_role(app_role)
    with transaction.atomic():
        _as_role(app_role)
        set_current_cpas(cpas_a.pk)
        assert _search(["peeters"]) == {person.pk}
        person.last_name = "Maes"
        person.save()  # the model recomputes search_name
        assert _search(["peeters"]) == set() and _search(["maes"]) == {person.pk}
        Beneficiary.objects.filter(pk=person.pk).update(search_name="wouters els")
        assert _search(["wouters"]) == {person.pk}
        Beneficiary.objects.filter(pk=person.pk).delete()  # as the app role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")  # SET LOCAL ROLE lasts until the test's outer transaction ends
        cursor.execute("SELECT count(*) FROM cases_namesearch WHERE beneficiary_id = %s", [person.pk])
        assert cursor.fetchone()[0] == 0


def test_the_selector_uses_it_under_the_cpas_and_finds_the_same(cpas_a, cpas_b, worker_a, app_role):
    make_beneficiary(cpas_a, last_name="Dupré", first_name="Léa", social_worker=worker_a.user)
    make_beneficiary(cpas_a, last_name="Janssens", first_name="Jan", social_worker=worker_a.user)
    make_beneficiary(cpas_b, last_name="Dupré", first_name="Léa")
    without = [b.last_name for b in beneficiary_list(membership=worker_a, query="dupre lea", everywhere=True)]
    grant_app_role(app_role)
    with transaction.atomic():
        _as_role(app_role)
        set_current_cpas(cpas_a.pk)
        query = beneficiary_list(membership=worker_a, query="dupre lea", everywhere=True)
        assert "piis_name_search" in str(query.query)
        assert [b.last_name for b in query] == without == ["Dupré"]
