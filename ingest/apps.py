"""App configuration of the ingest app."""

from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Ingest: receiving dose reports (upload, STOW-RS, C-STORE) and reading them into the registry."""

    name = "ingest"
    default_auto_field = "django.db.models.BigAutoField"
