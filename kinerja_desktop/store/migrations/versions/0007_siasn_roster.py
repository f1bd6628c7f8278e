"""siasn roster: SIASN ids on employees and units, hand-set supervisor links, kedudukan hukum

Plain ADD COLUMN and unique indexes (not batch operations): rebuilding ``units`` or
``employees`` on SQLite would trip the foreign keys that point at them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("siasn_id", sa.String(length=64), nullable=True))
    op.add_column("employees", sa.Column("supervisor_manual", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("employees", sa.Column("kedudukan_hukum", sa.String(length=60), nullable=False, server_default=""))
    op.create_index(op.f("ix_employees_siasn_id"), "employees", ["siasn_id"], unique=True)
    op.add_column("units", sa.Column("siasn_id", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_units_siasn_id"), "units", ["siasn_id"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_units_siasn_id"), table_name="units")
    op.drop_index(op.f("ix_employees_siasn_id"), table_name="employees")
    # SQLite (3.35+) drops plain columns without rebuilding the table.
    op.drop_column("units", "siasn_id")
    op.drop_column("employees", "kedudukan_hukum")
    op.drop_column("employees", "supervisor_manual")
    op.drop_column("employees", "siasn_id")
