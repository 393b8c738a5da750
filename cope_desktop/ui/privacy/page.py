"""Privacy & safety: one tab per protection, each shown only to the roles it is for.

The tabs are built the first time the page is shown (start-up time, TARGETS.md P1); each
lives in its own module and reads its own data in the background.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QWidget

from cope_desktop.i18n import N_, _
from cope_desktop.paths import AppPaths
from cope_desktop.services.permissions import Permission, can
from cope_desktop.ui.pages.base import Page
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner


@dataclass(frozen=True)
class TabSpec:
    module: str
    """Module under ``cope_desktop.ui.privacy`` holding a class ``Tab``."""
    title: str
    permission: Permission


TABS = (
    TabSpec("users_tab", N_("Users"), Permission.MANAGE_USERS),
    TabSpec("audit_tab", N_("Audit trail"), Permission.READ_AUDIT_LOG),
    TabSpec("backups_tab", N_("Backups"), Permission.MANAGE_BACKUPS),
    TabSpec("retention_tab", N_("Retention"), Permission.APPLY_RETENTION),
    TabSpec("requests_tab", N_("Requests"), Permission.SUBJECT_ACCESS),
    TabSpec("processing_tab", N_("Record of processing"), Permission.READ_PROCESSING_RECORD),
)


def visible_tabs(signed_in: SignedIn) -> list[TabSpec]:
    return [spec for spec in TABS if can(signed_in.user, spec.permission)]


def page_visible(signed_in: SignedIn) -> bool:
    """Whether the signed-in user sees this page at all (a caseworker does not)."""
    return bool(visible_tabs(signed_in))


class PrivacyPage(Page):
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
        self._specs = visible_tabs(signed_in)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.body.addWidget(self.tabs, 1)
        self._built = False
        self.follow_language()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.build_tabs()

    def build_tabs(self) -> None:
        """Make every tab this user may see (once)."""
        if self._built:
            return
        self._built = True
        for spec in self._specs:
            module = importlib.import_module(f"cope_desktop.ui.privacy.{spec.module}")
            tab = module.Tab(self._signed_in, self._runner, self._paths, self.tabs)
            tab.setObjectName(spec.module)
            self.tabs.addTab(tab, _(spec.title))

    def tab(self, module: str) -> QWidget | None:
        """The tab made by ``module`` (for tests and for other windows to switch to)."""
        self.build_tabs()
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget is not None and widget.objectName() == module:
                return widget
        return None

    def retranslate(self) -> None:
        self.heading.setText(_("Privacy & safety"))
        self.intro.setText(
            _(
                "Who may use this database, what they did, the backups, how long records are "
                "kept, and the requests of the people in them."
            )
        )
        titles = {spec.module: spec.title for spec in self._specs}
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget is not None:
                self.tabs.setTabText(index, _(titles[widget.objectName()]))
