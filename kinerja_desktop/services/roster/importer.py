"""Importing the roster (daftar pegawai) from a CSV, XLSX or SIASN download.

``import_roster`` is a long job: a generator that yields :class:`Progress` and returns an
:class:`ImportReport`. Every row is checked first; valid rows are then written in one
transaction (all of them or none), invalid rows are not written and are listed, with the
row number the spreadsheet shows, the column and the reason, in ``<input>.galat.csv``
next to the input. A file that cannot be read at all raises :class:`UnusableInput` and
changes nothing.

Rules, in the words HR staff would use:

- NIP and Nama columns are required; the others are optional. The report lists every
  column with the field it fills or why it is ignored ("diabaikan"); personal data the
  program does not need (NIK, NPWP, telephone, e-mail, address, religion, ...) is never
  stored. A column whose title looks like a field the program reads but is not recognised
  refuses the file.
- A column that is missing leaves that value unchanged for employees already in the
  database; an empty cell in a column that is present empties the value (an empty PNS ID
  or KEDUDUKAN HUKUM keeps it). Status, Jenis Kelamin and Tanggal Lahir come from the NIP
  when empty; when given they must agree with it (:mod:`kinerja_desktop.domain.employee_rules`).
- A NIP that Excel turned into a number is rejected, never repaired. A NIP or PNS ID that
  appears more than once: every occurrence after the first is rejected.
- Rows update employees matched by SIASN's PNS ID first, then by NIP. KEDUDUKAN HUKUM other
  than Aktif makes the employee inactive (never deleted). With ``complete`` (a download of
  every ASN of the instansi), active employees the file does not name become inactive.
- Units: Unit Kerja/Kode Unit, or SIASN's SATUAN KERJA (top) and UNOR (beneath), matched by
  SIASN's ids (:mod:`roster_units`). Positions are matched by name or created.
- Supervisors: NIP Atasan where the file has it; otherwise, in a SIASN download, the chain
  derived from units and positions (:mod:`roster_chain`). A link HR set by hand is never
  changed. The chain may not loop.
- Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from kinerja_desktop import paths
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, SYSTEM, Principal
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.services.roster import columns as rc
from kinerja_desktop.services.roster.chain import ChainBuilder, ChainReport
from kinerja_desktop.services.roster.plan import Changes, PlanBuilder
from kinerja_desktop.services.roster.rows import Candidate, RowChecker, RowError
from kinerja_desktop.services.roster.units import UnitResolver
from kinerja_desktop.services.roster.write import COL, RosterState, RosterWrite, load_roster_state, write_roster
from kinerja_desktop.services.table_export import Column, write_table
from kinerja_desktop.services.tabular import open_table

__all__ = ["ERROR_FILE_SUFFIX", "ImportReport", "RowError", "error_file_for", "import_roster"]

PROGRESS_EVERY = 1000
ERROR_FILE_SUFFIX = ".galat.csv"
#: The error file lists at most this many problems, then one line with the count left out.
ERROR_FILE_LIMIT = 10_000
ERROR_FILE_COLUMNS = (
    Column(N_("baris"), csv_header="baris"),
    Column(N_("kolom"), csv_header="kolom"),
    Column(N_("nilai"), csv_header="nilai"),
    Column(N_("alasan"), csv_header="alasan"),
)
ERROR_FILE_HEADERS = tuple(c.csv_header for c in ERROR_FILE_COLUMNS)


@dataclass
class ImportReport:
    path: Path
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    #: Rows imported with a remark (a derived supervisor link left out); also in the error file.
    warnings: list[RowError] = field(default_factory=list)
    units_created: int = 0
    units_updated: int = 0
    positions_created: int = 0
    error_file: Path | None = None
    dry_run: bool = False
    rows_read: int = 0
    complete: bool = False
    siasn: bool = False  # the file is a SIASN download (units from SATUAN KERJA / UNOR)
    columns: list[rc.ColumnUse] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    chain: ChainReport = field(default_factory=ChainReport)

    @property
    def rejected_rows(self) -> int:
        """How many rows were rejected (a row may have several problems)."""
        return len({e.row for e in self.rejected})

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def ignored_columns(self) -> list[rc.ColumnUse]:
        return [c for c in self.columns if c.kind != rc.USED]


def error_file_for(path: str | Path) -> Path:
    """Where the rejected rows of ``path`` are listed: ``<stem>.galat.csv`` next to it."""
    path = Path(path)
    return path.with_name(path.stem + ERROR_FILE_SUFFIX)


def _write_error_file(path: Path, errors: list[RowError]) -> Path:
    """The problems, sorted by row, through the one table writer (formula-safe), at most
    :data:`ERROR_FILE_LIMIT` of them and then the count of the rest. Next to the input, or in
    the exports folder when the input's folder cannot be written (a CD, a read-only share)."""
    ordered = sorted(errors, key=lambda e: e.row)

    def overflow(left: int) -> tuple:
        return (
            "",
            "",
            "",
            _(
                "… dan {n} masalah lain tidak ditulis di sini; perbaiki yang di atas, "
                "lalu impor lagi untuk melihat sisanya."
            ).format(n=left),
        )

    def write(to: Path) -> Path:
        rows = ((e.row, e.column, e.value, e.reason) for e in ordered)
        for _progress in write_table(
            to,
            ERROR_FILE_COLUMNS,
            rows,
            total=None,
            sheet_title="galat",
            message="",
            max_rows=ERROR_FILE_LIMIT,
            overflow_row=overflow,
        ):
            pass
        return to

    target = error_file_for(path)
    try:
        return write(target)
    except (UserError, OSError):
        folder = paths.locations().exports
        folder.mkdir(parents=True, exist_ok=True)
        return write(folder / target.name)


