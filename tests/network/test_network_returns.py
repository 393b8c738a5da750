"""Every way a return can be left out of a merge (TARGETS.md R6).

Each is said in one clear line, and the good returns beside it are merged.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from network_support import figure, merge, resign, return_document, write_document

from cope_desktop.errors import UserInputError
from cope_desktop.network.service import ReturnStatus
from cope_desktop.reports.model import RawFigures
from cope_desktop.reports.period import Period


def _good(organisation: str = "org-good", **kwargs: Any) -> dict[str, Any]:
    raw = RawFigures(families_new=6, families_continuing=20, referrals={"school": 6})
    return return_document(organisation, "IT", raw, **kwargs)


def _status(statuses: list[ReturnStatus], name: str) -> ReturnStatus:
    return next(status for status in statuses if status.path.name == name)


def _merge_with(tmp_path: Path, name: str, content: bytes | dict[str, Any]) -> ReturnStatus:
    good = write_document(tmp_path / "good.json", _good())
    bad = tmp_path / name
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        write_document(bad, content)
    result = merge([good, bad])
    assert result.merged_count == 1
    assert figure(result, None, "families")["value"] == 26  # the good one alone
    assert [entry["file"] for entry in result.document["not_merged"]] == [name]
    status = _status(result.statuses, name)
    assert not status.merged
    assert status.message.startswith("Left out: ")
    assert "\n" not in status.message
    return status


def test_a_changed_figure_breaks_the_checksum(tmp_path: Path) -> None:
    doc = _good("org-b")
    doc["tables"]["families"]["cells"][1]["value"] = 21
    status = _merge_with(tmp_path, "tampered.json", doc)
    assert status.problem == "checksum"
    assert "changed or damaged" in status.message


def test_a_truncated_file_is_not_json(tmp_path: Path) -> None:
    text = json.dumps(_good("org-b")).encode()
    status = _merge_with(tmp_path, "cut.json", text[: len(text) // 2])
    assert status.problem == "not_json"
    assert "line 1" in status.message


def test_an_internal_report_is_never_merged(tmp_path: Path) -> None:
    doc = _good("org-b")
    doc["schema"] = "cope-internal-report/1"
    status = _merge_with(tmp_path, "internal.json", resign(doc))
    assert status.problem == "not_a_return"
    assert "internal report" in status.message


def test_a_return_in_a_newer_format_is_named(tmp_path: Path) -> None:
    doc = _good("org-b")
    doc["schema"] = "cope-network-return/2"
    status = _merge_with(tmp_path, "v2.json", resign(doc))
    assert status.problem == "version"
    assert "cope-network-return/2" in status.message


def test_a_file_that_is_not_a_return(tmp_path: Path) -> None:
    status = _merge_with(tmp_path, "other.json", {"hello": "world"})
    assert status.problem == "not_a_return"


def test_a_return_that_breaks_the_schema_says_where(tmp_path: Path) -> None:
    doc = _good("org-b")
    doc["tables"]["families"]["cells"][0]["value"] = -3
    status = _merge_with(tmp_path, "negative.json", resign(doc))
    assert status.problem == "schema"
    assert "tables/families/cells/0/value" in status.message


def test_a_table_listing_a_category_twice_is_refused(tmp_path: Path) -> None:
    doc = _good("org-b")
    cells = doc["tables"]["families"]["cells"]
    cells[1] = {**copy.deepcopy(cells[0])}
    status = _merge_with(tmp_path, "twice.json", resign(doc))
    assert status.problem == "schema"
    assert "families/new" in status.message


def test_figures_that_do_not_add_up_are_refused(tmp_path: Path) -> None:
    doc = _good("org-b")
    doc["tables"]["families"]["totals"]["all"]["value"] = 99
    status = _merge_with(tmp_path, "sum.json", resign(doc))
    assert status.problem == "inconsistent"
    assert "do not add up" in status.message


def test_an_unreadable_path_is_said_so(tmp_path: Path) -> None:
    good = write_document(tmp_path / "good.json", _good())
    result = merge([good, tmp_path / "missing.json"])
    status = _status(result.statuses, "missing.json")
    assert status.problem == "unreadable"
    assert result.merged_count == 1


def test_the_latest_of_two_returns_of_one_organisation_is_merged(tmp_path: Path) -> None:
    early = _good("org-a", sent=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    late_raw = RawFigures(families_new=6, families_continuing=30, referrals={"school": 6})
    late = return_document("org-a", "IT", late_raw, sent=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    paths = [
        write_document(tmp_path / "b-late.json", late),
        write_document(tmp_path / "a-early.json", early),
        write_document(tmp_path / "c-copy.json", late),
    ]
    result = merge(paths)

    assert result.merged_count == 1
    assert figure(result, None, "families")["value"] == 36
    early_status = _status(result.statuses, "a-early.json")
    assert early_status.problem == "duplicate"
    assert "c-copy.json" in early_status.message and "later return" in early_status.message
    copy_status = _status(result.statuses, "b-late.json")
    assert "the same return as c-copy.json" in copy_status.message


def test_returns_for_another_period_are_left_out_and_the_most_common_period_is_chosen(
    tmp_path: Path,
) -> None:
    [
        write_document(tmp_path / "a.json", _good("org-a")),
        write_document(tmp_path / "b.json", _good("org-b")),
        write_document(tmp_path / "c.json", _good("org-c", period=Period.year(2024))),
    ]
    result = merge([tmp_path])  # a folder is read whole

    assert result.period == Period.year(2025)
    assert result.periods == {Period.year(2025): 2, Period.year(2024): 1}
    status = _status(result.statuses, "c.json")
    assert status.problem == "other_period"
    assert status.message == "Left out: for 2024, not for 2025."

    chosen = merge([tmp_path], period=Period.year(2024))
    assert chosen.merged_count == 1 and chosen.period == Period.year(2024)


def test_nothing_to_merge_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "junk.json").write_text("not json")
    with pytest.raises(UserInputError, match=r"junk\.json cannot be merged: not valid JSON"):
        merge([tmp_path / "junk.json"])
    (tmp_path / "empty-folder").mkdir()
    with pytest.raises(UserInputError, match="No return to merge"):
        merge([tmp_path / "empty-folder"])
    with pytest.raises(UserInputError, match="at least 3"):
        merge([tmp_path / "junk.json"], threshold=2)


def test_a_file_changed_between_two_merges_is_read_again(tmp_path: Path) -> None:
    path = write_document(tmp_path / "a.json", _good("org-a"))
    assert merge([path]).merged_count == 1
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["tables"]["families"]["cells"][1]["value"] = 2000  # changed, checksum not redone
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    with pytest.raises(UserInputError, match="checksum does not match"):
        merge([path])
