"""TID 10040 is read by concept code anywhere under a container, so another writer's conformant file reads."""

from __future__ import annotations

from dataclasses import replace

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.uid import Comprehensive3DSRStorage, EnhancedXRayRadiationDoseSRStorage

from ingest.rdsr import DoseReport, read
from ingest.rdsr.model import Event
from ingest.synth import items as it
from ingest.synth.enhanced import enhanced_bytes, enhanced_dataset
from ingest.synth.enhanced_examples import classic_study, enhanced_spec
from ingest.synth.enhanced_runs import BIPLANE_RUNS
from ingest.synth.writer import write_dataset

BIPLANE = classic_study("biplane", BIPLANE_RUNS)


def _by_uid(report: DoseReport) -> dict[str | None, Event]:
    """Events by UID, filters in material order: the order of rows is not significant in TID 10040."""
    return {
        event.uid: replace(event, filters=tuple(sorted(event.filters, key=lambda f: f.material or "")))
        for event in report.events
    }


def test_every_row_in_reverse_order_reads_the_same_events_and_totals() -> None:
    usual = read(enhanced_bytes(enhanced_spec(BIPLANE, BIPLANE_RUNS)))
    reversed_rows = read(enhanced_bytes(enhanced_spec(BIPLANE, BIPLANE_RUNS, reversed_rows=True)))
    assert _by_uid(reversed_rows) == _by_uid(usual)
    assert sorted(reversed_rows.planes, key=lambda plane: plane.plane) == list(usual.planes)
    assert reversed_rows.totals.dap_total_gym2 == pytest.approx(usual.totals.dap_total_gym2)


def test_a_dose_nested_one_container_deeper_in_the_summary_is_still_read() -> None:
    ds = enhanced_dataset(enhanced_spec(BIPLANE, BIPLANE_RUNS))
    for summary in _summaries(ds):
        dose = [row for row in summary.ContentSequence if _code(row) == "113738"]
        summary.ContentSequence = [row for row in summary.ContentSequence if _code(row) != "113738"]
        summary.ContentSequence.append(it.container(codes.DCM.ReferencePointDosimetry, dose))
    report = read(ds)
    assert [event.dose_rp_gy for event in report.events] == [0.003, 0.002, 0.012, 0.009]


def test_an_enhanced_tree_in_a_comprehensive_3d_sr_is_read_as_template_10040() -> None:
    ds = enhanced_dataset(enhanced_spec(BIPLANE, BIPLANE_RUNS))
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = Comprehensive3DSRStorage
    report = read(ds)
    assert (report.template, len(report.events)) == ("10040", 4)


def test_a_classic_tree_in_the_enhanced_class_is_read_as_its_own_template_with_a_warning() -> None:
    ds = write_dataset(BIPLANE)
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = EnhancedXRayRadiationDoseSRStorage
    report = read(ds)
    assert (report.template, len(report.events)) == ("10001", 4)
    assert any("TID 10001/10011 tree" in warning for warning in report.warnings)


def _summaries(ds: pydicom.Dataset) -> list[Dataset]:
    return [row for row in ds.ContentSequence if _code(row) == "130501"]


def _code(row: Dataset) -> str:
    return str(row.ConceptNameCodeSequence[0].CodeValue)
