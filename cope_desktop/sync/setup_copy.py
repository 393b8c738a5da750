"""A new copy (a field laptop) made from a full bundle, where no database exists yet.

The user's password unlocks the data key from the key slots in the bundle's header, so the
new file is encrypted with the same key as the original and opens with the same passwords.
It is built under a temporary name beside the target and renamed into place (with its
``.keys`` file) only when complete: an interrupted set-up leaves nothing half-made.

The new copy gets its own device id and a reference tag made from it (``7QK2``), so the
references it gives new records cannot clash with the office's. The rows keep the metadata
they had in the bundle; the source device becomes a peer whose changes up to the bundle's
``seq`` are already here.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from cope_desktop.db.database import create_schema
from cope_desktop.db.keys import KeyFile, Slot, slot_from_json
from cope_desktop.db.models import AppSetting, User
from cope_desktop.db.models.sync import SyncDevice, SyncField, SyncHistory, SyncPeer, SyncRow
from cope_desktop.errors import WrongCredentialsError
from cope_desktop.i18n import _
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.services import audit, search_terms
from cope_desktop.services.setup import check_new_location
from cope_desktop.sync import capture, values
from cope_desktop.sync import payload as pl
from cope_desktop.sync.apply import device_label, foreign_event, store_audit_marks
from cope_desktop.sync.bundle import BundleError, read_bundle, read_header
from cope_desktop.sync.model import SYNCED_TABLES, stored_candidates, winner

log = logging.getLogger(__name__)

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BATCH = 20_000


def reference_tag(device_id: uuid.UUID) -> str:
    """Four Crockford base32 characters from the first 20 bits of the device id."""
    bits = device_id.int >> (128 - 20)
    return "".join(CROCKFORD[(bits >> shift) & 31] for shift in (15, 10, 5, 0))


def _decoded(tbl: Table, columns: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    decoders = [values.decoder(tbl.c[name]) for name in columns]
    out: list[dict[str, Any]] = []
    for row in rows:
        out.append(
            {
                name: value if value is None or fn is None else fn(value)
                for name, value, fn in zip(columns, row, decoders, strict=True)
            }
        )
    return out


def create_copy(
    bundle_path: Path, db_path: Path, username: str, password: str, name: str
) -> ProgressGenerator[uuid.UUID]:
    """Make a new copy at ``db_path`` from a full bundle; returns the new device's id."""
    header = read_header(bundle_path)
    if not header.is_full:
        raise BundleError(
            _(
                "The bundle {name} holds only changes; a new copy is made from a full bundle "
                "(prepared by an administrator on the office computer)."
            ).format(name=bundle_path.name)
        )
    check_new_location(db_path)
    name = name.strip() or _("Field laptop")
    total = len(SYNCED_TABLES) + 4
    yield Progress(0, total, _("Unlocking the bundle…"))
    key_file = KeyFile(KeyFile.path_for(db_path), _slots(header.key_slots))
    try:
        data_key = key_file.unlock(username, password)
    except WrongCredentialsError:
        raise WrongCredentialsError(_("The user name or password is not correct.")) from None
    header, payload = read_bundle(bundle_path, data_key, header.organisation_id)
    if not _active_user(payload, username):
        raise WrongCredentialsError(_("This user account is disabled or does not exist."))
    building = db_path.with_name(db_path.name + ".creating")
    _remove_leftovers(building)
    yield Progress(1, total, _("Creating the new copy…"))
    db = create_schema(building, data_key, key_file)
    try:
        with db.session() as session:
            session.info[capture.APPLYING] = True
            device_id = yield from _fill(session, header, payload, username, name, total)
    except BaseException:
        db.close()
        _remove_leftovers(building)
        raise
    db.close()
    key_file.save()
    building.replace(db_path)
    log.info("created copy %s from %s", db_path, bundle_path.name)
    yield Progress(total, total, _("The new copy is ready."))
    return device_id


def _slots(slots: list[dict[str, Any]]) -> list[Slot]:
    """The header's key slots, parsed as a ``.keys`` file's are."""
    try:
        return [slot_from_json(item) for item in slots]
    except (KeyError, TypeError, ValueError):
        raise BundleError(_("The key slots in the bundle are damaged.")) from None


def _active_user(payload: dict[str, Any], username: str) -> bool:
    wanted = username.strip().casefold()
    return any(
        str(user.get("username", "")).casefold() == wanted and user.get("is_active", True)
        for user in payload.get("users", [])
    )


