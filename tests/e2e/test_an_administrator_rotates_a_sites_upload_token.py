"""An administrator's journey: on the Upload tokens page they rotate their site's token; the new secret is
shown once, the old token stops working at the REST API at once while the new one is taken, and the audit
log tells the rotation in words. The administrator's navigation offers every role-bound link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from registry.access.tokens import upload_token_issue
from registry.models import Role, Site
from tests.conftest import corpus_file, person
from tests.e2e.conftest import NAV_LINKS, PASSWORD, Journey, PageProblems, nav_links, settle

if TYPE_CHECKING:
    from playwright.sync_api import APIRequestContext, Browser, FilePayload, Page

pytestmark = pytest.mark.e2e

REPORT = "CT-RDSR-GEPixelMed.dcm"
SUBMISSIONS = "/api/v1/submissions/"


def send(api: APIRequestContext, secret: str) -> int:
    """POST a corpus report to the REST API as the site's sender does, with `secret` as its token."""
    upload: FilePayload = {
        "name": REPORT,
        "mimeType": "application/dicom",
        "buffer": corpus_file(REPORT).read_bytes(),
    }
    response = api.post(SUBMISSIONS, multipart={"file": upload}, headers={"Authorization": f"Token {secret}"})
    return response.status


def test_an_administrator_rotates_a_token_the_old_one_is_refused_and_the_log_says_so(
    page: Page, problems: PageProblems, browser: Browser, live_server: Any
) -> None:
    from playwright.sync_api import expect

    site = Site.objects.create(code="NORTH", name="North Hospital")
    old = upload_token_issue(actor=None, site=site, label="PACS router")  # what the gateway sends with
    sender = browser.new_context(base_url=live_server.url).request  # the gateway: no session, only a token
    assert send(sender, old.secret) == 202

    journey = Journey("administrator")
    admin = person("ada", (site, Role.ADMINISTRATOR), password=PASSWORD)
    journey.sign_in(page, admin)
    assert nav_links(page) == list(NAV_LINKS)  # every role-bound link, PACS and the audit log included

    page.get_by_role("link", name="Upload tokens", exact=True).click()
    page.get_by_role("link", name="NORTH", exact=True).click()
    old_row = page.locator("table.submissions tbody tr", has_text=old.token.prefix)
    expect(old_row.locator("td:nth-child(4)")).to_have_text("active")
    rotate = page.locator("form[action$='/tokens/rotate/']")
    rotate.get_by_label("Label").fill("PACS router, 2026")  # its own label: the forms' ids differ
    rotate.get_by_label("Revoke every active token of the site now").check()
    journey.step(page, "tokens", guide=True)
    rotate.get_by_role("button", name="Rotate").click()

    page.wait_for_url("**/sites/NORTH/tokens/*/issued/")
    expect(page.locator("ul.messages")).to_have_text("Revoked 1 active token(s) of NORTH.")
    secret = page.locator("code.secret").inner_text()
    assert secret and secret != old.secret
    journey.step(page, "new-secret", guide=True)
    page.reload()
    expect(page.locator("code.secret")).to_have_count(0)  # shown once: a reload finds only the prefix
    expect(page.get_by_text(f"{secret[:8]}")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("was shown once")

    assert send(sender, old.secret) == 401  # refused from the moment of the rotation
    assert send(sender, secret) == 202

    page.get_by_role("link", name="Back to the tokens of NORTH").click()
    expect(old_row.locator("td:nth-child(4)")).not_to_have_text("active")  # its revocation time
    new_row = page.locator("table.submissions tbody tr", has_text="PACS router, 2026")
    expect(new_row.locator("td:nth-child(4)")).to_have_text("active")

    page.get_by_role("link", name="Audit log", exact=True).click()
    rotated = page.locator("table.audit-log tbody tr", has_text="Upload token rotated")
    expect(rotated).to_have_count(1)
    expect(rotated.locator("td:nth-child(2)")).to_have_text(admin.get_username())
    expect(rotated.locator("td:nth-child(4)")).to_have_text("NORTH")
    expect(rotated.locator("td:nth-child(6)")).to_contain_text(secret[:8])  # the new token by its prefix only
    expect(rotated.locator("td:nth-child(6)")).to_contain_text(f"revoked: {old.token.prefix}")
    expect(rotated.locator("td:nth-child(6)")).not_to_contain_text(secret)  # never the secret
    expect(rotated.locator("td:nth-child(6)")).to_contain_text("PACS router, 2026")
    journey.step(page, "audit-log", guide=True)
    settle(page)
    assert problems.found == []
