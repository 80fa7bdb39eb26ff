"""Corpus test helpers: one cached read per file, dotted-path lookup and exact comparison."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from ingest.rdsr import read
from tests.conftest import corpus_file

# Relative tolerance for every float: unit conversions are exact up to float rounding.
REL = 1e-9

SCHEMA = "kerma.dose-report/1"
XRAY_DOSE_SR_CLASS = "1.2.840.10008.5.1.4.1.1.88.67"
RADIOPHARM_DOSE_SR_CLASS = "1.2.840.10008.5.1.4.1.1.88.68"
ENHANCED_SR_CLASS = "1.2.840.10008.5.1.4.1.1.88.22"

# The keys the contract (shared/contracts/dose-report.md) and docs/reader-rules.md promise on every report.
TOP_KEYS = {
    "schema",
    "sop_class_uid",
    "sop_instance_uid",
    "study_instance_uid",
    "template",
    "modality",
    "device",
    "study",
    "patient",
    "totals",
    "planes",
    "events",
    "warnings",
}
DEVICE_KEYS = {
    "manufacturer",
    "model_name",
    "serial_number",
    "station_name",
    "device_observer_uid",
    "institution_name",
    "software_versions",
}
STUDY_KEYS = {"date", "time", "accession_number", "description", "procedure_reported", "requested_procedure"}
PATIENT_KEYS = {"id", "sex", "age_years", "weight_kg", "height_m"}
TOTAL_KEYS = {
    "ct_dlp_total_mgycm",
    "ct_event_count",
    "dap_total_gym2",
    "dose_rp_total_gy",
    "fluoro_dap_total_gym2",
    "fluoro_dose_rp_total_gy",
    "fluoro_time_total_s",
    "acquisition_dap_total_gym2",
    "acquisition_dose_rp_total_gy",
    "acquisition_time_total_s",
    "agd_total_left_mgy",
    "agd_total_right_mgy",
    "administered_activity_mbq",
    "effective_dose_msv",
    "radiopharmaceutical",
    "radionuclide",
}
PLANE_KEYS = {
    "plane",
    "dap_total_gym2",
    "dose_rp_total_gy",
    "fluoro_dap_total_gym2",
    "fluoro_dose_rp_total_gy",
    "fluoro_time_total_s",
    "acquisition_dap_total_gym2",
    "acquisition_dose_rp_total_gy",
    "acquisition_time_total_s",
    "reference_point_definition",
}
EVENT_KEYS = {
    "uid",
    "datetime",
    "kind",
    "acquisition_type",
    "protocol",
    "target_region",
    "plane",
    # CT
    "ctdivol_mgy",
    "dlp_mgycm",
    "phantom",
    "scanning_length_mm",
    "exposure_time_s",
    "pitch",
    "total_collimation_mm",
    "number_of_sources",
    "kvp",
    "tube_current_ma",
    "tube_current_max_ma",
    "sources",
    # projection
    "dap_gym2",
    "dose_rp_gy",
    "exposure_mas",
    "pulse_rate_per_s",
    "number_of_pulses",
    "irradiation_duration_s",
    "primary_angle_deg",
    "secondary_angle_deg",
    "filters",
    # mammography
    "agd_mgy",
    "entrance_exposure_mgy",
    "laterality",
    "view",
    "compression_thickness_mm",
    "hvl_mm",
    "anode",
    # radiopharmaceutical
    "administered_activity_mbq",
    "radiopharmaceutical",
    "radionuclide",
    "route",
    # several values of one quantity in one event (reader-rules: always a list, maybe empty)
    "kvp_values",
    "tube_current_ma_values",
    "tube_current_max_ma_values",
    "pulse_width_s_values",
}
VALUES_KEYS = ("kvp_values", "tube_current_ma_values", "tube_current_max_ma_values", "pulse_width_s_values")
SOURCE_KEYS = {"id", "kvp", "tube_current_ma", "tube_current_max_ma", "exposure_time_per_rotation_s"}
FILTER_KEYS = {"material", "thickness_min_mm", "thickness_max_mm"}


@functools.cache
def _read_cached(name: str) -> dict[str, Any]:
    return read(corpus_file(name)).as_dict()


def report(name: str) -> dict[str, Any]:
    """The report of one corpus file as the contract's dict, parsed once per session."""
    return _read_cached(name)


@dataclass(frozen=True)
class Time:
    """An expected clock time, compared by value so that `11:37:31` and `11:37:31.000000` agree."""

    iso: str

    def check(self, actual: object) -> None:
        assert isinstance(actual, str), f"expected a time string, got {actual!r}"
        assert re.fullmatch(r"\d\d:\d\d:\d\d(\.\d{1,6})?", actual), f"not HH:MM:SS[.ffffff]: {actual!r}"
        assert dt.time.fromisoformat(actual) == dt.time.fromisoformat(self.iso), f"{actual!r} != {self.iso!r}"


@dataclass(frozen=True)
class When:
    """An expected ISO 8601 date-time, compared by value (fractional digits may be written differently)."""

    iso: str

    def check(self, actual: object) -> None:
        assert isinstance(actual, str), f"expected an ISO 8601 string, got {actual!r}"
        assert dt.datetime.fromisoformat(actual) == dt.datetime.fromisoformat(self.iso), (
            f"{actual!r} != {self.iso!r}"
        )


