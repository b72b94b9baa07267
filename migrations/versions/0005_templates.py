"""Forms as templates: a sheet's template, its extra fields and values as written, a row's extra columns

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 02:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Every sheet so far is Hunan's form, whose template code is its framework's ('hunan-2021').
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.alter_column('framework', new_column_name='template', existing_type=sa.String(40))
        batch_op.add_column(sa.Column('fields', sa.JSON(), nullable=True))
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('extra')
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.drop_column('fields')
        batch_op.alter_column('template', new_column_name='framework', existing_type=sa.String(40))
