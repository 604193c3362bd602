"""The initial tables: kiosks, citizens, lists, bills, submissions, idempotency keys, Open311.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:02:23.359659
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bills",
        sa.Column("utility", sa.String(length=50), nullable=False),
        sa.Column("account", sa.String(length=50), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("period", sa.JSON(), nullable=False),
        sa.Column("amount", sa.String(length=20), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("utility", "account"),
    )
    op.create_table(
        "citizens",
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id_number"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("endpoint", sa.String(length=50), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("owner", sa.String(length=36), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "kiosks",
        sa.Column("kiosk_id", sa.String(length=100), nullable=False),
        sa.Column("centre", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("queue_waiting", sa.Integer(), nullable=True),
        sa.Column("queue_quarantined", sa.Integer(), nullable=True),
        sa.Column("version", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("kiosk_id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "options",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("parent_param", sa.String(length=50), nullable=False),
        sa.Column("parent_value", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("label", sa.JSON(), nullable=False),
        sa.Column("icon", sa.String(length=50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "parent_value", "value"),
    )
    op.create_table(
        "identity_codes",
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("tries_left", sa.Integer(), nullable=False),
        sa.Column("sent", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["id_number"],
            ["citizens.id_number"],
        ),
        sa.PrimaryKeyConstraint("id_number"),
    )
    op.create_index(op.f("ix_identity_codes_sent"), "identity_codes", ["sent"], unique=False)

    op.create_table(
        "insurance",
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("balance", sa.String(length=20), nullable=False),
        sa.Column("spent_this_year", sa.String(length=20), nullable=False),
        sa.Column("last_claim_date", sa.Date(), nullable=False),
        sa.Column("last_claim_amount", sa.String(length=20), nullable=False),
        sa.Column("last_claim_place", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id_number"],
            ["citizens.id_number"],
        ),
        sa.PrimaryKeyConstraint("id_number"),
    )
    op.create_table(
        "submissions",
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("provisional_reference", sa.String(length=200), nullable=True),
        sa.Column("provisional_search", sa.String(length=200), nullable=True),
        sa.Column("service_id", sa.String(length=100), nullable=False),
        sa.Column("kiosk_id", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("plaintext", sa.JSON(), nullable=True),
        sa.Column("submitted", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["kiosks.kiosk_id"],
        ),
        sa.PrimaryKeyConstraint("reference"),
    )
    op.create_index(
        op.f("ix_submissions_provisional_search"),
        "submissions",
        ["provisional_search"],
        unique=False,
    )

    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("slot_id", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["reference"],
            ["submissions.reference"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_bookings_slot_id"), "bookings", ["slot_id"], unique=False)

    op.create_table(
        "open311_requests",
        sa.Column("service_request_id", sa.String(length=20), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("service_code", sa.String(length=50), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("address_string", sa.String(length=500), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("long", sa.Float(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("contact", sa.JSON(), nullable=False),
        sa.Column("media_url", sa.String(length=1000), nullable=False),
        sa.Column("requested", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_request_id"],
            ["submissions.reference"],
        ),
        sa.PrimaryKeyConstraint("service_request_id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index(
        op.f("ix_open311_requests_requested"), "open311_requests", ["requested"], unique=False
    )
    op.create_index(
        op.f("ix_open311_requests_service_code"), "open311_requests", ["service_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_open311_requests_service_code"), table_name="open311_requests")
    op.drop_index(op.f("ix_open311_requests_requested"), table_name="open311_requests")

    op.drop_table("open311_requests")
    op.drop_index(op.f("ix_bookings_slot_id"), table_name="bookings")

    op.drop_table("bookings")
    op.drop_index(op.f("ix_submissions_provisional_search"), table_name="submissions")

    op.drop_table("submissions")
    op.drop_table("insurance")
    op.drop_index(op.f("ix_identity_codes_sent"), table_name="identity_codes")

    op.drop_table("identity_codes")
    op.drop_table("options")
    op.drop_table("kiosks")
    op.drop_table("idempotency_keys")
    op.drop_table("citizens")
    op.drop_table("bills")
