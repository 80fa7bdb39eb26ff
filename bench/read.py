"""Read benchmark: `ingest.rdsr.read` against the pydicom minimum, and (--pipeline) read_and_deidentify."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydicom
from pydicom.dataset import Dataset

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = Path(os.environ.get("KERMA_RDSR_CORPUS", PROJECT_ROOT.parent / "shared" / "rdsr-corpus"))
DEFAULT_REPEAT = 20
TARGET_RATIO = 1.5

Reader = Callable[[Path], Any]


def _first(sequence: Any) -> Dataset | None:
    """The first item of a code or value sequence, or None when it is absent or empty."""
    if not sequence:
        return None
    item: Dataset = sequence[0]
    return item


def walk(items: Iterable[Dataset]) -> int:
    """Touch every content item's value, recursing into ContentSequence; return how many items were seen.

    pydicom parses sequences and converts values on first access, so this is where the reading cost is paid:
    the value type, the concept code, the value field of the value type (number and unit, code, text, UID,
    date/time, person name) and the children.
    """
    count = 0
    for item in items:
        count += 1
        value_type = item.get("ValueType")
        concept = _first(item.get("ConceptNameCodeSequence"))
        if concept is not None:
            concept.get("CodeValue")
        if value_type == "NUM":
            measured = _first(item.get("MeasuredValueSequence"))
            if measured is not None:
                measured.get("NumericValue")
                unit = _first(measured.get("MeasurementUnitsCodeSequence"))
                if unit is not None:
                    unit.get("CodeValue")
        elif value_type == "CODE":
            code = _first(item.get("ConceptCodeSequence"))
            if code is not None:
                code.get("CodeValue")
        elif value_type == "TEXT":
            item.get("TextValue")
        elif value_type == "UIDREF":
            item.get("UID")
        elif value_type == "DATETIME":
            item.get("DateTime")
        elif value_type == "DATE":
            item.get("Date")
        elif value_type == "TIME":
            item.get("Time")
        elif value_type == "PNAME":
            item.get("PersonName")
        children = item.get("ContentSequence")
        if children:
            count += walk(children)
    return count


def minimum(path: Path) -> int:
    """The unavoidable cost with pydicom: parse the file, touch every content item; return the item count."""
    ds = pydicom.dcmread(path)
    return walk(ds.get("ContentSequence") or [])


def load_reader() -> tuple[Reader | None, str]:
    """`ingest.rdsr.read`, or None and the reason when the reader cannot be imported."""
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    try:
        module = importlib.import_module("ingest.rdsr")
        reader: Reader = module.read
    except (ImportError, AttributeError) as err:
        return None, f"{type(err).__name__}: {err}"
    return reader, ""


def corpus_files(folder: Path) -> list[Path]:
    """Every .dcm directly in `folder` (the negative/ subfolder is not read), sorted by name."""
    return sorted(path for path in folder.glob("*.dcm") if path.is_file())


def time_pass(func: Reader, paths: Sequence[Path], collector: bool = True) -> list[float]:
    """Seconds taken by `func` on each path, in order, with time.perf_counter.

    With `collector` off the garbage collector is disabled for the pass (and run after it): per-file times
    then show each file's own cost instead of collector pauses landing on whichever file trips a threshold.
    """
    times: list[float] = []
    if not collector:
        gc.disable()
    try:
        for path in paths:
            start = time.perf_counter()
            func(path)
            times.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return times


@dataclass(frozen=True)
class Result:
    """Median figures of one measured function over the whole folder."""

    label: str
    seconds_per_pass: float
    per_file: dict[str, float]

    def files_per_second(self, files: int) -> float:
        return files / self.seconds_per_pass

    def ms_per_file(self, files: int) -> float:
        return 1000 * self.seconds_per_pass / files

    def us_per_item(self, items: int) -> float:
        return 1e6 * self.seconds_per_pass / items


def measure(
    functions: dict[str, Reader], paths: Sequence[Path], repeat: int, collector: bool = True
) -> dict[str, Result]:
    """Time each function on every path `repeat` times, alternating which goes first; median of the passes."""
    labels = list(functions)
    passes: dict[str, list[list[float]]] = {label: [] for label in labels}
    for round_index in range(repeat):
        order = labels if round_index % 2 == 0 else labels[::-1]
        for label in order:
            gc.collect()
            passes[label].append(time_pass(functions[label], paths, collector))
    results: dict[str, Result] = {}
    for label in labels:
        totals = [sum(one_pass) for one_pass in passes[label]]
        per_file = {
            path.name: statistics.median(one_pass[index] for one_pass in passes[label])
            for index, path in enumerate(paths)
        }
        results[label] = Result(label, statistics.median(totals), per_file)
    return results


def warm_up(functions: dict[str, Reader], paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Run each function once on each path; keep the paths every function reads, describe the others."""
    kept: list[Path] = []
    problems: list[str] = []
    for path in paths:
        try:
            for func in functions.values():
                func(path)
        except Exception as err:  # a benchmark reports a failing file and goes on
            problems.append(f"{path.name}: {type(err).__name__}: {err}")
        else:
            kept.append(path)
    return kept, problems


