"""lead desk: routing rules, lead pool (SPEC §3)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Routing rules (region, industry, size → team, ordered), each team's own lead-pool rules (NULL: the
company default), and on leads the moment and reason they entered the pool (公海). The two new
columns on ``leads`` are nullable and added in place (ALTER TABLE … ADD COLUMN, also on SQLite), so
every existing lead stays as it is; a lead without an owner simply has no pool time yet. An index
on lead_assignments (to_user_id, at) serves the daily cap and the round-robin.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('routing_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('industry', sa.String(length=40), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_routing_rules_region_id_regions')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_routing_rules_team_id_teams')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_routing_rules_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rules'))
    )
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routing_rules_team_id'), ['team_id'], unique=False)

    op.create_table('team_pool_rules',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('no_follow_up_days', sa.Integer(), nullable=True),
    sa.Column('not_converted_days', sa.Integer(), nullable=True),
    sa.Column('claim_cap_per_day', sa.Integer(), nullable=True),
    sa.Column('claim_cooldown_days', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_pool_rules_team_id_teams')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_team_pool_rules_updated_by_users')),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_team_pool_rules'))
    )

    # add_column only: batch mode adds them in place on SQLite too (no table copy), rows are kept
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pooled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('pool_reason', sa.String(length=30), nullable=True))

    # a rep's assignments by time: the daily cap, round-robin and the claim cap count them
    with op.batch_alter_table('lead_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_lead_assignments_to_user_at', ['to_user_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lead_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_assignments_to_user_at')
    # plain DROP COLUMN (SQLite ≥ 3.35 and PostgreSQL): no copy of the leads table, whose rows other
    # tables reference
    op.drop_column('leads', 'pool_reason')
    op.drop_column('leads', 'pooled_at')
    op.drop_table('team_pool_rules')
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routing_rules_team_id'))

    op.drop_table('routing_rules')
