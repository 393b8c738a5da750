"""File > Export all records…: every record in the interchange workbook, in the background."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from cope_desktop.i18n import _, format_number
from cope_desktop.services import validation
from cope_desktop.ui.desktop import documents_folder
from cope_desktop.ui.saving import ask_save_path
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner


def export_all_records(parent: QWidget, signed_in: SignedIn, runner: TaskRunner) -> None:
    """Ask where to save, then write the workbook off the GUI thread with progress."""
    from cope_desktop.services.interchange.export import ExportSummary, export_records

    name = f"cope-records-{validation.today().isoformat()}.xlsx"
    path = ask_save_path(
        parent,
        _("Export every record"),
        documents_folder() / name,
        _("Excel workbook (*.xlsx)"),
        ".xlsx",
    )
    if path is None:
        return

    def done(summary: ExportSummary) -> None:
        QMessageBox.information(
            parent,
            _("Export every record"),
            _(
                "{rows} records were written to {path}. The file is not encrypted: keep it "
                "as safe as the database, and delete it when it is no longer needed."
            ).format(rows=format_number(sum(summary.rows.values())), path=summary.path),
        )

    def failed(failure: TaskFailure) -> None:
        QMessageBox.warning(parent, _("Export every record"), failure.message)

    runner.run(
        export_records(signed_in.db, signed_in.user, path),
        done,
        failed,
        context=parent,
        progress_parent=parent,
        progress_title=_("Exporting every record…"),
    )


__all__ = ["export_all_records"]
