"""An import-linter contract that forbids submodules of an external package, such as `django.http`.

import-linter's own `forbidden` contract sees an external package only as a whole (`django`), yet the
statistics must use `django.db` while never touching HTTP, views, forms or templates. This contract reads the
import statements behind each source module's imports of the package and refuses the forbidden submodules.
Only direct imports are checked: an indirect path runs through a Kerma module, which its own contracts cover.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.helpers import module_expressions_to_modules

_FROM_IMPORT = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?([^)#]*)")
_IMPORT = re.compile(r"^\s*import\s+([^#]*)")


def imported_names(line: str) -> list[str]:
    """Every dotted name an import statement can bind: `from a.b import c, d` gives a.b, a.b.c, a.b.d."""
    if match := _FROM_IMPORT.match(line):
        module, names = match.groups()
        return [module] + [f"{module}.{name.split()[0]}" for name in names.split(",") if name.strip()]
    if match := _IMPORT.match(line):
        return [name.split()[0] for name in match.group(1).split(",") if name.strip()]
    return []


def _is_within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


class ExternalSubmodulesContract(Contract):
    """Source modules (and their descendants) import none of the forbidden submodules of external packages.

    Options: `source_modules` (module expressions, wildcards allowed) and `forbidden_submodules` (dotted
    names inside an external package, e.g. `django.http`; the whole package is left alone).
    """

    type_name = "external_submodules"

    source_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    forbidden_submodules = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        forbidden: list[str] = list(self.forbidden_submodules)  # type: ignore[call-overload]
        roots = {name.split(".")[0] for name in forbidden}
        sources = module_expressions_to_modules(graph, self.source_modules)  # type: ignore[arg-type]
        importers = {module.name for module in sources}
        for module in sources:
            importers |= graph.find_descendants(module.name)
        illegal: list[dict[str, Any]] = []
        for importer in sorted(importers):
            for root in sorted(roots & graph.find_modules_directly_imported_by(importer)):
                for detail in graph.get_import_details(importer=importer, imported=root):
                    names = imported_names(detail["line_contents"])
                    if any(_is_within(name, forbidden) for name in names):
                        illegal.append(dict(detail))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("These modules import forbidden submodules:", bold=False)
        output.new_line()
        for detail in check.metadata["illegal"]:
            output.print_error(
                f"- {detail['importer']} (l.{detail['line_number']}): {detail['line_contents']}", bold=False
            )
            output.new_line()
