"""Rate limits and quotas per key and per user; compute time per usage event.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("limits", sa.JSON, nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("limits", sa.JSON, nullable=True))
    with op.batch_alter_table("usage_events") as batch:
        batch.add_column(sa.Column("compute_ms", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("usage_events") as batch:
        batch.drop_column("compute_ms")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("limits")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("limits")
