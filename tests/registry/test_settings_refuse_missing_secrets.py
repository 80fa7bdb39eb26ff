"""With DEBUG off, Kerma refuses to start without its secrets rather than fall back to known ones."""

from __future__ import annotations

import pytest

from tests.registry.settings_probe import run_settings

SECRETS = {"SECRET_KEY": "s3cret-for-tests", "KERMA_PSEUDONYM_KEY": "pseudonym-key-for-tests"}


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_startup_fails_naming_the_missing_secret(missing: str) -> None:
    present = {name: value for name, value in SECRETS.items() if name != missing}
    result = run_settings(DEBUG="false", ALLOWED_HOSTS="kerma.example.org", **present)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set when DEBUG is off" in result.stderr
