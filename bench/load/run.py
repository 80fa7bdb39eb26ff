"""Load test: simulated hospitals send dose reports by REST and STOW-RS to gunicorn, Celery and PostgreSQL.

Run on demand, never in the test suite:

    .venv/bin/python bench/load/run.py [--users 50] [--minutes 10] [--workers 2] [--think 2,8]
                                       [--pool DIR] [--keep DIR]

It writes each hospital's pool of unique synthetic dose reports (`ingest.synth`, before anything is timed;
`--pool DIR` keeps them there and reuses them next time), creates a throwaway PostgreSQL database, migrates
it, creates one site and upload token per hospital, starts gunicorn (docs/deployment.md) and a Celery worker
with `--workers` processes on Redis (the database in `--redis`, emptied before and after), runs
bench/load/locustfile.py headless for `--minutes`, samples the queue depth every `--interval` seconds, waits
until every submission is final, prints the figures and removes everything it made (also on Ctrl-C).
`--keep DIR` keeps locust's CSVs, the logs and summary.json there. Needs PostgreSQL on 127.0.0.1:5432 (trust).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import signal
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.django_env import django_setup
from bench.ingest import celery_worker, throwaway_database
from bench.load import cpu, payloads, processes, summary
from bench.load.sampling import QueueSampler, Sample

REDIS_URL = "redis://127.0.0.1:6379/12"


def pool_size(seconds: float, think: tuple[float, float]) -> int:
    """Reports per hospital: a quarter more than it sends on average (with no response time), plus 10."""
    mean = max(sum(think) / 2, 0.2)
    return math.ceil(1.25 * seconds / mean) + 10


def ensure_pool(folder: Path, hospitals: int, per_hospital: int, seed: int) -> None:
    if payloads.pool_matches(folder, hospitals, per_hospital, seed):
        print(f"reusing the reports in {folder}", file=sys.stderr)
        return
    print(f"writing {hospitals} x {per_hospital} synthetic reports into {folder} ...", file=sys.stderr)
    started = time.perf_counter()
    written = payloads.write_pools(folder, payloads.draw_pools(hospitals, per_hospital, seed), seed)
    print(f"  {written} reports in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def service_env(storage: Path, redis_url: str) -> dict[str, str]:
    """Production settings (DEBUG off) on plain local HTTP, as behind a TLS proxy but without it."""
    return {
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "KERMA_PSEUDONYM_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "CELERY_BROKER_URL": redis_url,
        "KERMA_STORAGE_DIR": str(storage),
    }


def hospitals_create(count: int, pool: Path) -> list[payloads.Hospital]:
    """One site per hospital, coded as its synthetic site, with a token issued as `add_site` does."""
    from ingest.management.commands.add_site import site_create
    from registry.models import SiteType

    made = []
    for index in range(count):
        code = f"S{index + 1:02d}"  # ingest.synth.fleet's site codes, so a pool folder names its site
        _, secret = site_create(
            code=code, name=f"Load hospital {code}", country="GB", type=SiteType.HOSPITAL, ae_titles=[]
        )
        made.append(payloads.Hospital(code, secret, str(pool / code)))
    return made


def redis_empty(url: str) -> None:
    import redis

    with redis.Redis.from_url(url) as client:
        client.flushdb()


def wait_final(timeout: float) -> bool:
    from ingest.models import Submission

    deadline = time.monotonic() + timeout
    while Submission.objects.pending().exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM tears down like Ctrl-C


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simulated hospitals (default 50)")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--think", default="2,8", help="seconds between two reports of a hospital: MIN,MAX")
    parser.add_argument("--spawn-rate", type=float, default=10, help="hospitals started per second")
    parser.add_argument("--interval", type=float, default=10, help="seconds between queue samples")
    parser.add_argument("--seed", type=int, default=payloads.POOL_SEED)
    parser.add_argument("--pool", type=Path, help="keep the generated reports here and reuse them")
    parser.add_argument("--keep", type=Path, help="keep locust's CSVs, the logs and summary.json here")
    parser.add_argument(
        "--redis", default=REDIS_URL, help=f"broker; its database is emptied (default {REDIS_URL})"
    )
    parser.add_argument("--drain-timeout", type=float, default=1800, help="seconds to wait for the backlog")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    think, seconds = payloads.think_time(args.think), round(args.minutes * 60)
    signal.signal(signal.SIGTERM, _interrupt)
    with tempfile.TemporaryDirectory(prefix="kerma-load-") as temporary:
        work = Path(temporary)
        out = args.keep or work / "out"
        out.mkdir(parents=True, exist_ok=True)
        pool = (args.pool or work / "pool").resolve()
        per_hospital = pool_size(seconds, think)
        ensure_pool(pool, args.users, per_hospital, args.seed)  # before Django is set up: it forks
        with ExitStack() as stack:
            run = _run(args, stack, work, out, pool, seconds)
        figures = {"setup": _setup(args, per_hospital), **run}
        figures["doors"] = [asdict(door) for door in summary.doors(out)]
        (out / "summary.json").write_text(json.dumps(figures, indent=1, default=str))
        return _print(figures, out)


def _run(
    args: argparse.Namespace, stack: ExitStack, work: Path, out: Path, pool: Path, seconds: int
) -> dict[str, object]:
    """Start everything inside `stack` (which stops it all), run locust, wait for the backlog, count."""
    database_url = stack.enter_context(throwaway_database())
    env = django_setup(database_url, **service_env(work / "storage", args.redis))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    hospitals_file = work / "hospitals.json"
    payloads.hospitals_write(hospitals_file, hospitals_create(args.users, pool))
    redis_empty(args.redis)
    stack.callback(redis_empty, args.redis)
    stack.enter_context(celery_worker(env, args.workers, out / "worker.log"))
    url = stack.enter_context(processes.gunicorn(env, args.web_workers, out))
    locust_env = {**env, "KERMA_LOAD_HOSPITALS": str(hospitals_file), "KERMA_LOAD_THINK": args.think}
    sampler = stack.enter_context(QueueSampler(args.redis, args.interval))
    print(f"{args.users} hospitals for {seconds} s against {url} ...", file=sys.stderr)
    load_start, cpu_before = datetime.now(UTC), cpu.snapshot()
    exit_code = processes.locust(locust_env, url, args.users, args.spawn_rate, seconds, out)
    load_end, cpu_after = datetime.now(UTC), cpu.snapshot()
    sampler.phase = "drain"
    print(f"locust exited with {exit_code}; waiting until every submission is final ...", file=sys.stderr)
    drained = wait_final(args.drain_timeout)
    time.sleep(args.interval)  # one more sample with everything final
    return {
        "locust_exit_code": exit_code,
        "drained": drained,
        "load_start": load_start.isoformat(),
        "load_end": load_end.isoformat(),
        "submissions": summary.submissions(load_start, load_end),
        "cpu_s_during_load": cpu.spent(cpu_before, cpu_after),
        "samples": [asdict(sample) for sample in sampler.samples],
        "sampler_errors": sampler.errors,
    }


def _setup(args: argparse.Namespace, per_hospital: int) -> dict[str, object]:
    return {
        "users": args.users,
        "minutes": args.minutes,
        "celery_processes": args.workers,
        "gunicorn_workers": args.web_workers,
        "think_s": args.think,
        "reports_per_hospital_pool": per_hospital,
        "cpus": os.cpu_count(),
        "date": datetime.now(UTC).date().isoformat(),
    }


def _print(figures: dict[str, Any], out: Path) -> int:
    """Print the figures; 0 when there was no failure and every submission ended stored."""
    rows, failed = summary.doors(out), summary.failures(out)
    report, samples = figures["submissions"], [Sample(**row) for row in figures["samples"]]
    during = [sample.load1 for sample in samples if sample.phase == "load"] or [0.0]
    print(f"setup: {figures['setup']}")
    summary.print_doors(rows)
    for line in failed:
        print(f"failure: {line}")
    print(f"submissions: {report['received']} received ({report['received_per_s']:.2f}/s during the load)")
    print(
        f"stored: {report['stored']}; {report['stored_per_s_during_load']:.2f}/s during the load, "
        f"{report['stored_per_s_overall']:.2f}/s from the start to the last stored "
        f"(the last {report['last_stored_after_load_s'] or 0:.0f} s after locust stopped)"
    )
    p50, p95, p99 = report["door_to_stored_s"]
    print(f"door to stored: p50 {p50:.1f} s, p95 {p95:.1f} s, p99 {p99:.1f} s")
    print(f"final states: {report['states']} (all final: {figures['drained']})")
    print(
        f"queue max: Redis {max((s.queued for s in samples), default=0)}, not final "
        f"{max((s.pending for s in samples), default=0)}"
    )
    print(f"load average (1 min) during the load: mean {statistics.fmean(during):.2f}, max {max(during):.2f}")
    spent = figures["cpu_s_during_load"]
    ours = sum(spent.get(name, 0.0) for name in cpu.COMPONENTS)
    parts = ", ".join(f"{name} {spent.get(name, 0.0):.0f}" for name in cpu.COMPONENTS)
    print(
        f"CPU seconds during the load: {parts}; "
        f"whole machine {spent['machine busy']:.0f} busy of {spent['machine total']:.0f} (the other "
        f"{spent['machine busy'] - ours:.0f}: PostgreSQL, Redis and everything else running on the machine)"
    )
    for name in ("gunicorn.log", "worker.log", "locust.log"):
        count, lines = summary.log_problems(out / name)
        print(f"{name}: {count} error lines" + "".join(f"\n  {line}" for line in lines))
    print(f"door requests answered (gunicorn access log): {summary.access_statuses(out / 'access.log')}")
    print(f"sampler errors: {figures['sampler_errors']}")
    summary.print_series(samples)
    errors = sum(row.failures for row in rows if row.name != "Aggregated")
    stored_all = report["stored"] == report["received"]
    return 0 if errors == 0 and figures["drained"] and stored_all else 1


if __name__ == "__main__":
    raise SystemExit(main())
