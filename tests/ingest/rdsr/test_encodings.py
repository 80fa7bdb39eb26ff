"""The same report whatever the encoding: big endian, implicit VR, or a bare dataset without file meta."""

from __future__ import annotations

import io

import pydicom
import pytest
from pydicom.dataset import FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import UID, ExplicitVRBigEndian, ImplicitVRLittleEndian

from ingest.rdsr import read
from tests.conftest import corpus_file

FILES = ["RF-RDSR-Siemens-Zee.dcm", "CT-RDSR-Siemens_Flash-QA-DS.dcm", "MG-RDSR-Hologic_2D.dcm"]


def _without_warnings(report: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in report.items() if key != "warnings"}


def _reencoded(name: str, syntax: UID) -> bytes:
    ds = pydicom.dcmread(corpus_file(name))
    ds.file_meta.TransferSyntaxUID = syntax
    buffer = io.BytesIO()
    dcmwrite(
        buffer, ds, little_endian=syntax != ExplicitVRBigEndian, implicit_vr=syntax == ImplicitVRLittleEndian
    )
    return buffer.getvalue()


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("syntax", [ExplicitVRBigEndian, ImplicitVRLittleEndian], ids=lambda uid: uid.name)
def test_a_reencoded_file_reads_as_the_original_and_names_its_transfer_syntax(name: str, syntax: UID) -> None:
    original = read(corpus_file(name)).as_dict()
    reencoded = read(_reencoded(name, syntax)).as_dict()
    assert _without_warnings(reencoded) == _without_warnings(original)
    assert any(syntax.name in warning for warning in reencoded["warnings"])


@pytest.mark.parametrize("name", FILES)
def test_a_bare_dataset_without_preamble_or_file_meta_reads_as_the_original(name: str) -> None:
    ds = pydicom.dcmread(corpus_file(name))
    ds.preamble = None
    ds.file_meta = FileMetaDataset()
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, implicit_vr=False, little_endian=True)  # what a C-STORE spool may hold
    bare = buffer.getvalue()
    assert b"DICM" not in bare[:256]
    assert _without_warnings(read(bare).as_dict()) == _without_warnings(read(corpus_file(name)).as_dict())
