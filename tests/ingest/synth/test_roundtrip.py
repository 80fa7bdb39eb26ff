"""Property: whatever a spec says, the reader gives back value for value in the contract's canonical units."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from ingest.rdsr import read
from ingest.synth import ScenarioConfig, StudySpec, draw_studies, write_bytes, write_dataset
from ingest.synth.spec import ProjectionReportSpec
from tests.ingest.synth.expected import expected_report
from tests.ingest.synth.strategies import studies


def assert_matches(actual: Any, expected: Any, path: str = "report") -> None:
    """Every key of `expected` equals the actual one; floats to 1e-9 relative (unit scaling rounds)."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing"
            assert_matches(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (
            f"{path}: {actual!r} != {expected!r}"
        )
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_matches(got, want, f"{path}[{index}]")
    elif isinstance(expected, float) and not isinstance(actual, bool):
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-15), f"{path}: {actual!r} != {expected!r}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def expected_warnings(spec: StudySpec) -> list[str]:
    """Tokens the reader must warn about for this spec's deliberate deviations (reader-rules, Warnings)."""
    tokens = []
    if not spec.variant.with_template_id:
        tokens.append("ContentTemplateSequence")
    report = spec.report
    if isinstance(report, ProjectionReportSpec):
        planes, events = report.planes, report.events
        if spec.variant.dap_unit != "Gy.m2" and any(e.dap_gym2 is not None for e in events):
            tokens.append(spec.variant.dap_unit)
        if spec.variant.dose_rp_unit != "Gy" and any(p.dose_rp_total_gy is not None for p in planes):
            tokens.append("113725")
        if any(len(e.kvp) > 1 for e in events):
            tokens.append("113733")
    return tokens


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studies())
def test_any_spec_reads_back_value_for_value(spec: StudySpec) -> None:
    report = read(write_bytes(spec)).as_dict()
    assert_matches(report, expected_report(spec))
    for token in expected_warnings(spec):
        assert any(token in warning for warning in report["warnings"]), (token, report["warnings"])


@settings(max_examples=40, deadline=None)
@given(studies())
def test_a_dataset_reads_like_its_bytes(spec: StudySpec) -> None:
    assert read(write_dataset(spec)).as_dict() == read(write_bytes(spec)).as_dict()


@pytest.mark.parametrize("number", range(60))
def test_scenario_studies_read_back_without_warnings_in_standard_units(number: int) -> None:
    spec = list(draw_studies(ScenarioConfig(studies=60, sites=4, seed=7)))[number]
    report = read(write_bytes(spec)).as_dict()
    assert_matches(report, expected_report(spec))
    if spec.variant.dap_unit == "Gy.m2" and spec.variant.dose_rp_unit == "Gy":
        assert report["warnings"] == []
