"""Several reports of one study: cumulative, continued and PET/CT reports agree on study and event UIDs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.rdsr import read
from tests.conftest import corpus_file
from tests.ingest.rdsr._corpus import Entry, event_uids, report
from tests.ingest.rdsr.expected.ct import (
    CONTINUED_1,
    CONTINUED_2,
    CT_EXPECTED,
    CT_FILES,
    MULTI_1,
    MULTI_2,
    MULTI_3,
    NM_CT,
)
from tests.ingest.rdsr.expected.projection import PROJECTION_EXPECTED, PROJECTION_FILES
from tests.ingest.rdsr.expected.radiopharm import NM_RRDSR, RADIOPHARM_EXPECTED, RADIOPHARM_FILES

MULTI = [MULTI_1, MULTI_2, MULTI_3]
CONTINUED = [CONTINUED_1, CONTINUED_2]
REL = 1e-9


def _dlp_by_event(names: list[str]) -> dict[str, float]:
    """DLP of every event UID across the reports; an event repeated in a later report must agree."""
    dlp: dict[str, float] = {}
    for name in names:
        for event in report(name)["events"]:
            if event["uid"] in dlp:
                assert event["dlp_mgycm"] == pytest.approx(dlp[event["uid"]], rel=REL), event["uid"]
            dlp[event["uid"]] = event["dlp_mgycm"]
    return dlp


def test_cumulative_reports_belong_to_one_study_with_new_sop_instances() -> None:
    assert {report(name)["study_instance_uid"] for name in MULTI} == {
        "1.3.6.1.4.1.5962.99.1.792239193.1702185591.1516915727449.3.0"
    }
    assert len({report(name)["sop_instance_uid"] for name in MULTI}) == 3


def test_cumulative_reports_repeat_earlier_events_and_add_new_ones() -> None:
    first, second, third = (set(event_uids(name)) for name in MULTI)
    assert first < second < third
    assert len(first | second | third) == 3


def test_latest_cumulative_report_states_the_study_total_dlp() -> None:
    # Multi-3: 113813 236.09 = 7.46 + 69.81 + 158.82, the DLPs of the union of events.
    assert report(MULTI_3)["totals"]["ct_dlp_total_mgycm"] == pytest.approx(236.09, rel=REL)
    assert sum(_dlp_by_event(MULTI).values()) == pytest.approx(236.09, rel=REL)
    assert [report(name)["totals"]["ct_dlp_total_mgycm"] for name in MULTI] == pytest.approx(
        [7.46, 77.27, 236.09], rel=REL
    )


def test_continued_exam_reports_share_study_and_accession_with_disjoint_events() -> None:
    first, second = (report(name) for name in CONTINUED)
    assert first["study_instance_uid"] == second["study_instance_uid"]
    assert first["study_instance_uid"] == "1.3.6.1.4.1.5962.99.1.64928122.996247427.1524778350970.5.0"
    assert first["study"]["accession_number"] == second["study"]["accession_number"] == "4885555100963520"
    assert first["sop_instance_uid"] != second["sop_instance_uid"]
    assert set(event_uids(CONTINUED_1)).isdisjoint(event_uids(CONTINUED_2))
    assert len(set(event_uids(CONTINUED_1)) | set(event_uids(CONTINUED_2))) == 4


def test_continued_exam_totals_add_up_to_the_study_total() -> None:
    totals = [report(name)["totals"]["ct_dlp_total_mgycm"] for name in CONTINUED]
    assert totals == pytest.approx([60.17, 56.44], rel=REL)
    assert sum(totals) == pytest.approx(116.61, rel=REL)
    assert sum(_dlp_by_event(CONTINUED).values()) == pytest.approx(116.61, rel=REL)


def test_pet_ct_study_has_a_ct_report_and_a_radiopharmaceutical_report() -> None:
    ct, nm = report(NM_CT), report(NM_RRDSR)
    assert (
        ct["study_instance_uid"]
        == nm["study_instance_uid"]
        == "1.2.840.113619.6.95.31.0.3.4.1.4400.13.8620675"
    )
    assert (ct["modality"], nm["modality"]) == ("CT", "NM")
    assert (ct["template"], nm["template"]) == ("10011", "10021")
    assert ct["sop_instance_uid"] != nm["sop_instance_uid"]


def test_the_same_report_read_twice_gives_the_same_result() -> None:
    path = corpus_file(MULTI_1)
    assert read(path).as_dict() == read(path).as_dict()


# Keys every file's table must state (the brief: identity, device, study, patient, event count).
REQUIRED_PATHS = [
    "schema",
    "template",
    "modality",
    "sop_instance_uid",
    "study_instance_uid",
    "device.manufacturer",
    "device.model_name",
    "device.serial_number",
    "device.station_name",
    "device.device_observer_uid",
    "study.date",
    "study.time",
    "study.procedure_reported",
    "patient.sex",
    "patient.age_years",
    "len(events)",
]


def test_every_corpus_file_has_an_expected_value_table(corpus_dir: Path) -> None:
    tabled = set(CT_FILES) | set(PROJECTION_FILES) | set(RADIOPHARM_FILES)
    assert {path.name for path in corpus_dir.glob("*.dcm")} == tabled
    rows: list[Entry] = [*CT_EXPECTED, *PROJECTION_EXPECTED, *RADIOPHARM_EXPECTED]
    for name in tabled:
        paths = {row.path for row in rows if row.file == name}
        missing = [path for path in REQUIRED_PATHS if path not in paths]
        assert not missing, f"{name}: table lacks {missing}"
        events = {int(index) for index in re.findall(r"^(?:len\()?events\[(\d+)\]", "\n".join(paths), re.M)}
        stated = next(row.value for row in rows if row.file == name and row.path == "len(events)")
        assert len(events) >= min(2, stated), f"{name}: table covers events {sorted(events)} of {stated}"
