"""targets: the weight matrix, plan versions with their rows, and the reps' confirmations (SPEC §8)

Revision ID: 0008_targets
Revises: 0007
Create Date: 2026-12-03

New tables only; the monthly targets of ``targets`` stay what the scorecard reads (an accepted plan
writes its rep-months there).
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_targets'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'target_weights',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_type', sa.String(length=40), nullable=False),
        sa.Column('product', sa.String(length=60), nullable=False),
        sa.Column('weight', sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column('set_by', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('weight >= 0', name=op.f('ck_target_weights_weight_nonnegative')),
        sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_target_weights_set_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_target_weights')),
        sa.UniqueConstraint('customer_type', 'product', name='uq_target_weights_type_product'),
    )
    op.create_table(
        'target_plan_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('basis_month', sa.String(length=7), nullable=True),
        sa.Column('based_on', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['based_on'], ['target_plan_versions.id'],
                                name=op.f('fk_target_plan_versions_based_on_target_plan_versions')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_target_plan_versions_created_by_users')),
        sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_target_plan_versions_decided_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_target_plan_versions')),
        sa.UniqueConstraint('period', 'number', name='uq_target_plan_versions_period_number'),
    )
    op.create_table(
        'target_plan_rows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint('amount >= 0', name=op.f('ck_target_plan_rows_amount_nonnegative')),
        sa.ForeignKeyConstraint(['version_id'], ['target_plan_versions.id'],
                                name=op.f('fk_target_plan_rows_version_id_target_plan_versions')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_target_plan_rows_owner_id_users')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_target_plan_rows_team_id_teams')),
        sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_target_plan_rows_region_id_regions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_target_plan_rows')),
        sa.UniqueConstraint('version_id', 'owner_id', 'month', name='uq_target_plan_rows_version_owner_month'),
    )
    with op.batch_alter_table('target_plan_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_plan_rows_version_id'), ['version_id'], unique=False)
        batch_op.create_index('ix_target_plan_rows_owner_month', ['owner_id', 'month'], unique=False)
    op.create_table(
        'target_confirmations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_target_confirmations_owner_id_users')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_target_confirmations_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_target_confirmations')),
        sa.UniqueConstraint('month', 'owner_id', name='uq_target_confirmations_month_owner'),
    )


def downgrade() -> None:
    op.drop_table('target_confirmations')
    with op.batch_alter_table('target_plan_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_target_plan_rows_owner_month')
        batch_op.drop_index(batch_op.f('ix_target_plan_rows_version_id'))
    op.drop_table('target_plan_rows')
    op.drop_table('target_plan_versions')
    op.drop_table('target_weights')
