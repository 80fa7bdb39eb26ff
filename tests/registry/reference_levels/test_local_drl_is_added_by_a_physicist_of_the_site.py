"""Physicists and administrators add local DRLs for their own sites; others are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import AuditEvent, ReferenceLevel, Role, Site, StandardExam
from tests.conftest import person
from tests.registry.reference_levels.conftest import page


@pytest.fixture
def swallow(db: None) -> StandardExam:
    exam, _ = StandardExam.objects.get_or_create(modality="RF", name="Barium swallow")
    return exam


def post(client: Client, site: Site, exam: StandardExam, value: str = "15") -> Any:
    data = {
        "site": site.code,
        "exam": exam.pk,
        "metric": "dap",
        "value": value,
        "statistic": "P75",
        "note": "2024 audit",
    }
    return client.post("/reference-levels/local/new/", data)


@pytest.mark.parametrize("role", [Role.PHYSICIST, Role.ADMINISTRATOR])
def test_a_physicist_or_administrator_adds_a_local_level(
    client: Client, north: Site, swallow: StandardExam, role: Role
) -> None:
    user = person("person", (north, role))
    client.force_login(user)
    response = post(client, north, swallow, value="15")
    assert response.status_code == 302
    level = ReferenceLevel.objects.get(site=north)
    assert (level.status, level.kind, level.statistic, level.version) == ("local", "drl", "P75", 1)
    assert level.value == pytest.approx(0.0015)  # 15 Gy·cm² in Gy.m2
    assert (level.unit, level.exam, level.created_by, level.note) == ("Gy.m2", swallow, user, "2024 audit")
    event = AuditEvent.objects.get(action="reference_level.created", object_id=str(level.pk))
    assert (event.actor, event.site, event.before) == (user, north, None)


def test_the_page_marks_a_local_level_with_its_site(
    client: Client, north: Site, swallow: StandardExam
) -> None:
    client.force_login(person("person", (north, Role.PHYSICIST)))
    post(client, north, swallow)
    html = page(client, "/reference-levels/")
    assert '<strong class="badge badge-local">local</strong> NORTH-01' in html


def test_an_uploader_is_refused(client: Client, north: Site, swallow: StandardExam) -> None:
    client.force_login(person("uploader", (north, Role.UPLOADER)))
    assert client.get("/reference-levels/local/new/").status_code == 403
    assert post(client, north, swallow).status_code == 403
    assert not ReferenceLevel.objects.exists()


def test_a_physicist_of_another_site_cannot_add_for_this_one(
    client: Client, north: Site, south: Site, swallow: StandardExam
) -> None:
    client.force_login(person("elsewhere", (south, Role.PHYSICIST)))
    response = post(client, north, swallow)
    assert response.status_code == 200  # the form again: NORTH-01 is not a choice
    assert not ReferenceLevel.objects.exists()


def test_a_metric_of_another_modality_is_refused(client: Client, north: Site, physicist: User) -> None:
    head = StandardExam.objects.get_or_create(modality="CT", name="Head")[0]
    client.force_login(physicist)
    response = post(client, north, head)
    assert "does not apply to Computed tomography" in response.content.decode()
    assert not ReferenceLevel.objects.exists()


def test_a_second_local_level_for_the_same_exam_is_refused(
    client: Client, north: Site, physicist: User, swallow: StandardExam
) -> None:
    client.force_login(physicist)
    post(client, north, swallow)
    response = post(client, north, swallow, value="20")
    assert "revise that one" in response.content.decode()
    assert ReferenceLevel.objects.count() == 1
