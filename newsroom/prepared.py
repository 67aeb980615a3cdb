"""Statements the ORM builds and compiles once per process, then runs again with new values.

Building a queryset and compiling it costs the ORM far more than the database spends running it on a page that
reads one story: the story page's statement took about 10 ms of Python to build and compile, and well under
1 ms to run. A `Prepared` statement is written as an ordinary queryset whose values come in as arguments; the
first run on a database builds and compiles it with marker values, finds where each marker lands among the
statement's parameters, and keeps the SQL and the compiler. Each later run puts the values in those places,
executes the same SQL, and builds the rows with the ORM's own ModelIterable (select_related objects and
annotations included), so the rows are exactly what the queryset would have given.

Safe by construction: the first compile is done twice, with two different sets of markers, and refused
(ImproperlyConfigured) unless the SQL is the same and every other parameter too, i.e. unless the statement
depends on its values through those parameters alone. A builder may not branch on a value it is given.

Values are of five kinds: NUMBER (an integer), TEXT (a string), MOMENT (an aware datetime, adapted as the ORM
adapts a DateTimeField's value for the database), NUMBERS (a list of integers) and TEXTS (a list of strings), the lists
for the `any_of` lookup, which keeps one SQL text whatever the list's length: `= ANY(CAST(%s AS bigint[]))`
(`text[]` for a text column) on PostgreSQL, the list given as the array's text, a `json_each` of the list on
SQLite.
Prefetches are not run: a caller loads what it would prefetch with prepared statements of its own and holds
the rows (articles.prefetched).
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Field, ForeignObject, Lookup, QuerySet
from django.db.models.query import ModelIterable


def _keep_long_statements_converted() -> None:
    """psycopg turns a statement's `%s` into `$1…` once and keeps the result, but only for statements of at most
    4,096 bytes and 50 parameters (psycopg's discussion 628: an ORM's long statements rarely come back). The
    statements here are compiled once and come back on every request: a story page's check (web/assembled.py)
    is 9 kB with about 80 parameters, and converting it again cost 0.5 ms a request. So those limits are raised to
    what these statements need; the kept conversions are few (an LRU of 128). tests/test_prepared.py checks
    that psycopg still keeps them, so that an upgrade that renames the limits shows."""
    try:
        from psycopg import _queries
    except ImportError:  # SQLite only
        return
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, 16_384)
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, 200)


_keep_long_statements_converted()


@dataclass(frozen=True)
class Kind:
    """A kind of value: its markers, and how a value of it becomes a statement parameter."""

    name: str
    markers: Callable[[int], object]  # the n-th marker of this kind (n = 0, 1, …): never a real value
    adapt: Callable[[object, object], object]  # (value, connection) -> parameter


def _moment(value, connection):
    return connection.ops.adapt_datetimefield_value(value)


def _numbers(value, connection):
    # As text, an array's literal on PostgreSQL (cast in the statement): psycopg dumps a list element by element
    # (a regular expression each), which for a statement that uses its lists a dozen times cost more than running
    # it (web/assembled.py's check).
    numbers = [int(number) for number in value]
    if connection.vendor == "postgresql":
        return "{" + ",".join(map(str, numbers)) + "}"
    return json.dumps(numbers)


def _texts(value, connection):
    # An array's literal on PostgreSQL: each element quoted, its backslashes and double quotes escaped.
    texts = [str(text) for text in value]
    if connection.vendor == "postgresql":
        return "{" + ",".join('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' for text in texts) + "}"
    return json.dumps(texts, ensure_ascii=False)


# Two rounds of markers far apart (signs, centuries, lengths), so that a builder branching on a value shows.
NUMBER = Kind("number", lambda n: (-1) ** (n + 1) * (2_000_000_000 - 7919 * n), lambda value, connection: int(value))
TEXT = Kind("text", lambda n: f"\u2063marker {n} \"'\\", lambda value, connection: str(value))
MOMENT = Kind("moment", lambda n: datetime(1901 + 298 * (n % 2), 1, 2, 3, 4, 5, 1000 + n, tzinfo=UTC), _moment)
NUMBERS = Kind("numbers", lambda n: [-2_000_000_000 + 7919 * n + k for k in range(2 + n % 2)], _numbers)
TEXTS = Kind("texts", lambda n: [f"\u2063marker {n}.{k} \"'\\" for k in range(2 + n % 2)], _texts)


class AnyOf(Lookup):
    """`field__any_of=[1, 2, 3]`: the field is one of the values (numbers, or strings for a text column), in one
    SQL text whatever their number (`IN` writes one placeholder per value, which a prepared statement cannot
    keep)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        texts = self.lhs.output_field.get_internal_type() in ("CharField", "TextField", "SlugField")
        values = (_texts if texts else _numbers)(self.rhs, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(CAST(%s AS {'text' if texts else 'bigint'}[]))", [*lhs_params, values]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, values]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # a foreign key's lookups are its own, not Field's


@dataclass(frozen=True)
class _Compiled:
    template: QuerySet  # the queryset built with the first markers (its model and known related objects)
    compiler: object  # compiled: select, klass_info and annotation_col_map set
    converters: dict  # what turns the columns into Python values (the compiler would work them out each run)
    sql: str
    params: tuple
    places: dict[str, tuple[int, ...]]  # each value's positions among the parameters


class _Run:
    """What ModelIterable reads of a queryset: its database, model, known related objects, and a query whose
    compiler answers the prepared SQL with this run's parameters."""

    def __init__(self, compiled: _Compiled, alias: str, params: list):
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connections[alias]
        compiler.using = alias
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        compiler.get_converters = lambda expressions: compiled.converters
        self.db, self.model = alias, compiled.template.model
        self._known_related_objects = compiled.template._known_related_objects
        self.query = self
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


class Prepared:
    """A read statement built by `build(**values)` (a queryset of model instances), compiled once per database
    alias and process; `rows(**values)` runs it."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: Kind):
        self._build = build
        self._name = getattr(getattr(build, "func", build), "__qualname__", repr(build))  # a partial's function
        self._kinds = kinds
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()
        self._model = None

    def _markers(self, round_: int) -> dict:
        # Marker n of a kind is round n % 2: the values of one statement differ from each other in each round.
        return {name: kind.markers(2 * n + round_) for n, (name, kind) in enumerate(sorted(self._kinds.items()))}

    def _compile(self, alias: str) -> _Compiled:
        connection = connections[alias]
        found = []
        for round_ in (0, 1):
            markers = self._markers(round_)
            queryset = self._build(**markers)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            adapted = {name: self._kinds[name].adapt(marker, connection) for name, marker in markers.items()}
            places = {name: tuple(i for i, p in enumerate(params) if p == value) for name, value in adapted.items()}
            found.append((queryset, compiler, sql, tuple(params), places))
        (queryset, compiler, sql, params, places), (_q, _c, other_sql, other_params, other_places) = found
        taken = {i for positions in places.values() for i in positions}
        unchanged = all(a == b for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if i not in taken)
        if sql != other_sql or places != other_places or not unchanged or not all(places.values()):
            raise ImproperlyConfigured(
                f"{self._name} is not a prepared statement: its SQL must depend on its values "
                "through their parameters alone, and use every one of them"
            )
        converters = compiler.get_converters([column[0] for column in compiler.select[0 : compiler.col_count]])
        return _Compiled(
            template=queryset, compiler=compiler, converters=converters, sql=sql, params=params, places=places
        )

    def compiled(self, alias: str) -> _Compiled:
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias)
                if compiled is None:
                    compiled = self._compiled[alias] = self._compile(alias)
        return compiled

    def rows(self, *, using: str | None = None, **values) -> list:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"rows() takes exactly these values: {', '.join(sorted(self._kinds))}")
        if self._model is None:
            self._model = self._build(**self._markers(0)).model
        alias = using or router.db_for_read(self._model)
        compiled = self.compiled(alias)
        connection = connections[alias]
        params = list(compiled.params)
        for name, positions in compiled.places.items():
            parameter = self._kinds[name].adapt(values[name], connection)
            for position in positions:
                params[position] = parameter
        return list(ModelIterable(_Run(compiled, alias, params)))
