"""Each kind of unreadable input gives the typed error the dose-report contract names, and nothing else."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

from ingest.rdsr import read
from ingest.rdsr.errors import MalformedError, NotADoseReportError, NotDicomError, UnsupportedError
from tests.conftest import corpus_file

# A plain CT dose report (TID 10011, explicit VR little endian) used wherever one well-formed file is needed.
CT_FILE = "CT-RDSR-GEPixelMed.dcm"
# DX-Im-GE_XR220-1.dcm is no longer refused: its header is read (test_a_dx_image_header_becomes_one_event.py).
NEGATIVE_FILES = ["CT-SC-Philips_Brilliance16P.dcm", "ESR_non-dose.dcm"]
PATIENT_DOSE_SR_CLASS = UID("1.2.840.10008.5.1.4.1.1.88.73")


def _truncation_named(message: str, size: int) -> bool:
    """True when the message says the data were cut short, or states the byte count it got."""
    return re.search(rf"truncat|cut short|too short|\b{size}\b", message, re.IGNORECASE) is not None


def _code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def _patient_dose_sr() -> Dataset:
    """A minimal Patient Radiation Dose SR (TID 10030, root 128401) with one dose-estimate container."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = PATIENT_DOSE_SR_CLASS
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=["kerma-test-prdsr"])
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = PATIENT_DOSE_SR_CLASS
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=["kerma-test-prdsr-study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=["kerma-test-prdsr-series"])
    ds.Modality = "SR"
    ds.PatientID = "PRDSR-1"
    ds.StudyDate = "20240105"
    ds.StudyTime = "101500"
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = Sequence([_code("128401", "DCM", "Patient Radiation Dose Report")])
    ds.ContinuityOfContent = "SEPARATE"
    template = Dataset()
    template.MappingResource = "DCMR"
    template.TemplateIdentifier = "10030"
    ds.ContentTemplateSequence = Sequence([template])
    estimate = Dataset()
    estimate.RelationshipType = "CONTAINS"
    estimate.ValueType = "CONTAINER"
    estimate.ConceptNameCodeSequence = Sequence([_code("128402", "DCM", "Radiation Dose Estimate")])
    estimate.ContinuityOfContent = "SEPARATE"
    estimate.ContentSequence = Sequence()
    ds.ContentSequence = Sequence([estimate])
    return ds


def test_empty_bytes_are_not_dicom() -> None:
    with pytest.raises(NotDicomError) as caught:
        read(b"")
    assert caught.value.kind == "not_dicom"


def test_random_text_is_not_dicom() -> None:
    rng = random.Random(20240105)  # noqa: S311 - reproducible test data, not cryptography
    text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ,.\n0123456789") for _ in range(4000))
    with pytest.raises(NotDicomError) as caught:
        read(text.encode("ascii"))
    assert caught.value.kind == "not_dicom"


def test_a_png_header_is_not_dicom() -> None:
    # PNG signature and an IHDR chunk, padded past the 132 bytes of a DICOM preamble and "DICM" marker,
    # so that the file is rejected for what it is, not merely for being short.
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00"
    png += b"\x00" * 512
    with pytest.raises(NotDicomError) as caught:
        read(png)
    assert caught.value.kind == "not_dicom"


def test_a_dose_report_cut_to_100_bytes_is_not_dicom_and_says_so() -> None:
    # 100 bytes end inside the 128-byte preamble: no "DICM" marker, no dataset, hence not_dicom.
    data = corpus_file(CT_FILE).read_bytes()[:100]
    with pytest.raises(NotDicomError) as caught:
        read(data)
    assert caught.value.kind == "not_dicom"
    assert _truncation_named(str(caught.value), 100), str(caught.value)


def test_a_dose_report_cut_to_half_its_size_is_not_dicom_and_says_truncated() -> None:
    # The contract's not_dicom covers "truncated": the cut falls inside the ContentSequence, so the dataset
    # itself is incomplete. pydicom reads such a file without complaint and silently drops the tail, which
    # is why the reader has to notice, rather than report a dose SR with half its content (malformed).
    whole = corpus_file(CT_FILE).read_bytes()
    half = len(whole) // 2
    with pytest.raises(NotDicomError) as caught:
        read(whole[:half])
    assert caught.value.kind == "not_dicom"
    assert _truncation_named(str(caught.value), half), str(caught.value)


@pytest.mark.parametrize("name", NEGATIVE_FILES)
def test_each_negative_corpus_file_is_not_a_dose_report(name: str) -> None:
    path = corpus_file(f"negative/{name}")
    with pytest.raises(NotADoseReportError) as caught:
        read(path)
    assert caught.value.kind == "not_a_dose_report"
    assert str(caught.value).strip()


def test_a_dose_sr_without_its_content_sequence_is_malformed() -> None:
    ds = pydicom.dcmread(corpus_file(CT_FILE))
    assert ds.ConceptNameCodeSequence[0].CodeValue == "113701"
    del ds.ContentSequence
    with pytest.raises(MalformedError) as caught:
        read(ds)
    assert caught.value.kind == "malformed"


def test_a_dataset_without_any_sop_class_uid_is_not_a_dose_report() -> None:
    # Routing (rdsr-notes §2) starts from the SOP class: only the dose SR classes and the SR classes that
    # may carry a dose tree are read at all. With no SOP Class UID (neither in the dataset nor in the file
    # meta), nothing says this is a dose SR object, so it is "not a dose report", not a "malformed" one:
    # malformed is reserved for objects the routing accepted whose tree then cannot be read.
    ds = pydicom.dcmread(corpus_file(CT_FILE))
    del ds.SOPClassUID
    del ds.file_meta.MediaStorageSOPClassUID
    with pytest.raises(NotADoseReportError) as caught:
        read(ds)
    assert caught.value.kind == "not_a_dose_report"
    assert re.search(r"SOP ?Class|0008,\s?0016", str(caught.value), re.IGNORECASE), str(caught.value)


def test_a_patient_radiation_dose_sr_without_a_readable_estimate_is_unsupported() -> None:
    with pytest.raises(UnsupportedError) as caught:
        read(_patient_dose_sr())
    assert caught.value.kind == "unsupported"
    assert re.search(r"10030|128401|Patient Radiation Dose", str(caught.value)), str(caught.value)


def _as_str(path: Path) -> Any:
    return str(path)


def _as_bytes(path: Path) -> Any:
    return path.read_bytes()


def _as_bytesio(path: Path) -> Any:
    return io.BytesIO(path.read_bytes())


def _as_dataset(path: Path) -> Any:
    return pydicom.dcmread(path)


INPUT_TYPES: dict[str, Callable[[Path], Any]] = {
    "str": _as_str,
    "bytes": _as_bytes,
    "BytesIO": _as_bytesio,
    "Dataset": _as_dataset,
}


@pytest.mark.parametrize("kind", sorted(INPUT_TYPES))
def test_each_accepted_input_type_gives_the_same_report_as_a_path(kind: str) -> None:
    path = corpus_file(CT_FILE)
    expected = read(path).as_dict()
    assert read(INPUT_TYPES[kind](path)).as_dict() == expected


def test_an_open_binary_file_gives_the_same_report_as_a_path() -> None:
    path = corpus_file(CT_FILE)
    expected = read(path).as_dict()
    with path.open("rb") as handle:
        assert read(handle).as_dict() == expected


def test_a_nonexistent_path_is_not_dicom_and_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-report.dcm"
    with pytest.raises(NotDicomError) as caught:
        read(missing)
    assert caught.value.kind == "not_dicom"
    assert str(missing) in str(caught.value)
