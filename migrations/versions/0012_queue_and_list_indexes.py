"""Each reviewed document's submission time on it, indexes so a county's list pages are read in
order, and uploads awaiting confirmation in the database, where every app server finds them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# Each reviewed document (models.Reviewed), with the history's name for it (SheetEvent.document)
# as SQL over the document's own row: its last submission is its last 'submit' event there.
DOCUMENTS = {
    'goal_sheet': ('goal_sheet.id', "'target'"),
    'evaluation': ('evaluation.sheet_id', "'evaluation'"),
    'monitoring': ('monitoring.sheet_id', "'monitoring-' || monitoring.round_id"),
}


def upgrade():
    for table, (sheet, document) in DOCUMENTS.items():
        # A plain ADD COLUMN (no batch copy): SQLite adds a nullable column in place.
        op.add_column(table, sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        op.get_bind().execute(sa.text(
            f"UPDATE {table} SET submitted_at = (SELECT max(sheet_event.at) FROM sheet_event"
            f" WHERE sheet_event.sheet_id = {sheet} AND sheet_event.document = {document} AND sheet_event.action = 'submit')"))
    # A sheet waiting with no submission in its history (written by hand) from its last change, as the queue had it.
    op.get_bind().execute(sa.text("UPDATE goal_sheet SET submitted_at = updated_at WHERE submitted_at IS NULL AND status = '已提交'"))
    op.create_index('ix_goal_sheet_queue', 'goal_sheet', ['status', 'submitted_at', 'id'], unique=False)
    op.create_index('ix_goal_sheet_budget_order', 'goal_sheet',
                    [sa.literal_column('local_budget DESC'), sa.literal_column('year DESC'), 'unit_id', 'id'], unique=False)
    op.create_index('ix_goal_sheet_status_order', 'goal_sheet',
                    ['status', sa.literal_column('year DESC'), 'unit_id', 'id'], unique=False)
    op.create_index('ix_goal_sheet_unit_year_project', 'goal_sheet', ['unit_id', 'year', 'project_name'], unique=False)
    # Files kept between an import's preview and its confirmation were files under instance/uploads: a preview
    # left there when this runs is asked for again (a preview waits two hours at most).
    op.create_table(
        'pending_upload',
        sa.Column('token', sa.String(length=22), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token'),
    )
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_upload_uploaded_at'), ['uploaded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_upload_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('pending_upload')
    op.drop_index('ix_goal_sheet_unit_year_project', table_name='goal_sheet')
    op.drop_index('ix_goal_sheet_status_order', table_name='goal_sheet')
    op.drop_index('ix_goal_sheet_budget_order', table_name='goal_sheet')
    op.drop_index('ix_goal_sheet_queue', table_name='goal_sheet')
    # Outside the batch, as in 0007: SQLite's batch copies the table by reflecting it, and cannot reflect "year DESC".
    op.drop_index('ix_goal_sheet_list_order', table_name='goal_sheet')
    for table in DOCUMENTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('submitted_at')
    op.create_index('ix_goal_sheet_list_order', 'goal_sheet', [sa.literal_column('year DESC'), 'unit_id', 'id'], unique=False)
