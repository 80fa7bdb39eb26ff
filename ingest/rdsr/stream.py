"""A small reader of the DICOM element stream that keeps every element as byte offsets into the file.

Why it exists: pydicom builds a `Dataset` and a `DataElement` for every element of every content item,
which costs about 0.1 ms per content item, so a 15,000-item fluoroscopy report took 6 s to read and as
long again to write back de-identified. This reader walks the same bytes once and keeps only where each
element is: the content tree is read from it (values decoded on access) and the de-identified copy is the
original bytes with only the changed elements spliced in (`splice`).

Each element is a plain tuple of offsets (`Raw`), not an object: a report of 15,000 content items has
150,000 elements, and building an object for each cost four times the walk itself.

It reads explicit and implicit VR little endian, defined and undefined lengths, items and their
delimiters (PS3.5 §7.1-7.5). It is strict where pydicom is tolerant: anything it does not handle, or any
doubt (a length past the end, an unknown VR, a VR of UN on a standard attribute, a character set inside
an item, big endian, deflate), raises `UnhandledError`, and the caller reads the file with pydicom
instead. Values that are not plain ASCII are converted by pydicom itself, so a value read here is the
value pydicom gives.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import Any, Final

from pydicom.charset import default_encoding
from pydicom.datadict import dictionary_VR
from pydicom.dataelem import RawDataElement, convert_raw_data_element
from pydicom.tag import Tag

EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2"
UNDEFINED = 0xFFFFFFFF
ITEM = 0xFFFEE000
ITEM_END = 0xFFFEE00D
SEQUENCE_END = 0xFFFEE0DD
_CHARSET = 0x00080005
_PREAMBLE = 128

# Explicit VRs with a 4-byte length after two reserved bytes (PS3.5 Table 7.1-1); the others have 2 bytes.
LONG_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"})
_SHORT_VRS = frozenset(
    {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "PN", "SH", "SL", "SS", "ST"}
    | {"TM", "UI", "UL", "US"}
)
# Text VRs whose backslash separates values; a value with one is left to pydicom (it becomes a MultiValue).
_MULTI_TEXT_VRS = frozenset({"AS", "CS", "DA", "DT", "LO", "PN", "SH", "TM", "UC", "UI"})
_SINGLE_TEXT_VRS = frozenset({"LT", "ST", "UT"})
_HEADER = struct.Struct("<HH2sH")
_HEADER_12 = struct.Struct("<HH2sHL")
_IMPLICIT_HEADER = struct.Struct("<HHL")
_LENGTH = struct.Struct("<L")
_DOUBLE = struct.Struct("<d")
# One decimal number, as a DS holds it: float() reads it exactly as pydicom's DSfloat does.
_PLAIN_NUMBER = re.compile(rb" *[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)? *")


class UnhandledError(Exception):
    """The stream holds something this reader leaves to pydicom (the message says what, for debugging)."""


# One element: VR, start of its header, start and end of its value, its end (after a sequence's
# delimiter), and the items of a sequence (None for any other VR).
Raw = tuple[str, int, int, int, int, "list[Node] | None"]
VR: Final = 0
START: Final = 1
VALUE_START: Final = 2
VALUE_END: Final = 3
END: Final = 4
ITEMS: Final = 5


class Stream:
    """The bytes of one file and how to read them: VR encoding and the character sets of its text."""

    def __init__(self, data: bytes, implicit: bool) -> None:
        self.data = data
        self.implicit = implicit
        self.encodings: str | list[str] = default_encoding
        self.private: list[Raw] = []

    def decode(self, tag: int, raw: Raw) -> Any:
        """The value as pydicom's `DataElement.value` gives it (plain str where pydicom gives a str subclass).

        Plain ASCII text, single numbers and sequences are decoded here; everything else by pydicom.
        """
        items = raw[ITEMS]
        if items is not None:
            return items
        value = self.data[raw[VALUE_START] : raw[VALUE_END]]
        vr = raw[VR]
        if value and value.isascii() and b"\x1b" not in value:  # ESC starts an ISO 2022 code extension
            if vr in _MULTI_TEXT_VRS and b"\\" not in value and (vr != "PN" or b"=" not in value):
                text = value.decode().rstrip("\0 ")
                return text.strip() if vr == "UI" else text  # pydicom's UID() strips whitespace too
            if vr in _SINGLE_TEXT_VRS:
                return value.decode().rstrip("\0 ")
            if vr == "DS" and _PLAIN_NUMBER.fullmatch(value):
                return float(value)  # pydicom's DSfloat holds this same float
        if vr == "FD" and len(value) == _DOUBLE.size:
            return _DOUBLE.unpack(value)[0]
        element = RawDataElement(
            Tag(tag), None if self.implicit else vr, len(value), value, raw[VALUE_START], self.implicit, True
        )
        return convert_raw_data_element(element, encoding=self.encodings).value


class Node(dict[int, Raw]):
    """One dataset (the file's, or an item of a sequence): its elements by tag, in file order."""

    __slots__ = ("end", "start", "stream", "undefined")

    def __init__(self, stream: Stream, start: int) -> None:  # no super().__init__(): the dict starts empty
        self.stream = stream
        self.start = self.end = start
        self.undefined = False

    def value(self, tag: int) -> Any:
        """The value of an element (`Stream.decode`), None when the dataset has no such element."""
        raw = self.get(tag)
        return None if raw is None else self.stream.decode(tag, raw)


_VR_INFO: dict[bytes, tuple[str, bool]] = {
    vr.encode(): (vr, vr in LONG_VRS) for vr in LONG_VRS | _SHORT_VRS
}  # the VR bytes of an explicit VR header: its name and whether a 4-byte length follows
_IMPLICIT_VRS: dict[int, str] = {}


def _vr_of(tag: int) -> str:
    """The dictionary VR of a tag in an implicit VR stream ("UN" for private, unknown, group length)."""
    vr = _IMPLICIT_VRS.get(tag)
    if vr is None:
        if tag >> 16 == 0xFFFE:
            raise UnhandledError(f"delimiter {tag:08X} where an element should be")
        try:
            vr = dictionary_VR(tag)
        except KeyError:
            vr = "UN"
        if tag >> 16 & 1 or not tag & 0xFFFF:
            vr = "UN"  # never read here; pydicom gives their values when asked
        _IMPLICIT_VRS[tag] = vr
    return vr


def _dataset(stream: Stream, pos: int, end: int, in_item: bool) -> Node:
    """The elements from `pos` up to `end`, or up to the delimiter of an undefined-length item."""
    data, implicit, size = stream.data, stream.implicit, len(stream.data)
    node = Node(stream, pos)
    # Bound once: this loop runs for every element of the file.
    implicit_header, explicit_header, vr_info = (
        _IMPLICIT_HEADER.unpack_from,
        _HEADER_12.unpack_from,
        _VR_INFO.get,
    )
    while pos < end:
        start = pos
        if pos + 8 > end:
            raise UnhandledError(f"element header cut at {pos}")
        if implicit:
            group, number, length = implicit_header(data, pos)
            tag = group << 16 | number
            if tag == ITEM_END:
                return _item_end(node, length, in_item, pos)
            vr = _vr_of(tag)
            value_start = pos + 8
        else:
            # Twelve bytes at once: the 2-byte length of most VRs, or the 4-byte one after SQ, UT, OB...
            group, number, code, length, long_length = (
                explicit_header(data, pos) if pos + 12 <= size else (*_HEADER.unpack_from(data, pos), -1)
            )
            tag = group << 16 | number
            info = vr_info(code)
            if info is None:
                if tag == ITEM_END:
                    return _item_end(node, _LENGTH.unpack_from(data, pos + 4)[0], in_item, pos)
                raise UnhandledError(f"VR {code!r} at {pos}")
            vr, long = info
            if long:
                if pos + 12 > end:
                    raise UnhandledError(f"element header cut at {pos}")
                length, value_start = long_length, pos + 12
            else:
                value_start = pos + 8
            if vr == "UN" and not group & 1:
                # pydicom reads such an attribute again by the dictionary's VR
                raise UnhandledError(f"standard attribute {tag:08X} as UN")
        if length == UNDEFINED:
            sequence, value_end, pos = _undefined_sequence(stream, tag, vr, value_start, end)
            raw: Raw = ("SQ", start, value_start, value_end, pos, sequence)
        else:
            pos = value_start + length
            if pos > end:
                raise UnhandledError(f"element {tag:08X} runs past its end")
            items = _defined_items(stream, value_start, pos) if vr == "SQ" else None
            raw = (vr, start, value_start, pos, pos, items)
        if group & 1:
            stream.private.append(raw)
        elif tag == _CHARSET and in_item:
            raise UnhandledError("a character set inside an item")
        node[tag] = raw
    if in_item:
        raise UnhandledError("undefined-length item without its delimiter")
    node.end = pos
    return node


def _item_end(node: Node, length: int, in_item: bool, pos: int) -> Node:
    if not in_item or length != 0:
        raise UnhandledError(f"stray item delimiter at {pos}")
    node.undefined = True
    node.end = pos + 8
    return node


def _item(stream: Stream, pos: int, end: int, group: int, number: int, length: int) -> Node:
    """The item whose header (read by the caller) starts at `pos`: its dataset and its delimiter."""
    if group << 16 | number != ITEM:
        raise UnhandledError(f"expected an item at {pos}")
    if length == UNDEFINED:
        node = _dataset(stream, pos + 8, end, in_item=True)
    elif pos + 8 + length > end:
        raise UnhandledError(f"item at {pos} runs past its sequence")
    else:
        node = _dataset(stream, pos + 8, pos + 8 + length, in_item=False)
    node.start = pos
    return node


def _defined_items(stream: Stream, pos: int, end: int) -> list[Node]:
    items: list[Node] = []
    while pos < end:
        if pos + 8 > end:
            raise UnhandledError(f"item header cut at {pos}")
        node = _item(stream, pos, end, *_IMPLICIT_HEADER.unpack_from(stream.data, pos))
        items.append(node)
        pos = node.end
    return items


def _undefined_sequence(stream: Stream, tag: int, vr: str, pos: int, end: int) -> tuple[list[Node], int, int]:
    """The items of an undefined-length sequence, where its delimiter starts, and the position after it."""
    data = stream.data
    if vr == "UN" and stream.implicit:  # private or unknown: a sequence if an item follows (as pydicom)
        if pos + 4 > end or _IMPLICIT_HEADER.unpack_from(data, pos)[:2] != (0xFFFE, 0xE000):
            raise UnhandledError(f"undefined length on {tag:08X}, not a sequence")
    elif vr != "SQ":
        raise UnhandledError(f"undefined length on {tag:08X} ({vr})")
    items: list[Node] = []
    while True:
        if pos + 8 > end:
            raise UnhandledError("sequence without its delimiter")
        group, number, length = _IMPLICIT_HEADER.unpack_from(data, pos)
        if group << 16 | number == SEQUENCE_END:
            if length != 0:
                raise UnhandledError(f"sequence delimiter with length {length}")
            return items, pos, pos + 8
        node = _item(stream, pos, end, group, number, length)
        items.append(node)
        pos = node.end


def _meta(data: bytes) -> tuple[str, int]:
    """The transfer syntax and where the dataset starts, from the file meta group (always explicit VR LE)."""
    if data[_PREAMBLE : _PREAMBLE + 4] != b"DICM":
        raise UnhandledError("no DICM marker")
    meta = Stream(data, implicit=False)
    pos, syntax = _PREAMBLE + 4, None
    while pos + 8 <= len(data) and _HEADER.unpack_from(data, pos)[0] == 0x0002:
        node = _dataset(meta, pos, _element_end(data, pos), in_item=False)
        tag, raw = next(iter(node.items()))
        if tag == 0x00020010:
            syntax = meta.decode(tag, raw)
        pos = raw[END]
    if syntax not in (EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN):
        raise UnhandledError(f"transfer syntax {syntax}")
    return syntax, pos


def _element_end(data: bytes, pos: int) -> int:
    """The end of one explicit VR element with a defined length (the meta group has no sequences)."""
    _, _, code, length = _HEADER.unpack_from(data, pos)
    if code.decode("latin-1") in LONG_VRS:
        if pos + 12 > len(data):
            raise UnhandledError("file meta cut")
        return min(len(data), pos + 12 + int(_LENGTH.unpack_from(data, pos + 8)[0]))
    return min(len(data), pos + 8 + int(length))


def parse(data: bytes) -> tuple[Stream, Node, int]:
    """The dataset of a Part 10 file: its stream, its top-level node, and where the dataset starts.

    Raises `UnhandledError` for anything but a complete file in explicit or implicit VR little endian.
    """
    syntax, start = _meta(data)
    stream = Stream(data, implicit=syntax == IMPLICIT_VR_LITTLE_ENDIAN)
    node = _dataset(stream, start, len(data), in_item=False)
    return stream, node, start


def content_items(items: list[Node]) -> Iterator[Node]:
    """Every content item under these, depth first in document order (through ContentSequence)."""
    for item in items:
        yield item
        children = item.get(0x0040A730)
        if children is not None and children[ITEMS]:
            yield from content_items(children[ITEMS])


def elements(node: Node) -> Iterator[tuple[int, Raw]]:
    """Every element (tag and offsets) of a dataset and of the items of its sequences, in file order."""
    for tag, raw in node.items():
        yield tag, raw
        for item in raw[ITEMS] or ():
            yield from elements(item)
