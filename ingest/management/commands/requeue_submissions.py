"""`manage.py requeue_submissions`: queue again the submissions stuck before a final state (run from cron)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.services import submissions_requeue
from registry.models import Site


class Command(BaseCommand):
    help = (
        "Queue again submissions the broker never took, and those still received, processing or failed "
        "after --older-than minutes (the beat schedule runs the same rule every minute)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = settings.KERMA_REQUEUE_AFTER_MINUTES
        parser.add_argument(
            "--older-than", type=int, default=default, metavar="MINUTES", help=f"default {default}"
        )
        parser.add_argument("--site", metavar="CODE", help="only this site's submissions")

    def handle(self, *args: Any, **options: Any) -> None:
        site = None
        if options["site"]:
            site = Site.objects.filter(code=options["site"]).first()
            if site is None:
                raise CommandError(f"unknown site code {options['site']!r}")
        count = submissions_requeue(older_than=timedelta(minutes=options["older_than"]), site=site)
        self.stdout.write(f"{count} submission(s) queued again")
