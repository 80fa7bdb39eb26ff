"""The figures of a load run: locust's per-door latencies, the submissions' fates, the logs' complaints."""

from __future__ import annotations

import csv
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.load.sampling import Sample

PROBLEM = re.compile(r"ERROR|CRITICAL|Traceback|WORKER TIMEOUT|Exception")
ACCESS_POST = re.compile(r'"POST (\S+) [^"]*" (\d{3}) ')


@dataclass(frozen=True)
class Door:
    name: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    rps: float


def doors(out: Path) -> list[Door]:
    """One row per door and the aggregate, from locust's `locust_stats.csv` (its percentiles, in ms)."""
    path = out / "locust_stats.csv"
    if not path.exists():
        return []
    with path.open(newline="") as rows:
        return [
            Door(
                row["Name"],
                int(row["Request Count"]),
                int(row["Failure Count"]),
                float(row["50%"] or 0),
                float(row["95%"] or 0),
                float(row["99%"] or 0),
                float(row["Max Response Time"] or 0),
                float(row["Requests/s"] or 0),
            )
            for row in csv.DictReader(rows)
        ]


def failures(out: Path) -> list[str]:
    path = out / "locust_failures.csv"
    if not path.exists():
        return []
    with path.open(newline="") as rows:
        return [f"{row['Occurrences']} x {row['Name']}: {row['Error']}" for row in csv.DictReader(rows)]


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 (inclusive method); zeros when there are fewer than two values."""
    if len(values) < 2:
        return (values[0],) * 3 if values else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def submissions(load_start: datetime, load_end: datetime) -> dict[str, object]:
    """What happened to every submission: states per channel, rates, time from the door to stored."""
    from django.db.models import Count, Max

    from ingest.models import State, Submission

    by_channel = Submission.objects.values_list("channel", "state").annotate(n=Count("pk"))
    stored = Submission.objects.filter(state=State.STORED)
    waits = [
        (finished - received).total_seconds()
        for received, finished in stored.values_list("received_at", "finished_at")
        if finished is not None
    ]
    last = stored.aggregate(last=Max("finished_at"))["last"]
    load_s = (load_end - load_start).total_seconds()
    return {
        "states": {f"{channel} {state}": n for channel, state, n in by_channel.order_by("channel", "state")},
        "received": Submission.objects.count(),
        "received_per_s": Submission.objects.count() / load_s,
        "stored": len(waits),
        "stored_during_load": stored.filter(finished_at__lte=load_end).count(),
        "stored_per_s_during_load": stored.filter(finished_at__lte=load_end).count() / load_s,
        "stored_per_s_overall": len(waits) / (last - load_start).total_seconds() if last else 0.0,
        "last_stored_after_load_s": (last - load_end).total_seconds() if last else None,
        "door_to_stored_s": percentiles(waits),
    }


def log_problems(path: Path, limit: int = 20) -> tuple[int, list[str]]:
    """How many lines of a log look like an error, and the first `limit` of them."""
    if not path.exists():
        return 0, []
    lines = [line.rstrip() for line in path.open(errors="replace") if PROBLEM.search(line)]
    return len(lines), lines[:limit]


def access_statuses(path: Path) -> dict[str, int]:
    """Door requests (POSTs) per path and HTTP status in gunicorn's access log: every request it answered."""
    if not path.exists():
        return {}
    found = (ACCESS_POST.search(line) for line in path.open(errors="replace"))
    return dict(sorted(Counter(f"{match[1]} {match[2]}" for match in found if match).items()))


def print_series(samples: list[Sample], every: int = 1) -> None:
    """The queue depth as a Markdown table (every `every`-th sample, and the last)."""
    print("| t (s) | phase | Redis queue | held by workers | not final | stored | load 1 min |")
    print("|---|---|---|---|---|---|---|")
    for index, sample in enumerate(samples):
        if index % every == 0 or index == len(samples) - 1:
            print(
                f"| {sample.t_s:.0f} | {sample.phase} | {sample.queued} | {sample.reserved} | "
                f"{sample.pending} | {sample.stored} | {sample.load1:.2f} |"
            )


def print_doors(rows: list[Door]) -> None:
    print("| door | requests | failures | p50 ms | p95 ms | p99 ms | max ms | req/s |")
    print("|---|---|---|---|---|---|---|---|")
    for door in rows:
        print(
            f"| {door.name} | {door.requests} | {door.failures} | {door.p50_ms:.0f} | {door.p95_ms:.0f} | "
            f"{door.p99_ms:.0f} | {door.max_ms:.0f} | {door.rps:.2f} |"
        )
