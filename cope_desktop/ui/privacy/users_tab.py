"""Users: who may open this database, their roles, and lockouts (Privacy & safety tab).

A table of every user with buttons for what an administrator does to the chosen one. The
work (each password is stretched with Argon2, on purpose slow) runs on the write worker;
refusals from the service (the last administrator, your own account, a name already used)
appear under the buttons or in the dialog, in one sentence.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.db.enums import Role
from cope_desktop.i18n import _
from cope_desktop.labels import label
from cope_desktop.paths import AppPaths
from cope_desktop.services import signin_guard, users
from cope_desktop.services.accounts import check_username
from cope_desktop.services.users import UserRow
from cope_desktop.ui.flow_layout import FlowLayout
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.password_fields import PasswordFields, recovery_key_field
from cope_desktop.ui.record.combos import EnumCombo
from cope_desktop.ui.record.confirm import ask
from cope_desktop.ui.session import SignedIn
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

COLUMNS = 6
ROLES = (Role.CASEWORKER, Role.COORDINATOR, Role.ADMINISTRATOR)
DIALOG_WIDTH = 600
"""The users dialogs' narrowest width (pixels): room for two password fields and their notes."""
ROLE_DIALOG_WIDTH = 480
"""The role dialog has a single list to choose from."""


# --- dialogs ------------------------------------------------------------------------------------


