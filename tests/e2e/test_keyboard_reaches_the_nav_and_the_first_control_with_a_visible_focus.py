"""In Chromium, with the keyboard alone: Tab from the top of the home page and of the dashboard reaches the
skip link, every link of the main navigation and the page's first form control, each drawn with a visible
focus outline (its computed style), and the skip link takes focus past the header."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from registry.models import Role, Site
from tests.conftest import person
from tests.e2e.conftest import PASSWORD, PageProblems, settle, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

MOST_TAB_STOPS = 60
# The focused element: what it is, and whether its outline can be seen (a style, a width, not transparent).
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    name: (element.innerText || element.getAttribute("aria-label") || element.name || "").trim(),
    tag: element.tagName.toLowerCase(),
    inNav: element.closest("header nav") !== null,
    inMain: element.closest("main") !== null,
    outlined: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
      && style.outlineColor !== "rgba(0, 0, 0, 0)",
  };
}"""
Stop = dict[str, Any]


def sign_out_button(stop: Stop) -> bool:
    """The home page's only form is the header's Sign out."""
    return bool(stop["tag"] == "button" and stop["inNav"])


def filter_control(stop: Stop) -> bool:
    """The dashboard's first filter."""
    return bool(stop["tag"] in ("input", "select", "textarea", "button") and stop["inMain"])


def tab_stops(page: Page, reached: Callable[[Stop], bool]) -> list[Stop]:
    """Press Tab from the top of the page until the focused element is the one `reached` looks for."""
    page.locator("body").focus()
    stops = []
    for _ in range(MOST_TAB_STOPS):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if reached(stops[-1]):
            return stops
    raise AssertionError(f"{MOST_TAB_STOPS} Tab presses did not reach the {reached.__name__}: {stops}")


@pytest.mark.parametrize(
    ("path", "first_control"), [("/", sign_out_button), ("/dashboards/drl/?modality=CT", filter_control)]
)
def test_tab_reaches_the_nav_and_the_first_control_with_a_visible_outline(
    page: Page,
    problems: PageProblems,
    two_sites: dict[str, Site],
    path: str,
    first_control: Callable[[Stop], bool],
) -> None:
    physicist = person("kim", (two_sites["NORTH"], Role.PHYSICIST), password=PASSWORD)
    sign_in(page, physicist, "keyboard")
    page.goto(path)
    settle(page)
    nav = [name.strip() for name in page.locator("header nav a").all_inner_texts()]
    stops = tab_stops(page, first_control)
    assert stops[0]["name"] == "Skip to content"
    assert [stop["name"] for stop in stops if stop["inNav"] and stop["tag"] == "a"] == nav
    assert [stop["name"] for stop in stops if not stop["outlined"]] == []
    assert problems.found == []


def test_the_skip_link_moves_focus_past_the_header(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    sign_in(page, person("kim", (two_sites["NORTH"], Role.PHYSICIST), password=PASSWORD), "skip")
    page.goto("/dashboards/drl/?modality=CT")
    settle(page)
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.get_by_role("link", name="Skip to content").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["inMain"]
    assert problems.found == []
