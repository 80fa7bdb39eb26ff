"""Property tests: a damaged real dose report reads as a contract-shaped report or a typed error."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
from typing import Any

import pydicom
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.filereader import data_element_generator
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag, Tag

from ingest.rdsr import DoseReport, RdsrError, read
from ingest.rdsr.errors import NotDicomError
from ingest.synth import ScenarioConfig, draw_studies, write_bytes
from tests.conftest import CORPUS_DIR, corpus_file

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:pydicom")

# KERMA_FUZZ_EXAMPLES=1000 for a deeper local run; the default keeps this file under a minute on 2 cores.
EXAMPLES = int(os.environ.get("KERMA_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Cutting and overwriting bytes cost one read of the file (most end early), so these afford more examples.
FUZZ_BYTES = settings(FUZZ, max_examples=EXAMPLES * 4)

KINDS = {"not_dicom", "not_a_dose_report", "malformed", "unsupported"}
TOP_KEYS = {
    "schema", "sop_class_uid", "sop_instance_uid", "study_instance_uid", "template", "modality",
    "device", "study", "patient", "totals", "planes", "events", "warnings",
}  # fmt: skip
NESTED_KEYS = {
    "device": {
        "manufacturer", "model_name", "serial_number", "station_name", "device_observer_uid",
        "institution_name", "software_versions",
    },
    "study": {"date", "time", "accession_number", "description", "procedure_reported", "requested_procedure"},
    "patient": {"id", "sex", "age_years", "weight_kg", "height_m"},
    "totals": {
        "ct_dlp_total_mgycm", "ct_event_count", "dap_total_gym2", "dose_rp_total_gy",
        "fluoro_dap_total_gym2", "fluoro_dose_rp_total_gy", "fluoro_time_total_s",
        "acquisition_dap_total_gym2", "acquisition_dose_rp_total_gy", "acquisition_time_total_s",
        "agd_total_left_mgy", "agd_total_right_mgy", "administered_activity_mbq", "effective_dose_msv",
        "radiopharmaceutical", "radionuclide",
    },
}  # fmt: skip
PLANE_KEYS = {
    "plane", "dap_total_gym2", "dose_rp_total_gy", "fluoro_dap_total_gym2", "fluoro_dose_rp_total_gy",
    "fluoro_time_total_s", "acquisition_dap_total_gym2", "acquisition_dose_rp_total_gy",
    "acquisition_time_total_s", "reference_point_definition",
}  # fmt: skip
EVENT_KEYS = {"uid", "datetime", "kind", "acquisition_type", "protocol", "target_region", "plane"}

CORPUS_NAMES = sorted(path.name for path in CORPUS_DIR.glob("*.dcm")) if CORPUS_DIR.is_dir() else []
# Without the corpus, corpus_file() skips the test on its first example.
corpus_names = st.sampled_from(CORPUS_NAMES or ["corpus-absent.dcm"])
CT_FILE = "CT-RDSR-GEPixelMed.dcm"
SYNTHETIC_STUDIES = 8
RF_FILE = "RF-RDSR-Eurocolumbus.dcm"

# Attributes a content item (or the root) can lose; the last two live in MeasuredValueSequence items.
ITEM_ATTRIBUTES = [
    "ConceptNameCodeSequence",
    "MeasuredValueSequence",
    "MeasurementUnitsCodeSequence",
    "ValueType",
    "RelationshipType",
    "NumericValue",
]
MEASURED_VALUE_ATTRIBUTES = {"MeasurementUnitsCodeSequence", "NumericValue"}

# Value fields that can be replaced by junk, with the VR used to write the junk as it would arrive in a file.
JUNK_FIELDS: dict[str, tuple[BaseTag, str, bytes]] = {
    "NumericValue": (Tag(0x0040, 0xA30A), "DS", b" "),
    "UID": (Tag(0x0040, 0xA124), "UI", b"\x00"),
    "TextValue": (Tag(0x0040, 0xA160), "UT", b" "),
    "DateTime": (Tag(0x0040, 0xA120), "DT", b" "),
}
JUNK_STRINGS = [
    "", " ", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e999", "-1e999", "1e-999", "9" * 400,
    "abc", "1,5", "1.2.3", "--1", "0x1A", "1\\x", "\\", "1\\\\2", "1\\nan", "1e", ".", "+", "-", "\x00",
    "1\x00", "é中文", " 1 ", "1_000", "٣", "20241399", "2024-01-05T10:00", "99999999999999+9999",
]  # fmt: skip
field_names = st.sampled_from(sorted(JUNK_FIELDS))
junk_strings = st.one_of(st.sampled_from(JUNK_STRINGS), st.text(max_size=64))


@functools.cache
def _corpus_bytes(name: str) -> bytes:
    return corpus_file(name).read_bytes()


@functools.cache
def _element_ends(name: str) -> frozenset[int]:
    """Offsets where a top-level element of the file ends (the file meta's end included).

    A file cut exactly there is a shorter, well-formed dataset; a cut anywhere else lands inside an element.
    """
    data = _corpus_bytes(name)
    meta = pydicom.dcmread(io.BytesIO(data)).file_meta
    stream = io.BytesIO(data)
    stream.seek(128 + 4 + 12 + meta.FileMetaInformationGroupLength)
    ends = {stream.tell()}
    syntax = meta.TransferSyntaxUID
    for _ in data_element_generator(stream, syntax.is_implicit_VR, syntax.is_little_endian):
        ends.add(stream.tell())
    return frozenset(ends)


def assert_contract_shaped(report: DoseReport) -> None:
    """The report's JSON form has every contract key, no NaN or infinity, and plain JSON types only."""
    data = report.as_dict()
    json.dumps(data, allow_nan=False)
    assert data.keys() >= TOP_KEYS, TOP_KEYS - data.keys()
    assert data["schema"] == "kerma.dose-report/1"
    assert data["template"] in {"10011", "10001", "10021"}
    assert data["modality"] in {"CT", "RF", "DX", "MG", "NM", None}
    for key, keys in NESTED_KEYS.items():
        assert isinstance(data[key], dict), key
        assert keys <= data[key].keys(), (key, keys - data[key].keys())
    assert isinstance(data["planes"], list)
    for plane in data["planes"]:
        assert plane.keys() >= PLANE_KEYS, PLANE_KEYS - plane.keys()
    assert isinstance(data["events"], list)
    for event in data["events"]:
        assert event.keys() >= EVENT_KEYS, EVENT_KEYS - event.keys()
        assert event["kind"] in {"ct", "projection", "radiopharmaceutical"}
    assert isinstance(data["warnings"], list)
    assert all(isinstance(warning, str) for warning in data["warnings"])


def read_outcome(source: Any) -> str:
    """Read `source`: a typed error gives its kind, a report must be contract-shaped; others escape."""
    try:
        report = read(source)
    except RdsrError as err:
        assert err.kind in KINDS, err.kind
        assert str(err).strip(), f"{type(err).__name__} without a message"
        return err.kind
    assert_contract_shaped(report)
    return "ok"


def _content_items(node: Dataset) -> list[tuple[Sequence, Dataset]]:
    """Every content item under `node`, depth first in document order, each with the sequence holding it."""
    found: list[tuple[Sequence, Dataset]] = []
    sequence = node.get("ContentSequence")
    if isinstance(sequence, Sequence):
        for item in sequence:
            found.append((sequence, item))
            found.extend(_content_items(item))
    return found


def _remove(sequence: Sequence, item: Dataset) -> None:
    for index, candidate in enumerate(sequence):
        if candidate is item:
            del sequence[index]
            return


def _damage_attribute(item: Dataset, keyword: str, empty: bool) -> None:
    """Delete `keyword` from the item (or from its measured values), or set it to an empty value."""
    holders = [item]
    if keyword in MEASURED_VALUE_ATTRIBUTES:
        holders += list(item.get("MeasuredValueSequence") or [])
    for holder in holders:
        if keyword not in holder:
            continue
        if not empty:
            delattr(holder, keyword)
        elif keyword.endswith("Sequence"):
            setattr(holder, keyword, Sequence())
        else:
            setattr(holder, keyword, "")


def _to_bytes(ds: Dataset) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer)
    return buffer.getvalue()


