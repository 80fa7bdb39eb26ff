"""For each real CT dose report in the corpus the reader gives the values read by hand from its DICOM tree."""

from __future__ import annotations

import pytest

from tests.ingest.rdsr._corpus import (
    Entry,
    assert_contract_shape,
    assert_warning,
    check_entry,
    params,
    report,
)
from tests.ingest.rdsr.expected.ct import (
    CONTINUED_1,
    CT_EXPECTED,
    CT_FILES,
    FLASH,
    GE_PIXELMED,
    GE_VCT,
    MULTI_1,
    NM_CT,
    TOSHIBA_DOSECHECK,
    TOSHIBA_PIXELMED,
)


@pytest.mark.parametrize("row", params(CT_EXPECTED))
def test_ct_report_value_matches_the_dicom_content(row: Entry) -> None:
    check_entry(row)


@pytest.mark.parametrize("name", CT_FILES)
def test_ct_report_carries_every_contract_key(name: str) -> None:
    assert_contract_shape(report(name))


@pytest.mark.parametrize("name", CT_FILES)
def test_ct_events_are_ct_kind_without_plane_or_projection_values(name: str) -> None:
    document = report(name)
    assert document["events"], "a CT report has at least one irradiation event"
    for event in document["events"]:
        assert event["kind"] == "ct"
        assert event["plane"] is None
        assert event["dap_gym2"] is None
        assert event["dose_rp_gy"] is None
    assert document["planes"] == []
    assert document["totals"]["dap_total_gym2"] is None
    assert document["totals"]["agd_total_left_mgy"] is None
    assert document["totals"]["administered_activity_mbq"] is None


def test_dual_source_kvp_is_the_mean_of_the_two_sources_never_their_sum() -> None:
    # Flash QA 113831 A / B kVp per event: 100/140, 120/120, 120/120, 140/140, 100/100, 80/80, 120/120 x3
    expected_kvp = [120, 120, 120, 140, 100, 80, 120, 120, 120]
    events = report(FLASH)["events"]
    assert [len(event["sources"]) for event in events] == [2] * 9
    assert [event["number_of_sources"] for event in events] == [2] * 9
    assert [event["kvp"] for event in events] == pytest.approx(expected_kvp, rel=1e-9)
    first = events[0]
    assert [source["kvp"] for source in first["sources"]] == pytest.approx([100, 140], rel=1e-9)
    assert first["kvp"] != pytest.approx(240)
    assert first["tube_current_ma"] == pytest.approx(353.5, rel=1e-9)  # (399 + 308) / 2, not 707


@pytest.mark.parametrize("name", [GE_VCT, FLASH])
def test_dlp_sent_in_mgycm_is_read_as_mgy_cm_and_flagged(name: str) -> None:
    # GE VCT and Siemens Flash spell the 113813 / 113838 unit `mGycm` (no dot).
    assert_warning(name, "mGycm", "113813")


def test_ct_target_region_with_an_empty_code_is_null_and_flagged() -> None:
    # GEPixelMed: CODE 123014 with an empty ConceptCodeSequence in both events.
    document = report(GE_PIXELMED)
    assert [event["target_region"] for event in document["events"]] == [None, None]
    assert_warning(GE_PIXELMED, "123014", "empty")


@pytest.mark.parametrize("name", [GE_PIXELMED, TOSHIBA_PIXELMED])
def test_values_read_off_a_dose_screen_are_flagged(name: str) -> None:
    # Source of Dose Information 113854 = 113868 "Derived From Human-Readable Reports".
    assert_warning(name, "113868")


@pytest.mark.parametrize("name", [MULTI_1, CONTINUED_1, FLASH, NM_CT])
def test_siemens_scan_parameter_comments_are_flagged(name: str) -> None:
    # Each Siemens 113819 carries TEXT 121106 "Internal technical scan parameters: Organ Characteristic ...".
    assert_warning(name, "Comment", "Internal technical scan parameters")


def test_utf8_character_set_of_the_toshiba_dose_check_report_is_flagged() -> None:
    # SpecificCharacterSet ISO_IR 192.
    assert_warning(TOSHIBA_DOSECHECK, "ISO_IR 192")


def test_phantom_stated_beside_the_dlp_total_fills_an_event_without_ct_dose() -> None:
    # ToshibaPixelMed event 0 has no 113829 container; 113813 carries 113835 = 113691 (body).
    first = report(TOSHIBA_PIXELMED)["events"][0]
    assert first["ctdivol_mgy"] is None
    assert first["dlp_mgycm"] is None
    assert first["phantom"] == "body32"


def test_localizer_without_a_ct_dose_container_has_null_doses_not_zero() -> None:
    # GE VCT events 0-3 are localizers with no 113829 container.
    for event in report(GE_VCT)["events"][:4]:
        assert event["acquisition_type"] == "Constant Angle Acquisition"
        assert event["ctdivol_mgy"] is None
        assert event["dlp_mgycm"] is None
