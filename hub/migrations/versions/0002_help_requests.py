"""Help requests from kiosks, and the helper desks that answer them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desks",
        sa.Column("desk_id", sa.String(length=100), nullable=False),
        sa.Column("centre", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("desk_id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "help_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kiosk_id", sa.String(length=100), nullable=False),
        sa.Column("service_id", sa.String(length=100), nullable=True),
        sa.Column("step_id", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("helper_name", sa.String(length=60), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.kiosk_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("created", "kiosk_id", "state"):
        op.create_index(op.f(f"ix_help_requests_{column}"), "help_requests", [column],
                        unique=False)


def downgrade() -> None:
    for column in ("state", "kiosk_id", "created"):
        op.drop_index(op.f(f"ix_help_requests_{column}"), table_name="help_requests")
    op.drop_table("help_requests")
    op.drop_table("desks")
