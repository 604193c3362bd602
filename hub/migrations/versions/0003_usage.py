"""Usage records: one anonymous visit per row, for the centre's usage figures.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usage_records",
        sa.Column("kiosk_id", sa.String(length=100), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("received", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.kiosk_id"]),
        sa.PrimaryKeyConstraint("kiosk_id", "id"),
    )
    op.create_index(op.f("ix_usage_records_day"), "usage_records", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_usage_records_day"), table_name="usage_records")
    op.drop_table("usage_records")
