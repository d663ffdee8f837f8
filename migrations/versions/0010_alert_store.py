"""the alert store: severity and status of every alert (SPEC §9, §10)

Revision ID: 0010_alert_store
Revises: 0007
Create Date: 2026-12-03

Every job's finding is one row of ``alerts``; it now says how grave it is (``severity``: info,
warning, critical) and where its handling stands (``status``: open, acknowledged, resolved, with who
and when). Existing alerts become open warnings; those already read stay read.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_alert_store'
down_revision = '0009_incentives'
branch_labels = None
depends_on = None

COLUMNS = ('severity', 'status', 'acknowledged_at', 'acknowledged_by', 'resolved_at', 'resolved_by')


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('severity', sa.String(length=10), server_default='warning', nullable=False))
        batch_op.add_column(sa.Column('status', sa.String(length=12), server_default='open', nullable=False))
        batch_op.add_column(sa.Column('acknowledged_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('resolved_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_alerts_acknowledged_by_users', 'users', ['acknowledged_by'], ['id'])
        batch_op.create_foreign_key('fk_alerts_resolved_by_users', 'users', ['resolved_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_alerts_resolved_by_users', type_='foreignkey')
        batch_op.drop_constraint('fk_alerts_acknowledged_by_users', type_='foreignkey')
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
