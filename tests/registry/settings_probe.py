"""Loads Kerma's settings in a fresh interpreter with only the given environment, as a server would."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Prints the settings the tests look at; the Celery values come from the app, proving it reads Django's.
PROBE = """
import functools
import json
import django
from django.conf import settings
django.setup()
from registry import celery_app
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SECRET_KEY": settings.SECRET_KEY,
    "KERMA_PSEUDONYM_KEY": settings.KERMA_PSEUDONYM_KEY,
    "KERMA_MAX_UPLOAD_BYTES": settings.KERMA_MAX_UPLOAD_BYTES,
    "broker_url": celery_app.conf.broker_url,
    "result_backend": celery_app.conf.result_backend,
    "task_always_eager": celery_app.conf.task_always_eager,
    "task_eager_propagates": celery_app.conf.task_eager_propagates,
}))
"""


def run_settings(**environ: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a child process whose environment holds nothing but `environ`."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "KERMA_ENV_FILE": "",  # a developer's .env must not leak into what "defaults" means
        **environ,
    }
    return subprocess.run(  # noqa: S603 - fixed interpreter and code, no shell
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def load_settings(**environ: str) -> dict[str, Any]:
    """The probed settings as a dict, failing the test with the child's stderr if it did not start."""
    return dict(_load_settings(tuple(sorted(environ.items()))))


@functools.cache
def _load_settings(environ: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """One child process per distinct environment: starting Django is the slow part of these tests."""
    result = run_settings(**dict(environ))
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded
