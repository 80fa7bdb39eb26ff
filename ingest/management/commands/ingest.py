"""`manage.py ingest PATH... --site CODE`: send files, folders and ZIP archives the way a site would."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ingest.models import Channel, State, Submission
from ingest.services import Upload, UploadsReceived, uploads_receive
from registry.models import Site

WAITING_STATES = (State.RECEIVED, State.PROCESSING)
POLL_SECONDS = 1.0


def _pause() -> None:
    time.sleep(POLL_SECONDS)


def files_under(paths: list[Path]) -> list[Path]:
    """Every file named or under a named folder (recursively, hidden ones skipped), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                child
                for child in path.rglob("*")
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"no such file or folder: {path}")
    return found


@dataclass
class Run:
    """What one run sent: submission ids, files skipped as already received, files refused outright."""

    ids: list[str] = field(default_factory=list)
    skipped: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


def _record(run: Run, received: UploadsReceived) -> None:
    run.ids += [str(submission.pk) for submission in received.submissions]
    run.skipped += received.skipped
    run.refused += [(name, str(error)) for name, error in received.refused]
    # Inline (eager) processing re-raises from the receive; the submission itself is recorded failed.
    run.refused += [
        (name, f"internal error while processing: {type(error).__name__}: {error}")
        for name, error in received.failed
    ]


class Command(BaseCommand):
    help = (
        "Submit dose SR files, folders (recursive) and ZIP archives for a site through the receiving "
        "pipeline (channel cli). Exit 0 when every file was received, rejected ones included; "
        "1 when a file could not be received (too large, unreadable) or, with --strict, was rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file, folder or ZIP archive")
        parser.add_argument("--site", required=True, help="code of the site the reports come from")
        parser.add_argument("--wait", action="store_true", help="with a broker: wait until all are final")
        parser.add_argument("--timeout", type=float, default=3600, help="longest --wait in seconds (3600)")
        parser.add_argument("--strict", action="store_true", help="exit 1 if any file was rejected")
        parser.add_argument(
            "--new-only", action="store_true", help="skip files this site sent before (same SHA-256)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(code=options["site"]).first()
        if site is None:
            raise CommandError(f"no site with code {options['site']!r} (create it with add_site)")
        run = self._receive(site, files_under(options["paths"]), new_only=options["new_only"])
        if options["wait"] and not settings.CELERY_TASK_ALWAYS_EAGER:
            self._wait(run.ids, timeout=options["timeout"])
        rejected = self._summary(site, run)
        if run.refused:
            raise CommandError(f"{len(run.refused)} file(s) could not be received")
        if options["strict"] and rejected:
            raise CommandError(f"{rejected} file(s) rejected (--strict)")

    def _bar(self, total: int, unit: str) -> tqdm[Any]:
        # disable=None: no bar when stderr is not a terminal (CI logs, make output piped to a file).
        return tqdm(total=total, unit=unit, file=getattr(self.stderr, "_out", sys.stderr), disable=None)

    def _receive(self, site: Site, files: list[Path], *, new_only: bool) -> Run:
        run = Run()
        known = set(Submission.objects.for_site(site).values_list("sha256", flat=True)) if new_only else set()
        with self._bar(len(files), "file") as bar:
            for path in files:
                self._send(site, path, known, run)
                bar.update(1)
        return run

    def _send(self, site: Site, path: Path, known: set[str], run: Run) -> None:
        """One file or archive, each member committed (and, without a broker, processed) on its own."""
        try:
            data = path.read_bytes()
        except OSError as error:
            run.refused.append((str(path), str(error)))
            return
        received = uploads_receive(
            site=site, uploads=[Upload(str(path), data)], channel=Channel.CLI, skip_sha256=known, atomic=False
        )
        _record(run, received)

    def _wait(self, ids: list[str], *, timeout: float) -> None:
        """Poll until no submission is received or processing (failed ones are final until retried)."""
        deadline = time.monotonic() + timeout
        with self._bar(len(ids), "report") as bar:
            while True:
                waiting = Submission.objects.filter(pk__in=ids, state__in=WAITING_STATES).count()
                bar.update(len(ids) - waiting - bar.n)
                if not waiting:
                    return
                if time.monotonic() > deadline:
                    self.stderr.write(f"Stopped waiting after {timeout:.0f} s: {waiting} not yet processed.")
                    return
                _pause()

    def _summary(self, site: Site, run: Run) -> int:
        """Print counts per state and each rejected file's reason; return the number rejected."""
        submissions = Submission.objects.filter(pk__in=run.ids).order_by("filename")
        counts = Counter(submission.state for submission in submissions)
        skipped = f" ({run.skipped} skipped: sent before)" if run.skipped else ""
        self.stdout.write(f"Received {len(run.ids)} file(s) for site {site.code}{skipped}.")
        for state in State:
            if counts[state]:
                queued = " (queued for a worker)" if state in WAITING_STATES else ""
                self.stdout.write(f"  {state.label.lower():<10} {counts[state]}{queued}")
        problems = [s for s in submissions if s.state in (State.REJECTED, State.FAILED)]
        if problems:
            self.stdout.write("Rejected or failed:")
            for submission in problems:
                self.stdout.write(
                    f"  {submission.filename}: {submission.error_kind}: {submission.error_message}"
                )
        if run.refused:
            self.stdout.write(self.style.ERROR("Not received:"))
            for name, reason in run.refused:
                self.stdout.write(f"  {name}: {reason}")
        return counts[State.REJECTED]
