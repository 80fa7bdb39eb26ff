"""`manage.py synth_rdsr --out DIR --studies N --sites K`: synthetic dose SRs for demos and load tests."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ingest.synth import ScenarioConfig, mix_for, write_scenario
from ingest.synth.spec import StudySpec


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a YYYY-MM-DD date: {text!r}") from error


def _modalities(text: str) -> list[str]:
    return [part.strip().upper() for part in text.split(",") if part.strip()]


class Command(BaseCommand):
    help = "Write synthetic X-Ray Radiation Dose SRs to DIR/<site>/<study uid>/<sop uid>.dcm (seeded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="output folder (created if missing)")
        parser.add_argument("--studies", required=True, type=int, help="number of studies (one file each)")
        parser.add_argument("--sites", type=int, default=3, help="number of sites (default 3)")
        parser.add_argument(
            "--seed", type=int, default=0, help="random seed (default 0): same seed, same bytes"
        )
        parser.add_argument("--date-from", type=_date, help="first study date (default: 24 months ago)")
        parser.add_argument("--date-to", type=_date, help="last study date (default: today)")
        parser.add_argument(
            "--modalities", type=_modalities, default=None, help="subset of CT,DX,RF,MG (default: all)"
        )
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="encoding processes (default: CPU count)"
        )
        parser.add_argument(
            "--high-dose-site",
            type=int,
            default=-1,
            help="index of the site with ~1.6x doses (default -1: the last); -99 for none",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        config = self._config(options)
        started = time.perf_counter()
        with tqdm(
            total=config.studies, unit="study", file=getattr(self.stderr, "_out", sys.stderr), disable=None
        ) as bar:

            def advance(spec: StudySpec, path: Path) -> None:
                bar.update(1)

            summary = write_scenario(options["out"], config, advance, workers=options["workers"])
        seconds = time.perf_counter() - started
        mix = ", ".join(f"{m} {n}" for m, n in sorted(summary.per_modality.items()))
        self.stdout.write(
            f"Wrote {summary.files} dose SRs ({mix}) for {len(summary.per_site)} sites to {options['out']} "
            f"in {seconds:.1f} s ({summary.files / max(seconds, 1e-9):.0f}/s, {summary.bytes / 1e6:.1f} MB)."
        )

    def _config(self, options: dict[str, Any]) -> ScenarioConfig:
        """Validate the options into a scenario; usage errors become CommandError, never a traceback."""
        today = dt.date.today()
        high = options["high_dose_site"]
        try:
            return ScenarioConfig(
                studies=options["studies"],
                sites=options["sites"],
                seed=options["seed"],
                date_from=options["date_from"] or today - dt.timedelta(days=730),
                date_to=options["date_to"] or today,
                mix=mix_for(options["modalities"] or ["CT", "DX", "RF", "MG"]),
                high_dose_site=None if high == -99 else high,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
