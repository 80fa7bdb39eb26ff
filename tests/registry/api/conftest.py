"""Fixtures for the studies API: corpus reports stored straight into the registry, and its callers."""

from __future__ import annotations

from tests.registry.conftest import Store
from tests.registry.statistics.conftest import member_client, token_client

__all__ = ["Store", "member_client", "token_client"]  # the API callers, shared with the statistics tests
