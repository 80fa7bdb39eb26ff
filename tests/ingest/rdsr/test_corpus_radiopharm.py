"""For the real radiopharmaceutical dose report in the corpus the reader gives the values read by hand."""

from __future__ import annotations

import pytest

from tests.ingest.rdsr._corpus import Entry, assert_contract_shape, check_entry, params, report
from tests.ingest.rdsr.expected.radiopharm import NM_RRDSR, RADIOPHARM_EXPECTED, RADIOPHARM_FILES


@pytest.mark.parametrize("row", params(RADIOPHARM_EXPECTED))
def test_radiopharmaceutical_report_value_matches_the_dicom_content(row: Entry) -> None:
    check_entry(row)


@pytest.mark.parametrize("name", RADIOPHARM_FILES)
def test_radiopharmaceutical_report_carries_every_contract_key(name: str) -> None:
    assert_contract_shape(report(name))


def test_administered_activity_total_is_the_sum_over_administrations() -> None:
    # One 113502 administration of 394 MBq; the total is the sum of 113507 over administrations.
    document = report(NM_RRDSR)
    activities = [event["administered_activity_mbq"] for event in document["events"]]
    assert activities == pytest.approx([394], rel=1e-9)
    assert document["totals"]["administered_activity_mbq"] == pytest.approx(sum(activities), rel=1e-9)


def test_effective_dose_comes_from_the_siemens_private_container() -> None:
    # (220001, 99SHS, "Effective Dose Information") > 113839 7.486 mSv.
    assert report(NM_RRDSR)["totals"]["effective_dose_msv"] == pytest.approx(7.486, rel=1e-9)


def test_radiopharmaceutical_report_has_no_x_ray_values() -> None:
    document = report(NM_RRDSR)
    assert document["planes"] == []
    for event in document["events"]:
        assert event["kind"] == "radiopharmaceutical"
        assert event["kvp"] is None
        assert event["sources"] == []
        assert event["filters"] == []
