"""The spliced de-identified copy holds exactly what pydicom's de-identification writes, and no identifier.

`read_and_deidentify` opens a file once through the element stream and splices the copy
(`ingest.rdsr.cleaning`); the reference reads it with pydicom and re-encodes it (`deidentified_copy` of a
Dataset). Both must give the same report and, read back by pydicom, the same copy.
"""

from __future__ import annotations

import io

import pydicom
import pytest
from pydicom.dataset import Dataset

from ingest.deid import deidentified_copy, deidentify_report
from ingest.rdsr import Opened, load_dataset, read, read_report
from ingest.reading import read_and_deidentify
from ingest.synth.spec import Modality
from tests.conftest import CORPUS_DIR, corpus_file
from tests.ingest.rdsr.variants import PERSON, shapes, synthetic

KEY, SITE = "test-key", "NORTH-01"
NAMES = sorted(path.name for path in CORPUS_DIR.glob("*.dcm")) or ["CT-RDSR-Siemens-Multi-1.dcm"]


def reference(data: bytes) -> tuple[dict[str, object], bytes]:
    """`read_and_deidentify` as it was: pydicom reads, cleans and re-encodes."""
    dataset = load_dataset(data)
    report = read(dataset).as_dict()
    copy = deidentified_copy(data, dataset, key=KEY, site_code=SITE, age_years=report["patient"]["age_years"])
    return deidentify_report(report, key=KEY, site_code=SITE), copy


def parsed(data: bytes) -> Dataset:
    return pydicom.dcmread(io.BytesIO(data))


def assert_same_copy(spliced: bytes, expected: bytes) -> None:
    mine, theirs = parsed(spliced), parsed(expected)
    assert mine == theirs
    assert mine.file_meta.TransferSyntaxUID == theirs.file_meta.TransferSyntaxUID


def assert_spliced_and_same(data: bytes) -> None:
    _, opened = read_report(data)
    assert isinstance(opened, Opened)  # the element stream read it: no fallback
    result = read_and_deidentify(data, key=KEY, site_code=SITE)
    report, copy = reference(data)
    assert result.report == report
    assert_same_copy(result.deidentified, copy)


@pytest.mark.parametrize("name", NAMES)
def test_every_corpus_file_gives_the_reference_report_and_copy(name: str) -> None:
    assert_spliced_and_same(corpus_file(name).read_bytes())


@pytest.mark.parametrize(("modality", "undefined", "implicit", "identifying"), shapes())
def test_synthetic_reports_in_every_shape_give_the_reference_report_and_copy(
    modality: Modality, undefined: bool, implicit: bool, identifying: bool
) -> None:
    assert_spliced_and_same(
        synthetic(modality, undefined=undefined, implicit=implicit, identifying=identifying)
    )


@pytest.mark.parametrize(
    ("undefined", "implicit"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_the_spliced_copy_keeps_no_identifier_name_or_private_attribute(
    undefined: bool, implicit: bool
) -> None:
    data = synthetic("RF", undefined=undefined, implicit=implicit, identifying=True)
    original = parsed(data)
    copy = read_and_deidentify(data, key=KEY, site_code=SITE).deidentified
    cleaned = parsed(copy)
    for identifier in (str(original.PatientID), str(original.AccessionNumber), PERSON):
        assert identifier.encode() not in copy
    assert "PatientName" not in cleaned and "PatientBirthDate" not in cleaned
    assert not [element.tag for element in cleaned.iterall() if element.tag.is_private]
    assert read(copy).as_dict()["events"] == read(data).as_dict()["events"]
