"""Index in the list's order

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 06:29:25.228588

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.create_index('ix_goal_sheet_list_order', [sa.literal_column('year DESC'), 'unit', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('goal_sheet', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_sheet_list_order')

