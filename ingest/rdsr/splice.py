"""The de-identified copy as the original bytes with only the changed elements written anew.

Writing a whole content tree back through pydicom costs more than reading it (5.8 s for a 15,000-item
report), and almost all of it is unchanged. Here each changed element gets its new value, each item and
sequence around it a new length, and every other element, item and sequence is copied byte for byte.
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from collections.abc import Mapping

from ingest.rdsr.stream import (
    END,
    ITEMS,
    LONG_VRS,
    START,
    UNDEFINED,
    VALUE_END,
    VALUE_START,
    VR,
    Node,
    Raw,
    Stream,
)

_ITEM_HEADER = struct.Struct("<HHL")
_ITEM_END_BYTES = _ITEM_HEADER.pack(0xFFFE, 0xE00D, 0)


Edits = Mapping[int, bytes | None]  # an element, by where it starts -> its new value, or None to drop it


def rewrite_dataset(
    stream: Stream, node: Node, edits: Edits, added: Mapping[int, tuple[str, bytes]]
) -> bytes:
    """The elements of a top-level dataset with `edits` applied and `added` (tag -> VR, value) inserted.

    Only the elements, items and sequences that contain an edit are written anew (defined lengths
    recomputed, undefined lengths kept); everything else is copied from the original bytes. Each added
    element goes before the first element with a greater tag, where the standard orders it.
    """
    writer = _Writer(stream, edits)
    pending = sorted(added.items())
    parts: list[bytes] = []
    for tag, raw in node.items():
        while pending and pending[0][0] < tag:
            parts.append(writer.new_element(*pending.pop(0)))
        writer.element(raw, parts)
    parts += (writer.new_element(*new) for new in pending)
    return b"".join(parts)


class _Writer:
    def __init__(self, stream: Stream, edits: Edits) -> None:
        self.data, self.implicit, self.edits = stream.data, stream.implicit, edits
        self.starts = sorted(edits)

    def new_element(self, tag: int, new: tuple[str, bytes]) -> bytes:
        """A whole element, header and value, for a short-length VR (AS, CS, LO, SH ...)."""
        vr, value = new
        if self.implicit:
            return struct.pack("<HHL", tag >> 16, tag & 0xFFFF, len(value)) + value
        return struct.pack("<HH2sH", tag >> 16, tag & 0xFFFF, vr.encode(), len(value)) + value

    def _touched(self, start: int, end: int) -> bool:
        index = bisect_left(self.starts, start)
        return index < len(self.starts) and self.starts[index] < end

    def item(self, node: Node, out: list[bytes]) -> None:
        if not self._touched(node.start, node.end):
            out.append(self.data[node.start : node.end])
            return
        parts: list[bytes] = []
        for raw in node.values():
            self.element(raw, parts)
        body = b"".join(parts)
        length = UNDEFINED if node.undefined else len(body)
        out += (_ITEM_HEADER.pack(0xFFFE, 0xE000, length), body)
        if node.undefined:
            out.append(_ITEM_END_BYTES)

    def element(self, raw: Raw, out: list[bytes]) -> None:
        start, end = raw[START], raw[END]
        if not self._touched(start, end):
            out.append(self.data[start:end])
            return
        if start in self.edits:
            value = self.edits[start]
            if value is not None:
                out += (self._header(raw, len(value)), value)
            return
        parts: list[bytes] = []
        for item in raw[ITEMS] or ():
            self.item(item, parts)
        body = b"".join(parts)
        undefined = end != raw[VALUE_END]
        out += (self._header(raw, UNDEFINED if undefined else len(body)), body)
        if undefined:
            out.append(self.data[raw[VALUE_END] : end])

    def _header(self, raw: Raw, length: int) -> bytes:
        """The element's own header bytes with a new length (2 bytes for short explicit VRs, else 4)."""
        header = self.data[raw[START] : raw[VALUE_START]]
        if not self.implicit and raw[VR] not in LONG_VRS:
            return header[:-2] + struct.pack("<H", length)
        return header[:-4] + struct.pack("<L", length)
