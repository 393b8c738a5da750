"""Consent: the rules, withdrawal, and what a missing data processing consent blocks."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from records_support import OPENED, TODAY, Users, fields, new_family
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ConsentKind
from cope_desktop.errors import ValidationFailed
from cope_desktop.services.records import consent, families
from cope_desktop.services.records.archive import RecordKind, archive
from cope_desktop.services.records.drafts import ConsentDraft

DAY = dt.timedelta(days=1)


def data_consent_id(session: Session, users: Users, family_id: uuid.UUID) -> uuid.UUID:
    return families.read_family(session, users.caseworker, family_id).consents[0].id


def test_consent_is_current_from_given_until_withdrawn(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    assert not consent.has_data_consent(session, family_id, OPENED - DAY)
    assert consent.has_data_consent(session, family_id, OPENED)
    consent.withdraw_consent(
        session, users.caseworker, data_consent_id(session, users, family_id), dt.date(2024, 5, 1)
    )
    assert consent.has_data_consent(session, family_id, dt.date(2024, 4, 30))
    assert not consent.has_data_consent(session, family_id, dt.date(2024, 5, 1))
    view = families.read_family(session, users.caseworker, family_id)
    assert view.consents[0].withdrawn_on == dt.date(2024, 5, 1)
    assert not view.has_data_consent


def test_only_an_unarchived_data_processing_consent_counts(session: Session, users: Users) -> None:
    family_id = families.create_family(session, users.caseworker, new_family(consent=False))
    photos = ConsentDraft(ConsentKind.PHOTOS, "Anna Kowalska", OPENED)
    consent.save_consent(session, users.caseworker, family_id, None, photos)
    assert not consent.has_data_consent(session, family_id, TODAY)
    data = ConsentDraft(ConsentKind.DATA_PROCESSING, "Anna Kowalska", OPENED)
    consent_id = consent.save_consent(session, users.caseworker, family_id, None, data)
    assert consent.has_data_consent(session, family_id, TODAY)
    archive(session, users.caseworker, RecordKind.CONSENT, consent_id)
    assert not consent.has_data_consent(session, family_id, TODAY)


def test_consent_rules(session: Session, users: Users, family_id: uuid.UUID) -> None:
    other_family = families.create_family(session, users.caseworker, new_family())
    strangers_child = families.read_family(session, users.caseworker, other_family).children[0]

    def refused(draft: ConsentDraft) -> set[str]:
        with pytest.raises(ValidationFailed) as error:
            consent.save_consent(session, users.caseworker, family_id, None, draft)
        return fields(error)

    assert refused(ConsentDraft(ConsentKind.PHOTOS, " ", None)) == {"given_by", "given_on"}
    assert refused(ConsentDraft(ConsentKind.PHOTOS, "Anna", TODAY + DAY)) == {"given_on"}
    late = ConsentDraft(ConsentKind.PHOTOS, "Anna", OPENED, withdrawn_on=TODAY + DAY)
    assert refused(late) == {"withdrawn_on"}
    early = ConsentDraft(ConsentKind.PHOTOS, "Anna", OPENED, withdrawn_on=OPENED - DAY)
    assert refused(early) == {"withdrawn_on"}
    assert refused(ConsentDraft(ConsentKind.CHILD_ASSENT, "Zoë", OPENED)) == {"child_id"}
    stranger = ConsentDraft(ConsentKind.CHILD_ASSENT, "Zoë", OPENED, child_id=strangers_child.id)
    assert refused(stranger) == {"child_id"}


def test_a_childs_assent(session: Session, users: Users, family_id: uuid.UUID) -> None:
    child = families.read_family(session, users.caseworker, family_id).children[0]
    draft = ConsentDraft(ConsentKind.CHILD_ASSENT, "Zoë", OPENED, child_id=child.id)
    consent_id = consent.save_consent(session, users.caseworker, family_id, None, draft)
    saved = families.read_family(session, users.caseworker, family_id).consents
    assert (consent_id, child.id) in {(view.id, view.child_id) for view in saved}


def test_withdrawal_rules(session: Session, users: Users, family_id: uuid.UUID) -> None:
    consent_id = data_consent_id(session, users, family_id)
    for withdrawn_on in (None, OPENED - DAY, TODAY + DAY):
        with pytest.raises(ValidationFailed) as error:
            consent.withdraw_consent(session, users.caseworker, consent_id, withdrawn_on)
        assert fields(error) == {"withdrawn_on"}
    consent.withdraw_consent(session, users.caseworker, consent_id, TODAY)
    with pytest.raises(ValidationFailed) as error:
        consent.withdraw_consent(session, users.caseworker, consent_id, TODAY)
    assert fields(error) == {"withdrawn_on"}


def test_require_data_consent(session: Session, users: Users) -> None:
    family_id = families.create_family(session, users.caseworker, new_family(consent=False))
    with pytest.raises(ValidationFailed) as error:
        consent.require_data_consent(session, family_id)
    assert fields(error) == {""}
    assert "consent" in error.value.message
    draft = ConsentDraft(ConsentKind.DATA_PROCESSING, "Anna", OPENED)
    consent.save_consent(session, users.caseworker, family_id, None, draft)
    consent.require_data_consent(session, family_id)


def test_consent_blocks_are_sentences() -> None:
    blocks = consent.consent_blocks()
    assert len(blocks) == 3
    assert all(block.endswith(".") for block in blocks)
