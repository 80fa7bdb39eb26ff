"""`manage.py synth_rdsr` writes one file per study under DIR/<site>/<study uid>/ and summarises the run."""

from __future__ import annotations

import io
from pathlib import Path

import pydicom
import pytest
from django.core.management import CommandError, call_command


def run(tmp_path: Path, *args: str) -> tuple[str, list[Path]]:
    out = io.StringIO()
    call_command("synth_rdsr", "--out", str(tmp_path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue(), sorted(tmp_path.rglob("*.dcm"))


def test_writes_one_file_per_study_in_site_folders_without_a_tty(tmp_path: Path) -> None:
    summary, files = run(tmp_path, "--studies", "12", "--sites", "3", "--seed", "4")
    assert len(files) == 12
    assert {f.relative_to(tmp_path).parts[0] for f in files} <= {"S01", "S02", "S03"}
    assert summary.startswith("Wrote 12 dose SRs") and summary.count("\n") == 1


def test_files_are_dicom_named_by_their_uids(tmp_path: Path) -> None:
    _, files = run(tmp_path, "--studies", "3", "--sites", "1")
    for path in files:
        ds = pydicom.dcmread(path)
        assert (path.parent.name, path.stem) == (ds.StudyInstanceUID, ds.SOPInstanceUID)


def test_modalities_and_dates_restrict_what_is_drawn(tmp_path: Path) -> None:
    _, files = run(
        tmp_path,
        "--studies",
        "5",
        "--sites",
        "2",
        "--modalities",
        "mg",
        "--date-from",
        "2024-01-01",
        "--date-to",
        "2024-01-02",
    )
    for path in files:
        ds = pydicom.dcmread(path)
        assert ds.ContentSequence[0].ConceptCodeSequence[0].CodeMeaning == "Mammography"
        assert ds.StudyDate in ("20240101", "20240102")


def test_the_same_seed_rewrites_the_same_files(tmp_path: Path) -> None:
    _, first = run(tmp_path / "a", "--studies", "4", "--seed", "3")
    _, second = run(tmp_path / "b", "--studies", "4", "--seed", "3")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@pytest.mark.parametrize(
    "args",
    [["--modalities", "XA"], ["--date-from", "2024-13-01"], ["--sites", "0"], ["--date-from", "2030-01-01"]],
)
def test_bad_usage_is_a_command_error(tmp_path: Path, args: list[str]) -> None:
    with pytest.raises(CommandError):
        run(tmp_path, "--studies", "1", *args)


def test_parallel_encoding_writes_the_same_bytes(tmp_path: Path) -> None:
    _, serial = run(tmp_path / "serial", "--studies", "6", "--workers", "1")
    _, parallel = run(tmp_path / "parallel", "--studies", "6", "--workers", "2")
    assert [p.read_bytes() for p in serial] == [p.read_bytes() for p in parallel]