@dataclass(frozen=True)
class Entry:
    """One expected value: the corpus file, a dotted path into the report and the value read by hand."""

    file: str
    path: str
    value: Any

    @property
    def id(self) -> str:
        return f"{self.file.removesuffix('.dcm')}:{self.path}"


def entries(file: str, table: Mapping[str, Any]) -> list[Entry]:
    """The rows of one file's expected-value table."""
    return [Entry(file, path, value) for path, value in table.items()]


def event(index: int, values: Mapping[str, Any]) -> dict[str, Any]:
    """Prefix an event's keys with `events[index].` (and `len(x)` with `len(events[index].x)`)."""
    prefixed: dict[str, Any] = {}
    for key, value in values.items():
        if key.startswith("len("):
            prefixed[f"len(events[{index}].{key[4:]}"] = value
        else:
            prefixed[f"events[{index}].{key}"] = value
    return prefixed


def params(rows: Iterable[Entry]) -> list[Any]:
    """pytest parameters with ids like `CT-RDSR-Siemens-Multi-2:events[1].ctdivol_mgy`."""
    return [pytest.param(row, id=row.id) for row in rows]


_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")


def lookup(document: Mapping[str, Any], path: str) -> Any:
    """Follow `a.b[2].c` (or `len(a.b)` for a list length) through the report dict."""
    length = path.startswith("len(") and path.endswith(")")
    inner = path[4:-1] if length else path
    node: Any = document
    walked = ""
    for segment in inner.split("."):
        match = _SEGMENT.fullmatch(segment)
        assert match, f"bad path segment {segment!r} in {path!r}"
        key, indexes = match.group(1), match.group(2)
        walked = f"{walked}.{key}" if walked else key
        assert isinstance(node, Mapping), f"{walked}: parent is {type(node).__name__}, not an object"
        assert key in node, f"{walked}: key missing from the report"
        node = node[key]
        for index in re.findall(r"\[(\d+)\]", indexes):
            walked += f"[{index}]"
            assert isinstance(node, list), f"{walked}: not a list but {type(node).__name__}"
            assert int(index) < len(node), f"{walked}: list has only {len(node)} items"
            node = node[int(index)]
    if length:
        assert isinstance(node, list), f"{inner}: not a list but {type(node).__name__}"
        return len(node)
    return node


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def assert_matches(actual: Any, expected: Any) -> None:
    """Exact for strings, None and ints; rel 1e-9 for floats; element-wise for lists."""
    if isinstance(expected, Time | When):
        expected.check(actual)
    elif expected is None:
        assert actual is None, f"expected null, got {actual!r}"
    elif isinstance(expected, (bool, str)):
        assert actual == expected, f"expected {expected!r}, got {actual!r}"
    elif is_number(expected):
        assert is_number(actual), f"expected the number {expected!r}, got {actual!r}"
        assert math.isfinite(actual), f"expected {expected!r}, got {actual!r}"
        assert actual == pytest.approx(expected, rel=REL, abs=0.0), f"expected {expected!r}, got {actual!r}"
    elif isinstance(expected, Sequence):
        assert isinstance(actual, list), f"expected a list {expected!r}, got {actual!r}"
        assert len(actual) == len(expected), f"expected {len(expected)} items {expected!r}, got {actual!r}"
        for got, want in zip(actual, expected, strict=True):
            assert_matches(got, want)
    else:  # pragma: no cover - table authoring error
        raise TypeError(f"unsupported expected value {expected!r}")


def check_entry(row: Entry) -> None:
    assert_matches(lookup(report(row.file), row.path), row.value)


def has_warning(document: Mapping[str, Any], *tokens: str) -> bool:
    """True when one warning contains every token (the stable tokens of docs/reader-rules.md)."""
    return any(all(token in warning for token in tokens) for warning in document["warnings"])


def assert_warning(name: str, *tokens: str) -> None:
    document = report(name)
    assert has_warning(document, *tokens), f"no warning with {tokens!r} in {document['warnings']!r}"


def assert_contract_shape(document: Mapping[str, Any]) -> None:
    """Every contract key is present: top level, sub-objects, planes, events, sources and filters."""
    assert document.keys() >= TOP_KEYS, f"missing {sorted(TOP_KEYS - document.keys())}"
    for name, keys in (
        ("device", DEVICE_KEYS),
        ("study", STUDY_KEYS),
        ("patient", PATIENT_KEYS),
        ("totals", TOTAL_KEYS),
    ):
        assert keys <= document[name].keys(), f"{name}: missing {sorted(keys - document[name].keys())}"
    assert isinstance(document["warnings"], list)
    assert all(isinstance(warning, str) and warning for warning in document["warnings"])
    for index, plane in enumerate(document["planes"]):
        assert plane.keys() >= PLANE_KEYS, f"planes[{index}]: missing {sorted(PLANE_KEYS - plane.keys())}"
    for index, event in enumerate(document["events"]):
        assert event.keys() >= EVENT_KEYS, f"events[{index}]: missing {sorted(EVENT_KEYS - event.keys())}"
        for source in event["sources"]:
            assert source.keys() >= SOURCE_KEYS, f"events[{index}].sources: missing keys"
        for item in event["filters"]:
            assert item.keys() >= FILTER_KEYS, f"events[{index}].filters: missing keys"
        for key in VALUES_KEYS:
            assert isinstance(event[key], list), f"events[{index}].{key} is not a list"


def event_uids(name: str) -> list[str]:
    return [event["uid"] for event in report(name)["events"]]
