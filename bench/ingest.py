"""Ingest benchmark: each vendor report door to stored in a Celery worker, and reports/s with 1, 2, 4 workers.

Run on demand, never in the test suite:

    .venv/bin/python bench/ingest.py [--corpus DIR] [--rounds 5] [--reports 300] [--workers 1 2 4]
                                     [--seed 7] [--conn-max-age SECONDS] [--skip-corpus] [--skip-throughput]
                                     [--no-rules]

It creates a throwaway PostgreSQL database (dropped at the end), migrates it and starts real Celery workers on
Redis (db 13), with the project's settings; `--conn-max-age` sets `conn_max_age` in the workers'
DATABASE_URL (the settings keep connections 600 s by default; `--conn-max-age 0` measures a connection per
task). The database holds the demo's 44 mapping rules (`seed_demo_mappings`), so every report is mapped
as in a registry in use (`--no-rules`: none). Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis on
127.0.0.1:6379.

1. **Per report, the vendor corpus** (`--corpus`, default `$KERMA_RDSR_CORPUS` or ../shared/rdsr-corpus; every
   .dcm file, not `negative/`). One worker process. Each file is received alone through
   `ingest.services.submission_receive` (what every door calls) and the next is sent only once it is final,
   so nothing queues. A report's time is its Submission's `finished_at - received_at`: from the moment the
   door builds the row (before it spools the bytes) to the final state the worker sets in the transaction that
   stores the report. It holds the door's spool write, commit and enqueue, the broker, and the whole task:
   claim, read, de-identify, the de-identified copy, store, finish. The door's own time (what a sender waits
   for) is printed apart. One untimed round warms the worker first, then `--rounds` timed rounds; each round's
   copies get fresh SOP and Study Instance UIDs, rewritten in the bytes with same-length `2.25.` UIDs (so
   the files read exactly as the originals do), the reports of one study sharing one new Study UID, so no copy
   is a duplicate and cumulative reports still merge. Per modality (file-name prefix; `Dual-RDSR-DX` counts as
   DX): the median over its reports and rounds, the slowest file (its median over rounds) and the slowest
   single report, against OpenREM 1.0's medians on a 2-core machine on the same files (issue 12) and the 10x
   target.
2. **Throughput, synthetic reports** (`ingest.synth`, `--reports` of them): all received at once, then stored
   by a worker with 1, 2 and 4 processes (`--workers`), each run at its own site after a short warm-up;
   reports/s is the count over (last `finished_at` - first `received_at`). `ingest.rdsr.read` alone on the
   same bytes, in this process, is printed beside it.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.django_env import django_setup  # noqa: E402 - needs the project on the path

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/13"
DEFAULT_CORPUS = Path(os.environ.get("KERMA_RDSR_CORPUS", PROJECT_ROOT.parent / "shared" / "rdsr-corpus"))
# OpenREM 1.0, median ms per report on a 2-core machine, same vendor files (issue 12); target: 10x faster.
OPENREM_MS = {"CT": 219, "RF": 1826, "DX": 201, "MG": 653, "NM": 277}
POLL_S = 0.005


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
def celery_worker(env: dict[str, str], processes: int, log: Path, level: str = "WARNING") -> Iterator[None]:
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
                level,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
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


def modality_of(name: str) -> str:
    """CT, RF, DX, MG or NM by the corpus file's name (`Dual-RDSR-DX` is radiography)."""
    return "DX" if name.startswith("Dual-") else name.split("-", 1)[0]


def corpus_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.dcm"))}


def _same_length_uid(length: int) -> str:
    digits = str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(length - 6))
    return "2.25." + digits