def _junk_targets(ds: Dataset, field: str) -> list[Dataset]:
    """The datasets holding `field` as a content item value (NumericValue sits in MeasuredValueSequence)."""
    holders: list[Dataset] = []
    for _, item in _content_items(ds):
        if field == "NumericValue":
            holders += [mv for mv in item.get("MeasuredValueSequence") or [] if "NumericValue" in mv]
        elif field in item:
            holders.append(item)
    return holders


def _put_junk(holder: Dataset, field: str, junk: str, implicit_vr: bool) -> None:
    """Store `junk` as the raw bytes of `field`, exactly as a file carrying that junk would be read."""
    tag, vr, pad = JUNK_FIELDS[field]
    value = junk.encode("utf-8")
    if len(value) % 2:
        value += pad
    holder[tag] = RawDataElement(tag, vr, len(value), value, 0, implicit_vr, True, True, False)


def delete_items_and_attributes(
    ds: Dataset, deleted_items: list[int], damaged_attributes: list[tuple[int, str, bool]]
) -> None:
    """Damage attributes of the root or of content items at any depth, then delete whole content items."""
    located = _content_items(ds)
    nodes: list[Dataset] = [ds] + [item for _, item in located]
    for index, keyword, empty in damaged_attributes:
        _damage_attribute(nodes[index % len(nodes)], keyword, empty)
    for index in deleted_items:
        if located:
            sequence, item = located[index % len(located)]
            _remove(sequence, item)


