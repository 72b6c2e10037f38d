"""Queries the API runs on every request, compiled to SQL once per process and run again with other values.

Building a queryset and compiling it (``filter``, ``select_related``, ``values``, the bucket ``Case``, the
compiler's walk over every expression) costs more Python than running the query and reading its rows: about
0.15-0.6 ms each, several times per request of the task list. ``rows(key, build, *values)`` compiles
``build(*values)`` the first time a *shape* is seen, with stand-in values, and afterwards runs the same SQL with the
request's values put in the stand-ins' places; rows come back through Django's own iterables, exactly as
``list(build(*values))`` would give them (model instances with their ``select_related`` objects, tuples, dicts).
``count(key, build, *values)`` does the same for ``build(*values).count()``: the query Django sends for it is
recorded once (run with the stand-ins, it finds nothing) and sent again with the request's values.

What makes this exact: the SQL text a builder produces depends on the values only through where they go as
parameters. The shape (``key``, the number of items of each list, and each value's type) is part of the cache key,
so an ``IN`` list of 50 ids and one of 12 are two entries, and ``key`` carries whatever else decides the SQL.
Each shape is compiled twice, with two different sets of stand-ins: the SQL texts must be the same and each
stand-in must sit in the same places, as it is (a value transformed on its way, ``%word%`` for ``__contains``,
a number written as text, fails this), with every other parameter equal; otherwise the query is built and
compiled as usual, every time. So are values that would change the SQL rather than a parameter: ``None``
(``IS NULL``), booleans, empty lists (no SQL at all), integers beyond 64 bits, anything but ``int``, ``str`` and
``date``. The compiled queries are kept per database connection object (one per thread), at most ``LIMIT``.
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
_NO_QUERY = object()  # the builder answers None for this key and shape: so do rows() and count()


def _kind(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        # beyond 64 bits Django answers "no rows" where the database would refuse the parameter
        return "int" if -(2**63) <= value < 2**63 else None
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
        params = _params(self.params, self.places, values)
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


def _places(stand: list[Any], params: Sequence[Any]) -> list[tuple[int, int, int | None, bool]] | None:
    """Where stand-ins sit among ``params``: (position, value index, item index, written as text); None when one
    is there transformed (a ``LIKE`` pattern...)."""
    where: dict[tuple[type, Any], tuple[int, int | None, bool]] = {}
    for value_index, value in enumerate(stand):
        for item, one in (enumerate(value) if isinstance(value, list) else ((None, value),)):
            where[(type(one), one)] = (value_index, item, False)
            if isinstance(one, date):
                where[(str, one.isoformat())] = (value_index, item, True)  # as SQLite's backend adapts dates
    places = []
    for position, param in enumerate(params):
        place = where.get((type(param), param)) if isinstance(param, (int, str, date)) else None
        if place is None:
            if isinstance(param, str) and _MARK in param:
                return None
            continue
        places.append((position, *place))
    return places


def _same_query(first: tuple[str, Sequence[Any], list], second: tuple[str, Sequence[Any], list]) -> bool:
    """Did two sets of stand-ins give one SQL text, with each stand-in in the same places and every other
    parameter equal? Then the SQL depends on the values only through those places (a value that is nowhere, such
    as the day for a count that leaves the state out, does not matter at all)."""
    (sql_a, params_a, places_a), (sql_b, params_b, places_b) = first, second
    if sql_a != sql_b or len(params_a) != len(params_b) or places_a is None or places_a != places_b:
        return False
    placed = {place[0] for place in places_a}
    return all(a == b for i, (a, b) in enumerate(zip(params_a, params_b, strict=True)) if i not in placed)


def _params(template: Sequence[Any], places, values: Sequence[Any]) -> list[Any]:
    values = [list(v) if isinstance(v, (list, tuple, set, frozenset)) else v for v in values]
    params = list(template)
    for position, value_index, item, as_text in places:
        value = values[value_index] if item is None else values[value_index][item]
        params[position] = value.isoformat() if as_text else value
    return params


def _compile(build: Callable[..., QuerySet], shape: tuple, alias: str) -> _Compiled | object:
    compiled = []
    for offset in (0, 10**5):
        stand = _stand_ins(shape, offset)
        qs = build(*stand)
        if qs is None:
            return _NO_QUERY
        if not isinstance(qs, QuerySet) or qs.db != alias or qs._prefetch_related_lookups:
            return _UNUSABLE
        compiler = qs.query.get_compiler(using=qs.db)
        try:
            sql, params = compiler.as_sql()
        except Exception:  # EmptyResultSet, FullResultSet...: let Django handle those as it does
            return _UNUSABLE
        compiled.append((qs, compiler, sql, params, _places(stand, params)))
    (qs, compiler, sql, params, places), second = compiled
    if not _same_query((sql, params, places), second[2:]):
        return _UNUSABLE
    return _Compiled(qs, compiler, sql, params, places)


class _Counted:
    """A compiled ``count()``: its SQL and parameters as Django sent them, and where each value goes."""

    def __init__(self, sql: str, params: Sequence[Any], places):
        self.sql, self.params, self.places = sql, list(params), places

    def run(self, alias: str, values: Sequence[Any]) -> int:
        with connections[alias].cursor() as cursor:
            cursor.execute(self.sql, _params(self.params, self.places, values))
            return cursor.fetchone()[0]


def _compile_count(build: Callable[..., QuerySet], shape: tuple, alias: str) -> _Counted | object:
    """``build(*stand_ins).count()`` run (it finds nothing), twice, to see the one query Django sends for it."""
    seen = []
    for offset in (0, 10**5):
        stand = _stand_ins(shape, offset)
        qs = build(*stand)
        if qs is None:
            return _NO_QUERY
        if not isinstance(qs, QuerySet) or qs.db != alias:
            return _UNUSABLE
        sent: list[tuple[str, Any]] = []

        def record(execute, sql, params, many, context, sent=sent):
            sent.append((sql, params))
            return execute(sql, params, many, context)

        with connections[alias].execute_wrapper(record):
            found = qs.count()
        if len(sent) != 1 or found != 0 or not isinstance(sent[0][1], (list, tuple)):
            return _UNUSABLE
        seen.append((sent[0][0], list(sent[0][1]), _places(stand, sent[0][1])))
    if not _same_query(*seen):
        return _UNUSABLE
    sql, params, places = seen[0]
    return _Counted(sql, params, places)


_MARK = "dondoc-prepared-"


def _stand_ins(shape: tuple, offset: int = 0) -> list[Any]:
    """Values of the shape that no query holds as constants: large negative ids, marked strings, early dates."""
    counter = iter(range(offset + 1, offset + 10**5))

    def one(kind: str) -> Any:
        n = next(counter)
        if kind == "int":
            return -(10**15) - n
        if kind == "str":
            return f"\x1f{_MARK}{n}\x1f"
        return date(1, 1, 1) + timedelta(days=n)  # years 1 to 548

    return [[one(kind[0]) for _ in range(kind[1])] if isinstance(kind, tuple) else one(kind) for kind in shape]


def _cached(kind: str, key: Any, build: Callable[..., QuerySet], shape: tuple, compile_: Callable):
    from django.db import DEFAULT_DB_ALIAS

    connection = connections[DEFAULT_DB_ALIAS]
    cache: OrderedDict = connection.__dict__.setdefault("_dondoc_prepared", OrderedDict())
    entry_key = (key, kind, shape)
    compiled = cache.get(entry_key)
    if compiled is None:
        compiled = compile_(build, shape, DEFAULT_DB_ALIAS)
        cache[entry_key] = compiled
        if len(cache) > LIMIT:
            cache.popitem(last=False)
    else:
        cache.move_to_end(entry_key)
    return compiled


def rows(key: Any, build: Callable[..., QuerySet | None], *values: Any) -> list | None:
    """``list(build(*values))``, with the SQL compiled once per shape (see the module's text); None when ``build``
    answers None. ``key`` (hashable) names the builder and everything else that decides its SQL, or whether it
    answers None: two builders must not share one."""
    shape = _shape(values)
    compiled = _UNUSABLE if shape is None else _cached("rows", key, build, shape, _compile)
    if compiled is _NO_QUERY:
        return None
    if compiled is _UNUSABLE:
        qs = build(*values)
        return None if qs is None else list(qs)
    return compiled.run(values)


def count(key: Any, build: Callable[..., QuerySet | None], *values: Any) -> int | None:
    """``build(*values).count()``, with the SQL Django sends for it recorded once per shape; None when ``build``
    answers None."""
    from django.db import DEFAULT_DB_ALIAS

    shape = _shape(values)
    compiled = _UNUSABLE if shape is None else _cached("count", key, build, shape, _compile_count)
    if compiled is _NO_QUERY:
        return None
    if compiled is _UNUSABLE:
        qs = build(*values)
        return None if qs is None else qs.count()
    return compiled.run(DEFAULT_DB_ALIAS, values)
