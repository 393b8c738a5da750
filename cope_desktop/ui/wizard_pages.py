"""The pages of the first-run wizard, one small class each.

Pages only collect and check what a person types; nothing is written to disk until the
wizard's Finish (``ui.wizard``). Each page can say what is wrong with its own fields
(``problem()``), so the wizard can send a person back to the right page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)

from cope_desktop import i18n
from cope_desktop.db.keys import KeyFile
from cope_desktop.i18n import _
from cope_desktop.services.accounts import check_username
from cope_desktop.services.setup import check_new_location, check_organisation_name
from cope_desktop.ui.country_combo import CountryCombo, system_country
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.password_fields import PasswordFields
from cope_desktop.ui.recovery_key import RecoveryKeyPanel
from cope_desktop.ui.widgets import (
    BusyBar,
    InlineMessage,
    first_problem,
    form_layout,
    heading,
    intro,
    link_button,
    muted,
)

FIELD_WIDTH = 320
LAPTOP_NAME_LENGTH = 60
"""The most characters a field laptop's name takes (it names the copy on every screen)."""


class _Page(QWizardPage):
    """A page with a heading, an introduction, an inline message and a ``retranslate()``."""

    def __init__(self) -> None:
        super().__init__()
        self.heading = heading(self)
        self.intro = intro(self)
        self.message = InlineMessage(self)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 4, 8, 4)
        self.layout_.setSpacing(12)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)
        self.layout_.addSpacing(8)

    def finish_layout(self) -> None:
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.message)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        raise NotImplementedError

    def set_texts(self, title: str, introduction: str) -> None:
        self.heading.setText(title)
        self.intro.setText(introduction)

    def problem(self) -> str | None:
        """Say what is wrong with this page's fields, in one sentence, or return None."""
        return None

    def show_problem(self, text: str) -> None:
        self.message.show_error(text)

    def validatePage(self) -> bool:
        problem = self.problem()
        if problem:
            self.show_problem(problem)
            return False
        self.message.clear_message()
        return True


class LanguagePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel(self)
        self.languages = QListWidget(self)
        self.languages.setMaximumWidth(FIELD_WIDTH)
        for code in i18n.available_languages():
            item = QListWidgetItem(i18n.language_name(code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.languages.addItem(item)
            if code == i18n.current_language():
                self.languages.setCurrentItem(item)
        # every language in view without scrolling: two columns, top to bottom
        self.languages.setFlow(QListView.Flow.TopToBottom)
        self.languages.setWrapping(True)
        self.languages.setResizeMode(QListView.ResizeMode.Adjust)
        self.languages.setUniformItemSizes(True)
        row_height = self.languages.fontMetrics().height() + 12  # the style sheet's padding
        self.languages.setGridSize(QSize(FIELD_WIDTH // 2 - 8, row_height))
        self.languages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = (self.languages.count() + 1) // 2
        height = (rows + 1) * row_height + 2 * self.languages.frameWidth()  # + the padding
        self.languages.setFixedHeight(height)
        self.label.setBuddy(self.languages)
        self.languages.currentItemChanged.connect(self._chosen)
        self.start_label = QLabel(self)
        self.new_database = QRadioButton(self)
        self.from_bundle = QRadioButton(self)
        """Set up a field laptop from the file prepared at the office (issue 10)."""
        self.new_database.setChecked(True)
        self.network_note = muted(self)
        self.network = link_button(self)
        """The secretariat's Network window, which needs no database (wired by the wizard)."""
        self.layout_.addWidget(self.label)
        self.layout_.addWidget(self.languages)
        self.layout_.addSpacing(4)
        self.layout_.addWidget(self.start_label)
        self.layout_.addWidget(self.new_database)
        self.layout_.addWidget(self.from_bundle)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.network_note)
        self.layout_.addWidget(self.network)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("Welcome to COPE Desktop"),
            _(
                "COPE Desktop keeps your organisation's records on this computer, encrypted. "
                "First, choose the language you want to use."
            ),
        )
        self.label.setText(_("&Language:"))
        self.start_label.setText(_("How do you want to start?"))
        self.new_database.setText(_("Create a new database for my organisation"))
        self.from_bundle.setText(_("Set up from a field-laptop bundle (prepared at the office)"))
        self.network_note.setText(
            _("At the COPE secretariat, to merge members' returns? No database is needed.")
        )
        self.network.setText(_("Merge network returns (COPE secretariat)…"))

    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            i18n.set_language(str(item.data(Qt.ItemDataRole.UserRole)))


class OrganisationPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit(self)
        self.name.setMaxLength(200)
        self.name.setMinimumWidth(FIELD_WIDTH)
        self.country = CountryCombo(self)
        self.country.setMinimumWidth(FIELD_WIDTH)
        self.country.set_code(system_country())
        self.name_label, self.country_label = QLabel(self), QLabel(self)
        self.name_label.setBuddy(self.name)
        self.country_label.setBuddy(self.country)
        form = form_layout()
        form.addRow(self.name_label, self.name)
        form.addRow(self.country_label, self.country)
        self.layout_.addLayout(form)
        self.name.textChanged.connect(self.completeChanged)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("Your organisation"),
            _("The name and country of the organisation that keeps these records."),
        )
        self.name_label.setText(_("Organisation &name:"))
        self.country_label.setText(_("&Country:"))

    def isComplete(self) -> bool:
        return bool(self.name.text().strip())

    def problem(self) -> str | None:
        if self.country.code() is None:
            return first_problem(lambda: check_organisation_name(self.name.text())) or _(
                "Choose the country from the list."
            )
        return first_problem(lambda: check_organisation_name(self.name.text()))


class AdministratorPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.username = QLineEdit("admin", self)
        self.display_name = QLineEdit(self)
        for field in (self.username, self.display_name):
            field.setMinimumWidth(240)
            field.setMaximumWidth(FIELD_WIDTH)
        self.username_label, self.display_label = QLabel(self), QLabel(self)
        self.username_label.setBuddy(self.username)
        self.display_label.setBuddy(self.display_name)
        self.passwords = PasswordFields(self)
        form = form_layout()
        form.addRow(self.username_label, self.username)
        form.addRow(self.display_label, self.display_name)
        self.passwords.add_to(form)
        self.layout_.addLayout(form)
        self.username.textChanged.connect(self.completeChanged)
        self.passwords.changed.connect(self.completeChanged)
        self.passwords.changed.connect(self.message.clear_message)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("The first administrator"),
            _("This person manages users, backups and settings. More users can be added later."),
        )
        self.username_label.setText(_("&User name:"))
        self.display_label.setText(_("&Full name:"))
        self.display_name.setPlaceholderText(_("Optional"))

    def isComplete(self) -> bool:
        return bool(
            self.username.text().strip()
            and self.passwords.password.text()
            and self.passwords.repeat.text()
        )

    def problem(self) -> str | None:
        return first_problem(lambda: check_username(self.username.text())) or (
            self.passwords.problem()
        )


