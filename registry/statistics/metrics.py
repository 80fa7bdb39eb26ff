"""The metric registry: what can be compared against reference levels, where it lives, in which unit.

Modality is a parameter, not a copy: statistics, charts, exports and the reference-level loader all ask
this registry which column (or expression) holds a metric, at which level (one value per study, or one
per irradiation event), its canonical unit (the dose-report contract's) and how to display it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Avg, Case, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, NullIf

from registry.models import CTDIVOL_COUNTS, IrradiationEvent

Level = Literal["study", "event"]


@dataclass(frozen=True)
class Metric:
    """One comparable quantity. `value` builds the expression on Study (or IrradiationEvent) rows."""

    key: str
    label: str
    modalities: tuple[str, ...]
    level: Level
    unit: str  # canonical, as stored
    display_unit: str
    display_factor: float  # canonical value x factor = displayed value
    value: Callable[[], Combinable]
    scope: Literal["per_exam", "per_sequence"] = "per_exam"
    # Per-sequence metrics: which of the studies' events count (CTDIvol: no localizers).
    events: Q = field(default_factory=Q)

    def to_display(self, value: float | None) -> float | None:
        return None if value is None else value * self.display_factor


def _column(name: str) -> Callable[[], Combinable]:
    return lambda: F(name)


def _exam_mean_ctdivol() -> Combinable:
    mean = (
        IrradiationEvent.objects.filter(CTDIVOL_COUNTS, study=OuterRef("pk"))
        .values("study")
        .annotate(mean=Avg("ctdivol_mgy"))
        .values("mean")
    )
    return Subquery(mean, output_field=FloatField())


def _agd_exam() -> Combinable:
    """Left plus right accumulated AGD; null when the report states neither."""
    neither = Q(agd_total_left_mgy__isnull=True, agd_total_right_mgy__isnull=True)
    both = Coalesce(F("agd_total_left_mgy"), Value(0.0)) + Coalesce(F("agd_total_right_mgy"), Value(0.0))
    return Case(When(neither, then=None), default=both, output_field=FloatField())


def _activity_per_kg() -> Combinable:
    weight = NullIf(F("patient_weight_kg"), Value(0.0))
    return Cast(F("administered_activity_mbq"), FloatField()) / weight


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric(
            "dlp",
            "DLP per examination",
            ("CT",),
            "study",
            "mGy.cm",
            "mGy·cm",
            1.0,
            _column("ct_dlp_total_mgycm"),
        ),
        Metric(
            "ctdivol",
            "CTDIvol per sequence",
            ("CT",),
            "event",
            "mGy",
            "mGy",
            1.0,
            _column("ctdivol_mgy"),
            scope="per_sequence",
            events=CTDIVOL_COUNTS,
        ),
        Metric(
            "ctdivol_exam",
            "CTDIvol, examination mean",
            ("CT",),
            "study",
            "mGy",
            "mGy",
            1.0,
            _exam_mean_ctdivol,
        ),
        Metric(
            "dap",
            "DAP (KAP) per examination",
            ("RF", "DX"),
            "study",
            "Gy.m2",
            "Gy·cm²",
            1e4,
            _column("dap_total_gym2"),
        ),
        Metric(
            "dose_rp",
            "Air kerma at the reference point",
            ("RF", "DX"),
            "study",
            "Gy",
            "mGy",
            1e3,
            _column("dose_rp_total_gy"),
        ),
        Metric(
            "fluoro_time",
            "Fluoroscopy time",
            ("RF",),
            "study",
            "s",
            "min",
            1 / 60,
            _column("fluoro_time_total_s"),
        ),
        Metric(
            "agd_view",
            "Average glandular dose per view",
            ("MG",),
            "event",
            "mGy",
            "mGy",
            1.0,
            _column("agd_mgy"),
            scope="per_sequence",
        ),
        Metric(
            "agd_exam",
            "Average glandular dose per examination",
            ("MG",),
            "study",
            "mGy",
            "mGy",
            1.0,
            _agd_exam,
        ),
        Metric(
            "activity",
            "Administered activity",
            ("NM",),
            "study",
            "MBq",
            "MBq",
            1.0,
            _column("administered_activity_mbq"),
        ),
        Metric(
            "activity_per_kg",
            "Administered activity per kg",
            ("NM",),
            "study",
            "MBq/kg",
            "MBq/kg",
            1.0,
            _activity_per_kg,
        ),
    )
}


def metrics_for(modality: str) -> list[Metric]:
    """The metrics that apply to one modality, in registry order."""
    return [metric for metric in METRICS.values() if modality in metric.modalities]


# Units reference-level sources state, and the factor to each metric's canonical unit.
SOURCE_UNITS: dict[tuple[str, str], float] = {
    ("mGy.cm", "mGy.cm"): 1.0,
    ("mGy", "mGy"): 1.0,
    ("Gy.cm2", "Gy.m2"): 1e-4,
    ("mGy.cm2", "Gy.m2"): 1e-7,
    ("cGy.cm2", "Gy.m2"): 1e-6,
    ("Gy.m2", "Gy.m2"): 1.0,
    ("mGy", "Gy"): 1e-3,
    ("Gy", "Gy"): 1.0,
    ("min", "s"): 60.0,
    ("s", "s"): 1.0,
    ("MBq", "MBq"): 1.0,
    ("MBq/kg", "MBq/kg"): 1.0,
}


def to_canonical(value: float, source_unit: str, metric: Metric) -> float:
    """A reference level stated in `source_unit` in the metric's canonical unit; KeyError if unknown."""
    return value * SOURCE_UNITS[(source_unit, metric.unit)]
