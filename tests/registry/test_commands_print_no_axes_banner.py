"""Management commands print what they were asked for, not django-axes' "AXES: BEGIN version" banner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_command_prints_no_axes_banner() -> None:
    result = subprocess.run(  # noqa: S603 - this interpreter, this project's manage.py
        [sys.executable, str(ROOT / "manage.py"), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "AXES" not in result.stdout + result.stderr
    assert "no issues" in result.stdout
