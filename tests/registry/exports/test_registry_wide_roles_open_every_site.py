"""A physicist or auditor may hold the role at every site (a membership without a site), nobody else.

Registry-wide roles are for people who watch the whole registry (a national body's physicists and
auditors): they see every site, including sites added later, with their role's rights and no more.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from registry.models import Membership, Role, Site, Study, visible_sites
from tests.conftest import person
from tests.registry.exports.conftest import read_csv
from tests.registry.statistics.conftest import SiteFactory

pytestmark = pytest.mark.django_db


def test_a_registry_wide_physicist_sees_every_site_even_new_ones(registry: dict[str, list[Study]]) -> None:
    user = person("national", (None, Role.PHYSICIST))
    late = SiteFactory.create(code="LATE")
    assert set(visible_sites(user).values_list("code", flat=True)) == {"ALPHA", "BRAVO", "LATE"}
    assert set(visible_sites(user, roles=(Role.PHYSICIST,))) == set(Site.objects.all())
    assert late in visible_sites(user)
    # ...with a physicist's rights only: no site to upload to, no tokens to administer.
    assert not visible_sites(user, roles=(Role.UPLOADER,)).exists()
    assert not visible_sites(user, roles=(Role.ADMINISTRATOR,)).exists()
    assert Study.objects.for_user(user).count() == Study.objects.count() == 8


def test_a_registry_wide_auditor_exports_any_site(client: Client, registry: dict[str, list[Study]]) -> None:
    client.force_login(person("auditor", (None, Role.AUDITOR)))
    response = client.get("/exports/studies.csv", {"site": "BRAVO"})
    assert response.status_code == 200
    assert len(read_csv(response)) == 1 + 3  # the header and BRAVO's three studies


def test_a_site_member_still_sees_only_their_site(registry: dict[str, list[Study]], alpha: Site) -> None:
    user = person("local", (alpha, Role.PHYSICIST))
    person("other", (None, Role.PHYSICIST))
    assert list(visible_sites(user).values_list("code", flat=True)) == ["ALPHA"]


@pytest.mark.parametrize("role", [Role.UPLOADER, Role.ADMINISTRATOR])
def test_uploaders_and_administrators_need_a_site(role: Role) -> None:
    user = person("someone")
    membership = Membership(user=user, site=None, role=role)
    with pytest.raises(ValidationError, match="Only physicists and auditors"):
        membership.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_a_registry_wide_role_is_held_once() -> None:
    user = person("twice", (None, Role.AUDITOR))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, site=None, role=Role.AUDITOR)
