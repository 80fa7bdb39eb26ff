"""The audit trail in words: an action's name as a person says it, and an event's detail as one line.

Audit rows keep machine codes (`mapping_rule.updated`) and JSON (detail, before, after) so they can be
queried; people read the log page and its CSV, which both come through here, so the page and the file
say the same thing.
"""

from __future__ import annotations

from typing import Any

from registry.models import AuditEvent

ACTION_LABELS = {
    "auth.login": "Signed in",
    "auth.login_failed": "Sign-in failed",
    "export.csv": "Exported CSV",
    "export.xlsx": "Exported XLSX",
    "export.pdf": "Exported the PDF audit report",
    "export.completed": "Export file ready",
    "export.failed": "Export failed",
    "export.audit_log": "Exported the audit log",
    "mapping_rule.created": "Mapping rule added",
    "mapping_rule.updated": "Mapping rule changed",
    "mapping_rule.deleted": "Mapping rule deleted",
    "reference_level.created": "Reference level added",
    "reference_level.revised": "Reference level revised",
    "token.issued": "Upload token issued",
    "token.rotated": "Upload token rotated",
    "token.revoked": "Upload token revoked",
    "study.qa_flagged": "Study flagged as a QA scan",
    "study.qa_unflagged": "Study no longer a QA scan",
    "device.qa_marked": "Device marked QA-only",
    "device.qa_unmarked": "Device no longer QA-only",
    "qa_patient.added": "QA patient ID added",
    "qa_patient.removed": "QA patient ID removed",
    "membership.granted": "Role given",
    "membership.changed": "Role changed",
    "membership.revoked": "Role taken away",
    "user.privileges_changed": "Account privileges changed",
    "user.created_privileged": "Account created with admin rights",
}
# The filter of the log page: a prefix of the codes, and what it covers.
ACTION_TYPES = {
    "auth.": "Sign-ins",
    "export.": "Exports",
    "mapping_rule.": "Mapping rules",
    "reference_level.": "Reference levels",
    "token.": "Upload tokens",
    "membership.": "Roles",
    "user.": "Accounts",
    "study.": "QA scans",
    "device.": "QA devices",
    "qa_patient.": "QA patient IDs",
}


def action_label(code: str) -> str:
    """The action in words; a code without words yet is shown readably rather than hidden."""
    return ACTION_LABELS.get(code, code.replace("_", " ").replace(".", ": ").capitalize())


def _words(key: str) -> str:
    return key.replace("_", " ")


def _value(value: Any) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value) or "none"
    if isinstance(value, dict):
        shown = [key for key in sorted(value) if value[key] not in (None, "")]
        return ", ".join(f"{_words(key)} {_value(value[key])}" for key in shown)
    return str(value)


def detail_text(event: AuditEvent) -> str:
    """One line: the event's detail ("filters: modality CT, site A"), then what changed ("role: auditor →
    physicist"); a new or deleted object lists its values. Keys in alphabetical order: PostgreSQL's jsonb
    keeps no order of its own, and the line must read the same on every database."""
    detail = event.detail or {}
    parts = [f"{_words(key)}: {_value(detail[key])}" for key in sorted(detail)]
    before, after = event.before or {}, event.after or {}
    if before and after:
        changed = [key for key in sorted(after) if before.get(key) != after.get(key)]
        parts += [f"{_words(key)}: {_value(before.get(key))} → {_value(after[key])}" for key in changed]
    elif after or before:
        values = after or before
        parts += [f"{_words(key)}: {_value(values[key])}" for key in sorted(values) if key not in detail]
    return "; ".join(parts)
