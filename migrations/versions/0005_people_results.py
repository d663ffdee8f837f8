"""people: targets, contracts, payments, satisfaction, onboarding (SPEC §8)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

SPEC §8 scorecard and new-rep path: monthly targets per rep (or team), contracts and their payment
schedules (the results part of the scorecard; SPEC §7 collections build on them), customers'
satisfaction scores, and the first-week onboarding tasks with each new rep's progress. The default
onboarding tasks are inserted here, as 0001 inserts the process steps. New tables only: every
existing row stays as it is.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ONBOARDING_TASKS = [
    {'code': 'product_pitch', 'day_due': 2, 'active': True,
     'title_en': 'Record a product pitch note', 'title_zh': '提交产品讲解笔记',
     'description_en': "Write down, in your own words, how you present our main product in three minutes: the "
                       "customer's problem, how we solve it, and one proof.",
     'description_zh': '用自己的话写下三分钟产品讲解：客户痛点、我们的解决方式，以及一个成功案例。'},
    {'code': 'price_objection_practice', 'day_due': 3, 'active': True,
     'title_en': 'Handle a price objection in a practice record', 'title_zh': '完成一次价格异议演练',
     'description_en': 'Practise a price objection with your lead or a colleague; note how you answered and what '
                       'you would say differently next time.',
     'description_zh': '与片区经理或同事模拟客户提出价格异议，记下您的应对话术和下次需要改进的地方。'},
    {'code': 'competitor_comparison', 'day_due': 4, 'active': True,
     'title_en': 'Submit a competitor comparison', 'title_zh': '提交一份竞品对比',
     'description_en': 'Compare our offer with the competitor you meet most often in your territory: price, '
                       'delivery, service, and where we win.',
     'description_zh': '针对您片区最常遇到的竞品，从价格、交付周期、售后服务和我方优势几方面做一份对比。'},
    {'code': 'shadow_visit', 'day_due': 5, 'active': True,
     'title_en': "Shadow a senior rep's customer visit", 'title_zh': '跟随资深销售拜访一次客户',
     'description_en': 'Join a senior colleague on a visit; note how they open, which questions they ask and how '
                       'they agree the next step.',
     'description_zh': '陪同资深同事拜访客户，记录其开场方式、提问要点以及如何约定下一步。'},
    {'code': 'first_calls', 'day_due': 7, 'active': True,
     'title_en': 'Log your first 5 customer calls', 'title_zh': '登记前 5 通客户电话',
     'description_en': 'Call five customers of your territory and log each call with its summary and next action.',
     'description_zh': '给片区内 5 位客户打电话，并在系统中逐条登记通话小结和下一步行动。'},
]


def upgrade() -> None:
    op.create_table('onboarding_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title_en', sa.String(length=120), nullable=False),
    sa.Column('title_zh', sa.String(length=120), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_zh', sa.Text(), nullable=False),
    sa.Column('day_due', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('day_due BETWEEN 1 AND 7', name=op.f('ck_onboarding_tasks_day_due_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_tasks')),
    sa.UniqueConstraint('code', name=op.f('uq_onboarding_tasks_code'))
    )
    op.create_table('onboarding_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('checked_by', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['checked_by'], ['users.id'], name=op.f('fk_onboarding_progress_checked_by_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_onboarding_progress_owner_id_users')),
    sa.ForeignKeyConstraint(['task_id'], ['onboarding_tasks.id'], name=op.f('fk_onboarding_progress_task_id_onboarding_tasks')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_onboarding_progress_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_progress')),
    sa.UniqueConstraint('owner_id', 'task_id', name='uq_onboarding_progress_owner_task')
    )
    with op.batch_alter_table('onboarding_progress', schema=None) as batch_op:
        batch_op.create_index('ix_onboarding_progress_team', ['team_id'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('signed_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('collections', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('effective_visits', sa.Integer(), nullable=True),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('collections IS NULL OR collections >= 0', name=op.f('ck_targets_collections_positive')),
    sa.CheckConstraint('effective_visits IS NULL OR effective_visits >= 0', name=op.f('ck_targets_effective_visits_positive')),
    sa.CheckConstraint('signed_amount IS NULL OR signed_amount >= 0', name=op.f('ck_targets_signed_amount_positive')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_targets_owner_id_users')),
    sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_targets_set_by_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_targets_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('month', 'team_id', 'owner_id', name='uq_targets_month_team_owner')
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index('ix_targets_owner_month', ['owner_id', 'month'], unique=False)

    op.create_table('satisfaction_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('surveyed_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_satisfaction_scores_score_range')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_satisfaction_scores_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_satisfaction_scores_owner_id_users')),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_satisfaction_scores_recorded_by_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_satisfaction_scores_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_scores'))
    )
    with op.batch_alter_table('satisfaction_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_scores_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_satisfaction_scores_owner_surveyed', ['owner_id', 'surveyed_at'], unique=False)
        batch_op.create_index('ix_satisfaction_scores_team_surveyed', ['team_id', 'surveyed_at'], unique=False)

    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_contracts_amount_positive')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contracts_customer_id_customers')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_contracts_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_contracts_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_contracts_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('number', name=op.f('uq_contracts_number'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index('ix_contracts_owner_signed', ['owner_id', 'signed_at'], unique=False)
        batch_op.create_index('ix_contracts_team_signed', ['team_id', 'signed_at'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount_due', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('amount_received', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_due >= 0 AND amount_received >= 0', name=op.f('ck_payments_amounts_positive')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_payments_contract_id_contracts')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_payments_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_payments_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index('ix_payments_owner_received', ['owner_id', 'received_at'], unique=False)
        batch_op.create_index('ix_payments_team_due', ['team_id', 'due_date'], unique=False)
        batch_op.create_index('ix_payments_team_received', ['team_id', 'received_at'], unique=False)

    # (users.department belongs to 0006_departments, the process-capture migration)
    tasks = sa.table('onboarding_tasks', sa.column('code', sa.String), sa.column('title_en', sa.String),
                     sa.column('title_zh', sa.String), sa.column('description_en', sa.Text),
                     sa.column('description_zh', sa.Text), sa.column('day_due', sa.Integer),
                     sa.column('active', sa.Boolean))
    op.bulk_insert(tasks, ONBOARDING_TASKS)


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('ix_payments_team_received')
        batch_op.drop_index('ix_payments_team_due')
        batch_op.drop_index('ix_payments_owner_received')
        batch_op.drop_index(batch_op.f('ix_payments_contract_id'))

    op.drop_table('payments')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_team_signed')
        batch_op.drop_index('ix_contracts_owner_signed')
        batch_op.drop_index(batch_op.f('ix_contracts_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_contracts_customer_id'))

    op.drop_table('contracts')
    with op.batch_alter_table('satisfaction_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_satisfaction_scores_team_surveyed')
        batch_op.drop_index('ix_satisfaction_scores_owner_surveyed')
        batch_op.drop_index(batch_op.f('ix_satisfaction_scores_customer_id'))

    op.drop_table('satisfaction_scores')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index('ix_targets_owner_month')

    op.drop_table('targets')
    with op.batch_alter_table('onboarding_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_onboarding_progress_team')

    op.drop_table('onboarding_progress')
    op.drop_table('onboarding_tasks')
