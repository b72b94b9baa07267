"""A sheet refers to its unit by id, so renaming a unit renames it on every sheet

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

UNIT_NAME = 100  # as goalsapp/domain/limits.py had it when this was written


def upgrade():
    bind = op.get_bind()
    # Every unit a sheet names becomes a row of unit (most already are: their fillers' accounts).
    bind.execute(sa.text('INSERT INTO unit (name) SELECT DISTINCT unit FROM goal_sheet WHERE unit NOT IN (SELECT name FROM unit)'))
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
    bind.execute(sa.text('UPDATE goal_sheet SET unit_id = (SELECT id FROM unit WHERE unit.name = goal_sheet.unit)'))
    # Outside the batch: SQLite's batch copies the table by reflecting it, and cannot reflect "year DESC".
    op.drop_index('ix_goal_sheet_list_order', table_name='goal_sheet')
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_sheet_unit')
        batch_op.drop_constraint('unit_length', type_='check')
        batch_op.drop_column('unit')
        batch_op.alter_column('unit_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_goal_sheet_unit_id_unit', 'unit', ['unit_id'], ['id'])
        batch_op.create_index('ix_goal_sheet_unit_id', ['unit_id'], unique=False)
    op.create_index('ix_goal_sheet_list_order', 'goal_sheet', [sa.literal_column('year DESC'), 'unit_id', 'id'], unique=False)
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_check_constraint('name_length', f'length(name) <= {UNIT_NAME}')


def downgrade():
    bind = op.get_bind()
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_constraint('name_length', type_='check')
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit', sa.String(length=UNIT_NAME), nullable=True))
    bind.execute(sa.text('UPDATE goal_sheet SET unit = (SELECT name FROM unit WHERE unit.id = goal_sheet.unit_id)'))
    op.drop_index('ix_goal_sheet_list_order', table_name='goal_sheet')
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_sheet_unit_id')
        batch_op.drop_constraint('fk_goal_sheet_unit_id_unit', type_='foreignkey')
        batch_op.drop_column('unit_id')
        batch_op.alter_column('unit', existing_type=sa.String(length=UNIT_NAME), nullable=False)
        batch_op.create_check_constraint('unit_length', f'length(unit) <= {UNIT_NAME}')
        batch_op.create_index('ix_goal_sheet_unit', ['unit'], unique=False)
    op.create_index('ix_goal_sheet_list_order', 'goal_sheet', [sa.literal_column('year DESC'), 'unit', 'id'], unique=False)
