"""`manage.py rdsr_dump`: JSON Lines in the contract's shape, typed errors, exit status, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT, corpus_file


def _dump(*paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py with test paths
        [sys.executable, "manage.py", "rdsr_dump", *paths],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_readable_files_give_one_report_line_each_in_order_and_exit_0() -> None:
    ct, rf = str(corpus_file("CT-RDSR-Siemens-Multi-1.dcm")), str(corpus_file("RF-RDSR-GE.dcm"))
    result = _dump(ct, rf)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0
    assert [line["source"] for line in lines] == [ct, rf]
    assert lines[0]["report"]["schema"] == "kerma.dose-report/1"
    # CT Dose Length Product Total (113813) in Multi-1 is 7.46 mGy.cm (its one localizer)
    assert lines[0]["report"]["totals"]["ct_dlp_total_mgycm"] == 7.46
    assert lines[1]["report"]["modality"] == "RF"


def test_rejected_files_give_an_error_line_with_kind_and_message_and_exit_1(tmp_path: Path) -> None:
    not_dicom = tmp_path / "notes.txt"
    not_dicom.write_text("this is not a dose report")
    image = str(corpus_file("negative/CT-SC-Philips_Brilliance16P.dcm"))
    good = str(corpus_file("DX-RDSR-Canon_CXDI.dcm"))
    result = _dump(str(not_dicom), image, good, str(tmp_path / "missing.dcm"))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert [line.get("error", {}).get("kind") for line in lines] == [
        "not_dicom",
        "not_a_dose_report",
        None,
        "not_dicom",
    ]
    assert "Secondary Capture" in lines[1]["error"]["message"]
    assert "missing.dcm" in lines[3]["error"]["message"]
    assert "Traceback" not in result.stderr + result.stdout


def test_no_paths_is_a_usage_error_with_exit_2() -> None:
    result = _dump()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
