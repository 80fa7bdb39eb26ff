"""Portal pages of the registry app: the dashboard home and the health check."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from registry.mapping.suggestions import unmapped_names
from registry.models import StandardExam, Study, visible_sites
from registry.statistics.drl import drl_statistics
from registry.statistics.filters import DoseFilters, registry_scope
from registry.statistics.metrics import metrics_for
from registry.storage import storage_status

HOME_EXAMS = 8  # the busiest exams checked against the registry DRL: bounded, whatever the catalogue's size


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard home for the user's sites: medians above the registry DRL (and the exams that have no
    registry DRL yet, with the reason) and unmapped names.

    The ingest status is not read here: registry never imports ingest, so the page fetches ingest's own
    summary fragment (/upload/summary/) with htmx.
    """
    # One GROUP BY; its rows are distinct names (a worklist, not studies), so summing them here is cheap.
    names = list(unmapped_names(request.user).values_list("studies", flat=True))
    unmapped = {"names": len(names), "studies": sum(names)}
    above, withheld = benchmark(request.user)
    context = {"above_drl": above, "withheld": withheld, "unmapped": unmapped}
    return render(request, "home.html", context)


def benchmark(user: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The user's site medians above the registry DRL, for their busiest exams (primary metric each), and
    the exams whose registry values are withheld (too few counting sites; the statistics say why).

    Only the user's own groups are named (a registry-wide role or a superuser sees every site); the peers
    are not listed here. One query picks the exams, one the user's site codes, then
    registry.statistics.drl runs for each (one GROUP BY and the published levels): at most HOME_EXAMS.
    """
    studies = Study.objects.for_user(user)
    codes = frozenset(visible_sites(user).values_list("code", flat=True))
    busiest = (
        studies.filter(standard_exam__isnull=False)
        .values("standard_exam")
        .annotate(n=Count("pk"))
        .order_by("-n", "standard_exam")[:HOME_EXAMS]
    )
    exams = StandardExam.objects.in_bulk([row["standard_exam"] for row in busiest])
    rows: list[dict[str, Any]] = []
    withheld: list[dict[str, Any]] = []
    for exam in exams.values():
        metric = metrics_for(exam.modality)[0]
        # The selection the API makes for modality=<the exam's modality>: the registry levels from every site.
        selection = DoseFilters(modality=exam.modality)
        stats = drl_statistics(
            selection.apply(studies),
            exam=exam,
            metric=metric,
            modality=exam.modality,
            registry_studies=registry_scope(selection).apply(Study.objects.all()),
            scope_codes=codes,  # for_user's sites: the groups are the registry's rows there
        )
        query = urlencode({"modality": exam.modality, "exam": exam.pk, "metric": metric.key})
        link = f"{reverse('dashboard-drl')}?{query}"
        rows += [{"stats": stats, "group": group, "link": link} for group in stats.groups if group.above_drl]
        if stats.registry.reason is not None and stats.groups:
            withheld.append({"stats": stats, "link": link})
    above = sorted(rows, key=lambda row: (row["stats"].exam.name, row["group"].site))
    return above, sorted(withheld, key=lambda row: row["stats"].exam.name)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """A login-free health answer for load balancers and monitoring: 200 "ok", or 503 and what is wrong.

    It checks what the doors need to keep a report: the database answers, and the storage folder takes a
    file and has more than KERMA_STORAGE_MIN_FREE_MB free. One line per check follows the verdict, so a
    monitor can alert on the words ("storage full", "storage not writable", "database unavailable").
    """
    database, storage = _database_check(), storage_status()
    healthy = database == DATABASE_OK and storage.ok
    body = "\n".join(["ok" if healthy else "unavailable", database, storage.describe()]) + "\n"
    return HttpResponse(body, status=200 if healthy else 503, content_type="text/plain")


DATABASE_OK = "database ok"


def _database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"database unavailable: {type(error).__name__}"
    return DATABASE_OK


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page in the site's layout, with the reason the view gave (e.g. which filter is wrong)."""
    reason = str(exception.args[0]) if exception.args else ""
    return render(request, "400.html", {"exception": reason}, status=400)
