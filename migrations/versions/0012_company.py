"""company set-up: a forced password change at first login (SPEC §10)

Revision ID: 0012_company
Revises: 0007

Users made by an admin (by form or by the users import) get an initial password and must choose
their own before they see anything else: ``users.must_change_password``. Existing users keep
their passwords (false).
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_company'
down_revision = '0011_delivery'
branch_labels = None
depends_on = None


# plain ADD / DROP COLUMN (SQLite ≥ 3.35 and PostgreSQL): no copy of the users table, whose rows
# every other table references
def upgrade() -> None:
    op.add_column('users', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('users', 'must_change_password')
