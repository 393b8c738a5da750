"""Record of processing (GDPR Art. 30): generated from the settings and the schema.

Shown as a page the organisation can read through and save as a PDF for its data protection
authority. It is built in the background and built again when the language changes, so it
is always in the language of the screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from cope_desktop.i18n import _
from cope_desktop.paths import AppPaths
from cope_desktop.services import processing_record
from cope_desktop.services.processing_record import ProcessingRecord
from cope_desktop.ui.desktop import documents_folder
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.saving import FILE_FILTERS, Saver, ask_save_path
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, heading, muted


class Tab(QWidget):
    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._last_folder: Path | None = None
        self.record: ProcessingRecord | None = None
        self.title = heading(self)
        self.intro = muted(self)
        self.intro.setWordWrap(True)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("processingRecord")
        self.browser.setOpenLinks(False)
        self.save_button = QPushButton(self)
        self.message = InlineMessage(self)
        self.saver = Saver(self, runner, self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        self.title.hide()  # the tab already names it; the page has the heading
        layout.addWidget(self.intro)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.saver.row)
        self.save_button.clicked.connect(self.save)
        self.saver.busy.connect(lambda busy: self.save_button.setEnabled(not busy))
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        self.title.setText(_("Record of processing activities"))
        self.intro.setText(
            _(
                "What this database holds, why, for whom and how it is protected (GDPR "
                "Article 30), made from the settings and the records' structure. Save it as a "
                "PDF to give to the data protection authority; add the contact details it asks "
                "you to complete."
            )
        )
        self.save_button.setText(_("Save as PDF…"))
        self.saver.retranslate()
        self.load()

    def load(self) -> None:
        """Build the record in the background (in the current language) and show it."""
        self.save_button.setEnabled(False)
        db, user = self._signed_in.db, self._signed_in.user

        def job() -> tuple[ProcessingRecord, str]:
            with db.session() as session:
                record = processing_record.build(session, user)
            return record, processing_record.to_html(record)

        self._runner.run(job, self._show, self._failed, context=self)

    def _show(self, built: tuple[ProcessingRecord, str]) -> None:
        self.record, page = built
        position = self.browser.verticalScrollBar().value()
        self.browser.setHtml(page)
        self.browser.verticalScrollBar().setValue(position)
        self.save_button.setEnabled(True)

    def _failed(self, failure: TaskFailure) -> None:
        self.message.show_error(failure.message)

    def save(self) -> None:
        record = self.record
        if record is None:
            return
        path = ask_save_path(
            self,
            _("Save the record of processing as"),
            (self._last_folder or documents_folder()) / "record-of-processing.pdf",
            _(FILE_FILTERS["pdf"]),
            ".pdf",
        )
        if path is None:
            return
        self.write(path)

    def write(self, path: Path) -> None:
        """Write the record shown as a PDF at ``path`` in the background."""
        record = self.record
        if record is None:
            return
        self._last_folder = path.parent
        db, user = self._signed_in.db, self._signed_in.user

        def job() -> Path:
            with db.session() as session:
                return processing_record.write_pdf(session, user, path, record)

        self.saver.write(job, path)
