"""``kinerja report ...``: print (and sign) documents, batch export, verify signatures.

    kinerja report appraisal --nip NIP --year YYYY [--period P] [--form short|detailed] -o OUT.pdf [--sign P12]
    kinerja report skp --nip NIP --year YYYY -o OUT.pdf [--sign P12]
    kinerja report recap --unit CODE --year YYYY [--period P] -o OUT.pdf
    kinerja report training --unit CODE --year YYYY -o OUT.pdf
    kinerja report batch --unit CODE --year YYYY [--period P] -o DIR [--sign P12] [--combined]
    kinerja report countersign IN.pdf -o OUT.pdf --sign P12
    kinerja report verify FILE.pdf [--trust CA.pem]

``--sign`` takes a .p12/.pfx file, or the NIP of a certificate imported with
``kinerja certs import``. The passphrase comes from ``KINERJA_SIGN_PASSPHRASE`` or a
prompt and is never stored. ``report verify`` exits 0 only when every signature is
intact and trusted, 1 otherwise with the reason in one sentence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kinerja_desktop.cli import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, database_target
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _


def _sign_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sign", metavar="P12", help=_("tandatangani dengan sertifikat .p12/.pfx ini (atau NIP sertifikat "
                                                   "yang sudah diimpor)"))
    p.add_argument("--confirm-name-mismatch", action="store_true",
                   help=_("tetap tandatangani walau nama pada sertifikat berbeda dengan nama di data"))


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
    r.set_defaults(handler=recap)

    t = rsub.add_parser("training", help=_("rekap JP pengembangan kompetensi per pegawai suatu unit"))
    t.add_argument("--unit", required=True, metavar="CODE")
    t.add_argument("--year", type=int, required=True, metavar="YYYY")
    t.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    t.set_defaults(handler=training)

    b = rsub.add_parser("batch", help=_("satu berkas per pegawai suatu unit: <NIP>_<form>_<periode>.pdf"))
    b.add_argument("--unit", required=True, metavar="CODE")
    b.add_argument("--year", type=int, required=True, metavar="YYYY")
    b.add_argument("--period", metavar="P")
    b.add_argument("--form", choices=("short", "detailed"), default="short")
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
                   help=_("sertifikat CA yang dipercaya selain daftar di folder data (boleh berulang)"))
    v.set_defaults(handler=verify)


# --- helpers ---------------------------------------------------------------------------------


def _p12_bytes(value: str) -> bytes:
    from kinerja_desktop.reports.certs import user_p12_path

    path = Path(value).expanduser()
    if path.is_file():
        return path.read_bytes()
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits and len(digits) == len(value.strip()) and user_p12_path(digits).is_file():
        return user_p12_path(digits).read_bytes()
    raise UnusableInput(_("Sertifikat {value} tidak ditemukan: berikan berkas .p12/.pfx atau NIP sertifikat yang "
                          "sudah diimpor.").format(value=value))


def _load_key(value: str):
    from kinerja_desktop.cli.certs import SIGN_ENV, ask_passphrase
    from kinerja_desktop.reports.signing import load_signing_key

    data = _p12_bytes(value)
    passphrase = ask_passphrase(SIGN_ENV, _("Kata sandi sertifikat: "))
    return data, passphrase, load_signing_key(data, passphrase)


def _confirm_mismatch(exc) -> bool:
    print(exc.message, file=sys.stderr)
    if sys.stdin and sys.stdin.isatty():
        answer = input(_("Tetap tandatangani? [y/N] ")).strip().lower()
        return answer in ("y", "ya", "yes")
    print(_("Jalankan lagi dengan --confirm-name-mismatch bila memang benar."), file=sys.stderr)
    return False


def _produce(view, key, confirm: bool):
    from kinerja_desktop.reports.render import produce
    from kinerja_desktop.reports.signing import NameMismatch

    try:
        return produce(view, key, confirm_name_mismatch=confirm)
    except NameMismatch as exc:
        if not _confirm_mismatch(exc):
            raise UserError(_("Tidak ditandatangani; tidak ada berkas yang ditulis.")) from None
        return produce(view, key, confirm_name_mismatch=True)


def _database(args):
    from kinerja_desktop.store.database import open_database

    return open_database(database_target(args), create=False)


def _say_written(path: Path, produced) -> None:
    if produced.signed:
        print(_("Dokumen ditandatangani secara elektronik dan ditulis ke {path} ({pages} halaman).").format(
            path=path, pages=produced.rendered.page_count))
    else:
        print(_("Dokumen ditulis ke {path} ({pages} halaman); kolom tanda tangan dibiarkan kosong untuk tanda "
                "tangan basah.").format(path=path, pages=produced.rendered.page_count))


# --- commands --------------------------------------------------------------------------------


def appraisal(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.reports.render import check_output_path, write_pdf
    from kinerja_desktop.services.principal import SYSTEM

    target = check_output_path(args.output)
    key = _load_key(args.sign)[2] if args.sign else None
    db = _database(args)
    try:
        with db.session() as s:
            emp, per, ev = collect.evaluation_for(s, args.nip, args.year, args.period)
            if key is not None and ev.status != "final":
                raise UserError(_("Evaluasi {name} masih draf; finalkan dulu sebelum menandatanganinya.").format(
                    name=emp.full_name))
            if args.form == "short":
                view = collect.short_form_view(s, args.nip, args.year, args.period)
            else:
                view = collect.detailed_form_view(s, args.nip, args.year, args.period)
            produced = _produce(view, key, args.confirm_name_mismatch)
            write_pdf(target, produced.pdf)
            if produced.signed:
                collect.record_signed_file(s, SYSTEM, ev.id, produced.sha256)
                s.commit()
    finally:
        db.close()
    _say_written(target, produced)
    return EXIT_OK


def skp(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.reports.render import check_output_path, write_pdf

    target = check_output_path(args.output)
    key = _load_key(args.sign)[2] if args.sign else None
    db = _database(args)
    try:
        with db.session() as s:
            view = collect.skp_view(s, args.nip, args.year)
    finally:
        db.close()
    if key is not None and not view.agreed:
        raise UserError(_("SKP {name} tahun {year} belum disepakati; sepakati dulu sebelum menandatanganinya.").format(
            name=view.pegawai.name, year=args.year))
    produced = _produce(view, key, args.confirm_name_mismatch)
    write_pdf(target, produced.pdf)
    _say_written(target, produced)
    return EXIT_OK


def recap(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.reports.render import check_output_path, produce, write_pdf

    target = check_output_path(args.output)
    db = _database(args)
    try:
        with db.session() as s:
            view = collect.recap_view(s, args.unit, args.year, args.period)
    finally:
        db.close()
    produced = produce(view)
    write_pdf(target, produced.pdf)
    _say_written(target, produced)
    return EXIT_OK


def training(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.reports.render import check_output_path, produce, write_pdf

    target = check_output_path(args.output)
    db = _database(args)
    try:
        with db.session() as s:
            view = collect.jp_recap_view(s, args.unit, args.year)
    finally:
        db.close()
    produced = produce(view)
    write_pdf(target, produced.pdf)
    _say_written(target, produced)
    return EXIT_OK


def batch(args: argparse.Namespace) -> int:
    from kinerja_desktop.cli.progress import run_with_progress
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.reports.batch import export_batch
    from kinerja_desktop.services.principal import SYSTEM

    p12 = passphrase = None
    if args.sign:
        p12, passphrase, _key = _load_key(args.sign)
    db = _database(args)
    try:
        with db.session() as s:
            items, missing = collect.batch_items(s, args.unit, args.year, args.period, form=args.form,
                                                 final_only=bool(args.sign))
            if not items:
                raise UserError(_("Tidak ada evaluasi{final} untuk dicetak di unit {unit} periode ini.").format(
                    final=_(" final") if args.sign else "", unit=args.unit))
            combined = None
            if args.combined:
                first = items[0].filename.split("_", 1)[1]
                combined = f"gabungan_{args.unit}_{first}"
            result = run_with_progress(export_batch(
                items, args.output, p12=p12, passphrase=passphrase, combined_name=combined, workers=args.workers,
                confirm_name_mismatch=args.confirm_name_mismatch))
            if args.sign:
                by_name = {item.filename: item.record_id for item in items}
                for name, digest in result.sha256.items():
                    if by_name.get(name):
                        collect.record_signed_file(s, SYSTEM, by_name[name], digest)
                s.commit()
    finally:
        db.close()
    print(_("{n} dokumen ditulis ke {folder}{signed}.").format(
        n=len(result.files), folder=result.folder,
        signed=_(" ({n} ditandatangani)").format(n=result.signed) if args.sign else ""))
    if result.combined:
        print(_("PDF gabungan untuk dicetak: {path}.").format(path=result.combined))
    for name in missing:
        print(_("Tidak dicetak: {name} belum memiliki evaluasi{final} untuk periode ini.").format(
            name=name, final=_(" final") if args.sign else ""), file=sys.stderr)
    for name, reason in result.rejected:
        print(_("Ditolak: {name}: {reason}").format(name=name, reason=reason), file=sys.stderr)
    return EXIT_PARTIAL if (result.rejected or missing) else EXIT_OK


def countersign(args: argparse.Namespace) -> int:
    from kinerja_desktop.reports.render import check_output_path, write_pdf
    from kinerja_desktop.reports.signing import NameMismatch, check_signer_name
    from kinerja_desktop.reports.signing import countersign as add_signature
    from kinerja_desktop.reports.verify import verify_pdf

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise UnusableInput(_("Berkas {path} tidak ditemukan.").format(path=source))
    target = check_output_path(args.output)
    data = source.read_bytes()
    key = _load_key(args.sign)[2]
    report = verify_pdf(data)
    pegawai_nip = report.verification.document_id.split("-")[3] if report.verification and \
        len(report.verification.document_id.split("-")) > 4 else ""
    record_name = _pegawai_name(args, pegawai_nip)
    if record_name:
        try:
            check_signer_name(key, record_name, confirm_name_mismatch=args.confirm_name_mismatch)
        except NameMismatch as exc:
            if not _confirm_mismatch(exc):
                raise UserError(_("Tidak ditandatangani; tidak ada berkas yang ditulis.")) from None
    signed = add_signature(data, key)
    write_pdf(target, signed)
    _update_record_hash(args, report.file_sha256, signed)
    print(_("Tanda tangan pegawai ditambahkan; tanda tangan sebelumnya tetap sah. Ditulis ke {path}.").format(
        path=target))
    return EXIT_OK


def _pegawai_name(args, nip: str) -> str | None:
    if not nip:
        return None
    try:
        db = _database(args)
    except UserError:
        return None
    try:
        with db.session() as s:
            from kinerja_desktop.services.document_views import employee_by_nip

            try:
                return employee_by_nip(s, nip).full_name
            except UserError:
                return None
    finally:
        db.close()


def _update_record_hash(args, old_sha: str, new_pdf: bytes) -> None:
    import hashlib

    from kinerja_desktop.services.principal import SYSTEM
    from kinerja_desktop.store.evaluation import Evaluation

    try:
        db = _database(args)
    except UserError:
        return
    try:
        with db.session() as s:
            from sqlalchemy import select

            ev = s.scalar(select(Evaluation).where(Evaluation.signed_file_sha256 == old_sha))
            if ev is not None:
                from kinerja_desktop.services.document_views import record_signed_file

                record_signed_file(s, SYSTEM, ev.id, hashlib.sha256(new_pdf).hexdigest())
                s.commit()
    finally:
        db.close()


def verify(args: argparse.Namespace) -> int:
    from kinerja_desktop.reports.verify import describe, verify_pdf

    try:
        report = verify_pdf(args.file, trust_files=args.trust)
    except UnusableInput as exc:
        print(exc.message)
        return EXIT_FAILURE
    _match_record(args, report)
    for line in describe(report):
        print(line)
    print(report.reason)
    return EXIT_OK if report.ok else EXIT_FAILURE


def _match_record(args, report) -> None:
    """Say whether the file is the one recorded for its final evaluation (when a database is here)."""
    from kinerja_desktop.services import document_views as collect

    try:
        db = _database(args)
    except UserError:
        return  # verifying on a machine without the database: nothing to compare with
    try:
        with db.session() as s:
            message = collect.record_for_file(s, report.file_sha256)
            if message:
                report.record_match, report.record_message = True, message
            elif report.verification and collect.document_id_known(s, report.verification.document_id):
                report.record_match = False
                report.record_message = _(
                    "Berkas ini TIDAK sama dengan berkas bertanda tangan yang tercatat untuk dokumen {id}.").format(
                    id=report.verification.document_id)
    finally:
        db.close()
