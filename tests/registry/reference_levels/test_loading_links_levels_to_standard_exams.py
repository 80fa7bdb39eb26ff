"""Loading the published CSVs creates one level per row, each DRL linked to its standard exam."""

from __future__ import annotations

from pathlib import Path

from registry.models import AuditEvent, LevelKind, ReferenceLevel, StandardExam
from tests.registry.reference_levels.conftest import Load, ukhsa_head_dlp


def test_every_loadable_row_becomes_a_current_level(published: Path, load: Load) -> None:
    load(published)
    # drl.csv has 77 rows; thresholds.csv 12, of which the peak skin dose row is skipped.
    assert ReferenceLevel.objects.filter(kind=LevelKind.DRL).count() == 77
    assert ReferenceLevel.objects.filter(kind=LevelKind.THRESHOLD).count() == 11
    assert ReferenceLevel.objects.current().count() == 88


def test_a_drl_is_linked_to_its_exam_with_its_source_details(published: Path, load: Load) -> None:
    load(published)
    level = ukhsa_head_dlp()
    assert level.exam is not None
    assert (level.exam.modality, level.exam.name) == ("CT", "Head")
    assert (level.value, level.unit, level.source_unit) == (790, "mGy.cm", "mGy.cm")
    assert level.document == "National Diagnostic Reference Levels (NDRLs) for adult CT"
    assert (level.year, level.region, level.patient_group) == (2022, "UK", "adult")
    assert (level.scope, level.statistic, level.phantom, level.status) == (
        "per_exam",
        "P75",
        "head16",
        "verified",
    )
    assert (level.version, level.site, level.supersedes) == (1, None, None)


def test_a_threshold_keeps_its_name_and_has_no_exam(published: Path, load: Load) -> None:
    load(published)
    level = ReferenceLevel.objects.get(issuer="NCRP", metric="dose_rp")
    assert (level.kind, level.exam, level.name) == (LevelKind.THRESHOLD, None, "SRDL reference air kerma")
    assert (level.value, level.unit, level.note) == (5, "Gy", "patient follow-up")


def test_an_exam_missing_from_the_catalogue_is_created_once(tmp_path: Path, load: Load) -> None:
    header = (
        "issuer,document,year,region,modality,exam,indication,patient_group,metric,unit,scope,statistic,value,"
        "phantom,status"
    )
    rows = [
        "Test,Doc,2024,UK,CT,Made-up exam,,adult,dlp,mGy.cm,per_exam,P75,100,body32,verified",
        "Test,Doc,2024,UK,CT,made-up EXAM,,adult,ctdivol,mGy,per_sequence,P75,10,body32,verified",
    ]
    (tmp_path / "drl.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    load(tmp_path / "drl.csv")
    exams = StandardExam.objects.filter(modality="CT", name__iexact="made-up exam")
    assert exams.count() == 1
    assert exams.get().reference_levels.count() == 2


def test_each_created_level_has_one_audit_row_by_the_system(published: Path, load: Load) -> None:
    load(published)
    events = AuditEvent.objects.filter(action="reference_level.created")
    assert events.count() == 88
    event = events.get(object_id=str(ukhsa_head_dlp().pk))
    assert (event.actor, event.actor_label, event.before) == (None, "system", None)
    assert event.after is not None
    assert event.after["value"] == 790
    assert event.detail == {"source": "drl.csv line 3"}
