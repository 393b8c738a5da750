"""The bundle file: a plain JSON header line, then the encrypted, compressed payload.

```
{"format": "cope-sync-bundle/1", "organisation": {...}, ..., "checksum": {...}}  (one line)
<AES-256-GCM ciphertext of gzip(JSON payload)>
```

- The payload key is HKDF-SHA256 of the organisation's data key (``info=b"cope-sync-bundle/1"``):
  every copy of the same organisation can read a bundle, nobody else can.
- The header (without its checksum) is the AES-GCM associated data, so an edited header fails
  like an edited payload.
- The checksum (SHA-256 and length of the ciphertext) lets a truncated or damaged file be
  named as such before any decryption is tried; ``key_id`` (derived from the data key, it
  reveals nothing of it) tells a bundle of another organisation from a damaged one.
- A full bundle's header also carries the key slots (as in the ``.keys`` file), so a new
  copy can be unlocked with a user's password before the payload is read.

Every refusal is a ``BundleError`` with one sentence for the person importing.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import secrets
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cope_desktop.atomic import atomic_write
from cope_desktop.db import migrate
from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _

FORMAT = "cope-sync-bundle/1"
FORMAT_PREFIX = "cope-sync-bundle/"
KIND_FULL = "full"
KIND_CHANGES = "changes"
MAX_HEADER_BYTES = 4 * 1024 * 1024
"""A header with many key slots is a few kilobytes; anything longer is not a bundle."""
COMPRESS_LEVEL = 3
"""Fast: a full bundle of the large demo database must be written well within 30 s."""
SUFFIX = ".copesync"


class BundleError(UserInputError):
    """A bundle that cannot be read or must not be imported here, in one sentence."""


@dataclass(frozen=True)
class BundleHeader:
    """What anyone can read of a bundle without the key (no personal data)."""

    organisation_id: str
    organisation_name: str
    device_id: str
    device_name: str
    kind: str
    seq_from: int
    seq_to: int
    rows: int
    schema: str = field(default_factory=migrate.head_revision)
    bundle_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat())
    key_slots: list[dict[str, Any]] = field(default_factory=list)
    format: str = FORMAT
    key_id: str = ""
    nonce: str = ""

    @property
    def is_full(self) -> bool:
        return self.kind == KIND_FULL

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> BundleHeader:
        names = set(cls.__dataclass_fields__)
        values = {key: value for key, value in document.items() if key in names}
        header = cls(**values)
        for name in ("organisation_id", "device_id", "kind", "schema", "key_id", "nonce"):
            if not isinstance(getattr(header, name), str):
                raise TypeError(name)
        for name in ("seq_from", "seq_to", "rows"):
            if not isinstance(getattr(header, name), int):
                raise TypeError(name)
        if header.kind not in (KIND_FULL, KIND_CHANGES) or not isinstance(header.key_slots, list):
            raise ValueError("kind")
        return header


def _derive(data_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(data_key)


def bundle_key(data_key: bytes) -> bytes:
    return _derive(data_key, FORMAT.encode())


def key_id(data_key: bytes) -> str:
    """A short name of the organisation's key (a one-way derivation: reveals nothing of it)."""
    return _derive(data_key, (FORMAT + "/key-id").encode())[:8].hex()


def _canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _associated_data(header: dict[str, Any]) -> bytes:
    return _canonical({key: value for key, value in header.items() if key != "checksum"})


def encode_payload(payload: dict[str, Any]) -> bytes:
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=COMPRESS_LEVEL, mtime=0)


