"""A tolerant walk of an SR content tree into light items, indexed by concept.

Vendors break the tree in many small ways (missing RelationshipType in Eurocolumbus, empty concept code
sequences, NUMs without a measured value, multi-valued NumericValue), so the walk never trusts structure:
it records what is there, and the template mappers decide what it means (rdsr-notes §4). The walk touches
each content item once; everything after it works on plain Python objects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest.rdsr.codes import Concept, concept
from ingest.rdsr.stream import Node

_CONCEPT_NAME = 0x0040A043
_CONCEPT_CODE = 0x0040A168
_CONTENT_SEQUENCE = 0x0040A730
_VALUE_TYPE = 0x0040A040
_RELATIONSHIP_TYPE = 0x0040A010
_MEASURED_VALUE = 0x0040A300
_NUMERIC_VALUE = 0x0040A30A
_FLOAT_VALUE = 0x0040A161
_UNITS = 0x004008EA
_TEXT_FIELDS = {
    "TEXT": 0x0040A160,
    "UIDREF": 0x0040A124,
    "DATETIME": 0x0040A120,
    "DATE": 0x0040A121,
    "TIME": 0x0040A122,
    "PNAME": 0x0040A123,
}
_CODE_VALUE = 0x00080100
_SCHEME = 0x00080102
_MEANING = 0x00080104
_LONG_CODE_VALUE = 0x00080119
_URN_CODE_VALUE = 0x00080120
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")


@dataclass(slots=True, eq=False)
class Item:
    """One content item: its concept, value type, value and children, as found in the file."""

    concept: Concept | None
    meaning: str
    value_type: str
    children: list[Item] = field(default_factory=list)
    text: str | None = None
    code: Concept | None = None
    code_meaning: str | None = None
    empty_code: bool = False
    numbers: tuple[float, ...] = ()
    unit: str | None = None
    unit_scheme: str | None = None
    invalid_number: str | None = None
    _index: dict[Concept, list[Item]] | None = None

    def all(self, wanted: Concept) -> list[Item]:
        """Direct children with this concept, in document order."""
        if self._index is None:
            index: dict[Concept, list[Item]] = {}
            for child in self.children:
                if child.concept is not None:
                    index.setdefault(child.concept, []).append(child)
            self._index = index
        return self._index.get(wanted, [])

    def first(self, wanted: Concept) -> Item | None:
        """The first direct child with this concept."""
        found = self.all(wanted)
        return found[0] if found else None

    def descendants(self) -> Iterator[Item]:
        """Every item below this one, depth first in document order."""
        for child in self.children:
            yield child
            yield from child.descendants()

    def deep(self, wanted: Concept) -> Item | None:
        """The first item with this concept anywhere below, for producers that nest one level off."""
        direct = self.first(wanted)
        if direct is not None:
            return direct
        return next((item for item in self.descendants() if item.concept == wanted), None)


@dataclass(slots=True)
class WalkStats:
    """Repairs the walk noticed across the whole tree, reported once per report."""

    missing_relationship: int = 0


def _value(source: Any, tag: int) -> Any:
    """The value of an element of a pydicom Dataset or a stream `Node`, None when absent.

    Each value is read once: reading decodes it.
    """
    if type(source) is Node:
        raw = source.get(tag)
        return None if raw is None else source.stream.decode(tag, raw)
    element = source.get(tag)
    return None if element is None else element.value


def _code_of(code_item: Any) -> tuple[Concept | None, str]:
    if _CODE_VALUE in code_item:
        value = _value(code_item, _CODE_VALUE)
    else:
        value = _value(code_item, _LONG_CODE_VALUE if _LONG_CODE_VALUE in code_item else _URN_CODE_VALUE)
    scheme = _value(code_item, _SCHEME)
    meaning = _value(code_item, _MEANING)
    meaning_text = str(meaning).strip() if meaning else ""
    if not value:
        return None, meaning_text
    return concept(str(value), str(scheme) if scheme else ""), meaning_text


def _as_number(value: Any) -> float | None:
    """One NumericValue as a float; a decimal comma ("1,5", written by some consoles) is accepted."""
    text = value.decode(errors="replace") if isinstance(value, bytes) else value
    try:
        parsed = float(text)
    except (TypeError, ValueError):
        if not isinstance(text, str) or not _DECIMAL_COMMA.fullmatch(text.strip()):
            return None
        parsed = float(text.strip().replace(",", "."))
    return parsed if math.isfinite(parsed) else None


def _as_numbers(raw: Any) -> tuple[tuple[float, ...], str | None]:
    """NumericValue as floats, or no floats and a description of what was there instead.

    The description never quotes the value: a free-text field in the wrong place may hold a name.
    """
    values = raw if isinstance(raw, Sequence) and not isinstance(raw, (str, bytes)) else [raw]
    numbers = [_as_number(value) for value in values]
    if any(number is None for number in numbers):
        return (), f"a value of {len(str(raw))} characters"
    return tuple(number for number in numbers if number is not None), None


def _read_num(item: Item, source: Any) -> None:
    measured = _value(source, _MEASURED_VALUE)
    if not measured:
        return
    value_item = measured[0]
    numeric = _value(value_item, _NUMERIC_VALUE)
    if numeric is not None and numeric != "":
        item.numbers, item.invalid_number = _as_numbers(numeric)
    else:
        floating = _value(value_item, _FLOAT_VALUE)
        if floating is not None:
            item.numbers, item.invalid_number = _as_numbers(floating)
    units = _value(value_item, _UNITS)
    if units:
        unit = _value(units[0], _CODE_VALUE)
        scheme = _value(units[0], _SCHEME)
        item.unit = str(unit).strip() if unit else None
        item.unit_scheme = str(scheme).strip() if scheme else None


def _read_item(source: Any, stats: WalkStats) -> Item:
    names = _value(source, _CONCEPT_NAME)
    name, meaning = _code_of(names[0]) if names else (None, "")
    value_type = str(_value(source, _VALUE_TYPE)).strip().upper() if _VALUE_TYPE in source else ""
    if _RELATIONSHIP_TYPE not in source:
        stats.missing_relationship += 1
    item = Item(concept=name, meaning=meaning, value_type=value_type)
    if value_type == "NUM":
        _read_num(item, source)
    elif value_type == "CODE":
        codes = _value(source, _CONCEPT_CODE)
        if codes:
            item.code, item.code_meaning = _code_of(codes[0])
        item.empty_code = item.code is None
    elif value_type in _TEXT_FIELDS:
        value = _value(source, _TEXT_FIELDS[value_type])
        if value is not None:
            item.text = str(value).strip() or None
    children = _value(source, _CONTENT_SEQUENCE)
    if children:
        item.children = [_read_item(child, stats) for child in children]
    return item


def read_tree(dataset: Any) -> tuple[Item, WalkStats]:
    """Walk the document root (the dataset itself is the root CONTAINER) into an `Item` tree."""
    stats = WalkStats()
    root = _read_item(dataset, stats)
    root.value_type = "CONTAINER"
    if _RELATIONSHIP_TYPE not in dataset:
        stats.missing_relationship -= 1  # the root content item has no relationship by definition
    return root, stats
