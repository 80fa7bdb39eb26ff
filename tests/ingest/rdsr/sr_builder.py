"""A tiny hand-rolled SR builder for reader tests: each quirk spelled out item by item."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.sequence import Sequence as DicomSequence
from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

XRAY_DOSE_SR = "1.2.840.10008.5.1.4.1.1.88.67"


def code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


def _item(value_type: str, name: Dataset, relationship: str | None) -> Dataset:
    item = Dataset()
    if relationship is not None:
        item.RelationshipType = relationship
    item.ValueType = value_type
    item.ConceptNameCodeSequence = DicomSequence([name])
    return item


def container(name: Dataset, children: Sequence[Dataset], relationship: str | None = "CONTAINS") -> Dataset:
    item = _item("CONTAINER", name, relationship)
    item.ContinuityOfContent = "SEPARATE"
    item.ContentSequence = DicomSequence(list(children))
    return item


def num(
    name: Dataset,
    value: str | None,
    unit: str | None,
    children: Sequence[Dataset] = (),
    relationship: str = "CONTAINS",
) -> Dataset:
    item = _item("NUM", name, relationship)
    measured = Dataset()
    if value is not None:
        measured.NumericValue = value
        if unit is not None:
            measured.MeasurementUnitsCodeSequence = DicomSequence([code(unit, "UCUM", unit)])
        item.MeasuredValueSequence = DicomSequence([measured])
    else:
        item.MeasuredValueSequence = DicomSequence([])
    if children:
        item.ContentSequence = DicomSequence(list(children))
    return item


def coded(name: Dataset, value: Dataset | None, relationship: str = "CONTAINS") -> Dataset:
    item = _item("CODE", name, relationship)
    item.ConceptCodeSequence = DicomSequence([value] if value is not None else [])
    return item


def text(name: Dataset, value: str, relationship: str = "CONTAINS", value_type: str = "TEXT") -> Dataset:
    item = _item(value_type, name, relationship)
    setattr(item, {"TEXT": "TextValue", "UIDREF": "UID", "DATETIME": "DateTime"}[value_type], value)
    return item


def dose_sr(
    root_children: Sequence[Dataset],
    *,
    template: str | None = "10001",
    root: Dataset | None = None,
    sop_class: str = XRAY_DOSE_SR,
) -> Dataset:
    """A minimal dose SR with the given root children (header: an adult study on 2024-03-05)."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = UID(sop_class)
    instance_uid = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = instance_uid
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = instance_uid
    ds.StudyInstanceUID = generate_uid()
    ds.Modality = "SR"
    ds.StudyDate, ds.StudyTime = "20240305", "101500"
    ds.PatientID, ds.PatientSex, ds.PatientAge = "P1", "F", "045Y"
    ds.Manufacturer, ds.ManufacturerModelName = "ACME", "Model 1"
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = DicomSequence([root or code("113701", "DCM", "X-Ray Radiation Dose Report")])
    ds.ContinuityOfContent = "SEPARATE"
    if template is not None:
        identifier = Dataset()
        identifier.MappingResource, identifier.TemplateIdentifier = "DCMR", template
        ds.ContentTemplateSequence = DicomSequence([identifier])
    ds.ContentSequence = DicomSequence(list(root_children))
    return ds


def to_bytes(ds: Dataset) -> bytes:
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


# Concept names used by the tests, spelled as devices send them.
PROCEDURE_REPORTED = code("121058", "DCM", "Procedure reported")
PROJECTION_XRAY = code("113704", "DCM", "Projection X-Ray")
ACCUMULATED = code("113702", "DCM", "Accumulated X-Ray Dose Data")
PLANE = code("113764", "DCM", "Acquisition Plane")
PLANE_A = code("113620", "DCM", "Plane A")
PLANE_B = code("113621", "DCM", "Plane B")
DAP_TOTAL = code("113722", "DCM", "Dose Area Product Total")
DOSE_RP_TOTAL = code("113725", "DCM", "Dose (RP) Total")
FLUORO_DAP_TOTAL = code("113726", "DCM", "Fluoro Dose Area Product Total")
EVENT = code("113706", "DCM", "Irradiation Event X-Ray Data")
EVENT_UID = code("113769", "DCM", "Irradiation Event UID")
EVENT_TYPE = code("113721", "DCM", "Irradiation Event Type")
FLUOROSCOPY = code("P5-06000", "SRT", "Fluoroscopy")
DAP = code("122130", "DCM", "Dose Area Product")
KVP = code("113733", "DCM", "KVP")
