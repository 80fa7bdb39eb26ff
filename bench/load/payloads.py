"""What the simulated hospitals send: each one's pool of unique synthetic dose reports, and the door bodies.

Pure: `ingest.synth` and the standard library, no Django and no locust (locust patches the interpreter with
gevent on import, so the test suite and run.py import this module, never the locustfile).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from ingest.synth import ScenarioConfig, StudySpec, draw_studies, write_bytes

POOL_SEED = 12
STUDY_DATES = (date(2026, 1, 1), date(2026, 11, 30))
MANIFEST = "manifest.json"
STOW_BOUNDARY = "KERMA-LOAD-a5d0c3"
STOW_CONTENT_TYPE = f'multipart/related; type="application/dicom"; boundary={STOW_BOUNDARY}'


@dataclass(frozen=True)
class Hospital:
    """One simulated hospital: its registry site code, upload token and folder of reports to send."""

    code: str
    token: str
    pool: str


def draw_pools(hospitals: int, per_hospital: int, seed: int = POOL_SEED) -> dict[str, list[StudySpec]]:
    """`per_hospital` study specs for each of `hospitals` synthetic sites, keyed by the site's code.

    One seeded draw over a fleet of `hospitals` sites, split by site: each hospital sends reports from its own
    devices at its own dose level, and every SOP Instance UID differs (derived from seed and draw number).
    """
    date_from, date_to = STUDY_DATES
    config = ScenarioConfig(
        studies=hospitals * per_hospital * 4, sites=hospitals, seed=seed, date_from=date_from, date_to=date_to
    )
    pools: dict[str, list[StudySpec]] = {}
    filled = 0
    for spec in draw_studies(config):
        pool = pools.setdefault(spec.site.code, [])
        if len(pool) < per_hospital:
            pool.append(spec)
            filled += 1
            if filled == hospitals * per_hospital:
                return pools
    raise RuntimeError(f"{config.studies} draws did not give {per_hospital} studies to each site")


def pool_matches(folder: Path, hospitals: int, per_hospital: int, seed: int) -> bool:
    """Whether `folder` holds a finished pool of this seed that is large enough (written before, reusable)."""
    try:
        made = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return bool(
        made["seed"] == seed and made["hospitals"] >= hospitals and made["per_hospital"] >= per_hospital
    )


def write_pools(folder: Path, pools: dict[str, list[StudySpec]], seed: int, processes: int = 2) -> int:
    """Write each pool as `<folder>/<code>/<nnnn>.dcm` (the manifest last, so a broken run is not reused)."""
    _clear_pool(folder)
    specs = [(code, number, spec) for code, pool in pools.items() for number, spec in enumerate(pool)]
    for code in pools:
        (folder / code).mkdir(parents=True, exist_ok=True)
    jobs = (spec for _, _, spec in specs)
    with ProcessPoolExecutor(max_workers=max(processes, 1)) as executor:  # starts no process until used
        encoded = executor.map(write_bytes, jobs, chunksize=25) if processes > 1 else map(write_bytes, jobs)
        for (code, number, _), data in zip(specs, encoded, strict=True):
            (folder / code / f"{number:04d}.dcm").write_bytes(data)
    per_hospital = min(len(pool) for pool in pools.values())
    manifest = {"seed": seed, "hospitals": len(pools), "per_hospital": per_hospital}
    (folder / MANIFEST).write_text(json.dumps(manifest))
    return len(specs)


def _clear_pool(folder: Path) -> None:
    """Remove an older pool: only the manifest and the `.dcm` files in its site folders, nothing else."""
    (folder / MANIFEST).unlink(missing_ok=True)
    for report in folder.glob("*/*.dcm"):
        report.unlink()
    for site in folder.glob("*/"):
        if not any(site.iterdir()):
            site.rmdir()


def pool_files(folder: Path) -> list[Path]:
    """One hospital's reports in the order it sends them."""
    return sorted(folder.glob("*.dcm"))


def stow_body(data: bytes, boundary: str = STOW_BOUNDARY) -> bytes:
    """A STOW-RS request body with one DICOM Part 10 file (PS3.18 §10.5: multipart/related)."""
    head = f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode("ascii")
    return head + data + f"\r\n--{boundary}--\r\n".encode("ascii")


def think_time(text: str) -> tuple[float, float]:
    """`"2,8"` -> (2.0, 8.0): the range each hospital waits between two reports, in seconds."""
    low, _, high = text.partition(",")
    bounds = (float(low), float(high or low))
    if not 0 <= bounds[0] <= bounds[1]:
        raise ValueError(f"think time {text!r}: expected MIN,MAX seconds with 0 <= MIN <= MAX")
    return bounds


def hospitals_write(path: Path, hospitals: Iterable[Hospital]) -> None:
    path.write_text(json.dumps([asdict(hospital) for hospital in hospitals]))
    path.chmod(0o600)  # upload tokens


def hospitals_read(path: Path) -> list[Hospital]:
    return [Hospital(**row) for row in json.loads(path.read_text())]
