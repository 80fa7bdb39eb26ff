"""The stored de-identified copy reads back as the same dose report, with pseudonyms instead of IDs.

That is what lets `reprocess` re-read stored copies after a reader upgrade without losing anything.
"""

from __future__ import annotations

import io

import pydicom
import pytest

from ingest.deid import deidentified_copy, deidentify_report
from ingest.rdsr import load_dataset, read
from tests.conftest import CORPUS_DIR, corpus_file

KEY, SITE = "test-key", "NORTH-01"
NAMES = sorted(path.name for path in CORPUS_DIR.glob("*.dcm")) or ["CT-RDSR-Siemens-Multi-1.dcm"]


def _copy(name: str) -> bytes:
    data = corpus_file(name).read_bytes()
    age = read(data).patient.age_years
    return deidentified_copy(data, load_dataset(data), key=KEY, site_code=SITE, age_years=age)


@pytest.mark.parametrize("name", NAMES)
def test_the_copy_reads_as_the_original_report_with_pseudonyms(name: str) -> None:
    original = deidentify_report(read(corpus_file(name)).as_dict(), key=KEY, site_code=SITE)
    again = read(_copy(name)).as_dict()
    assert {k: v for k, v in again.items() if k != "warnings"} == {
        k: v for k, v in original.items() if k != "warnings"
    }


@pytest.mark.parametrize("name", NAMES)
def test_the_copy_has_no_patient_name_birth_date_or_private_attributes(name: str) -> None:
    copy = pydicom.dcmread(corpus_file(name))  # the original, for its identifiers
    cleaned = pydicom.dcmread(io.BytesIO(_copy(name)))
    assert "PatientName" not in cleaned and "PatientBirthDate" not in cleaned
    assert not [element.tag for element in cleaned.iterall() if element.tag.is_private]  # at any depth
    if copy.get("PatientID"):
        assert cleaned.PatientID != copy.PatientID and len(cleaned.PatientID) == 64
