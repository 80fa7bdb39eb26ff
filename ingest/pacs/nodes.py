"""PACS nodes as actions, for a site's administrators: add or change one, try a paused one again.

Each action writes its audit row in the same transaction (registry.models.audit).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from ingest.pacs.models import INSTANCE_ATTEMPT_LIMIT, PacsNode, RetrieveMethod
from registry.models import AETitle, Role, Site, audit_record, visible_sites

# Only a site's administrators register the nodes it is pulled from (docs/access.md, docs/pacs.md).
PACS_ADMIN_ROLES = (Role.ADMINISTRATOR.value,)
SNAPSHOT_FIELDS = (
    "name",
    "ae_title",
    "host",
    "port",
    "modalities",
    "station_names",
    "include_images",
    "retrieve_method",
    "enabled",
    "lookback_days",
    "pull_from",
)


class AETitleTakenError(ValueError):
    """A C-MOVE node's AE title already names another site at the listener: its deliveries would go there."""


def pacs_admin_sites(user: Any) -> QuerySet[Site]:
    """Sites whose nodes the user manages: administrators there, and superusers everywhere."""
    return visible_sites(user, roles=PACS_ADMIN_ROLES)


def delivery_conflict(node: PacsNode) -> Site | None:
    """For a C-MOVE node, the other site its AE title already sends for, if any.

    The listener names a sender's site by its calling AE title, and a C-MOVE's deliveries call with the
    PACS's own AE title (pacs-notes, pitfall 3): one AE title can deliver for one site only.
    """
    if node.retrieve_method != RetrieveMethod.MOVE:
        return None
    mapping = AETitle.objects.select_related("site").filter(ae_title=node.ae_title).first()
    return mapping.site if mapping is not None and mapping.site_id != node.site_id else None


def _snapshot(node: PacsNode) -> dict[str, Any]:
    values = {name: getattr(node, name) for name in SNAPSHOT_FIELDS}
    values["pull_from"] = node.pull_from.isoformat() if node.pull_from else None
    return values


def _accept_deliveries(actor: Any, node: PacsNode) -> None:
    """Let the listener take the node's C-MOVE deliveries for its site (an AETitle row, audited once)."""
    mapping, created = AETitle.objects.get_or_create(ae_title=node.ae_title, defaults={"site": node.site})
    if created:
        after = {"ae_title": mapping.ae_title, "for": f"C-MOVE deliveries of PACS node {node.name}"}
        audit_record(actor=actor, action="ae_title.added", obj=mapping, site=node.site, after=after)


@transaction.atomic
def pacs_node_save(*, actor: Any, node: PacsNode) -> PacsNode:
    """Add or change a node. A change clears its backoff: the administrator may have fixed the refusal.

    Raises AETitleTakenError when a C-MOVE node's deliveries would be credited to another site.
    """
    before = _snapshot(PacsNode.objects.get(pk=node.pk)) if node.pk else None
    if (other := delivery_conflict(node)) is not None:
        raise AETitleTakenError(f"AE title {node.ae_title} already sends for site {other.code}")
    node.consecutive_failures, node.retry_after, node.last_error = 0, None, ""
    node.save()
    if node.retrieve_method == RetrieveMethod.MOVE:
        _accept_deliveries(actor, node)
    action = "pacs_node.created" if before is None else "pacs_node.changed"
    audit_record(actor=actor, action=action, obj=node, site=node.site, before=before, after=_snapshot(node))
    return node


@transaction.atomic
def pacs_node_resume(*, actor: Any, node: PacsNode) -> int:
    """Take a paused or backed-off node up again at the next scheduled run, and ask again for the instances
    it failed to deliver too often. Returns how many of those there were."""
    locked = PacsNode.objects.select_for_update().get(pk=node.pk)
    before = {"consecutive_failures": locked.consecutive_failures, "last_error": locked.last_error}
    locked.consecutive_failures, locked.retry_after, locked.last_error = 0, None, ""
    locked.save(update_fields=["consecutive_failures", "retry_after", "last_error"])
    forgotten, _ = locked.misses.filter(attempts__gte=INSTANCE_ATTEMPT_LIMIT).delete()
    audit_record(
        actor=actor,
        action="pacs_node.resumed",
        obj=locked,
        site=locked.site,
        before=before,
        detail={"given_up_instances_cleared": forgotten},
    )
    return forgotten
