"""Reading an interchange workbook (.xlsx) or CSV files into plain rows, before any checking.

Decisions:
- The file is refused outright (``ImportRefused``, naming it) when it cannot be read at all:
  missing, empty, over ``MAX_FILE_BYTES``, another extension, not a zip workbook, encrypted
  (password-protected workbooks are OLE files, not zips), or unreadable by openpyxl.
- Everything else becomes a ``Problem`` listed with the others: blank or merged header cells
  above a column that holds values, repeated column names, cells over ``MAX_CELL_CHARS``
  characters, and formulas without a cached value (the workbook was written by a program that
  does not calculate; the value cannot be known without a spreadsheet application).
- Formulas give their cached values (``data_only``). Text is stripped; empty text is empty.
- The header is the first row with anything in it; fully blank rows are skipped; blank header
  cells over empty columns are ignored (formatting left behind).
- Sheets whose name (stripped, any case) is not an interchange sheet are ignored and listed,
  hidden or not; a hidden sheet named like an interchange sheet is read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _, format_number
from cope_desktop.services.interchange.layout import SHEETS_BY_NAME
from cope_desktop.services.interchange.problems import Problem

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 600 * 1024 * 1024
"""An .xlsx is a zip: a small file can unpack to gigabytes (a "zip bomb"). The export of the
large reference database (5,000 families, 290,000 attendances) unpacks to about 60 MB."""
MAX_CELL_CHARS = 32_767
"""The longest text a spreadsheet cell can hold (Excel's limit)."""
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


class ImportRefused(UserInputError):
    """The file cannot be read as an interchange workbook at all; nothing was written."""


@dataclass(frozen=True)
class RawRow:
    number: int
    """The spreadsheet's own row number (1-based, the header is row 1)."""
    values: dict[str, object]


@dataclass
class RawSheet:
    name: str
    columns: list[str]
    rows: list[RawRow]


@dataclass
class RawWorkbook:
    sheets: dict[str, RawSheet]
    ignored: list[str]
    problems: list[Problem] = field(default_factory=list)
    """What the reader found wrong (headers, cells); the checker adds its own."""
    flagged: set[tuple[str, int, str]] = field(default_factory=set)
    """(sheet, row, column) of the cells those problems are about (not checked again)."""


Mapping = dict[str, dict[str, str]]


def read_workbook(path: Path, mapping: Mapping | None = None) -> RawWorkbook:
    """Read ``path`` (.xlsx, or a .csv and its sibling sheets' .csv files)."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise ImportRefused(
            _("{name} is not an .xlsx workbook or a .csv file.").format(name=path.name)
        )
    _check_file(path)
    if suffix == ".csv":
        return _read_csv(path, mapping or {})
    return _read_xlsx(path, mapping or {})


def _check_file(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportRefused(_("{name} cannot be opened.").format(name=path.name)) from None
    if size == 0:
        raise ImportRefused(_("{name} is empty.").format(name=path.name))
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            _("{name} is {size} MB; files over {limit} MB cannot be imported.").format(
                name=path.name,
                size=format_number(round(size / 1024 / 1024, 1)),
                limit=format_number(MAX_FILE_BYTES // 1024 // 1024),
            )
        )


# --- xlsx -------------------------------------------------------------------------------------


def _read_xlsx(path: Path, mapping: Mapping) -> RawWorkbook:
    with path.open("rb") as file:
        start = file.read(8)
    if start == _OLE_MAGIC:
        raise ImportRefused(
            _(
                "{name} is protected by a password (encrypted); save it without a password "
                "and import it again."
            ).format(name=path.name)
        )
    if not zipfile.is_zipfile(path):
        raise ImportRefused(_("{name} is not an .xlsx workbook.").format(name=path.name))
    _check_unpacked_size(path)
    try:
        return _read_xlsx_sheets(path, mapping)
    except ImportRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(
            _("{name} is damaged or not an .xlsx workbook.").format(name=path.name)
        ) from None


def _check_unpacked_size(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise ImportRefused(
            _("{name} is damaged or not an .xlsx workbook.").format(name=path.name)
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            _(
                "{name} unpacks to {size} MB, more than a workbook of records can hold "
                "({limit} MB); it cannot be imported."
            ).format(
                name=path.name,
                size=format_number(round(unpacked / 1024 / 1024)),
                limit=format_number(MAX_UNPACKED_BYTES // 1024 // 1024),
            )
        )


def _read_xlsx_sheets(path: Path, mapping: Mapping) -> RawWorkbook:
    workbook = load_workbook(path, read_only=True, data_only=True)
    result = RawWorkbook({}, [])
    formulas: dict[str, set[tuple[int, int]]] = {}
    try:
        wanted = {}
        for worksheet in workbook.worksheets:
            name = str(worksheet.title).strip().lower()
            if name in SHEETS_BY_NAME and name not in result.sheets and name not in wanted:
                wanted[name] = worksheet
            else:
                result.ignored.append(str(worksheet.title))
        if wanted:
            formulas = _formula_cells(path, [worksheet.title for worksheet in wanted.values()])
        for name, worksheet in wanted.items():
            worksheet.reset_dimensions()  # some programs write a wrong size; read every row
            rows = worksheet.iter_rows(values_only=True)
            sheet = _sheet(
                name, rows, mapping.get(name, {}), result, formulas.get(worksheet.title, set())
            )
            result.sheets[name] = sheet
    finally:
        workbook.close()
    return result


def _formula_cells(path: Path, titles: list[str]) -> dict[str, set[tuple[int, int]]]:
    """Per sheet title, the (row, column) of formulas that have no cached value.

    Only sheets whose XML holds a formula are read a second time, keeping formulas.
    """
    with zipfile.ZipFile(path) as archive:
        has_formula = any(
            _FORMULA.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )
    if not has_formula:
        return {}
    found: dict[str, set[tuple[int, int]]] = {}
    cached = load_workbook(path, read_only=True, data_only=True)
    raw = load_workbook(path, read_only=True, data_only=False)
    try:
        for title in titles:
            cells: set[tuple[int, int]] = set()
            pairs = zip(
                cached[title].iter_rows(values_only=True),
                raw[title].iter_rows(values_only=True),
                strict=False,
            )
            for number, (values, formulas) in enumerate(pairs, start=1):
                for index, formula in enumerate(formulas):
                    value = values[index] if index < len(values) else None
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        cells.add((number, index))
            found[title] = cells
    finally:
        cached.close()
        raw.close()
    return found


# --- csv --------------------------------------------------------------------------------------


def _read_csv(path: Path, mapping: Mapping) -> RawWorkbook:
    name = path.stem.strip().lower()
    if name not in SHEETS_BY_NAME:
        raise ImportRefused(
            _("{name} is not named after an interchange sheet (for example children.csv).").format(
                name=path.name
            )
        )
    result = RawWorkbook({}, [])
    for sheet_name in SHEETS_BY_NAME:
        file = path if sheet_name == name else _sibling(path, sheet_name)
        if file is None:
            continue
        if file != path:
            _check_file(file)
        rows = _csv_rows(file)
        result.sheets[sheet_name] = _sheet(
            sheet_name, rows, mapping.get(sheet_name, {}), result, set()
        )
    return result


def _sibling(path: Path, sheet_name: str) -> Path | None:
    for candidate in path.parent.glob("*.csv"):
        if candidate.stem.strip().lower() == sheet_name:
            return candidate
    return None


def _csv_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportRefused(_("{name} is not a text (.csv) file.").format(name=path.name))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            yield tuple(row)
    except csv.Error:
        raise ImportRefused(
            _("{name} is not a readable .csv file.").format(name=path.name)
        ) from None


# --- shared -----------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _sheet(
    name: str,
    rows: Iterable[tuple[Any, ...]],
    mapping: dict[str, str],
    result: RawWorkbook,
    formulas: set[tuple[int, int]],
) -> RawSheet:
    """Header, then the rows that hold anything, as dicts keyed by interchange column name."""
    mapped = {key.strip().lower(): value.strip().lower() for key, value in mapping.items()}
    problems = result.problems
    header: list[str | None] | None = None
    header_number = 1
    reported: set[int] = set()
    indexes: list[tuple[int, str]] = []
    blank_columns: list[int] = []
    sheet = RawSheet(name, [], [])
    for number, row in enumerate(rows, start=1):
        values = [_clean(value) for value in row]
        if header is None:
            if not any(value is not None for value in values):
                continue
            header_number = number
            header = [None if value is None else str(value).strip().lower() for value in values]
            indexes, blank_columns = _columns(name, number, header, mapped, problems)
            sheet.columns = [column for _index, column in indexes]
            continue
        if not any(value is not None for value in values):
            continue
        unnamed = [*blank_columns, *range(len(header), len(values))]
        for index in unnamed:
            if index < len(values) and values[index] is not None and index not in reported:
                reported.add(index)
                problems.append(
                    Problem(
                        name,
                        header_number,
                        None,
                        _(
                            "Column {number} holds values but has no name "
                            "(a blank or merged header cell)."
                        ).format(number=index + 1),
                    )
                )
        record: dict[str, object] = {}
        for index, column in indexes:
            value = values[index] if index < len(values) else None
            if (number, index) in formulas:
                result.flagged.add((name, number, column))
                problems.append(
                    Problem(
                        name,
                        number,
                        column,
                        _(
                            "This formula has no saved value; open "
                            "the file in a spreadsheet program, save it and import it again."
                        ),
                    )
                )
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                result.flagged.add((name, number, column))
                problems.append(
                    Problem(
                        name,
                        number,
                        column,
                        _("This cell holds more than {limit} characters.").format(
                            limit=format_number(MAX_CELL_CHARS)
                        ),
                    )
                )
                value = None
            record[column] = value
        sheet.rows.append(RawRow(number, record))
    return sheet


def _columns(
    sheet: str,
    number: int,
    header: list[str | None],
    mapped: dict[str, str],
    problems: list[Problem],
) -> tuple[list[tuple[int, str]], list[int]]:
    """(index, interchange name) of each named header cell, and the indexes of blank ones."""
    indexes: list[tuple[int, str]] = []
    blanks: list[int] = []
    seen: set[str] = set()
    for index, name in enumerate(header):
        if name is None:
            blanks.append(index)
            continue
        name = mapped.get(name, name)
        if name in seen:
            problems.append(
                Problem(sheet, number, name, _("This column name appears more than once."))
            )
            continue
        seen.add(name)
        indexes.append((index, name))
    return indexes, blanks
