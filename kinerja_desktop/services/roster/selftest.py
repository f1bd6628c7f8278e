"""The roster step of ``kinerja selftest``: a SIASN download in, a safe export out.

In a temporary database: a small generated SIASN download (pipe text, every SIASN column)
is imported; the step checks units from UNOR with SIASN's ids, the derived supervisor chain,
that the personal columns were not stored, that a second import changes nothing, that an
XLSX export keeps NIPs as text and neutralizes a formula, and that a zip-bombed XLSX is
refused. Raises :class:`AssertionError` with a sentence on the first thing that is wrong.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sqlalchemy import func, select

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.roster.export import export_roster
from kinerja_desktop.services.roster.importer import import_roster
from kinerja_desktop.services.roster.siasn_sample import generate, write_download
from kinerja_desktop.services.xlsx_reader import XlsxReader
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.models import Employee, Unit

ROWS = 80


def _check(condition: object, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _import_checks(db, rows, source: Path) -> None:
    report = run(import_roster(db, source))
    _check(
        report.created == ROWS and not report.rejected,
        _("Impor unduhan SIASN contoh: {n} pegawai dibuat, {r} baris ditolak.").format(
            n=report.created, r=report.rejected_rows
        ),
    )
    _check(report.chain.assigned >= ROWS - 2, _("Rantai atasan tidak terbentuk dari unit dan jabatan."))
    with db.session() as s:
        units = s.scalar(select(func.count()).select_from(Unit).where(Unit.siasn_id.is_not(None)))
        managed = s.scalar(select(func.count()).select_from(Employee).where(Employee.supervisor_id.is_not(None)))
    _check(units and managed, _("Unit dari UNOR atau atasan tidak tersimpan."))
    again = run(import_roster(db, source))
    _check(
        again.unchanged == ROWS and again.updated == again.created == 0,
        _("Impor kedua berkas yang sama mengubah data."),
    )
    db.close()
    stored = b"".join(p.read_bytes() for p in db.path.parent.glob(db.path.name + "*"))
    _check(
        not any(r["NIK"].encode() in stored or r["EMAIL"].encode() in stored for r in rows),
        _("Data pribadi (NIK, e-mail) dari unduhan SIASN tersimpan di basis data."),
    )


def _export_checks(workdir: Path) -> None:
    db = open_database(workdir / "kinerja.sqlite3")
    try:
        with db.transaction() as s:
            first = s.scalar(select(Employee).limit(1))
            assert first is not None, "the self-test roster has employees"
            first.name = '=HYPERLINK("http://contoh.example")'
        target = workdir / "ekspor.xlsx"
        run(export_roster(db, target))
    finally:
        db.close()
    with XlsxReader(target) as reader:
        rows = [values for _n, values in reader.rows(reader.sheets[0])]
    _check(all(isinstance(r[0], str) and len(r[0]) == 18 for r in rows[1:]), _("Ekspor XLSX tidak menjaga NIP."))
    _check(any(str(r[2]).startswith("'=") for r in rows[1:]), _("Ekspor XLSX tidak menetralkan rumus."))
    with zipfile.ZipFile(target) as z:
        _check(b"<f>" not in z.read("xl/worksheets/sheet1.xml"), _("Ekspor XLSX berisi rumus."))


def _zip_bomb_check(workdir: Path) -> None:
    bomb = workdir / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "_rels/.rels",
            '<Relationships><Relationship Id="r" Type="x/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr("xl/workbook.xml", "<workbook>" + " " * (8 << 20) + "</workbook>")
    try:
        XlsxReader(bomb).close()
    except UnusableInput:
        return
    raise AssertionError(_("Berkas XLSX bom zip tidak ditolak."))


def run_roster_selftest(workdir: str | Path) -> str:
    folder = Path(workdir) / "roster-selftest"
    folder.mkdir(parents=True, exist_ok=True)
    rows = generate(ROWS, seed=15)
    source = write_download(folder / "siasn.txt", rows)
    db = open_database(folder / "kinerja.sqlite3")
    try:
        _import_checks(db, rows, source)
    finally:
        db.close()
    _export_checks(folder)
    _zip_bomb_check(folder)
    return _("{n} pegawai dari unduhan SIASN; ekspor aman; bom zip ditolak").format(n=ROWS)