def _fill(
    session: Session,
    header: Any,
    payload: dict[str, Any],
    username: str,
    name: str,
    total: int,
) -> ProgressGenerator[uuid.UUID]:
    conn = session.connection()
    org_table = pl.table("organisation")
    organisation = payload["organisation"]
    columns = list(organisation)
    conn.execute(insert(org_table), _decoded(org_table, columns, [list(organisation.values())]))
    user_table = pl.table("user_account")
    for item in payload.get("users", []):
        row = dict(item)
        row["created_at"] = values.decode_datetime(row["created_at"])
        row["updated_at"] = row["created_at"]
        conn.execute(
            insert(user_table).values(
                id=uuid.UUID(row["id"]),
                username=row["username"],
                display_name=row["display_name"],
                role=row["role"],
                is_active=bool(row["is_active"]),
                created_at=row["created_at"],
                updated_at=row["updated_at"],
                failed_logins=0,
            )
        )
    slot_table = pl.table("key_slot")
    slot_rows = payload.get("key_slot_rows", [])
    if slot_rows:
        slot_columns = [column.name for column in slot_table.columns]
        conn.execute(insert(slot_table), _decoded(slot_table, slot_columns, slot_rows))
    for key, value in payload.get("settings", []):
        session.add(AppSetting(key=key, value=value))
    session.flush()
    step = 2
    for table_name in SYNCED_TABLES:
        data = payload.get("tables", {}).get(table_name)
        if data:
            _copy_table(session, table_name, data)
        yield Progress(step, total, _("Copying the records…"))
        step += 1
    device_id = _devices(session, header, payload, name)
    _append_audit(session, payload.get("audit", []))
    search_terms.rebuild_all(session)
    store_audit_marks(session, uuid.UUID(header.device_id), payload.get("audit_marks", {}))
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        user = next(
            u for u in session.scalars(select(User)) if u.username.casefold() == username.casefold()
        )
    session.add(
        SyncHistory(
            device_id=uuid.UUID(header.device_id),
            direction="import",
            file_name="",
            kind=header.kind,
            rows=header.rows,
            conflicts=0,
            detail=_("This copy was made from a full bundle of {device}.").format(
                device=device_label(header.device_name)
            ),
            user_id=user.id,
        )
    )
    audit.record(
        session,
        "sync_import",
        user_id=user.id,
        username=user.username,
        object_type="sync_device",
        object_id=uuid.UUID(header.device_id),
        detail=f"kind=full rows={header.rows}",
    )
    return device_id


def _copy_table(session: Session, table_name: str, data: dict[str, Any]) -> None:
    conn = session.connection()
    tbl = pl.table(table_name)
    columns: list[str] = data["columns"]
    rows: list[list[Any]] = data["rows"]
    pl.insert_raw(session, tbl, columns, rows)
    meta_rows: list[dict[str, Any]] = []
    field_rows: list[dict[str, Any]] = []
    conflict_rows: list[dict[str, Any]] = []
    for row_id, (vv, fields) in data.get("meta", {}).items():
        rid = uuid.UUID(row_id)
        meta_rows.append(
            {"table_name": table_name, "row_id": rid, "vv": vv, "deleted": False, "seq": 0}
        )
        for field_name, info in fields.items():
            if info and isinstance(info[0], dict):
                best = winner(stored_candidates(info)).dot
                device, counter, candidates = best.device, best.counter, info
            else:
                device, counter, candidates = info[0], info[1], None
            field_row = {
                "table_name": table_name,
                "row_id": rid,
                "field": field_name,
                "device": uuid.UUID(str(device)),
                "counter": int(counter),
            }
            if candidates is None:
                field_rows.append(field_row)  # candidates stays SQL NULL (not JSON null)
            else:
                conflict_rows.append({**field_row, "candidates": candidates})
    for row_id, vv in data.get("deleted", {}).items():
        meta_rows.append(
            {
                "table_name": table_name,
                "row_id": uuid.UUID(row_id),
                "vv": vv,
                "deleted": True,
                "seq": 0,
            }
        )
    for start in range(0, len(meta_rows), BATCH):
        conn.execute(insert(SyncRow), meta_rows[start : start + BATCH])
    for rows_of_fields in (field_rows, conflict_rows):
        for start in range(0, len(rows_of_fields), BATCH):
            conn.execute(insert(SyncField), rows_of_fields[start : start + BATCH])


def _devices(session: Session, header: Any, payload: dict[str, Any], name: str) -> uuid.UUID:
    me = pl.self_device(session)
    device_id = uuid.uuid4()
    session.execute(
        update(SyncDevice)
        .where(SyncDevice.id == me.id)
        .values(id=device_id, name=name, tag=reference_tag(device_id), counter=0, seq=0)
    )
    session.expire_all()
    for item in payload.get("devices", []):
        other = uuid.UUID(str(item["id"]))
        session.add(
            SyncDevice(
                id=other,
                name=str(item.get("name", "")),
                tag=str(item.get("tag", "")),
                is_self=False,
                counter=int(item.get("counter", 0)),
                seq=0,
            )
        )
    session.flush()
    source = uuid.UUID(header.device_id)
    source_row = session.get(SyncDevice, source)
    if source_row is not None and not source_row.name:
        source_row.name = header.device_name
    session.add(SyncPeer(device_id=source, their_seq=header.seq_to, acked_seq=0))
    # What the source had seen of the other copies is already here too.
    for peer_id, their_seq in payload.get("marks", {}).items():
        other = uuid.UUID(str(peer_id))
        if other not in (source, device_id) and session.get(SyncDevice, other) is not None:
            session.add(SyncPeer(device_id=other, their_seq=int(their_seq), acked_seq=0))
    session.flush()
    return device_id


def _append_audit(session: Session, events: list[list[Any]]) -> None:
    """The source's audit trail, in order, as the start of this copy's own chain."""
    users = set(session.scalars(select(User.id)))
    audit.append_chained(session, [foreign_event(row, users) for row in events])


def _remove_leftovers(building: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            building.with_name(building.name + suffix).unlink()
