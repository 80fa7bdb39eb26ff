"""Finding TID 10040 rows by concept anywhere under their container, and the SCOORD3D points the walk skips.

No device sends Supplement 214 reports yet and several of its tables could not be read in full (docs/
dose-objects.md), so nothing here relies on row order or nesting depth: a row is its container's direct child
with that concept, else the first (or every) item with it further down. The tree walk (`ingest.rdsr.tree`)
keeps no SCOORD3D coordinates; `points` reads them from the same datasets, only along the paths that lead
to one.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ingest.rdsr.codes import SOURCE_ID, Concept
from ingest.rdsr.stream import Node
from ingest.rdsr.tree import Item
from ingest.rdsr.values import Notes, iso_datetime, label

_CONTENT_SEQUENCE = 0x0040A730
_GRAPHIC_DATA = 0x00700022
_POINT = "SCOORD3D"


def below(parent: Item, wanted: Concept) -> list[Item]:
    """The direct children with this concept; when there are none, every item with it further down."""
    direct = parent.all(wanted)
    if direct:
        return direct
    return [item for item in parent.descendants() if item.concept == wanted]


def containers(parent: Item, wanted: Concept) -> list[Item]:
    """The CONTAINER items of this concept under `parent` (`below`), in document order."""
    return [item for item in below(parent, wanted) if item.value_type == "CONTAINER"]


def nums(parent: Item, wanted: Concept, notes: Notes) -> list[Item]:
    """The NUM items of this concept under `parent`; a TABLE of the concept is noted and left out.

    Supplement 214 lets several rows be a NUM or a TABLE of values over time (PS3.16 TID 10048 row 6, TID
    10053 rows 6-10); how a TABLE's cells are encoded could not be confirmed, so it is not read.
    """
    found = below(parent, wanted)
    tables = [item for item in found if item.value_type == "TABLE"]
    if tables:
        notes.add(f"{label(tables[0])} sent as a TABLE of values over time; not read")
    return [item for item in found if item.value_type == "NUM"]


def text_of(parent: Item, wanted: Concept) -> str | None:
    """The TEXT, UIDREF or DATETIME value, or a CODE's meaning, of the first item with this concept."""
    item = parent.deep(wanted)
    if item is None:
        return None
    if item.value_type == "CODE":
        return item.code_meaning or (item.code.value if item.code else None)
    return item.text


def coded_below(parent: Item, wanted: Concept, notes: Notes) -> Item | None:
    """The first CODE item with this concept, noting an empty concept code (which reads as absent)."""
    item = parent.deep(wanted)
    if item is None or item.value_type != "CODE":
        return None
    if item.empty_code:
        notes.add(f"{label(item)} has an empty concept code; stored as null")
        return None
    return item


def source_id(parent: Item) -> str | None:
    """Identification of the X-Ray Source (113832): TEXT in every table but one.

    TID 10054 row 4 lists it as a NUM (a slip in PS3.16, as far as can be told), so a number is read as its
    text too: 1.0 reads "1".
    """
    item = parent.deep(SOURCE_ID)
    if item is None:
        return None
    if item.value_type == "NUM" and len(item.numbers) == 1:
        return f"{item.numbers[0]:g}"
    return item.text


def instant(value: str | None) -> dt.datetime | None:
    """A DICOM DT as a naive datetime, for ordering time windows of one device clock (offset dropped)."""
    iso = iso_datetime(value)
    if iso is None:
        return None
    try:
        return dt.datetime.fromisoformat(iso).replace(tzinfo=None)
    except ValueError:
        return None


def points(content_root: Any, root: Item) -> dict[Item, tuple[float, ...]]:
    """The GraphicData of every SCOORD3D item with three finite values, keyed by its item.

    `content_root` is what `root` was read from (a pydicom Dataset or a stream `Node`); both are walked side
    by side, and only into the items on a path to a SCOORD3D item, so a report without one costs nothing.
    """
    on_path: set[Item] = set()
    _mark_paths(root, on_path)
    found: dict[Item, tuple[float, ...]] = {}
    pending: list[tuple[Any, Item]] = [(content_root, root)] if on_path else []
    while pending:
        source, item = pending.pop()
        if item.value_type == _POINT:
            point = _graphic_data(source)
            if point is not None:
                found[item] = point
        # The walk read one child per item of this sequence, in order, so the two lists pair up exactly.
        children = _value(source, _CONTENT_SEQUENCE) or ()
        pairs = zip(children, item.children, strict=True)
        pending.extend((raw, child) for raw, child in pairs if child in on_path)
    return found


def _mark_paths(item: Item, on_path: set[Item]) -> bool:
    hit = item.value_type == _POINT
    for child in item.children:
        hit = _mark_paths(child, on_path) or hit
    if hit:
        on_path.add(item)
    return hit


def _value(source: Any, tag: int) -> Any:
    if type(source) is Node:
        return source.value(tag)
    element = source.get(tag)
    return None if element is None else element.value


def _graphic_data(source: Any) -> tuple[float, ...] | None:
    raw = _value(source, _GRAPHIC_DATA)
    values = [raw] if isinstance(raw, (int, float)) else list(raw or ())
    try:
        point = tuple(float(value) for value in values)
    except (TypeError, ValueError):
        return None
    return point if len(point) == 3 and all(math.isfinite(value) for value in point) else None
