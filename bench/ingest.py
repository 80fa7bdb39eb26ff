"""Ingest benchmark: reports/s through the real pipeline (PostgreSQL, Redis, Celery workers) against read().

Run on demand, never in the test suite:

    .venv/bin/python bench/ingest.py [--reports 400] [--workers 2] [--seed 7]

It creates a throwaway PostgreSQL database, migrates it, starts a Celery worker with `--workers` processes on
Redis, generates synthetic reports in memory (`ingest.synth`), times `ingest.rdsr.read` alone on the same
bytes, then times receiving them all (`submission_receive`: spool + queue, as every receiving path does)
until the last one is stored. Both rates and their ratio are printed; target: end-to-end at least half the
reader-only rate. Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis on 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.django_env import django_setup  # noqa: E402 - needs the project on the path

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/14"


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A new PostgreSQL database for one run, dropped afterwards."""
    import psycopg

    name = f"kerma_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def celery_worker(env: dict[str, str], processes: int, log: Path) -> Iterator[None]:
    """A real worker on Redis; waits until it says ready, stops it (and its children) afterwards."""
    with log.open("w") as output:
        worker = subprocess.Popen(  # noqa: S603 - our own venv's celery
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "registry",
                "worker",
                "--concurrency",
                str(processes),
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while "ready" not in log.read_text() and time.monotonic() < deadline:
            if worker.poll() is not None:
                raise RuntimeError(f"the worker exited: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)


def synthetic_reports(count: int, seed: int) -> list[bytes]:
    from ingest.synth import ScenarioConfig, draw_studies, write_bytes

    config = ScenarioConfig(
        studies=count, sites=4, seed=seed, date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)
    )
    return [write_bytes(spec) for spec in draw_studies(config)]


def reader_rate(reports: list[bytes]) -> float:
    from ingest.rdsr import read

    read(reports[0])  # warm-up: imports and caches
    started = time.perf_counter()
    for data in reports:
        read(data)
    return len(reports) / (time.perf_counter() - started)


def pipeline_rate(reports: list[bytes]) -> tuple[float, dict[str, int]]:
    """Receive every report as the REST/STOW/C-STORE paths do, then wait until none is pending."""
    from django.db.models import Count

    from ingest.models import Channel, Submission
    from ingest.services import submission_receive
    from registry.models import Site

    site = Site.objects.create(code="BENCH", name="Benchmark site")
    started = time.perf_counter()
    for index, data in enumerate(reports):
        submission_receive(site=site, data=data, channel=Channel.CLI, filename=f"bench-{index}.dcm")
    while Submission.objects.pending().exists():
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    states = dict(Submission.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return len(reports) / elapsed, states


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with throwaway_database() as database_url, tempfile.TemporaryDirectory() as storage:
        env = django_setup(database_url, CELERY_BROKER_URL=REDIS_URL, KERMA_STORAGE_DIR=storage)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"generating {args.reports} synthetic reports ...", file=sys.stderr)
        reports = synthetic_reports(args.reports, args.seed)
        read_rate = reader_rate(reports)
        with celery_worker(env, args.workers, Path(storage) / "worker.log"):
            end_to_end, states = pipeline_rate(reports)
    print(f"reports:               {len(reports)} ({sum(map(len, reports)) / 1e6:.1f} MB)")
    print(f"read() alone:          {read_rate:7.1f} reports/s (one process)")
    print(f"end to end:            {end_to_end:7.1f} reports/s ({args.workers} worker processes)")
    print(f"ratio end-to-end/read: {end_to_end / read_rate:7.2f} (target >= 0.5)")
    print(f"final states:          {states}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
