"""The bundle file: what a copy of the organisation reads back, and every file it refuses."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from cope_desktop.sync.bundle import (
    KIND_CHANGES,
    BundleError,
    BundleHeader,
    read_bundle,
    read_header,
    write_bundle,
)

KEY = bytes(range(32))
ORG = "5b0f3c1e-8f39-4c57-9a52-3b8f6f4e2a10"


def _header(**changes: object) -> BundleHeader:
    values: dict[str, object] = {
        "organisation_id": ORG,
        "organisation_name": "Bambinisenzasbarre",
        "device_id": "0c7e6f4a-1111-4222-8333-944455556666",
        "device_name": "Office PC",
        "kind": KIND_CHANGES,
        "seq_from": 3,
        "seq_to": 9,
        "rows": 2,
    }
    values.update(changes)
    return BundleHeader(**values)  # type: ignore[arg-type]


PAYLOAD = {"rows": {"family": [["a", {"reference": "F-000001"}]]}, "note": "Zoë Łukasz"}


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "office.copesync"
    write_bundle(path, _header(), PAYLOAD, KEY)
    return path


def test_round_trip_gives_back_header_and_payload(bundle: Path) -> None:
    header, payload = read_bundle(bundle, KEY, ORG)
    assert payload == PAYLOAD
    assert (header.organisation_name, header.device_name, header.seq_to) == (
        "Bambinisenzasbarre",
        "Office PC",
        9,
    )
    assert read_header(bundle).bundle_id == header.bundle_id


def test_names_are_not_readable_in_the_file(bundle: Path) -> None:
    assert b"F-000001" not in bundle.read_bytes()
    assert "Łukasz".encode() not in bundle.read_bytes()


def test_truncated_file_is_named_as_such(bundle: Path) -> None:
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) - 10])
    with pytest.raises(BundleError, match="incomplete"):
        read_bundle(bundle, KEY, ORG)
    bundle.write_bytes(data[:40])
    with pytest.raises(BundleError, match="incomplete"):
        read_header(bundle)


def test_a_flipped_byte_is_damage(bundle: Path) -> None:
    data = bytearray(bundle.read_bytes())
    data[-20] ^= 0x01
    bundle.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="damaged or was changed"):
        read_bundle(bundle, KEY, ORG)


def test_another_organisations_key_is_refused_by_name(bundle: Path) -> None:
    with pytest.raises(BundleError, match=r"another organisation \(Bambinisenzasbarre\)"):
        read_bundle(bundle, secrets.token_bytes(32))
    with pytest.raises(BundleError, match="another organisation"):
        read_bundle(bundle, KEY, "00000000-0000-4000-8000-000000000000")


def test_a_file_of_another_kind_is_not_a_bundle(tmp_path: Path) -> None:
    for content in (b"PK\x03\x04 a workbook", b'{"format": "cope-keyfile/1"}\n', b""):
        path = tmp_path / "other.copesync"
        path.write_bytes(content)
        with pytest.raises(BundleError, match="is not a COPE Desktop sync bundle"):
            read_bundle(path, KEY)


def test_a_newer_format_or_schema_asks_for_the_newest_version(tmp_path: Path) -> None:
    path = tmp_path / "new.copesync"
    write_bundle(path, _header(schema="9999"), PAYLOAD, KEY)
    with pytest.raises(BundleError, match="newer version"):
        read_bundle(path, KEY)
    lines = path.read_bytes().split(b"\n", 1)
    document = json.loads(lines[0])
    document["format"] = "cope-sync-bundle/2"
    path.write_bytes(json.dumps(document).encode() + b"\n" + lines[1])
    with pytest.raises(BundleError, match="newer version"):
        read_header(path)


def test_an_edited_header_is_damage(bundle: Path) -> None:
    first, rest = bundle.read_bytes().split(b"\n", 1)
    document = json.loads(first)
    document["device_name"] = "Somebody else"
    document["rows"] = 0
    bundle.write_bytes(json.dumps(document).encode() + b"\n" + rest)
    with pytest.raises(BundleError, match="damaged or was changed"):
        read_bundle(bundle, KEY, ORG)


def test_a_bundle_that_cannot_be_written_is_one_sentence_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    with pytest.raises(BundleError, match=r"The bundle .*stick cannot be written"):
        write_bundle(folder, _header(), PAYLOAD, KEY)
    assert not list(tmp_path.glob(".stick.*"))  # no temporary file left beside it
    assert list(folder.iterdir()) == []
