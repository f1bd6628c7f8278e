"""regulation: capaian per period and who decided it, the kepala daerah, SKP per assignment, Angka Kredit

- capaian_organisasi gets the period it is for, its basis, the recommendation it took and
  the deciding leader with the decision's reference. Existing rows were yearly: they
  become the capaian of that year's Akhir period, measured on the perjanjian kinerja.
- kepala_daerah: the Bupati (no NIP), pejabat penilai of the Sekda; positions say which
  holder the kepala daerah evaluates directly.
- skp: the assignment (position, unit) it belongs to and the SKP of the previous
  assignment, so a mutasi within the year gets a second SKP. Existing SKP take the
  employee's present position and unit.
- angka_kredit_awal: the AK of a jabatan fungsional as of its last PAK.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 16:21:02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:  # long: the migration's DDL, one table or column a block, read in order
    op.create_table(
        "kepala_daerah",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("front_title", sa.String(length=60), nullable=False),
        sa.Column("back_title", sa.String(length=80), nullable=False),
        sa.Column("jabatan", sa.String(length=120), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("decree", sa.String(length=120), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kepala_daerah")),
    )
    with op.batch_alter_table("kepala_daerah", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kepala_daerah_updated_hlc"), ["updated_hlc"], unique=False)

    op.create_table(
        "angka_kredit_awal",
        sa.Column("employee_id", sa.String(length=36), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=9, scale=3), nullable=False),
        sa.Column("jenjang", sa.String(length=20), nullable=False),
        sa.Column("golongan", sa.String(length=8), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=60), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_site", sa.String(length=64), nullable=False),
        sa.Column("updated_hlc", sa.String(length=96), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_angka_kredit_awal_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_angka_kredit_awal")),
    )
    with op.batch_alter_table("angka_kredit_awal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_angka_kredit_awal_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_angka_kredit_awal_updated_hlc"), ["updated_hlc"], unique=False)

    # New NOT NULL columns get a server default so rows already there are valid.
    with op.batch_alter_table("capaian_organisasi", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_id", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("basis", sa.String(length=20), nullable=False, server_default="perjanjian_kinerja")
        )
        batch_op.add_column(sa.Column("basis_note", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("recommendation_source", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("recommended_capaian", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("decider_employee_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("decider_kepala_daerah_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("decision_reference", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_capaian_organisasi_unit_period", ["unit_id", "period_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_capaian_organisasi_decider_employee_id_employees"),
            "employees",
            ["decider_employee_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_capaian_organisasi_decider_kepala_daerah_id_kepala_daerah"),
            "kepala_daerah",
            ["decider_kepala_daerah_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_capaian_organisasi_period_id_periods"), "periods", ["period_id"], ["id"]
        )
    # A yearly capaian becomes the capaian of that year's Akhir period.
    op.execute(
        "UPDATE capaian_organisasi SET period_id = (SELECT p.id FROM periods p WHERE p.year = capaian_organisasi.year "
        "AND p.kind = 'akhir' AND p.deleted = " + _false() + " ORDER BY p.id LIMIT 1) WHERE period_id IS NULL"
    )

    # positions and skp are referenced by other tables: SQLite cannot rebuild them while
    # foreign keys are enforced, so their columns are added in place (ALTER TABLE ADD COLUMN).
    op.add_column(
        "positions", sa.Column("reports_to_kepala_daerah", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("skp", sa.Column("assignment_note", sa.Text(), nullable=False, server_default=""))
    for column, table in (("position_id", "positions"), ("unit_id", "units"), ("previous_skp_id", "skp")):
        name = f"fk_skp_{column}_{table}"
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE skp ADD COLUMN {column} VARCHAR(36) CONSTRAINT {name} REFERENCES {table} (id)")
        else:
            op.add_column("skp", sa.Column(column, sa.String(length=36), nullable=True))
            op.create_foreign_key(name, "skp", table, [column], ["id"])
    op.execute(
        "UPDATE skp SET position_id = (SELECT e.position_id FROM employees e WHERE e.id = skp.employee_id), "
        "unit_id = (SELECT e.unit_id FROM employees e WHERE e.id = skp.employee_id)"
    )


def _false() -> str:
    return "false" if op.get_bind().dialect.name == "postgresql" else "0"


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, table in (("previous_skp_id", "skp"), ("unit_id", "units"), ("position_id", "positions")):
        if not sqlite:
            op.drop_constraint(f"fk_skp_{column}_{table}", "skp", type_="foreignkey")
        op.drop_column("skp", column)  # SQLite 3.35+ drops a column in place
    op.drop_column("skp", "assignment_note")
    op.drop_column("positions", "reports_to_kepala_daerah")

    with op.batch_alter_table("capaian_organisasi", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_capaian_organisasi_period_id_periods"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_capaian_organisasi_decider_kepala_daerah_id_kepala_daerah"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_capaian_organisasi_decider_employee_id_employees"), type_="foreignkey")
        batch_op.drop_index("ix_capaian_organisasi_unit_period")
        batch_op.drop_column("decided_on")
        batch_op.drop_column("decision_reference")
        batch_op.drop_column("decider_kepala_daerah_id")
        batch_op.drop_column("decider_employee_id")
        batch_op.drop_column("recommended_capaian")
        batch_op.drop_column("recommendation_source")
        batch_op.drop_column("basis_note")
        batch_op.drop_column("basis")
        batch_op.drop_column("period_id")

    with op.batch_alter_table("angka_kredit_awal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_angka_kredit_awal_updated_hlc"))
        batch_op.drop_index(batch_op.f("ix_angka_kredit_awal_employee_id"))

    op.drop_table("angka_kredit_awal")
    with op.batch_alter_table("kepala_daerah", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kepala_daerah_updated_hlc"))

    op.drop_table("kepala_daerah")
