"""``kinerja report ...``: print (and sign) documents, batch export, verify signatures.

    kinerja report appraisal --nip NIP --year YYYY [--period P] [--form short|detailed] -o OUT.pdf [--sign P12]
    kinerja report skp --nip NIP --year YYYY -o OUT.pdf [--sign P12]
    kinerja report recap --unit CODE --year YYYY [--period P] -o OUT.pdf [--sign P12]
    kinerja report training --unit CODE --year YYYY -o OUT.pdf [--sign P12]
    kinerja report batch --unit CODE --year YYYY [--period P] [--form F] -o DIR [--sign P12] [--combined]
    kinerja report penetapan --unit CODE --year YYYY [--period P] -o OUT.pdf [--sign P12]
    kinerja report pak --nip NIP -o OUT.pdf [--sign P12]
    kinerja report countersign IN.pdf -o OUT.pdf --sign P12
    kinerja report verify FILE.pdf [--trust CA.pem] [--at YYYY-MM-DD]

A thin layer over ``services.documents``: the same rules as the window (what may be
signed, by whom, the record kept). ``--sign`` takes a .p12/.pfx file, or the NIP of a
certificate kept on this computer. The passphrase comes from ``KINERJA_SIGN_PASSPHRASE``
or a prompt and is never stored. ``report verify`` prints the facts and one verdict
line, and exits 0 only when the verdict is SAH.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from pathlib import Path

from kinerja_desktop.cli import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, database_target
from kinerja_desktop.cli.report_regulation import register_documents
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _

FORM_KINDS = {"short": "evaluasi", "detailed": "evaluasi-rinci", "skp": "skp"}


def _sign_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sign", metavar="P12", help=_("tandatangani dengan sertifikat .p12/.pfx ini (atau NIP sertifikat "
                                                   "yang tersimpan di komputer ini)"))
    p.add_argument("--confirm-name-mismatch", action="store_true",
                   help=_("tetap tandatangani bila sertifikat tanpa NIP memuat ejaan nama yang berbeda"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help=_("cetak dan tandatangani dokumen, verifikasi tanda tangan"))
    rsub = p.add_subparsers(dest="report_command", metavar="SUBCOMMAND", required=True)

    a = rsub.add_parser("appraisal", help=_("dokumen evaluasi kinerja seorang pegawai"))
    a.add_argument("--nip", required=True)
    a.add_argument("--year", type=int, required=True, metavar="YYYY")
    a.add_argument("--period", metavar="P", help=_("AKHIR (bawaan), TW1..TW4, S1, S2, B01..B12"))
    a.add_argument("--form", choices=("short", "detailed"), default="short",
                   help=_("short: Dokumen Evaluasi Kinerja Pegawai; detailed: Evaluasi Kinerja Pegawai"))
    a.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    _sign_args(a)
    a.set_defaults(handler=appraisal)

    s = rsub.add_parser("skp", help=_("SKP seorang pegawai beserta lampirannya"))
    s.add_argument("--nip", required=True)
    s.add_argument("--year", type=int, required=True, metavar="YYYY")
    s.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    _sign_args(s)
    s.set_defaults(handler=skp)

    r = rsub.add_parser("recap", help=_("rekap predikat per unit dengan pola distribusi"))
    r.add_argument("--unit", required=True, metavar="CODE")
    r.add_argument("--year", type=int, required=True, metavar="YYYY")
    r.add_argument("--period", metavar="P")
    r.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    _sign_args(r)
    r.set_defaults(handler=recap)

    t = rsub.add_parser("training", help=_("rekap JP pengembangan kompetensi per pegawai suatu unit"))
    t.add_argument("--unit", required=True, metavar="CODE")
    t.add_argument("--year", type=int, required=True, metavar="YYYY")
    t.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    _sign_args(t)
    t.set_defaults(handler=training)

    b = rsub.add_parser("batch", help=_("satu berkas per pegawai suatu unit: <NIP>_<form>_<periode>.pdf"))
    b.add_argument("--unit", required=True, metavar="CODE")
    b.add_argument("--year", type=int, required=True, metavar="YYYY")
    b.add_argument("--period", metavar="P")
    b.add_argument("--form", choices=tuple(FORM_KINDS), default="short")
    b.add_argument("-o", "--output", required=True, metavar="DIR")
    b.add_argument("--combined", action="store_true", help=_("juga satu PDF gabungan untuk dicetak"))
    b.add_argument("--workers", type=int, default=None, help=_("jumlah proses (bawaan: jumlah inti prosesor)"))
    _sign_args(b)
    b.set_defaults(handler=batch)

    c = rsub.add_parser("countersign", help=_("tambahkan tanda tangan pegawai pada dokumen yang sudah ditandatangani"))
    c.add_argument("file", metavar="IN.pdf")
    c.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    c.add_argument("--sign", required=True, metavar="P12")
    c.add_argument("--confirm-name-mismatch", action="store_true")
    c.set_defaults(handler=countersign)

    v = rsub.add_parser("verify", help=_("periksa tanda tangan elektronik sebuah PDF"))
    v.add_argument("file", metavar="FILE.pdf")
    v.add_argument("--trust", action="append", default=[], metavar="CA.pem",
                   help=_("sertifikat CA yang dipercaya selain daftar di komputer ini (boleh berulang)"))
    v.add_argument("--at", metavar="YYYY-MM-DD", help=_("periksa seolah-olah pada tanggal ini (bawaan: sekarang)"))
    v.set_defaults(handler=verify)
    register_documents(rsub, _sign_args)


# --- helpers ---------------------------------------------------------------------------------


def _p12_bytes(value: str) -> bytes:
    from kinerja_desktop.reports.certs import MAX_P12_BYTES, user_p12_path

    path = Path(value).expanduser()
    if not path.is_file():
        digits = "".join(ch for ch in value if ch.isdigit())
        if digits and len(digits) == len(value.strip()) and user_p12_path(digits).is_file():
            path = user_p12_path(digits)
        else:
            raise UnusableInput(_("Sertifikat {value} tidak ditemukan: berikan berkas .p12/.pfx atau NIP sertifikat "
                                  "yang tersimpan (kinerja certs list).").format(value=value))
    if path.stat().st_size > MAX_P12_BYTES:
        raise UnusableInput(_("Berkas {path} terlalu besar untuk sebuah sertifikat PKCS#12.").format(path=path))
    return path.read_bytes()


def _p12(value: str) -> tuple[bytes, str]:
    from kinerja_desktop.cli.certs import SIGN_ENV, ask_passphrase

    data = _p12_bytes(value)
    return data, ask_passphrase(SIGN_ENV, _("Kata sandi sertifikat: "))


def _confirm_mismatch(exc) -> bool:
    print(exc.message, file=sys.stderr)
    if sys.stdin and sys.stdin.isatty():
        answer = input(_("Tetap tandatangani? [y/N] ")).strip().lower()
        return answer in ("y", "ya", "yes")
    print(_("Jalankan lagi dengan --confirm-name-mismatch bila memang benar."), file=sys.stderr)
    return False


def _confirming(action, confirm: bool):
    """``action(confirm)``, asking once when a certificate without NIP spells the name differently."""
    from kinerja_desktop.reports.signing import NameMismatch

    try:
        return action(confirm)
    except NameMismatch as exc:
        if not _confirm_mismatch(exc):
            raise UserError(_("Tidak ditandatangani; tidak ada berkas yang ditulis.")) from None
        return action(True)


def _database(args):
    from kinerja_desktop.store.database import open_database

    return open_database(database_target(args), create=False)


def _say_written(path: Path, signed: bool, official: bool = True) -> None:
    if signed:
        print(_("Dokumen ditandatangani secara elektronik dan ditulis ke {path}.").format(path=path))
        if not official:
            print(_("Perhatian: sertifikatnya tidak berasal dari CA terpercaya; berkas ini tercatat tetapi bukan "
                    "berkas resmi."))
    else:
        print(_("Dokumen ditulis ke {path}; kolom tanda tangan dibiarkan kosong untuk tanda tangan basah.").format(
            path=path))


def _document(args, kind_code: str, subject) -> int:
    """Render (and sign and record) one document; ``subject(session)`` gives its employee/unit id."""
    from kinerja_desktop.reports.render import check_output_path, write_pdf
    from kinerja_desktop.services.documents import registry as documents
    from kinerja_desktop.services.access.principal import SYSTEM

    target = check_output_path(args.output)
    p12, passphrase = _p12(args.sign) if args.sign else (None, None)
    db = _database(args)
    try:
        with db.transaction() as s:
            request = documents.DocumentRequest(kind_code, subject(s), getattr(args, "year", 0) or 0,
                                                 getattr(args, "period", None))
            prepared = documents.prepare(s, SYSTEM, request)
            if p12 is None:
                write_pdf(target, documents.render(prepared))
                signed = None
            else:
                key = documents.signing_key(s, p12, passphrase)
                signed = _confirming(lambda confirm: documents.sign(s, SYSTEM, prepared, key,
                                                                    confirm_name_mismatch=confirm),
                                     args.confirm_name_mismatch)
                write_pdf(target, signed.pdf)
    finally:
        db.close()
    _say_written(target, signed is not None, signed.official if signed else True)
    return EXIT_OK


def _employee(args):
    from kinerja_desktop.services.documents.views import employee_by_nip

    return lambda s: employee_by_nip(s, args.nip).id


def _unit(args):
    from kinerja_desktop.services.documents.views import unit_by_code

    return lambda s: unit_by_code(s, args.unit).id


# --- commands --------------------------------------------------------------------------------


def appraisal(args: argparse.Namespace) -> int:
    return _document(args, FORM_KINDS[args.form], _employee(args))


def skp(args: argparse.Namespace) -> int:
    return _document(args, "skp", _employee(args))


def recap(args: argparse.Namespace) -> int:
    return _document(args, "rekap-predikat", _unit(args))


def training(args: argparse.Namespace) -> int:
    return _document(args, "rekap-jp", _unit(args))


def batch(args: argparse.Namespace) -> int:
    from kinerja_desktop.cli.progress import run_with_progress
    from kinerja_desktop.services.documents.batch import batch as batch_job
    from kinerja_desktop.services.documents.views import unit_by_code
    from kinerja_desktop.services.access.principal import SYSTEM

    p12, passphrase = _p12(args.sign) if args.sign else (None, None)
    db = _database(args)
    try:
        with db.session() as s:
            unit_id = unit_by_code(s, args.unit).id
        outcome = run_with_progress(batch_job(
            db, SYSTEM, FORM_KINDS[args.form], unit_id, args.year, args.period, args.output, p12=p12,
            passphrase=passphrase, combined=args.combined, workers=args.workers,
            confirm_name_mismatch=args.confirm_name_mismatch))
    finally:
        db.close()
    result = outcome.result
    print(_("{n} dokumen ditulis ke {folder}{signed}.").format(
        n=len(result.files), folder=result.folder,
        signed=_(" ({n} ditandatangani)").format(n=result.signed) if args.sign else ""))
    if result.combined:
        print(_("PDF gabungan untuk dicetak: {path}.").format(path=result.combined))
    for name in outcome.missing:
        print(_("Tidak dicetak: {name} belum memiliki dokumen{signable} untuk periode ini.").format(
            name=name, signable=_(" yang dapat ditandatangani") if args.sign else ""), file=sys.stderr)
    for name, reason in result.rejected:
        print(_("Ditolak: {name}: {reason}").format(name=name, reason=reason), file=sys.stderr)
    return EXIT_PARTIAL if (result.rejected or outcome.missing) else EXIT_OK


def countersign(args: argparse.Namespace) -> int:
    from kinerja_desktop.reports.render import check_output_path, write_pdf
    from kinerja_desktop.services.documents import registry as documents
    from kinerja_desktop.services.access.principal import SYSTEM

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise UnusableInput(_("Berkas {path} tidak ditemukan.").format(path=source))
    target = check_output_path(args.output)
    data = source.read_bytes()
    p12, passphrase = _p12(args.sign)
    db = _optional_database(args)
    try:
        with (db.transaction() if db is not None else contextlib.nullcontext(None)) as s:
            key = documents.signing_key(s, p12, passphrase)
            signed = _confirming(lambda confirm: documents.countersign(s, SYSTEM, data, key,
                                                                       confirm_name_mismatch=confirm),
                                 args.confirm_name_mismatch)
            write_pdf(target, signed.pdf)
    finally:
        if db is not None:
            db.close()
    print(_("Tanda tangan pegawai ditambahkan; tanda tangan sebelumnya tetap sah. Ditulis ke {path}.").format(
        path=target))
    return EXIT_OK


def _optional_database(args):
    """The database when this computer has one (verification and countersigning work without)."""
    try:
        return _database(args)
    except UserError:
        return None


def _moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UnusableInput(_("Tanggal {text} tidak dapat dibaca; tulis sebagai YYYY-MM-DD.").format(text=text)) from None
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc)


def verify(args: argparse.Namespace) -> int:
    from kinerja_desktop.reports.verify import describe
    from kinerja_desktop.services.documents import registry as documents

    at = _moment(args.at)
    db = _optional_database(args)
    try:
        with (db.session() if db is not None else contextlib.nullcontext(None)) as s:
            report = documents.verify(s, args.file, at=at, trust_files=args.trust)
    except UnusableInput as exc:
        print(_("TIDAK SAH: {problem}").format(problem=exc.message))
        return EXIT_FAILURE
    finally:
        if db is not None:
            db.close()
    for line in describe(report):
        print(line)
    print(report.reason)
    return EXIT_OK if report.ok else EXIT_FAILURE
