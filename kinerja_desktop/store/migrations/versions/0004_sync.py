"""sync: pinned site keys, bundles sent and received, acknowledgements, conflicts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 15:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:  # long: the migration's DDL, one table or column a block, read in order
    op.create_table(
        "site_keys",
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("sign_key", sa.String(length=64), nullable=False),
        sa.Column("age_recipient", sa.String(length=100), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_site_keys_site_id_sites")),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site_keys")),
    )
    op.create_table(
        "sync_acks",
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("received_seq", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("acked_seq", sa.Integer(), nullable=False),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.Column("acked_hlc", sa.String(length=96), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_sync_acks_site_id_sites")),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_sync_acks")),
    )
    op.create_table(
        "sync_received",
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("source_site", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("seq_from", sa.Integer(), nullable=False),
        sa.Column("seq_to", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_sync_received")),
    )
    with op.batch_alter_table("sync_received", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_received_source_site"), ["source_site"], unique=False)

    op.create_table(
        "sync_sent",
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("target_site", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("seq_from", sa.Integer(), nullable=False),
        sa.Column("seq_to", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_sync_sent")),
    )
    with op.batch_alter_table("sync_sent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_sent_target_site"), ["target_site"], unique=False)

    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("winner", sa.String(length=10), nullable=False),
        sa.Column("local_image", sa.JSON(), nullable=True),
        sa.Column("local_hlc", sa.String(length=96), nullable=False),
        sa.Column("local_site", sa.String(length=64), nullable=False),
        sa.Column("incoming_image", sa.JSON(), nullable=True),
        sa.Column("incoming_hlc", sa.String(length=96), nullable=False),
        sa.Column("incoming_site", sa.String(length=64), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolution", sa.String(length=10), nullable=True),
        sa.Column("resolved_by", sa.String(length=60), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflicts_resolved"), ["resolved"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflicts_row_id"), ["row_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_row_id"))
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_resolved"))
    op.drop_table("sync_conflicts")
    with op.batch_alter_table("sync_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_sent_target_site"))
    op.drop_table("sync_sent")
    with op.batch_alter_table("sync_received", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_received_source_site"))
    op.drop_table("sync_received")
    op.drop_table("sync_acks")
    op.drop_table("site_keys")
