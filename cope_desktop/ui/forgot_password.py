"""A forgotten password: prove the recovery key, choose a new password (TARGETS.md R4)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import _
from cope_desktop.services.accounts import check_username, set_password
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.password_fields import PasswordFields, recovery_key_field
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import (
    BusyBar,
    BusyGuard,
    InlineMessage,
    dialog_buttons,
    first_problem,
    form_layout,
    heading,
    muted,
)


class ForgotPasswordDialog(BusyGuard, QDialog):
    """Emits ``password_changed(username)`` after the new password is in place."""

    password_changed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db_path: Path,
        backup_dir: Path,
        username: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db_path = db_path
        self._backup_dir = backup_dir
        self._busy = False
        self.title = heading(self)
        self.explanation = muted(self)
        self.username = QLineEdit(username, self)
        self.recovery_key = recovery_key_field(self)
        self.username_label, self.key_label = QLabel(self), QLabel(self)
        self.username_label.setBuddy(self.username)
        self.key_label.setBuddy(self.recovery_key)
        self.passwords = PasswordFields(self)
        self.message = InlineMessage(self)
        self.busy = BusyBar(self)
        self.buttons, self.ok_button, self.cancel_button = dialog_buttons(self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.setMinimumWidth(640)
        self.retranslate()
        follow_language(self.retranslate)
        (self.recovery_key if username else self.username).setFocus()

    def _lay_out(self) -> None:
        form = form_layout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.username_label, self.username)
        form.addRow(self.key_label, self.recovery_key)
        self.passwords.add_to(form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Forgotten password"))
        self.title.setText(_("Set a new password"))
        self.explanation.setText(
            _(
                "Type the recovery key that was shown once when the database was created (it was "
                "meant to be printed or saved somewhere safe), then choose a new password."
            )
        )
        self.username_label.setText(_("&User name:"))
        self.key_label.setText(_("Recovery &key:"))
        self.ok_button.setText(_("&Set the new password"))
        self.cancel_button.setText(_("Cancel"))

    def problem(self) -> str | None:
        problem = first_problem(lambda: check_username(self.username.text()))
        if problem is None and not self.recovery_key.text().strip():
            problem = _("Type the recovery key.")
        return problem or self.passwords.problem()

    def submit(self) -> None:
        if self._busy:
            return
        problem = self.problem()
        if problem:
            self.message.show_error(problem)
            return
        self.message.clear_message()
        self._set_busy(True)
        username = self.username.text().strip()
        key, password = self.recovery_key.text(), self.passwords.value()
        path, backup_dir = self._db_path, self._backup_dir
        self._runner.run(
            lambda: set_password(path, username, password, backup_dir, recovery_key=key),
            lambda _result: self._done(username),
            self._failed,
            context=self,
            writes=True,
        )

    def _done(self, username: str) -> None:
        self._set_busy(False)
        QMessageBox.information(
            self,
            _("Password changed"),
            _("The new password for {name} is in place. Sign in with it now.").format(
                name=username
            ),
        )
        self.password_changed.emit(username)
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.message.show_error(failure.message)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in (
            self.username,
            self.recovery_key,
            self.passwords.password,
            self.passwords.repeat,
            self.ok_button,
            self.cancel_button,
        ):
            widget.setEnabled(not busy)
