"""process: departments answering requests, PSI (SPEC §5, §6)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Department staff (role ``service``, 协同部门) answer the cross-department requests addressed to their
department: ``users.department`` (nullable; marketing / support / delivery) says which. A new
nullable column only: every existing row stays as it is (its department is NULL).
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sa.String(length=20), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite (3.35+) drops the column in place; a batch rebuild of ``users`` would have to drop a
        # table that every other table references, which foreign keys refuse once rows exist
        op.execute("ALTER TABLE users DROP COLUMN department")
    else:
        op.drop_column('users', 'department')
