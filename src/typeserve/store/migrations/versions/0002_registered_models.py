"""Registered models: catalog entries added with `typeserve models add`.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from typeserve.store.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registered_models",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("registered_models")
