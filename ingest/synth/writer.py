"""Turn one `StudySpec` into an X-Ray Radiation Dose SR dataset (PS3.3 A.35.8) and its Part 10 bytes."""

from __future__ import annotations

import datetime as dt
import io

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import UID, ExplicitVRLittleEndian, XRayRadiationDoseSRStorage

from ingest.synth import items as it
from ingest.synth import vocab as v
from ingest.synth.ct import ct_body, ct_context
from ingest.synth.projection import projection_body
from ingest.synth.spec import CtReportSpec, ProjectionReportSpec, StudySpec


def write_dataset(spec: StudySpec) -> Dataset:
    """The complete dose SR for `spec`, file meta included, ready for `dcmwrite`."""
    ds = Dataset()
    ds.file_meta = _file_meta(spec)
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = XRayRadiationDoseSRStorage
    ds.SOPInstanceUID = spec.sop_uid
    _patient(ds, spec)
    _study_series_equipment(ds, spec)
    _sr_document_general(ds, spec)
    _sr_document_content(ds, spec)
    return ds


def write_bytes(spec: StudySpec) -> bytes:
    """The DICOM Part 10 file for `spec`; identical specs give identical bytes (no clock, no randomness)."""
    buffer = io.BytesIO()
    dcmwrite(buffer, write_dataset(spec), enforce_file_format=True)
    return buffer.getvalue()


def _file_meta(spec: StudySpec) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = XRayRadiationDoseSRStorage
    meta.MediaStorageSOPInstanceUID = UID(spec.sop_uid)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    return meta


def _patient(ds: Dataset, spec: StudySpec) -> None:
    """Patient and Patient Study modules: age as `nnnY`, weight in kg, size in m (PS3.3 C.7.1.1, C.7.2.2)."""
    patient = spec.patient
    ds.PatientName = patient.name
    ds.PatientID = patient.patient_id
    ds.PatientBirthDate = patient.birth_date.strftime("%Y%m%d")
    ds.PatientSex = patient.sex
    ds.PatientAge = f"{spec.age_years:03d}Y"
    ds.PatientWeight = it.ds_text(patient.weight_kg)
    ds.PatientSize = it.ds_text(patient.height_m)


def _study_series_equipment(ds: Dataset, spec: StudySpec) -> None:
    """General Study, SR Document Series and General Equipment modules; the station identifies the device."""
    when, device = spec.study_datetime, spec.device
    ds.StudyInstanceUID = spec.study_uid
    ds.StudyDate = ds.SeriesDate = ds.ContentDate = when.strftime("%Y%m%d")
    ds.StudyTime = when.strftime("%H%M%S")
    ds.SeriesTime = ds.ContentTime = _report_time(spec).strftime("%H%M%S")
    ds.AccessionNumber = spec.accession_number
    ds.ReferringPhysicianName = ""
    ds.StudyID = spec.accession_number[-8:]
    ds.StudyDescription = spec.description
    ds.RequestedProcedureDescription = spec.description
    ds.Modality = "SR"
    ds.SeriesInstanceUID = spec.series_uid
    ds.SeriesNumber = 997
    ds.SeriesDescription = "Radiation Dose Report"
    ds.ReferencedPerformedProcedureStepSequence = []
    ds.Manufacturer = device.manufacturer
    ds.InstitutionName = spec.site.institution_name
    ds.StationName = device.station_name
    ds.ManufacturerModelName = device.model_name
    ds.DeviceSerialNumber = device.serial_number
    ds.SoftwareVersions = device.software_versions


def _sr_document_general(ds: Dataset, spec: StudySpec) -> None:
    """SR Document General module (PS3.3 C.17.2): a complete, unverified report made by the device."""
    ds.InstanceNumber = 1
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "UNVERIFIED"
    ds.PerformedProcedureCodeSequence = []


def _sr_document_content(ds: Dataset, spec: StudySpec) -> None:
    """Root CONTAINER (113701) with TID 10011 or TID 10001 below it (PS3.16)."""
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = [it.code_dataset(v.DOSE_REPORT)]
    ds.ContinuityOfContent = "SEPARATE"
    if spec.variant.with_template_id:
        template = Dataset()
        template.MappingResource = "DCMR"
        template.TemplateIdentifier = spec.template
        ds.ContentTemplateSequence = [template]
    ds.ContentSequence = _root_rows(spec)


def _root_rows(spec: StudySpec) -> list[Dataset]:
    """Root rows in template order: procedure, observer (TID 1002/1004), scope, dose content, source."""
    report = spec.report
    rows = [_procedure_reported(spec)]
    if isinstance(report, ProjectionReportSpec) and spec.modality != "MG":
        device_type = v.FLUORO_GUIDED if spec.modality == "RF" else v.INTEGRATED
        rows.append(it.code(v.ACQUISITION_DEVICE_TYPE, device_type))
    rows += _device_observer(spec)
    if isinstance(report, CtReportSpec):
        rows += ct_context(spec.study_datetime, _report_time(spec))
    rows.append(_scope(spec))
    if isinstance(report, CtReportSpec):
        rows += ct_body(report)
    else:
        rows += projection_body(report, spec.variant)
    rows.append(it.code(v.SOURCE_OF_DOSE_INFORMATION, v.AUTOMATED_DATA_COLLECTION))
    return rows


def _procedure_reported(spec: StudySpec) -> Dataset:
    """Procedure reported (121058), CID 10001 / 10011, with its mandatory Has Intent modifier."""
    procedure = {"CT": v.CT_PROCEDURE, "MG": v.MAMMOGRAPHY}.get(spec.modality, v.PROJECTION_XRAY)
    intent = it.code(v.HAS_INTENT, v.DIAGNOSTIC_INTENT, it.HAS_CONCEPT_MOD)
    return it.code(v.PROCEDURE_REPORTED, procedure, it.HAS_CONCEPT_MOD, children=[intent])


def _device_observer(spec: StudySpec) -> list[Dataset]:
    """TID 1002 Observer Context with a TID 1004 device observer: the equipment identity at root level."""
    device, ctx = spec.device, it.HAS_OBS_CONTEXT
    return [
        it.code(v.OBSERVER_TYPE, v.DEVICE, ctx),
        it.uidref(v.DEVICE_OBSERVER_UID, device.observer_uid, ctx),
        it.text(v.DEVICE_OBSERVER_NAME, device.station_name, ctx),
        it.text(v.DEVICE_OBSERVER_MANUFACTURER, device.manufacturer, ctx),
        it.text(v.DEVICE_OBSERVER_MODEL, device.model_name, ctx),
        it.text(v.DEVICE_OBSERVER_SERIAL, device.serial_number, ctx),
    ]


def _scope(spec: StudySpec) -> Dataset:
    """Scope of Accumulation (113705) = Study (CID 10000), identified by its Study Instance UID."""
    study_uid = it.uidref(v.STUDY_INSTANCE_UID, spec.study_uid, it.HAS_PROPERTIES)
    return it.code(v.SCOPE_OF_ACCUMULATION, v.STUDY, it.HAS_OBS_CONTEXT, children=[study_uid])


def _report_time(spec: StudySpec) -> dt.datetime:
    """When the device closed the report: after the last event (the study start when there is none)."""
    report = spec.report
    if isinstance(report, ProjectionReportSpec) and report.events:
        return max(event.started for event in report.events) + dt.timedelta(minutes=1)
    return spec.study_datetime + dt.timedelta(minutes=2 + len(report.events) * 2)
