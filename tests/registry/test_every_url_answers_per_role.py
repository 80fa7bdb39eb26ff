"""Every URL of the URL map, GET as anonymous and as each role, answers 200, a redirect to sign in, or a
refusal in the site's layout: never a 500, never a bare error page.

The patterns are walked from the URL resolver, so a route is crawled the day it is added. Path parameters
are real objects of the person's own site and of another site, made by the role matrix's targets
(tests/registry/access/role_matrix.py); the matrix declares which status each role gets, this crawl checks
what the person then sees, asking as a browser does:

- a 200 that is a whole HTML document is in the layout (htmx fragments and downloads are not documents);
- an anonymous visitor is sent to sign in; a signed-in person's redirect leads to a page that answers 200;
- 400, 401, 403 and 404 are pages in the layout (templates/error.html); the REST API's are the browsable
  API under Kerma's name (templates/rest_framework/api.html), or JSON where an endpoint speaks only JSON
  (STOW-RS, which also answers 401 to a session: it takes site tokens only);
- another site's object named in the path answers 403 or 404 to a one-site person;
- POST-only routes (the matrix declares no GET: forms and scripts post to them, no link leads there) answer a
  GET with 405 and the methods they allow (Django's require_POST, whose 405 has no body).

The admin is Django's own, with its own layout and its own rule (is_staff; test_role_matrix checks that
everyone else is sent to its sign-in): a staff superuser opens each of its named pages, with the first
object of each model, once the site crawl has made them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.views import APIView

from registry.models import Site
from tests.conftest import person
from tests.registry.access.role_matrix import ANONYMOUS, MATRIX, ROLES, SUPERUSER, Call, World
from tests.registry.statistics.conftest import EventFactory, ExamFactory, SiteFactory

pytestmark = pytest.mark.django_db

SITE_LAYOUT = b'<header class="site-header">'  # templates/base.html
API_LAYOUT = b'<a class="navbar-brand" href="/">Kerma API</a>'  # templates/rest_framework/api.html
ADMIN_LAYOUT = b'<header id="header">'  # django/contrib/admin/templates/admin/base.html
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ONE_SITE_ROLES = [role for role in ROLES if role not in (ANONYMOUS, SUPERUSER)]
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
# Admin patterns the crawl does not open, and why (besides the unnamed ones: each model's redirect from
# <id>/ to its change page, and the catch-all that adds a slash or answers 404); the one only POSTed to.
ADMIN_LEFT_OUT = {"admin:view_on_site": "it redirects to an object's own page; no admin model has one"}
ADMIN_POST_ONLY = ("admin:logout",)


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: the name `reverse` knows it by (None if unnamed), its full route, and its view."""

    name: str | None
    route: str
    callback: Any

    @property
    def parameters(self) -> list[str]:
        return [a or b for a, b in PARAMETER.findall(self.route)]

    @property
    def api(self) -> type[APIView] | None:
        view = getattr(self.callback, "cls", None)
        return view if isinstance(view, type) and issubclass(view, APIView) else None

    @property
    def layouts(self) -> tuple[bytes, ...]:
        """What marks the answer as dressed; none for an endpoint that speaks only JSON. The admin refuses
        a page (an add page of a read-only model, say) with the site's 403 page."""
        if self.route.startswith("admin/"):
            return (ADMIN_LAYOUT, SITE_LAYOUT)
        if self.api is None:
            return (SITE_LAYOUT,)
        return (API_LAYOUT,) if BrowsableAPIRenderer in self.api.renderer_classes else ()

    @property
    def post_only(self) -> bool:
        if self.name in ADMIN_POST_ONLY:
            return True
        return self.name in MATRIX and "GET" not in MATRIX[self.name].mine

    @property
    def names_a_sites_object(self) -> bool:
        return self.name in MATRIX and bool(MATRIX[self.name].theirs) and bool(self.parameters)


