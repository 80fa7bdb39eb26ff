"""Write synthetic dose SRs to a folder tree `<site code>/<study uid>/<sop uid>.dcm`, reporting progress."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ingest.synth.scenario import ScenarioConfig, draw_studies
from ingest.synth.spec import StudySpec
from ingest.synth.writer import write_bytes

Progress = Callable[[StudySpec, Path], None]
BATCH = 256  # specs handed to the pool at a time: bounded memory for any study count


@dataclass(frozen=True)
class WriteSummary:
    """What a run wrote: file count, bytes, and studies per modality and per site code."""

    files: int
    bytes: int
    per_modality: dict[str, int]
    per_site: dict[str, int]


def path_for(out_dir: Path, spec: StudySpec) -> Path:
    """Where `spec` goes: a folder per site and study, named by UIDs so reruns overwrite, never duplicate."""
    return out_dir / spec.site.code / spec.study_uid / f"{spec.sop_uid}.dcm"


def write_specs(
    out_dir: Path, specs: Iterable[StudySpec], progress: Progress | None = None, workers: int = 1
) -> WriteSummary:
    """Write each spec as a Part 10 file; `progress(spec, path)` is called after each file.

    Encoding dominates the cost (pydicom builds and serialises every content item), so `workers` > 1
    encodes in that many processes; files and their bytes are the same either way.
    """
    files = size = 0
    per_modality: dict[str, int] = {}
    per_site: dict[str, int] = {}
    for spec, data in _encoded(specs, workers):
        path = path_for(out_dir, spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files, size = files + 1, size + len(data)
        per_modality[spec.modality] = per_modality.get(spec.modality, 0) + 1
        per_site[spec.site.code] = per_site.get(spec.site.code, 0) + 1
        if progress is not None:
            progress(spec, path)
    return WriteSummary(files, size, per_modality, per_site)


def _encoded(specs: Iterable[StudySpec], workers: int) -> Iterator[tuple[StudySpec, bytes]]:
    """Each spec with its bytes, in order; several processes for large runs (load tests)."""
    if workers <= 1:
        yield from ((spec, write_bytes(spec)) for spec in specs)
        return
    with ProcessPoolExecutor(workers) as pool:
        batch: list[StudySpec] = []
        for spec in specs:
            batch.append(spec)
            if len(batch) == BATCH:
                yield from zip(batch, pool.map(write_bytes, batch, chunksize=16), strict=True)
                batch = []
        yield from zip(batch, pool.map(write_bytes, batch, chunksize=16), strict=True)


def write_scenario(
    out_dir: Path, config: ScenarioConfig, progress: Progress | None = None, workers: int = 1
) -> WriteSummary:
    """Draw the studies of `config` and write them under `out_dir`."""
    return write_specs(out_dir, draw_studies(config), progress, workers)
