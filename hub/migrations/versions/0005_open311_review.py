"""Open311: the fields GeoReport v2 names (address_id, zipcode, status_notes) and a review state,
so a citizen's own words are published only once the centre has read them.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-04 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("open311_requests") as table:
        table.add_column(sa.Column("address_id", sa.String(length=200), nullable=False,
                                   server_default=""))
        table.add_column(sa.Column("zipcode", sa.String(length=20), nullable=False,
                                   server_default=""))
        table.add_column(sa.Column("review", sa.String(length=12), nullable=False,
                                   server_default="pending"))
        table.add_column(sa.Column("status_notes", sa.Text(), nullable=True))
        table.add_column(sa.Column("reviewed", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("open311_requests") as table:
        for column in ("reviewed", "status_notes", "review", "zipcode", "address_id"):
            table.drop_column(column)
