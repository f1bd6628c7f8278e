"""Export evaluations to CSV or XLSX: one row per evaluation (its newest version).

CSV is for other programs: its first columns are fixed, ``nip``, ``nama``, ``unit``,
``periode``, ``rating_hasil_kerja``, ``rating_perilaku_kerja``, ``predikat``, ``status``,
``nip_pejabat_penilai``, ``tanggal_final`` (``yyyy-mm-dd``). XLSX is for people: the same
columns with Indonesian headers ("NIP", "Nama", "Unit Kerja", ...), widths, NIPs as text and
the final date as a real date. Ratings and predikat are spelled as in the regulation. A
final evaluation shows the identities frozen on its final day; a draft shows today's
roster. Rows are streamed to the file through the one table writer
(:mod:`kinerja_desktop.services.table_export`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.permissions import employee_scope
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.performance.periods import list_periods, period_code, period_label
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.services.table_export import DATE, NIP, NUMBER, Column, check_target, write_table
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.periods import Period

TABLE_COLUMNS: tuple[Column, ...] = (
    Column(N_("NIP"), NIP, 21, "nip"),
    Column(N_("Nama"), width=32, csv_header="nama"),
    Column(N_("Unit Kerja"), width=32, csv_header="unit"),
    Column(N_("Periode"), width=18, csv_header="periode"),
    Column(N_("Rating Hasil Kerja"), width=20, csv_header="rating_hasil_kerja"),
    Column(N_("Rating Perilaku Kerja"), width=20, csv_header="rating_perilaku_kerja"),
    Column(N_("Predikat"), width=18, csv_header="predikat"),
    Column(N_("Status"), width=8, csv_header="status"),
    Column(N_("NIP Pejabat Penilai"), NIP, 21, "nip_pejabat_penilai"),
    Column(N_("Tanggal Final"), DATE, 14, "tanggal_final", csv_date_format="%Y-%m-%d"),
    # after the fixed ones:
    Column(N_("Kode Periode"), width=12, csv_header="kode_periode"),
    Column(N_("Jenis"), width=10, csv_header="jenis"),
    Column(N_("Revisi"), NUMBER, 8, "revisi"),
    Column(N_("Alasan Revisi"), width=30, csv_header="alasan_revisi"),
    Column(N_("Capaian Organisasi"), width=18, csv_header="capaian_organisasi"),
    Column(N_("Catatan/Rekomendasi"), width=40, csv_header="catatan_rekomendasi"),
    Column(N_("ID Evaluasi"), width=38, csv_header="id_evaluasi"),
)
#: The CSV headers (fixed: other programs read them).
COLUMNS = tuple(c.csv_header for c in TABLE_COLUMNS)
STATUS_TEXT = {"draft": "draf", "final": "final"}
BATCH = 2000


def _frozen(path: tuple[str, str]):
    return Evaluation.identities[path].as_string()


def export_query(actor: Principal, period_ids: list[str]):
    emp, sup, unit = Employee, aliased(Employee), Unit
    newer = aliased(Evaluation)
    live_name = case((emp.front_title != "", emp.front_title + " " + emp.name), else_=emp.name)
    live_name = case((emp.back_title != "", live_name + ", " + emp.back_title), else_=live_name)
    return (
        select(
            func.coalesce(_frozen(("pegawai", "nip")), emp.nip),
            func.coalesce(_frozen(("pegawai", "nama")), live_name),
            func.coalesce(_frozen(("pegawai", "unit_kerja")), unit.name, ""),
            Evaluation.period_id,
            Evaluation.rating_hasil_kerja,
            Evaluation.rating_perilaku_kerja,
            Evaluation.predikat,
            Evaluation.status,
            func.coalesce(_frozen(("pejabat_penilai", "nip")), sup.nip, ""),
            Evaluation.finalized_on,
            Evaluation.kind,
            Evaluation.revision_no,
            Evaluation.revision_reason,
            Evaluation.capaian,
            Evaluation.catatan_rekomendasi,
            Evaluation.id,
        )
        .join(emp, emp.id == Evaluation.employee_id)
        .join(Period, Period.id == Evaluation.period_id)
        .outerjoin(unit, unit.id == emp.unit_id)
        .outerjoin(
            sup, sup.id == case((Evaluation.status == "final", Evaluation.evaluator_id), else_=emp.supervisor_id)
        )
        .where(
            Evaluation.period_id.in_(period_ids),
            Evaluation.deleted.is_(False),
            employee_scope(actor),
            ~exists().where(newer.revision_of_id == Evaluation.id, newer.deleted.is_(False)),
        )
        .order_by(Period.kind == "akhir", Period.start, unit.name, emp.name, emp.nip)
    )


def iter_rows(session: Session, actor: Principal, year: int, period_id: str | None = None) -> Iterator[tuple]:
    """The export rows (COLUMNS order), streamed."""
    periods = {p.id: p for p in list_periods(session, year)}
    ids = [period_id] if period_id else list(periods)
    if not ids:
        return
    labels = {pid: period_label(p) for pid, p in periods.items()}
    codes = {pid: period_code(p) for pid, p in periods.items()}
    result = session.execute(export_query(actor, ids).execution_options(yield_per=BATCH))
    for (
        nip,
        nama,
        unit,
        pid,
        hasil,
        perilaku,
        pred,
        status,
        sup_nip,
        final_on,
        kind,
        rev,
        reason,
        capaian,
        catatan,
        ev_id,
    ) in result:
        yield (
            nip,
            nama,
            unit,
            labels.get(pid, ""),
            hasil or "",
            perilaku or "",
            pred or "",
            STATUS_TEXT.get(status, status),
            sup_nip or "",
            final_on,
            codes.get(pid, ""),
            kind,
            rev,
            reason or "",
            capaian or "",
            catatan or "",
            ev_id,
        )


def count_rows(session: Session, actor: Principal, year: int, period_id: str | None = None) -> int:
    ids = [period_id] if period_id else [p.id for p in list_periods(session, year)]
    if not ids:
        return 0
    q = export_query(actor, ids).order_by(None).with_only_columns(func.count())
    return session.scalar(q) or 0


def export_evaluations(
    session: Session,
    actor: Principal,
    path: str | Path,
    year: int,
    period_id: str | None = None,
    *,
    delimiter: str = ",",
) -> Job[int]:
    """Write the export file (a job: yields progress, returns the number of rows).

    Every evaluation of ``year`` (or of one period) that ``actor`` may see."""
    path = Path(path)
    check_target(path)
    total = count_rows(session, actor, year, period_id)
    yield Progress(0, total, _("Mengekspor evaluasi"))
    return (
        yield from write_table(
            path,
            TABLE_COLUMNS,
            iter_rows(session, actor, year, period_id),
            total=total,
            sheet_title=_("Evaluasi"),
            message=_("Mengekspor evaluasi"),
            delimiter=delimiter,
        )
    )
