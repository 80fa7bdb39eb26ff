"""In Chromium, the REST framework's browsable API and Django's admin log no console error and break no
Content-Security-Policy rule for a signed-in person, and every page names an icon that loads: without one
browsers ask for /favicon.ico, a 404 in the console. The site's own pages are watched by every journey."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User

from ingest.models import Submission
from registry.models import Role, Site, StandardExam, Study
from tests.conftest import person
from tests.e2e.conftest import PASSWORD, PageProblems, settle, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def api_pages(site: Site) -> list[str]:
    study = Study.objects.filter(site=site).order_by("pk").first()
    submission = Submission.objects.filter(site=site).order_by("received_at").first()
    exam = StandardExam.objects.get(modality="CT", name="Chest")
    assert study is not None and submission is not None
    return [
        "/api/v1/studies/",
        "/api/v1/studies/?modality=CT",
        f"/api/v1/studies/{study.pk}/",
        f"/api/v1/stats/drl/?modality=CT&exam={exam.pk}&metric=dlp",
        f"/api/v1/submissions/{submission.pk}/",
    ]


def test_the_browsable_api_pages_log_no_console_error(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    from playwright.sync_api import expect

    north = two_sites["NORTH"]
    sign_in(page, person("ada", (north, Role.ADMINISTRATOR), password=PASSWORD), "api")
    for path in api_pages(north):
        response = page.goto(path)
        settle(page)
        assert response is not None and response.status == 200, path
        assert page.title().endswith("Kerma API"), path
    page.goto("/api/v1/studies/")
    page.get_by_role("button", name="Filters").click()  # the button templates/rest_framework/api.html redraws
    expect(page.locator("#filtersModal")).to_be_visible()  # DRF keeps aria-hidden on it: no role
    assert problems.found == []


def test_the_submissions_endpoint_answers_a_get_in_the_browsable_api(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    """Sending is a POST; a person who opens the endpoint sees its form, not a console error."""
    sign_in(page, person("ada", (two_sites["NORTH"], Role.UPLOADER), password=PASSWORD), "api-post")
    problems.expect_status("/api/v1/submissions/", 405)
    page.goto("/api/v1/submissions/")
    settle(page)
    assert problems.found == []


def test_the_admin_pages_log_no_console_error(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    staff = person("root", superuser=True, password=PASSWORD)
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    sign_in(page, staff, "admin")
    study = Study.objects.order_by("pk").first()
    assert study is not None
    for path in ("/admin/", "/admin/registry/study/", f"/admin/registry/study/{study.pk}/change/"):
        response = page.goto(path)
        settle(page)
        assert response is not None and response.status == 200, path
    assert problems.found == []


def test_every_page_names_an_icon_that_loads(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    staff = person("ada", (two_sites["NORTH"], Role.PHYSICIST), password=PASSWORD)
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    sign_in(page, staff, "icon")
    problems.expect_status("/no/such/page/", 404)
    for path in ("/", "/api/v1/studies/", "/admin/", "/accounts/login/", "/no/such/page/"):
        page.goto(path)
        icon = page.locator("link[rel=icon]")
        assert icon.count() == 1, path
        href = icon.get_attribute("href")
        assert href is not None
        assert page.request.get(href).status == 200, path
    assert problems.found == []
