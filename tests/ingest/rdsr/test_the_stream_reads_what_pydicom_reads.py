"""The element-stream path of `read` gives exactly the report, and the errors, of the pydicom path.

`read` reads bytes and paths through `ingest.rdsr.stream` (pydicom for the header); `read_with_pydicom`
is the reference it replaced. Both must agree on every corpus file, on synthetic reports in every
encoding vendors use, on damaged files, and value by value on every element.
"""

from __future__ import annotations

import gc
import io
from typing import Any

import pydicom
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.dataelem import RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset
from pydicom.tag import Tag
from pydicom.valuerep import PersonName

from ingest.rdsr import RdsrError, read, read_with_pydicom
from ingest.rdsr.opened import open_file
from ingest.rdsr.stream import ITEMS, VALUE_END, VALUE_START, VR, Node, Raw, Stream, UnhandledError, parse
from ingest.synth import write_dataset
from ingest.synth.spec import Modality, StudySpec
from tests.conftest import CORPUS_DIR, corpus_file
from tests.ingest.rdsr.variants import encoded, shapes, synthetic
from tests.ingest.synth.strategies import studies

NAMES = sorted(path.name for path in CORPUS_DIR.glob("*.dcm")) or ["CT-RDSR-Siemens-Multi-1.dcm"]
NEGATIVE = sorted(path.name for path in (CORPUS_DIR / "negative").glob("*.dcm")) or ["ESR_non-dose.dcm"]


def outcome(reader: Any, source: Any) -> Any:
    """The report as the contract's dict, or the error's kind and message."""
    try:
        return reader(source).as_dict()
    except RdsrError as error:
        return (error.kind, error.message)


@pytest.mark.parametrize("name", NAMES)
def test_every_corpus_file_is_opened_by_the_stream_reader(name: str) -> None:
    open_file(corpus_file(name).read_bytes(), name)  # no fallback to pydicom for any real file


@pytest.mark.parametrize("name", NAMES)
def test_every_corpus_file_reads_as_pydicom_reads_it(name: str) -> None:
    path = corpus_file(name)
    assert read(path).as_dict() == read_with_pydicom(path).as_dict()
    assert read(path.read_bytes()).as_dict() == read_with_pydicom(path.read_bytes()).as_dict()


@pytest.mark.parametrize("name", NEGATIVE)
def test_rejected_files_are_rejected_with_the_same_kind_and_message(name: str) -> None:
    path = corpus_file(f"negative/{name}")
    assert outcome(read, path) == outcome(read_with_pydicom, path)


@pytest.mark.parametrize(("modality", "undefined", "implicit", "identifying"), shapes())
def test_synthetic_reports_in_every_shape_read_as_pydicom_reads_them(
    modality: Modality, undefined: bool, implicit: bool, identifying: bool
) -> None:
    data = synthetic(modality, undefined=undefined, implicit=implicit, identifying=identifying)
    open_file(data, "input")
    assert read(data).as_dict() == read_with_pydicom(data).as_dict()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studies(), st.booleans(), st.booleans())
def test_any_synthetic_report_in_any_encoding_reads_as_pydicom_reads_it(
    spec: StudySpec, undefined: bool, implicit: bool
) -> None:
    data = encoded(write_dataset(spec), undefined=undefined, implicit=implicit)
    assert read(data).as_dict() == read_with_pydicom(data).as_dict()


def _corpus_bytes(name: str) -> bytes:
    return corpus_file(name).read_bytes()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["CT-RDSR-Siemens-Multi-1.dcm", "RF-No-kVp-and-others.dcm", "Dual-RDSR-DX.dcm"]),
    st.floats(0, 1),
    st.binary(min_size=1, max_size=8),
    st.booleans(),
)
def test_a_damaged_file_gives_the_same_report_or_the_same_error(
    name: str, where: float, replacement: bytes, cut: bool
) -> None:
    data = _corpus_bytes(name)
    at = int(where * (len(data) - 1))
    damaged = data[:at] if cut else data[:at] + replacement + data[at + len(replacement) :]
    assert outcome(read, damaged) == outcome(read_with_pydicom, damaged)


def _pydicom_value(stream: Stream, tag: int, raw: Raw) -> Any:
    value = stream.data[raw[VALUE_START] : raw[VALUE_END]]
    element = RawDataElement(Tag(tag), raw[VR], len(value), value, 0, False, True)
    return convert_raw_data_element(element, encoding=stream.encodings).value


def same(value: Any, expected: Any) -> bool:
    """Equal as the reader uses values: numbers as floats (DSfloat keeps its string), the rest as text."""
    if isinstance(expected, float):
        return float(value) == float(expected) or (value != value and expected != expected)
    text = (str, PersonName)  # what de-identification compares; a MultiValue is neither
    return isinstance(value, text) == isinstance(expected, text) and str(value) == str(expected)


def _assert_same_values(mine: Node, theirs: Dataset, where: str) -> None:
    assert set(mine) == {int(tag) for tag in theirs.keys()}, where  # noqa: SIM118 - tags, not values
    for tag, raw in mine.items():
        expected = theirs[tag]
        items = raw[ITEMS]
        if items is not None:
            assert len(items) == len(expected.value), f"{where} {tag:08X}"
            for index, (item, other) in enumerate(zip(items, expected.value, strict=True)):
                _assert_same_values(item, other, f"{where} {tag:08X}[{index}]")
        elif not tag >> 16 & 1:  # private values are never read; pydicom guesses their VR
            assert same(mine.value(tag), expected.value), f"{where} {tag:08X}"


@pytest.mark.parametrize("name", NAMES)
def test_every_value_the_stream_decodes_is_the_value_pydicom_gives(name: str) -> None:
    data = corpus_file(name).read_bytes()
    opened = open_file(data, name)
    dataset = pydicom.dcmread(io.BytesIO(data))
    _assert_same_values(opened.root, dataset, name)


ASCII = st.binary(max_size=24).filter(lambda raw: raw.isascii())


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["AS", "CS", "DA", "DS", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UT"]),
    ASCII,
)
def test_a_text_value_decodes_as_pydicom_decodes_it(vr: str, raw: bytes) -> None:
    stream = Stream(raw, implicit=False)
    element: Raw = (vr, 0, 0, len(raw), len(raw), None)
    try:
        expected = _pydicom_value(stream, 0x00091001, element)
    except ValueError:  # pydicom refuses it: the stream reader must not accept it either
        with pytest.raises(ValueError):
            stream.decode(0x00091001, element)
        return
    assert same(stream.decode(0x00091001, element), expected)


def test_the_stream_reader_refuses_what_it_does_not_handle() -> None:
    data = _corpus_bytes("CT-RDSR-Siemens-Multi-1.dcm")
    big_endian = data.replace(b"1.2.840.10008.1.2.1\x00", b"1.2.840.10008.1.2.2\x00", 1)
    for refused in (big_endian, data[:-3], b"\x00" * 132):
        with pytest.raises(UnhandledError):
            parse(refused)


def test_a_file_the_stream_reader_leaves_to_pydicom_is_read_by_pydicom() -> None:
    data = _corpus_bytes("CT-RDSR-Siemens-Multi-1.dcm")
    bare = data[parse(data)[2] :]  # the dataset without preamble and file meta, as some spools keep it
    with pytest.raises(UnhandledError):
        open_file(bare, "input")
    assert read(bare).as_dict() == read_with_pydicom(bare).as_dict()


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        read(_corpus_bytes("Dual-RDSR-DX.dcm"))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
