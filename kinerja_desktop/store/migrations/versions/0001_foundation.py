"""foundation: organisation, roster, sites, users, audit, change log

Revision ID: 0001
Revises:
Create Date: 2026-11-28 14:53:09.844354
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:  # long: the migration's DDL, one table or column a block, read in order

    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=96), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_hlc"), ["hlc"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_log_row_id"), ["row_id"], unique=False)

    op.create_table(
        "positions",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("is_unit_head", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_positions")),
        sa.UniqueConstraint("name", name=op.f("uq_positions_name")),
    )
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_positions_updated_hlc"), ["updated_hlc"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "sites",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_code", sa.String(length=40), nullable=True),
        sa.Column("is_local", sa.Boolean(), nullable=False),
        sa.Column("is_central", sa.Boolean(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("last_hlc", sa.String(length=96), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
    )
    op.create_table(
        "units",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("code", name=op.f("uq_units_code")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_units_updated_hlc"), ["updated_hlc"], unique=False)

    op.create_table(
        "employees",
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("front_title", sa.String(length=60), nullable=False),
        sa.Column("back_title", sa.String(length=80), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("golongan", sa.String(length=8), nullable=False),
        sa.Column("position_id", sa.String(length=36), nullable=True),
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("supervisor_id", sa.String(length=36), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"], name=op.f("fk_employees_position_id_positions")),
        sa.ForeignKeyConstraint(["supervisor_id"], ["employees.id"], name=op.f("fk_employees_supervisor_id_employees")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_employees_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employees")),
        sa.UniqueConstraint("nip", name=op.f("uq_employees_nip")),
    )
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employees_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_employees_position_id"), ["position_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_employees_supervisor_id"), ["supervisor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_employees_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_employees_updated_hlc"), ["updated_hlc"], unique=False)
        # Covering indexes for the paged roster at 10^5 rows (services.roster_query).
        batch_op.create_index("ix_employees_roster_name", ["deleted", "name", "id", "active", "nip"], unique=False)
        batch_op.create_index("ix_employees_roster_nip", ["deleted", "nip", "active"], unique=False)
        batch_op.create_index(
            "ix_employees_roster_golongan", ["deleted", "golongan", "name", "id", "active"], unique=False
        )
        batch_op.create_index("ix_employees_roster_status", ["deleted", "status", "name", "id", "active"], unique=False)
        batch_op.create_index("ix_employees_roster_unit", ["deleted", "unit_id", "name", "id", "active"], unique=False)
        batch_op.create_index(
            "ix_employees_roster_position", ["deleted", "position_id", "name", "id", "active"], unique=False
        )
        batch_op.create_index("ix_employees_supervisor_chain", ["supervisor_id", "deleted", "id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("employee_id", sa.String(length=36), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], name=op.f("fk_users_employee_id_employees")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )


def downgrade() -> None:

    op.drop_table("users")
    with op.batch_alter_table("employees", schema=None) as batch_op:
        for name in (
            "ix_employees_roster_name",
            "ix_employees_roster_nip",
            "ix_employees_roster_golongan",
            "ix_employees_roster_status",
            "ix_employees_roster_unit",
            "ix_employees_roster_position",
            "ix_employees_supervisor_chain",
        ):
            batch_op.drop_index(name)
        batch_op.drop_index(batch_op.f("ix_employees_updated_hlc"))
        batch_op.drop_index(batch_op.f("ix_employees_unit_id"))
        batch_op.drop_index(batch_op.f("ix_employees_supervisor_id"))
        batch_op.drop_index(batch_op.f("ix_employees_position_id"))
        batch_op.drop_index(batch_op.f("ix_employees_name"))

    op.drop_table("employees")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_updated_hlc"))
        batch_op.drop_index(batch_op.f("ix_units_parent_id"))

    op.drop_table("units")
    op.drop_table("sites")
    op.drop_table("settings")
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_updated_hlc"))

    op.drop_table("positions")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_row_id"))
        batch_op.drop_index(batch_op.f("ix_change_log_hlc"))

    op.drop_table("change_log")
    op.drop_table("audit_log")
