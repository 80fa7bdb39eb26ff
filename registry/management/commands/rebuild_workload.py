"""`manage.py rebuild_workload`: count the studies per site, month and exam again (statistics.workload)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.statistics.workload import workload_drift, workload_recount


class Command(BaseCommand):
    help = (
        "Recount the workload table from the studies. Storing, re-mapping and admin deletions keep it "
        "current; run it after loading studies by other means (a restore, bulk SQL). --check only "
        "reports where the table and the studies disagree, and fails if they do."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="report drift and exit 1 if any; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            drift = workload_drift()
            for (site_id, month, modalities, exam_key), (table, counted) in sorted(drift.items()):
                where = f"site {site_id} {month:%Y-%m} {modalities} exam {exam_key}"
                self.stdout.write(f"{where}: table {table}, studies {counted}")
            if drift:
                raise CommandError(f"{len(drift)} workload counts differ from the studies")
            self.stdout.write("workload counts equal the studies")
            return
        self.stdout.write(f"{workload_recount()} workload counts written")
