"""The year-end self-evaluation (项目支出绩效自评表) of an approved sheet, and its rows

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# As goalsapp/domain/limits.py had them when this was written.
INDICATOR_VALUE = 100
GOAL_TEXT = 5000
COMMENT = 2000
EVALUATION_TEXT = 200
EXECUTION_REASON = 100
SCORE_TEXT = 20


def at_most(column, characters):
    return sa.CheckConstraint(f'length({column}) <= {characters}', name=f'{column}_length')


def upgrade():
    op.create_table(
        'evaluation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sheet_id', sa.Integer(), nullable=False),
        sa.Column('opening_budget', sa.BigInteger(), nullable=True),
        sa.Column('budget', sa.BigInteger(), nullable=True),
        sa.Column('spent', sa.BigInteger(), nullable=True),
        sa.Column('execution_reason', sa.Text(), nullable=False),
        sa.Column('achieved', sa.Text(), nullable=False),
        sa.Column('conclusion', sa.Text(), nullable=False),
        sa.Column('problems', sa.Text(), nullable=False),
        sa.Column('improvements', sa.Text(), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('review_comment', sa.Text(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        at_most('execution_reason', EXECUTION_REASON),
        at_most('achieved', GOAL_TEXT),
        at_most('conclusion', EVALUATION_TEXT),
        at_most('problems', EVALUATION_TEXT),
        at_most('improvements', EVALUATION_TEXT),
        at_most('review_comment', COMMENT),
        sa.ForeignKeyConstraint(['sheet_id'], ['goal_sheet.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sheet_id'),
    )
    with op.batch_alter_table('evaluation') as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_status'), ['status'], unique=False)

    op.create_table(
        'evaluation_row',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('weight', sa.BigInteger(), nullable=False),
        sa.Column('actual', sa.Text(), nullable=False),
        sa.Column('applicable', sa.Boolean(), nullable=False),
        sa.Column('band', sa.String(length=40), nullable=False),
        sa.Column('chosen', sa.BigInteger(), nullable=True),
        sa.Column('written_score', sa.String(length=SCORE_TEXT), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        at_most('actual', INDICATOR_VALUE),
        at_most('reason', EVALUATION_TEXT),
        at_most('written_score', SCORE_TEXT),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('evaluation_id', 'indicator_id', name='uq_evaluation_row_indicator'),
    )
    with op.batch_alter_table('evaluation_row') as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_row_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_row_indicator_id'), ['indicator_id'], unique=False)


def downgrade():
    op.drop_table('evaluation_row')
    op.drop_table('evaluation')