def free_database_path(default: Path) -> Path:
    """``default``, or the first ``name-2.db``, ``name-3.db``… that is not taken yet."""
    candidate, number = default, 2
    while candidate.exists() or KeyFile.path_for(candidate).exists():
        candidate = default.with_name(f"{default.stem}-{number}{default.suffix}")
        number += 1
    return candidate


class LocationPage(_Page):
    def __init__(self, default_path: Path) -> None:
        super().__init__()
        self.path = QLineEdit(str(free_database_path(default_path)), self)
        self.path.setMinimumWidth(420)
        self.browse = QPushButton(self)
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._browse)
        self.path_label = QLabel(self)
        self.path_label.setBuddy(self.path)
        self.note = muted(self)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.layout_.addWidget(self.path_label)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.note)
        self.path.textChanged.connect(self.completeChanged)
        self.path.textChanged.connect(self.message.clear_message)
        self.path.textChanged.connect(self._update_note)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("Where to keep the database"),
            _(
                "The records are kept in one encrypted file on this computer. "
                "Nothing is written until you finish this wizard."
            ),
        )
        self.path_label.setText(_("&Database file:"))
        self.browse.setText(_("&Browse…"))
        self._update_note()

    def _update_note(self) -> None:
        name = self.chosen_path().name if self.path.text().strip() else "…"
        self.note.setText(
            _(
                "A key file named {name} is kept next to it. Both files are needed to open the "
                "database."
            ).format(name=f"{name}.keys")
        )

    def chosen_path(self) -> Path:
        return Path(self.path.text().strip()).expanduser().absolute()

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def problem(self) -> str | None:
        if not self.path.text().strip():
            return _("Choose where to keep the database.")
        return first_problem(lambda: check_new_location(self.chosen_path()))

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("Where to keep the database"),
            str(self.chosen_path()),
            _("COPE Desktop databases (*.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".db")
        self.path.setText(str(path))
        problem = self.problem()
        if problem:
            self.show_problem(problem)


class RecoveryKeyPage(_Page):
    def __init__(self, recovery_key: str, details: Callable[[], tuple[str, Path]]) -> None:
        super().__init__()
        self.panel = RecoveryKeyPanel(recovery_key, details, self)
        self.stored = QCheckBox(self)
        self.stored.setObjectName("confirmation")
        self.busy = BusyBar(self)
        self.working = muted(self)
        self.working.hide()
        self._busy = False
        self.stored.toggled.connect(self.completeChanged)
        self.layout_.addWidget(self.panel)
        self.layout_.addSpacing(6)
        self.layout_.addWidget(self.stored)
        self.layout_.addWidget(self.working)
        self.layout_.addWidget(self.busy)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("Your recovery key"),
            _(
                "If every password is forgotten, this key is the only way back into the records. "
                "It is shown only this once."
            ),
        )
        self.stored.setText(_("I have stored the recovery key in a safe place"))
        self.working.setText(_("Creating the encrypted database…"))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        self.working.setVisible(busy)
        self.stored.setEnabled(not busy)
        self.panel.setEnabled(not busy)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.stored.isChecked() and not self._busy


