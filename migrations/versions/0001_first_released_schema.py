"""First released schema: sheets, indicators, history, units, users

Money columns are BigInteger: goalsapp.domain.models.Money stores 0.0001 万元 as an integer.

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 06:08:59.133432

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('goal_sheet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('framework', sa.String(length=40), nullable=False),
    sa.Column('project_name', sa.String(length=200), nullable=False),
    sa.Column('budget_dept', sa.String(length=100), nullable=False),
    sa.Column('local_budget', sa.BigInteger(), nullable=False),
    sa.Column('higher_funds', sa.BigInteger(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('period_goal', sa.Text(), nullable=False),
    sa.Column('annual_goal', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_sheet_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_sheet_unit'), ['unit'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_sheet_year'), ['year'], unique=False)

    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('level1', sa.String(length=40), nullable=False),
    sa.Column('level2', sa.String(length=40), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('standard', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['goal_sheet.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('sheet_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['goal_sheet.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sheet_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sheet_event_sheet_id'), ['sheet_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sheet_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sheet_event_sheet_id'))

    op.drop_table('sheet_event')
    op.drop_table('user')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_sheet_id'))

    op.drop_table('indicator')
    op.drop_table('unit')
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_sheet_year'))
        batch_op.drop_index(batch_op.f('ix_goal_sheet_unit'))
        batch_op.drop_index(batch_op.f('ix_goal_sheet_status'))

    op.drop_table('goal_sheet')
