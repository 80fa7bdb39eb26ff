"""Units, modality and repairs of a Patient Radiation Dose SR, each shown on one edited synthetic document.

Hand arithmetic: 6.2 mSv = 0.0062 Sv; 14.8 mGy = 0.0148 Gy. The edits are made with pydicom on the dataset
`ingest.synth.patient_dose` writes, so each test changes exactly one thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

from ingest.rdsr import UnsupportedError, read
from ingest.synth import ScenarioConfig, StudySpec, draw_studies
from ingest.synth.patient_dose import patient_dose_dataset
from ingest.synth.patient_dose_examples import organ_dose_spec

RRDSR = "1.2.840.10008.5.1.4.1.1.88.68"
ASSUMED_CT = "TID 10030 states no modality; CT assumed (no skin dose map, no radiopharmaceutical report)"


@pytest.fixture(scope="module")
def ct_study() -> StudySpec:
    return next(draw_studies(ScenarioConfig(studies=1, sites=1, seed=1, mix={"CT": 1.0})))


def _items(dataset: Dataset) -> Iterator[Dataset]:
    for item in dataset.get("ContentSequence") or []:
        yield item
        yield from _items(item)


def _item(dataset: Dataset, value: str) -> Dataset:
    """The first content item whose concept name has this code value."""
    return next(item for item in _items(dataset) if item.ConceptNameCodeSequence[0].CodeValue == value)


def _read(dataset: Dataset) -> dict[str, Any]:
    return read(dataset).as_dict()


def test_millisieverts_and_milligrays_are_converted_and_the_stated_values_kept(ct_study: StudySpec) -> None:
    report = _read(patient_dose_dataset(organ_dose_spec(ct_study, milli=True)))
    effective, lung = report["estimates"][:2]
    assert (effective["dose_sv"], effective["stated_value"], effective["stated_unit"]) == (
        pytest.approx(0.0062, rel=1e-12),
        6.2,
        "mSv",
    )
    assert (lung["dose_gy"], lung["stated_value"], lung["stated_unit"]) == (
        pytest.approx(0.0148, rel=1e-12),
        14.8,
        "mGy",
    )
    assert "Effective Dose (113839) converted from mSv to Sv" in report["warnings"]
    assert "Mean Absorbed Radiation Dose (128533) converted from mGy to Gy" in report["warnings"]


def test_an_effective_dose_in_grays_is_kept_as_stated_but_not_converted(ct_study: StudySpec) -> None:
    dataset = patient_dose_dataset(organ_dose_spec(ct_study))
    _item(dataset, "113839").MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue = "Gy"
    effective = _read(dataset)["estimates"][0]
    assert (effective["dose_sv"], effective["stated_value"], effective["stated_unit"]) == (None, 0.0062, "Gy")
    assert (
        "Effective Dose (113839) has unit 'Gy', not a unit of Sv; stored as null"
        in _read(dataset)["warnings"]
    )


def test_estimates_made_from_a_radiopharmaceutical_report_are_nm(ct_study: StudySpec) -> None:
    dataset = patient_dose_dataset(organ_dose_spec(ct_study))
    _item(dataset, "128416").ReferencedSOPSequence[0].ReferencedSOPClassUID = RRDSR
    report = _read(dataset)
    assert report["modality"] == "NM"
    assert ASSUMED_CT not in report["warnings"]


def test_a_procedure_reported_row_states_the_modality(ct_study: StudySpec) -> None:
    dataset = patient_dose_dataset(organ_dose_spec(ct_study))
    procedure = Dataset()
    procedure.RelationshipType, procedure.ValueType = "HAS CONCEPT MOD", "CODE"
    procedure.ConceptNameCodeSequence = [_code(codes.DCM.ProcedureReported)]
    procedure.ConceptCodeSequence = [_code(codes.SCT.ComputedTomography)]
    dataset.ContentSequence.insert(0, procedure)
    report = _read(dataset)
    assert report["modality"] == "CT"
    assert ASSUMED_CT not in report["warnings"]


def _code(code: Code) -> Dataset:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = (
        code.value,
        code.scheme_designator,
        code.meaning,
    )
    return item


def test_event_uids_beside_the_one_report_used_are_read_as_its_events(ct_study: StudySpec) -> None:
    dataset = patient_dose_dataset(organ_dose_spec(ct_study))
    used, methodology = _item(dataset, "128416"), _item(dataset, "128415")
    events = list(used.ContentSequence)
    del used.ContentSequence
    methodology.ContentSequence.extend(events)  # one level too high
    report = _read(dataset)
    assert report["estimates"][0]["sr_instances_used"][0]["event_uids"] == [e.UID for e in events]
    assert (
        "Event UID Used (128429) beside its SR Instance Used, not below it; read as its events"
        in (report["warnings"])
    )


def test_a_number_that_is_not_a_dose_concept_is_named_and_not_read(ct_study: StudySpec) -> None:
    dataset = patient_dose_dataset(organ_dose_spec(ct_study))
    representation = _item(dataset, "128412")
    mass = Dataset()
    mass.RelationshipType, mass.ValueType = "CONTAINS", "NUM"
    mass.ConceptNameCodeSequence = [_code(Code("118538004", "SCT", "Mass"))]  # TID 10023 row 4
    measured = Dataset()
    measured.NumericValue = "1000"
    measured.MeasurementUnitsCodeSequence = [_code(Code("g", "UCUM", "gram"))]
    mass.MeasuredValueSequence = [measured]
    representation.ContentSequence.append(mass)
    report = _read(dataset)
    assert len(report["estimates"]) == 5
    assert (
        "Mass (118538004) in a dose estimate is not a dose concept of CID 10061/10062; not read"
        in (report["warnings"])
    )


def test_a_document_without_an_estimate_the_reader_can_find_is_unsupported(ct_study: StudySpec) -> None:
    dataset = patient_dose_dataset(organ_dose_spec(ct_study))
    dataset.ContentSequence = [item for item in dataset.ContentSequence if item.ValueType != "CONTAINER"]
    with pytest.raises(UnsupportedError, match="TID 10030") as caught:
        read(dataset)
    assert caught.value.kind == "unsupported"
