"""App configuration of the registry domain app."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The registry: dose records, reference levels, charts and exports."""

    name = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """SQLite has no percentile_cont: add ours to every connection so statistics run on both backends."""
        from django.db.backends.signals import connection_created

        from registry.statistics.aggregates import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="registry.percentile_cont")
        from registry.signals import connect_login_audit

        connect_login_audit()  # sign-ins and failed sign-ins in the audit trail
        from registry.access.membership_audit import connect_membership_audit

        connect_membership_audit()  # roles and account privileges, changed anywhere (the admin included)
        from registry import tasks  # noqa: F401  (registered in every process: enqueued by name)
