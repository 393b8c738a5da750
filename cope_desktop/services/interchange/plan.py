"""What an import will do: the rows to insert and update per table, and the counts per sheet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from cope_desktop.services.interchange.layout import SHEETS


@dataclass
class SheetCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportCounts:
    sheets: dict[str, SheetCounts] = field(
        default_factory=lambda: {sheet.name: SheetCounts() for sheet in SHEETS}
    )
    """Sheet name -> rows added, updated and left unchanged, in layout order."""

    @property
    def added(self) -> int:
        return sum(counts.added for counts in self.sheets.values())

    @property
    def updated(self) -> int:
        return sum(counts.updated for counts in self.sheets.values())

    @property
    def unchanged(self) -> int:
        return sum(counts.unchanged for counts in self.sheets.values())

    def detail(self) -> str:
        """One line for the audit trail: ``families=+2~1=5 …`` (added, updated, unchanged)."""
        return " ".join(
            f"{name}=+{counts.added}~{counts.updated}={counts.unchanged}"
            for name, counts in self.sheets.items()
            if counts.added or counts.updated or counts.unchanged
        )


@dataclass
class ImportPlan:
    inserts: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)
    """Model -> new rows (ids, timestamps and defaults filled in), in the order to insert."""
    updates: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)
    """Model -> ``{"id": …, changed fields…}`` of existing rows."""
    counts: ImportCounts = field(default_factory=ImportCounts)
    families: set[uuid.UUID] = field(default_factory=set)
    """Families whose records or members change (their search terms are refreshed)."""

    @property
    def changes_anything(self) -> bool:
        return any(self.inserts.values()) or any(self.updates.values())
