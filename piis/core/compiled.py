"""Queries whose SQL is the same on every request but for a few values (a CPAS, a worker, a day): built by the ORM
once per shape and process, then run with each request's values. Building them through the ORM on every page was a
tenth of the agenda's and the home page's Python (issue 15).

A query is built once with sentinel values no real key or day takes; each parameter of its SQL is then known to be
one of the named values or a constant. The SQL holds no value of the request: it is shared by every member (no
personal data is kept). Nothing to invalidate while the process runs: the models change only with a deploy.

`instances` reads the rows of one file or one contract (a primary or foreign key names them): on PostgreSQL, as a
prepared statement (settings.PREPARED_READS), planned once per connection rather than on every request. Planning
the contract page's reads cost more than running them (its contract's read: 1.0 ms planned each time, 0.12 ms
prepared). The plan of such a read is the same whatever the key (an index's lookup), so the generic plan PostgreSQL
settles on after five runs is never a worse one for a large CPAS or a small one. Reads over a worker's caseload, whose
best plan depends on its size, go through `rows` unprepared.
"""

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators

_SHAPES: dict[tuple, tuple[str, tuple]] = {}
_MAX_SHAPES = 256  # a few per query (its filters present or not): far below


def _sentinel(index: int, value):
    if isinstance(value, date):
        return date(1901, 1, 1 + index)
    if isinstance(value, int) and not isinstance(value, bool):
        return -7_300_001 - index
    if isinstance(value, str):
        return f"~sentinel-{index}~"
    raise TypeError(f"no sentinel for {value!r}")


def _same(param, sentinel) -> bool:
    return type(param) is type(sentinel) and param == sentinel


def _compile(built) -> tuple[str, list]:
    sql, params = built if isinstance(built, tuple) else built.query.sql_with_params()
    return sql, list(params)


def sql_for(key: tuple, build: Callable[..., QuerySet | tuple[str, Any]], **values) -> tuple[str, list]:
    """The SQL and parameters of `build(**values)` (a queryset, or SQL and its parameters), compiled once per `key`
    (which names everything the SQL's text depends on besides `values`: the filters present, a slice's bounds).
    The first time, the query is also built with the request's values and must give the same text and parameters;
    when it does not (the text depends on something the key does not name), the key is never cached."""
    shape = _SHAPES.get(key)
    if shape is None:
        sentinels = {name: _sentinel(index, value) for index, (name, value) in enumerate(values.items())}
        sql, params = _compile(build(**sentinels))
        slots = tuple(next(((name,) for name, s in sentinels.items() if _same(p, s)), ("", p)) for p in params)
        real = _compile(build(**values))
        shape = (sql, slots) if real == (sql, _fill(slots, values)) else _NOT_CACHED
        if len(_SHAPES) < _MAX_SHAPES:
            _SHAPES[key] = shape
        return real
    if shape is _NOT_CACHED:
        return _compile(build(**values))
    sql, slots = shape
    return sql, _fill(slots, values)


def _fill(slots: tuple, values: dict) -> list:
    return [values[slot[0]] if len(slot) == 1 else slot[1] for slot in slots]


_NOT_CACHED = ("", ())


def rows(sql: str, params: list, *, prepared: bool = False) -> list[tuple]:
    """The rows of `sql`; `prepared`: as a prepared statement where the connection keeps them (see the module)."""
    with _prepared_cursor() if prepared else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _prepared_cursor():
    """A cursor of the default connection whose statements are prepared (psycopg's server-side binding, prepare=True),
    wrapped as Django wraps its own (execute wrappers, the queries log, database errors); a plain cursor where the
    connection keeps no prepared statement (another database, PREPARED_READS off)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        return connection.cursor()
    connection.validate_thread_sharing()
    cursor_class, logged_class = _prepared_classes()
    with connection.wrap_database_errors:
        cursor = cursor_class(raw)
    return logged_class(cursor, connection) if connection.queries_logged else connection.make_cursor(cursor)


@functools.cache
def _prepared_classes() -> tuple:
    """The prepared cursor's class, and the wrapper that logs its queries (the queries log, DEBUG and the tests'
    query counts) with their values, as Django logs those of a cursor binding on the server."""
    from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
    from django.db.backends.utils import CursorWrapper

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    class LoggedPreparedCursor(CursorDebugWrapper):
        def execute(self, sql, params=None):
            # (a prepared run leaves no composed query for the log to read back)
            with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
                return CursorWrapper.execute(self, sql, params)

    return PreparedCursor, LoggedPreparedCursor


def instances(key: tuple, build: Callable[..., QuerySet], **values) -> list:
    """The model instances of `build(**values)` (a queryset of model instances, select_related and annotations
    allowed), its SQL compiled once per `key` as sql_for's, each row made an instance as the ORM's ModelIterable makes
    it (its columns converted, Model.from_db, the related instances, the annotations). A related manager's known
    instance (the file of its records) is not set: use a plain queryset (the caller sets it when it is needed)."""
    sql, params = sql_for(key, build, **values)
    reader = _READERS.get(key)
    if reader is None:
        reader = _Reader(build(**values))
        if len(_READERS) < _MAX_SHAPES and _SHAPES.get(key) is not _NOT_CACHED:
            _READERS[key] = reader
    return reader.read(rows(sql, params, prepared=True))


class _Reader:
    """What ModelIterable works out from a query's compiler before reading its rows; nothing of a request."""

    def __init__(self, queryset: QuerySet):
        known = getattr(queryset, "_known_related_objects", None)
        if known or getattr(queryset, "_iterable_class", None) is not ModelIterable:
            raise ValueError("compiled.instances reads model instances of a plain queryset")
        compiler = queryset.query.get_compiler(queryset.db)
        compiler.setup_query()
        select, klass_info = compiler.select, compiler.klass_info
        self.db = queryset.db
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, self.db)  # type: ignore[call-arg]
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = list(compiler.get_converters([s[0] for s in select]).items())
        self.width = len(select)

    def read(self, found: list[tuple]) -> list:
        objects = []
        db, model, start, end, init_list = self.db, self.model, self.start, self.end, self.init_list
        for found_row in found:
            row: list | tuple = found_row[: self.width]
            if self.converters:
                row = list(row)
                for pos, (convs, expression) in self.converters:
                    value = row[pos]
                    for converter in convs:
                        value = converter(value, expression, connection)
                    row[pos] = value
            obj = model.from_db(db, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, pos in self.annotations:
                setattr(obj, name, row[pos])
            objects.append(obj)
        return objects


_READERS: dict[tuple, _Reader] = {}
