"""``kinerja certs ...``: a district CA and user certificates (labelled "bukan BSrE").

    kinerja certs ca-create [--name NAME] [--years N] [--force]
    kinerja certs issue --nip NIP --name NAME -o USER.p12 [--days N]
    kinerja certs import USER.p12 --nip NIP
    kinerja certs trust CA.pem
    kinerja certs list

Passphrases come from ``KINERJA_CA_PASSPHRASE`` (the CA key) and
``KINERJA_SIGN_PASSPHRASE`` (a user's .p12) or are asked at the prompt; they are
never stored.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from kinerja_desktop.cli import EXIT_OK
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _

CA_ENV = "KINERJA_CA_PASSPHRASE"
SIGN_ENV = "KINERJA_SIGN_PASSPHRASE"


def ask_passphrase(env: str, prompt: str, *, confirm: bool = False) -> str:
    """The passphrase from ``env`` or typed at a hidden prompt (twice when ``confirm``)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UnusableInput(_("Kata sandi tidak diberikan: isi variabel {env} atau jalankan di terminal.").format(
            env=env))
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Ulangi kata sandi: ")) != first:
        raise UserError(_("Kedua kata sandi tidak sama; tidak ada yang dibuat."))
    if not first:
        raise UserError(_("Kata sandi tidak boleh kosong."))
    return first


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("certs", help=_("sertifikat penandatanganan (CA kabupaten, bukan BSrE)"))
    csub = p.add_subparsers(dest="certs_command", metavar="SUBCOMMAND", required=True)

    ca = csub.add_parser("ca-create", help=_("buat CA kabupaten (sekali saja)"))
    ca.add_argument("--name", default=None, help=_("nama CA"))
    ca.add_argument("--years", type=int, default=10, help=_("masa berlaku dalam tahun (bawaan 10)"))
    ca.add_argument("--force", action="store_true", help=_("ganti CA yang sudah ada"))
    ca.set_defaults(handler=ca_create)

    issue = csub.add_parser("issue", help=_("terbitkan sertifikat penandatanganan untuk satu pegawai"))
    issue.add_argument("--nip", required=True, help=_("NIP pegawai"))
    issue.add_argument("--name", required=True, help=_("nama pegawai seperti tercatat di data"))
    issue.add_argument("-o", "--output", required=True, metavar="USER.p12", help=_("berkas .p12 yang dibuat"))
    issue.add_argument("--days", type=int, default=730, help=_("masa berlaku dalam hari (bawaan 730)"))
    issue.set_defaults(handler=issue_cert)

    imp = csub.add_parser("import", help=_("simpan .p12 seorang pengguna di folder kunci"))
    imp.add_argument("file", metavar="USER.p12")
    imp.add_argument("--nip", required=True, help=_("NIP pemilik sertifikat"))
    imp.set_defaults(handler=import_cert)

    trust = csub.add_parser("trust", help=_("tambahkan sertifikat CA ke daftar CA terpercaya"))
    trust.add_argument("file", metavar="CA.pem")
    trust.set_defaults(handler=trust_ca)

    lst = csub.add_parser("list", help=_("tampilkan CA terpercaya dan sertifikat pengguna yang tersimpan"))
    lst.set_defaults(handler=list_certs)


def ca_create(args: argparse.Namespace) -> int:
    from kinerja_desktop.reports import certs

    if certs.ca_key_path().exists() and not args.force:
        raise UserError(_("CA kabupaten sudah ada di {path}. Gunakan --force hanya jika ingin menggantinya.").format(
            path=certs.ca_key_path()))
    passphrase = ask_passphrase(CA_ENV, _("Kata sandi baru untuk kunci CA: "), confirm=True)
    cert, key = certs.create_ca(args.name or certs.CA_COMMON_NAME, years=args.years)
    cert_path, key_path = certs.save_ca(cert, key, passphrase, overwrite=args.force)
    print(_("CA kabupaten dibuat (bukan BSrE). Sertifikat: {cert}; kunci (terenkripsi): {key}.").format(
        cert=cert_path, key=key_path))
    return EXIT_OK


def issue_cert(args: argparse.Namespace) -> int:
    from kinerja_desktop.domain.nip import NipError, parse_nip
    from kinerja_desktop.reports import certs

    try:
        nip = parse_nip(args.nip).raw
    except NipError as exc:
        raise UnusableInput(str(exc)) from None
    name = " ".join(args.name.split())
    if not name:
        raise UnusableInput(_("Nama pemilik sertifikat belum diisi."))
    ca_pass = ask_passphrase(CA_ENV, _("Kata sandi kunci CA: "))
    ca_cert, ca_key = certs.load_ca(ca_pass)
    p12_pass = ask_passphrase(SIGN_ENV, _("Kata sandi baru untuk berkas .p12 pegawai: "), confirm=True)
    cert, key = certs.issue_user_certificate(ca_cert, ca_key, nip=nip, name=name, days=args.days)
    data = certs.make_p12(cert, key, ca_cert, p12_pass, friendly_name=name)
    target = Path(args.output).expanduser()
    if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):
        raise UserError(_("Tidak dapat menulis ke {path}. Pilih folder lain.").format(path=target))
    certs.write_private(target, data)
    print(_("Sertifikat untuk {name} (NIP {nip}) ditulis ke {path}; berlaku {days} hari. Sertifikat ini bukan "
            "sertifikat BSrE.").format(name=name, nip=nip, path=target, days=args.days))
    return EXIT_OK


def import_cert(args: argparse.Namespace) -> int:
    from kinerja_desktop.domain.nip import NipError, parse_nip
    from kinerja_desktop.reports import certs

    try:
        nip = parse_nip(args.nip).raw
    except NipError as exc:
        raise UnusableInput(str(exc)) from None
    passphrase = ask_passphrase(SIGN_ENV, _("Kata sandi berkas .p12: "))
    target = certs.import_user_p12(args.file, nip, passphrase)
    print(_("Sertifikat disimpan di {path} (hanya dapat dibaca pemiliknya). Kata sandinya tidak disimpan.").format(
        path=target))
    return EXIT_OK


def trust_ca(args: argparse.Namespace) -> int:
    from kinerja_desktop.reports import certs

    target = certs.add_trusted(args.file)
    print(_("Sertifikat CA ditambahkan ke daftar CA terpercaya: {path}.").format(path=target))
    return EXIT_OK


def list_certs(args: argparse.Namespace) -> int:
    from kinerja_desktop.reports import certs

    trusted = certs.trusted_certificates()
    print(_("CA terpercaya ({n}):").format(n=len(trusted)))
    for cert in trusted:
        info = certs.certificate_info(cert)
        print(f"  - {info.subject_name or cert.subject.rfc4514_string()} "
              f"({_('berlaku sampai')} {info.not_after.date().isoformat()})")
    keys = sorted(certs.user_p12_path("x").parent.glob("*.p12"))
    print(_("Sertifikat pengguna tersimpan ({n}):").format(n=len(keys)))
    for path in keys:
        print(f"  - {path.stem}: {path}")
    return EXIT_OK
