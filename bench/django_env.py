"""One way for every benchmark to point Django at its throwaway database: environment, then setup."""

from __future__ import annotations

import os


def django_setup(database_url: str, **extra: str) -> dict[str, str]:
    """Configure this process for `database_url` (plus `extra` variables) and set Django up.

    Returns the environment, so a benchmark can hand the same one to the worker processes it starts.
    """
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KERMA_ENV_FILE": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        **extra,
    }
    os.environ.update(env)
    import django

    django.setup()
    return env
