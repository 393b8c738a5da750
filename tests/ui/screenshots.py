"""Grab every screen to PNG, to look at what people see (not a test; screenshots/ is ignored).

    QT_QPA_PLATFORM=offscreen python tests/ui/screenshots.py [--stretch | --lang fr] [--out DIR]

``--stretch`` uses a pseudo-language whose texts are 40% longer, to find cut-off labels.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sample_data import add_sample_records
from ui_support import PASSWORD, Stretched

from cope_desktop import i18n
from cope_desktop.paths import resolve_paths
from cope_desktop.services.setup import NewDatabase, create_database
from cope_desktop.settings import Settings
from cope_desktop.ui.about import AboutDialog
from cope_desktop.ui.activity.quick_attendance import quick_attendance_windows
from cope_desktop.ui.app import make_application
from cope_desktop.ui.forgot_password import ForgotPasswordDialog
from cope_desktop.ui.login import LoginDialog
from cope_desktop.ui.main_window import (
    ACTIVITIES,
    FAMILIES,
    NAV_TITLES,
    PRIVACY,
    REPORTS,
    MainWindow,
)
from cope_desktop.ui.pages.activities import ActivitiesPage
from cope_desktop.ui.record.family_window import family_windows
from cope_desktop.ui.record.new_family import NewFamilyDialog
from cope_desktop.ui.session import open_signed_in
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.wizard import SetupWizard

SIZES = {"1366x768": QSize(1366, 768), "1024x640": QSize(1024, 640)}


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, out: Path, name: str) -> None:
    settle()
    widget.grab().save(str(out / f"{name}.png"))
    print("wrote", out / f"{name}.png", widget.size().toTuple())


def record_screens(window: MainWindow, out: Path, suffix: str) -> None:
    """The first family's window, each of its tabs, and the new-family form."""
    window.show_page(FAMILIES)
    settle(1.0)
    families = window.families_page
    family_id = families.model.family_id(0)
    if family_id is not None:
        window.open_family(family_id)
        settle(1.5)
        for record in family_windows():
            record.resize(SIZES["1366x768"])
            for tab in range(record.tabs.count()):
                record.tabs.setCurrentIndex(tab)
                save(record, out, f"family-{tab + 1}{suffix}")
            record.close()
    dialog = NewFamilyDialog(window._signed_in, window._runner, window)
    dialog.show()
    save(dialog, out, f"new-family{suffix}")
    dialog.reject()


def activity_screens(window: MainWindow, out: Path, suffix: str) -> None:
    """The calendar, the first activity's editor, its quick attendance and the campaign."""
    window.show_page(ACTIVITIES)
    settle(1.0)
    page = window.pages.widget(ACTIVITIES)
    assert isinstance(page, ActivitiesPage)
    page.show_view(1)
    settle(1.0)
    save(window, out, f"activities-calendar{suffix}")
    page.show_view(0)
    settle(0.5)
    page.table.selectRow(0)
    row = page.selected_row()
    if row is not None:
        page.open_activity(row.id)
        settle(1.5)
        for editor in window.findChildren(QDialog):
            if editor.isVisible():
                save(editor, out, f"activity-editor{suffix}")
                editor.reject()
        page.quick_attendance()
        settle(1.5)
        for quick in quick_attendance_windows():
            quick.showNormal()
            quick.resize(SIZES["1366x768"])
            save(quick, out, f"quick-attendance{suffix}")
            quick.close()
    page.show_campaign()
    settle(1.5)
    for dialog in window.findChildren(QDialog):
        if dialog.isVisible():
            save(dialog, out, f"campaign{suffix}")
            dialog.reject()


