"""The writer makes valid, reproducible X-Ray Radiation Dose SRs (PS3.3 A.35.8) from a seeded scenario."""

from __future__ import annotations

import io
import statistics

import pydicom
import pytest
from pydicom.uid import ExplicitVRLittleEndian, XRayRadiationDoseSRStorage

from ingest.synth import ScenarioConfig, draw_studies, vocab, write_bytes
from ingest.synth.spec import CtReportSpec, StudySpec, VariantSpec
from ingest.synth.writer import write_dataset


def scenario(seed: int = 0, studies: int = 40, **options: object) -> list[StudySpec]:
    return list(draw_studies(ScenarioConfig(studies=studies, sites=4, seed=seed, **options)))  # type: ignore[arg-type]


def first(modality: str) -> StudySpec:
    return next(spec for spec in scenario() if spec.modality == modality)


@pytest.mark.parametrize(
    ("modality", "template"), [("CT", "10011"), ("DX", "10001"), ("RF", "10001"), ("MG", "10001")]
)
def test_every_modality_is_a_part10_dose_sr_with_its_template(modality: str, template: str) -> None:
    ds = pydicom.dcmread(io.BytesIO(write_bytes(first(modality))))
    assert ds.file_meta.MediaStorageSOPClassUID == ds.SOPClassUID == XRayRadiationDoseSRStorage
    assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert ds.ContentTemplateSequence[0].TemplateIdentifier == template
    assert (ds.Modality, ds.CompletionFlag, ds.VerificationFlag) == ("SR", "COMPLETE", "UNVERIFIED")
    assert ds.ConceptNameCodeSequence[0].CodeValue == "113701"


def test_the_same_seed_gives_identical_bytes() -> None:
    assert [write_bytes(s) for s in scenario(seed=5)] == [write_bytes(s) for s in scenario(seed=5)]


def test_different_seeds_give_different_studies() -> None:
    assert {s.study_uid for s in scenario(seed=1)}.isdisjoint(s.study_uid for s in scenario(seed=2))
    assert write_bytes(scenario(seed=1)[0]) != write_bytes(scenario(seed=2)[0])


def test_template_identifier_can_be_left_out() -> None:
    spec = first("RF")
    bare = StudySpec(**{**spec.__dict__, "variant": VariantSpec(with_template_id=False)})
    assert "ContentTemplateSequence" not in write_dataset(bare)


def test_every_numeric_value_fits_a_ds_string() -> None:
    def walk(items: pydicom.Sequence) -> None:
        for item in items:
            for measured in item.get("MeasuredValueSequence", []):
                values = measured["NumericValue"].value
                assert all(
                    len(str(text)) <= 16 for text in (values if isinstance(values, list) else [values])
                )
            walk(item.get("ContentSequence", []))

    for spec in scenario(studies=20):
        walk(write_dataset(spec).ContentSequence)


def test_device_observer_uids_are_fixed_per_device_whatever_the_seed() -> None:
    per_station = {
        (s.device.station_name, s.device.observer_uid) for s in scenario(seed=1) + scenario(seed=9)
    }
    assert len(per_station) == len({station for station, _ in per_station})


def test_patients_are_obviously_synthetic_and_plausible() -> None:
    for spec in scenario(studies=100):
        assert spec.patient.name.startswith("SYNTHETIC^PATIENT")
        assert 45 <= spec.patient.weight_kg <= 120 and 1.4 <= spec.patient.height_m <= 2.0
        assert spec.modality != "MG" or spec.patient.sex == "F"


def test_sites_name_the_same_exam_differently() -> None:
    names: dict[str, set[str]] = {}
    for spec in scenario(studies=300, mix={"CT": 1.0}):
        names.setdefault(spec.site.code, set()).add(spec.description)
    assert len(set.union(*names.values())) > len(next(iter(names.values())))


def test_the_last_site_doses_about_sixty_percent_above_the_others() -> None:
    dlp: dict[str, list[float]] = {}
    for spec in scenario(studies=600, mix={"CT": 1.0}):
        report = spec.report
        if isinstance(report, CtReportSpec) and report.events[-1].target_region == vocab.HEAD:
            dlp.setdefault(spec.site.code, []).append(report.dlp_total_mgycm)
    others = statistics.median(dlp["S01"] + dlp["S02"] + dlp["S03"])
    assert 1.3 < statistics.median(dlp["S04"]) / others < 2.0


def test_dates_stay_in_the_range_asked_for() -> None:
    import datetime as dt

    start, end = dt.date(2024, 3, 1), dt.date(2024, 3, 31)
    assert all(start <= s.study_datetime.date() <= end for s in scenario(date_from=start, date_to=end))


@pytest.mark.parametrize(
    "options",
    [
        {"sites": 0},
        {"high_dose_site": 7},
        {"mix": {}},
        {"date_from": __import__("datetime").date(2030, 1, 1)},
    ],
)
def test_impossible_settings_fail_at_once(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ScenarioConfig(**{"studies": 1, **options})  # type: ignore[arg-type]
