"""The irradiation events of the two example procedures of `enhanced_examples`, one `Run` each.

A cone-beam CT on a C-arm (fluoroscopy to position, a rotational acquisition rejected for motion blur and
its repeat) and a biplane angiography run (fluoroscopy on each plane, then one DSA run on both planes at
once: two events, one per plane). Values are round numbers in canonical units, for tests to check by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

from ingest.synth.spec import ProjectionEventType
from ingest.synth.uids import derived_uid

Side = Literal["A", "B", "single"]
CBCT_START = dt.datetime(2024, 3, 5, 10, 0, 0)
BIPLANE_START = dt.datetime(2024, 3, 6, 11, 0, 0)
# Where plane A's (and the single plane's) tube puts its output and reference points, in mm from the
# isocenter; plane B's tube is turned 90 degrees (x instead of z).
A_OUTPUT_MM, A_REFERENCE_MM = (0.0, 0.0, -600.0), (0.0, 0.0, -150.0)
B_OUTPUT_MM, B_REFERENCE_MM = (-600.0, 0.0, 0.0), (-150.0, 0.0, 0.0)


@dataclass(frozen=True)
class Technique:
    """kVp, mA, pulse width (s), pulse rate (1/s) and number of pulses of one run."""

    kvp: float
    tube_current_ma: float
    pulse_width_s: float
    pulse_rate_per_s: float
    pulses: int


@dataclass(frozen=True)
class Run:
    """One irradiation event as both reports state it; `seconds` is its start-to-end span."""

    name: str
    started: dt.datetime
    seconds: float
    event_type: ProjectionEventType
    plane: Side
    protocol: str
    dap_gym2: float
    dose_rp_gy: float
    technique: Technique
    field_area_m2: float
    air_kerma_mgy: float
    water_equivalent_diameter_mm: float
    rejected_for: Code | None = None  # CID 7011
    repeated_for: Code | None = None  # CID 10034

    @property
    def uid(self) -> str:
        return derived_uid("enhanced-example", self.name)

    @property
    def ended(self) -> dt.datetime:
        return self.started + dt.timedelta(seconds=self.seconds)

    @property
    def fluoroscopy(self) -> bool:
        return self.event_type == "Fluoroscopy"

    @property
    def output_point_mm(self) -> tuple[float, float, float]:
        return B_OUTPUT_MM if self.plane == "B" else A_OUTPUT_MM

    @property
    def reference_point_mm(self) -> tuple[float, float, float]:
        return B_REFERENCE_MM if self.plane == "B" else A_REFERENCE_MM


def _at(start: dt.datetime, seconds: int) -> dt.datetime:
    return start + dt.timedelta(seconds=seconds)


_SPIN = Technique(90, 150, 0.006, 60, 300)
CBCT_RUNS = (
    Run("cbct-fluoro", _at(CBCT_START, 0), 12, "Fluoroscopy", "single", "Fluoro Head",
        0.0012, 0.004, Technique(70, 12, 0.008, 15, 180), 0.01, 5.1, 180),
    Run("cbct-spin-1", _at(CBCT_START, 120), 5, "Rotational Acquisition", "single", "3D Head CBCT",
        0.015, 0.045, _SPIN, 0.0225, 55.2, 180, rejected_for=codes.DCM.MotionBlur),
    Run("cbct-spin-2", _at(CBCT_START, 240), 5, "Rotational Acquisition", "single", "3D Head CBCT",
        0.015, 0.045, _SPIN, 0.0225, 55.2, 180, repeated_for=codes.DCM.PatientMotion),
)  # fmt: skip
BIPLANE_RUNS = (
    Run("bi-fluoro-a", _at(BIPLANE_START, 0), 20, "Fluoroscopy", "A", "Fluoro Cardiac",
        0.001, 0.003, Technique(75, 10, 0.007, 15, 300), 0.016, 4.0, 260),
    Run("bi-fluoro-b", _at(BIPLANE_START, 30), 10, "Fluoroscopy", "B", "Fluoro Cardiac",
        0.0006, 0.002, Technique(80, 8, 0.007, 15, 150), 0.012, 2.6, 300),
    Run("bi-dsa-a", _at(BIPLANE_START, 120), 4, "Stationary Acquisition", "A", "DSA Coronary",
        0.004, 0.012, Technique(85, 300, 0.01, 3, 12), 0.016, 16.0, 260),
    Run("bi-dsa-b", _at(BIPLANE_START, 120), 4, "Stationary Acquisition", "B", "DSA Coronary",
        0.003, 0.009, Technique(88, 250, 0.01, 3, 12), 0.012, 11.5, 300),
)  # fmt: skip
