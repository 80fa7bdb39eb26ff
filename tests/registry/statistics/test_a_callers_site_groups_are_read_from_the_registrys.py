"""With `scope_codes`, a caller's groups by site are the registry's facility rows of those sites.

The shortcut saves the second GROUP BY over the rows; it must give exactly what computing the caller's
groups on their own gives, and the registry levels must not depend on who asks.
"""

from __future__ import annotations

from datetime import date

import pytest

from registry.models import Site, StandardExam, Study
from registry.statistics.drl import DrlStatistics, drl_statistics, selection_codes
from registry.statistics.filters import DoseFilters, registry_scope
from registry.statistics.metrics import METRICS
from tests.registry.statistics.conftest import ExamFactory, dlp_studies

pytestmark = pytest.mark.django_db

DLPS = {
    "ALPHA": (300.0, 320.0, 340.0),
    "BRAVO": (280.0, 300.0, 310.0, 330.0),
    "CHARLIE": (600.0, 650.0, 700.0),
    "DELTA": (150.0, 900.0),  # below the minimum sample of 3: listed, not counted
}


@pytest.fixture
def head(small_minimum: None) -> StandardExam:
    exam = ExamFactory.create(name="CT head routine")
    for code, dlps in DLPS.items():
        dlp_studies(code, exam, *dlps, study_date=date(2025, 3, 1))
    return exam


def statistics(
    head: StandardExam, sites: list[str], filters: DoseFilters, *, shortcut: bool
) -> DrlStatistics:
    scope = Site.objects.filter(code__in=sites)
    return drl_statistics(
        filters.apply(Study.objects.filter(site__in=scope)),
        exam=head,
        metric=METRICS["dlp"],
        modality="CT",
        registry_studies=registry_scope(filters).apply(Study.objects.all()),
        scope_codes=selection_codes(scope, filters) if shortcut else None,
    )


@pytest.mark.parametrize(
    ("sites", "filters"),
    [
        (["ALPHA", "CHARLIE"], DoseFilters(modality="CT")),
        (["ALPHA", "BRAVO", "CHARLIE", "DELTA"], DoseFilters(modality="CT")),
        (["ALPHA", "CHARLIE"], DoseFilters(modality="CT", site="CHARLIE")),
        (["BRAVO"], DoseFilters(modality="CT", date_from=date(2025, 1, 1))),
    ],
)
def test_the_shortcut_gives_the_computed_groups(
    head: StandardExam, sites: list[str], filters: DoseFilters
) -> None:
    assert statistics(head, sites, filters, shortcut=True) == statistics(head, sites, filters, shortcut=False)


def test_hand_computed_registry_levels_whoever_asks(head: StandardExam, one_site_suffices: None) -> None:
    alpha_only = statistics(head, ["ALPHA"], DoseFilters(modality="CT"), shortcut=True)
    assert [group.site for group in alpha_only.groups] == ["ALPHA"]
    # Medians of the sites with n >= 3: ALPHA 320, BRAVO 305, CHARLIE 650 -> sorted 305, 320, 650.
    # percentile_cont: median = 320; p75 at position 0.75 * 2 = 1.5 -> 320 + 0.5 * (650 - 320) = 485.
    registry = alpha_only.registry
    assert (registry.typical, registry.drl, registry.sites_counted) == (320.0, 485.0, 3)


def test_a_device_filter_is_never_answered_from_the_registrys_rows() -> None:
    assert selection_codes(Site.objects.all(), DoseFilters(device=1)) is None
