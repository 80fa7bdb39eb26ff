"""The load test's payloads (bench/load): each hospital's own unique, readable reports, and a valid STOW body.

The locustfile itself is only loaded in a child process: importing locust patches this interpreter (gevent).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load.payloads import (
    STOW_BOUNDARY,
    STOW_CONTENT_TYPE,
    draw_pools,
    pool_files,
    pool_matches,
    stow_body,
    think_time,
    write_pools,
)
from bench.load.run import pool_size
from ingest.api.multipart import media_type, split_parts
from ingest.rdsr import read
from tests.conftest import PROJECT_ROOT

LOCUST = Path(sys.executable).with_name("locust")


def test_each_hospital_gets_reports_of_its_own_site_and_no_sop_instance_uid_twice() -> None:
    pools = draw_pools(hospitals=3, per_hospital=5, seed=1)

    assert sorted(pools) == ["S01", "S02", "S03"]
    assert all(len(pool) == 5 and {spec.site.code for spec in pool} == {code} for code, pool in pools.items())
    uids = [spec.sop_uid for pool in pools.values() for spec in pool]
    assert len(set(uids)) == len(uids) == 15


def test_a_written_pool_is_read_as_dose_reports_and_reused_when_large_enough(tmp_path: Path) -> None:
    pools = draw_pools(hospitals=2, per_hospital=2, seed=1)

    assert write_pools(tmp_path, pools, seed=1, processes=1) == 4

    for code, pool in pools.items():
        reports = [read(path.read_bytes()) for path in pool_files(tmp_path / code)]
        assert [report.sop_instance_uid for report in reports] == [spec.sop_uid for spec in pool]
    assert pool_matches(tmp_path, hospitals=1, per_hospital=2, seed=1)
    assert not pool_matches(tmp_path, hospitals=2, per_hospital=3, seed=1)
    assert not pool_matches(tmp_path, hospitals=2, per_hospital=2, seed=2)


def test_the_stow_body_is_one_application_dicom_part_with_the_file_unchanged() -> None:
    data = b"DICM" + bytes(range(256)) + b"\r\n--not-the-boundary"

    parts = split_parts(stow_body(data), media_type(STOW_CONTENT_TYPE).params["boundary"])

    assert media_type(STOW_CONTENT_TYPE).params == {"type": "application/dicom", "boundary": STOW_BOUNDARY}
    assert [(part.content_type, part.data) for part in parts] == [("application/dicom", data)]


@pytest.mark.parametrize(("text", "bounds"), [("2,8", (2.0, 8.0)), ("5", (5.0, 5.0)), ("0,0.5", (0.0, 0.5))])
def test_the_think_time_is_a_range_of_seconds(text: str, bounds: tuple[float, float]) -> None:
    assert think_time(text) == bounds


@pytest.mark.parametrize("text", ["8,2", "-1,2", "two"])
def test_a_think_time_that_is_no_range_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        think_time(text)


def test_the_pool_outlasts_a_hospital_sending_without_response_time() -> None:
    assert pool_size(600, (2, 8)) == 160  # 120 reports on average in 10 minutes
    assert pool_size(120, (2, 8)) == 40


@pytest.mark.skipif(not LOCUST.exists(), reason="locust is not installed (requirements-dev.txt)")
def test_locust_loads_the_scenario_and_finds_the_hospital_user() -> None:
    listed = subprocess.run(  # noqa: S603 - our own venv's locust
        [str(LOCUST), "--locustfile", "bench/load/locustfile.py", "--list"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "KERMA_LOAD_THINK": "2,8"},
    )

    assert listed.returncode == 0, listed.stderr
    assert "HospitalUser" in listed.stdout
