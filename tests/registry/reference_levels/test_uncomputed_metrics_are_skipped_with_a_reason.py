"""A published quantity the registry cannot compute (peak skin dose) is skipped and named in the summary."""

from __future__ import annotations

from pathlib import Path

from registry.models import ReferenceLevel
from tests.registry.reference_levels.conftest import Load


def test_peak_skin_dose_is_not_loaded_and_the_summary_says_why(published: Path, load: Load) -> None:
    output = load(published)
    # thresholds.csv line 3: NCRP 168 SRDL peak skin dose 3 Gy
    assert "skipped thresholds.csv line 3 (peak_skin_dose): peak skin dose is not a registry metric" in output
    assert not ReferenceLevel.objects.filter(metric="peak_skin_dose").exists()
    assert not ReferenceLevel.objects.filter(name="SRDL peak skin dose").exists()
