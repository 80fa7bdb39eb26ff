"""TID 10043 Irradiation Details: the time windows of each X-ray source, and what of them belongs to an event.

Supplement 214 states technique, filtration, output, field, geometry and patient attenuation per X-ray source
and per time window (TID 10044-10054), not per irradiation event. An event takes from the windows of its own
source that overlap its start-to-end span: levels (kVp, mA, pulse width, field area, points, thicknesses)
from any such window; amounts (pulses, air kerma at the output point) only when every such window lies
inside the event, since a window that runs past it holds the irradiation of other events too.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from ingest.rdsr import codes
from ingest.rdsr.enhanced_tree import (
    below,
    coded_below,
    containers,
    instant,
    nums,
    points,
    source_id,
    text_of,
)
from ingest.rdsr.materials import material_name
from ingest.rdsr.model import Filter
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity, convert
from ingest.rdsr.values import Measured, Notes, label, mean_of_non_zero, measure_items

_KINDS = (
    codes.RADIATION_TECHNIQUE,
    codes.FILTRATION,
    codes.RADIATION_OUTPUT,
    codes.RADIATION_FIELD_AREA,
    codes.BEAM_POSITION,
    codes.PATIENT_ATTENUATION,
    codes.PROCEDURE_CHARACTERISTICS,
)
# Collimated Field Area (113790) is in m2 in TID 10003C; TID 10049's unit could not be confirmed.
_AREA_TO_M2 = {
    "m2": Fraction(1),
    "dm2": Fraction(1, 100),
    "cm2": Fraction(1, 10_000),
    "mm2": Fraction(1, 10**6),
}
_NONE = Measured(None, ())
Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True, slots=True)
class Window:
    """One sub-template container of TID 10043: its source, its time span and the details container."""

    item: Item
    source: str | None
    start: dt.datetime | None
    end: dt.datetime | None
    details: Item

    def serves(self, source: str | None, start: dt.datetime, end: dt.datetime) -> bool:
        """Same source (or either unnamed) and a span that overlaps [start, end]; an unknown bound is open."""
        if source is not None and self.source is not None and source != self.source:
            return False
        return (self.start is None or self.start <= end) and (self.end is None or self.end >= start)

    def inside(self, start: dt.datetime, end: dt.datetime) -> bool:
        """The whole window lies within [start, end]."""
        return self.start is not None and self.end is not None and start <= self.start and self.end <= end


@dataclass(frozen=True, slots=True)
class Details:
    """What the windows of one event's source say about that event; empty when nothing applies."""

    kvp: Measured = _NONE
    tube_current: Measured = _NONE
    pulse_width: Measured = _NONE
    pulse_rate_per_s: float | None = None
    number_of_pulses: float | None = None
    filters: tuple[Filter, ...] = ()
    field_area_m2: float | None = None
    output_air_kerma_mgy: float | None = None
    patient_equivalent_thickness_mm: float | None = None
    water_equivalent_diameter_mm: float | None = None
    output_point_mm: tuple[float, ...] | None = None
    reference_point_mm: tuple[float, ...] | None = None
    frame_of_reference_uid: str | None = None
    frame_of_reference_origin: str | None = None
    protocol: str | None = None
    target_region: str | None = None


