"""Column types shared by the model modules."""

from enum import StrEnum

from sqlalchemy import Enum


def code_enum(enum_cls: type[StrEnum], name: str) -> Enum:
    """Store an enum as its code in a VARCHAR with a CHECK constraint (portable, readable)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
