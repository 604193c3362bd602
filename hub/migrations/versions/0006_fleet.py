"""A fleet: settings the hub pushes to a centre's kiosks or to one kiosk, and each kiosk's
audit chain head (its audit log's newest hash, as its heartbeat last said).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 22:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fleet_settings",
        sa.Column("scope", sa.String(length=10), primary_key=True),
        sa.Column("scope_id", sa.String(length=200), primary_key=True),
        sa.Column("key", sa.String(length=50), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("changed", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("kiosks") as table:
        table.add_column(sa.Column("audit_head", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("audit_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kiosks") as table:
        table.drop_column("audit_seq")
        table.drop_column("audit_head")
    op.drop_table("fleet_settings")
