"""App configuration of the ingest app."""

from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Ingest: receiving dose reports (upload, STOW-RS, C-STORE) and reading them into the registry."""

    name = "ingest"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the Celery task in every process: services enqueue it by name (registry.celery)."""
        from ingest import tasks  # noqa: F401
