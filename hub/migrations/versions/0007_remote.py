"""Remote assisted service: desks that serve centres (regional desks), and the level, clerk
and desk of a help request (hub.remote).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 23:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("desks") as table:
        # "" for a centre's own desk; a regional desk's name otherwise
        table.add_column(sa.Column("region", sa.String(length=200), nullable=False,
                                   server_default=""))
        # the centres a regional desk serves (a centre desk serves its own centre)
        table.add_column(sa.Column("serves", sa.JSON(), nullable=True))
    with op.batch_alter_table("help_requests") as table:
        table.add_column(sa.Column("level", sa.String(length=8), nullable=False,
                                   server_default="centre"))
        table.add_column(sa.Column("clerk", sa.String(length=60), nullable=True))
        table.add_column(sa.Column("desk", sa.String(length=200), nullable=True))
        table.add_column(sa.Column("taken_by", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("help_requests") as table:
        for column in ("taken_by", "desk", "clerk", "level"):
            table.drop_column(column)
    with op.batch_alter_table("desks") as table:
        table.drop_column("serves")
        table.drop_column("region")
