"""Rows written by one INSERT whose SQL is built once per process: bulk_create's result, without its cost.

bulk_create builds a query, a compiler and a statement for every call, and on PostgreSQL sends several rows as
arrays (UNNEST), which psycopg writes element by element, escaping each quote of a text through a regular
expression: for a story's revision (its rows as JSON) that cost more than the database's work. Ingest writes
seven such statements a story. `insert()` writes the same rows with the same values: each field's value is
what bulk_create would send (`pre_save(add=True)`, then `get_db_prep_save`), the statement the plain
`INSERT … VALUES (…), (…) RETURNING <pk>` the ORM writes for one row, kept per model, database, number of rows
and conflict clause. The rows come back as bulk_create leaves them: their primary keys set, saved to that
database. Like bulk_create it sends no signals and calls no save().

Only for rows whose every field holds a plain value or one the database computes from parameters (Computed,
as a search vector from its texts): an ORM expression (F(), a database function) is refused with TypeError,
so such a row goes through the ORM. tests/test_inserts.py holds
insert() and bulk_create to the same rows on both databases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Model
from django.db.models.constants import OnConflict


@dataclass(frozen=True)
class Upsert:
    """ON CONFLICT (unique_fields) DO UPDATE SET update_fields: the row there takes the new values. With no
    update_fields, DO NOTHING: the row there stays (bulk_create's ignore_conflicts)."""

    unique_fields: tuple[str, ...]
    update_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Computed:
    """A field's value the database computes in the statement: `sql` with a %s for each of `params` (a search
    vector from its texts, say). The same `sql` for every row keeps one statement."""

    sql: str
    params: tuple = ()


_statements: dict[tuple, tuple[str, bool]] = {}


def _fields(model: type[Model], with_pk: bool) -> list:
    opts = model._meta
    return [field for field in opts.concrete_fields if not field.generated and (with_pk or field is not opts.pk)]


def _statement(model: type[Model], alias: str, with_pk: bool, rows: tuple[tuple[str, ...], ...], upsert):
    """(SQL, whether it returns the primary keys) for rows of `model` on `alias` with these placeholders."""
    key = (model, alias, with_pk, rows, upsert)
    found = _statements.get(key)
    if found is not None:
        return found
    connection = connections[alias]
    opts = model._meta
    fields = _fields(model, with_pk)
    quote = connection.ops.quote_name
    conflict = None if upsert is None else OnConflict.UPDATE if upsert.update_fields else OnConflict.IGNORE
    # INSERT INTO, or SQLite's INSERT OR IGNORE INTO, as the ORM writes it.
    sql = connection.ops.insert_statement(on_conflict=conflict)
    sql += f" {quote(opts.db_table)} ({', '.join(quote(field.column) for field in fields)}) VALUES "
    sql += ", ".join("(" + ", ".join(row) + ")" for row in rows)
    returning = False
    if upsert is not None:
        suffix = connection.ops.on_conflict_suffix_sql(
            fields,
            conflict,
            [opts.get_field(name).column for name in upsert.update_fields],
            [opts.get_field(name).column for name in upsert.unique_fields],
        )
        sql += " " + suffix
    elif not with_pk and connection.features.can_return_rows_from_bulk_insert:
        sql += " RETURNING " + ", ".join(
            f"{quote(opts.db_table)}.{quote(field.column)}" for field in opts.db_returning_fields
        )
        returning = True
    found = _statements[key] = (sql, returning)
    return found


def insert(objs: Iterable[Model], *, using: str | None = None, upsert: Upsert | None = None) -> list[Model]:
    """Insert `objs` (instances of one model, all with a primary key or none) in one statement; with `upsert`,
    a row that conflicts with one there replaces its update_fields (or is left out) instead. Returns the rows,
    their primary keys (and any other field the database fills) set where the database gave them (not for an
    upsert, as bulk_create). A field's value may be Computed: the database works it out in the statement."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    with_pk = objs[0].pk is not None
    if any(type(obj) is not model or (obj.pk is not None) != with_pk for obj in objs):
        raise TypeError("insert() takes rows of one model, either all with a primary key or none")
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    if not connection.features.can_return_rows_from_bulk_insert and not with_pk and upsert is None:
        return model._default_manager.using(alias).bulk_create(objs)  # a database that cannot say the keys
    fields = _fields(model, with_pk)
    params, rows = [], []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert")
        row = []
        for field in fields:
            value = field.pre_save(obj, True)
            if isinstance(value, Computed):
                row.append(value.sql)
                params.extend(value.params)
                continue
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"insert() writes plain values only: {model.__name__}.{field.name} is an expression")
            row.append("%s")
            params.append(field.get_db_prep_save(value, connection=connection))
        rows.append(tuple(row))
    sql, returning = _statement(model, alias, with_pk, tuple(rows), upsert)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall() if returning else ()
    if returning:
        returned = model._meta.db_returning_fields
        for obj, row in zip(objs, keys, strict=True):
            for field, value in zip(returned, row, strict=True):
                setattr(obj, field.attname, value)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs
