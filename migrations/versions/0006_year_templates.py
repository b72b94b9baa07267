"""The form the bureau chooses for each budget year

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 02:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'year_template',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('template', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_year_template')),
    )


def downgrade():
    op.drop_table('year_template')