class UserDialog(BusyGuard, QDialog):
    """A small form whose work runs on the write worker; emits ``worked(result)`` when it worked."""

    worked = Signal(object)

    def __init__(self, signed_in: SignedIn, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.signed_in = signed_in
        self._runner = runner
        self._busy = False
        self.title = heading(self)
        self.explanation = muted(self)
        self.form = form_layout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = InlineMessage(self)
        self.busy = BusyBar(self)
        self.buttons, self.ok_button, self.cancel_button = dialog_buttons(self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self._width = DIALOG_WIDTH

    def finish_setup(self) -> None:
        """Call at the end of the subclass constructor, once every field exists."""
        self._texts_changed()
        follow_language(self._texts_changed)

    def _texts_changed(self) -> None:
        """Texts for the language, then a width that fits its labels beside their fields.

        A fixed minimum width would stop the layout from widening the dialog, and in a long
        language (German) the fields would then be drawn over the notes beside them.
        """
        self.retranslate()
        layout = self.layout()
        needed = layout.totalMinimumSize().width() if layout is not None else 0
        self.setMinimumWidth(max(self._width, needed))

    def retranslate(self) -> None:
        self.cancel_button.setText(_("Cancel"))

    def problem(self) -> str | None:
        return None

    def job(self) -> Callable[[], object]:
        raise NotImplementedError

    def inputs(self) -> list[QWidget]:
        return []

    def submit(self) -> None:
        if self._busy:
            return
        problem = self.problem()
        if problem:
            self.message.show_error(problem)
            return
        self.message.clear_message()
        self._set_busy(True)
        self._runner.run(self.job(), self._succeeded, self._failed, context=self, writes=True)

    def _succeeded(self, result: object) -> None:
        self._set_busy(False)
        self.worked.emit(result)
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.message.show_error(failure.message)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in [*self.inputs(), self.ok_button, self.cancel_button]:
            widget.setEnabled(not busy)


class AddUserDialog(UserDialog):
    def __init__(self, signed_in: SignedIn, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(signed_in, runner, parent)
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.role: EnumCombo[Role] = EnumCombo(ROLES, None, self)
        self.role.set_value(Role.CASEWORKER)
        self.username_label, self.name_label, self.role_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        for label_widget, field in (
            (self.username_label, self.username),
            (self.name_label, self.display_name),
            (self.role_label, self.role),
        ):
            label_widget.setBuddy(field)
            self.form.addRow(label_widget, field)
        self.passwords = PasswordFields(self)
        self.passwords.add_to(self.form)
        self.finish_setup()
        self.username.setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Add a user"))
        self.title.setText(_("Add a user"))
        self.explanation.setText(
            _(
                "The new user signs in with this user name and password. Tell them the "
                "password in person, never by email or message."
            )
        )
        self.username_label.setText(_("&User name:"))
        self.name_label.setText(_("&Full name:"))
        self.role_label.setText(_("&Role:"))
        self.ok_button.setText(_("&Add the user"))

    def inputs(self) -> list[QWidget]:
        fields = [self.username, self.display_name, self.role]
        return [*fields, self.passwords.password, self.passwords.repeat]

    def problem(self) -> str | None:
        return (
            first_problem(lambda: check_username(self.username.text())) or self.passwords.problem()
        )

    def job(self) -> Callable[[], object]:
        db, actor = self.signed_in.db, self.signed_in.user
        username, name = self.username.text().strip(), self.display_name.text()
        role = self.role.value() or Role.CASEWORKER
        password = self.passwords.value()
        return lambda: users.add_user(db, actor, username, password, role, name)


class EnableDialog(UserDialog):
    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, row: UserRow, parent: QWidget
    ) -> None:
        super().__init__(signed_in, runner, parent)
        self.row = row
        self.passwords = PasswordFields(self)
        self.passwords.add_to(self.form)
        self.finish_setup()
        self.passwords.password.setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        title = _("Enable {name}").format(name=self.row.username)
        self.setWindowTitle(title)
        self.title.setText(title)
        self.explanation.setText(
            _(
                "Their old password was removed when the account was disabled. Choose a new "
                "one and tell it to them in person."
            )
        )
        self.ok_button.setText(_("&Enable the account"))

    def inputs(self) -> list[QWidget]:
        return [self.passwords.password, self.passwords.repeat]

    def problem(self) -> str | None:
        return self.passwords.problem()

    def job(self) -> Callable[[], object]:
        db, actor, user_id = self.signed_in.db, self.signed_in.user, self.row.id
        password = self.passwords.value()
        return lambda: users.enable_user(db, actor, user_id, password)


class ResetDialog(UserDialog):
    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, row: UserRow, parent: QWidget
    ) -> None:
        super().__init__(signed_in, runner, parent)
        self.row = row
        self.recovery_key = recovery_key_field(self)
        self.key_label = QLabel(self)
        self.key_label.setBuddy(self.recovery_key)
        self.form.addRow(self.key_label, self.recovery_key)
        self.passwords = PasswordFields(self)
        self.passwords.add_to(self.form)
        self.finish_setup()
        self.recovery_key.setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        title = _("New password for {name}").format(name=self.row.username)
        self.setWindowTitle(title)
        self.title.setText(title)
        self.explanation.setText(
            _(
                "Type the database's recovery key (shown once when the database was created), "
                "then the new password. Tell it to {name} in person."
            ).format(name=self.row.username)
        )
        self.key_label.setText(_("Recovery &key:"))
        self.ok_button.setText(_("&Set the new password"))

    def inputs(self) -> list[QWidget]:
        return [self.recovery_key, self.passwords.password, self.passwords.repeat]

    def problem(self) -> str | None:
        if not self.recovery_key.text().strip():
            return _("Type the recovery key.")
        return self.passwords.problem()

    def job(self) -> Callable[[], object]:
        db, actor, user_id = self.signed_in.db, self.signed_in.user, self.row.id
        key, password = self.recovery_key.text(), self.passwords.value()
        return lambda: users.reset_password(db, actor, user_id, key, password)


class RoleDialog(UserDialog):
    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, row: UserRow, parent: QWidget
    ) -> None:
        super().__init__(signed_in, runner, parent)
        self.row = row
        self.role: EnumCombo[Role] = EnumCombo(ROLES, None, self)
        self.role.set_value(row.role)
        self.role_label = QLabel(self)
        self.role_label.setBuddy(self.role)
        self.form.addRow(self.role_label, self.role)
        self._width = ROLE_DIALOG_WIDTH
        self.finish_setup()
        self.role.setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        title = _("Role of {name}").format(name=self.row.username)
        self.setWindowTitle(title)
        self.title.setText(title)
        self.explanation.setText(
            _(
                "Caseworkers keep the records and case notes. Coordinators see figures, "
                "returns and the audit trail, not case notes. Administrators do everything, "
                "and manage users. A new role applies from the next sign-in."
            )
        )
        self.role_label.setText(_("&Role:"))
        self.ok_button.setText(_("&Change the role"))

    def inputs(self) -> list[QWidget]:
        return [self.role]

    def job(self) -> Callable[[], object]:
        db, actor, user_id = self.signed_in.db, self.signed_in.user, self.row.id
        role = self.role.value() or self.row.role

        def change() -> Role:
            with db.session() as session:
                users.change_role(session, actor, user_id, role)
            return role

        return change


