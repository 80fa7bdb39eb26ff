"""`manage.py load_reference_levels PATH`: load published DRLs and thresholds from CSV, versioning changes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from registry.reference_levels.library import (
    LevelRow,
    LoadSummary,
    SourceError,
    reference_level_rows,
    reference_levels_load,
)

SOURCE_FILES = ("drl.csv", "thresholds.csv")


class Command(BaseCommand):
    help = (
        "Load published reference levels from a folder (its drl.csv and thresholds.csv) or one CSV file. "
        "Loading again creates nothing; a changed value or status adds a version. A bad file loads nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, metavar="PATH", help="folder with drl.csv/thresholds.csv, or a CSV"
        )
        parser.add_argument("--user", help="username recorded as the actor (default: system)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["user"])
        try:
            # Every file is read and checked before any is loaded: one bad file loads nothing at all.
            sources = [(path.name, reference_level_rows(path)) for path in self._files(options["path"])]
        except SourceError as error:
            raise CommandError(f"{error}; nothing was loaded") from None
        for name, rows in sources:
            self._report(name, self._load(rows, actor))

    def _actor(self, username: str | None) -> Any:
        if username is None:
            return "system"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return user

    def _files(self, path: Path) -> list[Path]:
        if path.is_file():
            return [path]
        if not path.is_dir():
            raise CommandError(f"no such file or folder: {path}")
        files = [path / name for name in SOURCE_FILES if (path / name).is_file()]
        if not files:
            raise CommandError(f"{path} holds neither {' nor '.join(SOURCE_FILES)}")
        return files

    def _load(self, rows: list[LevelRow], actor: Any) -> LoadSummary:
        # disable=None: no bar when stderr is not a terminal (CI logs, make output piped to a file).
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=len(rows), unit="row", file=stream, disable=None) as bar:
            return reference_levels_load(rows=rows, actor=actor, progress=lambda: bar.update(1))

    def _report(self, name: str, summary: LoadSummary) -> None:
        self.stdout.write(
            f"{name}: {summary.created} created, {summary.revised} new version(s), "
            f"{summary.unchanged} unchanged, {len(summary.skipped)} skipped"
        )
        for reason in summary.skipped:
            self.stdout.write(f"  skipped {reason}")
