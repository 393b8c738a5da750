"""Damage in the write-ahead log that SQLite would pass over in silence (TARGETS.md R12).

After a crash the newest committed transactions may still be only in ``<database>-wal``.
SQLite reads that log up to the first frame whose checksum fails and ignores the rest. That
is right for the end of a log torn by a power cut (the transaction being written was never
acknowledged) but wrong for a flipped byte further back: every transaction committed after
the damaged frame would be dropped without a word, and the next checkpoint would make the
loss permanent. So before anything is written we look at the log ourselves.

Frame format (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte header, then
frames of a 24-byte header and one page. Checksums run on from frame to frame. A transaction
starts only after the previous commit was synced to disk, so frames that go on chaining
after a broken one, through a commit frame *and beyond it*, were written by transactions
committed after the damage: the log is damaged, not torn.
"""

from __future__ import annotations

import struct
from pathlib import Path

HEADER_BYTES = 32
HEADER_CHECKSUMMED_BYTES = 24
"""The header's checksum covers its first 24 bytes; the last 8 hold the checksum itself."""
FRAME_HEADER_BYTES = 24
MIN_PAGE_SIZE = 512
"""SQLite's smallest page size; a page size is a power of two from here to 65536."""
BYTE_ORDER = {0x377F0682: "<", 0x377F0683: ">"}
"""The header's magic number says in which byte order the checksums read the data."""
MASK = 0xFFFFFFFF

Checksum = tuple[int, int]


def _checksum(data: bytes, order: str, start: Checksum) -> Checksum:
    s1, s2 = start
    for x0, x1 in struct.iter_unpack(order + "II", data):
        s1 = (s1 + x0 + s2) & MASK
        s2 = (s2 + x1 + s1) & MASK
    return s1, s2


def loses_committed_frames(wal: Path) -> bool:
    """True when SQLite would drop transactions from ``wal`` that were committed."""
    try:
        data = wal.read_bytes()
    except FileNotFoundError:
        return False
    if len(data) < HEADER_BYTES:
        return False
    magic, _version, page_size, _sequence, salt1, salt2, c1, c2 = struct.unpack_from(">8I", data)
    order = BYTE_ORDER.get(magic)
    if order is None or page_size < MIN_PAGE_SIZE or page_size & (page_size - 1):
        return False  # not a log SQLite would read either; nothing in it counts as committed
    computed = _checksum(data[:HEADER_CHECKSUMMED_BYTES], order, (0, 0))
    broken = computed != (c1, c2)
    # While the log is whole there is one chain value. After a break there are two: the
    # frame's stored checksum (its data was changed) or the one its data gives (the stored
    # checksum itself was changed).
    chain = {(c1, c2), computed} if broken else {computed}
    commit_seen = False
    frame_bytes = FRAME_HEADER_BYTES + page_size
    for offset in range(HEADER_BYTES, len(data) - frame_bytes + 1, frame_bytes):
        header = data[offset : offset + FRAME_HEADER_BYTES]
        _page, commit, f_salt1, f_salt2, f1, f2 = struct.unpack(">6I", header)
        body = header[:8] + data[offset + FRAME_HEADER_BYTES : offset + frame_bytes]
        results = {_checksum(body, order, start) for start in chain}
        fits = (f1, f2) in results and (f_salt1, f_salt2) == (salt1, salt2)
        if broken and not fits:
            return False  # the chain ends: a torn tail, or frames left from earlier use
        if broken and commit_seen:
            return True  # a frame written after a commit that SQLite would drop
        if not fits:  # the first frame SQLite would not read: from here on, chain by hand
            broken = True
            chain = {(f1, f2), *results}
        else:
            chain = {(f1, f2)}
        commit_seen = broken and commit != 0
    return False
