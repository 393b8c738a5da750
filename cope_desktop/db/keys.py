"""Key slots: one random data key, wrapped once per user password and once by the recovery key.

The data key (256 random bits) encrypts the database. Each secret is stretched with Argon2id
(TARGETS.md: at least 64 MiB, 3 passes, 4 lanes, 16-byte salt) into a key-encryption key that
wraps the data key with AES-256-GCM. The slots live in a key file beside the database (they
must be read before it can be decrypted) and are mirrored in its ``key_slot`` table. A
forgotten password is replaced by unwrapping the recovery slot; removing a user drops a slot,
and nothing is re-encrypted.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cope_desktop.atomic import atomic_write_text
from cope_desktop.db.enums import KeySlotKind
from cope_desktop.errors import DatabaseOpenError, UserInputError, WrongCredentialsError
from cope_desktop.i18n import _

KEY_FILE_FORMAT = "cope-keyfile/1"
DATA_KEY_BYTES = 32
SALT_BYTES = 16
MIN_TIME_COST = 3
MIN_MEMORY_KIB = 64 * 1024
MIN_PARALLELISM = 4
RECOVERY_KEY_BYTES = 25  # 200 bits: 40 base32 characters, printed in 8 groups of 5
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = MIN_TIME_COST
    memory_cost_kib: int = MIN_MEMORY_KIB
    parallelism: int = MIN_PARALLELISM

    def check_floor(self) -> None:
        """Refuse slots weaker than the floor, so a tampered key file cannot lower the cost."""
        if (
            self.time_cost < MIN_TIME_COST
            or self.memory_cost_kib < MIN_MEMORY_KIB
            or self.parallelism < MIN_PARALLELISM
        ):
            raise DatabaseOpenError(
                _("A key slot in the key file uses weaker protection than allowed; it is refused.")
            )


@dataclass(frozen=True)
class Slot:
    """One wrapped copy of the data key."""

    id: uuid.UUID
    kind: KeySlotKind
    username: str | None
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    kdf: KdfParams = field(default_factory=KdfParams)
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def associated_data(self) -> bytes:
        """Binds the wrapped key to this slot, so a slot moved to another user does not open."""
        return f"{self.id}|{self.kind.value}|{(self.username or '').casefold()}".encode()


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_recovery_key() -> str:
    """A recovery key a person can copy by hand: ``ABCDE-FGHIJ-...`` (8 groups of 5)."""
    text = base64.b32encode(secrets.token_bytes(RECOVERY_KEY_BYTES)).decode("ascii")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def normalise_recovery_key(text: str) -> str:
    """Accept the key as typed: any case, with or without dashes and spaces."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    return "-".join(cleaned[i : i + 5] for i in range(0, len(cleaned), 5))


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserInputError(
            _("The password must have at least {count} characters.").format(
                count=MIN_PASSWORD_LENGTH
            )
        )


def check_new_password(password: str, repeated: str) -> None:
    """A new password typed twice: strong enough, and the same both times."""
    check_password_strength(password)
    if password != repeated:
        raise UserInputError(_("The two passwords are not the same."))


