"""people: capability scores, coaching records, knowledge articles

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

SPEC §8: a lead's 1–5 scores of a rep per capability dimension, coaching records (whose next points
become the rep's to-do), and the knowledge base's articles (version column for optimistic locking).
New tables only: every existing row stays as it is.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('capability_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('dimension', sa.String(length=30), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('assessed_by', sa.Integer(), nullable=False),
    sa.Column('assessed_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_capability_scores_score_range')),
    sa.ForeignKeyConstraint(['assessed_by'], ['users.id'], name=op.f('fk_capability_scores_assessed_by_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_capability_scores_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_capability_scores_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capability_scores'))
    )
    with op.batch_alter_table('capability_scores', schema=None) as batch_op:
        batch_op.create_index('ix_capability_scores_owner_assessed', ['owner_id', 'assessed_at'], unique=False)
        batch_op.create_index('ix_capability_scores_team_assessed', ['team_id', 'assessed_at'], unique=False)

    op.create_table('knowledge_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('scenario', sa.Text(), nullable=False),
    sa.Column('script', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('customer_type', sa.String(length=40), nullable=False),
    sa.Column('scenario_tag', sa.String(length=30), nullable=False),
    sa.Column('dimension', sa.String(length=30), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_knowledge_articles_author_id_users')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_knowledge_articles_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_articles'))
    )
    with op.batch_alter_table('knowledge_articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_articles_dimension'), ['dimension'], unique=False)

    op.create_table('coaching_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('coached_on', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=30), nullable=False),
    sa.Column('scenario_practiced', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('next_points', sa.String(length=500), nullable=False),
    sa.Column('rep_rating', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=True),
    sa.Column('todo_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('rep_rating IS NULL OR rep_rating BETWEEN 1 AND 5', name=op.f('ck_coaching_records_rating_range')),
    sa.ForeignKeyConstraint(['lead_id'], ['users.id'], name=op.f('fk_coaching_records_lead_id_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_coaching_records_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_coaching_records_team_id_teams')),
    sa.ForeignKeyConstraint(['todo_id'], ['todos.id'], name=op.f('fk_coaching_records_todo_id_todos')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_records'))
    )
    with op.batch_alter_table('coaching_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_records_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index('ix_coaching_records_owner_coached', ['owner_id', 'coached_on'], unique=False)
        batch_op.create_index('ix_coaching_records_team_coached', ['team_id', 'coached_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('coaching_records', schema=None) as batch_op:
        batch_op.drop_index('ix_coaching_records_team_coached')
        batch_op.drop_index('ix_coaching_records_owner_coached')
        batch_op.drop_index(batch_op.f('ix_coaching_records_lead_id'))

    op.drop_table('coaching_records')
    with op.batch_alter_table('knowledge_articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_articles_dimension'))

    op.drop_table('knowledge_articles')
    with op.batch_alter_table('capability_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_capability_scores_team_assessed')
        batch_op.drop_index('ix_capability_scores_owner_assessed')

    op.drop_table('capability_scores')