def replace_with_junk(ds: Dataset, replacements: list[tuple[str, int, str]]) -> None:
    """Put junk in the chosen NumericValue, UID, TextValue or DateTime fields of the content tree."""
    implicit_vr = ds.file_meta.TransferSyntaxUID.is_implicit_VR
    for field, index, junk in replacements:
        holders = _junk_targets(ds, field)
        if holders:
            _put_junk(holders[index % len(holders)], field, junk, implicit_vr)


@functools.cache
def _synthetic_files() -> tuple[bytes, ...]:
    """A few seeded synthetic dose reports (CT, DX, RF, MG) from the project's own writer."""
    config = ScenarioConfig(
        studies=SYNTHETIC_STUDIES,
        sites=2,
        seed=20240105,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
        mix={"CT": 1.0, "DX": 1.0, "RF": 1.0, "MG": 1.0},
    )
    return tuple(write_bytes(spec) for spec in draw_studies(config))


deleted_items = st.lists(st.integers(min_value=0, max_value=2**16), max_size=6)
damaged_attributes = st.lists(
    st.tuples(st.integers(min_value=0, max_value=2**16), st.sampled_from(ITEM_ATTRIBUTES), st.booleans()),
    max_size=8,
)
replacements = st.lists(
    st.tuples(field_names, st.integers(min_value=0, max_value=2**16), junk_strings), min_size=1, max_size=8
)


@FUZZ_BYTES
@given(name=corpus_names, cut=st.integers(min_value=0, max_value=2**20))
@example(name=CT_FILE, cut=0)
@example(name=CT_FILE, cut=100)  # inside the preamble
@example(name=CT_FILE, cut=132)  # preamble and "DICM", nothing else
@example(name=CT_FILE, cut=7794)  # half the file: pydicom silently drops the tail
def test_a_truncated_corpus_file_gives_a_typed_error_or_a_contract_shaped_report(name: str, cut: int) -> None:
    data = _corpus_bytes(name)
    read_outcome(data[: cut % (len(data) + 1)])


@FUZZ_BYTES
@given(name=corpus_names, cut=st.integers(min_value=0, max_value=2**20))
@example(name=CT_FILE, cut=140)  # inside the file meta: was not_a_dose_report ("without a SOP Class UID")
@example(name=CT_FILE, cut=1000)  # inside the dataset header: was malformed ("root concept no concept")
@example(name=CT_FILE, cut=378)  # (0008,0005) header only, its value cut off: was not_a_dose_report
@example(name="RF-RDSR-Philips_Allura.dcm", cut=380)  # inside the (0008,0005) value: was not_a_dose_report
@example(name=CT_FILE, cut=7794)  # inside ContentSequence: was read as a report with 1 of 2 events
@example(name=CT_FILE, cut=15586)  # two bytes short: was read as a complete report
@example(name="CT-RDSR-Siemens-Multi-3.dcm", cut=1515)  # 1 byte of the ContentSequence header: was malformed
@example(name="RF-RDSR-Canon-Ultimaxi-mGyDoseAtRP.dcm", cut=1215)  # the same, undefined length: was malformed
def test_a_corpus_file_cut_inside_an_element_is_not_dicom(name: str, cut: int) -> None:
    # The contract's not_dicom covers "truncated". A cut exactly between two top-level elements leaves a
    # well-formed shorter dataset (left to the test above); any other cut short of the end is a truncation.
    data = _corpus_bytes(name)
    cut %= len(data)
    assume(cut not in _element_ends(name))
    with pytest.raises(NotDicomError):
        read(data[:cut])


