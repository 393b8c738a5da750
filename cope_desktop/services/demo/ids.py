"""Record ids for the demo: version-4 UUIDs from the seeded generator, in increasing order.

Every id is a version-4 UUID whose 122 free bits come from the fill's seeded
``random.Random``, so the same seed gives the same ids. They are handed out in increasing
order, though: each id is the previous one plus a random step, sized to spread the expected
number of ids over the whole range. A B-tree grows by appending when its keys arrive in order,
and by splitting pages all over the tree when they arrive at random: with ids drawn
independently (``uuid.UUID(int=rng.getrandbits(128), version=4)``) a stress fill took about
53 s on the reference machine, in order about 40 s (TARGETS.md P7 allows 60 s).
"""

from __future__ import annotations

import random
from collections.abc import Callable

_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_UUID_SET = (0x8000 << 48) | (0x4000 << 64)
_SPACE = 1 << 122
"""A version-4 UUID has 122 random bits; ids are positions in that range, spread in order."""
_LOW = (1 << 62) - 1
_MIDDLE = (1 << 12) - 1


StoredId = bytes
"""A UUID in the storage form of ``UUIDType`` on SQLite: its 16 bytes."""


def uuid_bytes(number: int) -> StoredId:
    """Turn a 128-bit number into a version-4 UUID in SQLite's storage form (16 bytes).

    The same as ``uuid.UUID(int=number, version=4).bytes``, without building a UUID object.
    """
    return ((number & _UUID_CLEAR) | _UUID_SET).to_bytes(16, "big")


def id_maker(rng: random.Random, expected: int) -> Callable[[], StoredId]:
    """Return a source of increasing random UUIDs, for about ``expected`` ids.

    More ids than expected can be drawn: the rest of the range is then spread over as many
    again. The ids stay unique; only their order may suffer when far more are drawn.
    """
    bits = rng.getrandbits
    planned = max(1, expected)
    position = issued = width = renew_at = 0

    def new_id() -> StoredId:
        nonlocal position, issued, planned, width, renew_at
        if issued >= renew_at:
            if issued >= planned:
                planned *= 2
            # Steps of at most twice the even spacing of the ids still to come, kept for a
            # batch of ids only while that many steps cannot reach the end of the range.
            remaining = planned - issued
            width = ((_SPACE - 1 - position) // (remaining + 1)).bit_length()
            renew_at = issued + (64 if remaining > 256 else 1)
        position += 1 + bits(width)
        issued += 1
        # The position's bits around the fixed version and variant bits: order is kept.
        number = (position >> 74 << 80) | ((position >> 62 & _MIDDLE) << 64) | (position & _LOW)
        return (number | _UUID_SET).to_bytes(16, "big")

    return new_id
