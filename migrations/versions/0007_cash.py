"""cash: receipts, invoices, shipments and the data-quality findings (SPEC §7)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Finance's receipts (the ledger behind each instalment's amount received), invoices and the
warehouse's shipments, each against a contract and carrying its owner and team for scope; and the
findings of the data-quality scan. New tables only; every existing receipt of money is recorded on
the payments (instalments) already, so each instalment with an amount received gets one receipt row
(reference "migrated-<payment id>"), keeping the ledger and the instalments in step.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _owned(name: str, *columns, checks=(), uniques=()):
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        *columns,
        sa.Column('entered_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        *checks,
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f(f'fk_{name}_contract_id_contracts')),
        sa.ForeignKeyConstraint(['entered_by'], ['users.id'], name=op.f(f'fk_{name}_entered_by_users')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f(f'fk_{name}_owner_id_users')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f(f'fk_{name}_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
        *uniques,
    )


def upgrade() -> None:
    _owned('receipts',
           sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
           sa.Column('received_at', sa.DateTime(), nullable=False),
           sa.Column('reference', sa.String(length=60), nullable=True),
           checks=[sa.CheckConstraint('amount > 0', name=op.f('ck_receipts_amount_positive'))],
           uniques=[sa.UniqueConstraint('contract_id', 'reference', name='uq_receipts_contract_reference')])
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipts_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index('ix_receipts_owner_received', ['owner_id', 'received_at'], unique=False)
        batch_op.create_index('ix_receipts_team_received', ['team_id', 'received_at'], unique=False)

    _owned('invoices',
           sa.Column('number', sa.String(length=40), nullable=False),
           sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
           sa.Column('issued_at', sa.DateTime(), nullable=False),
           checks=[sa.CheckConstraint('amount > 0', name=op.f('ck_invoices_amount_positive'))],
           uniques=[sa.UniqueConstraint('number', name=op.f('uq_invoices_number'))])
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoices_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index('ix_invoices_owner_issued', ['owner_id', 'issued_at'], unique=False)
        batch_op.create_index('ix_invoices_team_issued', ['team_id', 'issued_at'], unique=False)

    _owned('shipments',
           sa.Column('number', sa.String(length=40), nullable=False),
           sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
           sa.Column('shipped_at', sa.DateTime(), nullable=False),
           checks=[sa.CheckConstraint('value >= 0', name=op.f('ck_shipments_value_nonnegative'))],
           uniques=[sa.UniqueConstraint('number', name=op.f('uq_shipments_number'))])
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipments_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index('ix_shipments_owner_shipped', ['owner_id', 'shipped_at'], unique=False)
        batch_op.create_index('ix_shipments_team_shipped', ['team_id', 'shipped_at'], unique=False)

    op.create_table(
        'quality_findings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=40), nullable=False),
        sa.Column('record_type', sa.String(length=30), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('first_found_at', sa.DateTime(), nullable=False),
        sa.Column('last_found_at', sa.DateTime(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['closed_by'], ['users.id'], name=op.f('fk_quality_findings_closed_by_users')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_quality_findings_owner_id_users')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_quality_findings_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_findings')),
        sa.UniqueConstraint('rule', 'record_type', 'record_id', name='uq_quality_findings_rule_record'),
    )
    with op.batch_alter_table('quality_findings', schema=None) as batch_op:
        batch_op.create_index('ix_quality_findings_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index('ix_quality_findings_team_status', ['team_id', 'status'], unique=False)

    # the money already received, as receipts: one per instalment with an amount received
    op.execute(
        "INSERT INTO receipts (contract_id, owner_id, team_id, amount, received_at, reference, entered_by, created_at) "
        "SELECT contract_id, owner_id, team_id, amount_received, received_at, 'migrated-' || CAST(id AS VARCHAR(20)), "
        "NULL, created_at FROM payments WHERE amount_received > 0 AND received_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('quality_findings', schema=None) as batch_op:
        batch_op.drop_index('ix_quality_findings_team_status')
        batch_op.drop_index('ix_quality_findings_owner_status')
    op.drop_table('quality_findings')
    for name, when in (('shipments', 'shipped'), ('invoices', 'issued'), ('receipts', 'received')):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{name}_team_{when}')
            batch_op.drop_index(f'ix_{name}_owner_{when}')
            batch_op.drop_index(batch_op.f(f'ix_{name}_contract_id'))
        op.drop_table(name)
