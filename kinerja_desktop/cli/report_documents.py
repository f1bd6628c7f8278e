"""Making one document from the command line: the database, the subject, the signing key, the
confirmation when the signer's certificate does not match, what was written."""

from __future__ import annotations

import sys
from pathlib import Path

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.cli.certs import SIGN_ENV, ask_passphrase
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.certs import MAX_P12_BYTES, user_p12_path
from kinerja_desktop.reports.render import check_output_path, write_pdf
from kinerja_desktop.reports.signing import NameMismatch
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.documents.views import employee_by_nip, unit_by_code
from kinerja_desktop.store.database import open_database


def p12_bytes(value: str) -> bytes:

    path = Path(value).expanduser()
    if not path.is_file():
        digits = "".join(ch for ch in value if ch.isdigit())
        if digits and len(digits) == len(value.strip()) and user_p12_path(digits).is_file():
            path = user_p12_path(digits)
        else:
            raise UnusableInput(
                _(
                    "Sertifikat {value} tidak ditemukan: berikan berkas .p12/.pfx atau NIP sertifikat "
                    "yang tersimpan (kinerja certs list)."
                ).format(value=value)
            )
    if path.stat().st_size > MAX_P12_BYTES:
        raise UnusableInput(_("Berkas {path} terlalu besar untuk sebuah sertifikat PKCS#12.").format(path=path))
    return path.read_bytes()


def p12_and_passphrase(value: str) -> tuple[bytes, str]:

    data = p12_bytes(value)
    return data, ask_passphrase(SIGN_ENV, _("Kata sandi sertifikat: "))


def confirm_mismatch(exc) -> bool:
    print(exc.message, file=sys.stderr)
    if sys.stdin and sys.stdin.isatty():
        answer = input(_("Tetap tandatangani? [y/N] ")).strip().lower()
        return answer in ("y", "ya", "yes")
    print(_("Jalankan lagi dengan --confirm-name-mismatch bila memang benar."), file=sys.stderr)
    return False


def confirming(action, confirm: bool):
    """``action(confirm)``, asking once when a certificate without NIP spells the name differently."""

    try:
        return action(confirm)
    except NameMismatch as exc:
        if not confirm_mismatch(exc):
            raise UserError(_("Tidak ditandatangani; tidak ada berkas yang ditulis.")) from None
        return action(True)


def open_db(args):

    return open_database(database_target(args), create=False)


def say_written(path: Path, signed: bool, official: bool = True) -> None:
    if signed:
        print(_("Dokumen ditandatangani secara elektronik dan ditulis ke {path}.").format(path=path))
        if not official:
            print(
                _(
                    "Perhatian: sertifikatnya tidak berasal dari CA terpercaya; berkas ini tercatat tetapi bukan "
                    "berkas resmi."
                )
            )
    else:
        print(
            _("Dokumen ditulis ke {path}; kolom tanda tangan dibiarkan kosong untuk tanda tangan basah.").format(
                path=path
            )
        )


def make_document(args, kind_code: str, subject) -> int:
    """Render (and sign and record) one document; ``subject(session)`` gives its employee/unit id."""

    target = check_output_path(args.output)
    p12, passphrase = p12_and_passphrase(args.sign) if args.sign else (None, None)
    db = open_db(args)
    try:
        with db.transaction() as s:
            request = documents.DocumentRequest(
                kind_code, subject(s), getattr(args, "year", 0) or 0, getattr(args, "period", None)
            )
            prepared = documents.prepare(s, SYSTEM, request)
            if p12 is None:
                write_pdf(target, documents.render(prepared))
                signed = None
            else:
                key = documents.signing_key(s, p12, passphrase)
                signed = confirming(
                    lambda confirm: documents.sign(s, SYSTEM, prepared, key, confirm_name_mismatch=confirm),
                    args.confirm_name_mismatch,
                )
                write_pdf(target, signed.pdf)
    finally:
        db.close()
    say_written(target, signed is not None, signed.official if signed else True)
    return EXIT_OK


def employee_subject(args):

    return lambda s: employee_by_nip(s, args.nip).id


def unit_subject(args):

    return lambda s: unit_by_code(s, args.unit).id
