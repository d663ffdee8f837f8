"""delivery: alert and brief channels, the delivery log, the jobs' lock and their runs

Revision ID: 0011_delivery
Revises: 0007
Create Date: 2026-12-03

New tables only: channels (a webhook or e-mail address per person or team; secrets are named, never
stored), deliveries (each message to each channel with its attempts), job_locks (the lease that
keeps two `run-jobs` from overlapping) and job_runs (each job's counts and errors).
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_delivery'
down_revision = '0010_alert_store'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'channels',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('address', sa.String(length=500), nullable=False),
        sa.Column('token_secret', sa.String(length=80), nullable=False),
        sa.Column('sign_secret', sa.String(length=80), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('send_alerts', sa.Boolean(), nullable=False),
        sa.Column('send_brief', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_channels_user_id_users')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_channels_team_id_teams')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_channels_created_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
    )
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channels_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channels_team_id'), ['team_id'], unique=False)

    op.create_table(
        'deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('alert_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('dedupe_key', sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_deliveries_channel_id_channels'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_deliveries_alert_id_alerts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_deliveries_dedupe_key')),
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index('ix_deliveries_status_next', ['status', 'next_attempt_at'], unique=False)

    op.create_table(
        'job_locks',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('holder', sa.String(length=80), nullable=True),
        sa.Column('acquired_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_job_locks')),
    )

    op.create_table(
        'job_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('run_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('trigger', sa.String(length=20), nullable=False),
        sa.Column('started_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['started_by'], ['users.id'], name=op.f('fk_job_runs_started_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_started_at'), ['started_at'], unique=False)
        batch_op.create_index('ix_job_runs_job_started', ['job', 'started_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_job_runs_job_started')
        batch_op.drop_index(batch_op.f('ix_job_runs_started_at'))
    op.drop_table('job_runs')
    op.drop_table('job_locks')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_status_next')
        batch_op.drop_index(batch_op.f('ix_deliveries_alert_id'))
        batch_op.drop_index(batch_op.f('ix_deliveries_channel_id'))
    op.drop_table('deliveries')
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channels_team_id'))
        batch_op.drop_index(batch_op.f('ix_channels_user_id'))
    op.drop_table('channels')
