"""Synthetic Patient Radiation Dose SRs (TID 10030, Supplement 191) made from a synthetic dose report.

No public sample of this SOP class exists, so tests and demos write their own: a `PatientDoseSpec` names the
study and the dose reports used (normally one `StudySpec` written by `ingest.synth.writer`), the methodology,
and each estimated value; `patient_dose_bytes` writes it. Values are written in the unit the spec states
(CID 10071 allows Gy and Sv; mGy or mSv exercise the reader's conversion), with six significant digits.

TID 10030 and TID 10033 follow PS3.16 row by row. The rows of TID 10031 and TID 10032 could not be checked,
so the estimate is written as its concept names suggest (docs/dose-objects.md, "Patient Radiation Dose SR"):
name, methodology, then one Radiation Dose Estimate Representation (128412) per value, holding the target
(Finding Site, CID 10060), the distribution representation (CID 10063), the value and the map it summarises.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code
from pydicom.uid import (
    UID,
    ExplicitVRLittleEndian,
    PatientRadiationDoseSRStorage,
    SecondaryCaptureImageStorage,
    XRayRadiationDoseSRStorage,
)

from ingest.synth import items as it
from ingest.synth import vocab as v
from ingest.synth.spec import StudySpec
from ingest.synth.uids import derived_uid

D = codes.DCM
ENGLISH = Code("en-US", "RFC5646", "English (United States)")


@dataclass(frozen=True)
class SourceUsed:
    """One dose report the estimate was made from; `event_uids` only when some of its events were not used."""

    sop_instance_uid: str
    series_uid: str
    sop_class_uid: str = XRayRadiationDoseSRStorage
    event_uids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelSpec:
    """TID 10033: patient model, transport model, and the optional rows (None or empty: not written)."""

    patient_model: Code = D.AnthropomorphicModel
    transport_model: Code = D.VoxelizedRadiationTransportModel
    reference: str | None = None
    min_age_years: float | None = None
    max_age_years: float | None = None
    sex: Code | None = None
    method: Code | None = None  # CID 10068
    method_reference: str | None = None
    parameters: tuple[tuple[Code, float, str], ...] = ()  # CID 10069 concept, value, UCUM unit


@dataclass(frozen=True)
class ValueSpec:
    """One estimated value: its concept (CID 10061/10062, or 113839 Effective Dose) for one target."""

    target: Code  # CID 10060
    quantity: Code
    value: float
    unit: str
    laterality: Code | None = None
    distribution: Code | None = None  # CID 10063
    map_uid: str | None = None  # the dose map object it summarises (a Secondary Capture here)


@dataclass(frozen=True)
class SoftwareSpec:
    """The program that made the estimates: the document's device observer and General Equipment."""

    manufacturer: str = "Kerma Synthetic Dosimetry"
    model_name: str = "OrganDose"
    software_versions: str = "1.0"
    observer_uid: str = field(default_factory=lambda: derived_uid("prdsr-software", "OrganDose"))


@dataclass(frozen=True)
class PatientDoseSpec:
    """One Patient Radiation Dose SR of the study `study` (patient and study identifiers are copied)."""

    study: StudySpec
    sop_uid: str
    series_uid: str
    created: dt.datetime
    sources: tuple[SourceUsed, ...]
    values: tuple[ValueSpec, ...]
    model: ModelSpec = field(default_factory=ModelSpec)
    name: str | None = None
    software: SoftwareSpec = field(default_factory=SoftwareSpec)
    comment: str | None = None


