"""Statistics benchmark: the DRL statistics API and the dashboards over a large registry on PostgreSQL.

Run on demand, never in the test suite:

    .venv/bin/python bench/stats.py [--studies 1000000] [--repeat 5] [--seed 7] [--keep | --reuse DB]
                                    [--only REGEX] [--explain-over MS]

It creates a throwaway PostgreSQL database, migrates it and loads `--studies` synthetic studies with COPY
(not through the ingest path): 50 sites with 2 devices each, 20 standard exams (CT, DX, RF, MG), 24 months,
log-normal DLP / DAP / AGD around a per-site level, patient weights, ages and sexes, and the descriptions,
pseudonyms and acquisition details a stored report has (so rows are as wide as stored ones); one dose report
per study, two CT acquisitions (CTDIvol, DLP, a protocol) per CT study and four views (AGD) per mammogram.
Then it times `GET /api/v1/stats/drl/` (Django's test client, real database, a superuser who sees every
site) for a few exam / metric / grouping combinations, the DRL and protocols dashboard pages and each of
their chart fragments, prints the timings (median and best of `--repeat` runs after one warm-up), the time
of each SQL query, and EXPLAIN (ANALYZE, BUFFERS) of the grouping queries (or, with --explain-over, of every
query slower than that). Target: each request under 1 second at 1,000,000 studies. Needs PostgreSQL on
127.0.0.1:5432 (trust auth). `--keep` leaves the database for later runs; `--reuse NAME` migrates and
times an already loaded one; `--only` times the requests whose label matches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.django_env import django_setup  # noqa: E402 - needs the project on the path

SITES = 50
DEVICES_PER_SITE = 2
MONTHS = 24
FIRST_DAY = date(2023, 1, 1)
CHUNK = 50_000

# (modality, name, metric column, typical value in the canonical unit, share of the studies)
EXAMS: list[tuple[str, str, str, float, float]] = [
    ("CT", "Head routine", "ct_dlp_total_mgycm", 900.0, 0.10),
    ("CT", "Chest", "ct_dlp_total_mgycm", 350.0, 0.09),
    ("CT", "Abdomen-pelvis", "ct_dlp_total_mgycm", 600.0, 0.09),
    ("CT", "Chest-abdomen-pelvis", "ct_dlp_total_mgycm", 800.0, 0.06),
    ("CT", "CT pulmonary angiogram", "ct_dlp_total_mgycm", 400.0, 0.04),
    ("CT", "Cervical spine", "ct_dlp_total_mgycm", 450.0, 0.03),
    ("CT", "Lumbar spine", "ct_dlp_total_mgycm", 700.0, 0.02),
    ("CT", "Sinuses", "ct_dlp_total_mgycm", 150.0, 0.02),
    ("CT", "Coronary calcium", "ct_dlp_total_mgycm", 100.0, 0.02),
    ("CT", "KUB", "ct_dlp_total_mgycm", 300.0, 0.03),
    ("DX", "Chest PA", "dap_total_gym2", 0.1e-4, 0.18),
    ("DX", "Abdomen AP", "dap_total_gym2", 2.0e-4, 0.04),
    ("DX", "Pelvis AP", "dap_total_gym2", 1.8e-4, 0.04),
    ("DX", "Lumbar spine AP", "dap_total_gym2", 1.5e-4, 0.03),
    ("RF", "Barium swallow", "dap_total_gym2", 8.0e-4, 0.02),
    ("RF", "Coronary angiography", "dap_total_gym2", 25.0e-4, 0.03),
    ("RF", "PCI", "dap_total_gym2", 60.0e-4, 0.02),
    ("MG", "Screening mammogram", "agd_total_left_mgy", 3.0, 0.10),
    ("MG", "Diagnostic mammogram", "agd_total_left_mgy", 3.5, 0.03),
    ("MG", "Tomosynthesis", "agd_total_left_mgy", 4.0, 0.03),
]


@contextmanager
def database(reuse: str | None, keep: bool) -> Iterator[str]:
    """A throwaway database (bench.ingest's), kept with --keep, or an existing one with --reuse."""
    if reuse:
        yield f"postgres://postgres@127.0.0.1:5432/{reuse}"
        return
    from bench.ingest import throwaway_database

    if not keep:
        with throwaway_database() as url:
            yield url
        return
    import psycopg

    name = f"kerma_bench_stats_{os.getpid()}"
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    print(f"database kept: {name}", file=sys.stderr)
    yield f"postgres://postgres@127.0.0.1:5432/{name}"


def _copy(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _required(model: Any, given: list[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The NOT NULL columns `given` leaves out, and their Django defaults (Django sets no DB defaults)."""
    from django.db import connection

    fields = [
        field
        for field in model._meta.concrete_fields
        if field.column not in given and not field.null and not field.primary_key
    ]
    return [f.column for f in fields], tuple(f.get_db_prep_save(f.get_default(), connection) for f in fields)


class Loader:
    """Generates and COPYs the synthetic registry, CHUNK studies at a time (with their reports and events)."""

    def __init__(self, seed: int) -> None:
        from registry.models import Device, Site, StandardExam

        self.random = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
        sites = Site.objects.bulk_create(Site(code=f"S{n:02d}", name=f"Hospital {n}") for n in range(SITES))
        self.devices = {
            site.pk: Device.objects.bulk_create(
                Device(site=site, identity_key=f"uid:{site.pk}.{d}", display_name=f"{site.code} room {d + 1}")
                for d in range(DEVICES_PER_SITE)
            )
            for site in sites
        }
        # get_or_create: the migrations seed a catalogue of standard exams that may hold some of these.
        self.exams = [StandardExam.objects.get_or_create(modality=m, name=n)[0] for m, n, *_ in EXAMS]
        self.exam_names = {exam.pk: exam.name for exam in self.exams}
        # Each site works at its own level for each exam: the spread the DRL is about.
        self.level = {(s.pk, e.pk): self.random.lognormvariate(0, 0.3) for s in sites for e in self.exams}
        self.site_ids = [site.pk for site in sites]
        self.shares = [share for *_, share in EXAMS]

    def load(self, studies: int) -> None:
        from registry.models import DoseReport, IrradiationEvent, Study

        study_columns = [
            "id",
            "site_id",
            "study_instance_uid",
            "study_date",
            "modality",
            "modalities",
            "standard_exam_id",
            "patient_age_years",
            "patient_sex",
            "patient_weight_kg",
            "ct_dlp_total_mgycm",
            "dap_total_gym2",
            "agd_total_left_mgy",
            "agd_total_right_mgy",
            "device_id",
            *STORED_TEXT,
            "dose_rp_total_gy",
        ]
        report_columns = [
            "id",
            "study_id",
            "device_id",
            "sop_instance_uid",
            "sop_class_uid",
            "template",
            "modality",
        ]
        event_columns = [
            "id",
            "study_id",
            "report_id",
            "device_id",
            "uid",
            "kind",
            "modality",
            "protocol",
            "ctdivol_mgy",
            "dlp_mgycm",
            "agd_mgy",
            *EVENT_DETAIL,
        ]
        tables = [
            (Study._meta.db_table, study_columns, _required(Study, study_columns)),
            (DoseReport._meta.db_table, report_columns, _required(DoseReport, report_columns)),
            (IrradiationEvent._meta.db_table, event_columns, _required(IrradiationEvent, event_columns)),
        ]
        self.event_id = 0
        for start in range(0, studies, CHUNK):
            chunk = self._chunk(start + 1, min(start + CHUNK, studies) + 1)
            for (table, columns, (extra, defaults)), rows in zip(tables, chunk, strict=True):
                _copy(table, columns + extra, [row + defaults for row in rows])
            print(f"  loaded {min(start + CHUNK, studies):>9,} studies", file=sys.stderr, end="\r")
        print(file=sys.stderr)

    def _chunk(self, first: int, stop: int) -> tuple[list[tuple[Any, ...]], ...]:
        studies, reports, events = [], [], []
        for pk in range(first, stop):
            study, device, values = self._study(pk)
            protocol = self._protocol(study[1], study[6])
            studies.append(study)
            reports.append(
                (pk, pk, device, f"2.25.{pk}.1", "1.2.840.10008.5.1.4.1.1.88.67", "10011", study[4])
            )
            for value in values:
                self.event_id += 1
                # A CT event's DLP is its half of the study's (two sequences); no random number is drawn,
                # so the studies are the same as before events had protocols and DLPs.
                ct = study[4] == "CT"
                ctdivol, dlp, agd = (value, study[10] / 2, None) if ct else (None, None, value)
                kind = "ct" if ct else "projection"
                events.append(
                    (
                        self.event_id,
                        pk,
                        pk,
                        device,
                        f"1.2.826.0.1.3680043.10.1082.{pk}.{self.event_id}.1",
                        kind,
                        study[4],
                        protocol,
                        ctdivol,
                        dlp,
                        agd,
                        *_event_detail(ct),
                    )
                )
        return studies, reports, events

    def _protocol(self, site: int, exam: int) -> str:
        """The protocol name a site's devices run for an exam: one of three spellings per exam, by site."""
        name = self.exam_names[exam].upper()
        return (name, f"{name}^ADULT", f"{name} V2")[site % 3]

    def _study(self, pk: int) -> tuple[tuple[Any, ...], int, list[float]]:
        rng = self.random
        site = rng.choice(self.site_ids)
        index = rng.choices(range(len(EXAMS)), self.shares)[0]
        modality, _, column, typical, _ = EXAMS[index]
        exam = self.exams[index]
        value = typical * self.level[(site, exam.pk)] * rng.lognormvariate(0, 0.45)
        day = FIRST_DAY + timedelta(days=rng.randrange(MONTHS * 365 // 12))
        adult = rng.random() > 0.05
        age = rng.uniform(18, 90) if adult else rng.uniform(0, 17.9)
        weight = max(3.0, rng.gauss(76, 16) if adult else 4 + age * 3.2)
        totals: dict[str, float | None] = dict.fromkeys(
            ("ct_dlp_total_mgycm", "dap_total_gym2", "agd_total_left_mgy", "agd_total_right_mgy")
        )
        totals[column] = value
        per_event: list[float] = []
        if modality == "CT":
            per_event = [value / rng.uniform(25, 45) for _ in range(2)]
        elif modality == "MG":
            totals["agd_total_right_mgy"] = value * rng.uniform(0.8, 1.2)
            per_event = [value / 2 * rng.uniform(0.8, 1.2) for _ in range(4)]
        device = rng.choice(self.devices[site]).pk  # the study's, and its one report's
        study = (
            pk,
            site,
            f"1.2.826.0.1.3680043.10.1082.{pk}.{pk * 2654435761 % 10**10}",  # as long as a scanner's
            day,
            modality,
            modality,
            exam.pk,
            round(age, 2),
            rng.choice("MF"),
            round(weight, 1),
            *totals.values(),
            device,
            *_stored_text(pk, modality, self.exam_names[exam.pk]),
            # Air kerma at the reference point, for the fluoroscopy chart: about 100 Gy per Gy·m² of DAP
            # (a 10 cm x 10 cm field at the reference point).
            value * 100 if modality == "RF" else None,
        )
        return study, device, per_event


# What ingest stores beside the numbers (registry.store), so that a row is as wide as a stored one (about 340
# bytes a study, 400 an event): a scan of the table costs what it costs at a registry, and an index is
# judged against a heap of the right size. Derived from the primary key: no random number is drawn.
STORED_TEXT = [
    "study_time",
    "description",
    "requested_procedure",
    "procedure_reported",
    "accession_pseudonym",
    "patient_pseudonym",
]
REPORTED = {"CT": "Computed Tomography X-Ray", "MG": "Mammography"}
EVENT_DETAIL = [
    "acquisition_type",
    "target_region",
    "kvp",
    "tube_current_ma",
    "exposure_time_s",
    "sources",
    "kvp_values",
    "tube_current_ma_values",
]


def _stored_text(pk: int, modality: str, exam: str) -> tuple[Any, ...]:
    """A study's time, descriptions and pseudonyms (64 hex digits, as registry.models.pseudonyms makes)."""
    patient = hashlib.sha256(f"patient {pk % 400_000}".encode()).hexdigest()
    accession = hashlib.sha256(f"accession {pk}".encode()).hexdigest()
    reported = REPORTED.get(modality, "Projection X-Ray")
    return (day_time(8 + pk % 10, pk % 60), f"{modality} {exam.upper()}", exam, reported, accession, patient)


def _event_detail(ct: bool) -> tuple[Any, ...]:
    """An event's acquisition details, with the per-source lists a report states."""
    kvp, ma = (120.0, 250.0) if ct else (28.0, 80.0)
    source = json.dumps([{"kvp": kvp, "tube_current_ma": ma, "exposure_time_s": 1.0}])
    kind, region = ("Spiral Acquisition", "Head") if ct else ("Stationary Acquisition", "Breast")
    return (kind, region, kvp, ma, 1.0, source, json.dumps([kvp]), json.dumps([ma]))


def _finish_load() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("registry_study", "registry_dosereport", "registry_irradiationevent"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
    # COPY bypasses the store path that keeps the workload counts; count them as a restore would.
    from registry.statistics.workload import workload_recount

    started = time.perf_counter()
    keys = workload_recount()
    print(f"workload counted: {keys:,} keys in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _combinations() -> list[tuple[str, dict[str, Any]]]:
    from registry.models import StandardExam

    exam = {e.name: e.pk for e in StandardExam.objects.all()}
    return [
        ("CT head, DLP, by site", {"modality": "CT", "exam": exam["Head routine"], "metric": "dlp"}),
        (
            "CT head, DLP, by device",
            {"modality": "CT", "exam": exam["Head routine"], "metric": "dlp", "group_by": "device"},
        ),
        (
            "CT head, DLP, 50-90 kg, 12 months",
            {
                "modality": "CT",
                "exam": exam["Head routine"],
                "metric": "dlp",
                "weight_band": "adult_standard",
                "date_from": "2024-01-01",
            },
        ),
        ("CT chest, CTDIvol per sequence", {"modality": "CT", "exam": exam["Chest"], "metric": "ctdivol"}),
        ("DX chest PA, DAP", {"modality": "DX", "exam": exam["Chest PA"], "metric": "dap"}),
        (
            "MG screening, AGD per view",
            {"modality": "MG", "exam": exam["Screening mammogram"], "metric": "agd_view"},
        ),
    ]


Timing = tuple[str, float, float, list[float]]


def time_requests(client: Any, requests: list[tuple[str, str, dict[str, Any]]], repeat: int) -> Iterator[Any]:
    """Per (label, path, parameters): one warm-up, then `repeat` timed GETs; yields (Timing, last response,
    its queries as Django captured them: "sql" and "time").

    A Timing is the label, the median and best wall time, and the time of each query of the last request.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for label, path, params in requests:
        client.get(path, params)  # warm-up: caches, plans
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, params)
                times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{label}: {response.status_code} {response.content[:500]!r}")
        query_times = [float(q["time"]) for q in queries]
        yield (label, statistics.median(times), min(times), query_times), response, list(queries)


Queries = list[dict[str, Any]]


def measure(repeat: int, only: str = "") -> tuple[list[Timing], Queries]:
    """Each combination (whose label matches the regular expression `only`) through the DRL statistics API,
    with a line on what it answered; the timings, and the queries of each request's last run."""
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.get_or_create(username="bench", is_superuser=True)[0])
    requests = [
        (label, "/api/v1/stats/drl/", params) for label, params in _combinations() if re.search(only, label)
    ]
    results, captured = [], []
    for timing, response, queries in time_requests(client, requests, repeat):
        results.append(timing)
        captured += queries
        body = response.json()
        print(
            f"  {timing[0]}: {len(body['sites'])} rows, n = {sum(r['n'] for r in body['sites']):,}, "
            f"registry DRL {body['registry']['drl_display'] or float('nan'):.4g} {body['display_unit']}",
            file=sys.stderr,
        )
    return results, captured


CHART_KINDS = ("drl", "distribution", "trend", "weight", "workload")


def _chart_requests() -> list[tuple[str, str, dict[str, Any]]]:
    """(label, path, parameters) of the dashboard page and each chart fragment, as a physicist opens them."""
    from registry.models import StandardExam

    exam = {e.name: e.pk for e in StandardExam.objects.all()}
    ct = {"modality": "CT", "exam": exam["Head routine"], "metric": "dlp"}
    rf = {"modality": "RF", "exam": exam["Coronary angiography"], "metric": "dap"}
    requests = [("dashboard page, CT head DLP", "/dashboards/drl/", ct)]
    requests += [
        (f"chart {kind}, CT head DLP", f"/dashboards/drl/charts/{kind}/", ct) for kind in CHART_KINDS
    ]
    requests.append(("chart fluoroscopy, RF coronary DAP", "/dashboards/drl/charts/fluoroscopy/", rf))
    # Workload with months cut at both ends (table + two partial months from the studies), and with a
    # patient filter the table does not keep (every month counted from the studies).
    cut = {**ct, "date_from": "2023-03-15", "date_to": "2024-09-20"}
    requests.append(("chart workload, CT, 15 Mar 2023-20 Sep 2024", "/dashboards/drl/charts/workload/", cut))
    adult = {**ct, "weight_band": "adult_standard"}
    requests.append(("chart workload, CT, 50-90 kg", "/dashboards/drl/charts/workload/", adult))
    return requests


PROTOCOL_KINDS = ("protocols", "histogram", "timeline", "size")


def _protocol_requests() -> list[tuple[str, str, dict[str, Any]]]:
    """The protocols page (every CT protocol, and those of one exam) and each of its chart fragments."""
    from registry.models import StandardExam

    head = StandardExam.objects.get(modality="CT", name="Head routine").pk
    ct: dict[str, Any] = {"modality": "CT"}
    requests = [
        ("protocols page, CT", "/dashboards/protocols/", ct),
        ("protocols page, CT head", "/dashboards/protocols/", {**ct, "exam": head}),
    ]
    path = "/dashboards/protocols/charts/{}/"
    requests += [(f"protocols chart {kind}, CT", path.format(kind), ct) for kind in PROTOCOL_KINDS]
    return requests


def measure_charts(repeat: int, only: str = "") -> tuple[list[Timing], Queries]:
    """The dashboard pages (as a browser asks for them) and each chart fragment (as htmx asks for it) whose
    label matches `only`; the timings, and the queries of each request's last run."""
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.get_or_create(username="bench", is_superuser=True)[0]
    browser, htmx = Client(), Client(headers={"HX-Request": "true"})
    browser.force_login(user)
    htmx.force_login(user)
    results, captured = [], []
    for label, path, params in _chart_requests() + _protocol_requests():
        if not re.search(only, label):
            continue
        client = htmx if "/charts/" in path else browser
        for timing, _, queries in time_requests(client, [(label, path, params)], repeat):
            results.append(timing)
            captured += queries
    return results, captured


def explain(queries: Queries, over_ms: float | None) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the queries slower than `over_ms`; without it, of the grouping queries
    (percentile_cont) of the first request."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    if over_ms is not None:
        heavy = [q["sql"] for q in queries if float(q["time"]) * 1000 > over_ms]
    else:
        client = APIClient()
        client.force_authenticate(User.objects.get(username="bench"))
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/v1/stats/drl/", _combinations()[0][1])
        heavy = [q["sql"] for q in captured if "percentile_cont" in q["sql"]]
    plans = []
    with connection.cursor() as cursor:
        for sql in heavy:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans.append(sql + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return plans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Leave the database for --reuse.")
    parser.add_argument(
        "--reuse", metavar="DB", help="Time an already loaded database (migrated first); load nothing."
    )
    parser.add_argument(
        "--only", default="", metavar="REGEX", help="Time only the requests whose label matches REGEX."
    )
    parser.add_argument(
        "--explain-over", type=float, metavar="MS", help="EXPLAIN ANALYZE every query slower than MS."
    )
    args = parser.parse_args(argv)
    with database(args.reuse, args.keep) as url:
        django_setup(url)
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host name, and no outgoing mail
        call_command("migrate", verbosity=0)  # on --reuse, builds a new index over the loaded rows
        if not args.reuse:
            started = time.perf_counter()
            Loader(args.seed).load(args.studies)
            _finish_load()
            print(
                f"loaded {args.studies:,} studies in {time.perf_counter() - started:.0f} s", file=sys.stderr
            )
        api, api_queries = measure(args.repeat, args.only)
        charts, chart_queries = measure_charts(args.repeat, args.only)
        plans = explain(api_queries + chart_queries, args.explain_over)
        from registry.models import IrradiationEvent, Study

        print(f"studies: {Study.objects.count():,}; events: {IrradiationEvent.objects.count():,}")
        print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        print(f"{'request':44} {'median ms':>10} {'best ms':>8}  queries (ms)")
        for label, median, best, query_times in api + charts:
            per_query = ", ".join(f"{t * 1000:.0f}" for t in query_times)
            print(f"{label:44} {median * 1000:10.0f} {best * 1000:8.0f}  {per_query}")
        for plan in plans:
            print("\n" + plan)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
