"""For each real RF, DX and MG dose report in the corpus the reader gives the values read by hand from it."""

from __future__ import annotations

import pytest

from tests.ingest.rdsr._corpus import (
    Entry,
    assert_contract_shape,
    assert_warning,
    check_entry,
    has_warning,
    params,
    report,
)
from tests.ingest.rdsr.expected.projection import (
    ALLURA,
    CANON_CXDI,
    CANON_ULTIMAX,
    DGYCM2,
    DUAL_DX,
    EUROCOLUMBUS,
    GE_RF,
    HOLOGIC,
    MGY,
    NO_KVP,
    PRISTINA_2D,
    PRISTINA_DBT,
    PROJECTION_EXPECTED,
    PROJECTION_FILES,
    ZEE,
)

REL = 1e-9


@pytest.mark.parametrize("row", params(PROJECTION_EXPECTED))
def test_projection_report_value_matches_the_dicom_content(row: Entry) -> None:
    check_entry(row)


@pytest.mark.parametrize("name", PROJECTION_FILES)
def test_projection_report_carries_every_contract_key(name: str) -> None:
    assert_contract_shape(report(name))


@pytest.mark.parametrize("name", PROJECTION_FILES)
def test_projection_events_are_single_plane_projection_events_without_ct_values(name: str) -> None:
    # Every 113706 and every 113702 in the corpus is qualified by 113764 = 113622 Single Plane.
    document = report(name)
    assert [plane["plane"] for plane in document["planes"]] == ["single"]
    for event in document["events"]:
        assert event["kind"] == "projection"
        assert event["plane"] == "single"
        assert event["ctdivol_mgy"] is None
        assert event["dlp_mgycm"] is None
        assert event["sources"] == []
    assert document["totals"]["ct_dlp_total_mgycm"] is None


def test_canon_ultimax_dap_in_dgy_cm2_becomes_gy_m2() -> None:
    # 113722 126.596 dGy.cm2 and 122130 1.323 dGy.cm2 (event 0); 1 dGy.cm2 = 1e-5 Gy.m2.
    document = report(CANON_ULTIMAX)
    assert document["totals"]["dap_total_gym2"] == pytest.approx(126.596 * DGYCM2, rel=REL)
    assert document["totals"]["dap_total_gym2"] == pytest.approx(0.00126596, rel=REL)
    assert document["events"][0]["dap_gym2"] == pytest.approx(1.323e-5, rel=REL)
    assert_warning(CANON_ULTIMAX, "dGy.cm2", "122130")
    assert_warning(CANON_ULTIMAX, "dGy.cm2", "113722")


def test_canon_ultimax_dose_at_reference_point_in_mgy_becomes_gy() -> None:
    # 113725 30.573 mGy, 113738 0.384 mGy (event 0).
    document = report(CANON_ULTIMAX)
    assert document["totals"]["dose_rp_total_gy"] == pytest.approx(30.573 * MGY, rel=REL)
    assert document["events"][0]["dose_rp_gy"] == pytest.approx(0.000384, rel=REL)
    assert_warning(CANON_ULTIMAX, "mGy", "113738")
    assert_warning(CANON_ULTIMAX, "PARTIAL")


def test_eurocolumbus_per_pulse_kvp_gives_the_mean_of_the_non_zero_pulses() -> None:
    # Event 0: 113733 NumericValue: 22 values, the first 0; 113734 0 then 21 x 50; 113793 0 then 21 x 8 ms.
    first = report(EUROCOLUMBUS)["events"][0]
    assert len(first["kvp_values"]) == 22
    assert first["kvp"] == pytest.approx(1190 / 21, rel=REL)
    assert first["tube_current_ma"] == pytest.approx(50, rel=REL)
    assert len(first["pulse_width_s_values"]) == 22
    assert_warning(EUROCOLUMBUS, "113733", "values")
    assert_warning(EUROCOLUMBUS, "113734", "values")


def test_eurocolumbus_items_without_relationship_type_are_read_and_flagged() -> None:
    # 113738 Dose (RP), 113791, 113768 ... lack RelationshipType in all four events.
    events = report(EUROCOLUMBUS)["events"]
    assert [event["dose_rp_gy"] for event in events] == pytest.approx(
        [0.000136008, 5.85702e-05, 9.6641e-05, 9.95699e-05], rel=REL
    )
    assert [event["number_of_pulses"] for event in events] == [22, 20, 34, 35]
    assert [event["pulse_rate_per_s"] for event in events] == pytest.approx([12] * 4, rel=REL)
    assert_warning(EUROCOLUMBUS, "RelationshipType")


@pytest.mark.parametrize("name", [PRISTINA_2D, PRISTINA_DBT])
def test_ge_pristina_repeated_kvp_items_are_gathered_per_event(name: str) -> None:
    # 2D: two 113733 / 113734 NUM items per event; DBT: ten.
    for event in report(name)["events"]:
        assert len(event["kvp_values"]) == event["number_of_pulses"]
        assert len(event["tube_current_ma_values"]) == event["number_of_pulses"]
        assert min(event["kvp_values"]) <= event["kvp"] <= max(event["kvp_values"])
    assert_warning(name, "113733", "repeated")
    assert_warning(name, "113734", "repeated")