def wait_for(done: Callable[[], bool], seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


IMPORT_SIZES = {"": None, "-960x600": QSize(960, 600)}
"""The import wizard as it opens, and on a small screen."""


def import_screens(window: MainWindow, out: Path, suffix: str) -> None:
    """Each step of File > Import records…, with an export of the database and a spoilt copy."""
    from openpyxl import load_workbook

    from cope_desktop.progress import run_to_end
    from cope_desktop.services.interchange.export import export_records
    from cope_desktop.ui.import_wizard import ImportWizard

    signed_in, runner = window._signed_in, window._runner
    folder = Path(tempfile.mkdtemp(prefix="cope-import-"))
    good, spoilt = folder / "records.xlsx", folder / "records-to-fix.xlsx"
    run_to_end(export_records(signed_in.db, signed_in.user, good))
    workbook = load_workbook(good)
    children = workbook["children"]
    for cell in children[1]:
        if cell.value == "birth_date":
            cell.value = "Date of birth"
        if cell.value == "support_start":
            children.cell(row=3, column=cell.column, value="31/31/2019")
    workbook.save(spoilt)
    for size_name, size in IMPORT_SIZES.items():
        for path, kind in ((good, ""), (spoilt, "-problems")):
            wizard = ImportWizard(signed_in, runner, Settings(), None, window)
            if size is not None:
                wizard.resize(size)
            wizard.show()
            name = f"import-{{page}}{kind}{size_name}{suffix}"
            if not kind:
                save(wizard, out, name.format(page="1-empty"))
            wizard.choose_page.read_columns(path)
            wait_for(wizard.choose_page.isComplete)
            save(wizard, out, name.format(page="1"))
            wizard.next()
            if kind:
                save(wizard, out, name.format(page="2"))
                wizard.next()
            wait_for(lambda w=wizard: w.check_page.result is not None and not w.busy)
            save(wizard, out, name.format(page="3"))
            if not kind:
                wizard.next()
                wait_for(lambda w=wizard: w.import_page.done)
                save(wizard, out, name.format(page="4"))
            wizard.close()


def report_screens(window: MainWindow, out: Path, suffix: str, year: int) -> None:
    """The Reports page with a network return and an internal report prepared, at both sizes."""
    page = window.reports_page
    for size_name, size in SIZES.items():
        window.resize(size)
        window.show_page(REPORTS)
        for internal in (False, True):
            kind = "internal" if internal else "return"
            page.choose(internal=internal, year=year)
            page.prepare()
            wait_for(lambda: page.prepared is not None)
            save(window, out, f"report-{kind}-{size_name}{suffix}")
            bar = page.preview_area.verticalScrollBar()
            bar.setValue(bar.maximum() // 3)
            save(window, out, f"report-{kind}-tables-{size_name}{suffix}")
    page.choose(internal=False)
    window.resize(SIZES["1366x768"])


def network_screens(runner: TaskRunner, out: Path, suffix: str) -> None:
    """The secretariat's Network window: empty, then 12 members' returns merged, by scope."""
    import json

    from cope_desktop.network.sample_returns import write_sample_returns
    from cope_desktop.ui.network.window import NetworkWindow

    folder = Path(tempfile.mkdtemp(prefix="cope-network-"))
    written = write_sample_returns(folder, 12, (2024, 2025))
    tampered = json.loads(written[1].read_text(encoding="utf-8"))
    tampered["tables"]["families"]["totals"]["all"]["value"] += 1
    (folder / "changed-return.json").write_text(json.dumps(tampered), encoding="utf-8")
    window = NetworkWindow(runner)
    window.show()
    for size_name, size in SIZES.items():
        window.resize(size)
        window.clear()
        save(window, out, f"network-empty-{size_name}{suffix}")
        window.add_paths([folder])
        wait_for(lambda: not window.busy)
        save(window, out, f"network-{size_name}{suffix}")
        window.figures.choose_scope("FR")
        bar = window.figures.area.verticalScrollBar()
        bar.setValue(bar.maximum() // 3)
        save(window, out, f"network-country-{size_name}{suffix}")
    window.close()


def privacy_screens(window: MainWindow, out: Path, suffix: str) -> None:
    """Each tab of Privacy & safety at both sizes, then the lock screen."""
    page = window.privacy_page
    window.show_page(PRIVACY)
    page.build_tabs()
    for size_name, size in SIZES.items():
        window.resize(size)
        for index in range(page.tabs.count()):
            page.tabs.setCurrentIndex(index)
            settle(1.0)
            save(window, out, f"privacy-{page.tabs.widget(index).objectName()}-{size_name}{suffix}")
    window.resize(SIZES["1024x640"])
    lock = getattr(window, "idle_lock", None)
    if lock is not None:
        lock.lock_now()
        save(window, out, f"locked-1024x640{suffix}")
        lock._unlocked()  # the screenshot needs no password check
    window.resize(SIZES["1366x768"])


def last_year() -> int:
    """The last whole year, for a database of one's own (demo data reaches today)."""
    return time.localtime().tm_year - 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stretch", action="store_true")
    parser.add_argument("--db", type=Path, help="an existing database (password from --password)")
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--lang", default="en", help="a language with a catalog, e.g. fr")
    default_out = Path(__file__).resolve().parents[2] / "screenshots"
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-stretched" if args.stretch else ("" if args.lang == "en" else f"-{args.lang}")
    home = Path(tempfile.mkdtemp(prefix="cope-shots-"))
    os.environ["COPE_HOME"] = str(home)
    paths = resolve_paths().ensure()
    app = make_application()
    if args.stretch:
        i18n.available_languages = lambda: ["en", "fr"]  # type: ignore[assignment]
        i18n._load = lambda code: Stretched()  # type: ignore[assignment]
        i18n.set_language("fr")
    else:
        i18n.set_language(args.lang)
    runner = TaskRunner(paths.log_file)

    wizard = SetupWizard(paths, runner)
    wizard.show()
    wizard.organisation_page.name.setText("Associazione Bambinisenzasbarre")
    wizard.organisation_page.country.set_code("IT")
    for number in range(5):
        save(wizard, out, f"wizard-{number + 1}{suffix}")
        if number == 2:
            admin = wizard.administrator_page
            admin.display_name.setText("Lia Sacerdote")
            admin.passwords.password.setText("short")
            admin.passwords.repeat.setText("shorter")
            wizard.next()
            save(wizard, out, f"wizard-3-problem{suffix}")
            admin.passwords.password.setText(PASSWORD)
            admin.passwords.repeat.setText(PASSWORD)
        wizard.next()
    wizard.recovery_page.stored.setChecked(True)
    wizard.recovery_page.set_busy(True)
    save(wizard, out, f"wizard-5-creating{suffix}")
    wizard.recovery_page.set_busy(False)
    wizard.close()

    network_screens(runner, out, suffix)

    db_path = args.db or paths.default_db
    if args.db is None:
        create_database(
            NewDatabase(
                db_path, "Associazione Bambinisenzasbarre", "IT", "admin", PASSWORD, "Lia Sacerdote"
            )
        )
        add_sample_records(db_path, "admin", PASSWORD, paths.backup_dir)
    else:
        suffix += "-" + db_path.stem
    login = LoginDialog(paths, runner, db_path, "admin")
    login.show()
    save(login, out, f"login{suffix}")
    login.message.show_error(i18n._("The user name or password is not correct."))
    save(login, out, f"login-wrong{suffix}")
    login.close()

    signed_in = open_signed_in(db_path, "admin", args.password, paths.backup_dir)
    window = MainWindow(signed_in, paths, Settings(), runner)
    window.show()
    for size_name, size in SIZES.items():
        window.resize(size)
        for page in range(len(NAV_TITLES)):
            window.show_page(page)
            settle(0.6 if args.db is None else 2.0)
            save(window, out, f"main-{page + 1}-{size_name}{suffix}")
    window.resize(SIZES["1366x768"])
    report_screens(window, out, suffix, year=2024 if args.db is None else last_year())
    record_screens(window, out, suffix)
    import_screens(window, out, suffix)
    activity_screens(window, out, suffix)
    privacy_screens(window, out, suffix)
    window.show_about()
    settle(0.5)
    about = window.findChild(AboutDialog)
    if about is not None:
        save(about, out, f"about{suffix}")
        about.close()
    forgot = ForgotPasswordDialog(runner, db_path, paths.backup_dir, "admin")
    forgot.show()
    forgot.passwords.password.setText("short")
    save(forgot, out, f"forgot-password{suffix}")
    forgot.close()
    window.close()
    runner.shutdown()
    signed_in.db.close()
    del app
    QApplication.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
