"""In Chromium, axe-core finds no serious or critical accessibility violation on the main pages, for each role
that opens them, and the pages log no console error while it looks.

axe-core comes with the axe-playwright-python package (requirements-dev.txt; its axe.min.js, axe-core 4.12.1
under MPL-2.0, is inside the wheel, so nothing is fetched at run time). Playwright evaluates it through the
DevTools protocol, which the page's Content-Security-Policy does not govern: the policy stays as strict as in
production.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from registry.models import MappingRule, Role, Site, StandardExam, Study, UploadToken
from registry.reference_levels.library import reference_level_create
from tests.conftest import person
from tests.e2e.conftest import PASSWORD, PageProblems, settle, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

BLOCKING = ("serious", "critical")
# The pages each role opens from its navigation, and their forms; `{study}`, `{site}`, `{level}`, `{rule}` and
# `{token}` are filled with real objects of the site.
PAGES = {
    Role.UPLOADER: (
        "/",
        "/dashboards/drl/",
        "/studies/",
        "/studies/{study}/",
        "/upload/",
        "/reference-levels/",
    ),
    Role.PHYSICIST: (
        "/",
        "/dashboards/drl/?modality=CT",
        "/studies/?modality=CT",
        "/studies/{study}/",
        "/reports/",
        "/reference-levels/",
        "/reference-levels/local/new/",
        "/reference-levels/{level}/revise/",
        "/reference-levels/{level}/history/",
        "/mapping/",
        "/mapping/rules/{rule}/",
        "/quality/qa-studies/",
        "/quality/sites/{site}/",
    ),
    Role.AUDITOR: ("/", "/reports/", "/audit/"),
    Role.ADMINISTRATOR: (
        "/upload/",
        "/sites/tokens/",
        "/sites/{site}/tokens/",
        "/sites/{site}/tokens/{token}/issued/",
        "/audit/",
        "/mapping/",
    ),
}


def violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands, one line per element."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    found: dict[str, Any] = Axe().run(page).response
    return [
        f"{page.url}: {rule['id']} ({rule['impact']}) {node['target']}: {node['failureSummary']}"
        for rule in found["violations"]
        if rule["impact"] in BLOCKING
        for node in rule["nodes"]
    ]


def reveal_deferred_charts(page: Page) -> None:
    """The dashboard fetches its later charts as they scroll into view: scroll to each, for axe to see."""
    from playwright.sync_api import expect

    sections: list[str] = page.eval_on_selector_all(
        "section.chart-section[hx-get]", "all => all.map(s => s.id)"
    )
    for section in sections:
        page.evaluate("id => document.getElementById(id).scrollIntoView()", section)
        expect(page.locator(f"#{section} div.chart[data-drawn]")).to_have_count(1)  # fetched and drawn
    settle(page)


@pytest.fixture
def registry(two_sites: dict[str, Site]) -> dict[str, Any]:
    """The two corpus sites, with what the pages list: a local level, a mapping rule, an upload token."""
    north = two_sites["NORTH"]
    exam = StandardExam.objects.get(modality="CT", name="Chest")
    level = reference_level_create(actor=None, site=north, exam=exam, metric="dlp", value=400.0)
    rule = MappingRule.objects.create(exam=exam, pattern="THORAX", site=north)
    token, _ = UploadToken.issue(north, label="gateway")
    study = Study.objects.filter(site=north).order_by("pk").first()
    assert study is not None
    objects = {"site": north.code, "study": study.pk, "level": level.pk, "rule": rule.pk, "token": token.pk}
    return {**objects, "north": north}


def test_the_signed_out_pages_pass_axe(page: Page, problems: PageProblems) -> None:
    found = []
    for path in ("/accounts/login/", "/accounts/password-reset/"):
        page.goto(path)
        found += violations(page)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()  # the form again, with its error
    found += violations(page)
    assert found == []
    assert problems.found == []


@pytest.mark.parametrize("role", list(PAGES))
def test_each_roles_main_pages_pass_axe(
    page: Page, problems: PageProblems, registry: dict[str, Any], role: Role
) -> None:
    sign_in(page, person(f"axe-{role}", (registry["north"], role), password=PASSWORD), f"axe-{role}")
    found = violations(page)
    for path in PAGES[role]:
        page.goto(path.format(**registry))
        settle(page)
        reveal_deferred_charts(page)
        found += violations(page)
    assert found == []
    assert problems.found == []