def patient_dose_dataset(spec: PatientDoseSpec) -> Dataset:
    """The complete Patient Radiation Dose SR for `spec`, file meta included (PS3.3 A.35.24)."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = PatientRadiationDoseSRStorage
    ds.file_meta.MediaStorageSOPInstanceUID = UID(spec.sop_uid)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = PatientRadiationDoseSRStorage
    ds.SOPInstanceUID = spec.sop_uid
    _header(ds, spec)
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = [it.code_dataset(D.PatientRadiationDoseReport)]
    ds.ContinuityOfContent = "SEPARATE"
    template = Dataset()
    template.MappingResource = "DCMR"
    template.TemplateIdentifier = "10030"
    ds.ContentTemplateSequence = [template]
    ds.ContentSequence = _root_rows(spec)
    return ds


def patient_dose_bytes(spec: PatientDoseSpec) -> bytes:
    """The DICOM Part 10 file for `spec`; the same spec always gives the same bytes."""
    buffer = io.BytesIO()
    dcmwrite(buffer, patient_dose_dataset(spec), enforce_file_format=True)
    return buffer.getvalue()


def _header(ds: Dataset, spec: PatientDoseSpec) -> None:
    """Patient, General Study, SR Document Series, General Equipment, SR Document General modules."""
    study, patient, software = spec.study, spec.study.patient, spec.software
    ds.PatientName, ds.PatientID = patient.name, patient.patient_id
    ds.PatientBirthDate, ds.PatientSex = patient.birth_date.strftime("%Y%m%d"), patient.sex
    ds.PatientAge = f"{study.age_years:03d}Y"
    ds.PatientWeight, ds.PatientSize = it.ds_text(patient.weight_kg), it.ds_text(patient.height_m)
    ds.StudyInstanceUID, ds.AccessionNumber = study.study_uid, study.accession_number
    ds.StudyDate, ds.StudyTime = (
        study.study_datetime.strftime("%Y%m%d"),
        study.study_datetime.strftime("%H%M%S"),
    )
    ds.StudyDescription, ds.ReferringPhysicianName, ds.StudyID = (
        study.description,
        "",
        study.accession_number[-8:],
    )
    ds.Modality, ds.SeriesInstanceUID, ds.SeriesNumber = "SR", spec.series_uid, 998
    ds.SeriesDescription = "Patient Radiation Dose"
    ds.ReferencedPerformedProcedureStepSequence = []
    ds.Manufacturer, ds.ManufacturerModelName = software.manufacturer, software.model_name
    ds.SoftwareVersions, ds.DeviceSerialNumber = software.software_versions, "1"
    ds.InstitutionName = study.site.institution_name
    ds.ContentDate, ds.ContentTime = spec.created.strftime("%Y%m%d"), spec.created.strftime("%H%M%S")
    ds.InstanceNumber, ds.CompletionFlag, ds.VerificationFlag = 1, "COMPLETE", "UNVERIFIED"
    ds.PerformedProcedureCodeSequence = []
    ds.PertinentOtherEvidenceSequence = [_evidence(spec)]  # PS3.3 C.17.2: every object the content cites


def _evidence(spec: PatientDoseSpec) -> Dataset:
    """Hierarchical SOP Instance Reference of the dose reports used (all of one study here)."""
    series: dict[str, list[Dataset]] = {}
    for source in spec.sources:
        series.setdefault(source.series_uid, []).append(
            _reference(source.sop_class_uid, source.sop_instance_uid)
        )
    study = Dataset()
    study.StudyInstanceUID = spec.study.study_uid
    study.ReferencedSeriesSequence = []
    for series_uid, references in series.items():
        item = Dataset()
        item.SeriesInstanceUID = series_uid
        item.ReferencedSOPSequence = references
        study.ReferencedSeriesSequence.append(item)
    return study


def _reference(sop_class_uid: str, sop_instance_uid: str) -> Dataset:
    reference = Dataset()
    reference.ReferencedSOPClassUID = sop_class_uid
    reference.ReferencedSOPInstanceUID = sop_instance_uid
    return reference


def _num(concept: Code, value: float, unit: str, relationship: str = it.CONTAINS) -> Dataset:
    """A NUM in any UCUM unit (the writer's own table lacks Sv, a and kg)."""
    measured = Dataset()
    measured.NumericValue = it.ds_text(value)
    measured.MeasurementUnitsCodeSequence = [it.code_dataset(Code(unit, "UCUM", unit))]
    item = _content(relationship, "NUM", concept)
    item.MeasuredValueSequence = [measured]
    return item


def _composite(
    concept: Code, sop_class_uid: str, sop_instance_uid: str, children: Iterable[Dataset] = ()
) -> Dataset:
    """A COMPOSITE item referencing one object (PS3.3 C.17.3.2.2), with property rows below it."""
    item = _content(it.CONTAINS, "COMPOSITE", concept)
    item.ReferencedSOPSequence = [_reference(sop_class_uid, sop_instance_uid)]
    kids = list(children)
    if kids:
        item.ContentSequence = kids
    return item


def _content(relationship: str, value_type: str, concept: Code) -> Dataset:
    item = Dataset()
    item.RelationshipType = relationship
    item.ValueType = value_type
    item.ConceptNameCodeSequence = [it.code_dataset(concept)]
    return item


def _root_rows(spec: PatientDoseSpec) -> list[Dataset]:
    """TID 10030: language (TID 1204), the software as device observer (TID 1002), the estimate, a comment."""
    software, context = spec.software, it.HAS_OBS_CONTEXT
    rows = [
        it.code(D.LanguageOfContentItemAndDescendants, ENGLISH, it.HAS_CONCEPT_MOD),
        it.code(v.OBSERVER_TYPE, v.DEVICE, context),
        it.uidref(v.DEVICE_OBSERVER_UID, software.observer_uid, context),
        it.text(v.DEVICE_OBSERVER_NAME, software.model_name, context),
        it.text(v.DEVICE_OBSERVER_MANUFACTURER, software.manufacturer, context),
        it.text(v.DEVICE_OBSERVER_MODEL, software.model_name, context),
        _estimate(spec),
    ]
    if spec.comment is not None:
        rows.append(it.text(D.Comment, spec.comment))
    return rows


def _estimate(spec: PatientDoseSpec) -> Dataset:
    """TID 10031 Radiation Dose Estimate (128402): name, methodology, one representation per value."""
    rows = [it.text(D.RadiationDoseEstimateName, spec.name)] if spec.name is not None else []
    rows.append(_methodology(spec))
    rows += [_representation(value) for value in spec.values]
    return it.container(D.RadiationDoseEstimate, rows)


def _methodology(spec: PatientDoseSpec) -> Dataset:
    """TID 10033: the reports and events used, the patient model and its demographics, parameters, method."""
    used = [
        _composite(
            D.SRInstanceUsed,
            source.sop_class_uid,
            source.sop_instance_uid,
            [it.uidref(D.EventUIDUsed, uid, it.HAS_PROPERTIES) for uid in source.event_uids],
        )
        for source in spec.sources
    ]
    rows = [*used, _model(spec.model)]
    model = spec.model
    if model.parameters:
        values = [_num(concept, value, unit) for concept, value, unit in model.parameters]
        rows.append(it.container(D.RadiationDoseEstimateParameters, values))
    if model.method is not None:
        method = [it.code(D.RadiationDoseEstimateMethodType, model.method)]
        if model.method_reference is not None:
            method.append(it.text(D.RadiationDoseEstimateMethodReference, model.method_reference))
        rows.append(it.container(D.RadiationDoseEstimateMethod, method))
    return it.container(D.RadiationDoseEstimateMethodology, rows)


def _model(model: ModelSpec) -> Dataset:
    """Patient Radiation Dose Model (128500, TID 10033 rows 5-19): demographics rows only where stated."""
    rows = [
        it.code(D.PatientModelType, model.patient_model),
        it.code(D.RadiationTransportModelType, model.transport_model),
    ]
    if model.reference is not None:
        rows.append(it.text(D.PatientRadiationDoseModelReference, model.reference))
    demographics = []
    if model.min_age_years is not None:
        demographics.append(_num(D.ModelMinimumAge, model.min_age_years, "a"))
    if model.max_age_years is not None:
        demographics.append(_num(D.ModelMaximumAge, model.max_age_years, "a"))
    if model.sex is not None:
        demographics.append(it.code(D.ModelPatientSex, model.sex))
    rows.append(it.container(D.PatientModelDemographics, demographics))
    return it.container(D.PatientRadiationDoseModel, rows)


def _representation(value: ValueSpec) -> Dataset:
    """One Radiation Dose Estimate Representation (128412): target, distribution, value, map."""
    laterality = (
        [it.code(codes.SCT.Laterality, value.laterality, it.HAS_CONCEPT_MOD)] if value.laterality else []
    )
    rows = [it.code(codes.SCT.FindingSite, value.target, it.HAS_CONCEPT_MOD, children=laterality)]
    if value.distribution is not None:
        rows.append(it.code(D.DistributionRepresentation, value.distribution))
    rows.append(_num(value.quantity, value.value, value.unit))
    if value.map_uid is not None:
        rows.append(
            _composite(D.RadiationDoseRepresentationData, SecondaryCaptureImageStorage, value.map_uid)
        )
    return it.container(D.RadiationDoseEstimateRepresentation, rows)
