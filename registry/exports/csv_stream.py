"""CSV exports in constant memory: rows straight from a database cursor to bytes, hashed on the way.

`csv_chunks` never holds more than one chunk of rows: the queryset is read with `.iterator(chunk_size=...)`
(a server-side cursor on PostgreSQL) and every `CHUNK_ROWS` rows become one encoded chunk. The same chunks
feed an HTTP stream or a file written by a background job, so both produce identical bytes.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from registry.exports.columns import Column

CHUNK_ROWS = 2000


@dataclass
class StreamResult:
    """What a finished stream wrote: its SHA-256, data rows (without the header) and bytes."""

    sha256: str = ""
    rows: int = 0
    size: int = 0


class _Echo:
    """A file-like object whose write returns the text, so csv.writer formats one row at a time."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    on_chunk: Callable[[int], None] | None = None,
    on_done: Callable[[StreamResult], None] | None = None,
) -> Iterator[bytes]:
    """UTF-8 CSV: the header (units in the names), then one line per row; `on_done` gets the totals.

    Dates and times are ISO 8601 (str of date/datetime), numbers as stored (repr, no rounding), None empty.
    """
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    digest = hashlib.sha256()
    result = StreamResult()
    lines: list[str] = [writer.writerow([column.header for column in columns])]
    for row in rows:
        lines.append(writer.writerow(row))
        result.rows += 1
        if len(lines) >= CHUNK_ROWS:
            yield _emit(lines, digest, result)
            if on_chunk is not None:
                on_chunk(result.rows)
    yield _emit(lines, digest, result)
    result.sha256 = digest.hexdigest()
    if on_done is not None:
        on_done(result)


def _emit(lines: list[str], digest: Any, result: StreamResult) -> bytes:
    chunk = "".join(lines).encode()
    lines.clear()
    digest.update(chunk)
    result.size += len(chunk)
    return chunk