class IrradiationDetails:
    """Every TID 10043 container of one report, read once, asked per event (`for_event`)."""

    def __init__(self, root: Item, content_root: Any, notes: Notes) -> None:
        self._notes = notes
        self._details = containers(root, codes.IRRADIATION_DETAILS)
        self._windows = {kind: self._read_windows(kind) for kind in _KINDS}
        self._points = points(content_root, root) if self._windows[codes.BEAM_POSITION] else {}

    def _read_windows(self, kind: codes.Concept) -> list[Window]:
        return [
            Window(item, source_id(item), _started(item), _ended(item), details)
            for details in self._details
            for item in containers(details, kind)
        ]

    def for_event(self, source: str | None, start: dt.datetime | None, end: dt.datetime | None) -> Details:
        """The details of an event of `source` from `start` to `end` (its start when no end is stated)."""
        if not self._details:
            return Details()
        if start is None:
            self._notes.add(
                "an irradiation event without DateTime Started (111526) gets no irradiation details"
            )
            return Details()
        span = (start, start if end is None or end < start else end)
        serving = {
            kind: [window for window in windows if window.serves(source, *span)]
            for kind, windows in self._windows.items()
        }
        return self._geometry(serving, span, self._technique(serving, span))

    def _technique(self, serving: dict[codes.Concept, list[Window]], span: Span) -> Details:
        """TID 10045 technique, TID 10046 filtration and TID 10048 output of the windows serving an event."""
        technique = serving[codes.RADIATION_TECHNIQUE]
        return Details(
            kvp=self._level(technique, codes.KVP, Quantity.VOLTAGE_KV, "kV"),
            tube_current=self._level(technique, codes.TUBE_CURRENT, Quantity.CURRENT_MA, "mA"),
            pulse_width=self._level(technique, codes.PULSE_WIDTH, Quantity.TIME_S, "ms"),
            pulse_rate_per_s=self._level(technique, codes.PULSE_RATE, Quantity.COUNT, "1").value,
            number_of_pulses=self._amount(technique, span, codes.NUMBER_OF_PULSES, Quantity.COUNT, "1"),
            filters=self._filters(serving[codes.FILTRATION]),
            output_air_kerma_mgy=self._amount(
                serving[codes.RADIATION_OUTPUT], span, codes.OUTPUT_AIR_KERMA, Quantity.DOSE_MGY, "mGy"
            ),
        )

    def _geometry(self, serving: dict[codes.Concept, list[Window]], span: Span, found: Details) -> Details:
        """`found` with the field (TID 10049), points (10051), patient (10053) and procedure (10054) rows."""
        attenuation, procedure = serving[codes.PATIENT_ATTENUATION], serving[codes.PROCEDURE_CHARACTERISTICS]
        positions = serving[codes.BEAM_POSITION]
        frame_uid, frame_origin = self._frame(*span)
        return replace(
            found,
            field_area_m2=self._field_area(serving[codes.RADIATION_FIELD_AREA]),
            patient_equivalent_thickness_mm=self._level(
                attenuation, codes.PATIENT_EQUIVALENT_THICKNESS, Quantity.LENGTH_MM, "mm"
            ).value,
            water_equivalent_diameter_mm=self._level(
                attenuation, codes.WATER_EQUIVALENT_DIAMETER, Quantity.LENGTH_MM, "mm"
            ).value,
            output_point_mm=self._point(positions, codes.OUTPUT_POINT_POSITION),
            reference_point_mm=self._point(positions, codes.REFERENCE_POINT_POSITION),
            frame_of_reference_uid=frame_uid,
            frame_of_reference_origin=frame_origin,
            protocol=next(
                filter(None, (text_of(w.item, codes.ACQUISITION_PROTOCOL) for w in procedure)), None
            ),
            target_region=self._target_region(procedure),
        )

    def _level(self, windows: list[Window], wanted: codes.Concept, quantity: Quantity, unit: str) -> Measured:
        """Every value of the quantity in these windows; the scalar is their mean of the non-zero ones."""
        values: list[float] = []
        for window in windows:
            values.extend(self._measure(window.item, wanted, quantity, unit).values)
        return Measured(mean_of_non_zero(tuple(values)), tuple(values))

    def _measure(self, container: Item, wanted: codes.Concept, quantity: Quantity, unit: str) -> Measured:
        return measure_items(nums(container, wanted, self._notes), quantity, unit, self._notes)

    def _amount(
        self,
        windows: list[Window],
        span: Span,
        wanted: codes.Concept,
        quantity: Quantity,
        unit: str,
    ) -> float | None:
        """The sum over the windows that state it, or None when one of them runs past the event."""
        stating = [(w, nums(w.item, wanted, self._notes)) for w in windows]
        stating = [(w, found) for w, found in stating if found]
        if not stating:
            return None
        if not all(window.inside(*span) for window, _ in stating):
            self._notes.add(
                f"{label(stating[0][1][0])} of a time window that spans more than one event; not assigned"
            )
            return None
        values = [measure_items(found, quantity, unit, self._notes).value for _, found in stating]
        present = [value for value in values if value is not None]
        return math.fsum(present) if present else None

    def _filters(self, windows: list[Window]) -> tuple[Filter, ...]:
        """One Filter per attenuator (TID 10055, or a TID 10003B X-Ray Filters container), each once."""
        found: dict[Filter, None] = {}
        for window in windows:
            for kind in (codes.ATTENUATOR_CHARACTERISTICS, codes.XRAY_FILTERS):
                for container in containers(window.item, kind):
                    found.setdefault(self._filter(container), None)
        return tuple(found)

    def _filter(self, container: Item) -> Filter:
        """TID 10055 rows 4-9: material (or its equivalent material), thickness range or one thickness."""
        material = coded_below(container, codes.FILTER_MATERIAL, self._notes)
        if material is None:
            material = coded_below(container, codes.EQUIVALENT_ATTENUATOR_MATERIAL, self._notes)
        single = self._measure(container, codes.FILTER_THICKNESS, Quantity.LENGTH_MM, "mm").value
        low = self._measure(container, codes.FILTER_THICKNESS_MIN, Quantity.LENGTH_MM, "mm").value
        high = self._measure(container, codes.FILTER_THICKNESS_MAX, Quantity.LENGTH_MM, "mm").value
        return Filter(
            material=material_name(material.code_meaning if material else None),
            thickness_min_mm=low if low is not None else single,
            thickness_max_mm=high if high is not None else single,
        )

    def _field_area(self, windows: list[Window]) -> float | None:
        """Field area in m2: a NUM of 113790 Collimated Field Area, or of 130516 itself, under TID 10049."""
        values: list[float] = []
        for window in windows:
            for item in nums(window.item, codes.COLLIMATED_FIELD_AREA, self._notes) or nums(
                window.item, codes.RADIATION_FIELD_AREA, self._notes
            ):
                values.extend(self._area(item))
        return mean_of_non_zero(tuple(values))

    def _area(self, item: Item) -> tuple[float, ...]:
        unit = (item.unit or "m2").replace(".", "").lower()
        factor = _AREA_TO_M2.get(unit)
        if factor is None:
            self._notes.add(f"{label(item)} has unknown unit {item.unit!r}; stored as null")
            return ()
        if unit != "m2":
            self._notes.add(f"{label(item)} converted from {item.unit} to m2")
        return tuple(convert(number, factor) for number in item.numbers)

    def _point(self, windows: list[Window], wanted: codes.Concept) -> tuple[float, ...] | None:
        """The first point of this concept among the windows, in mm of the report's frame of reference."""
        for window in windows:
            for item in below(window.item, wanted):
                if item in self._points:
                    return self._points[item]
        return None

    def _frame(self, start: dt.datetime, end: dt.datetime) -> tuple[str | None, str | None]:
        """Frame of Reference UID (112227) and origin (130506, CID 10074) of the details over the event."""
        for details in self._details:
            if Window(details, None, _started(details), _ended(details), details).serves(None, start, end):
                origin = coded_below(details, codes.FRAME_OF_REFERENCE_ORIGIN, self._notes)
                uid = text_of(details, codes.FRAME_OF_REFERENCE_UID)
                return uid, origin.code_meaning if origin else None
        return None, None

    def _target_region(self, windows: list[Window]) -> str | None:
        for window in windows:
            region = coded_below(window.item, codes.TARGET_REGION, self._notes)
            if region is not None:
                return region.code_meaning or (region.code.value if region.code else None)
        return None


def _started(item: Item) -> dt.datetime | None:
    return instant(text_of(item, codes.DATETIME_STARTED))


def _ended(item: Item) -> dt.datetime | None:
    return instant(text_of(item, codes.DATETIME_ENDED))
