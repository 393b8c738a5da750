"""The CSV rendering of a report document: a zip with one CSV per table and a README.

Each CSV is UTF-8 with a byte-order mark (so spreadsheet programs read accents right), its first
row the translated column headings, then one row per figure with, for every dimension, the
category's code (stable across languages) beside its name, the value and a flag. Totals have
the code ``total``. A hidden figure has an empty value and the flag ``suppressed``. Values are
written the machine-readable way (no thousands separator, a full stop before the decimal), so
the files read back the same whatever the language of the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import textwrap
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, BinaryIO

from cope_desktop.i18n import _
from cope_desktop.reports import labels
from cope_desktop.reports.explain import explanation
from cope_desktop.reports.facts import marking, prisons_sentence, report_facts
from cope_desktop.reports.grid import HOURS, SUPPRESSED

TOTAL_CODE = "total"
BOM = "\ufeff"
README = "README.txt"


def write_csv_zip(document: Mapping[str, Any], out: BinaryIO) -> None:
    """Write ``document`` as a zip of CSV files (tables, internal breakdowns) and a README."""
    stamp = _zip_time(document)
    files: list[tuple[str, str]] = []
    for group in ("tables", "breakdowns"):
        for table_id, table in (document.get(group) or {}).items():
            files.append((f"{table_id}.csv", _csv_text(table)))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, README, BOM + _readme(document, [name for name, _text in files]), stamp)
        for name, text in files:
            _add(archive, name, BOM + text, stamp)


def _add(archive: zipfile.ZipFile, name: str, text: str, stamp: tuple[int, ...]) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, text.encode("utf-8"))


def _zip_time(document: Mapping[str, Any]) -> tuple[int, ...]:
    """The document's generation time (so the same document gives the same archive)."""
    value = str((document.get("generated") or {}).get("at") or "")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = dt.datetime(1980, 1, 1)
    return max(moment.timetuple()[:6], (1980, 1, 1, 0, 0, 0))


def _csv_text(table: Mapping[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    dimensions: Sequence[str] = table["dimensions"]
    header: list[str] = []
    for dimension in dimensions:
        name = labels.dimension_label(dimension)
        header += [_("{dimension} (code)").format(dimension=name), name]
    header += [_("Value"), _("Flag")]
    writer.writerow(header)
    for codes, entry in _entries(table):
        row: list[str] = []
        for dimension, code in zip(dimensions, codes, strict=True):
            name = (
                labels.total_label()
                if code == TOTAL_CODE
                else labels.category_label(dimension, code)
            )
            row += [code, name]
        writer.writerow([*row, *_value_and_flag(entry, hours=HOURS in codes)])
    return buffer.getvalue()


def _entries(table: Mapping[str, Any]) -> Iterator[tuple[list[str], Mapping[str, Any]]]:
    """(one code per dimension, entry) for every cell, then every total."""
    dimensions: Sequence[str] = table["dimensions"]
    for cell in table.get("cells") or []:
        yield [str(cell[d]) for d in dimensions], cell
    totals: Mapping[str, Any] = table.get("totals") or {}
    for dimension in dimensions:
        for entry in totals.get(dimension) or []:
            yield [str(entry[d]) if d == dimension else TOTAL_CODE for d in dimensions], entry
    if "all" in totals:
        yield [TOTAL_CODE for _d in dimensions], totals["all"]


def _value_and_flag(entry: Mapping[str, Any], *, hours: bool) -> list[str]:
    flag = entry.get("flag") or ""
    value = entry.get("value")
    if flag == SUPPRESSED or value is None:
        return ["", flag]
    if hours or isinstance(value, float):
        return [f"{float(value):.1f}", flag]
    return [str(value), flag]


def _readme(document: Mapping[str, Any], names: list[str]) -> str:
    facts = report_facts(document)
    mark = marking(document)
    lines: list[str] = []
    if mark:
        lines += [f"*** {mark} ***", ""]
    lines += [facts.kind, facts.organisation]
    lines += [f"{name}: {value}" for name, value in facts.labelled()]
    lines.append("")
    paragraphs = [*explanation(document)]
    sentence = prisons_sentence(document)
    if sentence:
        paragraphs.append(sentence)
    paragraphs.append(
        _(
            "Each file holds one table, one row per figure: for each category its code and "
            "its name, then the value and a flag. The code “{total}” stands for all categories "
            "together (a total). Where a figure is hidden, its value is empty and its flag is "
            "“{flag}”. Numbers have no thousands separator and a full stop before the decimal."
        ).format(total=TOTAL_CODE, flag=SUPPRESSED)
    )
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, 78), ""]
    lines.append(_("Files:"))
    for name in names:
        table_id = name.removesuffix(".csv")
        lines.append(f"  {name}  {labels.table_title(table_id)}")
    if mark:
        lines += ["", f"*** {mark} ***"]
    return "\r\n".join(lines) + "\r\n"
