"""On SQLite too, one person's work does not make another's fail with "database is locked" (issue 10).

Two requests, each in its transaction as CurrentCpasMiddleware runs them: the first reads (a login looks the user
up), the second writes and commits meanwhile, then the first writes (the login records itself). With SQLite's
defaults the first fails at once with "database is locked" (its read lock cannot become a write lock, and SQLite
does not wait in that case); with the settings' options (WAL, BEGIN IMMEDIATE, a busy timeout) the second waits
for the first and both succeed.
"""

import threading

import pytest
from django.db import connections, transaction

from piis.settings.base import PREPARED_OPTIONS, SQLITE_OPTIONS, with_sqlite_options

ALIAS = "sqlite_locking"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A connection alias to a fresh SQLite file with table t(who), with the given OPTIONS; closed afterwards."""
    made = []

    def make(options):
        settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / f"db{len(made)}.sqlite3")}
        configured = connections.configure_settings({"default": {}, ALIAS: {**settings, "OPTIONS": options}})
        connections.settings[ALIAS] = configured[ALIAS]
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE t (who TEXT)")
        made.append(connections[ALIAS])
        return ALIAS

    with django_db_blocker.unblock():
        yield make
        for connection in made:
            connection.close()
    del connections[ALIAS]
    connections.settings.pop(ALIAS, None)


def _two_requests(alias: str) -> dict[str, object]:
    """Run the reader-then-writer and the writer concurrently; what each of them ended with."""
    outcome: dict[str, object] = {}
    reader_has_read, writer_started = threading.Event(), threading.Event()

    def reader():
        try:
            with transaction.atomic(using=alias):
                connections[alias].cursor().execute("SELECT count(*) FROM t").fetchone()
                reader_has_read.set()
                writer_started.wait(5)
                threading.Event().wait(0.3)  # the writer is now writing, or waiting for its turn
                connections[alias].cursor().execute("INSERT INTO t VALUES ('reader')")
            outcome["reader"] = "ok"
        except Exception as error:  # noqa: BLE001 - what the request would have turned into a 500
            outcome["reader"] = error
        finally:
            reader_has_read.set()
            connections[alias].close()

    def writer():
        reader_has_read.wait(5)
        writer_started.set()
        try:
            with transaction.atomic(using=alias):
                connections[alias].cursor().execute("INSERT INTO t VALUES ('writer')")
            outcome["writer"] = "ok"
        except Exception as error:  # noqa: BLE001
            outcome["writer"] = error
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def test_with_sqlites_defaults_a_reader_that_then_writes_fails_with_database_is_locked(sqlite_file):
    """The failure the settings prevent, shown here so that the test below is known to test something."""
    outcome = _two_requests(sqlite_file({}))
    assert "database is locked" in str(outcome["reader"]) and outcome["writer"] == "ok"


def test_with_the_settings_options_both_requests_succeed(sqlite_file):
    alias = sqlite_file(SQLITE_OPTIONS)
    assert _two_requests(alias) == {"reader": "ok", "writer": "ok"}
    with connections[alias].cursor() as cursor:
        assert sorted(row[0] for row in cursor.execute("SELECT who FROM t").fetchall()) == ["reader", "writer"]
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_every_sqlite_database_of_the_settings_gets_the_options():
    sqlite = with_sqlite_options({"ENGINE": "django.db.backends.sqlite3", "NAME": "x", "OPTIONS": {"timeout": 5}})
    assert sqlite["OPTIONS"] == {**SQLITE_OPTIONS, "timeout": 5}  # what a deployment set explicitly wins
    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in SQLITE_OPTIONS["init_command"]
    assert SQLITE_OPTIONS["timeout"] >= 10
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "piis"}
    # PostgreSQL gets none of them, only its connect timeout (tests/core/test_outage.py) and prepared statements
    options = {"connect_timeout": 3, **PREPARED_OPTIONS}
    assert with_sqlite_options(dict(postgres)) == {**postgres, "OPTIONS": options}
