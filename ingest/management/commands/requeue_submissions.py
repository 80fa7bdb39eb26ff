"""`manage.py requeue_submissions`: queue again the submissions stuck before a final state (run from cron)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.services import submissions_requeue
from registry.models import Site


class Command(BaseCommand):
    help = "Queue again submissions still received, processing or failed after --older-than minutes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, default=15, metavar="MINUTES", help="default 15")
        parser.add_argument("--site", metavar="CODE", help="only this site's submissions")

    def handle(self, *args: Any, **options: Any) -> None:
        site = None
        if options["site"]:
            site = Site.objects.filter(code=options["site"]).first()
            if site is None:
                raise CommandError(f"unknown site code {options['site']!r}")
        count = submissions_requeue(older_than=timedelta(minutes=options["older_than"]), site=site)
        self.stdout.write(f"{count} submission(s) queued again")
