"""process capture: attachments, step rules (SPEC §5, §6)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

The attachments of activities (photos, voice notes, documents: the files live in the upload
directory, the table holds their metadata), and three indexes on step_instances: one instance per
(step, triggering activity) and per (step, completing activity), so that applying an activity's
step effects twice cannot count it twice, and open instances found by customer. New table and
indexes only: every existing row stays as it is (the demo never repeats a trigger or completion).
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('original_name', sa.String(length=120), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_attachments_size_nonnegative')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_attachments_activity_id_activities')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_attachments_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_attachments_team_id_teams')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_attachments_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index('ix_attachments_owner_created', ['owner_id', 'created_at'], unique=False)
        batch_op.create_index('ix_attachments_team_created', ['team_id', 'created_at'], unique=False)

    with op.batch_alter_table('step_instances', schema=None) as batch_op:
        batch_op.create_index('uq_step_instances_step_trigger', ['step_id', 'trigger_activity_id'], unique=True)
        batch_op.create_index('uq_step_instances_step_completing', ['step_id', 'completing_activity_id'],
                              unique=True)
        batch_op.create_index('ix_step_instances_customer', ['customer_id', 'step_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('step_instances', schema=None) as batch_op:
        batch_op.drop_index('ix_step_instances_customer')
        batch_op.drop_index('uq_step_instances_step_completing')
        batch_op.drop_index('uq_step_instances_step_trigger')

    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_team_created')
        batch_op.drop_index('ix_attachments_owner_created')
        batch_op.drop_index(batch_op.f('ix_attachments_activity_id'))

    op.drop_table('attachments')
