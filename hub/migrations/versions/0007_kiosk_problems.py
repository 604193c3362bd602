"""The problems each kiosk's last self-check (`diagnose`) found, and why it did not take the
last release offered, as its heartbeat said, for the centre page.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kiosks") as table:
        table.add_column(sa.Column("problems", sa.JSON(), nullable=True))
        table.add_column(sa.Column("problems_checked", sa.DateTime(timezone=True),
                                   nullable=True))
        table.add_column(sa.Column("update_problem", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kiosks") as table:
        table.drop_column("update_problem")
        table.drop_column("problems_checked")
        table.drop_column("problems")
