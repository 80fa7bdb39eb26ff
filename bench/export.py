"""Export benchmark: the events CSV and the studies XLSX over a large synthetic registry on PostgreSQL.

Run on demand, never in the test suite:

    .venv/bin/python bench/export.py [--studies 625000] [--seed 7] [--keep | --reuse DB]

It loads the registry of bench/stats.py with COPY (625,000 studies give about 1,000,000 irradiation events),
then runs each export in its own child process, so that each one's peak resident memory
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`) is its own: the events CSV through `csv_chunks` exactly as
`GET /exports/events.csv` streams it (the bytes go to a hash, not to a socket), and the studies workbook
through `write_workbook` into a temporary file. Target: peak under 300 MB each. Needs PostgreSQL on
127.0.0.1:5432 (trust auth).
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.django_env import django_setup  # noqa: E402 - needs the project on the path


def measure(kind: str) -> str:
    """One export of every study (or event); returns a line with rows, bytes, seconds and peak RSS."""
    from django.db import transaction
    from django.utils import timezone

    from registry.exports.columns import EVENT_COLUMNS, event_rows
    from registry.exports.csv_stream import CHUNK_ROWS, csv_chunks
    from registry.exports.xlsx import write_workbook
    from registry.models import Study

    started = time.perf_counter()
    with transaction.atomic():  # a server-side cursor needs a transaction on PostgreSQL
        studies = Study.objects.all()
        if kind == "csv":
            digest, size, rows = hashlib.sha256(), 0, 0
            for chunk in csv_chunks(EVENT_COLUMNS, event_rows(studies).iterator(chunk_size=CHUNK_ROWS)):
                digest.update(chunk)
                size += len(chunk)
                rows += chunk.count(b"\n")
            rows -= 1
        else:
            with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
                rows = write_workbook(handle.name, studies, filters={}, generated_at=timezone.now())
                size = Path(handle.name).stat().st_size
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"{kind:5} rows {rows:>10,}  {size / 1e6:8.1f} MB  {seconds:7.1f} s  peak RSS {peak_mb:6.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=625_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Leave the database for --reuse.")
    parser.add_argument("--reuse", metavar="DB", help="Export an already loaded database; load nothing.")
    parser.add_argument("--measure", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
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
        for kind in ("csv", "xlsx"):
            child = [sys.executable, __file__, "--reuse", name, "--measure", kind]
            subprocess.run(child, check=True)  # noqa: S603 - our own script
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
