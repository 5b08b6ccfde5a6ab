"""Queries whose SQL is the same on every request but for a few values (a CPAS, a worker, a day): built by the ORM
once per shape and process, then run with each request's values. Building them through the ORM on every page was a
tenth of the agenda's and the home page's Python (issue 15).

A query is built once with sentinel values no real key or day takes; each parameter of its SQL is then known to be
one of the named values or a constant. The SQL holds no value of the request: it is shared by every member (no
personal data is kept). Nothing to invalidate while the process runs: the models change only with a deploy.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet

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


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