@FUZZ_BYTES
@given(
    name=corpus_names,
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=2**20), st.integers(min_value=0, max_value=255)),
        min_size=1,
        max_size=8,
    ),
)
@example(name=CT_FILE, flips=[(128, 0)])  # the "DICM" marker broken
def test_a_corpus_file_with_random_bytes_overwritten_gives_a_typed_error_or_a_contract_shaped_report(
    name: str, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(_corpus_bytes(name))
    for position, value in flips:
        data[position % len(data)] = value
    read_outcome(bytes(data))


@FUZZ
@given(name=corpus_names, deleted_items=deleted_items, damaged_attributes=damaged_attributes)
@example(name=CT_FILE, deleted_items=[0], damaged_attributes=[])
@example(name=CT_FILE, deleted_items=[], damaged_attributes=[(0, "ConceptNameCodeSequence", False)])
@example(name=CT_FILE, deleted_items=[], damaged_attributes=[(0, "ConceptNameCodeSequence", True)])
def test_a_corpus_dataset_missing_content_items_or_attributes_gives_a_typed_error_or_a_contract_shaped_report(
    name: str, deleted_items: list[int], damaged_attributes: list[tuple[int, str, bool]]
) -> None:
    ds = pydicom.dcmread(io.BytesIO(_corpus_bytes(name)))
    delete_items_and_attributes(ds, deleted_items, damaged_attributes)
    data = _to_bytes(ds)
    read_outcome(ds)
    read_outcome(data)


@FUZZ
@given(name=corpus_names, replacements=replacements)
@example(name=CT_FILE, replacements=[("NumericValue", 0, "nan")])
@example(name=CT_FILE, replacements=[("NumericValue", 0, "1e999")])
@example(name=CT_FILE, replacements=[("NumericValue", 0, "abc")])
@example(name=RF_FILE, replacements=[("NumericValue", 1, "1\\nan")])
@example(name=CT_FILE, replacements=[("UID", 0, "")])
@example(name=CT_FILE, replacements=[("DateTime", 0, "20241399")])
def test_a_corpus_dataset_with_junk_values_gives_a_typed_error_or_a_contract_shaped_report(
    name: str, replacements: list[tuple[str, int, str]]
) -> None:
    ds = pydicom.dcmread(io.BytesIO(_corpus_bytes(name)))
    replace_with_junk(ds, replacements)
    data = _to_bytes(ds)
    read_outcome(ds)
    read_outcome(data)


@FUZZ
@given(
    index=st.integers(min_value=0, max_value=SYNTHETIC_STUDIES - 1),
    cut=st.none() | st.integers(min_value=0, max_value=2**20),
    flips=st.lists(st.tuples(st.integers(min_value=0, max_value=2**20), st.integers(0, 255)), max_size=4),
    deleted_items=deleted_items,
    damaged_attributes=damaged_attributes,
    replacements=replacements,
)
def test_a_damaged_synthetic_dose_report_gives_a_typed_error_or_a_contract_shaped_report(
    index: int,
    cut: int | None,
    flips: list[tuple[int, int]],
    deleted_items: list[int],
    damaged_attributes: list[tuple[int, str, bool]],
    replacements: list[tuple[str, int, str]],
) -> None:
    # Needs no corpus: the synthetic writer's reports get every kind of damage at once, as a dataset and
    # as bytes (the written file then also cut and overwritten at random places).
    original = _synthetic_files()[index]
    assert read_outcome(original) == "ok"
    ds = pydicom.dcmread(io.BytesIO(original))
    delete_items_and_attributes(ds, deleted_items, damaged_attributes)
    replace_with_junk(ds, replacements)
    data = bytearray(_to_bytes(ds))
    for position, value in flips:
        data[position % len(data)] = value
    if cut is not None:
        del data[cut % (len(data) + 1) :]
    read_outcome(ds)
    read_outcome(bytes(data))
