"""documents trust: signed documents on record (per kind and revision), revocation lists of CAs

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 16:24:55.540238
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revocation_lists",
        sa.Column("issuer_key_hash", sa.String(length=64), nullable=False),
        sa.Column("issuer_name", sa.String(length=255), nullable=False),
        sa.Column("crl_number", sa.Integer(), nullable=False),
        sa.Column("this_update", sa.DateTime(), nullable=False),
        sa.Column("next_update", sa.DateTime(), nullable=True),
        sa.Column("crl_der", sa.LargeBinary(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocation_lists")),
    )
    with op.batch_alter_table("revocation_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revocation_lists_issuer_key_hash"), ["issuer_key_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_revocation_lists_updated_hlc"), ["updated_hlc"], unique=False)

    op.create_table(
        "signed_documents",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.String(length=120), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("revision_no", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=True),
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("file_digest", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("official", sa.Boolean(), nullable=False),
        sa.Column("expected", sa.JSON(), nullable=False),
        sa.Column("signers", sa.JSON(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("signed_by", sa.String(length=60), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_signed_documents_employee_id_employees")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_signed_documents_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_documents")),
    )
    with op.batch_alter_table("signed_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signed_documents_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signed_documents_file_digest"), ["file_digest"], unique=False)
        batch_op.create_index("ix_signed_documents_kind_document", ["kind", "document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signed_documents_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signed_documents_updated_hlc"), ["updated_hlc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signed_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signed_documents_updated_hlc"))
        batch_op.drop_index(batch_op.f("ix_signed_documents_unit_id"))
        batch_op.drop_index("ix_signed_documents_kind_document")
        batch_op.drop_index(batch_op.f("ix_signed_documents_file_digest"))
        batch_op.drop_index(batch_op.f("ix_signed_documents_employee_id"))

    op.drop_table("signed_documents")
    with op.batch_alter_table("revocation_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revocation_lists_updated_hlc"))
        batch_op.drop_index(batch_op.f("ix_revocation_lists_issuer_key_hash"))

    op.drop_table("revocation_lists")
