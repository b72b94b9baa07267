"""The finance bureau's own entries in the indicator library, beside the built-in ones

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 05:03:27

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# As goalsapp/domain/limits.py had them when this was written.
INDICATOR_NAME = 100
INDICATOR_VALUE = 100
INDICATOR_STANDARD = 20


def upgrade():
    op.create_table(
        'library_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('level1', sa.String(length=40), nullable=False),
        sa.Column('level2', sa.String(length=40), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('standard', sa.String(length=INDICATOR_STANDARD), nullable=False),
        sa.CheckConstraint(f'length(name) <= {INDICATOR_NAME}', name='name_length'),
        sa.CheckConstraint(f'length(value) <= {INDICATOR_VALUE}', name='value_length'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('level1', 'level2', 'name', name='uq_library_entry_category_name'),
    )


def downgrade():
    op.drop_table('library_entry')
