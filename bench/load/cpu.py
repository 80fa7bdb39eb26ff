"""Where the CPU went during a load run: our child processes by component, and the whole machine (/proc)."""

from __future__ import annotations

import os
import resource
from collections import defaultdict
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
COMPONENTS = ("gunicorn", "celery", "locust")


def _stat(pid: str) -> tuple[int, float]:
    """Parent pid and CPU seconds (user + system) of one process, from /proc/<pid>/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) ": state, ppid, ..., utime, stime
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _label(pid: int) -> str:
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return next((name for name in COMPONENTS if name in command), "other")


def by_component(root: int | None = None) -> dict[str, float]:
    """CPU seconds so far of each child of `root` (this process) together with all its descendants."""
    parent_of: dict[int, int] = {}
    seconds: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent_of[int(entry.name)], seconds[int(entry.name)] = _stat(entry.name)
            except (OSError, ValueError, IndexError):  # gone meanwhile
                continue
    children: dict[int, list[int]] = defaultdict(list)
    for pid, parent in parent_of.items():
        children[parent].append(pid)
    totals: dict[str, float] = defaultdict(float)
    for child in children[root or os.getpid()]:
        try:
            label = _label(child)
        except OSError:
            continue
        stack = [child]
        while stack:
            pid = stack.pop()
            totals[label] += seconds.get(pid, 0.0)
            stack.extend(children[pid])
    return dict(totals)


def waited_children() -> float:
    """CPU seconds of the child processes that have ended and been waited for (locust, once it is done)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine since boot, all CPUs (first line of /proc/stat)."""
    values = [int(value) / TICK for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def snapshot() -> dict[str, float]:
    busy, total = machine()
    return {**by_component(), "locust": waited_children(), "machine busy": busy, "machine total": total}


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds between two snapshots, per component and for the machine."""
    return {key: round(after.get(key, 0.0) - before.get(key, 0.0), 1) for key in after.keys() | before.keys()}
