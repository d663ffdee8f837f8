"""incentives: model versions, the points ledger and the teams' month standings (SPEC §8)

Revision ID: 0009_incentives
Revises: 0007
Create Date: 2026-12-03

New tables only.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_incentives'
down_revision = '0008_targets'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'incentive_models',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_incentive_models_created_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incentive_models')),
        sa.UniqueConstraint('version', name=op.f('uq_incentive_models_version')),
    )
    op.create_table(
        'points_ledger',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('rule', sa.String(length=30), nullable=False),
        sa.Column('part', sa.String(length=20), nullable=False),
        sa.Column('weight_key', sa.String(length=20), nullable=False),
        sa.Column('points', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('source_type', sa.String(length=30), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('happened_at', sa.DateTime(), nullable=False),
        sa.Column('granted_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_points_ledger_owner_id_users')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_points_ledger_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_points_ledger')),
        sa.UniqueConstraint('rule', 'source_type', 'source_id', name='uq_points_ledger_rule_source'),
    )
    op.create_index('ix_points_ledger_owner_month', 'points_ledger', ['owner_id', 'month'])
    op.create_index('ix_points_ledger_team_month', 'points_ledger', ['team_id', 'month'])
    op.create_table(
        'incentive_team_months',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('psi', sa.Float(), nullable=True),
        sa.Column('complaint_customers', sa.Integer(), nullable=False),
        sa.Column('active_customers', sa.Integer(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_incentive_team_months_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incentive_team_months')),
        sa.UniqueConstraint('month', 'team_id', name='uq_incentive_team_months_month_team'),
    )


def downgrade() -> None:
    op.drop_table('incentive_team_months')
    op.drop_index('ix_points_ledger_team_month', table_name='points_ledger')
    op.drop_index('ix_points_ledger_owner_month', table_name='points_ledger')
    op.drop_table('points_ledger')
    op.drop_table('incentive_models')
