"""`read()`: one DICOM dose SR or dose-bearing image in, one `DoseReport` out; only typed errors escape.

The steps are: load the dataset, route it (is this a dose report, which template), walk the content tree
once, map it with the template's mapper, then take device, study and patient from the header. Every repair
along the way is a warning on the report, so a physicist can see what the file did not say plainly.
"""

from __future__ import annotations

from typing import Any

from pydicom.dataset import Dataset
from pydicom.uid import UID

from ingest.rdsr import codes
from ingest.rdsr.ct import ct_events, ct_totals
from ingest.rdsr.enhanced import enhanced_modality, enhanced_report
from ingest.rdsr.errors import MalformedError, RdsrError
from ingest.rdsr.header import device_of, header_text, patient_of, study_of
from ingest.rdsr.image_header import read_image_header
from ingest.rdsr.modality import classify
from ingest.rdsr.model import DoseReport, Event, Plane, Template, Totals
from ingest.rdsr.opened import Opened, collector_paused, open_file
from ingest.rdsr.patient_dose import read_patient_dose
from ingest.rdsr.projection import projection_events, projection_totals
from ingest.rdsr.radiopharm import radiopharmaceutical_events, radiopharmaceutical_totals
from ingest.rdsr.routing import check_sop_class, image_modality, template_of
from ingest.rdsr.source import Source, load, parse_bytes, source_bytes
from ingest.rdsr.tree import Item, WalkStats, read_tree
from ingest.rdsr.values import Notes, label, text

_DEFAULT_TRANSFER_SYNTAXES = frozenset({"1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99"})
_LATIN_CHARSETS = frozenset({"", "ISO_IR 100", "ISO_IR 6", "ISO 2022 IR 6", "ISO 2022 IR 100"})
_VENDOR_COMMENT_MARKERS = ("<FluoroData", "Internal technical scan parameters", "<?xml")


def load_dataset(source: Source) -> Dataset:
    """The pydicom Dataset of a file, with the reader's typed errors for what is not complete DICOM.

    For callers that need the dataset as well as the report (de-identification writes it back): load
    once, then `read(dataset)`.
    """
    return load(source)[0]


def read(source: Source) -> DoseReport:
    """Read one dose SR from a path, bytes, a binary file object or a pydicom Dataset.

    Raises NotDicomError, NotADoseReportError, MalformedError or UnsupportedError (all RdsrError) with
    a message naming the problem; nothing else escapes. Files are read through the element stream
    (`ingest.rdsr.opened`); a file it does not handle, and every file that fails, is read again by
    pydicom alone (`read_with_pydicom`), which gives the same report and decides every error.
    """
    if isinstance(source, Dataset):
        return _read_loaded(source, "dataset")
    data, name = source_bytes(source)
    try:
        with collector_paused():
            return read_opened(open_file(data, name))
    except Exception:  # the reference path reads it, or raises the error it always raised
        return _read_loaded(parse_bytes(data, name), name)


def read_with_pydicom(source: Source) -> DoseReport:
    """`read` through pydicom's Dataset alone: the reference the element-stream path is tested against."""
    dataset, name = load(source)
    return _read_loaded(dataset, name)


class _ImageLeftToPydicomError(Exception):
    """An image is read through pydicom, which stops before its pixel data (so its copy holds none)."""


def read_opened(opened: Opened) -> DoseReport:
    """The report of an opened file; raises anything, for the caller to fall back to pydicom."""
    if image_modality(opened.header) is not None:
        raise _ImageLeftToPydicomError
    return _read_dataset(opened.header, opened.root)


def read_report(data: bytes) -> tuple[DoseReport, Opened | Dataset]:
    """The report of a received file and what was parsed to read it, for the de-identified copy.

    The errors, and the dataset a fallback yields, are those of `read(load_dataset(data))`.
    """
    try:
        with collector_paused():
            opened = open_file(data, "input")
            return read_opened(opened), opened
    except Exception:  # the reference path reads it, or raises the error it always raised
        dataset = load_dataset(data)
        return read(dataset), dataset


def _read_loaded(dataset: Dataset, name: str) -> DoseReport:
    try:
        return _read_dataset(dataset, dataset)
    except RdsrError:
        raise
    except Exception as error:  # pydicom converts values lazily: a broken element surfaces here
        raise MalformedError(f"{name}: content cannot be read as a dose report: {error!r}") from error


