"""The home dashboard: the user's site medians above the registry DRL, unmapped names, the ingest widget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ingest.models import Channel, State, Submission
from registry.models import Site, StandardExam, Study
from tests.registry.dashboards.conftest import Browser, member_browser
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db


def test_the_site_above_the_registry_drl_is_listed(everyone: Browser, head: StandardExam) -> None:
    html = everyone.get("/").content.decode()
    table = html.split("Site medians above the registry DRL")[1].split("</table>")[0]
    assert "<td>DELTA</td>" in table
    assert "ALPHA" not in table and "BRAVO" not in table
    assert f"/dashboards/drl/?modality=CT&amp;exam={head.pk}&amp;metric=dlp" in table


def test_a_member_of_one_low_site_sees_no_row(sites: list[Site]) -> None:
    html = member_browser(sites[0]).get("/").content.decode()
    assert "No site median of your busiest exams is above the registry DRL." in html


def test_unmapped_names_are_counted(sites: list[Site], registry: dict[str, list[Study]]) -> None:
    for name in ("CT HEAD WO", "CT HEAD WO", "Schaedel nativ"):
        StudyFactory.create(site=sites[0], description=name, ct_dlp_total_mgycm=100.0)
    StudyFactory.create(site=sites[3], description="Not mine", ct_dlp_total_mgycm=100.0)
    html = member_browser(sites[0]).get("/").content.decode()
    assert "<strong>2</strong> names (3 studies)" in html


def test_the_home_page_fetches_ingests_widget(everyone: Browser) -> None:
    assert 'hx-get="/upload/summary/"' in everyone.get("/").content.decode()


def test_the_ingest_widget_counts_the_last_weeks_submissions_per_state(sites: list[Site]) -> None:
    def submit(site: Site, state: str, days_ago: int = 0) -> None:
        received = timezone.now() - timedelta(days=days_ago)
        Submission.objects.create(site=site, channel=Channel.WEB, state=state, received_at=received)

    for state in (State.STORED, State.STORED, State.REJECTED):
        submit(sites[0], state)
    submit(sites[0], State.STORED, days_ago=8)  # too old
    submit(sites[3], State.FAILED)  # another site's
    html = member_browser(sites[0]).get("/upload/summary/").content.decode()
    assert '<th scope="row" class="state state-stored">Stored</th><td class="value">2</td>' in html
    assert '<th scope="row" class="state state-rejected">Rejected</th><td class="value">1</td>' in html
    assert (
        '<th scope="row" class="state state-failed">Failed (will be retried)</th><td class="value">0</td>'
        in html
    )
    assert "<html" not in html
