"""Storing a report costs a fixed, small number of statements, whatever its number of events.

Each statement is a round trip to the database, most of a report's time in the worker (docs/performance.md,
Ingest), so the counts are pinned: a report of a new study from a known device costs 8 (the duplicate check,
the device, then one INSERT each for the study, the report and its events, the site's QA patient list, the
mapping rules and the workload count), 26 before registry.store inserted a new study whole instead of
reading back what it had just written. A later report of a stored study costs 14 (25 before; 15 before
its totals were summed from the reports it reads anyway).

SQLite caps a statement at 999 parameters, so Django splits one bulk insert of ~50-column rows into a
few statements there; PostgreSQL takes a whole batch in one. The tests count every other statement
exactly and the event inserts against the backend's own batch size.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingest.rdsr import read
from registry.models import IrradiationEvent, Site
from registry.store import store_dose_report
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db
EVENT_INSERT = 'INSERT INTO "registry_irradiationevent"'
NEW_STUDY_OF_A_KNOWN_DEVICE = 8
LATER_REPORT_OF_A_STUDY = 14


def _report(name: str, copy: str = "") -> dict[str, Any]:
    """The corpus report, or a copy of it as another study (new Study and SOP Instance UIDs)."""
    report = read(corpus_file(name)).as_dict()
    if copy:
        report["study_instance_uid"], report["sop_instance_uid"] = f"2.25.1{copy}", f"2.25.2{copy}"
    return report


def _store(report: dict[str, Any], site: Site) -> tuple[int, int, int]:
    """(statements other than event inserts, event insert statements, events in the report)."""
    with CaptureQueriesContext(connection) as captured:
        store_dose_report(site=site, report=report)
    inserts = sum(query["sql"].startswith(EVENT_INSERT) for query in captured.captured_queries)
    return len(captured) - inserts, inserts, len(report["events"])


def _batch_size() -> int:
    fields = [field for field in IrradiationEvent._meta.concrete_fields if not field.primary_key]
    return max(1, min(500, connection.ops.bulk_batch_size(fields, [None] * 500)))


@pytest.fixture
def site() -> Site:
    return Site.objects.create(code="Q", name="Query counting")


@pytest.mark.parametrize(
    ("few", "many"),
    [
        ("CT-RDSR-Siemens-Multi-1.dcm", "CT-ESR-GE_VCT.dcm"),  # 1 and 27 CT acquisitions
        ("DX-RDSR-Canon_CXDI.dcm", "RF-No-kVp-and-others.dcm"),  # 1 and 20 projection events
    ],
)
def test_a_new_study_costs_the_same_queries_for_1_event_as_for_20_or_more(
    few: str, many: str, site: Site
) -> None:
    few_other, few_inserts, _ = _store(_report(few), site)
    many_other, many_inserts, events = _store(_report(many), site)
    assert few_other == many_other
    assert few_inserts == 1
    assert many_inserts == math.ceil(events / _batch_size())


@pytest.mark.parametrize("name", ["CT-ESR-GE_VCT.dcm", "RF-No-kVp-and-others.dcm", "MG-RDSR-Hologic_2D.dcm"])
def test_a_new_study_from_a_known_device_costs_8_statements(name: str, site: Site) -> None:
    _store(_report(name), site)
    other, inserts, _ = _store(_report(name, copy="2"), site)
    assert other + min(inserts, 1) == NEW_STUDY_OF_A_KNOWN_DEVICE


def test_a_later_report_of_a_study_costs_14_statements(site: Site) -> None:
    _store(_report("CT-RDSR-Siemens-Multi-1.dcm"), site)
    other, inserts, _ = _store(_report("CT-RDSR-Siemens-Multi-2.dcm"), site)  # 1 event taken over, 1 new
    assert other + inserts == LATER_REPORT_OF_A_STUDY


def test_a_cumulative_report_costs_the_same_queries_as_its_predecessor(site: Site) -> None:
    _store(_report("CT-RDSR-Siemens-Multi-1.dcm"), site)
    second = _store(_report("CT-RDSR-Siemens-Multi-2.dcm"), site)  # 1 event taken over, 1 new
    third = _store(_report("CT-RDSR-Siemens-Multi-3.dcm"), site)  # 2 taken over, 1 new
    assert second[:2] == third[:2]
