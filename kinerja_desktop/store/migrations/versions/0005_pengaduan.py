"""pengaduan: public complaints (service catalogue per unit, register, steps) and the holiday calendar

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:  # long: the migration's DDL, one table or column a block, read in order
    op.create_table(
        "holidays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holidays")),
        sa.UniqueConstraint("day", name=op.f("uq_holidays_day")),
    )
    with op.batch_alter_table("holidays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holidays_updated_hlc"), ["updated_hlc"], unique=False)

    op.create_table(
        "complaint_services",
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("days_verify", sa.Integer(), nullable=False),
        sa.Column("days_respond", sa.Integer(), nullable=False),
        sa.Column("days_close", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_complaint_services_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_services")),
        sa.UniqueConstraint("unit_id", "code", name="uq_complaint_services_unit_code"),
    )
    with op.batch_alter_table("complaint_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_services_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_services_updated_hlc"), ["updated_hlc"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("channel_ref", sa.String(length=80), nullable=True),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact", sa.String(length=120), nullable=False),
        sa.Column("lookup_key", sa.String(length=64), nullable=False),
        sa.Column("assignee_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("forwarded_to", sa.String(length=200), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("verify_by", sa.Date(), nullable=True),
        sa.Column("respond_by", sa.Date(), nullable=True),
        sa.Column("close_by", sa.Date(), nullable=True),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("first_response_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["employees.id"], name=op.f("fk_complaints_assignee_id_employees")),
        sa.ForeignKeyConstraint(
            ["service_id"], ["complaint_services.id"], name=op.f("fk_complaints_service_id_complaint_services")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_complaints_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("number", name=op.f("uq_complaints_number")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index("ix_complaints_assignee", ["assignee_id", "finished_at"], unique=False)
        batch_op.create_index("ix_complaints_channel_ref", ["channel", "channel_ref"], unique=False)
        batch_op.create_index("ix_complaints_register", ["deleted", "received_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_service_id"), ["service_id"], unique=False)
        batch_op.create_index("ix_complaints_unit_status", ["unit_id", "status", "close_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_updated_hlc"), ["updated_hlc"], unique=False)

    op.create_table(
        "complaint_steps",
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("assignee_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["employees.id"], name=op.f("fk_complaint_steps_assignee_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_complaint_steps_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_steps")),
    )
    with op.batch_alter_table("complaint_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_steps_complaint_id"), ["complaint_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_steps_updated_hlc"), ["updated_hlc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("complaint_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_steps_updated_hlc"))
        batch_op.drop_index(batch_op.f("ix_complaint_steps_complaint_id"))

    op.drop_table("complaint_steps")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_updated_hlc"))
        batch_op.drop_index("ix_complaints_unit_status")
        batch_op.drop_index(batch_op.f("ix_complaints_service_id"))
        batch_op.drop_index("ix_complaints_register")
        batch_op.drop_index("ix_complaints_channel_ref")
        batch_op.drop_index("ix_complaints_assignee")

    op.drop_table("complaints")
    with op.batch_alter_table("complaint_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_services_updated_hlc"))
        batch_op.drop_index(batch_op.f("ix_complaint_services_unit_id"))

    op.drop_table("complaint_services")
    with op.batch_alter_table("holidays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holidays_updated_hlc"))

    op.drop_table("holidays")
