"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cope_desktop.db.base import UUIDType  # storage fixed forever: 16 bytes, native on PostgreSQL


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organisation',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('cope_member_id', sa.String(length=40), nullable=True),
    sa.Column('stores_names', sa.Boolean(), nullable=False),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )
    op.create_table('prison',
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('type', sa.Enum('men', 'women', 'mixed', 'youth', name='prison_type', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('visiting_facilities', sa.Text(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prison')),
    sa.UniqueConstraint('reference', name=op.f('uq_prison_reference'))
    )
    with op.batch_alter_table('prison', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prison_country'), ['country'], unique=False)

    op.create_table('user_account',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('caseworker', 'coordinator', 'administrator', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('activity',
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('type', sa.Enum('prison_visit', 'family_day', 'game_with_mum_and_dad', 'support_group', 'school_session', 'visiting_room_session', 'parenting_course', 'helpline', 'other', name='activity_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('prison_id', UUIDType(), nullable=True),
    sa.Column('staff', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('duration_minutes IS NULL OR duration_minutes >= 0', name=op.f('ck_activity_duration')),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], name=op.f('fk_activity_prison_id_prison')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity')),
    sa.UniqueConstraint('reference', name=op.f('uq_activity_reference'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_date_type', ['held_on', 'type'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_prison_id'), ['prison_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', UUIDType(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', UUIDType(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('id', UUIDType(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_audit_event_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('sequence', name=op.f('uq_audit_event_sequence'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_user_id'), ['user_id'], unique=False)

    op.create_table('family',
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('close_reason', sa.String(length=200), nullable=True),
    sa.Column('referral_source', sa.Enum('self', 'school', 'prison', 'social_services', 'police_or_court', 'other_ngo', 'other', name='referral_source', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('caseworker_id', UUIDType(), nullable=True),
    sa.Column('notes_allowed', sa.Boolean(), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('closed_on IS NULL OR closed_on >= opened_on', name=op.f('ck_family_closed_after_opened')),
    sa.ForeignKeyConstraint(['caseworker_id'], ['user_account.id'], name=op.f('fk_family_caseworker_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family')),
    sa.UniqueConstraint('reference', name=op.f('uq_family_reference'))
    )
    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_caseworker_id'), ['caseworker_id'], unique=False)
        batch_op.create_index('ix_family_period', ['opened_on', 'closed_on'], unique=False)

    op.create_table('key_slot',
    sa.Column('kind', sa.Enum('user', 'recovery', name='key_slot_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('user_id', UUIDType(), nullable=True),
    sa.Column('kdf', sa.String(length=20), nullable=False),
    sa.Column('time_cost', sa.Integer(), nullable=False),
    sa.Column('memory_cost_kib', sa.Integer(), nullable=False),
    sa.Column('parallelism', sa.Integer(), nullable=False),
    sa.Column('salt', sa.LargeBinary(length=64), nullable=False),
    sa.Column('nonce', sa.LargeBinary(length=32), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', UUIDType(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_key_slot_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_slot'))
    )
    with op.batch_alter_table('key_slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_slot_user_id'), ['user_id'], unique=False)

    op.create_table('release_log',
    sa.Column('kind', sa.Enum('network_return', 'internal_report', name='release_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', UUIDType(), nullable=True),
    sa.Column('file_format', sa.String(length=10), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=True),
    sa.Column('checksum', sa.String(length=80), nullable=True),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('suppression', sa.JSON(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_release_log_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_log'))
    )
    op.create_table('caregiver',
    sa.Column('family_id', UUIDType(), nullable=False),
    sa.Column('relationship_to_children', sa.String(length=60), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('is_main', sa.Boolean(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_caregiver_family_id_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_caregiver')),
    sa.UniqueConstraint('reference', name=op.f('uq_caregiver_reference'))
    )
    with op.batch_alter_table('caregiver', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caregiver_family_id'), ['family_id'], unique=False)

    op.create_table('case_note',
    sa.Column('family_id', UUIDType(), nullable=False),
    sa.Column('author_id', UUIDType(), nullable=True),
    sa.Column('written_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_case_note_author_id_user_account')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_case_note_family_id_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_note'))
    )
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_note_family_id'), ['family_id'], unique=False)

    op.create_table('child',
    sa.Column('family_id', UUIDType(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('birth_month', sa.Integer(), nullable=True),
    sa.Column('sex', sa.Enum('female', 'male', 'other', 'not_stated', name='sex', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('school_level', sa.String(length=60), nullable=True),
    sa.Column('knows_parent_location', sa.Boolean(), nullable=True),
    sa.Column('support_start', sa.Date(), nullable=True),
    sa.Column('support_end', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('birth_month IS NULL OR birth_month BETWEEN 1 AND 12', name=op.f('ck_child_month')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_child_family_id_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child')),
    sa.UniqueConstraint('reference', name=op.f('uq_child_reference'))
    )
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_family_id'), ['family_id'], unique=False)

    op.create_table('imprisoned_relative',
    sa.Column('family_id', UUIDType(), nullable=False),
    sa.Column('prison_id', UUIDType(), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_imprisoned_relative_family_id_family')),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], name=op.f('fk_imprisoned_relative_prison_id_prison')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imprisoned_relative')),
    sa.UniqueConstraint('reference', name=op.f('uq_imprisoned_relative_reference'))
    )
    with op.batch_alter_table('imprisoned_relative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imprisoned_relative_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_imprisoned_relative_prison_id'), ['prison_id'], unique=False)

    op.create_table('attendance',
    sa.Column('activity_id', UUIDType(), nullable=False),
    sa.Column('kind', sa.Enum('child', 'caregiver', 'relative', 'anonymous_children', 'anonymous_adults', name='attendee_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('child_id', UUIDType(), nullable=True),
    sa.Column('caregiver_id', UUIDType(), nullable=True),
    sa.Column('relative_id', UUIDType(), nullable=True),
    sa.Column('head_count', sa.Integer(), nullable=False),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(kind = 'child' AND child_id IS NOT NULL AND caregiver_id IS NULL AND relative_id IS NULL AND head_count = 1) OR (kind = 'caregiver' AND caregiver_id IS NOT NULL AND child_id IS NULL AND relative_id IS NULL AND head_count = 1) OR (kind = 'relative' AND relative_id IS NOT NULL AND child_id IS NULL AND caregiver_id IS NULL AND head_count = 1) OR (kind IN ('anonymous_children', 'anonymous_adults') AND child_id IS NULL AND caregiver_id IS NULL AND relative_id IS NULL AND head_count >= 0)", name=op.f('ck_attendance_one_attendee')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_attendance_activity_id_activity')),
    sa.ForeignKeyConstraint(['caregiver_id'], ['caregiver.id'], name=op.f('fk_attendance_caregiver_id_caregiver')),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_attendance_child_id_child')),
    sa.ForeignKeyConstraint(['relative_id'], ['imprisoned_relative.id'], name=op.f('fk_attendance_relative_id_imprisoned_relative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_relative_id'), ['relative_id'], unique=False)

    op.create_table('child_relative',
    sa.Column('child_id', UUIDType(), nullable=False),
    sa.Column('relative_id', UUIDType(), nullable=False),
    sa.Column('relationship_to_child', sa.Enum('father', 'mother', 'step_parent', 'sibling', 'grandparent', 'other', name='relationship', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_child_relative_child_id_child')),
    sa.ForeignKeyConstraint(['relative_id'], ['imprisoned_relative.id'], name=op.f('fk_child_relative_relative_id_imprisoned_relative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_relative')),
    sa.UniqueConstraint('child_id', 'relative_id', name='uq_child_relative_pair')
    )
    with op.batch_alter_table('child_relative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_relative_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_relative_relative_id'), ['relative_id'], unique=False)

    op.create_table('consent',
    sa.Column('family_id', UUIDType(), nullable=False),
    sa.Column('child_id', UUIDType(), nullable=True),
    sa.Column('kind', sa.Enum('data_processing', 'photos', 'contact', 'child_assent', name='consent_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('given_by', sa.String(length=200), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('withdrawn_on IS NULL OR withdrawn_on >= given_on', name=op.f('ck_consent_withdrawn_after_given')),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_consent_child_id_child')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_consent_family_id_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_family_id'), ['family_id'], unique=False)

    op.create_table('custody_event',
    sa.Column('relative_id', UUIDType(), nullable=False),
    sa.Column('status', sa.Enum('pre_trial', 'sentenced', 'released', name='custody_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('prison_id', UUIDType(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], name=op.f('fk_custody_event_prison_id_prison')),
    sa.ForeignKeyConstraint(['relative_id'], ['imprisoned_relative.id'], name=op.f('fk_custody_event_relative_id_imprisoned_relative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_event'))
    )
    with op.batch_alter_table('custody_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custody_event_relative_id'), ['relative_id'], unique=False)

    op.create_table('feedback',
    sa.Column('activity_id', UUIDType(), nullable=False),
    sa.Column('child_id', UUIDType(), nullable=True),
    sa.Column('rating', sa.Enum('positive', 'neutral', 'negative', name='rating', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('face', sa.Integer(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('quote_approved', sa.Boolean(), nullable=False),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('face IS NULL OR face BETWEEN 1 AND 5', name=op.f('ck_feedback_face')),
    sa.CheckConstraint('quote_approved = 0 OR quote IS NOT NULL', name=op.f('ck_feedback_approved_quote')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_feedback_activity_id_activity')),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_feedback_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_child_id'), ['child_id'], unique=False)

    op.create_table('support_service',
    sa.Column('family_id', UUIDType(), nullable=False),
    sa.Column('child_id', UUIDType(), nullable=True),
    sa.Column('service', sa.Enum('information_advice', 'emotional_support', 'visit_preparation', 'school_liaison', 'referral', 'practical_help', 'other', name='service_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('provided_on', sa.Date(), nullable=False),
    sa.Column('provided_by_id', UUIDType(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', UUIDType(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_support_service_child_id_child')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_support_service_family_id_family')),
    sa.ForeignKeyConstraint(['provided_by_id'], ['user_account.id'], name=op.f('fk_support_service_provided_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_service'))
    )
    with op.batch_alter_table('support_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_service_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_service_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_service_provided_on'), ['provided_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('support_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_service_provided_on'))
        batch_op.drop_index(batch_op.f('ix_support_service_family_id'))
        batch_op.drop_index(batch_op.f('ix_support_service_child_id'))

    op.drop_table('support_service')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_child_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_activity_id'))

    op.drop_table('feedback')
    with op.batch_alter_table('custody_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_custody_event_relative_id'))

    op.drop_table('custody_event')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_family_id'))

    op.drop_table('consent')
    with op.batch_alter_table('child_relative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_relative_relative_id'))
        batch_op.drop_index(batch_op.f('ix_child_relative_child_id'))

    op.drop_table('child_relative')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_relative_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_child_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_activity_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('imprisoned_relative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imprisoned_relative_prison_id'))
        batch_op.drop_index(batch_op.f('ix_imprisoned_relative_family_id'))

    op.drop_table('imprisoned_relative')
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_family_id'))

    op.drop_table('child')
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_note_family_id'))

    op.drop_table('case_note')
    with op.batch_alter_table('caregiver', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caregiver_family_id'))

    op.drop_table('caregiver')
    op.drop_table('release_log')
    with op.batch_alter_table('key_slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_slot_user_id'))

    op.drop_table('key_slot')
    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.drop_index('ix_family_period')
        batch_op.drop_index(batch_op.f('ix_family_caseworker_id'))

    op.drop_table('family')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_object_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_prison_id'))
        batch_op.drop_index('ix_activity_date_type')

    op.drop_table('activity')
    op.drop_table('user_account')
    with op.batch_alter_table('prison', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prison_country'))

    op.drop_table('prison')
    op.drop_table('organisation')
