"""Reading typed values out of content items, converting units and noting every repair.

Mappers ask for a concept under a parent item; these helpers convert the value from its own unit, fold
several values (per pulse, repeated items) into a scalar, and write one warning per kind of repair, so
the warnings of a report name each deviation once, not once per event.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ingest.rdsr.codes import Concept
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity, conversion, convert


class Notes:
    """The warnings of one report, in first-seen order, without repeats."""

    def __init__(self) -> None:
        self._messages: dict[str, None] = {}

    def add(self, message: str) -> None:
        """Record one repair or deviation (again is a no-op)."""
        self._messages.setdefault(message, None)

    def as_tuple(self) -> tuple[str, ...]:
        """The warnings so far, in order."""
        return tuple(self._messages)


def label(item: Item) -> str:
    """How warnings name a concept: its meaning as sent and its code, e.g. `KVP (113733)`."""
    code = item.concept.value if item.concept else "no code"
    return f"{item.meaning or 'unnamed item'} ({code})"


@dataclass(frozen=True, slots=True)
class Measured:
    """A quantity read from one or more NUM items: the scalar and every value."""

    value: float | None
    values: tuple[float, ...]


_NONE = Measured(None, ())


def _converted(item: Item, quantity: Quantity, standard_unit: str, notes: Notes) -> tuple[float, ...] | None:
    if quantity is Quantity.COUNT:
        return item.numbers
    unit = item.unit
    if unit is None:
        notes.add(f"{label(item)} has no unit; read as {standard_unit}")
        unit = standard_unit
    if item.unit_scheme not in (None, "UCUM"):
        notes.add(f"units coded with scheme {item.unit_scheme!r} instead of UCUM")
    factor = conversion(unit, quantity)
    if factor is None:
        notes.add(f"{label(item)} has unknown unit {unit!r} (value {item.numbers[0]:g}); stored as null")
        return None
    if unit != standard_unit:
        target = quantity.value
        if factor == 1.0:
            notes.add(f"{label(item)} unit {unit!r} read as {target}")
        else:
            notes.add(f"{label(item)} converted from {unit} to {target}")
    return tuple(convert(number, factor) for number in item.numbers)


def mean_of_non_zero(values: tuple[float, ...]) -> float | None:
    """One value for the event: the value, or the mean of the non-zero values when there are several.

    Per-pulse series start with a zero first pulse (Eurocolumbus), which must not pull the mean down.
    """
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    non_zero = [value for value in values if value != 0]
    return math.fsum(non_zero) / len(non_zero) if non_zero else 0.0


def measure(
    parent: Item | None, wanted: Concept, quantity: Quantity, standard_unit: str, notes: Notes
) -> Measured:
    """Read a quantity under `parent`, in the contract's canonical unit for it.

    `standard_unit` is the unit the template prescribes for this concept; any other unit is a deviation
    worth a warning even when it converts exactly (`Gym2` for `Gy.m2`).
    """
    return measure_items(parent.all(wanted) if parent is not None else [], quantity, standard_unit, notes)


def measure_items(items: list[Item], quantity: Quantity, standard_unit: str, notes: Notes) -> Measured:
    """`measure` over given NUM items of one concept (several items are per-pulse or repeated values)."""
    if not items:
        return _NONE
    collected: list[float] = []
    for item in items:
        if item.invalid_number is not None:
            notes.add(f"{label(item)} has {item.invalid_number} that is not a number; stored as null")
            continue
        if not item.numbers:
            notes.add(f"{label(item)} has no value (empty MeasuredValueSequence); stored as null")
            continue
        if len(item.numbers) > 1:
            notes.add(f"{label(item)} has several values in one NumericValue; the non-zero ones are averaged")
        converted = _converted(item, quantity, standard_unit, notes)
        if converted is not None:
            collected.extend(converted)
    if len(items) > 1 and len(collected) > 1:
        notes.add(f"{label(items[0])} repeated in one container; the non-zero values are averaged")
    values = tuple(collected)
    return Measured(mean_of_non_zero(values), values)


def number(
    parent: Item | None, wanted: Concept, quantity: Quantity, standard_unit: str, notes: Notes
) -> float | None:
    """The scalar of `measure`."""
    return measure(parent, wanted, quantity, standard_unit, notes).value


def count(parent: Item | None, wanted: Concept, notes: Notes) -> float | None:
    """A dimensionless number (pitch, pulses, pulse rate, number of sources): its unit text is not checked."""
    return number(parent, wanted, Quantity.COUNT, "1", notes)


def text(parent: Item | None, wanted: Concept) -> str | None:
    """A TEXT/UIDREF/DATETIME value, or a CODE's meaning, of the first child with this concept."""
    if parent is None:
        return None
    item = parent.first(wanted)
    if item is None:
        return None
    return item.code_meaning if item.value_type == "CODE" else item.text


def coded(parent: Item | None, wanted: Concept, notes: Notes) -> Item | None:
    """The first CODE child with this concept, noting an empty concept code (which reads as absent)."""
    if parent is None:
        return None
    item = parent.first(wanted)
    if item is None:
        return None
    if item.empty_code:
        notes.add(f"{label(item)} has an empty concept code; stored as null")
        return None
    return item


def meaning(parent: Item | None, wanted: Concept, notes: Notes) -> str | None:
    """The code meaning, as sent, of the first CODE child with this concept."""
    item = coded(parent, wanted, notes)
    if item is None:
        return None
    return item.code_meaning or (item.code.value if item.code else None)


_DT = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,6})?([+-]\d{4})?$")


def iso_datetime(value: str | None) -> str | None:
    """A DICOM DT (`YYYYMMDDHHMMSS.FFFFFF&ZZXX`, any precision) as ISO 8601; None when unreadable."""
    if not value:
        return None
    match = _DT.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    result = f"{year}-{month or '01'}-{day or '01'}"
    if hour is not None:
        result += f"T{hour}:{minute or '00'}:{second or '00'}{fraction or ''}"
        if offset:
            result += f"{offset[:3]}:{offset[3:]}"
    return result