# --- a field laptop set up from a full bundle (issue 10) -----------------------------------


class BundleFilePage(_Page):
    """The file prepared with "Prepare a field laptop"; its header is read when Next is chosen.

    Reading the header checks the whole file (a checksum over the entire record), so the
    wizard reads it in the background (``on_next``) and moves on by itself once it is read.
    """

    def __init__(self) -> None:
        super().__init__()
        self.path = QLineEdit(self)
        self.path.setMinimumWidth(420)
        self.browse = QPushButton(self)
        self.browse.setAutoDefault(False)
        self.path_label = QLabel(self)
        self.path_label.setBuddy(self.path)
        self.details = muted(self)
        self.details.hide()
        self.busy = BusyBar(self)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.layout_.addWidget(self.path_label)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.details)
        self.layout_.addWidget(self.busy)
        self.header: Any = None
        self.on_next: Callable[[], bool] = lambda: True
        """Set by the wizard: reads the header in the background and says whether to move on."""
        self.browse.clicked.connect(self._browse)
        self.path.textChanged.connect(self.completeChanged)
        self.path.textChanged.connect(self.message.clear_message)
        self.path.textChanged.connect(self._forget)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("The file from the office"),
            _(
                "At the office, an administrator chose “Prepare a field laptop” and wrote a "
                "file to a USB stick or a shared folder. Choose that file."
            ),
        )
        self.path_label.setText(_("&File:"))
        self.browse.setText(_("&Browse…"))
        if self.header is not None:
            self._show_details()

    def chosen_path(self) -> Path:
        return Path(self.path.text().strip()).expanduser().absolute()

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def problem(self) -> str | None:
        path = self.chosen_path()
        if not path.is_file():
            return _("The file {name} cannot be found.").format(name=path.name)
        return None

    def validatePage(self) -> bool:
        if not super().validatePage():
            return False
        return self.header is not None or self.on_next()

    def take_header(self, header: Any) -> str | None:
        """The header read in the background: what is wrong with it, or None (it is kept)."""
        if header.kind != "full":
            return _(
                "This file holds only changes. To set up a laptop, choose the file made with "
                "“Prepare a field laptop”."
            )
        self.header = header
        self._show_details()
        return None

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.path.setEnabled(not busy)
        self.browse.setEnabled(not busy)

    def _show_details(self) -> None:
        from cope_desktop.sync.apply import device_label

        header = self.header
        self.details.setText(
            _("{organisation}: the whole record, prepared on {copy} on {time}.").format(
                organisation=header.organisation_name,
                copy=device_label(header.device_name),
                time=i18n.format_local_datetime(header.created_at),
            )
        )
        self.details.show()

    def _forget(self) -> None:
        self.header = None
        self.details.hide()

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("The file from the office"),
            str(self.chosen_path().parent) if self.path.text().strip() else "",
            _("Field-laptop bundles (*.copesync)"),
        )
        if chosen:
            self.path.setText(chosen)


class LaptopPage(_Page):
    """The laptop's name and the person's usual sign-in; Finish makes the copy."""

    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit(self)
        self.name.setMaxLength(LAPTOP_NAME_LENGTH)
        self.username = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for field in (self.name, self.username, self.password):
            field.setMinimumWidth(240)
            field.setMaximumWidth(FIELD_WIDTH)
        self.name_label, self.username_label, self.password_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        self.name_label.setBuddy(self.name)
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        form = form_layout()
        form.addRow(self.name_label, self.name)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        self.layout_.addLayout(form)
        self.busy = BusyBar(self)
        self.working = muted(self)
        self.working.hide()
        self._busy = False
        self.layout_.addWidget(self.working)
        self.layout_.addWidget(self.busy)
        for field in (self.name, self.username, self.password):
            field.textChanged.connect(self.completeChanged)
            field.textChanged.connect(self.message.clear_message)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("This laptop"),
            _(
                "Give the laptop a name the office will recognise, then sign in with your usual "
                "user name and password: they are the same as at the office."
            ),
        )
        self.name_label.setText(_("&Name of this laptop:"))
        self.name.setPlaceholderText(_("For example: Laptop Anna"))
        self.username_label.setText(_("&User name:"))
        self.password_label.setText(_("&Password:"))
        self.working.setText(_("Setting up the laptop from the file…"))

    def isComplete(self) -> bool:
        return bool(
            self.name.text().strip()
            and self.username.text().strip()
            and self.password.text()
            and not self._busy
        )

    def problem(self) -> str | None:
        if not self.name.text().strip():
            return _("Give this laptop a name.")
        return None

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        self.working.setVisible(busy)
        for field in (self.name, self.username, self.password):
            field.setEnabled(not busy)
        self.completeChanged.emit()
