"""Names shown to people for the category codes in ``cope_desktop.db.enums``.

The codes are stored and exchanged; these names are marked for translation here once and
translated where they are shown, so every screen, report and import uses the same words.
"""

from __future__ import annotations

from enum import StrEnum

from cope_desktop.db.enums import (
    ActivityType,
    CaseStatus,
    ConsentKind,
    CustodyStatus,
    PrisonType,
    Rating,
    ReferralSource,
    Relationship,
    Role,
    ServiceType,
    Sex,
)
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
    Sex: {
        Sex.FEMALE: N_("Female"),
        Sex.MALE: N_("Male"),
        Sex.OTHER: N_("Other"),
        Sex.NOT_STATED: N_("Not stated"),
    },
    ReferralSource: {
        ReferralSource.SELF: N_("The family itself"),
        ReferralSource.SCHOOL: N_("School"),
        ReferralSource.PRISON: N_("Prison"),
        ReferralSource.SOCIAL_SERVICES: N_("Social services"),
        ReferralSource.POLICE_OR_COURT: N_("Police or court"),
        ReferralSource.OTHER_NGO: N_("Another NGO"),
        ReferralSource.OTHER: N_("Other"),
    },
    Relationship: {
        Relationship.FATHER: N_("Father"),
        Relationship.MOTHER: N_("Mother"),
        Relationship.STEP_PARENT: N_("Step-parent"),
        Relationship.SIBLING: N_("Sibling"),
        Relationship.GRANDPARENT: N_("Grandparent"),
        Relationship.OTHER: N_("Other relative"),
    },
    CustodyStatus: {
        CustodyStatus.PRE_TRIAL: N_("Pre-trial detention"),
        CustodyStatus.SENTENCED: N_("Sentenced"),
        CustodyStatus.RELEASED: N_("Released"),
    },
    CaseStatus: {
        CaseStatus.OPEN: N_("Open"),
        CaseStatus.CLOSED: N_("Closed"),
    },
    ServiceType: {
        ServiceType.INFORMATION_ADVICE: N_("Information and advice"),
        ServiceType.EMOTIONAL_SUPPORT: N_("Emotional support"),
        ServiceType.VISIT_PREPARATION: N_("Visit preparation"),
        ServiceType.SCHOOL_LIAISON: N_("School liaison"),
        ServiceType.REFERRAL: N_("Referral"),
        ServiceType.PRACTICAL_HELP: N_("Practical or financial help"),
        ServiceType.OTHER: N_("Other support"),
    },
    ConsentKind: {
        ConsentKind.DATA_PROCESSING: N_("Data processing"),
        ConsentKind.PHOTOS: N_("Photos"),
        ConsentKind.CONTACT: N_("Contact"),
        ConsentKind.CHILD_ASSENT: N_("Child's own assent"),
    },
    Rating: {
        Rating.POSITIVE: N_("Happy"),
        Rating.NEUTRAL: N_("So-so"),
        Rating.NEGATIVE: N_("Unhappy"),
    },
}


def label(value: StrEnum) -> str:
    """Return the translated name of a category code (the code itself if it has none yet)."""
    name = _NAMES.get(type(value), {}).get(value.value)
    return _(name) if name is not None else str(value.value)
