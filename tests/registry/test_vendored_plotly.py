"""The vendored plotly.js: the partial bundle VENDOR.md states, at the version plotly.py builds figures for,
holding every trace type the charts build, and served compressed and cached for good in production."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import plotly.graph_objects as go
import plotly.offline
import pytest
from plotly.basedatatypes import BaseTraceType

from tests.conftest import PROJECT_ROOT

VENDOR = PROJECT_ROOT / "static" / "vendor"
BUNDLE = "plotly/plotly-cartesian.min.js"
CHART_CODE = PROJECT_ROOT / "registry" / "dashboards"
# Every trace module of a plotly.js bundle registers itself with this literal, names kept by the minifier.
REGISTERED = re.compile(rb'moduleType:"trace",name:"([a-z0-9]+)"')
TRACE_CLASSES = [getattr(go, name) for name in dir(go) if not name.startswith("_")]  # go imports lazily
TRACE_TYPES = frozenset(
    kind().type for kind in TRACE_CLASSES if isinstance(kind, type) and issubclass(kind, BaseTraceType)
)
ONE_YEAR = 365 * 24 * 60 * 60
COLUMNS = ("project", "version", "licence", "sha256", "source")  # VENDOR.md's, after the file


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor_rows() -> dict[str, dict[str, str]]:
    """VENDOR.md's table by file: version, licence, sha256 and source as written."""
    rows = {}
    for line in (VENDOR / "VENDOR.md").read_text().splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        if len(cells) == len(COLUMNS) + 1 and (VENDOR / cells[0]).is_file():
            rows[cells[0]] = dict(zip(COLUMNS, cells[1:], strict=True))
    return rows


@pytest.mark.parametrize("name", sorted(vendor_rows()))
def test_every_vendored_file_has_the_checksum_vendor_md_states(name: str) -> None:
    assert _digest(VENDOR / name) == vendor_rows()[name]["sha256"]


def test_the_bundle_is_the_plotly_js_version_the_python_package_builds_for() -> None:
    header = (VENDOR / BUNDLE).read_bytes()[:200].decode()
    version = re.search(r"plotly\.js \(cartesian - minified\) v(\d+\.\d+\.\d+)", header)
    assert version is not None, header
    assert version[1] == vendor_rows()[BUNDLE]["version"] == plotly.offline.get_plotlyjs_version()


def test_every_vendored_file_is_in_vendor_md() -> None:
    listed = set(vendor_rows())
    for path in VENDOR.rglob("*"):
        if path.is_file() and path.name not in {"VENDOR.md", "LICENSE"}:
            assert path.relative_to(VENDOR).as_posix() in listed


def built_trace_types(folder: Path) -> set[str]:
    """The trace types the chart code builds: `go.Bar(...)`, `figure.add_scatter(...)`, `{"type": "box"}`."""
    found = set()
    for source in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                attribute = node.func.attr
                if isinstance(node.func.value, ast.Name) and node.func.value.id == "go":
                    found.add(attribute.lower())
                elif attribute.startswith("add_"):
                    found.add(attribute.removeprefix("add_"))
            elif isinstance(node, ast.Dict):
                found.update(
                    str(value.value)
                    for key, value in zip(node.keys, node.values, strict=True)
                    if isinstance(key, ast.Constant)
                    and key.value == "type"
                    and isinstance(value, ast.Constant)
                )
    return found & TRACE_TYPES


def test_the_bundle_registers_every_trace_type_the_charts_build() -> None:
    registered = set(REGISTERED.findall((VENDOR / BUNDLE).read_bytes()))
    built = built_trace_types(CHART_CODE)
    assert {"bar", "box", "scatter"} <= built  # the scan reads the chart code at all
    assert {name.encode() for name in built} <= registered


# Collects the static files as production does and asks the WSGI application for the bundle by its hashed
# name, as a browser would. Only STATIC_ROOT is set here (a folder of the test's), the rest comes from the
# environment. The admin's and DRF's files (900, a minute's compressing on a busy machine) are left out.
SERVE = """
import gzip, hashlib, json, sys, wsgiref.util
from django.conf import settings
settings.STATIC_ROOT = sys.argv[1]
import django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "rest_framework"])
from registry.wsgi import application  # whitenoise reads STATIC_ROOT as it starts: after collectstatic
url = staticfiles_storage.url(sys.argv[2])
environ = {"PATH_INFO": url, "HTTP_HOST": "kerma.example.org", "HTTP_ACCEPT_ENCODING": "gzip",
           "wsgi.url_scheme": "https"}
wsgiref.util.setup_testing_defaults(environ)
answer = {}
def start_response(status, headers):
    answer.update(status=status, headers=dict(headers))
body = b"".join(application(environ, start_response))
decoded = gzip.decompress(body) if answer["headers"].get("Content-Encoding") == "gzip" else body
answer.update(url=url, size=len(body), sha256=hashlib.sha256(decoded).hexdigest())
print(json.dumps(answer))
"""


def test_production_serves_the_bundle_gzipped_under_a_hashed_name_cached_for_a_year(tmp_path: Path) -> None:
    """DEBUG off: 1,500,041 bytes of bundle travel as about 496 kB of gzip (the full bundle: 4.8 MB, 1.47 MB
    gzipped), and a browser keeps it without asking again (whitenoise: max-age ten years, immutable)."""
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "KERMA_ENV_FILE": "",
        "DEBUG": "off",
        "SECRET_KEY": "a-test-secret-key-for-the-static-files-probe",
        "KERMA_PSEUDONYM_KEY": "a-test-pseudonym-key",
        "ALLOWED_HOSTS": "kerma.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    child = subprocess.run(  # noqa: S603 - fixed interpreter and code, no shell
        [sys.executable, "-c", SERVE, str(tmp_path / "static"), f"vendor/{BUNDLE}"],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    answer = json.loads(child.stdout.splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == "200 OK"
    assert re.fullmatch(r"/static/vendor/plotly/plotly-cartesian\.min\.[0-9a-f]{12}\.js", answer["url"])
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    max_age = re.search(r"max-age=(\d+)", headers["Cache-Control"])
    assert max_age is not None and int(max_age[1]) >= ONE_YEAR
    assert "immutable" in headers["Cache-Control"]
    assert answer["sha256"] == vendor_rows()[BUNDLE]["sha256"]
    assert answer["size"] < 520_000
