"""A received file opened once for reading and de-identifying: pydicom's header, the stream's content tree.

pydicom reads the header (everything but the content tree: routing, demographics, character set, what
de-identification changes), because there its conversions and checks are the reference and the cost is
small. The content tree, nearly all of a dose report's bytes, is read by `ingest.rdsr.stream`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pydicom.dataset import Dataset

from ingest.rdsr.source import parse_bytes
from ingest.rdsr.stream import END, START, Node, Raw, Stream, parse

CONTENT_SEQUENCE = 0x0040A730


@dataclass(frozen=True)
class Opened:
    """One file: its pydicom header (without ContentSequence) and its whole dataset as element offsets."""

    header: Dataset
    root: Node
    stream: Stream
    start: int  # where the dataset starts, after the preamble and the file meta group

    @property
    def content(self) -> Raw | None:
        """The top-level ContentSequence, if the file has one."""
        return self.root.get(CONTENT_SEQUENCE)


def open_file(data: bytes, name: str) -> Opened:
    """Open a Part 10 file in explicit or implicit VR little endian.

    Raises `stream.UnhandledError` for whatever the stream reader leaves to pydicom, and the reader's errors
    (or pydicom's) for a header pydicom cannot read: the caller then reads the file with pydicom alone.
    """
    stream, root, start = parse(data)
    content = root.get(CONTENT_SEQUENCE)
    header_bytes = data if content is None else data[: content[START]] + data[content[END] :]
    header = parse_bytes(header_bytes, name)
    # Content text is decoded with exactly the character sets pydicom gives the dataset's own elements.
    stream.encodings = header._character_set
    return Opened(header, root, stream, start)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is read, then restore it as it was.

    Reading builds one tuple per element and one dict per item (150,000 and 50,000 for a large
    fluoroscopy report); each allocation counts towards the next collection, and with a worker's modules
    loaded every full collection walks them all again: a third of the reading time. The reader makes no
    reference cycles of its own, so nothing waits longer to be freed than until the next collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
