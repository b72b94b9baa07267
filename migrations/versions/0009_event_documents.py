"""A sheet's history names which of its documents changed: the target table, a monitoring, the self-evaluation

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 08:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Every event so far is the target table's.
    with op.batch_alter_table('sheet_event') as batch_op:
        batch_op.add_column(sa.Column('document', sa.String(length=30), server_default='target', nullable=False))


def downgrade():
    with op.batch_alter_table('sheet_event') as batch_op:
        batch_op.drop_column('document')
