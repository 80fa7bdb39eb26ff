"""App configuration of the registry domain app."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The registry: dose records, reference levels, charts and exports."""

    name = "registry"
    default_auto_field = "django.db.models.BigAutoField"
