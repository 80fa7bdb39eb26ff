"""Percentiles as database aggregates: `percentile_cont` on PostgreSQL, the same arithmetic on SQLite.

Statistics live once. PostgreSQL has the ordered-set aggregate `percentile_cont(f) WITHIN GROUP (ORDER BY x)`;
SQLite has none in Python's build, so `register_sqlite_functions` (connected to `connection_created` in
`registry.apps`) registers a two-argument Python aggregate of the same name on every new SQLite connection.
Both interpolate linearly between the two values around position (n - 1)·f of the sorted non-null values
(the "inclusive" method of `statistics.quantiles`), with PostgreSQL's own formula, so both backends give
the same numbers, bit for bit.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, FloatField
from django.db.models.expressions import Combinable
from django.db.models.sql.compiler import SQLCompiler

SQLITE_FUNCTION = "percentile_cont"


def percentile_cont(ordered: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont of sorted values (orderedsetaggs.c: floor/ceil of (n - 1)·f, lerp)."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    if lower == upper:
        return ordered[lower]
    return ordered[lower] + (position - lower) * (ordered[upper] - ordered[lower])


class SqlitePercentileCont:
    """The SQLite side of PercentileCont: collects the non-null values of a group, interpolates at the end."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: float | None, fraction: float) -> None:
        self.fraction = float(fraction)
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return percentile_cont(sorted(self.values), self.fraction)


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: give every new SQLite connection the percentile_cont aggregate."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_FUNCTION, 2, SqlitePercentileCont)


class PercentileCont(Aggregate):
    """The continuous percentile `fraction` (0-1) of `expression` over a group; NULLs are ignored.

    The fraction is written into the SQL as a number literal rather than a parameter: it is a float we
    validated, and PostgreSQL must see it as a constant of the ordered-set aggregate's direct argument.
    """

    function = "percentile_cont"
    name = "PercentileCont"
    output_field = FloatField()
    arity = 1
    template = "%(function)s(%(expressions)s, %(fraction)s)"
    postgresql_template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: str | Combinable, fraction: float, **extra: Any) -> None:
        fraction = float(fraction)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(f"A percentile fraction lies between 0 and 1, not {fraction}.")
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sql(  # type: ignore[override]  # as Aggregate.as_sql in django-stubs
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        raise NotSupportedError(
            f"PercentileCont is implemented for PostgreSQL and SQLite, not {connection.vendor}."
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        return super().as_sql(compiler, connection, **extra_context)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        return super().as_sql(compiler, connection, template=self.postgresql_template, **extra_context)


class Median(PercentileCont):
    """The 50th percentile: PercentileCont(expression, 0.5)."""

    name = "Median"

    def __init__(self, expression: str | Combinable, **extra: Any) -> None:
        super().__init__(expression, 0.5, **extra)
