"""Synthetic X-Ray Radiation Dose SRs for demos, tests and load tests (pure: pydicom in, no Django).

`draw_studies(ScenarioConfig(...))` yields `StudySpec`s; `write_bytes` / `write_dataset` turn one into a
dose SR; `write_scenario` writes a whole scenario to a folder.
"""

from __future__ import annotations

from ingest.synth.files import WriteSummary, path_for, write_scenario, write_specs
from ingest.synth.fleet import build_fleet
from ingest.synth.scenario import DEFAULT_MIX, ScenarioConfig, draw_studies, mix_for
from ingest.synth.spec import StudySpec, sig6
from ingest.synth.writer import write_bytes, write_dataset

__all__ = [
    "DEFAULT_MIX",
    "ScenarioConfig",
    "StudySpec",
    "WriteSummary",
    "build_fleet",
    "draw_studies",
    "mix_for",
    "path_for",
    "sig6",
    "write_bytes",
    "write_dataset",
    "write_scenario",
    "write_specs",
]
