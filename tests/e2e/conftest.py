"""Browser fixtures: Debian's chromium, driven by Playwright, against pytest-django's live test server.

Every page a test opens is watched for what a person would not notice but must not happen: console errors,
uncaught exceptions, failed same-origin requests and Content-Security-Policy violations (both the
`securitypolicyviolation` event and the report the browser posts to /csp-report/). Playwright uses the
system chromium (`.ci/run` installs it); it never downloads a browser of its own.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pydicom
import pytest
from django.contrib.auth.models import User
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from pydicom.sr.coding import Code
from pytest_django.live_server_helper import LiveServer

from ingest.models import Channel, State
from ingest.services import submission_receive
from registry.models import Site, StandardExam, Study
from registry.statistics.workload import workload_recount
from tests.conftest import corpus_file

if TYPE_CHECKING:  # playwright is imported only where it is installed: the tests skip without it
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response

E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS = E2E_DIR / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking switches chromium phones home (updates, sync), and there is no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
PASSWORD = "a-long-browser-test-password"
EXAM = "Chest"  # the catalogue's CT chest exam (registry/data/standard_exams.json)
# Real CT dose reports of two sites: three studies at NORTH (the Siemens Multi and Continued reports are
# two reports of one study each) and four at SOUTH, dated 2013 to 2018, so a date filter moves the medians.
SITE_REPORTS = {
    "NORTH": (
        "CT-RDSR-Siemens-Multi-1.dcm",
        "CT-RDSR-Siemens-Multi-3.dcm",
        "CT-RDSR-Siemens-Continued-1.dcm",
        "CT-RDSR-Siemens-Continued-2.dcm",
        "CT-RDSR-GEPixelMed.dcm",
    ),
    "SOUTH": (
        "CT-RDSR-ToshibaPixelMed.dcm",
        "CT-RDSR-Toshiba_DoseCheck.dcm",
        "CT-RDSR-Siemens_Flash-QA-DS.dcm",
        "CT-ESR-GE_VCT.dcm",
    ),
}

# Runs in every document before the page's own scripts; Playwright injects it, so the page's CSP allows it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.kermaCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
      `in ${event.sourceFile || event.documentURI}:${event.lineNumber} ${event.sample || ""}`.trim()
  );
});
"""


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when Playwright and chromium are both installed."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the browser tests, with the reason, where Playwright or chromium is missing; CI must run them."""
    reason = missing_browser()
    if reason is None:
        return
    if os.environ.get("CI") == "true" and any(E2E_DIR in item.path.parents for item in items):
        raise pytest.UsageError(f"CI must run the browser tests, but {reason}")
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class PageProblems:
    """Console errors, uncaught exceptions, failed requests and CSP violations seen on the watched page."""

    origin: str
    found: list[str] = field(default_factory=list)
    expected: set[tuple[str, int]] = field(default_factory=set)

    def expect_status(self, path: str, status: int) -> None:
        """A response a test provokes on purpose (say a page the person may not open) is not a problem."""
        self.expected.add((path, status))

    def watch(self, page: Page) -> None:
        page.expose_function("kermaCspViolation", lambda text: self.found.append(f"CSP violation: {text}"))
        page.add_init_script(CSP_LISTENER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.found.append(f"uncaught exception: {error}"))
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _ours(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            if self._expected_failure(message.text, str(where.get("url") or "")):
                return
            self.found.append(f"console error: {message.text} ({where.get('url')}:{where.get('lineNumber')})")

    def _expected_failure(self, text: str, url: str) -> bool:
        """Chromium logs every 4xx it loads; one the test provoked on purpose (`expect_status`) is not one."""
        status = re.search(r"Failed to load resource: the server responded with a status of (\d+)", text)
        return status is not None and (urlsplit(url).path, int(status[1])) in self.expected

    def _request(self, request: Request) -> None:
        if self._ours(request.url) and urlsplit(request.url).path == "/csp-report/":
            self.found.append(f"CSP report posted: {request.post_data}")

    def _response(self, response: Response) -> None:
        if not self._ours(response.url):
            return
        path = urlsplit(response.url).path
        if response.status >= 400 and (path, response.status) not in self.expected:
            self.found.append(f"HTTP {response.status} for {response.request.method} {path}")

    def _failed(self, request: Request) -> None:
        # The browser itself aborts requests: a link that turns into a download, a fetch cut short by
        # leaving the page, an htmx request replaced by a newer one. Anything else (a refused connection, a
        # response cut short) is the server's failure.
        if self._ours(request.url) and request.failure != "net::ERR_ABORTED":
            self.found.append(f"request failed: {request.method} {request.url} ({request.failure})")


class SerialWSGIServer(WSGIServer):
    """Django's development server without threads: one request at a time, each on its own connection."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # the live server thread itself takes the overrides


class SerialLiveServerThread(LiveServerThread):
    server_class = SerialWSGIServer  # type: ignore[assignment]  # the stubs know only the threaded one


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """pytest-django's live server, answering one request at a time.

    On SQLite the test database is in memory and every request thread shares the test's one connection;
    the dashboard fetches its deferred charts in parallel, and two requests in one sqlite3 connection can
    deadlock (one waits for the connection inside SQLite, the other for the GIL in the percentile
    aggregate). Without threads Django answers `Connection: close`, so the browser queues its requests.
    """
    server = LiveServer("localhost", start=False)
    threaded = server.thread
    server.thread = SerialLiveServerThread(
        threaded.host, threaded.static_handler, connections_override=threaded.connections_override
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser(live_server: Any) -> Iterator[Browser]:
    """A headless Debian chromium, one per test so that no state leaks from one journey into the next.

    Playwright's sync API keeps an asyncio loop running on this thread, which Django takes for an async
    context: it refuses ORM calls there (the tests are synchronous code, so that check is off while the
    browser runs) and gives the context database connections of its own, closed here before the loop stops
    (PostgreSQL would refuse to drop the test database while one is open).
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


@pytest.fixture
def problems(live_server: Any) -> PageProblems:
    """What went wrong on the test's page; each journey asserts at its end that nothing did."""
    return PageProblems(origin=live_server.url)


@pytest.fixture
def page(browser: Browser, live_server: Any, problems: PageProblems) -> Iterator[Page]:
    """A page of a fresh browser context on the live server, watched by `problems`, accepting downloads."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)  # what the page waits for includes a server's work, not just UI
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems.watch(page)
    yield page
    context.close()


@pytest.fixture
def two_sites(live_server: Any, settings: Any) -> dict[str, Site]:
    """NORTH and SOUTH, their corpus reports received and stored as a site would send them (eager tasks).

    Every CT study is set to one standard exam (EXAM), as a mapping rule would, so that the two sites can be
    compared; a minimum sample of two lets both count towards the registry DRL, and a registry of two sites
    is allowed its typical value and DRL (KERMA_REGISTRY_MIN_SITES 2; five by default, which keeps a site's
    median from being worked out), so that the journeys can compare them.
    """
    settings.KERMA_DRL_MIN_SAMPLE = {**settings.KERMA_DRL_MIN_SAMPLE, "CT": 2}
    settings.KERMA_REGISTRY_MIN_SITES = 2
    sites = {code: Site.objects.create(code=code, name=f"{code.title()} Hospital") for code in SITE_REPORTS}
    for code, names in SITE_REPORTS.items():
        for name in names:
            data = corpus_file(name).read_bytes()
            submission = submission_receive(site=sites[code], data=data, channel=Channel.API, filename=name)
            submission.refresh_from_db()
            assert submission.state == State.STORED, (name, submission.error_message)
    exam, _ = StandardExam.objects.get_or_create(modality="CT", name=EXAM)
    Study.objects.update(standard_exam=exam)
    workload_recount()  # a bulk UPDATE bypasses what keeps the workload counts (registry.statistics.workload)
    return sites


def screenshot(page: Page, name: str) -> None:
    """A full-page picture of what the person saw at this step: tests/e2e/screenshots/<journey>-<step>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def sign_in(page: Page, user: User, journey: str) -> None:
    """Sign in through the real login form, so its page is checked for console and CSP problems too.

    `user` is made with `person(..., password=PASSWORD)`: the form is given that password.
    """
    page.goto("/accounts/login/")
    screenshot(page, f"{journey}-0-sign-in")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    settle(page)  # the home page fetches its ingest summary; let it arrive and be checked


def settle(page: Page) -> None:
    """Wait until the page has loaded and htmx has no request in flight (fragments, deferred charts).

    htmx marks the element whose request is under way with the class htmx-request.
    """
    from playwright.sync_api import expect

    page.wait_for_load_state()
    expect(page.locator(".htmx-request")).to_have_count(0)


def sr_values(path: Path, concept: Code) -> list[float]:
    """Every numeric content item named `concept` in a dose SR, in tree order, read with pydicom alone.

    Values a browser test checks come from the DICOM file itself, never from Kerma's reader.
    """
    dataset = pydicom.dcmread(path)
    return [
        float(item.MeasuredValueSequence[0].NumericValue)
        for item in _content_items(dataset.ContentSequence)
        if item.get("MeasuredValueSequence") and _concept(item) == concept
    ]


def _content_items(items: Any) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _content_items(item.get("ContentSequence") or [])


def _concept(item: Any) -> Code | None:
    names = item.get("ConceptNameCodeSequence") or []
    return Code(names[0].CodeValue, names[0].CodingSchemeDesignator, names[0].CodeMeaning) if names else None


# The person's journeys (tests/e2e/test_a*_journey*.py) picture each step in a folder of their own; with
# KERMA_GUIDE_SCREENSHOTS=docs/guides/img the steps a user guide shows are also written there, small.
GUIDE_SCREENSHOTS = "KERMA_GUIDE_SCREENSHOTS"
GUIDE_WIDTH, GUIDE_HEIGHT = 1280, 800  # the window of every journey, so its pictures suit a guide
# Every link the header's navigation can show, in its order (templates/base.html); a journey asserts exactly
# which of them a role sees, so a link shown to the wrong person fails the test.
NAV_LINKS = (
    "Dashboards",
    "Protocols",
    "Studies",
    "Upload",
    "Reference levels",
    "Mapping",
    "Reports",
    "QA scans",
    "Upload tokens",
    "PACS",
    "Audit log",
)


@dataclass
class Journey:
    """One person's journey: numbered pictures of its steps, tests/e2e/screenshots/<name>/NN-step.png."""

    name: str
    steps: int = 0

    @property
    def folder(self) -> Path:
        return SCREENSHOTS / self.name

    def sign_in(self, page: Page, user: User) -> None:
        """Sign in through the form (its picture is step 00) in the size of a guide's pictures."""
        self.folder.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": GUIDE_WIDTH, "height": GUIDE_HEIGHT})
        sign_in(page, user, f"{self.name}/00")

    def step(self, page: Page, step: str, *, guide: bool = False) -> None:
        """Picture the page as the person sees it now; `guide`: a user guide shows this step too."""
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=self.folder / f"{self.steps:02d}-{step}.png", full_page=True)
        target = os.environ.get(GUIDE_SCREENSHOTS)
        if guide and target:
            guide_picture(page, guide_folder(target) / f"{self.name}-{step}.png")


def guide_folder(target: str) -> Path:
    """KERMA_GUIDE_SCREENSHOTS as a folder: relative paths are the project's (docs/guides/img)."""
    folder = Path(target) if Path(target).is_absolute() else E2E_DIR.parents[1] / target
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def guide_picture(page: Page, path: Path) -> None:
    """The window as the person sees it, reduced to 256 colours: a guide's picture stays near 50 kB."""
    import io

    from PIL import Image  # WeasyPrint's dependency (the PDF export), so it is always installed

    image = Image.open(io.BytesIO(page.screenshot(full_page=False)))
    image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def nav_links(page: Page) -> list[str]:
    """The header navigation's links the person sees, by name, in their order."""
    return [name.strip() for name in page.locator("header nav a").all_inner_texts()]
