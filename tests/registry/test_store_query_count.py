"""Storing a report costs the same queries whatever its number of events: events are written in bulk.

SQLite caps a statement at 999 parameters, so Django splits one bulk insert of ~50-column rows into a
few statements there; PostgreSQL takes a whole batch in one. The tests count every other statement
exactly and the event inserts against the backend's own batch size.
"""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingest.rdsr import read
from registry.models import IrradiationEvent, Site
from registry.store import store_dose_report
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db
EVENT_INSERT = 'INSERT INTO "registry_irradiationevent"'


def _store(name: str, site: Site) -> tuple[int, int, int]:
    """(statements other than event inserts, event insert statements, events in the report)."""
    report = read(corpus_file(name)).as_dict()
    with CaptureQueriesContext(connection) as captured:
        store_dose_report(site=site, report=report)
    inserts = sum(query["sql"].startswith(EVENT_INSERT) for query in captured.captured_queries)
    return len(captured) - inserts, inserts, len(report["events"])


def _batch_size() -> int:
    fields = [field for field in IrradiationEvent._meta.concrete_fields if not field.primary_key]
    return max(1, min(500, connection.ops.bulk_batch_size(fields, [None] * 500)))


@pytest.mark.parametrize(
    ("few", "many"),
    [
        ("CT-RDSR-Siemens-Multi-1.dcm", "CT-ESR-GE_VCT.dcm"),  # 1 and 27 CT acquisitions
        ("DX-RDSR-Canon_CXDI.dcm", "RF-No-kVp-and-others.dcm"),  # 1 and 20 projection events
    ],
)
def test_a_new_study_costs_the_same_queries_for_1_event_as_for_20_or_more(few: str, many: str) -> None:
    site = Site.objects.create(code="Q", name="Query counting")
    few_other, few_inserts, _ = _store(few, site)
    many_other, many_inserts, events = _store(many, site)
    assert few_other == many_other
    assert few_inserts == 1
    assert many_inserts == math.ceil(events / _batch_size())


def test_a_cumulative_report_costs_the_same_queries_as_its_predecessor() -> None:
    site = Site.objects.create(code="Q", name="Query counting")
    _store("CT-RDSR-Siemens-Multi-1.dcm", site)
    second = _store("CT-RDSR-Siemens-Multi-2.dcm", site)  # 1 event taken over, 1 new
    third = _store("CT-RDSR-Siemens-Multi-3.dcm", site)  # 2 taken over, 1 new
    assert second[:2] == third[:2]
