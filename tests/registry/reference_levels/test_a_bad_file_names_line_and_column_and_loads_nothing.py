"""A bad reference-level file stops the load with the line and column, and nothing of it is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from registry.models import AuditEvent, ReferenceLevel
from tests.registry.reference_levels.conftest import Load

HEADER = (
    "issuer,document,year,region,modality,exam,indication,patient_group,metric,unit,scope,statistic,value,"
    "phantom,status"
)
GOOD = "Test,Doc,2024,UK,CT,Head,,adult,dlp,mGy.cm,per_exam,P75,790,head16,verified"


def write(folder: Path, *lines: str, name: str = "drl.csv") -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (GOOD.replace(",790,", ",7.9.0,"), "drl.csv line 3, column 'value': not a number: '7.9.0'"),
        (GOOD.replace(",790,", ",,"), "drl.csv line 3, column 'value': not a number: ''"),
        (GOOD.replace(",790,", ",-5,"), "drl.csv line 3, column 'value': not a positive number: '-5'"),
        (GOOD.replace("mGy.cm", "mGy.m"), "drl.csv line 3, column 'unit': unknown unit 'mGy.m' for dlp"),
        (GOOD.replace(",dlp,", ",dlpp,"), "drl.csv line 3, column 'metric': no registry metric for 'dlpp'"),
        (GOOD.replace(",CT,", ",XX,"), "drl.csv line 3, column 'modality': 'XX' is not one of"),
        (GOOD.replace(",verified", ",checked"), "drl.csv line 3, column 'status': 'checked' is not one of"),
        (GOOD.replace(",2024,", ",20x4,"), "drl.csv line 3, column 'year': not a year: '20x4'"),
        (GOOD.replace(",Head,", ",,"), "drl.csv line 3, column 'exam': empty"),
        (GOOD, "drl.csv line 3: the same level as drl.csv line 2"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_loaded(
    tmp_path: Path, load: Load, bad_row: str, message: str
) -> None:
    path = write(tmp_path, HEADER, GOOD, bad_row)
    with pytest.raises(CommandError, match="nothing was loaded") as raised:
        load(path)
    assert message in str(raised.value)
    assert not ReferenceLevel.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_missing_column_is_named_with_line_1(tmp_path: Path, load: Load) -> None:
    path = write(tmp_path, HEADER.replace(",unit,", ","), GOOD.replace(",mGy.cm,", ","))
    with pytest.raises(CommandError, match=r"drl.csv line 1: missing column\(s\): unit"):
        load(path)
    assert not ReferenceLevel.objects.exists()


def test_a_bad_thresholds_file_keeps_a_good_drl_file_from_loading(
    published: Path, tmp_path: Path, load: Load
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(published / "drl.csv", folder / "drl.csv")
    write(
        folder,
        "issuer,document,year,modality,name,metric,unit,scope,value,status,note",
        "NCRP,Report No. 168,2010,RF,SRDL reference air kerma,dose_rp,Gray,per_exam,5,verified,",
        name="thresholds.csv",
    )
    with pytest.raises(CommandError, match=r"thresholds\.csv line 2, column 'unit': unknown unit 'Gray'"):
        load(folder)
    assert not ReferenceLevel.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path, load: Load) -> None:
    path = tmp_path / "drl.csv"
    row = GOOD.replace("Test", "T\u00e9st")  # é in Latin-1 is not UTF-8
    path.write_bytes(f"{HEADER}\n{row}\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"drl\.csv: cannot be read as UTF-8 text"):
        load(path)
    assert not ReferenceLevel.objects.exists()
