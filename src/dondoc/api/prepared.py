"""Queries the API runs on every request, compiled to SQL once per process and run again with other values.

Building a queryset and compiling it (``filter``, ``select_related``, ``values``, the bucket ``Case``, the
compiler's walk over every expression) costs more Python than running the query and reading its rows: about
0.15-0.6 ms each, several times per request of the task list. ``rows(key, build, *values)`` compiles
``build(*values)`` the first time a *shape* is seen, with stand-in values, and afterwards runs the same SQL with the
request's values put in the stand-ins' places; rows come back through Django's own iterables, exactly as
``list(build(*values))`` would give them (model instances with their ``select_related`` objects, tuples, dicts).

What makes this exact: the SQL text a builder produces depends on the values only through where they go as
parameters. The shape (``key``, the number of items of each list, and each value's type) is part of the cache key,
so an ``IN`` list of 50 ids and one of 12 are two entries. A value that would change the SQL rather than a
parameter is refused, and the query is then built and compiled as usual: ``None`` (``IS NULL``), booleans, empty
lists (no SQL at all), anything but ``int``, ``str`` and ``date``; so is a builder in which some stand-in does not
reach the parameters as it is (``__contains`` wraps it in ``%...%``, a date lookup transforms it). The compiled
queries are kept per database connection object (one per thread), at most ``LIMIT`` of them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import QuerySet

LIMIT = 256
_UNUSABLE = object()


def _kind(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, date) and not isinstance(value, datetime):
        return "date"
    return None


def _shape(values: Sequence[Any]) -> tuple | None:
    shape = []
    for value in values:
        if isinstance(value, (list, tuple, set, frozenset)):
            kinds = {_kind(v) for v in value}
            if len(kinds) != 1 or None in kinds:  # empty, mixed, or holding None / booleans / others
                return None
            shape.append((kinds.pop(), len(value)))
        else:
            kind = _kind(value)
            if kind is None:
                return None
            shape.append(kind)
    return tuple(shape)


class _Compiled:
    """One compiled query: its SQL, its parameters with the stand-ins, and where each value goes."""

    def __init__(self, qs: QuerySet, compiler, sql: str, params: Sequence[Any],
                 places: list[tuple[int, int, int | None, bool]]):
        self.qs, self.compiler, self.sql, self.params, self.places = qs, compiler, sql, list(params), places

    def run(self, values: Sequence[Any]) -> list:
        values = [list(v) if isinstance(v, (list, tuple, set, frozenset)) else v for v in values]
        params = list(self.params)
        for position, value_index, item, as_text in self.places:
            value = values[value_index] if item is None else values[value_index][item]
            params[position] = value.isoformat() if as_text else value
        # the template's compiler, query and queryset, copied (not cloned: nothing is rebuilt), with the SQL given
        compiler = object.__new__(type(self.compiler))
        compiler.__dict__.update(self.compiler.__dict__)
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = object.__new__(type(self.qs.query))
        query.__dict__.update(self.qs.query.__dict__)
        query.get_compiler = lambda *args, **kwargs: compiler
        qs = object.__new__(type(self.qs))
        qs.__dict__.update(self.qs.__dict__)
        qs._query, qs._result_cache, qs._prefetch_done = query, None, False
        return list(qs)


def _compile(build: Callable[..., QuerySet], shape: tuple, alias: str) -> _Compiled | object:
    stand = _stand_ins(shape)
    qs = build(*stand)
    if not isinstance(qs, QuerySet) or qs.db != alias or qs._prefetch_related_lookups:
        return _UNUSABLE
    compiler = qs.query.get_compiler(using=qs.db)
    try:
        sql, params = compiler.as_sql()
    except Exception:  # EmptyResultSet, FullResultSet...: let Django handle those as it does
        return _UNUSABLE
    where: dict[tuple[type, Any], tuple[int, int | None, bool]] = {}
    for value_index, value in enumerate(stand):
        for item, one in (enumerate(value) if isinstance(value, list) else ((None, value),)):
            where[(type(one), one)] = (value_index, item, False)
            if isinstance(one, date):
                where[(str, one.isoformat())] = (value_index, item, True)  # as SQLite's backend adapts dates
    places, found = [], set()
    for position, param in enumerate(params):
        place = where.get((type(param), param)) if isinstance(param, (int, str, date)) else None
        if place is None:
            if isinstance(param, str) and _MARK in param:
                return _UNUSABLE  # a stand-in transformed (a LIKE pattern...): not a plain parameter
            continue
        places.append((position, *place))
        found.add(place[:2])
    if found != {place[:2] for place in where.values()}:
        return _UNUSABLE  # some value does not reach the parameters as it is
    return _Compiled(qs, compiler, sql, params, places)


_MARK = "dondoc-prepared-"


def _stand_ins(shape: tuple) -> list[Any]:
    """Values of the shape that no query holds as constants: large negative ids, marked strings, dates of year 1."""
    counter = iter(range(1, 10**6))

    def one(kind: str) -> Any:
        n = next(counter)
        if kind == "int":
            return -(10**15) - n
        if kind == "str":
            return f"\x1f{_MARK}{n}\x1f"
        return date(1, 1, 1) + timedelta(days=n)

    return [[one(kind[0]) for _ in range(kind[1])] if isinstance(kind, tuple) else one(kind) for kind in shape]


def rows(key: str, build: Callable[..., QuerySet], *values: Any) -> list:
    """``list(build(*values))``, with the SQL compiled once per shape (see the module's text). ``key`` names the
    builder: two builders must not share one."""
    from django.db import DEFAULT_DB_ALIAS

    shape = _shape(values)
    if shape is None:
        return list(build(*values))
    connection = connections[DEFAULT_DB_ALIAS]
    cache: OrderedDict = connection.__dict__.setdefault("_dondoc_prepared", OrderedDict())
    entry_key = (key, shape)
    compiled = cache.get(entry_key)
    if compiled is None:
        compiled = _compile(build, shape, DEFAULT_DB_ALIAS)
        cache[entry_key] = compiled
        if len(cache) > LIMIT:
            cache.popitem(last=False)
    else:
        cache.move_to_end(entry_key)
    if compiled is _UNUSABLE:
        return list(build(*values))
    return compiled.run(values)
