"""Synthetic Enhanced X-Ray Radiation Dose SRs (TID 10040, Supplement 214) for tests: no public sample exists.

An `EnhancedReportSpec` names the study it belongs to (a `StudySpec`, whose header, device and context rows
are reused, so a classic and an enhanced report of one study look like one device's two reports), the
accumulated dose of each X-ray source (TID 10041), one summary per irradiation event (TID 10042) and the
time windows of the irradiation details (TID 10043-10054). Values are in the contract's canonical units and
written with six significant digits, so a test compares what it wrote with what the reader gives back.

The rows follow the PS3.16 tables as far as they could be read (docs/dose-objects.md lists which); where a
table was not found the rows are written as their concept names suggest. TABLE rows (transformation matrix,
values over time) are not written: how a TABLE's cells are encoded could not be confirmed.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from pydicom.dataset import Dataset
from pydicom.filewriter import dcmwrite
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code
from pydicom.uid import UID, EnhancedXRayRadiationDoseSRStorage

from ingest.synth import items as it
from ingest.synth import vocab as v
from ingest.synth.spec import ProjectionEventType, StudySpec
from ingest.synth.writer import write_dataset

D = codes.DCM
# The classic report's root rows that are not its dose content: procedure, device type, observer, scope,
# source of dose information. TID 10040 is taken to keep them (its row table could not be read).
_DOSE_CONTENT = frozenset({"113702", "113706"})


@dataclass(frozen=True)
class SourceTotalsSpec:
    """TID 10041 Accumulated Dose Data of one X-ray source; a None value is a row not written."""

    source_id: str
    dap_total_gym2: float | None = None
    fluoro_dap_total_gym2: float | None = None
    acquisition_dap_total_gym2: float | None = None
    fluoro_time_total_s: float | None = None
    acquisition_time_total_s: float | None = None
    dose_rp_total_gy: float | None = None
    fluoro_dose_rp_total_gy: float | None = None
    acquisition_dose_rp_total_gy: float | None = None
    reference_point: Code | None = None


@dataclass(frozen=True)
class EventSummarySpec:
    """TID 10042 Irradiation Event Summary Data; `repeated`/`rejected` None writes no Yes/No row."""

    uid: str
    started: dt.datetime
    ended: dt.datetime
    source_id: str
    event_type: ProjectionEventType
    dap_gym2: float | None = None
    dose_rp_gy: float | None = None
    label: str | None = None
    repeated: bool | None = None
    repeat_reason: Code | None = None  # CID 10034
    rejected: bool | None = None
    reject_reason: Code | None = None  # CID 7011


@dataclass(frozen=True)
class AttenuatorSpec:
    """TID 10055 Attenuator Characteristics of one filter: material and one thickness (row 9)."""

    identification: str
    material: Code
    thickness_mm: float


@dataclass(frozen=True)
class WindowSpec:
    """One time window of one X-ray source: each non-empty group becomes its TID 10044-10054 container."""

    source_id: str
    started: dt.datetime
    ended: dt.datetime
    kvp: float | None = None
    tube_current_ma: float | None = None
    pulse_width_s: float | None = None
    pulse_rate_per_s: float | None = None
    number_of_pulses: int | None = None
    attenuators: tuple[AttenuatorSpec, ...] = ()
    air_kerma_mgy: float | None = None
    field_area_m2: float | None = None
    output_point_mm: tuple[float, float, float] | None = None
    reference_point_mm: tuple[float, float, float] | None = None
    patient_equivalent_thickness_mm: float | None = None
    water_equivalent_diameter_mm: float | None = None
    protocol: str | None = None
    target_region: Code | None = None


@dataclass(frozen=True)
class DetailsSpec:
    """TID 10043 Irradiation Details: its span, frame of reference and windows."""

    started: dt.datetime
    ended: dt.datetime
    frame_of_reference_uid: str
    origin: Code  # CID 10074
    windows: tuple[WindowSpec, ...]
    description: str | None = None


@dataclass(frozen=True)
class EnhancedReportSpec:
    """One Enhanced X-Ray Radiation Dose SR of `study`, with its own SOP Instance and Series UIDs.

    `reversed_rows` writes every container's rows in reverse order, as another writer might: the template
    order is not significant (PS3.16 "Order: Non-Significant"), so the reader must not care.
    """

    study: StudySpec
    sop_uid: str
    series_uid: str
    sources: tuple[SourceTotalsSpec, ...]
    events: tuple[EventSummarySpec, ...]
    details: DetailsSpec | None = None
    reversed_rows: bool = False


def enhanced_dataset(spec: EnhancedReportSpec) -> Dataset:
    """The complete Enhanced X-Ray Radiation Dose SR, file meta included (PS3.3 A.35.x, SOP class .88.76)."""
    ds = write_dataset(spec.study)
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = EnhancedXRayRadiationDoseSRStorage
    ds.SOPInstanceUID = spec.sop_uid
    ds.file_meta.MediaStorageSOPInstanceUID = UID(spec.sop_uid)
    ds.SeriesInstanceUID, ds.SeriesNumber = spec.series_uid, 996
    ds.SeriesDescription = "Enhanced Radiation Dose Report"
    template = Dataset()
    template.MappingResource, template.TemplateIdentifier = "DCMR", "10040"
    ds.ContentTemplateSequence = [template]
    rows = [
        row for row in ds.ContentSequence if row.ConceptNameCodeSequence[0].CodeValue not in _DOSE_CONTENT
    ]
    rows += [_source_totals(source) for source in spec.sources]
    rows += [_summary(event) for event in spec.events]
    if spec.details is not None:
        rows.append(_details(spec.details))
    ds.ContentSequence = _reversed(rows) if spec.reversed_rows else rows
    return ds


def enhanced_bytes(spec: EnhancedReportSpec) -> bytes:
    """The DICOM Part 10 file for `spec`; the same spec always gives the same bytes."""
    buffer = io.BytesIO()
    dcmwrite(buffer, enhanced_dataset(spec), enforce_file_format=True)
    return buffer.getvalue()


def _reversed(rows: list[Dataset]) -> list[Dataset]:
    for row in rows:
        if "ContentSequence" in row:
            row.ContentSequence = _reversed(list(row.ContentSequence))
    return rows[::-1]


def _num(concept: Code, value: float | None, unit: str, scale: float = 1.0) -> list[Dataset]:
    """An optional NUM in any UCUM unit (the writer's table lacks m2): no row when the value is None."""
    if value is None:
        return []
    measured = Dataset()
    measured.NumericValue = it.ds_text(value * scale)
    measured.MeasurementUnitsCodeSequence = [it.code_dataset(Code(unit, "UCUM", unit))]
    item = _item("NUM", concept)
    item.MeasuredValueSequence = [measured]
    return [item]


def _item(value_type: str, concept: Code) -> Dataset:
    item = Dataset()
    item.RelationshipType = it.CONTAINS
    item.ValueType = value_type
    item.ConceptNameCodeSequence = [it.code_dataset(concept)]
    return item


def _point(concept: Code, point: tuple[float, float, float] | None, frame_uid: str) -> list[Dataset]:
    """A SCOORD3D POINT (PS3.3 C.18.9) in the report's frame of reference, in mm."""
    if point is None:
        return []
    item = _item("SCOORD3D", concept)
    item.GraphicType = "POINT"
    item.GraphicData = [float(value) for value in point]
    item.ReferencedFrameOfReferenceUID = frame_uid
    return [item]


def _source_totals(source: SourceTotalsSpec) -> Dataset:
    """TID 10041: the source, its DAP, time and reference-point dose totals, its reference point."""
    rows = [it.text(D.IdentificationOfTheXRaySource, source.source_id)]
    rows += _num(D.DoseAreaProductTotal, source.dap_total_gym2, "Gy.m2")
    rows += _num(D.FluoroDoseAreaProductTotal, source.fluoro_dap_total_gym2, "Gy.m2")
    rows += _num(D.AcquisitionDoseAreaProductTotal, source.acquisition_dap_total_gym2, "Gy.m2")
    rows += _num(D.TotalFluoroTime, source.fluoro_time_total_s, "s")
    rows += _num(D.TotalAcquisitionTime, source.acquisition_time_total_s, "s")
    rows += _num(D.DoseRPTotal, source.dose_rp_total_gy, "Gy")
    rows += _num(D.FluoroDoseRPTotal, source.fluoro_dose_rp_total_gy, "Gy")
    rows += _num(D.AcquisitionDoseRPTotal, source.acquisition_dose_rp_total_gy, "Gy")
    if source.reference_point is not None:
        rows.append(it.code(D.ReferencePointDefinition, source.reference_point))
    return it.container(D.AccumulatedDoseData, rows)


def _summary(event: EventSummarySpec) -> Dataset:
    """TID 10042 rows 2-8 and 16, the DAP, and the repeat and reject rows with their coded reasons."""
    rows = [
        it.uidref(D.IrradiationEventUID, event.uid),
        it.datetime(D.DatetimeStarted, event.started),
        it.datetime(D.DatetimeEnded, event.ended),
        it.text(D.IdentificationOfTheXRaySource, event.source_id),
        it.code(D.IrradiationEventType, v.EVENT_TYPES[event.event_type]),
    ]
    if event.label is not None:
        rows.append(it.text(D.IrradiationEventLabel, event.label))
    rows += _num(D.DoseAreaProduct, event.dap_gym2, "Gy.m2")
    rows += _num(D.DoseRP, event.dose_rp_gy, "Gy")
    rows += _flag(
        D.IsRepeatedAcquisition, event.repeated, D.ReasonForRepeatingAcquisition, event.repeat_reason
    )
    rows += _flag(
        D.IsRejectedAcquisition, event.rejected, D.ReasonForRejectingAcquisition, event.reject_reason
    )
    return it.container(D.IrradiationEventSummaryData, rows)


def _flag(concept: Code, answer: bool | None, reason_concept: Code, reason: Code | None) -> list[Dataset]:
    rows = [] if answer is None else [it.code(concept, codes.SCT.Yes if answer else codes.SCT.No)]
    return rows + ([it.code(reason_concept, reason)] if reason is not None else [])


def _details(details: DetailsSpec) -> Dataset:
    """TID 10043: span, frame of reference, then the containers of every window."""
    rows = [
        it.datetime(D.DatetimeStarted, details.started),
        it.datetime(D.DatetimeEnded, details.ended),
        it.uidref(D.FrameOfReferenceUID, details.frame_of_reference_uid),
        it.code(D.RDSRFrameOfReferenceOrigin, details.origin),
    ]
    if details.description is not None:
        rows.append(it.text(D.RDSRFrameOfReferenceDescription, details.description))
    for window in details.windows:
        rows += _window(window, details.frame_of_reference_uid)
    return it.container(D.IrradiationDetails, rows)


def _window(window: WindowSpec, frame_uid: str) -> list[Dataset]:
    """The TID 10044-10054 containers of one window; a group with nothing to say is not written."""
    groups: list[tuple[Code, list[Dataset]]] = [
        (D.RadiationTechnique, _technique(window)),
        (D.Filtration, [_attenuator(attenuator) for attenuator in window.attenuators]),
        (D.RadiationOutput, _num(D.AirKermaAtOutputMeasurementPoint, window.air_kerma_mgy, "mGy")),
        (D.RadiationFieldArea, _num(D.CollimatedFieldArea, window.field_area_m2, "m2")),
        (D.BeamPosition, _positions(window, frame_uid)),
        (D.PatientAttenuationCharacteristics, _attenuation(window)),
        (D.ProcedureCharacteristics, _procedure(window)),
    ]
    return [_timed(concept, window, rows) for concept, rows in groups if rows]


def _timed(concept: Code, window: WindowSpec, rows: Iterable[Dataset]) -> Dataset:
    """A window container: its span and source (rows 2-4 of every TID 10044-10054 table), then its rows."""
    head = [
        it.datetime(D.DatetimeStarted, window.started),
        it.datetime(D.DatetimeEnded, window.ended),
        it.text(D.IdentificationOfTheXRaySource, window.source_id),
    ]
    return it.container(concept, [*head, *rows])


def _technique(window: WindowSpec) -> list[Dataset]:
    rows = _num(D.KVP, window.kvp, "kV")
    rows += _num(D.XRayTubeCurrent, window.tube_current_ma, "mA")
    rows += _num(D.PulseWidth, window.pulse_width_s, "ms", 1e3)
    rows += _num(D.PulseRate, window.pulse_rate_per_s, "{pulse}/s")
    return rows + _num(D.NumberOfPulses, window.number_of_pulses, "1")


def _attenuator(attenuator: AttenuatorSpec) -> Dataset:
    """TID 10055 rows 2-4, 6 and 9: identification, category, material, flat filter, one thickness."""
    rows = [
        it.text(D.IdentificationOfTheAttenuator, attenuator.identification),
        it.code(D.AttenuatorCategory, D.XRayFilters),
        it.code(D.XRayFilterMaterial, attenuator.material),
        it.code(D.XRayFilterType, D.FlatFilter),
        *_num(D.XRayFilterThickness, attenuator.thickness_mm, "mm"),
    ]
    return it.container(D.AttenuatorCharacteristics, rows)


def _positions(window: WindowSpec, frame_uid: str) -> list[Dataset]:
    """TID 10051 rows 5 and 7: the output measurement point and the reference point."""
    rows = _point(D.OutputMeasurementPointPosition, window.output_point_mm, frame_uid)
    return rows + _point(D.ReferencePointPosition, window.reference_point_mm, frame_uid)


def _attenuation(window: WindowSpec) -> list[Dataset]:
    """TID 10053 rows 5 and 7, as single NUMs."""
    rows = _num(D.PatientEquivalentThickness, window.patient_equivalent_thickness_mm, "mm")
    return rows + _num(D.WaterEquivalentDiameter, window.water_equivalent_diameter_mm, "mm")


def _procedure(window: WindowSpec) -> list[Dataset]:
    """TID 10054 rows 5 and 9: the acquisition protocol and the target region."""
    rows = [it.text(D.AcquisitionProtocol, window.protocol)] if window.protocol is not None else []
    return rows + (
        [it.code(D.TargetRegion, window.target_region)] if window.target_region is not None else []
    )