def fresh_copies(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with new SOP and Study Instance UIDs of the same length, replaced in the bytes.

    A file's study gets the same new UID in every file of that study, so cumulative and continued reports of
    one study still merge. Every occurrence is replaced (file meta, dataset, any reference), and the value
    lengths do not change, so the copies parse exactly like the originals.
    """
    import pydicom

    studies: dict[str, str] = {}
    copies = {}
    for name, data in files.items():
        dataset = pydicom.dcmread(pydicom.filebase.DicomBytesIO(data), stop_before_pixels=True)
        study_uid, sop_uid = str(dataset.StudyInstanceUID), str(dataset.SOPInstanceUID)
        studies.setdefault(study_uid, _same_length_uid(len(study_uid)))
        data = data.replace(study_uid.encode(), studies[study_uid].encode())
        copies[name] = data.replace(sop_uid.encode(), _same_length_uid(len(sop_uid)).encode())
    return copies


def _wait_final(submission_id: Any, timeout: float = 60) -> Any:
    from ingest.models import Submission

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        submission = Submission.objects.filter(pk=submission_id).first()
        if submission is not None and submission.is_final:
            return submission
        time.sleep(POLL_S)
    raise RuntimeError(f"submission {submission_id} not final after {timeout} s")


def send_alone(site: Any, files: dict[str, bytes]) -> dict[str, tuple[float, float, str]]:
    """Each file received alone, the next once it is final: {name: (ms door to stored, ms door, state)}."""
    from ingest.models import Channel
    from ingest.services import submission_receive

    times = {}
    for name, data in files.items():
        started = time.perf_counter()
        submission = submission_receive(site=site, data=data, channel=Channel.CLI, filename=name)
        door_ms = (time.perf_counter() - started) * 1000
        done = _wait_final(submission.pk)
        stored_ms = (done.finished_at - done.received_at).total_seconds() * 1000
        times[name] = (stored_ms, door_ms, str(done.state))
    return times


def corpus_per_report(files: dict[str, bytes], rounds: int) -> list[dict[str, tuple[float, float, str]]]:
    from registry.models import Site

    site = Site.objects.create(code="BENCH-CORPUS", name="Benchmark corpus site")
    send_alone(site, fresh_copies(files))  # warm-up: imports, caches, the devices and the connection
    return [send_alone(site, fresh_copies(files)) for _ in range(rounds)]


def task_times(log: Path, files: int, rounds: int) -> list[dict[int, float]]:
    """The worker's own run time of each task (ms; Celery's "succeeded in" at INFO), per round and file.

    One worker process and one report at a time, so the log's order is the sending order: the warm-up round
    first, then each timed round.
    """
    times = [float(seconds) * 1000 for seconds in re.findall(r"succeeded in ([0-9.e-]+)s", log.read_text())]
    if len(times) != files * (rounds + 1):
        print(f"task times: {len(times)} in the worker's log, not {files * (rounds + 1)}", file=sys.stderr)
        print(log.read_text()[-3000:], file=sys.stderr)
        return []
    return [dict(enumerate(times[files * (run + 1) : files * (run + 2)])) for run in range(rounds)]


def print_corpus(runs: list[dict[str, tuple[float, float, str]]], tasks: list[dict[int, float]]) -> None:
    """Per modality: median door to stored, median task run time, slowest file, against OpenREM."""
    per_file: dict[str, list[float]] = defaultdict(list)
    per_task: dict[str, list[float]] = defaultdict(list)
    doors: list[float] = []
    states: dict[str, int] = defaultdict(int)
    for run, task in zip(runs, tasks or [{}] * len(runs), strict=True):
        for index, (name, (stored_ms, door_ms, state)) in enumerate(run.items()):
            per_file[name].append(stored_ms)
            per_task[name] += [task[index]] if index in task else []
            doors.append(door_ms)
            states[state] += 1
    print(f"\nPer report, door to stored, 1 worker process: {len(per_file)} files x {len(runs)} rounds")
    print(
        "modality  files  median ms  task ms  slowest file (median ms)                      max ms"
        "  OpenREM ms  OpenREM/Kerma  target ms  met"
    )
    for modality, openrem in OPENREM_MS.items():
        names = [name for name in per_file if modality_of(name) == modality]
        if not names:
            continue
        samples = [ms for name in names for ms in per_file[name]]
        task_ms = [ms for name in names for ms in per_task[name]]
        median, task_median = (
            statistics.median(samples),
            statistics.median(task_ms) if task_ms else float("nan"),
        )
        slowest = max(names, key=lambda name: statistics.median(per_file[name]))
        slow = f"{slowest} ({statistics.median(per_file[slowest]):.0f})"
        target = openrem / 10
        print(
            f"{modality:8}  {len(names):5}  {median:9.1f}  {task_median:7.1f}  {slow:44}  {max(samples):6.0f}"
            f"  {openrem:10}  {openrem / median:12.1f}x  {target:9.1f}  {'yes' if median <= target else 'no'}"
        )
    every = [ms for samples in per_file.values() for ms in samples]
    print(f"all files: median {statistics.median(every):.1f} ms, slowest report {max(every):.0f} ms (< 1000)")
    print(f"door alone (submission_receive): median {statistics.median(doors):.1f} ms; states {dict(states)}")


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


def pipeline_rate(reports: list[bytes], code: str) -> tuple[float, dict[str, int]]:
    """Receive every report at a new site as the doors do, wait until all are final: reports/s, states."""
    from django.db.models import Count, Max, Min

    from ingest.models import Channel, Submission
    from ingest.services import submission_receive
    from registry.models import Site

    site = Site.objects.create(code=code, name=f"Benchmark site {code}")
    for index, data in enumerate(reports):
        submission_receive(site=site, data=data, channel=Channel.CLI, filename=f"bench-{index}.dcm")
    submissions = Submission.objects.filter(site=site)
    while submissions.pending().exists():
        time.sleep(0.05)
    span = submissions.aggregate(first=Min("received_at"), last=Max("finished_at"))
    elapsed = (span["last"] - span["first"]).total_seconds()
    states = dict(
        submissions.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return len(reports) / elapsed, states


def throughput(env: dict[str, str], storage: Path, args: argparse.Namespace) -> None:
    print(f"\ngenerating {args.reports} synthetic reports ...", file=sys.stderr)
    reports = synthetic_reports(args.reports, args.seed)
    read_rate = reader_rate(reports)
    size = sum(map(len, reports)) / 1e6
    print(f"\nThroughput, {len(reports)} synthetic reports ({size:.1f} MB) received at once")
    print(f"read() alone:  {read_rate:7.1f} reports/s (one process)")
    for processes in args.workers:
        with celery_worker(env, processes, storage / f"worker-{processes}.log"):
            pipeline_rate(reports[: 4 * processes], f"WARM-{processes}")
            rate, states = pipeline_rate(reports, f"BENCH-{processes}")
        print(f"{processes} worker process{'es' if processes > 1 else '  '}: {rate:7.1f} reports/s {states}")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--conn-max-age", type=int, default=None, help="persistent worker connections (s)")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--no-rules", action="store_true", help="no mapping rules (the demo's 44 by default)")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs, load average before: {load_average()}")
    with throwaway_database() as database_url, tempfile.TemporaryDirectory() as storage:
        if args.conn_max_age is not None:
            database_url += f"?conn_max_age={args.conn_max_age}"
        env = django_setup(database_url, CELERY_BROKER_URL=REDIS_URL, KERMA_STORAGE_DIR=storage)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        if not args.no_rules:  # every stored study is mapped by the rules, as in a registry in use
            call_command("seed_demo_mappings", stdout=io.StringIO())
        _flush_queue()
        if not args.skip_corpus:
            files = corpus_files(args.corpus)
            if not files:
                parser.error(f"no .dcm files in {args.corpus} (--corpus or KERMA_RDSR_CORPUS)")
            log = Path(storage) / "worker-corpus.log"
            with celery_worker(env, 1, log, level="INFO"):
                runs = corpus_per_report(files, args.rounds)
            print_corpus(runs, task_times(log, len(files), args.rounds))
        if not args.skip_throughput:
            throughput(env, Path(storage), args)
    print(f"load average after: {load_average()}")
    return 0


def _flush_queue() -> None:
    """Drop messages a killed earlier run left in the bench's Redis database (they name dropped databases)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


if __name__ == "__main__":
    raise SystemExit(main())