def _is_header(headers: list[str]) -> bool:
    fields = rc.map_headers(headers)
    return all(f in fields for f in rc.REQUIRED)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection during a bulk import.

    Tens of thousands of long-lived row dicts make the collector rescan them again and
    again (about a tenth of the import's time); they hold no reference cycles and are
    freed by reference counting. The collector is switched back on afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _refuse_headers(path: Path, headers: list[str], found: bool) -> None:
    """Refuse a file without the required columns, or with a column that cannot be read."""
    if not found or not _is_header(headers):
        shown = ", ".join(h for h in headers if h) or _("(tidak ada)")
        missing = [_(rc.FIELD_LABELS[f]) for f in rc.REQUIRED if f not in rc.map_headers(headers)]
        raise UnusableInput(
            _(
                "Berkas {path} tidak memiliki kolom wajib {missing}. Judul kolom yang terbaca: {found}. "
                "Tambahkan kolom tersebut pada baris judul; tidak ada data yang diubah."
            ).format(path=path, missing=_(" dan ").join(missing), found=shown)
        )
    suspects = [c for c in rc.describe_columns(headers) if c.kind == rc.SUSPECT]
    if suspects:
        listed = "; ".join(
            _("'{header}' (kolom {letter}) {note}").format(header=c.header, letter=c.letter, note=c.note)
            for c in suspects
        )
        raise UnusableInput(
            _(
                "Berkas {path} memuat kolom yang tidak dapat dibaca: {listed}. Ganti judulnya dengan judul yang dikenali "
                "(misalnya yang ditulis Ekspor, atau nama kolom SIASN) atau hapus kolom itu, lalu impor lagi. "
                "Tidak ada data yang diubah."
            ).format(path=path, listed=listed)
        )


def _absent(state: RosterState, checker: RowChecker, valid: dict[str, Candidate]) -> list[str]:
    """Active employees a complete download does not name (by NIP or PNS ID, rejected rows included)."""
    claimed = {c.existing for c in valid.values() if c.existing}
    out = []
    for nip, row in state.employees.items():
        if row[COL["deleted"]] or not row[COL["active"]] or nip in claimed or nip in checker.seen_nips:
            continue
        if row[COL["siasn_id"]] and row[COL["siasn_id"]] in checker.seen_siasn:
            continue
        out.append(nip)
    return out


def _check_and_plan(state: RosterState, path: Path, report: ImportReport) -> Job[RosterWrite]:
    """Read and check every row of ``path``, then the supervisors; return what to write."""
    with open_table(path, _is_header) as table:
        _refuse_headers(path, table.headers, table.header_found)
        report.columns = rc.describe_columns(table.headers)
        checker = RowChecker(table.headers, state, UnitResolver(state))
        report.siasn = checker.siasn
        total = table.estimated_rows
        valid: dict[str, Candidate] = {}
        for number, cells in table.rows:
            candidate = checker.check(number, cells)
            if candidate is not None:
                valid[candidate.nip] = candidate
            report.rows_read = number - table.header_row
            if report.rows_read % PROGRESS_EVERY == 0:
                yield Progress(
                    report.rows_read,
                    max(total or 0, report.rows_read) or None,
                    _("Memeriksa baris {row}…").format(row=number),
                )
    yield Progress(report.rows_read, report.rows_read, _("Memeriksa atasan…"))
    absent = _absent(state, checker, valid) if report.complete else []
    chain = ChainBuilder(checker, valid, exclude=set(absent))
    if checker.siasn:
        chain.derive()
    chain.keep_manual()
    chain.check()
    report.chain = chain.report
    builder = PlanBuilder(checker, valid, absent)
    plan = builder.build()
    counts = builder.counts
    report.created, report.updated, report.unchanged = counts.created, counts.updated, counts.unchanged
    report.units_created, report.units_updated = counts.units_created, counts.units_updated
    report.positions_created = counts.positions_created
    report.changes = builder.changes
    report.rejected = sorted(checker.errors, key=lambda e: e.row)
    report.warnings = sorted(chain.warnings, key=lambda e: e.row)
    return plan


def import_roster(
    target, path: str | Path, *, dry_run: bool = False, actor: Principal | None = SYSTEM, complete: bool = False
) -> Job[ImportReport]:
    """Import the roster in ``path`` (CSV, XLSX or a SIASN download) into ``target``.

    ``target`` is a :class:`~kinerja_desktop.store.database.Database` (the import commits
    its own transaction) or a :class:`Session` (the import writes in it and the caller
    commits; on failure the session is rolled back). With ``dry_run`` every check runs and
    the report says what would change, but the database is not written. ``complete``: the
    file lists every ASN of the instansi, so active employees it does not name become
    inactive. Raises :class:`UnusableInput` when the file cannot be used at all.
    """
    path = Path(path)
    actor = actor or SYSTEM
    require_role(actor, ADMIN_KEPEGAWAIAN)
    report = ImportReport(path=path, dry_run=dry_run, complete=complete)
    yield Progress(0, None, _("Membuka {name}…").format(name=path.name))
    session_owned = not isinstance(target, Session)
    read_session = target.session() if session_owned else target
    try:
        state = load_roster_state(read_session)
    finally:
        if session_owned:
            read_session.close()

    with _gc_paused():
        plan = yield from _check_and_plan(state, path, report)
        del state
        if not dry_run and not plan.is_empty:
            yield from _write(target, actor, plan, session_owned)
    problems = report.rejected + report.warnings
    if problems:
        report.error_file = _write_error_file(path, problems)
    else:
        stale = error_file_for(path)
        if stale.exists():  # from an earlier run of this file: it no longer applies
            stale.unlink()
    yield Progress(report.rows_read, report.rows_read, _("Selesai."))
    return report


def _write(target, actor: Principal, plan: RosterWrite, session_owned: bool) -> Iterator[Progress]:
    to_write = plan.employee_count
    message = _("Menyimpan {count} pegawai…").format(count=to_write)
    yield Progress(0, to_write, message)
    if session_owned:
        with target.transaction() as session:
            for written in write_roster(session, actor, plan):
                yield Progress(written, to_write, message)
        return
    try:
        for written in write_roster(target, actor, plan):
            yield Progress(written, to_write, message)
        target.flush()
    except BaseException:
        target.rollback()
        raise
