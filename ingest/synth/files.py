"""Write synthetic dose SRs to a folder tree `<site code>/<study uid>/<sop uid>.dcm`, reporting progress."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.synth.scenario import ScenarioConfig, draw_studies
from ingest.synth.spec import StudySpec
from ingest.synth.writer import write_bytes

Progress = Callable[[StudySpec, Path], None]


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


def write_specs(out_dir: Path, specs: Iterable[StudySpec], progress: Progress | None = None) -> WriteSummary:
    """Write each spec as a Part 10 file; `progress(spec, path)` is called after each file."""
    files = size = 0
    per_modality: dict[str, int] = {}
    per_site: dict[str, int] = {}
    for spec in specs:
        path = path_for(out_dir, spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = write_bytes(spec)
        path.write_bytes(data)
        files, size = files + 1, size + len(data)
        per_modality[spec.modality] = per_modality.get(spec.modality, 0) + 1
        per_site[spec.site.code] = per_site.get(spec.site.code, 0) + 1
        if progress is not None:
            progress(spec, path)
    return WriteSummary(files, size, per_modality, per_site)


def write_scenario(out_dir: Path, config: ScenarioConfig, progress: Progress | None = None) -> WriteSummary:
    """Draw the studies of `config` and write them under `out_dir`."""
    return write_specs(out_dir, draw_studies(config), progress)
