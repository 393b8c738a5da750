"""``cope-desktop network merge | dhis2 | sample`` (CLI.md), without a database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from network_support import resign, return_document, write_document

from cope_desktop.cli import main
from cope_desktop.network.dhis2 import read_data_value_set
from cope_desktop.reports.model import RawFigures
from cope_desktop.reports.period import Period


def _returns(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    raw = RawFigures(families_new=6, families_continuing=20, referrals={"self": 6})
    paths = [
        write_document(folder / "it.json", return_document("org-it", "IT", raw)),
        write_document(folder / "fr.json", return_document("org-fr", "FR", raw)),
        write_document(
            folder / "old.json", return_document("org-fr", "FR", raw, period=Period.year(2024))
        ),
    ]
    tampered = return_document("org-pl", "PL", raw)
    tampered["tables"]["families"]["cells"][0]["value"] = 60
    paths.append(write_document(folder / "pl.json", tampered))
    return paths


def test_merge_writes_the_json_and_says_what_was_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _returns(tmp_path / "in")
    out = tmp_path / "network.json"

    code = main(["network", "merge", str(tmp_path / "in"), "--format", "json", "--out", str(out)])

    assert code == 0
    captured = capsys.readouterr()
    assert "Merged 2 returns for 2025 from 2 countries" in captured.out
    errors = captured.err.strip().splitlines()
    assert errors == [
        f"{tmp_path / 'in' / 'pl.json'}: Left out: its checksum does not match: the file was "
        "changed or damaged after it was written.",
        "1 returns for other periods were not merged (2024); choose the period with --year.",
    ]
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["schema"] == "cope-network-merge/1"
    assert document["scopes"][0]["tables"]["families"]["totals"]["all"]["value"] == 52
    assert {entry["problem"] for entry in document["not_merged"]} == {"checksum", "other_period"}


def test_merge_of_a_chosen_year_and_dhis2_formats(tmp_path: Path) -> None:
    _returns(tmp_path / "in")
    out = tmp_path / "network.dhis2.json"
    argv = ["network", "merge", str(tmp_path / "in"), "--year", "2024"]
    assert main([*argv, "--format", "dhis2-json", "--out", str(out)]) == 0
    values = read_data_value_set(json.loads(out.read_text(encoding="utf-8")))
    assert values[("COPE", "families", ("continuing",))] == 20
    assert main([*argv, "--format", "dhis2-adx", "--out", str(tmp_path / "n.adx.xml")]) == 0
    assert (tmp_path / "n.adx.xml").read_bytes().startswith(b"<?xml")


def test_dhis2_of_a_single_return(tmp_path: Path) -> None:
    path = _returns(tmp_path / "in")[0]
    out = tmp_path / "it.dhis2.json"
    assert main(["network", "dhis2", str(path), "--format", "dhis2-json", "--out", str(out)]) == 0
    values = read_data_value_set(json.loads(out.read_text(encoding="utf-8")))
    assert values[("org-it", "families", ("new",))] == 6


def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    paths = _returns(folder)
    out = tmp_path / "network.json"

    assert main(["network", "merge", str(paths[3]), "--format", "json", "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    assert (
        main(["network", "dhis2", str(paths[3]), "--format", "dhis2-adx", "--out", str(out)]) == 2
    )
    assert "checksum does not match" in capsys.readouterr().err
    bad_threshold = ["network", "merge", str(folder), "--format", "json", "--threshold", "2"]
    assert main([*bad_threshold, "--out", str(out)]) == 2
    assert not out.exists()
    edited = json.loads(paths[0].read_text(encoding="utf-8"))
    edited["tables"]["families"]["totals"]["all"]["value"] = 1000
    write_document(paths[0], resign(edited))
    assert (
        main(["network", "dhis2", str(paths[0]), "--format", "dhis2-json", "--out", str(out)]) == 2
    )
    assert "do not add up" in capsys.readouterr().err
    assert not out.exists()


def test_sample_writes_returns_the_merge_reads(tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    assert (
        main(["network", "sample", "--out", str(folder), "--organisations", "3", "--years", "2025"])
        == 0
    )
    assert len(list(folder.glob("*.json"))) == 3
    out = tmp_path / "n.json"
    assert main(["network", "merge", str(folder), "--format", "json", "--out", str(out)]) == 0