def _derive(secret: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def wrap(data_key: bytes, secret: str, kind: KeySlotKind, username: str | None = None) -> Slot:
    """Make a new slot holding ``data_key`` wrapped by ``secret``."""
    slot = Slot(
        id=uuid.uuid4(),
        kind=kind,
        username=username,
        salt=secrets.token_bytes(SALT_BYTES),
        nonce=secrets.token_bytes(12),
        wrapped_key=b"",
    )
    kek = _derive(secret, slot.salt, slot.kdf)
    wrapped = AESGCM(kek).encrypt(slot.nonce, data_key, slot.associated_data())
    return replace(slot, wrapped_key=wrapped)


def unwrap(slot: Slot, secret: str) -> bytes:
    """The data key, or WrongCredentialsError when ``secret`` is not this slot's."""
    slot.kdf.check_floor()
    kek = _derive(secret, slot.salt, slot.kdf)
    try:
        key = AESGCM(kek).decrypt(slot.nonce, slot.wrapped_key, slot.associated_data())
    except InvalidTag:
        raise WrongCredentialsError(_("The user name or password is not correct.")) from None
    if len(key) != DATA_KEY_BYTES:
        raise DatabaseOpenError(_("The key file is damaged."))
    return key


@dataclass
class KeyFile:
    """The key slots of one database, stored as JSON beside it (``<database>.keys``)."""

    path: Path
    slots: list[Slot]

    @staticmethod
    def path_for(db_path: Path) -> Path:
        return db_path.with_name(db_path.name + ".keys")

    def user_slot(self, username: str) -> Slot | None:
        wanted = username.casefold()
        for slot in self.slots:
            if slot.kind is KeySlotKind.USER and (slot.username or "").casefold() == wanted:
                return slot
        return None

    def recovery_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.kind is KeySlotKind.RECOVERY), None)

    def unlock(self, username: str, password: str) -> bytes:
        slot = self.user_slot(username)
        if slot is None:
            # Same words as a wrong password: the key file does not confirm who has an account.
            raise WrongCredentialsError(_("The user name or password is not correct."))
        return unwrap(slot, password)

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        slot = self.recovery_slot()
        if slot is None:
            raise DatabaseOpenError(_("This database has no recovery key slot."))
        try:
            return unwrap(slot, normalise_recovery_key(recovery_key))
        except WrongCredentialsError:
            raise WrongCredentialsError(_("The recovery key is not correct.")) from None

    def replace_user_slot(self, slot: Slot) -> None:
        self.remove_user_slot(slot.username or "")
        self.slots.append(slot)

    def remove_user_slot(self, username: str) -> bool:
        """Drop the user's slot (a disabled user); True if there was one. Call ``save`` after."""
        wanted = username.casefold()
        kept = [
            s
            for s in self.slots
            if not (s.kind is KeySlotKind.USER and (s.username or "").casefold() == wanted)
        ]
        removed = len(kept) != len(self.slots)
        self.slots = kept
        return removed

    def save(self) -> None:
        document = {"format": KEY_FILE_FORMAT, "slots": [_slot_to_json(s) for s in self.slots]}
        atomic_write_text(self.path, json.dumps(document, indent=2) + "\n")

    @classmethod
    def load(cls, db_path: Path) -> KeyFile:
        path = cls.path_for(db_path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DatabaseOpenError(
                _(
                    "The key file {path} is missing; without it the database cannot be opened."
                ).format(path=path)
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise DatabaseOpenError(
                _("The key file {path} is damaged.").format(path=path)
            ) from None
        if not isinstance(document, dict) or document.get("format") != KEY_FILE_FORMAT:
            raise DatabaseOpenError(
                _("The key file {path} is not a COPE Desktop key file.").format(path=path)
            )
        try:
            slots = [slot_from_json(item) for item in document["slots"]]
        except (KeyError, TypeError, ValueError):
            raise DatabaseOpenError(
                _("The key file {path} is damaged.").format(path=path)
            ) from None
        return cls(path, slots)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _slot_to_json(slot: Slot) -> dict[str, object]:
    return {
        "id": str(slot.id),
        "kind": slot.kind.value,
        "user": slot.username,
        "kdf": {
            "name": "argon2id",
            "time_cost": slot.kdf.time_cost,
            "memory_cost_kib": slot.kdf.memory_cost_kib,
            "parallelism": slot.kdf.parallelism,
            "salt": _b64(slot.salt),
        },
        "nonce": _b64(slot.nonce),
        "wrapped_key": _b64(slot.wrapped_key),
        "created_at": slot.created_at.isoformat(),
    }


def slot_from_json(item: dict[str, object]) -> Slot:
    kdf = item["kdf"]
    if not isinstance(kdf, dict) or kdf.get("name") != "argon2id":
        raise ValueError("unknown key derivation")
    username = item.get("user")
    return Slot(
        id=uuid.UUID(str(item["id"])),
        kind=KeySlotKind(str(item["kind"])),
        username=str(username) if username is not None else None,
        salt=base64.b64decode(str(kdf["salt"]), validate=True),
        nonce=base64.b64decode(str(item["nonce"]), validate=True),
        wrapped_key=base64.b64decode(str(item["wrapped_key"]), validate=True),
        kdf=KdfParams(int(kdf["time_cost"]), int(kdf["memory_cost_kib"]), int(kdf["parallelism"])),
        created_at=dt.datetime.fromisoformat(str(item["created_at"])),
    )
