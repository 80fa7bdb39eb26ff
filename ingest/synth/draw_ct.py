"""Draw the dose content of one CT examination (TID 10011) around the typical values of `typical.py`."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from ingest.synth.spec import CtEventSpec, CtReportSpec, CtSourceSpec, sig6
from ingest.synth.typical import CtExam, CtScan

# CTDIvol per effective mAs at 120 kV (mGy/mAs): rough scanner averages for the 16 and 32 cm phantoms.
CTDI_PER_MAS = {"head16": 0.17, "body32": 0.075}
ROTATION_S = 0.5
SPREAD = 0.22  # log-normal sigma of a dose between patients of one site


@dataclass(frozen=True)
class DrawContext:
    """What every draw of one study shares: the seeded Random, the site's dose factor, the event UIDs."""

    rng: random.Random
    dose_factor: float
    start: dt.datetime
    event_uid: Callable[[int], str]

    def around(self, median: float, sigma: float = SPREAD) -> float:
        """A log-normal draw around `median` (patients and technique vary multiplicatively)."""
        return median * math.exp(self.rng.gauss(0.0, sigma))


def draw_ct(
    ctx: DrawContext, exam: CtExam, protocol: str, localizer_name: str, dual_source: bool
) -> CtReportSpec:
    """Events for each scan of `exam`; the stated DLP total is the sum of the event DLPs as written."""
    events = tuple(
        _event(
            ctx,
            index,
            scan,
            localizer_name if scan.kind == "Constant Angle Acquisition" else protocol,
            dual_source,
        )
        for index, scan in enumerate(exam.scans)
    )
    total = sig6(sum(event.dlp_mgycm or 0.0 for event in events))
    return CtReportSpec(events, total)


def _event(ctx: DrawContext, index: int, scan: CtScan, protocol: str, dual_source: bool) -> CtEventSpec:
    localizer = scan.kind == "Constant Angle Acquisition"
    factor = 1.0 if localizer else ctx.dose_factor
    ctdivol = sig6(ctx.around(scan.ctdivol_mgy * factor))
    length = sig6(round(ctx.around(scan.length_mm, 0.1)))
    # DLP = CTDIvol * irradiated length; spiral scans over-range by about half a rotation's table feed.
    overrange = 1.0 if localizer else 1.04
    dlp = sig6(ctdivol * length / 10.0 * overrange)
    collimation = 0.6 if localizer else ctx.rng.choice((0.6, 0.625))
    rows = 1 if localizer else ctx.rng.choice((32, 64))
    pitch = None if localizer else sig6(ctx.rng.choice((0.55, 0.8, 0.984, 1.2)))
    total_collimation = sig6(collimation * rows)
    exposure = sig6(
        length / 100.0 if localizer else length / ((pitch or 1.0) * total_collimation) * ROTATION_S
    )
    return CtEventSpec(
        uid=ctx.event_uid(index),
        protocol=protocol,
        target_region=scan.region,
        acquisition_type=scan.kind,
        exposure_time_s=exposure,
        scanning_length_mm=length,
        single_collimation_mm=collimation,
        total_collimation_mm=total_collimation,
        pitch=pitch,
        sources=_sources(ctx, scan, ctdivol, pitch, localizer, dual_source),
        ctdivol_mgy=ctdivol,
        dlp_mgycm=dlp,
        phantom="body32" if localizer else scan.phantom,
    )


def _sources(
    ctx: DrawContext, scan: CtScan, ctdivol: float, pitch: float | None, localizer: bool, dual_source: bool
) -> tuple[CtSourceSpec, ...]:
    """Tube settings consistent with the CTDIvol: mA = CTDIvol / (CTDI per mAs) * pitch / rotation time."""
    if localizer:
        return (CtSourceSpec("A", scan.kvp, 35.0, 35.0, None),)
    tubes = ("A", "B") if dual_source else ("A",)
    effective_mas = ctdivol / CTDI_PER_MAS[scan.phantom] / len(tubes)
    mean_ma = sig6(effective_mas * (pitch or 1.0) / ROTATION_S)
    max_ma = sig6(mean_ma * ctx.rng.uniform(1.1, 1.6))
    kvps = (scan.kvp, 100.0) if dual_source else (scan.kvp,)
    return tuple(
        CtSourceSpec(tube, kvp, mean_ma, max_ma, ROTATION_S) for tube, kvp in zip(tubes, kvps, strict=True)
    )
