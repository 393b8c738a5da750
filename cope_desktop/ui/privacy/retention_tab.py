"""Retention: how long closed cases are kept, what applying the rule would do, and applying it.

The rule on screen is what Preview shows and what Apply runs; Apply is offered only after a
preview of the same rule, so nobody anonymises or erases without having seen the list.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.paths import AppPaths
from cope_desktop.services import app_settings, retention, validation
from cope_desktop.services.app_settings import PrivacySettings
from cope_desktop.services.permissions import Permission, can
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.record.confirm import ask
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, muted

DEFAULT_ANONYMISE_YEARS = 5
"""Years offered when "anonymise" is first ticked (no rule saved yet): only a suggestion."""
DEFAULT_ERASE_YEARS = 10
"""Years offered when "erase" is first ticked: only a suggestion."""


class Tab(QWidget):
    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        paths: AppPaths,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._saved: PrivacySettings | None = None
        self._previewed: PrivacySettings | None = None
        self._preview: retention.RetentionPreview | None = None
        self.intro = muted(self)
        self.rule_group = QGroupBox(self)
        self.anonymise = QCheckBox(self)
        self.anonymise_years = _years_box(self, DEFAULT_ANONYMISE_YEARS)
        self.erase = QCheckBox(self)
        self.erase_years = _years_box(self, DEFAULT_ERASE_YEARS)
        self.save_button = QPushButton(self)
        self.save_button.setAutoDefault(False)
        rule = QGridLayout(self.rule_group)
        rule.setHorizontalSpacing(12)
        rule.addWidget(self.anonymise, 0, 0)
        rule.addWidget(self.anonymise_years, 0, 1)
        rule.addWidget(self.erase, 1, 0)
        rule.addWidget(self.erase_years, 1, 1)
        rule.setColumnStretch(2, 1)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        rule.addLayout(save_row, 2, 0, 1, 3)
        self.preview_button = QPushButton(self)
        self.apply_button = QPushButton(self)
        for button in (self.preview_button, self.apply_button):
            button.setAutoDefault(False)
        self.apply_button.setEnabled(False)
        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addWidget(self.apply_button)
        actions.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cases = QTableWidget(0, 3, self)
        self.cases.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases.verticalHeader().hide()
        self.cases.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.cases.hide()
        self.message = InlineMessage(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)  # as the other tabs of the page
        layout.setSpacing(10)
        layout.addWidget(self.intro)
        layout.addWidget(self.rule_group)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.cases, 1)
        layout.addStretch(0)
        self.anonymise.toggled.connect(self._rule_edited)
        self.erase.toggled.connect(self._rule_edited)
        self.anonymise_years.valueChanged.connect(self._rule_edited)
        self.erase_years.valueChanged.connect(self._rule_edited)
        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(self.show_preview)
        self.apply_button.clicked.connect(self.ask_to_apply)
        self.save_button.setVisible(can(signed_in.user, Permission.CHANGE_SETTINGS))
        self.retranslate()
        follow_language(self.retranslate)
        self._load()

    # --- texts -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "Closed cases need not be kept with names for ever. Anonymising removes names, "
                "contact details, notes and other free text and keeps what the returns count, "
                "so past returns come out the same. Erasing removes the case completely."
            )
        )
        self.rule_group.setTitle(_("Retention rule"))
        self.anonymise.setText(_("Anonymise cases closed more than this many years ago:"))
        self.erase.setText(_("Erase cases closed more than this many years ago:"))
        self.save_button.setText(_("Save the rule"))
        self.preview_button.setText(_("Preview"))
        self.apply_button.setText(_("Apply…"))
        self.cases.setHorizontalHeaderLabels([_("What happens"), _("Case"), _("Closed on")])
        if self._preview is not None:
            self._show_preview(self._preview)

    # --- the rule ----------------------------------------------------------------------------

    def rule(self) -> PrivacySettings:
        """The settings with the rule as it is on screen."""
        base = self._saved or PrivacySettings()
        return dataclasses.replace(
            base,
            anonymise_after_years=(
                self.anonymise_years.value() if self.anonymise.isChecked() else None
            ),
            erase_after_years=self.erase_years.value() if self.erase.isChecked() else None,
        )

    def _load(self) -> None:
        db = self._signed_in.db

        def read() -> PrivacySettings:
            with db.session() as session:
                return app_settings.read_settings(session)

        self._runner.run(read, self._loaded, self._failed, context=self)

    def _loaded(self, settings: PrivacySettings) -> None:
        self._saved = settings
        for check, box, years in (
            (self.anonymise, self.anonymise_years, settings.anonymise_after_years),
            (self.erase, self.erase_years, settings.erase_after_years),
        ):
            check.blockSignals(True)
            box.blockSignals(True)
            check.setChecked(years is not None)
            if years is not None:
                box.setValue(years)
            box.setEnabled(years is not None)
            check.blockSignals(False)
            box.blockSignals(False)

    def _rule_edited(self) -> None:
        self.anonymise_years.setEnabled(self.anonymise.isChecked())
        self.erase_years.setEnabled(self.erase.isChecked())
        self.apply_button.setEnabled(False)
        self.message.clear_message()

    def save(self) -> None:
        settings = self.rule()
        try:
            settings.check()
        except UserInputError as error:
            self.message.show_error(error.message)
            return
        db, user = self._signed_in.db, self._signed_in.user

        def write() -> PrivacySettings:
            with db.session() as session:
                app_settings.save_settings(session, user, settings)
            return settings

        self.save_button.setEnabled(False)
        self._runner.run(write, self._saved_ok, self._failed, context=self, writes=True)

    def _saved_ok(self, settings: PrivacySettings) -> None:
        self._saved = settings
        self.save_button.setEnabled(True)
        self.message.show_info(_("The retention rule was saved."))

    # --- preview and apply ------------------------------------------------------------------

    def show_preview(self) -> None:
        settings = self.rule()
        try:
            settings.check()
        except UserInputError as error:
            self.message.show_error(error.message)
            return
        db, user, today = self._signed_in.db, self._signed_in.user, validation.today()

        def read() -> retention.RetentionPreview:
            with db.session() as session:
                return retention.preview(session, user, settings, today)

        self.message.clear_message()
        self.preview_button.setEnabled(False)
        self._runner.run(
            read,
            lambda found: self._previewed_ok(settings, found),
            self._failed,
            context=self,
        )

    def _previewed_ok(self, settings: PrivacySettings, found: retention.RetentionPreview) -> None:
        self.preview_button.setEnabled(True)
        self._preview = found
        self._previewed = settings if settings == self.rule() else None
        self._show_preview(found)
        self.apply_button.setEnabled(self._previewed is not None and not found.nothing_to_do)

    def _show_preview(self, found: retention.RetentionPreview) -> None:
        sentences = found.sentences()
        if found.rule_on and found.nothing_to_do:
            sentences.insert(0, _("No case is due for anonymising or erasing today."))
        self.summary.setText("\n\n".join(sentences))
        rows = [(_("Erase"), case) for case in found.to_erase] + [
            (_("Anonymise"), case) for case in found.to_anonymise
        ]
        self.cases.setRowCount(len(rows))
        for row, (what, case) in enumerate(rows):
            reference = case.reference
            if case.archived:
                reference = _("{reference} (archived)").format(reference=reference)
            for column, value in enumerate((what, reference, format_date(case.closed_on))):
                self.cases.setItem(row, column, QTableWidgetItem(value))
        self.cases.setVisible(bool(rows))

    def ask_to_apply(self) -> None:
        found, settings = self._preview, self._previewed
        if found is None or settings is None or settings != self.rule():
            self.apply_button.setEnabled(False)
            return
        parts = []
        if found.to_anonymise:
            parts.append(
                ngettext(
                    "{count} case will be anonymised.",
                    "{count} cases will be anonymised.",
                    len(found.to_anonymise),
                ).format(count=format_number(len(found.to_anonymise)))
            )
        if found.to_erase:
            parts.append(
                ngettext(
                    "{count} case will be erased completely.",
                    "{count} cases will be erased completely.",
                    len(found.to_erase),
                ).format(count=format_number(len(found.to_erase)))
            )
        ask(
            self,
            _("Apply the retention rule"),
            " ".join(parts),
            _(
                "This cannot be undone: the names, notes and other details removed cannot be "
                "brought back, except from an older backup."
            ),
            _("Apply the rule"),
            lambda: self.apply(settings),
            destructive=True,
        )

    def apply(self, settings: PrivacySettings) -> None:
        db, user, today = self._signed_in.db, self._signed_in.user, validation.today()
        self.apply_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.message.clear_message()
        self._runner.run(
            retention.apply(db, user, settings, today),
            self._applied,
            self._failed,
            on_cancel=self._apply_stopped,
            context=self,
            writes=True,
            progress_parent=self.window(),
            progress_title=_("Applying the retention rule…"),
        )

    def _applied(self, result: retention.RetentionResult) -> None:
        self.message.show_info(
            _("Done. Cases anonymised: {anonymised}. Cases erased: {erased}.").format(
                anonymised=format_number(result.anonymised),
                erased=format_number(result.erased),
            )
        )
        self._after_apply()

    def _apply_stopped(self) -> None:
        self.message.show_info(
            _("Stopped. The cases already done stay done; apply the rule again to finish.")
        )
        self._after_apply()

    def _after_apply(self) -> None:
        self.preview_button.setEnabled(True)
        self._preview = None
        self.summary.clear()
        self.cases.setRowCount(0)
        self.cases.hide()

    def _failed(self, failure: TaskFailure) -> None:
        self.preview_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.message.show_error(failure.message)


def _years_box(parent: QWidget, value: int) -> QSpinBox:
    box = QSpinBox(parent)
    low, high = app_settings.YEARS_RANGE
    box.setRange(low, high)
    box.setValue(value)
    box.setEnabled(False)
    box.setMinimumWidth(80)
    return box
