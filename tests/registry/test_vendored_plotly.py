"""The vendored plotly.js is the one the installed plotly package builds its figures for, byte for byte."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import plotly

from tests.conftest import PROJECT_ROOT

VENDORED = PROJECT_ROOT / "static" / "vendor" / "plotly" / "plotly.min.js"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_vendored_plotly_js_equals_the_installed_packages_bundle() -> None:
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert _digest(VENDORED) == _digest(bundled)


def test_vendor_md_records_the_vendored_files_checksum_and_version() -> None:
    table = (PROJECT_ROOT / "static" / "vendor" / "VENDOR.md").read_text()
    header = VENDORED.read_bytes()[:200].decode()
    version = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", header)
    assert version is not None and f"| {version.group(1)} |" in table
    assert _digest(VENDORED) in table
