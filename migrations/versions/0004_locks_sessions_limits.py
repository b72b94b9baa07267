"""Sheet lock and header versions, the submitter, session generations, limits in the database

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# The limits as they were when this migration was written (goalsapp/limits.py may move on).
GOAL_SHEET_LIMITS = {'unit': 100, 'project_name': 200, 'budget_dept': 100, 'period_goal': 5000, 'annual_goal': 5000,
                     'review_comment': 2000}
INDICATOR_LIMITS = {'name': 100, 'value': 100}


def refuse_rows_over_the_limits():
    """Stop with the rows to shorten rather than cut anyone's text: the checks below would refuse them."""
    over = []
    for table, limits in (('goal_sheet', GOAL_SHEET_LIMITS), ('indicator', INDICATOR_LIMITS)):
        for column, characters in limits.items():
            ids = op.get_bind().execute(sa.text(f'SELECT id FROM {table} WHERE length({column}) > {characters}')).scalars().all()
            over += [f'{table}.{column} id={row_id} (limit {characters})' for row_id in ids]
    years = op.get_bind().execute(sa.text('SELECT id FROM goal_sheet WHERE year NOT BETWEEN 2000 AND 2100')).scalars().all()
    over += [f'goal_sheet.year id={row_id} (2000-2100)' for row_id in years]
    if over:
        raise RuntimeError('These rows exceed the limits the database now keeps; shorten them, then upgrade again: '
                           + '; '.join(over))


def upgrade():
    refuse_rows_over_the_limits()
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('header_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_foreign_key('fk_goal_sheet_submitted_by_id_user', 'user', ['submitted_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint('year_range', 'year BETWEEN 2000 AND 2100')
        for column, characters in GOAL_SHEET_LIMITS.items():
            batch_op.create_check_constraint(f'{column}_length', f'length({column}) <= {characters}')

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        for column, characters in INDICATOR_LIMITS.items():
            batch_op.create_check_constraint(f'{column}_length', f'length({column}) <= {characters}')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_generation')

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        for column in INDICATOR_LIMITS:
            batch_op.drop_constraint(f'{column}_length', type_='check')

    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        for column in GOAL_SHEET_LIMITS:
            batch_op.drop_constraint(f'{column}_length', type_='check')
        batch_op.drop_constraint('year_range', type_='check')
        batch_op.drop_constraint('fk_goal_sheet_submitted_by_id_user', type_='foreignkey')
        batch_op.drop_column('header_version')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('submitted_by_id')