def test_ge_rf_device_observer_uid_sent_as_text_is_used_and_flagged() -> None:
    document = report(GE_RF)
    assert document["device"]["device_observer_uid"] == "1.3.6.1.4.1.45593.912345678.9876543123"
    assert_warning(GE_RF, "121012", "TEXT")


def test_ge_rf_units_with_scheme_ucm_are_read_without_conversion() -> None:
    # 122130 [Gy.m2 | UCM], 113738 [Gy | UCM]: the canonical units under another scheme designator.
    document = report(GE_RF)
    assert document["events"][0]["dap_gym2"] == pytest.approx(0.00002206, rel=REL)
    assert document["events"][0]["dose_rp_gy"] == pytest.approx(0.00107252, rel=REL)
    assert not has_warning(document, "unknown unit")


def test_ge_rf_non_integer_tube_current_is_kept_as_sent() -> None:
    currents = [event["tube_current_ma"] for event in report(GE_RF)["events"][:2]]
    assert currents == pytest.approx([2.74306011, 2.63259006], rel=REL)


def test_ge_rf_angle_without_value_is_null_and_flagged() -> None:
    # 112011 / 112012: empty MeasuredValueSequence with qualifier 114010 "Value unknown".
    for event in report(GE_RF)["events"]:
        assert event["primary_angle_deg"] is None
        assert event["secondary_angle_deg"] is None
    assert_warning(GE_RF, "112011", "no value")


def test_canon_cxdi_dose_at_reference_point_without_value_is_null_never_zero() -> None:
    # 113738 (event) and 113725 / 113729 (accumulated): empty MeasuredValueSequence, no qualifier.
    document = report(CANON_CXDI)
    assert document["events"][0]["dose_rp_gy"] is None
    assert document["totals"]["dose_rp_total_gy"] is None
    assert document["totals"]["acquisition_dose_rp_total_gy"] is None
    assert document["planes"][0]["dose_rp_total_gy"] is None
    assert_warning(CANON_CXDI, "113738", "no value")


def test_dual_rdsr_dx_is_radiography_although_it_states_fluoro_totals_of_zero() -> None:
    document = report(DUAL_DX)
    assert document["modality"] == "DX"
    assert document["totals"]["fluoro_dap_total_gym2"] == 0
    assert document["totals"]["fluoro_time_total_s"] == 0
    assert [event["acquisition_type"] for event in document["events"]] == ["Stationary Acquisition"]
    assert_warning(DUAL_DX, "Gym2", "122130")


def test_philips_allura_model_comes_from_the_device_observer() -> None:
    # ManufacturerModelName (0008,1090) is absent; 121015 says "Allura Xper".
    document = report(ALLURA)
    assert document["device"]["model_name"] == "Allura Xper"
    assert_warning(ALLURA, "ISO 2022 IR 87")


def test_philips_allura_exposure_time_is_derived_from_pulses_and_pulse_width() -> None:
    # No 113824 / 113735: 113768 x 113793 = 98 x 4.05582655886454 ms, 12 x 45.3307501350839 ms, ...
    events = report(ALLURA)["events"]
    assert [event["exposure_time_s"] for event in events] == pytest.approx(
        [0.397471002768725, 0.5439690016210068, 0.6791589930653565], rel=1e-9
    )


def test_siemens_zee_spellings_and_flags_are_handled() -> None:
    # 113722 `1.6e-005` [Gym2], 113736 [uAs], CompletionFlag PARTIAL, ISO_IR 192, <FluoroData> comments.
    document = report(ZEE)
    assert document["totals"]["dap_total_gym2"] == pytest.approx(1.6e-5, rel=REL)
    assert document["events"][0]["exposure_mas"] == pytest.approx(9.586, rel=REL)
    assert_warning(ZEE, "Gym2", "122130")
    assert_warning(ZEE, "uAs", "113736")
    assert_warning(ZEE, "PARTIAL")
    assert_warning(ZEE, "ISO_IR 192")
    assert_warning(ZEE, "Comment", "FluoroData")


def test_rf_no_kvp_has_null_kvp_in_every_event_and_its_transfer_syntax_is_flagged() -> None:
    events = report(NO_KVP)["events"]
    assert len(events) == 20
    assert [event["kvp"] for event in events] == [None] * 20
    assert [event["kvp_values"] for event in events] == [[]] * 20
    assert [event["tube_current_ma"] for event in events] == [None] * 20
    assert_warning(NO_KVP, "Implicit VR Little Endian")


@pytest.mark.parametrize(
    ("name", "lateralities"),
    [(HOLOGIC, ["L", "R"]), (PRISTINA_2D, ["R"] * 8), (PRISTINA_DBT, ["R"])],
)
def test_mammography_laterality_is_read_from_the_anatomical_structure_modifier(
    name: str, lateralities: list[str]
) -> None:
    # T-D0005 Anatomical structure >> G-C171 Laterality = G-A101 Left / G-A100 Right.
    assert [event["laterality"] for event in report(name)["events"]] == lateralities
