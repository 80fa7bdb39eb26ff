"""Percentiles as database aggregates: `percentile_cont` on PostgreSQL, the same arithmetic on SQLite.

Statistics live once. PostgreSQL has the ordered-set aggregate `percentile_cont(f) WITHIN GROUP (ORDER BY x)`;
SQLite has none in Python's build, so `register_sqlite_functions` (connected to `connection_created` in
`registry.apps`) registers a two-argument Python aggregate of the same name on every new SQLite connection.
Both interpolate linearly between the two values around position (n - 1)·f of the sorted non-null values
(the "inclusive" method of `statistics.quantiles`), with PostgreSQL's own formula, so both backends give
the same numbers, bit for bit.

`MedianBound` gives a bound of the median's 95 % interval (registry.statistics.intervals) in the same
GROUP BY; SQLite registers its own aggregate for it too. `MonthStart` is the month of a date that every
per-month GROUP BY keys on.
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, FloatField
from django.db.models.expressions import Combinable
from django.db.models.functions import TruncMonth
from django.db.models.sql.compiler import SQLCompiler

from registry.statistics.intervals import MEDIAN_WINDOW, median_windows, order_statistic_ranks

SQLITE_FUNCTION = "percentile_cont"
SQLITE_MEDIAN_BOUND = "kerma_median_bound"
SIDES = {"low": 0, "high": 1}


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


class SqliteMedianBound:
    """The SQLite side of MedianBound: n, the window's first rank and its values, as PostgreSQL has them."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.side = 0

    def step(self, value: float | None, side: int) -> None:
        self.side = int(side)
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> str:
        ordered = sorted(self.values)
        start = median_windows(len(ordered))[self.side]
        return json.dumps([len(ordered), start, *ordered[start - 1 : start - 1 + MEDIAN_WINDOW]])


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: give every new SQLite connection our two aggregates."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_FUNCTION, 2, SqlitePercentileCont)
        connection.connection.create_aggregate(SQLITE_MEDIAN_BOUND, 2, SqliteMedianBound)


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


class MedianBound(Aggregate):
    """The lower or upper bound of the 95 % interval of the median of `expression` over a group (or None).

    The exact ranks (registry.statistics.intervals) depend on the group's n, which SQL knows only inside
    the aggregate, and SQL has no binomial quantile. So the database returns n and MEDIAN_WINDOW order
    statistics around the bound, and `convert_value` picks the exact rank among them: no second pass over
    the rows, and only a few numbers per group reach Python. PostgreSQL slices `array_agg(v ORDER BY v)`, an
    in-memory sort per group beside percentile_cont's (about 5 % more time, docs/performance.md); SQLite
    runs the registered aggregate with the same window.
    """

    function = SQLITE_MEDIAN_BOUND
    name = "MedianBound"
    output_field = FloatField()
    arity = 1
    template = "%(function)s(%(expressions)s, %(side)s)"
    # n, the window's first rank, then the window: START and the rank arithmetic of intervals.median_windows
    postgresql_template = (
        "ARRAY[count({v})::float8, ({start})::float8] || "
        f"(array_agg(({{v}})::float8 ORDER BY {{v}}))[{{start}} : {{start}} + {MEDIAN_WINDOW - 1}]"
    )
    approximate = "floor(count({v})::float8 / 2 + 0.5 - 0.98 * sqrt(count({v})::float8))::int"
    starts = {
        "low": f"greatest(1, {approximate} - 3)",
        "high": f"greatest(1, count({{v}}) - {approximate} - 3)",
    }

    def __init__(self, expression: str | Combinable, side: Literal["low", "high"], **extra: Any) -> None:
        self.side = side
        super().__init__(expression, side=str(SIDES[side]), **extra)

    def as_sql(  # type: ignore[override]  # as Aggregate.as_sql in django-stubs
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        raise NotSupportedError(
            f"MedianBound is implemented for PostgreSQL and SQLite, not {connection.vendor}."
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        return super().as_sql(compiler, connection, **extra_context)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        value, params = compiler.compile(self.get_source_expressions()[0])
        sql = self.postgresql_template.replace("{start}", self.starts[self.side])
        # Every {v} is the value's SQL with its own parameters, in order of appearance.
        return sql.replace("{v}", value), tuple(params) * sql.count("{v}")

    def convert_value(  # a converter method in place of BaseExpression's cached property
        self, value: Any, expression: Any, connection: BaseDatabaseWrapper
    ) -> float | None:
        """The order statistic at the exact rank, from [n, first rank, window...] (a list or JSON text)."""
        if value is None:
            return None
        n, start, *window = json.loads(value) if isinstance(value, str) else value
        rank = order_statistic_ranks(int(n), 0.5)[SIDES[self.side]]
        if rank is None:
            return None
        if not int(start) <= rank < int(start) + len(window):
            raise ValueError(f"The median's rank {rank} of {n} lies outside the window from rank {start}.")
        return float(window[rank - int(start)])


class MonthStart(TruncMonth):
    """The first day of a date's month (TruncMonth of a DateField), cheaper per row on PostgreSQL.

    Django writes `DATE_TRUNC('month', date)`, for which PostgreSQL casts the date to timestamptz and
    truncates it in the session's time zone: a time-zone conversion per row, about 70 ms per million rows
    (docs/performance.md). A date has no time zone, so truncating it as a timestamp gives the same month;
    the result is cast back to a date.
    """

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"DATE_TRUNC('month', ({sql})::timestamp)::date", params
