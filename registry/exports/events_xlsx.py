"""The events workbook: every irradiation event of the selection, one per row, over as many sheets as needed.

The rows are the events CSV's (`event_rows`, units in the headers), read through a server-side cursor one
chunk at a time, and XlsxWriter's `constant_memory` mode flushes each row to disk as the next one starts, so
memory stays that of one chunk however many events there are. Excel stops at 1,048,576 rows a sheet; past
`SHEET_ROWS` data rows under the header the events go on in "Events (2)", "Events (3)"... each with the
header again, rather than being cut off. The summary comes first in the workbook but is written last, from
counts made during the same pass, so it states exactly what the sheets hold.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from registry.exports.columns import EVENT_COLUMNS, event_rows
from registry.exports.csv_stream import CHUNK_ROWS
from registry.exports.xlsx import SHEET_ROWS, WORKBOOK_OPTIONS, Sheet, write_summary
from registry.models.studies import StudyQuerySet

__all__ = ["SHEET_ROWS", "write_events_workbook"]  # SHEET_ROWS: tests lower it to see the roll-over

_HEADERS = [column.header for column in EVENT_COLUMNS]
_AT = {column.header: index for index, column in enumerate(EVENT_COLUMNS)}


@dataclass
class _Tally:
    """Events per (modality, kind) and per (study modality, standard exam), counted while writing."""

    by_kind: Counter[tuple[Any, Any]] = field(default_factory=Counter)
    by_exam: Counter[tuple[Any, Any]] = field(default_factory=Counter)

    def add(self, values: Sequence[Any]) -> None:
        self.by_kind[values[_AT["Event modality"]], values[_AT["Event kind"]]] += 1
        exam = values[_AT["Standard exam"]]
        if exam is not None:
            self.by_exam[values[_AT["Study modality"]], exam] += 1


def write_events_workbook(
    path: str,
    studies: StudyQuerySet,
    *,
    filters: dict[str, str],
    generated_at: dt.datetime,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write the events of `studies` to the workbook at `path`; returns the number of events written."""
    workbook = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    try:
        summary = workbook.add_worksheet("Summary")
        tally = _Tally()
        rows = event_rows(studies).iterator(chunk_size=CHUNK_ROWS)
        sheets = _fill(workbook, rows, tally, on_progress)
        written = sum(sheet.row - 1 for sheet in sheets)
        write_summary(
            workbook,
            summary,
            title="Kerma events export",
            filters=filters,
            generated_at=generated_at,
            tables=_summary_tables(tally, sheets),
        )
        return written
    finally:
        workbook.close()


def _fill(
    workbook: Any,
    rows: Iterable[Sequence[Any]],
    tally: _Tally,
    on_progress: Callable[[int], None] | None,
) -> list[Sheet]:
    """One pass over the events in order, starting a new sheet whenever one is full."""
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheets = [_events_sheet(workbook, 1, datetime_format)]
    for written, values in enumerate(rows, start=1):
        if sheets[-1].row > SHEET_ROWS:
            sheets.append(_events_sheet(workbook, len(sheets) + 1, datetime_format))
        sheets[-1].append(values)
        tally.add(values)
        if on_progress is not None and written % CHUNK_ROWS == 0:
            on_progress(written)
    return sheets


def _events_sheet(workbook: Any, number: int, datetime_format: Any) -> Sheet:
    """Sheet "Events" (then "Events (2)", ...) with the header; its datetimes are shown with the time."""
    worksheet = workbook.add_worksheet("Events" if number == 1 else f"Events ({number})")
    worksheet.write_row(0, 0, _HEADERS)

    def write_utc(sheet: Worksheet, row: int, col: int, value: dt.datetime, *_: Any) -> int:
        # Excel has no time zones: store UTC (as the CSV's +00:00 does) whatever the connection's zone is.
        utc = value.astimezone(dt.UTC) if value.tzinfo is not None else value
        return int(sheet.write_datetime(row, col, utc, datetime_format))

    worksheet.add_write_handler(dt.datetime, write_utc)
    return Sheet(worksheet)


def _summary_tables(tally: _Tally, sheets: Sequence[Sheet]) -> list[list[tuple[Any, ...]]]:
    return [
        [("Event modality", "Event kind", "Events"), *_counted(tally.by_kind)],
        [("Study modality", "Standard exam", "Events"), *_counted(tally.by_exam)],
        [("Sheet", "Events"), *((sheet.worksheet.name, sheet.row - 1) for sheet in sheets)],
        [("Times",), ("Started at is in UTC.",)],
    ]


def _counted(counter: Counter[tuple[Any, Any]]) -> list[tuple[Any, ...]]:
    return [(*key, n) for key, n in sorted(counter.items(), key=lambda item: tuple(map(str, item[0])))]
