"""What a manual query would retrieve, study by study, before anything is retrieved (reads only)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ingest.pacs.association import opened
from ingest.pacs.known import given_up_uids, known_uids
from ingest.pacs.models import PacsNode
from ingest.pacs.query import FoundInstance, FoundStudy, find_instances
from ingest.pacs.runs import peer_of, query_plan


@dataclass(frozen=True)
class PreviewStudy:
    """One study's dose objects on the PACS: how many, how many the site has, how many would come."""

    study: FoundStudy
    modalities: tuple[str, ...]
    found: int
    already_stored: int
    given_up: int

    @property
    def to_retrieve(self) -> int:
        return self.found - self.already_stored - self.given_up


@dataclass(frozen=True)
class Preview:
    studies: list[PreviewStudy]

    @property
    def found(self) -> int:
        return sum(study.found for study in self.studies)

    @property
    def already_stored(self) -> int:
        return sum(study.already_stored for study in self.studies)

    @property
    def to_retrieve(self) -> int:
        return sum(study.to_retrieve for study in self.studies)


def _by_study(instances: list[FoundInstance]) -> dict[FoundStudy, list[FoundInstance]]:
    grouped: dict[FoundStudy, list[FoundInstance]] = defaultdict(list)
    for instance in instances:
        grouped[instance.study].append(instance)
    return grouped


def pacs_preview(*, node: PacsNode, start: dt.date, end: dt.date, modalities: list[str]) -> Preview:
    """C-FIND the window on the node and compare with what the site has; nothing is retrieved or written.

    Raises PacsRefusedError or PacsQueryError with the reason, for the page to show.
    """
    with opened(peer_of(node, retrieving=False)) as assoc:
        found = find_instances(assoc, query_plan(node, start, end, modalities))
    uids = {instance.sop_instance_uid for instance in found}
    known = known_uids(site=node.site, uids=uids)
    given_up = given_up_uids(node=node, uids=uids - known)
    studies = [
        PreviewStudy(
            study=study,
            modalities=tuple(sorted({instance.modality for instance in instances})),
            found=len(instances),
            already_stored=sum(instance.sop_instance_uid in known for instance in instances),
            given_up=sum(instance.sop_instance_uid in given_up for instance in instances),
        )
        for study, instances in _by_study(found).items()
    ]
    return Preview(studies=studies)
