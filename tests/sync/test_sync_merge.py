"""Merging two states of one row: a join, so copies agree whatever order bundles arrive in."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from cope_desktop.sync.model import (
    GENESIS_DOT,
    Candidate,
    Dot,
    RowState,
    choices,
    conflicted,
    merge,
)

DEVICES = ("laptop-a", "laptop-b", "office")
FIELDS = ("first_name", "phone")
BASE = RowState({}, {name: (Candidate("old", GENESIS_DOT),) for name in FIELDS}, False)


@dataclass
class Copy:
    """One copy of the row on a device, writing with its own counter."""

    device: str
    state: RowState = BASE
    counter: int = 0
    history: list[RowState] = field(default_factory=list)

    def write(self, values: dict[str, str], clock: int) -> None:
        self.counter += 1
        dot = Dot(self.device, self.counter)
        fields = dict(self.state.fields)
        for name, value in values.items():
            fields[name] = (Candidate(value, dot),)
        fields["updated_at"] = (Candidate(f"2024-06-{clock:02d}", dot),)
        vv = {**self.state.vv, self.device: self.counter}
        self.state = RowState(vv, fields, self.state.deleted)
        self.history.append(self.state)

    def delete(self) -> None:
        self.counter += 1
        vv = {**self.state.vv, self.device: self.counter}
        self.state = RowState(vv, {}, True)
        self.history.append(self.state)

    def receive(self, other: RowState) -> None:
        self.state = merge(self.state, other)
        self.history.append(self.state)


operations = st.lists(
    st.tuples(
        st.sampled_from(("write", "write", "sync", "sync", "delete")),
        st.integers(0, 2),
        st.integers(0, 2),
        st.sampled_from(FIELDS),
        st.sampled_from(("Anna", "Zoë", "Piotr")),
    ),
    max_size=14,
)


def simulate(ops: list[tuple[str, int, int, str, str]]) -> list[RowState]:
    """Every state the copies went through while writing, deleting and exchanging bundles."""
    copies = [Copy(device) for device in DEVICES]
    for clock, (kind, first, second, name, value) in enumerate(ops, start=1):
        if kind == "write" and not copies[first].state.deleted:
            copies[first].write({name: value}, clock)
        elif kind == "delete" and clock % 4 == 0:
            copies[first].delete()
        elif kind == "sync":
            copies[second].receive(copies[first].state)
    return [BASE] + [state for copy in copies for state in copy.history]


states = st.builds(simulate, operations)


@settings(max_examples=150, deadline=None)
@given(states, st.data())
def test_merge_is_commutative_associative_and_idempotent(
    seen: list[RowState], data: st.DataObject
) -> None:
    pick = st.sampled_from(seen)
    a, b, c = data.draw(pick), data.draw(pick), data.draw(pick)
    assert merge(a, b) == merge(b, a)
    assert merge(merge(a, b), c) == merge(a, merge(b, c))
    assert merge(a, a) == a
    assert merge(merge(a, b), b) == merge(a, b)


@settings(max_examples=100, deadline=None)
@given(states, st.data())
def test_bundles_in_any_order_give_the_same_row(seen: list[RowState], data: st.DataObject) -> None:
    bundles = data.draw(st.lists(st.sampled_from(seen), min_size=1, max_size=5))
    shuffled = data.draw(st.permutations(bundles))
    first = second = BASE
    for state in bundles:
        first = merge(first, state)
    for state in shuffled:
        second = merge(second, state)
        second = merge(second, state)  # the same bundle imported twice changes nothing
    assert first == second


def _two_copies() -> tuple[Copy, Copy]:
    return Copy("laptop-a"), Copy("office")


def test_changes_to_different_fields_merge_without_conflict() -> None:
    laptop, office = _two_copies()
    laptop.write({"phone": "333 1234"}, 1)
    office.write({"first_name": "Anna"}, 2)
    merged = merge(office.state, laptop.state)
    assert conflicted(merged) == []
    assert merged.value("phone") == "333 1234"
    assert merged.value("first_name") == "Anna"
    assert merged.value("updated_at") == "2024-06-02"
    assert merged.vv == {"laptop-a": 1, "office": 1}


def test_the_same_field_changed_on_both_sides_is_a_conflict() -> None:
    laptop, office = _two_copies()
    laptop.write({"phone": "333 1234"}, 1)
    office.write({"phone": "02 555"}, 2)
    merged = merge(office.state, laptop.state)
    assert conflicted(merged) == ["phone"]
    assert {c.value for c in choices(merged.fields["phone"])} == {"333 1234", "02 555"}
    # Both copies show the same value until a person chooses: the greatest dot (counter, device).
    assert merged.value("phone") == merge(laptop.state, office.state).value("phone") == "02 555"


def test_a_later_change_made_after_seeing_the_other_is_no_conflict() -> None:
    laptop, office = _two_copies()
    laptop.write({"phone": "333 1234"}, 1)
    office.receive(laptop.state)
    office.write({"phone": "02 555"}, 2)
    assert conflicted(merge(laptop.state, office.state)) == []
    assert merge(laptop.state, office.state).value("phone") == "02 555"


def test_the_same_change_made_on_both_sides_collapses() -> None:
    laptop, office = _two_copies()
    laptop.write({"phone": "333 1234"}, 1)
    office.write({"phone": "333 1234"}, 2)
    merged = merge(office.state, laptop.state)
    assert conflicted(merged) == []
    assert choices(merged.fields["phone"]) == (Candidate("333 1234", Dot("office", 1)),)


def test_a_tombstone_wins_over_any_change() -> None:
    laptop, office = _two_copies()
    office.delete()
    laptop.write({"phone": "333 1234"}, 1)
    laptop.write({"first_name": "Zoë"}, 2)
    for merged in (merge(laptop.state, office.state), merge(office.state, laptop.state)):
        assert merged.deleted
        assert merged.fields == {}
        assert merged.vv == {"laptop-a": 2, "office": 1}


def test_a_resolution_supersedes_every_candidate_on_every_copy() -> None:
    laptop, office = _two_copies()
    other = Copy("laptop-b")
    laptop.write({"phone": "333 1234"}, 1)
    office.write({"phone": "02 555"}, 2)
    other.receive(laptop.state)
    office.receive(laptop.state)
    assert conflicted(office.state) == ["phone"]
    office.write({"phone": "333 1234 (mobile)"}, 3)  # the person's choice: a new write
    for copy in (laptop, other, office):
        merged = merge(copy.state, office.state)
        assert conflicted(merged) == []
        assert merged.value("phone") == "333 1234 (mobile)"


def test_a_row_new_to_this_copy_is_taken_as_it_is() -> None:
    laptop = Copy("laptop-a")
    laptop.write({"phone": "333 1234"}, 1)
    assert merge(None, laptop.state) == laptop.state
