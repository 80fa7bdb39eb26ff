"""CTDIvol counts only CT events that are not localizers and report a CTDIvol (docs/analytics.md).

Corpus studies, values read with pydicom (tests/ingest/rdsr/test_ct_localizers_...): Siemens Multi-3 has a
topogram of 0.15 mGy and spirals of 8.13 and 7.02 mGy; Multi-1 has the topogram alone.
"""

from __future__ import annotations

import pytest

from registry.models import Site, Study
from registry.statistics.metrics import METRICS
from registry.statistics.values import metric_rows
from tests.registry.conftest import Store

pytestmark = pytest.mark.django_db


def _values(metric: str) -> list[float]:
    rows, _ = metric_rows(Study.objects.all(), METRICS[metric])
    return sorted(rows.values_list("metric_value", flat=True))


def test_per_sequence_ctdivol_leaves_the_localizer_out(store: Store) -> None:
    store("CT-RDSR-Siemens-Multi-3.dcm")
    assert _values("ctdivol") == [7.02, 8.13]


def test_the_exam_ctdivol_is_the_mean_of_the_counted_events(store: Store) -> None:
    store("CT-RDSR-Siemens-Multi-3.dcm")
    assert _values("ctdivol_exam") == [pytest.approx((8.13 + 7.02) / 2)]  # 7.575, not 5.1 with the scout


def test_a_study_with_only_a_localizer_has_no_ctdivol_at_all(store: Store) -> None:
    study = store("CT-RDSR-Siemens-Multi-1.dcm")
    assert _values("ctdivol") == [] and _values("ctdivol_exam") == []  # no value, not a zero
    study.refresh_from_db()
    assert study.ctdivol_max_mgy is None
    assert list(study.events.values_list("localizer", "ctdivol_mgy")) == [(True, 0.15)]


def test_the_study_keeps_its_highest_counted_ctdivol(store: Store, north: Site) -> None:
    study = store("CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-2.dcm", "CT-RDSR-Siemens-Multi-3.dcm")
    study.refresh_from_db()
    assert study.ctdivol_max_mgy == 8.13
