"""One click on a suggestion creates the rule, maps the history and takes the name off the list."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import AuditEvent, MappingRule, Role, Site
from tests.conftest import person
from tests.registry.mapping.conftest import MakeStudy, exam, exam_of

pytestmark = pytest.mark.django_db


def test_a_suggestion_button_maps_the_name_at_its_site(
    client: Client, north: Site, make_study: MakeStudy
) -> None:
    studies = [make_study(north, "Thorax^Routine (Adult)") for _ in range(2)]
    client.force_login(person("pat", (north, Role.PHYSICIST)))
    page = client.get("/mapping/?modality=CT").content.decode()
    assert "Thorax^Routine (Adult)" in page and 'name="csrfmiddlewaretoken"' in page
    assert "<script" not in page and "style=" not in page
    chest = exam("CT", "Chest")
    assert f'name="exam" value="{chest.pk}"' in page  # the top suggestion's button
    form = {"name": "Thorax^Routine (Adult)", "site": north.code, "field": "study_description"}
    response = client.post(
        "/mapping/rules/new/", form | {"exam": chest.pk, "next": "/mapping/?modality=CT"}, follow=True
    )
    assert response.redirect_chain == [("/mapping/?modality=CT", 302)]
    page = response.content.decode()
    assert "studies mapped" in page and ": 2 studies mapped." in page
    assert [exam_of(study) for study in studies] == ["Chest", "Chest"]
    assert "Every CT study here has a standard exam." in page
    rule = MappingRule.objects.get()
    assert rule.created_by is not None
    assert (rule.site, rule.pattern, rule.kind, rule.created_by.username) == (
        north,
        "Thorax^Routine (Adult)",
        "exact",
        "pat",
    )
    assert (
        AuditEvent.objects.filter(action__startswith="mapping_rule.").get().action == "mapping_rule.created"
    )


def test_a_superuser_can_map_a_name_for_all_sites(
    client: Client, north: Site, south: Site, make_study: MakeStudy
) -> None:
    at_north, at_south = make_study(north, "HEAD WO"), make_study(south, "HEAD WO")
    client.force_login(person("root", superuser=True))
    assert 'name="all_sites" value="on"' in client.get("/mapping/?all_sites=on").content.decode()
    form = {"name": "HEAD WO", "site": north.code, "field": "study_description", "all_sites": "on"}
    client.post("/mapping/rules/new/", form | {"exam": exam("CT", "Head").pk})
    assert MappingRule.objects.get().site is None
    assert (exam_of(at_north), exam_of(at_south)) == ("Head", "Head")


def test_rules_are_listed_and_edited_and_changes_shown(
    client: Client, north: Site, make_study: MakeStudy
) -> None:
    study = make_study(north, "CT HEAD ROUTINE")
    rule = MappingRule.objects.create(exam=exam("CT", "Head"), pattern="HEAD WO", site=north)
    client.force_login(person("pat", (north, Role.PHYSICIST)))
    assert f"/mapping/rules/{rule.pk}/" in client.get("/mapping/").content.decode()
    edit = {"pattern": "head", "kind": "contains", "priority": 5, "active": "on"}
    response = client.post(f"/mapping/rules/{rule.pk}/", edit, follow=True)
    assert "Rule saved: it maps 1 studies." in response.content.decode()
    assert exam_of(study) == "Head"
    assert "<code>HEAD WO</code>" in response.content.decode()  # the recent change, before → after
    response = client.post(f"/mapping/rules/{rule.pk}/delete/", follow=True)
    assert "Rule deleted" in response.content.decode() and exam_of(study) is None
