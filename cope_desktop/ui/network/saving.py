"""Where the Network window saves: file dialogs, file types and the names they end with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from cope_desktop.i18n import N_, _
from cope_desktop.ui.saving import FILE_FILTERS as COMMON_FILTERS
from cope_desktop.ui.saving import ask_save_path

FORMATS = ("json", "pdf", "xlsx", "dhis2-json", "dhis2-adx")
FILE_FILTERS = {
    **COMMON_FILTERS,
    "dhis2-json": N_("DHIS2 data value set (*.json)"),
    "dhis2-adx": N_("ADX XML (*.xml)"),
}
SUFFIXES = {
    "json": ".json",
    "pdf": ".pdf",
    "xlsx": ".xlsx",
    "dhis2-json": ".dhis2.json",
    "dhis2-adx": ".adx.xml",
}
ENDINGS = {
    "json": ".json",
    "pdf": ".pdf",
    "xlsx": ".xlsx",
    "dhis2-json": ".json",
    "dhis2-adx": ".xml",
}
"""A name chosen without this ending gets the whole suffix above."""


def dhis2_format(path: Path, chosen_filter: str) -> str:
    """ADX when the name or the filter says XML, else DHIS2 JSON."""
    if path.suffix.lower() == ".xml" or (not path.suffix and "xml" in chosen_filter.lower()):
        return "dhis2-adx"
    return "dhis2-json"


def ask_merge_path(parent: QWidget, folder: Path, result: Any, fmt: str) -> Path | None:
    """Ask where to save the merged figures as ``fmt``; the suffix is added when left out."""
    from cope_desktop.network.service import default_file_name

    return ask_save_path(
        parent,
        _("Save the merged figures as"),
        folder / default_file_name(result, fmt),
        _(FILE_FILTERS[fmt]),
        SUFFIXES[fmt],
        ENDINGS[fmt],
    )


def ask_return_path(parent: QWidget, folder: Path, source: Path) -> tuple[Path, str] | None:
    """Ask where to save one return for DHIS2; the file type chosen decides JSON or ADX."""
    json_filter, adx_filter = (_(FILE_FILTERS[fmt]) for fmt in ("dhis2-json", "dhis2-adx"))
    chosen, chosen_filter = QFileDialog.getSaveFileName(
        parent,
        _("Export this return for DHIS2"),
        str(folder / f"{source.stem}.dhis2.json"),
        f"{json_filter};;{adx_filter}",
    )
    if not chosen:
        return None
    path = Path(chosen)
    fmt = dhis2_format(path, chosen_filter)
    if not path.suffix:
        path = path.with_name(path.name + SUFFIXES[fmt])
    return path, fmt