def _load() -> str:
    """The one-minute load average, to show whether other work competed for the CPUs during the run."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER, help="folder of .dcm files")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="timed passes over the folder")
    parser.add_argument("--per-file", action="store_true", help="also print the median time of each file")
    parser.add_argument(
        "--no-gc", action="store_true", help="garbage collector off during timed passes (see time_pass)"
    )
    parser.add_argument(
        "--pipeline", action="store_true", help="time read_and_deidentify per file instead (see pipeline)"
    )
    parser.add_argument(
        "--reference", action="store_true", help="with --pipeline: the pydicom-only path it replaced"
    )
    parser.add_argument("--large-events", type=int, default=556, help="events of the large synthetic RF")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.pipeline:
        return pipeline(corpus_files(args.folder), args.repeat, args.large_events, reference=args.reference)
    paths = corpus_files(args.folder)
    if not paths:
        print(f"no .dcm files in {args.folder}", file=sys.stderr)
        return 2
    reader, why_not = load_reader()
    functions: dict[str, Reader] = {}
    if reader is not None:
        functions["read(path)"] = reader
    else:
        print(f"reader not available, measuring the minimum only ({why_not})", file=sys.stderr)
    functions["minimum (dcmread + walk)"] = minimum

    paths, problems = warm_up(functions, paths)
    for problem in problems:
        print(f"skipped {problem}", file=sys.stderr)
    if not paths:
        return 1
    items = sum(minimum(path) for path in paths)
    load_before = _load()
    results = measure(functions, paths, args.repeat, collector=not args.no_gc)

    files = len(paths)
    collector = "off during passes" if args.no_gc else "on"
    print(f"{files} files, {items} content items, {args.repeat} repeats (median), folder {args.folder}")
    print(f"garbage collector {collector}")
    print(f"load average before {load_before}, after {_load()} ({os.cpu_count()} CPUs)")
    print(f"{'':24} {'files/s':>9} {'ms/file':>9} {'us/item':>9}")
    for result in results.values():
        print(
            f"{result.label:24} {result.files_per_second(files):9.1f} {result.ms_per_file(files):9.2f}"
            f" {result.us_per_item(items):9.2f}"
        )
    if reader is not None:
        read_result, minimum_result = results.values()
        ratio = read_result.seconds_per_pass / minimum_result.seconds_per_pass
        verdict = "within" if ratio <= TARGET_RATIO else "above"
        print(f"ratio read/minimum: {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")
    if args.per_file:
        print()
        ratio_header = " ratio" if reader is not None else ""
        print(f"{'median ms per file':40} " + " ".join(f"{label:>24}" for label in results) + ratio_header)
        for path in paths:
            per_file = [result.per_file[path.name] for result in results.values()]
            times = " ".join(f"{1000 * seconds:24.2f}" for seconds in per_file)
            ratio_text = f" {per_file[0] / per_file[1]:5.2f}" if reader is not None else ""
            print(f"{path.name:40} {times}{ratio_text}")
    return 0


# --pipeline: the worker's reading and de-identification per report, against the budgets of issue 12.
BUDGET_MS = {"CT": 11.0, "RF": 90.0, "DX": 10.0, "MG": 32.0, "NM": 14.0}
BUDGET_FILE_MS = 500.0
BUDGET_LARGE_MS = 1000.0
Pipeline = Callable[[bytes], Any]


def modality_of(name: str) -> str:
    """The modality a corpus file name starts with (Dual-RDSR-DX is radiography)."""
    return "DX" if name.startswith("Dual-") else name.split("-")[0]


def large_fluoroscopy_report(events: int) -> bytes:
    """A synthetic fluoroscopy report as some units send them: `events` irradiation events, every
    sequence and item of undefined length, and the person who administered each event (TID 1020 PNAME),
    so both reading and de-identifying take their slowest paths. 556 events: 14,726 items, 3.3 MB.
    """
    import copy
    import dataclasses
    import io

    from pydicom.filewriter import dcmwrite
    from pydicom.sr.coding import Code

    from ingest.synth import ScenarioConfig, draw_studies, write_dataset
    from ingest.synth import items as it
    from ingest.synth.spec import ProjectionReportSpec

    spec = next(iter(draw_studies(ScenarioConfig(studies=1, mix={"RF": 1.0}, seed=3))))
    report = spec.report
    if not isinstance(report, ProjectionReportSpec):
        raise TypeError("the RF mix drew a CT report")
    drawn = report.events
    many = tuple(
        dataclasses.replace(drawn[i % len(drawn)], uid=f"{drawn[i % len(drawn)].uid}.{i}")
        for i in range(events)
    )
    dataset = write_dataset(dataclasses.replace(spec, report=dataclasses.replace(report, events=many)))
    person = it.code(Code("113870", "DCM", "Person Name"), Code("113851", "DCM", "Irradiation Administering"))
    del person.ConceptCodeSequence
    person.ValueType, person.PersonName = "PNAME", "Doe^Jane"
    for item in dataset.ContentSequence:
        if item.ConceptNameCodeSequence[0].CodeValue == "113706":
            item.ContentSequence.append(copy.deepcopy(person))

    def undefined(node: Dataset) -> None:
        for element in node:
            if element.VR == "SQ":
                element.is_undefined_length = True
                for child in element.value:
                    child.is_undefined_length_sequence_item = True
                    undefined(child)

    undefined(dataset)
    buffer = io.BytesIO()
    dcmwrite(buffer, dataset, enforce_file_format=True)
    return buffer.getvalue()


def _pipelines() -> tuple[Pipeline, Pipeline]:
    """read_and_deidentify, and the pydicom-only path it replaced (read a Dataset, re-encode its copy)."""
    load_reader()
    from bench.django_env import django_setup

    django_setup("sqlite://:memory:")
    from ingest.deid import deidentified_copy, deidentify_report
    from ingest.rdsr import load_dataset, read
    from ingest.reading import read_and_deidentify

    def current(data: bytes) -> Any:
        return read_and_deidentify(data, key="bench", site_code="BENCH")

    def reference(data: bytes) -> Any:
        dataset = load_dataset(data)
        report = read(dataset).as_dict()
        age = report["patient"]["age_years"]
        copy = deidentified_copy(data, dataset, key="bench", site_code="BENCH", age_years=age)
        return deidentify_report(report, key="bench", site_code="BENCH"), copy

    return current, reference


def _timed(func: Pipeline, data: bytes, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU (this process) milliseconds of `repeat` calls, after one untimed call."""
    func(data)
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func(data)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return 1000 * statistics.median(walls), 1000 * statistics.median(cpus)


