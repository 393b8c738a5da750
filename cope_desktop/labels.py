"""Names shown to people for the category codes in ``cope_desktop.db.enums``.

The codes are stored and exchanged; these names are marked for translation here once and
translated where they are shown, so every screen, report and import uses the same words.
"""

from __future__ import annotations

from enum import StrEnum

from cope_desktop.db.enums import ActivityType, PrisonType, Role
from cope_desktop.i18n import N_, _

# Keyed by enum class first: StrEnum members equal their codes, and codes repeat across enums.
_NAMES: dict[type[StrEnum], dict[str, str]] = {
    ActivityType: {
        ActivityType.PRISON_VISIT: N_("Accompanied prison visit"),
        ActivityType.FAMILY_DAY: N_("Family day"),
        ActivityType.GAME_WITH_MUM_AND_DAD: N_("Game with Mum & Dad"),
        ActivityType.SUPPORT_GROUP: N_("Support group"),
        ActivityType.SCHOOL_SESSION: N_("School session"),
        ActivityType.VISITING_ROOM_SESSION: N_("Child-friendly visiting room session"),
        ActivityType.PARENTING_COURSE: N_("Parenting course in prison"),
        ActivityType.HELPLINE: N_("Helpline contact"),
        ActivityType.OTHER: N_("Other activity"),
    },
    PrisonType: {
        PrisonType.MEN: N_("Men"),
        PrisonType.WOMEN: N_("Women"),
        PrisonType.MIXED: N_("Mixed"),
        PrisonType.YOUTH: N_("Youth"),
    },
    Role: {
        Role.CASEWORKER: N_("Caseworker"),
        Role.COORDINATOR: N_("Coordinator"),
        Role.ADMINISTRATOR: N_("Administrator"),
    },
}


def label(value: StrEnum) -> str:
    """Return the translated name of a category code (the code itself if it has none yet)."""
    name = _NAMES.get(type(value), {}).get(value.value)
    return _(name) if name is not None else str(value.value)
