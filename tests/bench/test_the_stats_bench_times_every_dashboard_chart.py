"""bench/stats.py times every chart the dashboards offer, so a new chart is never left unmeasured, and loads
studies that state what stored ones do, so a scan of the table costs what it costs at a registry."""

from __future__ import annotations

from bench.stats import CHART_KINDS, PROTOCOL_KINDS, STORED_TEXT, _stored_text
from registry.dashboards import protocol_views, views


def test_every_drl_and_protocol_chart_is_timed() -> None:
    assert {*CHART_KINDS, "fluoroscopy"} == {kind for kind, _ in views.CHARTS}
    assert set(PROTOCOL_KINDS) == {kind for kind, _ in protocol_views.CHARTS}


def test_a_loaded_study_states_its_descriptions_and_pseudonyms() -> None:
    stored = dict(zip(STORED_TEXT, _stored_text(12, "CT", "Head routine"), strict=True))
    assert stored["description"] == "CT HEAD ROUTINE"
    assert stored["procedure_reported"] == "Computed Tomography X-Ray"
    # 64 hex digits, as registry.models.pseudonyms writes them
    assert all(len(stored[name]) == 64 for name in ("patient_pseudonym", "accession_pseudonym"))