def pipeline(paths: Sequence[Path], repeat: int, large_events: int, reference: bool = False) -> int:
    """Time read_and_deidentify on every file and on the large synthetic report; check the budgets."""
    current, old = _pipelines()
    func = old if reference else current
    print(f"{'reference (pydicom only)' if reference else 'read_and_deidentify'}, median of {repeat}")
    print(f"load average before {_load()} ({os.cpu_count()} CPUs)")
    per_file = {path.name: _timed(func, path.read_bytes(), repeat) for path in paths}
    for name, (wall, cpu) in per_file.items():
        print(f"{name:42} {wall:9.2f} ms wall {cpu:9.2f} ms cpu")
    within = True
    for modality, budget in BUDGET_MS.items():
        times = [value for name, value in per_file.items() if modality_of(name) == modality]
        if times:
            wall, cpu = (statistics.median(column) for column in zip(*times, strict=True))
            within &= wall <= budget
            print(f"median {modality}: {wall:7.2f} ms wall {cpu:7.2f} ms cpu (budget {budget:g} ms)")
    slowest = max(per_file, key=lambda name: per_file[name][0])
    within &= per_file[slowest][0] <= BUDGET_FILE_MS
    print(f"slowest file: {slowest} {per_file[slowest][0]:.2f} ms wall (budget {BUDGET_FILE_MS:g} ms)")
    large = large_fluoroscopy_report(large_events)
    wall, cpu = _timed(func, large, max(3, repeat // 4))
    within &= wall <= BUDGET_LARGE_MS
    size = f"{len(large) / 1e6:.1f} MB, {large_events} events"
    print(
        f"large synthetic RF ({size}): {wall:.0f} ms wall, {cpu:.0f} ms cpu (budget {BUDGET_LARGE_MS:g} ms)"
    )
    print(f"load average after {_load()}; {'within' if within else 'OVER'} the budgets (wall-clock)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
