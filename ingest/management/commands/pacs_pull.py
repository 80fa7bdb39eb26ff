"""`manage.py pacs_pull [--site CODE] [--node NAME] [--since DATE [--until DATE]] [--modality M] [--preview]`:
pull dose objects from the registered PACS nodes now, with a progress bar (docs/pacs.md)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils import timezone
from tqdm import tqdm

from ingest.pacs.association import PacsQueryError, PacsRefusedError
from ingest.pacs.models import PacsNode, PacsRun, RunState, Trigger
from ingest.pacs.preview import pacs_preview
from ingest.pacs.runs import pacs_run_execute, pacs_run_queue, scheduled_window

FAILED_STATES = (RunState.FAILED, RunState.REFUSED)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a YYYY-MM-DD date: {text!r}") from error


class Command(BaseCommand):
    help = (
        "Query the enabled PACS nodes (or those named) and retrieve the dose objects their sites do not have "
        "yet. Without --since, each node's scheduled window; paused and backed-off nodes are tried too. "
        "Exit 1 when a node refused or a run failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="only this site's nodes")
        parser.add_argument("--node", help="only the node of this name (even if disabled)")
        parser.add_argument(
            "--since", type=_date, help="first study date (YYYY-MM-DD) instead of the schedule's"
        )
        parser.add_argument("--until", type=_date, help="last study date (default: today)")
        parser.add_argument("--modality", help="search studies of this modality instead of the node's list")
        parser.add_argument("--preview", action="store_true", help="only say what would be retrieved")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["until"] and not options["since"]:
            raise CommandError("--until needs --since")
        nodes = list(self._nodes(options))
        if not nodes:
            raise CommandError("no PACS node matches (register one on the PACS page or in the admin)")
        failed = [node for node in nodes if not self._one(node, options)]
        if failed:
            raise CommandError(f"{len(failed)} of {len(nodes)} node(s) refused or failed")

    def _nodes(self, options: dict[str, Any]) -> QuerySet[PacsNode]:
        nodes = PacsNode.objects.select_related("site")
        if options["site"]:
            nodes = nodes.filter(site__code=options["site"])
        return nodes.filter(name=options["node"]) if options["node"] else nodes.filter(enabled=True)

    def _window(self, node: PacsNode, options: dict[str, Any]) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        if options["since"] is None:
            return scheduled_window(node, today)
        return options["since"], options["until"] or today

    def _one(self, node: PacsNode, options: dict[str, Any]) -> bool:
        """Pull (or preview) one node and print what happened; False if it refused or failed."""
        start, end = self._window(node, options)
        modalities = [options["modality"].upper()] if options["modality"] else list(node.modalities)
        label = f"{node.site.code} {node.name} ({node.ae_title}@{node.host}:{node.port}), {start} to {end}"
        if options["preview"]:
            return self._preview(node, label, start, end, modalities)
        if (active := node.runs.active().first()) is not None:
            self.stdout.write(f"{label}: run {active.pk} is under way already; skipped.")
            return True
        run = pacs_run_queue(
            node=node,
            start=start,
            end=end,
            trigger=Trigger.COMMAND,
            modalities=modalities,
            follows_schedule=options["since"] is None,
            send=False,
        )
        run = self._execute(run)
        self.stdout.write(f"{label}: {self._summary(run)}")
        return run.state not in FAILED_STATES

    def _execute(self, run: PacsRun) -> PacsRun:
        # disable=None: no bar when stderr is not a terminal (CI logs, cron mail).
        out = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=0, unit="object", file=out, disable=None) as bar:

            def advance(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            return pacs_run_execute(run_id=run.pk, progress=advance)

    @staticmethod
    def _summary(run: PacsRun) -> str:
        counts = (
            f"found {run.found}, already stored {run.already_stored}, retrieved {run.retrieved}, "
            f"failed {run.failed}, given up {run.skipped}"
        )
        error = f"; {run.error}" if run.error else ""
        return f"{run.get_state_display()}: {counts}{error}"

    def _preview(
        self, node: PacsNode, label: str, start: dt.date, end: dt.date, modalities: list[str]
    ) -> bool:
        try:
            preview = pacs_preview(node=node, start=start, end=end, modalities=modalities)
        except (PacsRefusedError, PacsQueryError) as error:
            self.stdout.write(f"{label}: {error}")
            return False
        self.stdout.write(
            f"{label}: {len(preview.studies)} studies, {preview.found} dose objects, "
            f"{preview.already_stored} already stored, {preview.to_retrieve} to retrieve"
        )
        return True
