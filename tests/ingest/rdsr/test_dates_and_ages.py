"""DICOM dates, times and ages turned into ISO strings and years."""

from __future__ import annotations

import pytest

from ingest.rdsr.header import _age_from_birth_date, _age_from_string
from ingest.rdsr.values import iso_datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20180105172103.083003", "2018-01-05T17:21:03.083003"),
        ("20190316132623", "2019-03-16T13:26:23"),
        ("20160818192617.043", "2016-08-18T19:26:17.043"),
        ("20200108101500+0100", "2020-01-08T10:15:00+01:00"),
        ("20200108", "2020-01-08"),
        ("", None),
        ("yesterday", None),
    ],
)
def test_a_dicom_datetime_becomes_iso_8601(value: str, expected: str | None) -> None:
    assert iso_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("060Y", 60.0),
        ("89Y", 89.0),
        ("100Y", 100.0),
        ("006M", 0.5),
        ("026W", 0.498),
        ("010D", 0.027),
        ("", None),
    ],
)
def test_patient_age_strings_become_years(value: str, expected: float | None) -> None:
    assert _age_from_string(value) == expected


@pytest.mark.parametrize(
    ("birth", "study", "expected"),
    [
        ("19580421", "2016-08-18", 58.0),  # birthday passed this year
        ("19230930", "2017-11-15", 94.0),
        ("19660716", "2020-01-08", 53.0),  # birthday still to come this year
        ("20180101", "2018-01-10", 0.025),  # 9 days old
        ("99990101", "2022-02-24", None),  # placeholder after the study date
        ("", "2022-02-24", None),
    ],
)
def test_age_from_birth_date_is_completed_years(birth: str, study: str, expected: float | None) -> None:
    assert _age_from_birth_date(birth, study) == expected
