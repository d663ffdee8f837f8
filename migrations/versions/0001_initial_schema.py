"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23

The whole product's first data model (SPEC §2), the data-version row and the default key
process steps of SPEC §5.
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.create_table('process_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('name_zh', sa.String(length=80), nullable=False),
    sa.Column('trigger', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('within_hours', sa.Float(), nullable=False),
    sa.Column('required_fields', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_steps')),
    sa.UniqueConstraint('code', name=op.f('uq_process_steps_code'))
    )
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('name', name=op.f('uq_regions_name'))
    )
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('lead_user_id', sa.Integer(), nullable=True),
    sa.Column('auto_reassign', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_teams_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name'))
    )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_region_id'), ['region_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('revoked_before', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_users_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_team_id'), ['team_id'], unique=False)

    # teams.lead_user_id and users.team_id point at each other: the second key comes after both.
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.create_foreign_key(op.f('fk_teams_lead_user_id_users'), 'users', ['lead_user_id'], ['id'])

    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('ref_type', sa.String(length=30), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_alerts_recipient_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_alerts_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_alerts_dedupe_key'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('tax_id', sa.String(length=40), nullable=True),
    sa.Column('industry', sa.String(length=40), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=False),
    sa.Column('customer_type', sa.String(length=40), nullable=False),
    sa.Column('heat', sa.String(length=20), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_customers_owner_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_customers_region_id_regions')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_customers_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_team_id'), ['team_id'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_settings_updated_by_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('todos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('ref_type', sa.String(length=30), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_todos_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_todos_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_todos')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_todos_dedupe_key'))
    )
    with op.batch_alter_table('todos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_todos_owner_id'), ['owner_id'], unique=False)

    op.create_table('cross_dept_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('department', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_cross_dept_requests_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_cross_dept_requests_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_cross_dept_requests_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cross_dept_requests'))
    )
    with op.batch_alter_table('cross_dept_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cross_dept_requests_team_id'), ['team_id'], unique=False)

    op.create_table('customer_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_issues_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_customer_issues_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_customer_issues_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_issues'))
    )
    with op.batch_alter_table('customer_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_issues_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_issues_team_id'), ['team_id'], unique=False)

    op.create_table('leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('company', sa.String(length=160), nullable=False),
    sa.Column('contact_name', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('source_channel', sa.String(length=40), nullable=False),
    sa.Column('industry', sa.String(length=40), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('grade', sa.String(length=1), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.Column('first_contact_at', sa.DateTime(), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(), nullable=True),
    sa.Column('next_action', sa.String(length=200), nullable=False),
    sa.Column('next_action_at', sa.DateTime(), nullable=True),
    sa.Column('converted_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_leads_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_leads_owner_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_leads_region_id_regions')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_leads_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads'))
    )
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_leads_owner_created', ['owner_id', 'created_at'], unique=False)
        batch_op.create_index('ix_leads_team_created', ['team_id', 'created_at'], unique=False)

    op.create_table('lead_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('from_user_id', sa.Integer(), nullable=True),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_lead_assignments_by_user_id_users')),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], name=op.f('fk_lead_assignments_from_user_id_users')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_assignments_lead_id_leads')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_lead_assignments_team_id_teams')),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_lead_assignments_to_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_assignments'))
    )
    with op.batch_alter_table('lead_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_assignments_lead_id'), ['lead_id'], unique=False)

    op.create_table('opportunities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('product', sa.String(length=60), nullable=False),
    sa.Column('source_channel', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('stage', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('stage_entered_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('lost_reason', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_opportunities_customer_id_customers')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_opportunities_lead_id_leads')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_opportunities_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_opportunities_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunities_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_opps_team_status', ['team_id', 'status'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('happened_at', sa.DateTime(), nullable=False),
    sa.Column('logged_at', sa.DateTime(), nullable=False),
    sa.Column('effective', sa.Boolean(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_activities_customer_id_customers')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_activities_lead_id_leads')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_activities_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_activities_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_activities_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index('ix_activities_owner_happened', ['owner_id', 'happened_at'], unique=False)
        batch_op.create_index('ix_activities_team_happened', ['team_id', 'happened_at'], unique=False)

    op.create_table('stage_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=30), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.String(length=300), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_stage_history_by_user_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_stage_history_opportunity_id_opportunities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_history'))
    )
    with op.batch_alter_table('stage_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_history_entered_at'), ['entered_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_history_opportunity_id'), ['opportunity_id'], unique=False)

    op.create_table('step_instances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('trigger_activity_id', sa.Integer(), nullable=True),
    sa.Column('triggered_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('completing_activity_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['completing_activity_id'], ['activities.id'], name=op.f('fk_step_instances_completing_activity_id_activities')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_step_instances_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_step_instances_owner_id_users')),
    sa.ForeignKeyConstraint(['step_id'], ['process_steps.id'], name=op.f('fk_step_instances_step_id_process_steps')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_step_instances_team_id_teams')),
    sa.ForeignKeyConstraint(['trigger_activity_id'], ['activities.id'], name=op.f('fk_step_instances_trigger_activity_id_activities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_instances'))
    )
    with op.batch_alter_table('step_instances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_instances_step_id'), ['step_id'], unique=False)
        batch_op.create_index('ix_steps_owner_triggered', ['owner_id', 'triggered_at'], unique=False)
        batch_op.create_index('ix_steps_team_triggered', ['team_id', 'triggered_at'], unique=False)

    op.bulk_insert(sa.table('data_version', sa.column('id', sa.Integer), sa.column('version', sa.Integer)),
                   [{'id': 1, 'version': 0}])
    steps = sa.table('process_steps', sa.column('code', sa.String), sa.column('name_en', sa.String),
                     sa.column('name_zh', sa.String), sa.column('trigger', sa.String),
                     sa.column('action', sa.String), sa.column('within_hours', sa.Float),
                     sa.column('required_fields', sa.JSON), sa.column('active', sa.Boolean))
    op.bulk_insert(steps, [
        {'code': 'needs_summary', 'name_en': 'Needs summary', 'name_zh': '需求纪要',
         'trigger': 'first_contact', 'action': 'needs_summary', 'within_hours': 24.0,
         'required_fields': ['problem', 'concerns', 'next_action', 'next_action_at'], 'active': True},
        {'code': 'promotion_evidence', 'name_en': 'Promotion evidence', 'name_zh': '促销执行举证',
         'trigger': 'promotion', 'action': 'promotion_evidence', 'within_hours': 48.0,
         'required_fields': ['photos', 'note'], 'active': True},
        {'code': 'solution_update', 'name_en': 'Solution update', 'name_zh': '异议方案进展',
         'trigger': 'objection', 'action': 'solution_update', 'within_hours': 72.0,
         'required_fields': ['progress'], 'active': True},
    ])


def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_teams_lead_user_id_users'), type_='foreignkey')

    with op.batch_alter_table('step_instances', schema=None) as batch_op:
        batch_op.drop_index('ix_steps_team_triggered')
        batch_op.drop_index('ix_steps_owner_triggered')
        batch_op.drop_index(batch_op.f('ix_step_instances_step_id'))

    op.drop_table('step_instances')
    with op.batch_alter_table('stage_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_history_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_stage_history_entered_at'))

    op.drop_table('stage_history')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_team_happened')
        batch_op.drop_index('ix_activities_owner_happened')
        batch_op.drop_index(batch_op.f('ix_activities_lead_id'))
        batch_op.drop_index(batch_op.f('ix_activities_customer_id'))

    op.drop_table('activities')
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index('ix_opps_team_status')
        batch_op.drop_index(batch_op.f('ix_opportunities_owner_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_customer_id'))

    op.drop_table('opportunities')
    with op.batch_alter_table('lead_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_assignments_lead_id'))

    op.drop_table('lead_assignments')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_team_created')
        batch_op.drop_index('ix_leads_owner_created')
        batch_op.drop_index(batch_op.f('ix_leads_customer_id'))
        batch_op.drop_index(batch_op.f('ix_leads_created_at'))

    op.drop_table('leads')
    with op.batch_alter_table('customer_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_issues_team_id'))
        batch_op.drop_index(batch_op.f('ix_customer_issues_customer_id'))

    op.drop_table('customer_issues')
    with op.batch_alter_table('cross_dept_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cross_dept_requests_team_id'))

    op.drop_table('cross_dept_requests')
    with op.batch_alter_table('todos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_todos_owner_id'))

    op.drop_table('todos')
    op.drop_table('settings')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_team_id'))
        batch_op.drop_index(batch_op.f('ix_customers_phone'))
        batch_op.drop_index(batch_op.f('ix_customers_owner_id'))
        batch_op.drop_index(batch_op.f('ix_customers_name'))

    op.drop_table('customers')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_recipient_id'))

    op.drop_table('alerts')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_team_id'))

    op.drop_table('users')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_region_id'))

    op.drop_table('teams')
    op.drop_table('regions')
    op.drop_table('process_steps')
    op.drop_table('data_version')
