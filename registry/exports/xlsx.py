"""The XLSX export: a summary sheet, one sheet per modality and one per standard exam, in constant memory.

XlsxWriter's `constant_memory` mode flushes each row to a temporary file as soon as the next row starts, so
a workbook of a million rows needs the memory of one row per sheet. Rows must then arrive in order, sheet
by sheet; every sheet is created before the one pass over the studies, which writes each study to its
modality's sheet and, if mapped, to its exam's sheet (with that exam's per-study metrics).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from django.db.models import Count, F
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from registry.exports.columns import STUDY_COLUMNS, study_rows
from registry.exports.csv_stream import CHUNK_ROWS
from registry.models.studies import StudyQuerySet
from registry.statistics.metrics import Metric, metrics_for

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Excel's 1,048,576 rows a sheet, less the header; a full sheet goes on in "<name> (2)". Tests lower it.
SHEET_ROWS = 1_048_575
# Every workbook: rows flushed to disk as they are written; Excel has no time zones (times are UTC).
WORKBOOK_OPTIONS = {"constant_memory": True, "remove_timezone": True, "default_date_format": "yyyy-mm-dd"}


@dataclass
class Sheet:
    """A worksheet and its next free row (constant_memory needs rows in order)."""

    worksheet: Worksheet
    metrics: list[Metric] = field(default_factory=list)
    row: int = 1
    title: str = ""  # the name asked for; a continuation is "<title> (2)", "<title> (3)", ...

    def append(self, values: Sequence[Any]) -> None:
        self.worksheet.write_row(self.row, 0, [_cell(value) for value in values])
        self.row += 1


def _cell(value: Any) -> Any:
    """Times as text (a date format would show them as a day); dates and numbers as Excel values."""
    return value.isoformat() if isinstance(value, dt.time) else value


def _sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\ and at most 31 characters."""
    base = _SHEET_FORBIDDEN.sub(" ", text)[:31].strip() or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def write_workbook(
    path: str,
    studies: StudyQuerySet,
    *,
    filters: dict[str, str],
    generated_at: dt.datetime,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write the workbook of `studies` to `path`; returns the number of studies written."""
    by_modality = list(studies.values("modality").annotate(n=Count("pk")).order_by("modality"))
    by_exam = list(
        studies.filter(standard_exam__isnull=False)
        .values("standard_exam", "standard_exam__modality", "standard_exam__name")
        .annotate(n=Count("pk"))
        .order_by("standard_exam__modality", "standard_exam__name")
    )
    workbook = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    try:
        _write_summary(workbook, filters, generated_at, by_modality, by_exam)
        taken = {"summary"}
        modality_sheets = {
            row["modality"]: _new_sheet(workbook, f"{row['modality']} studies", taken, [])
            for row in by_modality
        }
        exam_sheets = {
            row["standard_exam"]: _new_sheet(
                workbook,
                f"{row['standard_exam__modality']} {row['standard_exam__name']}",
                taken,
                [m for m in metrics_for(row["standard_exam__modality"]) if m.level == "study"],
            )
            for row in by_exam
        }

        def continued(full: Sheet) -> Sheet:
            # XlsxWriter would refuse rows past Excel's limit: the sheet goes on in "<name> (2)", ...
            return _new_sheet(workbook, full.title, taken, full.metrics)

        return _fill(studies, modality_sheets, exam_sheets, continued, on_progress)
    finally:
        workbook.close()


def _new_sheet(workbook: Any, title: str, taken: set[str], metrics: list[Metric]) -> Sheet:
    sheet = Sheet(workbook.add_worksheet(_sheet_name(title, taken)), metrics, title=title)
    headers = [column.header for column in STUDY_COLUMNS]
    sheet.worksheet.write_row(0, 0, headers + [f"{m.label} ({m.unit})" for m in metrics])
    return sheet


def _room(sheets: dict[Any, Sheet], key: Any, continued: Callable[[Sheet], Sheet]) -> Sheet:
    """The sheet for `key`, replaced by its continuation once it holds SHEET_ROWS rows."""
    if sheets[key].row > SHEET_ROWS:
        sheets[key] = continued(sheets[key])
    return sheets[key]


def _fill(
    studies: StudyQuerySet,
    modality_sheets: dict[str, Sheet],
    exam_sheets: dict[int, Sheet],
    continued: Callable[[Sheet], Sheet],
    on_progress: Callable[[int], None] | None,
) -> int:
    """One pass over the studies, each row to its modality's sheet and its exam's sheet."""
    metrics = {m.key: m for sheet in exam_sheets.values() for m in sheet.metrics}
    annotated = studies.annotate(
        exam_key=F("standard_exam_id"), **{f"metric_{key}": m.value() for key, m in metrics.items()}
    )
    width = len(STUDY_COLUMNS)
    modality_at = [column.path for column in STUDY_COLUMNS].index("modality")
    extra = ["exam_key", *(f"metric_{key}" for key in metrics)]
    keys = list(metrics)
    written = 0
    for row in study_rows(annotated, *extra).iterator(chunk_size=CHUNK_ROWS):
        values, exam_id, metric_values = row[:width], row[width], row[width + 1 :]
        _room(modality_sheets, values[modality_at], continued).append(values)
        if exam_id is not None:
            sheet = _room(exam_sheets, exam_id, continued)
            by_key = dict(zip(keys, metric_values, strict=True))
            sheet.append([*values, *(by_key[m.key] for m in sheet.metrics)])
        written += 1
        if on_progress is not None and written % CHUNK_ROWS == 0:
            on_progress(written)
    return written


def _write_summary(
    workbook: Any,
    filters: dict[str, str],
    generated_at: dt.datetime,
    by_modality: Sequence[Mapping[str, Any]],
    by_exam: Sequence[Mapping[str, Any]],
) -> None:
    """Sheet 1: when it was made, from which filters, and how many studies per modality and exam."""
    by_modality_table = [("Modality", "Studies"), *((row["modality"], row["n"]) for row in by_modality)]
    by_exam_table = [
        ("Modality", "Standard exam", "Studies"),
        *((row["standard_exam__modality"], row["standard_exam__name"], row["n"]) for row in by_exam),
    ]
    write_summary(
        workbook,
        workbook.add_worksheet("Summary"),
        title="Kerma studies export",
        filters=filters,
        generated_at=generated_at,
        tables=[by_modality_table, by_exam_table],
    )


def write_summary(
    workbook: Any,
    sheet: Worksheet,
    *,
    title: str,
    filters: Mapping[str, str],
    generated_at: dt.datetime,
    tables: Sequence[Sequence[Sequence[Any]]],
) -> None:
    """The summary sheet: when it was made, from which filters, then count tables (header line, rows).

    Every workbook opens on it, so a file passed around still says what it holds and how it was chosen.
    """
    bold = workbook.add_format({"bold": True})
    lines: list[tuple[Sequence[Any], Any]] = [
        ((title,), bold),
        (("Generated at (UTC)", generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")), None),
        ((), None),
        (("Filter", "Value"), bold),
        *((line, None) for line in sorted(filters.items()) or [("(none)", "all studies you may export")]),
    ]
    for header, *rows in tables:
        lines += [((), None), (header, bold), *((row, None) for row in rows)]
    for number, (line, style) in enumerate(lines):
        sheet.write_row(number, 0, line, style)
