"""Category codes of the domain (BRIEF.md, INTERCHANGE.md, REPORT-SPEC.md).

The values are the codes stored in the database and used in files; names shown to people
come from ``cope_desktop.labels`` through the translation catalogs.
"""

from enum import StrEnum


class Role(StrEnum):
    CASEWORKER = "caseworker"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"


class KeySlotKind(StrEnum):
    USER = "user"
    RECOVERY = "recovery"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_STATED = "not_stated"


class ReferralSource(StrEnum):
    SELF = "self"
    SCHOOL = "school"
    PRISON = "prison"
    SOCIAL_SERVICES = "social_services"
    POLICE_OR_COURT = "police_or_court"
    OTHER_NGO = "other_ngo"
    OTHER = "other"


class Relationship(StrEnum):
    """How an imprisoned relative is related to a child."""

    FATHER = "father"
    MOTHER = "mother"
    STEP_PARENT = "step_parent"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    OTHER = "other"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CustodyStatus(StrEnum):
    PRE_TRIAL = "pre_trial"
    SENTENCED = "sentenced"
    RELEASED = "released"


class PrisonType(StrEnum):
    MEN = "men"
    WOMEN = "women"
    MIXED = "mixed"
    YOUTH = "youth"


class ActivityType(StrEnum):
    PRISON_VISIT = "prison_visit"
    FAMILY_DAY = "family_day"
    GAME_WITH_MUM_AND_DAD = "game_with_mum_and_dad"
    SUPPORT_GROUP = "support_group"
    SCHOOL_SESSION = "school_session"
    VISITING_ROOM_SESSION = "visiting_room_session"
    PARENTING_COURSE = "parenting_course"
    HELPLINE = "helpline"
    OTHER = "other"


class AttendeeKind(StrEnum):
    """Who an attendance row stands for: one named person, or a head count of people not on file."""

    CHILD = "child"
    CAREGIVER = "caregiver"
    RELATIVE = "relative"
    ANONYMOUS_CHILDREN = "anonymous_children"
    ANONYMOUS_ADULTS = "anonymous_adults"


class Rating(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class ServiceType(StrEnum):
    INFORMATION_ADVICE = "information_advice"
    EMOTIONAL_SUPPORT = "emotional_support"
    VISIT_PREPARATION = "visit_preparation"
    SCHOOL_LIAISON = "school_liaison"
    REFERRAL = "referral"
    PRACTICAL_HELP = "practical_help"
    OTHER = "other"


class ConsentKind(StrEnum):
    DATA_PROCESSING = "data_processing"
    PHOTOS = "photos"
    CONTACT = "contact"
    CHILD_ASSENT = "child_assent"


class ReleaseKind(StrEnum):
    NETWORK_RETURN = "network_return"
    INTERNAL_REPORT = "internal_report"