def _note_encoding(dataset: Dataset, notes: Notes) -> None:
    meta = getattr(dataset, "file_meta", None)
    syntax = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    if syntax and syntax not in _DEFAULT_TRANSFER_SYNTAXES:
        notes.add(f"transfer syntax {UID(syntax).name} ({syntax})")
    charset = header_text(dataset, "SpecificCharacterSet") or ""
    terms = [term for term in charset.split("\\") if term.strip() not in _LATIN_CHARSETS]
    if terms:
        notes.add(f"specific character set {charset} (non-Latin text decoded)")
    if str(dataset.get("CompletionFlag") or "").upper() == "PARTIAL":
        notes.add("CompletionFlag PARTIAL: the report may not cover the whole procedure")


def _note_content(root: Item, stats: WalkStats, notes: Notes) -> None:
    if stats.missing_relationship:
        notes.add(f"{stats.missing_relationship} content items lack RelationshipType")
    for item in root.descendants():
        if (
            item.concept == codes.SOURCE_OF_DOSE_INFORMATION
            and item.code == codes.DERIVED_FROM_HUMAN_READABLE
        ):
            notes.add("Source of Dose Information 113868: values were read off a dose screen (OCR)")
        elif item.concept == codes.COMMENT and item.text:
            marker = next((mark for mark in _VENDOR_COMMENT_MARKERS if mark in item.text), None)
            if marker is not None:
                notes.add(f"{label(item)} carries vendor values ({marker.strip('<?')}); not read")


def _map(template: Template, root: Item, notes: Notes) -> tuple[Totals, tuple[Plane, ...], tuple[Event, ...]]:
    if template == "10011":
        return ct_totals(root, notes), (), ct_events(root, notes)
    if template == "10021":
        events = radiopharmaceutical_events(root, notes)
        return radiopharmaceutical_totals(root, events, notes), (), events
    totals, planes = projection_totals(root, notes)
    return totals, planes, projection_events(root, notes)


def _procedure_reported(template: Template, root: Item) -> str | None:
    wanted = codes.ASSOCIATED_PROCEDURE if template == "10021" else codes.PROCEDURE_REPORTED
    return text(root, wanted)


def _sources_of_dose_information(root: Item) -> tuple[str, ...]:
    return tuple(
        item.code_meaning or item.code.value
        for item in root.all(codes.SOURCE_OF_DOSE_INFORMATION)
        if item.code is not None
    )


def _read_dataset(dataset: Dataset, content_root: Any) -> DoseReport:
    """The report from the header `dataset` and the document root (the dataset itself, or its stream Node)."""
    notes = Notes()
    modality = image_modality(dataset)
    if modality is not None:
        _note_encoding(dataset, notes)
        return read_image_header(dataset, modality, notes)
    sop_class = check_sop_class(dataset)
    root, stats = read_tree(content_root)
    template = template_of(dataset, root, sop_class, notes)
    _note_encoding(dataset, notes)
    _note_content(root, stats, notes)
    if template == "10030":  # estimates made by other software: no events, no totals of its own
        return read_patient_dose(dataset, content_root, root, sop_class, notes)
    if template == "10040":  # per X-ray source and time window, not per plane (Supplement 214)
        totals, planes, events = enhanced_report(root, content_root, notes)
    else:
        totals, planes, events = _map(template, root, notes)
    first_event_time = next((event.datetime for event in events if event.datetime), None)
    study = study_of(dataset, root, _procedure_reported(template, root), first_event_time, notes)
    return DoseReport(
        sop_class_uid=sop_class,
        sop_instance_uid=header_text(dataset, "SOPInstanceUID") or "",
        study_instance_uid=header_text(dataset, "StudyInstanceUID"),
        template=template,
        modality=enhanced_modality(root, totals) if template == "10040" else classify(template, root, totals),
        device=device_of(dataset, root, notes),
        study=study,
        patient=patient_of(dataset, root, study.date, notes),
        totals=totals,
        planes=planes,
        events=events,
        source_of_dose_information=_sources_of_dose_information(root),
        warnings=notes.as_tuple(),
    )
