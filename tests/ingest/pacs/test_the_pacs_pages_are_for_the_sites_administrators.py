"""A site's administrators register its PACS nodes on the PACS pages; other roles and other sites' people
are refused, and a C-MOVE node's deliveries are accepted by the listener for the node's site."""

from __future__ import annotations

import pytest
from django.test import Client

from ingest.pacs.models import PacsNode, RetrieveMethod
from registry.models import AETitle, AuditEvent, Role, Site
from tests.conftest import person

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Main PACS",
    "ae_title": "MAINPACS",
    "host": "pacs.example.org",
    "port": "104",
    "retrieve_method": RetrieveMethod.MOVE,
    "modalities": "sr ct",
    "station_names": "CT 1, Angio",
    "lookback_days": "3",
    "enabled": "on",
}


@pytest.fixture
def other_site(db: None) -> Site:
    return Site.objects.create(code="SOUTH-02", name="South Clinic")


def signed_in(client: Client, site: Site, role: str) -> Client:
    client.force_login(person(f"{role}-{site.code}", (site, role)))
    return client


def test_an_administrator_adds_a_node_whose_ae_title_the_listener_then_accepts(
    client: Client, site: Site
) -> None:
    response = signed_in(client, site, Role.ADMINISTRATOR).post("/pacs/new/", {**FORM, "site": site.code})
    node = PacsNode.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pacs/{node.pk}/"
    assert (node.site, node.modalities, node.station_names) == (site, ["SR", "CT"], ["CT 1", "Angio"])
    assert AETitle.objects.get(ae_title="MAINPACS").site == site
    audited = AuditEvent.objects.filter(object_type__in=["registry.AETitle", "ingest.PacsNode"]).order_by(
        "id"
    )
    assert [(event.action, event.actor_label) for event in audited] == [
        ("ae_title.added", "administrator-NORTH-01"),
        ("pacs_node.created", "administrator-NORTH-01"),
    ]


def test_a_move_node_whose_ae_title_sends_for_another_site_is_refused_with_the_reason(
    client: Client, site: Site, other_site: Site
) -> None:
    AETitle.objects.create(site=other_site, ae_title="MAINPACS")
    response = signed_in(client, site, Role.ADMINISTRATOR).post("/pacs/new/", {**FORM, "site": site.code})
    assert response.status_code == 200
    assert "MAINPACS already sends to Kerma for site SOUTH-02" in response.content.decode()
    assert not PacsNode.objects.exists()


def test_the_same_ae_title_may_retrieve_by_c_get_for_a_second_site(
    client: Client, site: Site, other_site: Site
) -> None:
    AETitle.objects.create(site=other_site, ae_title="MAINPACS")
    form = {**FORM, "site": site.code, "retrieve_method": RetrieveMethod.GET}
    assert signed_in(client, site, Role.ADMINISTRATOR).post("/pacs/new/", form).status_code == 302
    assert AETitle.objects.get(ae_title="MAINPACS").site == other_site  # untouched: C-GET needs no listener


@pytest.mark.parametrize(
    ("role", "status"), [(Role.PHYSICIST, 403), (Role.UPLOADER, 403), (Role.AUDITOR, 403)]
)
def test_other_roles_of_the_site_may_not_open_its_nodes(
    client: Client, site: Site, role: str, status: int
) -> None:
    node = PacsNode.objects.create(site=site, name="PACS", ae_title="P", host="h", port=104)
    signed_in(client, site, role)
    assert [client.get(url).status_code for url in ("/pacs/", f"/pacs/{node.pk}/")] == [status, status]


def test_another_sites_administrator_does_not_find_the_node(
    client: Client, site: Site, other_site: Site
) -> None:
    node = PacsNode.objects.create(site=site, name="PACS", ae_title="P", host="h", port=104)
    signed_in(client, other_site, Role.ADMINISTRATOR)
    assert client.get(f"/pacs/{node.pk}/").status_code == 404
    assert client.post("/pacs/new/", {**FORM, "site": site.code}).status_code == 403
    assert PacsNode.objects.count() == 1


@pytest.mark.parametrize(("role", "shown"), [(Role.ADMINISTRATOR, True), (Role.PHYSICIST, False)])
def test_the_navigation_links_the_pacs_page_for_administrators_only(
    client: Client, site: Site, role: str, shown: bool
) -> None:
    page = signed_in(client, site, role).get("/reference-levels/").content.decode()
    assert ('href="/pacs/"' in page) is shown