def write_bundle(
    path: Path, header: BundleHeader, payload: dict[str, Any], data_key: bytes
) -> BundleHeader:
    """Encrypt ``payload`` and write the bundle atomically; returns the header as written."""
    nonce = secrets.token_bytes(12)
    header = replace(
        header,
        format=FORMAT,
        key_id=key_id(data_key),
        nonce=base64.b64encode(nonce).decode("ascii"),
    )
    document = header.to_json()
    ciphertext = AESGCM(bundle_key(data_key)).encrypt(
        nonce, encode_payload(payload), _associated_data(document)
    )
    document["checksum"] = {
        "sha256": hashlib.sha256(ciphertext).hexdigest(),
        "bytes": len(ciphertext),
    }
    line = {"format": FORMAT, **{key: document[key] for key in sorted(document)}}
    try:
        with atomic_write(path, "wb") as handle:
            # "format" first, so even the first bytes of a cut-short file say what it was
            handle.write(
                json.dumps(line, separators=(",", ":"), ensure_ascii=True).encode() + b"\n"
            )
            handle.write(ciphertext)
    except OSError as exc:  # a folder, a read-only stick, a full disk: nothing is left behind
        raise BundleError(
            _("The bundle {path} cannot be written: {reason}").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None
    return header


def _not_a_bundle(path: Path) -> BundleError:
    return BundleError(_("{name} is not a COPE Desktop sync bundle.").format(name=path.name))


def _damaged(path: Path) -> BundleError:
    return BundleError(
        _(
            "The bundle {name} is damaged or was changed after it was written; "
            "nothing was imported. Ask for a new bundle."
        ).format(name=path.name)
    )


def _truncated(path: Path) -> BundleError:
    return BundleError(
        _(
            "The bundle {name} is incomplete (the file was cut short, perhaps while copying); "
            "nothing was imported. Copy it again."
        ).format(name=path.name)
    )


def _too_new(path: Path) -> BundleError:
    return BundleError(
        _(
            "The bundle {name} was written by a newer version of COPE Desktop; "
            "install the newest version to import it."
        ).format(name=path.name)
    )


def foreign_organisation(name: str) -> BundleError:
    return BundleError(
        _(
            "This bundle comes from another organisation ({name}) and cannot be imported here."
        ).format(name=name)
    )


def _split(path: Path) -> tuple[dict[str, Any], bytes]:
    """The header document and the rest of the file, or BundleError."""
    try:
        with path.open("rb") as handle:
            line = handle.readline(MAX_HEADER_BYTES)
            rest = handle.read()
    except FileNotFoundError:
        raise BundleError(_("There is no file at {path}.").format(path=path)) from None
    except IsADirectoryError:
        raise _not_a_bundle(path) from None
    except OSError as exc:
        raise BundleError(
            _("The bundle {path} cannot be read: {reason}").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None
    if not line.startswith(b"{"):
        raise _not_a_bundle(path)
    if not line.endswith(b"\n"):
        if FORMAT_PREFIX.encode() in line:
            raise _truncated(path)
        raise _not_a_bundle(path)
    try:
        document = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _not_a_bundle(path) from None
    if not isinstance(document, dict) or not str(document.get("format", "")).startswith(
        FORMAT_PREFIX
    ):
        raise _not_a_bundle(path)
    return document, rest


def _parse_header(path: Path, document: dict[str, Any]) -> BundleHeader:
    if document.get("format") != FORMAT:
        raise _too_new(path)
    try:
        header = BundleHeader.from_json(document)
    except (TypeError, ValueError):
        raise _damaged(path) from None
    if header.schema not in migrate.known_revisions():
        raise _too_new(path)
    return header


def read_header(path: Path) -> BundleHeader:
    """The header, checked (format, schema, completeness), without decrypting anything."""
    document, rest = _split(path)
    header = _parse_header(path, document)
    _check_sum(path, document, rest)
    return header


def _check_sum(path: Path, document: dict[str, Any], ciphertext: bytes) -> None:
    checksum = document.get("checksum")
    if not isinstance(checksum, dict):
        raise _damaged(path)
    expected = checksum.get("bytes")
    if not isinstance(expected, int):
        raise _damaged(path)
    if len(ciphertext) < expected:
        raise _truncated(path)
    if len(ciphertext) > expected:
        raise _damaged(path)
    if hashlib.sha256(ciphertext).hexdigest() != checksum.get("sha256"):
        raise _damaged(path)


def read_bundle(
    path: Path, data_key: bytes, organisation_id: uuid.UUID | str | None = None
) -> tuple[BundleHeader, dict[str, Any]]:
    """The checked header and the decrypted payload, or BundleError.

    With ``organisation_id`` a bundle of another organisation is refused by name even
    before its key is tried.
    """
    document, ciphertext = _split(path)
    header = _parse_header(path, document)
    _check_sum(path, document, ciphertext)
    if organisation_id is not None and header.organisation_id != str(organisation_id):
        raise foreign_organisation(header.organisation_name)
    if header.key_id != key_id(data_key):
        raise foreign_organisation(header.organisation_name)
    try:
        nonce = base64.b64decode(header.nonce, validate=True)
        compressed = AESGCM(bundle_key(data_key)).decrypt(
            nonce, ciphertext, _associated_data(document)
        )
    except (InvalidTag, ValueError):
        raise _damaged(path) from None
    try:
        payload = json.loads(gzip.decompress(compressed).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError):
        raise _damaged(path) from None
    if not isinstance(payload, dict):
        raise _damaged(path)
    return header, payload
