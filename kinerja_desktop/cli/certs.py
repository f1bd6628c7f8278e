"""``kinerja certs ...``: signing keys in their owners' hands, the district CA, trust anchors.

On the signer's own computer::

    kinerja certs request --nip NIP --name NAME -o REQUEST.csr   (key made and kept here)
    kinerja certs import CERT.pem | USER.p12 [--nip NIP]         (the CA's answer, or an existing .p12)

At the district CA (an administrator)::

    kinerja certs ca-create [--name NAME] [--years N] [--force]
    kinerja certs issue REQUEST.csr -o CERT.pem [--days N]
    kinerja certs revoke SERIAL|FINGERPRINT|NIP [--reason R]     (publishes the CRL)

Trust and policy (an administrator)::

    kinerja certs trust add FILE [--bsre] [--label L]           (a CA certificate, or a CRL)
    kinerja certs trust list | trust remove FINGERPRINT
    kinerja certs policy [--tsa-url URL | --no-tsa] [--allow-untrusted | --refuse-untrusted]
    kinerja certs list

Passphrases come from ``KINERJA_CA_PASSPHRASE`` (the CA key) and
``KINERJA_SIGN_PASSPHRASE`` (a signer's key) or are asked at the prompt; they are
never stored.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from pathlib import Path

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports import ca, cert_requests, certs
from kinerja_desktop.reports.ca import published_crl_path
from kinerja_desktop.reports.certs import write_public
from kinerja_desktop.reports.trust import anchors, fingerprint, fingerprint_text, looks_like_crl
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.documents.certificates import (
    accept_certificate,
    add_trust_anchor,
    create_ca,
    import_crl,
    import_p12,
    issue_certificate,
    remove_trust_anchor,
    request_certificate,
    revoke_certificate,
    set_signing_policy,
    signing_policy,
)
from kinerja_desktop.store.database import open_database

CA_ENV = "KINERJA_CA_PASSPHRASE"
SIGN_ENV = "KINERJA_SIGN_PASSPHRASE"
MAX_INPUT_BYTES = 16 * 1024 * 1024


def ask_passphrase(env: str, prompt: str, *, confirm: bool = False) -> str:
    """The passphrase from ``env`` or typed at a hidden prompt (twice when ``confirm``)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UnusableInput(
            _("Kata sandi tidak diberikan: isi variabel {env} atau jalankan di terminal.").format(env=env)
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Ulangi kata sandi: ")) != first:
        raise UserError(_("Kedua kata sandi tidak sama; tidak ada yang dibuat."))
    if not first:
        raise UserError(_("Kata sandi tidak boleh kosong."))
    return first


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("certs", help=_("sertifikat penandatanganan, CA kabupaten, CA terpercaya"))
    csub = p.add_subparsers(dest="certs_command", metavar="SUBCOMMAND", required=True)

    ca = csub.add_parser("ca-create", help=_("buat CA kabupaten (sekali saja)"))
    ca.add_argument("--name", default=None, help=_("nama CA"))
    ca.add_argument("--years", type=int, default=10, help=_("masa berlaku dalam tahun (bawaan 10)"))
    ca.add_argument("--force", action="store_true", help=_("ganti CA yang sudah ada"))
    ca.set_defaults(handler=ca_create)

    req = csub.add_parser("request", help=_("buat kunci dan permintaan sertifikat di komputer penanda tangan"))
    req.add_argument("--nip", required=True, help=_("NIP pemohon"))
    req.add_argument("--name", required=True, help=_("nama pemohon seperti tercatat di data"))
    req.add_argument("-o", "--output", required=True, metavar="REQUEST.csr", help=_("berkas permintaan yang dibuat"))
    req.set_defaults(handler=request_cert)

    issue = csub.add_parser("issue", help=_("terbitkan sertifikat dari sebuah permintaan (di CA kabupaten)"))
    issue.add_argument("request", metavar="REQUEST.csr")
    issue.add_argument("-o", "--output", required=True, metavar="CERT.pem", help=_("sertifikat untuk pemohon"))
    issue.add_argument("--days", type=int, default=730, help=_("masa berlaku dalam hari (bawaan 730)"))
    issue.set_defaults(handler=issue_cert)

    imp = csub.add_parser("import", help=_("simpan sertifikat dari CA (atau berkas .p12) di komputer ini"))
    imp.add_argument("file", metavar="CERT.pem|USER.p12")
    imp.add_argument("--nip", default=None, help=_("NIP pemilik (.p12 tanpa NIP di sertifikatnya)"))
    imp.set_defaults(handler=import_cert)

    rev = csub.add_parser("revoke", help=_("cabut sertifikat terbitan CA kabupaten dan terbitkan CRL"))
    rev.add_argument("which", metavar="SERIAL|FINGERPRINT|NIP")
    rev.add_argument(
        "--reason",
        default="unspecified",
        choices=("unspecified", "key_compromise", "affiliation_changed", "superseded", "cessation_of_operation"),
    )
    rev.set_defaults(handler=revoke_cert)

    trust = csub.add_parser("trust", help=_("CA terpercaya di komputer ini"))
    tsub = trust.add_subparsers(dest="trust_command", metavar="ACTION", required=True)
    add = tsub.add_parser("add", help=_("percayai sertifikat CA (atau simpan CRL-nya)"))
    add.add_argument("file", metavar="FILE")
    add.add_argument("--bsre", action="store_true", help=_("sertifikat ini adalah root BSrE"))
    add.add_argument("--label", default="", help=_("nama yang ditampilkan"))
    add.set_defaults(handler=trust_add)
    tls = tsub.add_parser("list", help=_("tampilkan CA terpercaya"))
    tls.set_defaults(handler=trust_list)
    trm = tsub.add_parser("remove", help=_("berhenti mempercayai sebuah CA"))
    trm.add_argument("fingerprint", metavar="FINGERPRINT")
    trm.set_defaults(handler=trust_remove)

    pol = csub.add_parser("policy", help=_("kebijakan penandatanganan: server cap waktu, sertifikat tak terpercaya"))
    tsa = pol.add_mutually_exclusive_group()
    tsa.add_argument("--tsa-url", metavar="URL", help=_("alamat server cap waktu RFC 3161"))
    tsa.add_argument("--no-tsa", action="store_true", help=_("tanpa server cap waktu"))
    untrusted = pol.add_mutually_exclusive_group()
    untrusted.add_argument(
        "--allow-untrusted",
        action="store_true",
        help=_("izinkan menandatangani dengan sertifikat dari CA yang tidak terpercaya"),
    )
    untrusted.add_argument("--refuse-untrusted", action="store_true", help=_("tolak sertifikat seperti itu (bawaan)"))
    pol.set_defaults(handler=policy)

    lst = csub.add_parser("list", help=_("tampilkan sertifikat di komputer ini dan terbitan CA kabupaten"))
    lst.set_defaults(handler=list_certs)


# --- helpers ---------------------------------------------------------------------------------


def _read(path_text: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise UnusableInput(_("Berkas {path} tidak ditemukan.").format(path=path))
    if path.stat().st_size > limit:
        raise UnusableInput(_("Berkas {path} terlalu besar.").format(path=path))
    return path.read_bytes()


def _writable(path_text: str) -> Path:
    target = Path(path_text).expanduser()
    if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):
        raise UserError(_("Tidak dapat menulis ke {path}. Pilih folder lain.").format(path=target))
    return target


@contextlib.contextmanager
def _optional_transaction(args):
    """A transaction on this computer's database when there is one (certificate work runs without)."""

    try:
        db = open_database(database_target(args), create=False)
    except UserError:
        yield None
        return
    try:
        with db.transaction() as s:
            yield s
    finally:
        db.close()


def _fpr(value: str) -> str:

    return fingerprint_text(value)


# --- the signer's side -----------------------------------------------------------------------


def request_cert(args: argparse.Namespace) -> int:

    target = _writable(args.output)
    passphrase = ask_passphrase(SIGN_ENV, _("Kata sandi baru untuk kunci Anda: "), confirm=True)
    csr = request_certificate(args.nip, args.name, passphrase)
    write_public(target, csr)
    print(
        _(
            "Permintaan sertifikat ditulis ke {path}. Kunci Anda tetap di komputer ini (terenkripsi dengan kata sandi "
            "Anda). Serahkan berkas permintaan ke CA kabupaten, lalu simpan jawabannya dengan: kinerja certs import "
            "CERT.pem"
        ).format(path=target)
    )
    return EXIT_OK


def import_cert(args: argparse.Namespace) -> int:

    data = _read(args.file)
    passphrase = ask_passphrase(SIGN_ENV, _("Kata sandi kunci: "))
    if b"-----BEGIN CERTIFICATE-----" in data:
        target, cert = accept_certificate(data, passphrase)
        print(
            _("Sertifikat disimpan di {path} bersama kunci Anda (sidik jari {fpr}).").format(
                path=target, fpr=_fpr(fingerprint(cert))
            )
        )
    else:
        target = import_p12(args.file, args.nip, passphrase)
        print(
            _("Sertifikat disimpan di {path} (hanya dapat dibaca pemiliknya). Kata sandinya tidak disimpan.").format(
                path=target
            )
        )
    return EXIT_OK


# --- the district CA -------------------------------------------------------------------------


def ca_create(args: argparse.Namespace) -> int:

    if certs.ca_key_path().exists() and not args.force:
        raise UserError(
            _("CA kabupaten sudah ada di {path}. Gunakan --force hanya jika ingin menggantinya.").format(
                path=certs.ca_key_path()
            )
        )
    passphrase = ask_passphrase(CA_ENV, _("Kata sandi baru untuk kunci CA: "), confirm=True)
    with _optional_transaction(args) as s:
        cert = create_ca(s, SYSTEM, passphrase, name=args.name or "", years=args.years, replace=args.force)
    print(
        _(
            "CA kabupaten dibuat (bukan BSrE) dan dipercaya di komputer ini. Sertifikat: {cert}; sidik jari {fpr}. "
            "Komputer lain mempercayainya dengan: kinerja certs trust add {cert}"
        ).format(cert=certs.ca_cert_path(), fpr=_fpr(fingerprint(cert)))
    )
    return EXIT_OK


def issue_cert(args: argparse.Namespace) -> int:

    data = _read(args.request, 64 * 1024)
    target = _writable(args.output)
    ca_pass = ask_passphrase(CA_ENV, _("Kata sandi kunci CA: "))
    with _optional_transaction(args) as s:
        request, cert, bundle = issue_certificate(s, SYSTEM, data, ca_pass, days=args.days)
    write_public(target, bundle)
    print(
        _(
            "Sertifikat untuk {name} (NIP {nip}) ditulis ke {path}; nomor seri {serial}, sidik jari {fpr}, berlaku "
            "sampai {until}. Sertifikat ini bukan sertifikat BSrE."
        ).format(
            name=request.name,
            nip=request.nip,
            path=target,
            serial=format(cert.serial_number, "x"),
            fpr=_fpr(fingerprint(cert)),
            until=cert.not_valid_after_utc.date().isoformat(),
        )
    )
    return EXIT_OK


def revoke_cert(args: argparse.Namespace) -> int:

    ca_pass = ask_passphrase(CA_ENV, _("Kata sandi kunci CA: "))
    with _optional_transaction(args) as s:
        revoked = revoke_certificate(s, SYSTEM, args.which, ca_pass, reason=args.reason)
        synced = s is not None
    print(
        _("Sertifikat {name} (NIP {nip}, nomor seri {serial}) dicabut. CRL baru: {path}.").format(
            name=revoked.name, nip=revoked.nip, serial=revoked.serial, path=published_crl_path()
        )
    )
    if synced:
        print(_("CRL juga disimpan di basis data; sinkronisasi membawanya ke setiap kantor."))
    else:
        print(_("Tidak ada basis data di sini: bawa berkas CRL ke kantor lain (kinerja certs trust add FILE.crl)."))
    return EXIT_OK


# --- trust and policy ------------------------------------------------------------------------


def trust_add(args: argparse.Namespace) -> int:

    data = _read(args.file)
    with _optional_transaction(args) as s:
        if looks_like_crl(data):
            path = import_crl(s, SYSTEM, data)
            print(_("CRL disimpan di {path}; verifikasi di komputer ini memakainya.").format(path=path))
            return EXIT_OK
        anchor = add_trust_anchor(s, SYSTEM, data, label=args.label, bsre=args.bsre)
    print(
        _(
            "CA terpercaya ditambahkan: {name}{bsre}, sidik jari {fpr}. Cocokkan sidik jari ini dengan yang "
            "diumumkan penerbitnya."
        ).format(name=anchor.name, bsre=_(" (BSrE)") if anchor.bsre else "", fpr=_fpr(anchor.fingerprint))
    )
    return EXIT_OK


def trust_list(args: argparse.Namespace) -> int:

    found = anchors()
    print(_("CA terpercaya ({n}):").format(n=len(found)))
    for a in found:
        print(
            f"  - {a.name}{' (BSrE)' if a.bsre else ''}: {_fpr(a.fingerprint)} "
            f"({_('berlaku sampai')} {a.cert.not_valid_after_utc.date().isoformat()})"
        )
    return EXIT_OK


def trust_remove(args: argparse.Namespace) -> int:

    with _optional_transaction(args) as s:
        anchor = remove_trust_anchor(s, SYSTEM, args.fingerprint)
    print(_("{name} tidak lagi dipercaya di komputer ini.").format(name=anchor.name))
    return EXIT_OK


def policy(args: argparse.Namespace) -> int:

    db = open_database(database_target(args), create=False)
    try:
        with db.transaction() as s:
            current = signing_policy(s)
            if args.tsa_url or args.no_tsa or args.allow_untrusted or args.refuse_untrusted:
                current = set_signing_policy(
                    s,
                    SYSTEM,
                    allow_untrusted=args.allow_untrusted or (current.allow_untrusted and not args.refuse_untrusted),
                    tsa_url="" if args.no_tsa else (args.tsa_url or current.tsa_url),
                )
    finally:
        db.close()
    print(_("Server cap waktu: {url}").format(url=current.tsa_url or _("(tidak ada; tanda tangan PAdES B-LT)")))
    print(
        _("Sertifikat dari CA yang tidak terpercaya: {v}").format(
            v=_("diizinkan (berkasnya tidak resmi)") if current.allow_untrusted else _("ditolak")
        )
    )
    return EXIT_OK


def list_certs(args: argparse.Namespace) -> int:

    trust_list(args)
    stored = certs.stored_certificates()
    print(_("Sertifikat penanda tangan di komputer ini ({n}):").format(n=len(stored)))
    for item in stored:
        detail = f"{item.name}, {_fpr(fingerprint(item.cert))[:19]}…" if item.cert is not None else ""
        print(f"  - {item.nip}: {detail or item.path}")
    for pending in cert_requests.pending_requests():
        print(
            _("  - {nip}: permintaan menunggu jawaban CA (dibuat {when})").format(
                nip=pending.nip, when=pending.created_at
            )
        )
    issued = ca.issued_certificates()
    if issued:
        print(_("Terbitan CA kabupaten ({n}):").format(n=len(issued)))
        for c in issued:
            state = (
                _("dicabut {when}").format(when=c.revoked_at)
                if c.revoked
                else _("berlaku sampai {when}").format(when=c.not_after[:10])
            )
            print(f"  - {c.serial} {c.nip} {c.name}: {state}")
    return EXIT_OK
