"""The pages of the first-run wizard, one small class each.

Pages only collect and check what a person types; nothing is written to disk until the
wizard's Finish (``ui.wizard``). Each page can say what is wrong with its own fields
(``problem()``), so the wizard can send a person back to the right page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
        self.network_note = muted(self)
        self.network = link_button(self)
        """The secretariat's Network window, which needs no database (wired by the wizard)."""
        self.layout_.addWidget(self.label)
        self.layout_.addWidget(self.languages)
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
