"""Only physicists of the study's site (or of every site) flag and unflag; another site's study is a 404.

Every member of the site reads the QA page; a member of another site never sees the study there.
"""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import AuditEvent, QASource, Role, Site, Study
from tests.registry.quality.conftest import signed_in

pytestmark = pytest.mark.django_db


def flag(client: Client, study: Study) -> int:
    return client.post(f"/quality/studies/{study.pk}/flag/", {"reason": "Phantom"}).status_code


def test_a_physicist_of_another_site_gets_404_and_changes_nothing(studies: list[Study], south: Site) -> None:
    southern = signed_in("sue", (south, Role.PHYSICIST))
    assert flag(southern, studies[2]) == 404
    assert southern.post(f"/quality/studies/{studies[2].pk}/unflag/", {"reason": "x"}).status_code == 404
    assert not Study.objects.filter(qa=True).exists()


@pytest.mark.parametrize("role", [Role.UPLOADER, Role.AUDITOR, Role.ADMINISTRATOR])
def test_other_roles_of_the_site_get_403_and_change_nothing(
    studies: list[Study], north: Site, role: str
) -> None:
    client = signed_in(f"someone-{role}", (north, role))
    assert flag(client, studies[2]) == 403
    assert not Study.objects.filter(qa=True).exists()
    assert not AuditEvent.objects.filter(action__startswith="study.qa_").exists()


def test_a_registry_wide_physicist_flags_any_sites_study(studies: list[Study]) -> None:
    national = signed_in("nat", (None, Role.PHYSICIST))
    assert flag(national, studies[2]) == 302
    assert Study.objects.get(qa=True).qa_source == QASource.PHYSICIST


@pytest.mark.parametrize("role", [Role.UPLOADER, Role.AUDITOR, Role.ADMINISTRATOR, Role.PHYSICIST])
def test_every_member_reads_the_qa_page_but_only_physicists_get_the_unflag_form(
    physicist: Client, studies: list[Study], north: Site, role: str
) -> None:
    flag(physicist, studies[2])
    page = signed_in(f"member-{role}", (north, role)).get("/quality/qa-studies/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/studies/{studies[2].pk}/" in html
    assert (f"/quality/studies/{studies[2].pk}/unflag/" in html) is (role == Role.PHYSICIST)


def test_another_sites_members_do_not_see_the_qa_scan(
    physicist: Client, studies: list[Study], south: Site
) -> None:
    flag(physicist, studies[2])
    html = signed_in("sue", (south, Role.PHYSICIST)).get("/quality/qa-studies/").content.decode()
    assert f"/studies/{studies[2].pk}/" not in html and "No QA scans." in html


def test_a_person_of_no_site_may_not_open_the_qa_page(db: None) -> None:
    assert signed_in("nobody").get("/quality/qa-studies/").status_code == 403
