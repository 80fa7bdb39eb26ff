"""Export benchmark: the events CSV, the events XLSX and the studies XLSX over a large synthetic registry.

Run on demand, never in the test suite:

    .venv/bin/python bench/export.py [--studies 625000] [--seed 7] [--keep | --reuse DB]

It loads the registry of bench/stats.py with COPY (625,000 studies give about 1,000,000 irradiation events),
then runs each export in its own child process, so that each one's peak resident memory is its own (VmHWM
from /proc/self/status; `ru_maxrss` would keep the parent's peak across exec on Linux): the events CSV
through `csv_chunks` exactly as `GET /exports/events.csv` streams it (the bytes go to a hash, not to a
socket), and the events and studies workbooks through `write_xlsx` into a temporary file, hashed, as
`GET /exports/events.xlsx` and `/exports/studies.xlsx` (or their background job) write them. It prints the
load average around each run: the machine may be shared. Target: peak under 300 MB each. Needs PostgreSQL
on 127.0.0.1:5432 (trust auth).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.django_env import django_setup  # noqa: E402 - needs the project on the path

CASES = ("events-csv", "events-xlsx", "studies-xlsx")


def measure(case: str) -> str:
    """One export of every event (or study); returns a line with rows, bytes, seconds and peak RSS."""
    from django.db import transaction

    from registry.models import Study

    started = time.perf_counter()
    with transaction.atomic():  # a server-side cursor needs a transaction on PostgreSQL
        studies = Study.objects.all()
        rows, size = _events_csv(studies) if case == "events-csv" else _workbook(studies, case)
    seconds = time.perf_counter() - started
    return (
        f"{case:12} rows {rows:>10,}  {size / 1e6:8.1f} MB  {seconds:7.1f} s  peak RSS {_peak_mb():6.0f} MB"
    )


def _peak_mb() -> float:
    """This process's peak resident memory in MB: VmHWM, the high-water mark of its own address space.

    Not `ru_maxrss`: Linux folds the address space that `exec` replaces into it, and subprocess forks this
    child from the parent that loaded the registry, so `ru_maxrss` reports at least the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere: an upper bound


def _events_csv(studies: Any) -> tuple[int, int]:
    """The events CSV as `GET /exports/events.csv` streams it (hashing included), into no socket."""
    from registry.exports.columns import EVENT_COLUMNS, event_rows
    from registry.exports.csv_stream import CHUNK_ROWS, StreamResult, csv_chunks

    done: list[StreamResult] = []
    for _ in csv_chunks(
        EVENT_COLUMNS, event_rows(studies).iterator(chunk_size=CHUNK_ROWS), on_done=done.append
    ):
        pass
    return done[0].rows, done[0].size


def _workbook(studies: Any, case: str) -> tuple[int, int]:
    """A workbook as the endpoint and the job write it: into a temporary file, then hashed."""
    from django.utils import timezone

    from registry.exports.jobs import file_digest, write_xlsx

    kind = case.split("-")[0]
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        rows = write_xlsx(handle.name, studies, kind, filters={}, generated_at=timezone.now())
        _, size = file_digest(handle)
    return rows, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=625_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Leave the database for --reuse.")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES), help="Exports to measure.")
    parser.add_argument("--reuse", metavar="DB", help="Export an already loaded database; load nothing.")
    parser.add_argument("--measure", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        django_setup(f"postgres://postgres@127.0.0.1:5432/{args.reuse}")
        print(measure(args.measure), flush=True)
        return 0
    from bench.stats import Loader, _finish_load, database

    with database(args.reuse, args.keep) as url:
        django_setup(url)
        from django.core.management import call_command
        from django.db import connection

        if not args.reuse:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            Loader(args.seed).load(args.studies)
            _finish_load()
            print(
                f"loaded {args.studies:,} studies in {time.perf_counter() - started:.0f} s", file=sys.stderr
            )
        name = connection.settings_dict["NAME"]
        from registry.models import IrradiationEvent, Study

        print(f"studies: {Study.objects.count():,}; events: {IrradiationEvent.objects.count():,}", flush=True)
        connection.close()  # the children open their own; a throwaway database is dropped after them
        print(f"load average before: {_load()}", flush=True)
        for case in args.cases:
            child = [sys.executable, __file__, "--reuse", name, "--measure", case]
            subprocess.run(child, check=True)  # noqa: S603 - our own script
            print(f"  load average after: {_load()}", flush=True)
    return 0


def _load() -> str:
    """The 1, 5 and 15 minute load averages: the machine is shared, so timings need them beside them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
