"""In Chromium: at 1400 px the content is wider than the old 890 px column; at 390 px (a phone) the header,
forms and tables reflow with no sideways scroll of the page; a refused page is styled. No console errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from registry.models import Role, Site, Study
from tests.conftest import person
from tests.e2e.conftest import PASSWORD, PageProblems, screenshot, settle, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _page_width(page: Page) -> tuple[int, int]:
    """The document's scroll width and the window's width (equal when nothing scrolls sideways)."""
    widths: list[int] = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return widths[0], widths[1]


def test_wide_and_narrow_windows(page: Page, problems: PageProblems, two_sites: dict[str, Site]) -> None:
    physicist = person("phoebe", *((site, Role.PHYSICIST) for site in two_sites.values()), password=PASSWORD)
    sign_in(page, physicist, "layout")
    study = Study.objects.filter(modality="CT").order_by("pk").first()
    assert study is not None
    pages = ["/", "/studies/?modality=CT", f"/studies/{study.pk}/", "/reports/"]

    page.set_viewport_size({"width": 1400, "height": 900})
    for path in pages:
        page.goto(path)
        settle(page)
        assert page.locator("main.content").bounding_box()["width"] > 890, path  # type: ignore[index]

    page.set_viewport_size({"width": 390, "height": 844})
    for number, path in enumerate(pages, start=1):
        page.goto(path)
        settle(page)
        scroll, window = _page_width(page)
        assert scroll <= window, f"{path} scrolls sideways at 390 px: {scroll} > {window}"
        screenshot(page, f"layout-{number}-phone")

    problems.expect_status("/upload/", 403)
    page.goto("/upload/")
    assert page.get_by_role("heading", name="You may not open this page").is_visible()
    assert page.locator("link[href$='css/kerma.css']").count() == 1
    assert problems.found == []
