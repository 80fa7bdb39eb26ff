"""Every URL pattern, crawled as anonymous and as each role, answers as the declared role matrix says.

The patterns come from walking the URL resolver, not from the matrix, so a new route without a row in
tests/registry/access/role_matrix.py fails here until someone decides who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import Model
from django.http import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from registry.models import Site
from tests.conftest import person
from tests.registry.access.role_matrix import ANONYMOUS, MATRIX, ROLES, SUPERUSER, Call, Route, World
from tests.registry.statistics.conftest import ExamFactory, SiteFactory

pytestmark = pytest.mark.django_db
REFUSALS = (401, 403, 404, 405)
API_PREFIXES = ("/api/", "/dicomweb/")


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str


def crawl(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    """Every URL pattern under `patterns`, named as `reverse` knows it; the admin is left to its own test."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from crawl(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield Pattern(f"{namespace}{entry.name}" if entry.name else route, route)


CRAWLED = list(crawl(get_resolver().url_patterns))
WITH_OBJECTS = [pattern for pattern in CRAWLED if pattern.name in MATRIX and MATRIX[pattern.name].theirs]


def cases(patterns: list[Pattern]) -> list[Any]:
    """One test per pattern and role, with ids such as `mapping-auditor`."""
    return [pytest.param(p, role, id=f"{p.name}-{role}") for p in patterns for role in ROLES]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """People are made by the hundred here; Argon2 (the production hasher) would make this test slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    a, b = SiteFactory.create(code="SITE-A"), SiteFactory.create(code="SITE-B")
    return World(a, b, ExamFactory.create(name="Head routine"), User.objects.create(username="author"))


def caller(role: str, site: Site) -> tuple[Client, User | None]:
    """A client signed in with `role` at `site` only (the superuser is a member nowhere)."""
    client = Client()
    if role == ANONYMOUS:
        return client, None
    user = person(role, *([] if role == SUPERUSER else [(site, role)]), superuser=role == SUPERUSER)
    client.force_login(user)
    return client, user


@dataclass(frozen=True)
class Ask:
    """One role asking one route about one object; `check` sends each method the row declares."""

    name: str
    route: Route
    role: str
    client: Client
    call: Call

    @classmethod
    def make(cls, pattern: Pattern, role: str, world: World, site: Site) -> Ask:
        """Sign in as `role` at site A, and make the route's object at `site` (A: mine, B: theirs)."""
        route = MATRIX.get(pattern.name)
        if route is None:
            pytest.fail(
                f"{pattern.route} ({pattern.name}) has no row in tests/registry/access/role_matrix.py"
            )
        client, user = caller(role, world.a)
        cells = (route.mine if site == world.a else route.theirs).values()
        needed = any(cell[role] is not None for cell in cells)  # "-": the object cannot exist for this role
        return cls(pattern.name, route, role, client, route.target(world, site, user) if needed else Call())

    def check(self, method: str, expected: int) -> bytes:
        """One request against its declared status; a refused POST must change nothing in the database."""
        path = reverse(self.name, kwargs=self.call.kwargs)
        before = snapshot(self.call.obj) if method == "POST" and expected in REFUSALS else None
        response, body = self.send(method, path)
        assert response.status_code == expected, f"{method} {path} as {self.role}: {body[:300]!r}"
        if before is not None:
            assert snapshot(self.call.obj) == before, f"a refused {method} {path} changed the database"
        if self.role == ANONYMOUS and not self.route.public:
            refused_anonymously(response, path)
        if expected == 401:
            assert response.has_header("WWW-Authenticate"), "a 401 must say how to authenticate"
        return body

    def send(self, method: str, path: str) -> tuple[HttpResponseBase, bytes]:
        """The response and its body; exports are read to the end, as a browser would, which closes them."""
        if method == "GET":
            response = self.client.get(path, self.call.query)
        else:
            response = self.client.post(path, self.call.form)
        if isinstance(response, StreamingHttpResponse):
            return response, b"".join(response.streaming_content)
        return response, response.content


def snapshot(obj: Model | None) -> dict[str, Any]:
    """Rows per table, and the object's own row: what a refused POST must leave exactly as it was."""
    counts: dict[str, Any] = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
    if obj is not None:
        counts["object"] = type(obj)._base_manager.filter(pk=obj.pk).values().first()
    return counts


def refused_anonymously(response: HttpResponseBase, path: str) -> None:
    """Anonymous visitors are sent to sign in (pages), or told to authenticate with a 401 (the API)."""
    if path.startswith(API_PREFIXES):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{resolve_url('login')}?next=")


@pytest.mark.parametrize(("pattern", "role"), cases(CRAWLED))
def test_role_matrix(pattern: Pattern, role: str, world: World) -> None:
    ask = Ask.make(pattern, role, world, world.a)
    for method, cells in ask.route.mine.items():
        if (expected := cells[role]) is not None:
            ask.check(method, expected)


@pytest.mark.parametrize(("pattern", "role"), cases(WITH_OBJECTS))
def test_another_sites_objects(pattern: Pattern, role: str, world: World) -> None:
    """Site B's object, asked for by a member of site A: 404 (403 for a site named in a form or filter)."""
    ask = Ask.make(pattern, role, world, world.b)
    for method, cells in ask.route.theirs.items():
        if (expected := cells[role]) is not None:
            body = ask.check(method, expected)
            if role != SUPERUSER and ask.call.marker:
                assert ask.call.marker.encode() not in body, "another site's object leaked into the answer"


def test_the_matrix_declares_every_url_pattern_and_no_other() -> None:
    crawled = {pattern.name for pattern in CRAWLED}
    assert len(crawled) == len(CRAWLED), "two URL patterns share a name"
    assert not crawled - set(MATRIX), f"add rows to the role matrix for {sorted(crawled - set(MATRIX))}"
    assert not set(MATRIX) - crawled, f"stale rows in the role matrix: {sorted(set(MATRIX) - crawled)}"


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_staff_only(role: str, world: World) -> None:
    """Django's admin keeps its own rule (is_staff): every role but a staff superuser goes to its sign-in."""
    client, user = caller(role, world.a)
    if user is not None and role == SUPERUSER:
        User.objects.filter(pk=user.pk).update(is_staff=True)
    response = client.get("/admin/")
    if role == SUPERUSER:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == "/admin/login/?next=/admin/"
