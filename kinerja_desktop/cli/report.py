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

from kinerja_desktop.cli import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL
from kinerja_desktop.cli.progress import run_with_progress
from kinerja_desktop.cli.report_documents import (
    confirming,
    employee_subject,
    make_document,
    open_db,
    p12_and_passphrase,
    unit_subject,
)
from kinerja_desktop.cli.report_regulation import register_documents
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.render import check_output_path, write_pdf
from kinerja_desktop.reports.verify import describe
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.documents.batch import batch as batch_job
from kinerja_desktop.services.documents.views import unit_by_code

FORM_KINDS = {"short": "evaluasi", "detailed": "evaluasi-rinci", "skp": "skp"}


def _sign_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sign",
        metavar="P12",
        help=_("tandatangani dengan sertifikat .p12/.pfx ini (atau NIP sertifikat yang tersimpan di komputer ini)"),
    )
    p.add_argument(
        "--confirm-name-mismatch",
        action="store_true",
        help=_("tetap tandatangani bila sertifikat tanpa NIP memuat ejaan nama yang berbeda"),
    )


def register(
    sub: argparse._SubParsersAction,
) -> None:  # long: the subcommands' argparse declarations, one option a line
    p = sub.add_parser("report", help=_("cetak dan tandatangani dokumen, verifikasi tanda tangan"))
    rsub = p.add_subparsers(dest="report_command", metavar="SUBCOMMAND", required=True)

    a = rsub.add_parser("appraisal", help=_("dokumen evaluasi kinerja seorang pegawai"))
    a.add_argument("--nip", required=True)
    a.add_argument("--year", type=int, required=True, metavar="YYYY")
    a.add_argument("--period", metavar="P", help=_("AKHIR (bawaan), TW1..TW4, S1, S2, B01..B12"))
    a.add_argument(
        "--form",
        choices=("short", "detailed"),
        default="short",
        help=_("short: Dokumen Evaluasi Kinerja Pegawai; detailed: Evaluasi Kinerja Pegawai"),
    )
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
    v.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="CA.pem",
        help=_("sertifikat CA yang dipercaya selain daftar di komputer ini (boleh berulang)"),
    )
    v.add_argument("--at", metavar="YYYY-MM-DD", help=_("periksa seolah-olah pada tanggal ini (bawaan: sekarang)"))
    v.set_defaults(handler=verify)
    register_documents(rsub, _sign_args)


# --- helpers ---------------------------------------------------------------------------------


# --- commands --------------------------------------------------------------------------------


def appraisal(args: argparse.Namespace) -> int:
    return make_document(args, FORM_KINDS[args.form], employee_subject(args))


def skp(args: argparse.Namespace) -> int:
    return make_document(args, "skp", employee_subject(args))


def recap(args: argparse.Namespace) -> int:
    return make_document(args, "rekap-predikat", unit_subject(args))


def training(args: argparse.Namespace) -> int:
    return make_document(args, "rekap-jp", unit_subject(args))


def batch(args: argparse.Namespace) -> int:

    p12, passphrase = p12_and_passphrase(args.sign) if args.sign else (None, None)
    db = open_db(args)
    try:
        with db.session() as s:
            unit_id = unit_by_code(s, args.unit).id
        outcome = run_with_progress(
            batch_job(
                db,
                SYSTEM,
                FORM_KINDS[args.form],
                unit_id,
                args.year,
                args.period,
                args.output,
                p12=p12,
                passphrase=passphrase,
                combined=args.combined,
                workers=args.workers,
                confirm_name_mismatch=args.confirm_name_mismatch,
            )
        )
    finally:
        db.close()
    result = outcome.result
    print(
        _("{n} dokumen ditulis ke {folder}{signed}.").format(
            n=len(result.files),
            folder=result.folder,
            signed=_(" ({n} ditandatangani)").format(n=result.signed) if args.sign else "",
        )
    )
    if result.combined:
        print(_("PDF gabungan untuk dicetak: {path}.").format(path=result.combined))
    for name in outcome.missing:
        print(
            _("Tidak dicetak: {name} belum memiliki dokumen{signable} untuk periode ini.").format(
                name=name, signable=_(" yang dapat ditandatangani") if args.sign else ""
            ),
            file=sys.stderr,
        )
    for name, reason in result.rejected:
        print(_("Ditolak: {name}: {reason}").format(name=name, reason=reason), file=sys.stderr)
    return EXIT_PARTIAL if (result.rejected or outcome.missing) else EXIT_OK


def countersign(args: argparse.Namespace) -> int:

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise UnusableInput(_("Berkas {path} tidak ditemukan.").format(path=source))
    target = check_output_path(args.output)
    data = source.read_bytes()
    p12, passphrase = p12_and_passphrase(args.sign)
    db = _optional_database(args)
    try:
        with db.transaction() if db is not None else contextlib.nullcontext(None) as s:
            key = documents.signing_key(s, p12, passphrase)
            signed = confirming(
                lambda confirm: documents.countersign(s, SYSTEM, data, key, confirm_name_mismatch=confirm),
                args.confirm_name_mismatch,
            )
            write_pdf(target, signed.pdf)
    finally:
        if db is not None:
            db.close()
    print(
        _("Tanda tangan pegawai ditambahkan; tanda tangan sebelumnya tetap sah. Ditulis ke {path}.").format(path=target)
    )
    return EXIT_OK


def _optional_database(args):
    """The database when this computer has one (verification and countersigning work without)."""
    try:
        return open_db(args)
    except UserError:
        return None


def _moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UnusableInput(
            _("Tanggal {text} tidak dapat dibaca; tulis sebagai YYYY-MM-DD.").format(text=text)
        ) from None
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def verify(args: argparse.Namespace) -> int:

    at = _moment(args.at)
    db = _optional_database(args)
    try:
        with db.session() if db is not None else contextlib.nullcontext(None) as s:
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
