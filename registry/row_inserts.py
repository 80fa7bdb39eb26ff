"""INSERT and UPDATE statements for storing a report, compiled once per model (and row count), and the
instance a row read by such a statement stands for.

Storing a report inserts a study, a report and its events, and Django compiles each INSERT afresh from its
model instances: for a CT report's dozen events that compile cost more than the database's work
(docs/performance.md, "Where a report's time goes"); a later report of a study rewrites the study's row.
The statements here are built once from the model's fields and take the instances' values as Django
prepares them (`pre_save`, `get_db_prep_save`: defaults, `auto_now`, JSON and UUID encoding), so what is
written is what `save` or `bulk_create` would write.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model

MAX_ROWS_PER_STATEMENT = 500
_M = TypeVar("_M", bound=Model)


@functools.lru_cache(maxsize=64)
def _statement(model: type[Model], rows: int, suffix: str) -> tuple[str, tuple[Field, ...]]:
    """INSERT INTO <table> (<every column but the key>) VALUES (...) x rows <suffix>, and its fields."""
    meta, quote = model._meta, connection.ops.quote_name
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    row = f"({', '.join(['%s'] * len(fields))})"
    columns = ", ".join(quote(str(field.column)) for field in fields)
    values = ", ".join([row] * rows)
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} {suffix}".strip(), fields  # noqa: S608


def _values(instance: Model, fields: Sequence[Field]) -> list[Any]:
    return [field.get_db_prep_save(field.pre_save(instance, add=True), connection) for field in fields]


def insert_returning_key(instance: Model, *, unless_conflict_on: tuple[str, ...] = ()) -> bool:
    """INSERT one row and give the instance its key; whether it was inserted.

    With `unless_conflict_on` (the columns of a unique constraint), a row that exists already is left
    alone (ON CONFLICT ... DO NOTHING, PostgreSQL and SQLite 3.35+) and False is returned.
    """
    meta, quote = instance._meta, connection.ops.quote_name
    assert meta.pk is not None  # noqa: S101 - for the type checker: every model has a key
    conflict = ""
    if unless_conflict_on:
        conflict = f"ON CONFLICT ({', '.join(quote(column) for column in unless_conflict_on)}) DO NOTHING "
    sql, fields = _statement(type(instance), 1, f"{conflict}RETURNING {quote(str(meta.pk.column))}")
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(instance, fields))
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk, instance._state.adding, instance._state.db = row[0], False, connection.alias
    return True


def insert_all(instances: Sequence[Model]) -> None:
    """INSERT rows of one model, as many per statement as the backend takes; their keys are not read back."""
    if not instances:
        return
    model = type(instances[0])
    fields = tuple(field for field in model._meta.concrete_fields if not field.primary_key)
    batch = max(1, min(MAX_ROWS_PER_STATEMENT, connection.ops.bulk_batch_size(list(fields), list(instances))))
    with connection.cursor() as cursor:
        for start in range(0, len(instances), batch):
            rows = instances[start : start + batch]
            sql, fields = _statement(model, len(rows), "")
            cursor.execute(sql, [value for instance in rows for value in _values(instance, fields)])


@functools.lru_cache(maxsize=16)
def _update_statement(model: type[Model]) -> tuple[str, tuple[Field[Any, Any], ...]]:
    """UPDATE <table> SET <every column but the key> = ... WHERE <key> = %s, and its fields."""
    meta, quote = model._meta, connection.ops.quote_name
    assert meta.pk is not None  # noqa: S101 - for the type checker: every model has a key
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    key = quote(str(meta.pk.column))
    return f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {key} = %s", fields  # noqa: S608


def update_every_column(instance: Model) -> None:
    """Write every column of a saved row, as `save()` does, with a statement built once per model."""
    sql, fields = _update_statement(type(instance))
    values = [field.get_db_prep_save(field.pre_save(instance, add=False), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, instance.pk])


def model_from_row(model: type[_M], values: Sequence[Any]) -> _M:
    """An instance from a row of every concrete column in field order, converted as the ORM converts a
    selected column (SQLite returns UUIDs, datetimes and booleans as text and integers)."""
    fields = model._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        column = field.cached_col
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], converted)