def crawl(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    """Every URL pattern under `patterns`, with its full route and namespaced name."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from crawl(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield Pattern(f"{namespace}{entry.name}" if entry.name else None, route, entry.callback)


CRAWLED = list(crawl(get_resolver().url_patterns))
SITE_PATTERNS = [pattern for pattern in CRAWLED if not pattern.route.startswith("admin/")]
ADMIN_PATTERNS = [
    pattern
    for pattern in CRAWLED
    if pattern.route.startswith("admin/") and pattern.name is not None and pattern.name not in ADMIN_LEFT_OUT
]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    """Two sites with a CT study each (a report, an event), so lists, dashboards and study pages have rows."""
    a, b = SiteFactory.create(code="SITE-A"), SiteFactory.create(code="SITE-B")
    exam = ExamFactory.create(name="Head routine")
    for site in (a, b):
        EventFactory.create(report__study__site=site, report__study__standard_exam=exam, ctdivol_mgy=50.0)
    return World(a, b, exam, User.objects.create(username="author"))


@dataclass
class Visitor:
    """A browser-like client (a 500 is an answer, not an exception) signed in with `role` at site A only."""

    role: str
    world: World
    client: Client = field(init=False)
    user: User | None = field(init=False)

    def __post_init__(self) -> None:
        self.client = Client(raise_request_exception=False, headers=BROWSER)
        self.user = None
        if self.role == ANONYMOUS:
            return
        superuser = self.role == SUPERUSER
        memberships = [] if superuser else [(self.world.a, self.role)]
        self.user = person(self.role, *memberships, superuser=superuser)
        if superuser:
            User.objects.filter(pk=self.user.pk).update(is_staff=True)  # the admin's own rule
        self.client.force_login(self.user)

    def verdict(self, pattern: Pattern, url: str) -> tuple[int, str | None]:
        """The status of GET `url`, and what is wrong with the answer (None: one the person may get)."""
        response = self.client.get(url)
        status, content = response.status_code, response.getvalue()  # a stream read to its end
        if status == 302:
            return status, self.redirect_verdict(pattern, response["Location"])
        if status == 405:
            allowed = pattern.post_only and "POST" in response.get("Allow", "")
            return status, None if allowed else f"405 (Allow: {response.get('Allow')}) to a GET route"
        if status == 401 and not (pattern.api and (self.role == ANONYMOUS or not pattern.layouts)):
            return status, "401 where the person is signed in, or outside the API"
        if status not in (200, 400, 401, 403, 404):
            return status, f"answered {status}"
        return status, dressed(pattern, status, content)

    def redirect_verdict(self, pattern: Pattern, location: str) -> str | None:
        """Anonymous visitors go to sign in; anyone else is led to a page that answers 200."""
        if self.role == ANONYMOUS:
            login = resolve_url("admin:login" if pattern.route.startswith("admin/") else "login")
            return None if location.startswith(f"{login}?next=") else f"anonymous sent to {location}"
        status = self.client.get(location).status_code
        return None if status == 200 else f"redirected to {location}, which answered {status}"

    def crawl_site(self, site: Site) -> list[str]:
        """Every site route, its objects made at `site`; what went wrong, one line per URL."""
        objects = Objects(self.world, site, self.user)
        found = []
        for pattern in SITE_PATTERNS:
            try:
                url = objects.url(pattern)
            except LookupError as missing:
                found.append(f"{pattern.route} ({pattern.name}): {missing}")
                continue
            status, problem = self.verdict(pattern, url)
            if problem is None and site == self.world.b and pattern.names_a_sites_object:
                problem = self.another_sites_verdict(pattern, status)
            if problem is not None:
                found.append(f"GET {url} ({pattern.name}) as {self.role}: {problem}")
        return found

    def another_sites_verdict(self, pattern: Pattern, status: int) -> str | None:
        """Another site's object named in the path is refused (or never reached, by a POST-only route)."""
        if self.role not in ONE_SITE_ROLES:
            return None
        refused = (405,) if pattern.post_only else (403, 404)
        return None if status in refused else f"another site's object answered {status}"


def dressed(pattern: Pattern, status: int, content: bytes) -> str | None:
    """A whole page or a refusal is in its layout; a JSON-only endpoint's refusal is JSON."""
    if not pattern.layouts:
        return None if status == 200 or isinstance(json.loads(content or b"null"), dict) else "not JSON"
    document = content.lstrip()[:15].lower() == b"<!doctype html>"
    if status == 200 and not document:
        return None  # an htmx fragment, a download, JSON for scripts
    styled = any(layout in content for layout in pattern.layouts)
    return None if styled else f"{status} without the layout"


@dataclass
class Objects:
    """The objects behind the routes, made at `site` by the role matrix's targets, once per target: routes
    that share a target (a level's revise and history pages) share its object, as a site has one of each."""

    world: World
    site: Site
    user: User | None
    made: dict[Any, Call] = field(default_factory=dict)

    def url(self, pattern: Pattern) -> str:
        """The pattern's URL, its parameters filled with the objects its target makes.

        A route the matrix does not list yet is crawled all the same where it takes no parameters (and
        test_role_matrix fails until it is listed); one with parameters cannot be filled.
        """
        assert pattern.name is not None, f"{pattern.route} has no name, so the role matrix cannot list it"
        route = MATRIX.get(pattern.name)
        if route is None and pattern.parameters:
            raise LookupError(f"no row in tests/registry/access/role_matrix.py to fill {pattern.parameters}")
        if route is None:
            return reverse(pattern.name)
        if route.target not in self.made:
            self.made[route.target] = route.target(self.world, self.site, self.user)
        call = self.made[route.target]
        path = reverse(pattern.name, kwargs=call.kwargs)
        return f"{path}?{urlencode(call.query)}" if call.query else path


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_in_the_layout(role: str, world: World) -> None:
    assert Visitor(role, world).crawl_site(world.a) == []


@pytest.mark.parametrize("role", ROLES)
def test_another_sites_objects_are_refused_in_the_layout(role: str, world: World) -> None:
    assert Visitor(role, world).crawl_site(world.b) == []


def admin_urls(pattern: Pattern) -> list[str]:
    """The admin pattern's URLs: the index of each app, a model's pages with its first object (if any)."""
    assert pattern.name is not None
    if not pattern.parameters:
        return [reverse(pattern.name)]
    if pattern.parameters == ["app_label"]:
        labels = sorted({model._meta.app_label for model in admin.site._registry})
        return [reverse(pattern.name, kwargs={"app_label": label}) for label in labels]
    match = re.fullmatch(r"admin:([a-z_]+?)_([a-z]+)_(change|delete|history|password_change)", pattern.name)
    assert match is not None, f"say how to fill {pattern.route} ({pattern.name}), or leave it out with why"
    first = apps.get_model(match[1], match[2])._default_manager.order_by("pk").first()
    key = "id" if match[3] == "password_change" else "object_id"
    return [] if first is None else [reverse(pattern.name, kwargs={key: first.pk})]


def test_a_staff_superuser_opens_every_admin_page(world: World) -> None:
    staff = Visitor(SUPERUSER, world)
    staff.crawl_site(world.a)  # makes an object of every model the site uses (the other tests judge it)
    urls = [(pattern, url) for pattern in ADMIN_PATTERNS for url in admin_urls(pattern)]
    found = [f"GET {url}: {problem}" for pattern, url in urls if (problem := staff.verdict(pattern, url)[1])]
    assert found == []
    assert len(urls) > 80  # the index, each app's, and each registered model's list, add and object pages
