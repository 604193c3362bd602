"""Slot places counted at the database; one-time codes bound to the kiosk that asked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slot_places",
        sa.Column("slot_id", sa.String(length=200), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("slot_id"),
    )
    op.execute("INSERT INTO slot_places (slot_id, taken) "
               "SELECT slot_id, COUNT(*) FROM bookings GROUP BY slot_id")
    with op.batch_alter_table("identity_codes") as batch:
        batch.add_column(sa.Column("kiosk_id", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity_codes") as batch:
        batch.drop_column("kiosk_id")
    op.drop_table("slot_places")
