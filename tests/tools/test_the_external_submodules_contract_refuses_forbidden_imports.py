"""The external_submodules contract (tools/import_contracts.py) refuses `django.http`, allows `django.db`."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp
import pytest

from tools.import_contracts import ExternalSubmodulesContract, imported_names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("from django.http import QueryDict", ["django.http", "django.http.QueryDict"]),
        ("from django import forms, http as web", ["django", "django.forms", "django.http"]),
        ("import django.template.loader", ["django.template.loader"]),
        ("import django.db, django.urls  # why", ["django.db", "django.urls"]),
        ("from django.db.models import (", ["django.db.models"]),
        ("x = 1", []),
    ],
)
def test_each_import_statement_names_what_it_binds(line: str, names: list[str]) -> None:
    assert imported_names(line) == names


def _graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, modules: dict[str, str]) -> grimp.ImportGraph:
    package = tmp_path / "contractpkg"
    (package / "stats").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "stats" / "__init__.py").write_text("")
    for name, source in modules.items():
        (package / "stats" / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("contractpkg", None)
    return grimp.build_graph("contractpkg", include_external_packages=True, cache_dir=None)


def _contract() -> ExternalSubmodulesContract:
    return ExternalSubmodulesContract(
        name="stats import no HTTP code",
        session_options={},
        contract_options={
            "source_modules": ["contractpkg.stats"],
            "forbidden_submodules": ["django.http", "django.forms"],
        },
    )


def test_a_module_that_imports_django_http_breaks_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _graph(
        tmp_path,
        monkeypatch,
        {"ok": "from django.db.models import Q\n", "bad": "import os\nfrom django.http import QueryDict\n"},
    )
    check = _contract().check(graph, verbose=False)
    assert not check.kept
    assert [(d["importer"], d["line_number"]) for d in check.metadata["illegal"]] == [
        ("contractpkg.stats.bad", 2)
    ]


def test_django_db_alone_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _graph(tmp_path, monkeypatch, {"ok": "from django.db.models import Q\nimport django.db\n"})
    assert _contract().check(graph, verbose=False).kept