# --- the tab ------------------------------------------------------------------------------------


class Tab(QWidget):
    """The users of this database and what an administrator does to them."""

    loaded = Signal()
    """The table shows the users as just read."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        paths: AppPaths,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._rows: list[UserRow] = []
        self._select_after_load: uuid.UUID | None = None
        self.dialog: UserDialog | None = None
        self.question: QMessageBox | None = None
        self.explanation = muted(self)
        self.add_button = QPushButton(self)
        self.role_button = QPushButton(self)
        self.toggle_button = QPushButton(self)
        self.reset_button = QPushButton(self)
        self.clear_button = QPushButton(self)
        self.message = InlineMessage(self)
        self.busy = BusyBar(self)
        self.table = self._make_table()
        self._lay_out()
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(self.change_role)
        self.toggle_button.clicked.connect(self.disable_or_enable)
        self.reset_button.clicked.connect(self.reset_password)
        self.clear_button.clicked.connect(self.clear_lockout)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.retranslate()
        follow_language(self.retranslate)
        self.reload()

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, COLUMNS, self)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return table

    def _lay_out(self) -> None:
        buttons = FlowLayout()
        for button in (
            self.add_button,
            self.role_button,
            self.toggle_button,
            self.reset_button,
            self.clear_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.explanation)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.table, 1)

    def retranslate(self) -> None:
        self.explanation.setText(
            _(
                "Everyone who may open this database, and their role. A disabled user can no "
                "longer sign in. After five wrong passwords in a row an account is locked for "
                "a while; you can clear the lock here."
            )
        )
        self.add_button.setText(_("&Add user…"))
        self.role_button.setText(_("Change &role…"))
        self.reset_button.setText(_("Reset password with the recovery &key…"))
        self.clear_button.setText(_("Clear &lockout"))
        self.table.setHorizontalHeaderLabels(
            [
                _("User name"),
                _("Full name"),
                _("Role"),
                _("Status"),
                _("Last sign-in"),
                _("Locked until"),
            ]
        )
        self._fill()

    # --- reading ---------------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Read the users again in the background (and choose ``select`` when they arrive)."""
        current = self.selected()
        self._select_after_load = select or (current.id if current else None)
        self.busy.show()
        db, actor = self.signed_in.db, self.signed_in.user
        self._runner.run(
            lambda: users.read_users(db, actor), self._loaded, self._failed, context=self
        )

    def _loaded(self, rows: list[UserRow]) -> None:
        self.busy.hide()
        self._rows = rows
        self._fill()
        self.loaded.emit()

    def _fill(self) -> None:
        chosen = self._select_after_load
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(self._rows):
            until = row.locked_until
            texts = [
                row.username,
                row.display_name,
                label(row.role),
                self._status(row),
                i18n.format_local_datetime(row.last_login_at) if row.last_login_at else _("Never"),
                signin_guard.local_time(until) if until is not None else "",
            ]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, str(row.id))
                self.table.setItem(index, column, item)
            if row.id == chosen:
                self.table.selectRow(index)
        self.table.blockSignals(False)
        self._update_buttons()

    @staticmethod
    def _status(row: UserRow) -> str:
        if not row.is_active:
            return _("Disabled")
        return _("Locked") if row.locked_until is not None else _("Active")

    def row_of(self, username: str) -> int:
        """The table row showing ``username`` (-1 if none; for tests and keyboard users)."""
        return next((i for i, r in enumerate(self._rows) if r.username == username), -1)

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def _update_buttons(self) -> None:
        row = self.selected()
        self._select_after_load = row.id if row else None
        yourself = row is not None and row.id == self.signed_in.user.id
        active = row is not None and row.is_active
        self.toggle_button.setText(_("&Enable…") if row and not active else _("&Disable…"))
        self.role_button.setEnabled(row is not None)
        self.toggle_button.setEnabled(row is not None and not yourself)
        self.toggle_button.setToolTip(_("You cannot disable your own account.") if yourself else "")
        self.reset_button.setEnabled(active)
        self.clear_button.setEnabled(
            row is not None and (row.locked_until is not None or row.failed_logins > 0)
        )

    # --- actions ----------------------------------------------------------------------------------

    def add_user(self) -> None:
        self._open(AddUserDialog(self.signed_in, self._runner, self), self._added)

    def change_role(self) -> None:
        row = self.selected()
        if row is not None:
            dialog = RoleDialog(self.signed_in, self._runner, row, self)
            self._open(dialog, lambda role: self._role_changed(row, role))

    def disable_or_enable(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.is_active:
            dialog = EnableDialog(self.signed_in, self._runner, row, self)
            message = _("{name} can sign in again.").format(name=row.username)
            self._open(dialog, lambda _result: self._done(row.id, message))
            return
        self.question = ask(
            self,
            _("Disable a user"),
            _("Disable {name}?").format(name=row.username),
            _(
                "They will no longer be able to sign in; their password stops opening the "
                "database. Their records and the audit trail stay as they are. You can enable "
                "the account again with a new password."
            ),
            _("&Disable"),
            lambda: self._disable(row),
            destructive=True,
        )

    def reset_password(self) -> None:
        row = self.selected()
        if row is not None:
            dialog = ResetDialog(self.signed_in, self._runner, row, self)
            message = _("{name} has a new password.").format(name=row.username)
            self._open(dialog, lambda _result: self._done(row.id, message))

    def clear_lockout(self) -> None:
        row = self.selected()
        if row is None:
            return
        db, actor = self.signed_in.db, self.signed_in.user
        self._run(
            lambda: users.clear_lockout(db, actor, row.id),
            row.id,
            _("{name} can try to sign in again now.").format(name=row.username),
        )

    def _disable(self, row: UserRow) -> None:
        db, actor = self.signed_in.db, self.signed_in.user
        self._run(
            lambda: users.disable_user(db, actor, row.id),
            row.id,
            _("{name} can no longer sign in.").format(name=row.username),
        )

    def _open(self, dialog: UserDialog, on_done: Callable[[Any], None]) -> None:
        self.message.clear_message()
        dialog.worked.connect(on_done)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _added(self, user_id: uuid.UUID) -> None:
        self.reload(select=user_id)
        self.message.show_info(_("The user was added. They can sign in now."))

    def _role_changed(self, row: UserRow, role: Role) -> None:
        self._done(
            row.id,
            _("{name} is now: {role}. This applies from their next sign-in.").format(
                name=row.username, role=label(role)
            ),
        )

    def _done(self, user_id: uuid.UUID, message: str) -> None:
        self.reload(select=user_id)
        self.message.show_info(message)

    def _run(self, job: Callable[[], object], user_id: uuid.UUID, message: str) -> None:
        self.message.clear_message()
        self.busy.show()
        self._set_enabled(False)
        self._runner.run(
            job,
            lambda _result: self._ran(user_id, message),
            self._failed,
            context=self,
            writes=True,
        )

    def _ran(self, user_id: uuid.UUID, message: str) -> None:
        self._set_enabled(True)
        self.reload(select=user_id)
        self.message.show_info(message)

    def _failed(self, failure: TaskFailure) -> None:
        self.busy.hide()
        self._set_enabled(True)
        self.message.show_error(failure.message)

    def _set_enabled(self, enabled: bool) -> None:
        self.add_button.setEnabled(enabled)
        self.table.setEnabled(enabled)
        if enabled:
            self._update_buttons()
        else:
            for button in (
                self.role_button,
                self.toggle_button,
                self.reset_button,
                self.clear_button,
            ):
                button.setEnabled(False)
