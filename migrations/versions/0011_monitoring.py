"""Mid-year monitoring: the bureau's rounds, each approved sheet's monitoring and its rows

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 07:45:27

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# As goalsapp/domain/limits.py had them when this was written.
FIRST_YEAR, LAST_YEAR = 2000, 2100
COMMENT = 2000
INDICATOR_VALUE = 100
MONITORING_TEXT = 500


def upgrade():
    op.create_table(
        'monitoring_round',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('month BETWEEN 1 AND 12', name='month_range'),
        sa.CheckConstraint(f'year BETWEEN {FIRST_YEAR} AND {LAST_YEAR}', name='year_range'),
        sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('year', 'month', name='uq_monitoring_round_year_month'),
    )
    with op.batch_alter_table('monitoring_round') as batch_op:
        batch_op.create_index('ix_monitoring_round_year', ['year'], unique=False)

    # Amounts as Money: exact integer counts of 0.0001 万元.
    op.create_table(
        'monitoring',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('sheet_id', sa.Integer(), nullable=False),
        sa.Column('initial_budget', sa.BigInteger(), nullable=True),
        sa.Column('annual_budget', sa.BigInteger(), nullable=True),
        sa.Column('spent', sa.BigInteger(), nullable=True),
        sa.Column('expected_spending', sa.BigInteger(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('review_comment', sa.Text(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(f'length(review_comment) <= {COMMENT}', name='review_comment_length'),
        sa.ForeignKeyConstraint(['round_id'], ['monitoring_round.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sheet_id'], ['goal_sheet.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'sheet_id', name='uq_monitoring_round_sheet'),
    )
    with op.batch_alter_table('monitoring') as batch_op:
        batch_op.create_index('ix_monitoring_round_id', ['round_id'], unique=False)
        batch_op.create_index('ix_monitoring_sheet_id', ['sheet_id'], unique=False)
        batch_op.create_index('ix_monitoring_status', ['status'], unique=False)

    op.create_table(
        'monitoring_row',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('monitoring_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('current', sa.Text(), nullable=False),
        sa.Column('expected', sa.Text(), nullable=False),
        sa.Column('possibility', sa.String(length=10), nullable=False),
        sa.Column('cause', sa.String(length=10), nullable=False),
        sa.Column('cause_note', sa.Text(), nullable=False),
        sa.Column('remedy', sa.Text(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.CheckConstraint(f'length(cause_note) <= {MONITORING_TEXT}', name='cause_note_length'),
        sa.CheckConstraint(f'length(current) <= {INDICATOR_VALUE}', name='current_length'),
        sa.CheckConstraint(f'length(expected) <= {INDICATOR_VALUE}', name='expected_length'),
        sa.CheckConstraint(f'length(note) <= {MONITORING_TEXT}', name='note_length'),
        sa.CheckConstraint(f'length(remedy) <= {MONITORING_TEXT}', name='remedy_length'),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['monitoring_id'], ['monitoring.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('monitoring_row') as batch_op:
        batch_op.create_index('ix_monitoring_row_indicator_id', ['indicator_id'], unique=False)
        batch_op.create_index('ix_monitoring_row_monitoring_id', ['monitoring_id'], unique=False)


def downgrade():
    op.drop_table('monitoring_row')
    op.drop_table('monitoring')
    op.drop_table('monitoring_round')
