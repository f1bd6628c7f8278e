"""Test PKI: a timestamp authority on 127.0.0.1, look-alike CAs, certificates of any age.

The timestamp server is real HTTP (RFC 3161 over POST) answered by pyHanko's
``DummyTimeStamper`` with its own CA and a certificate for time stamping; the program
talks to it exactly as to a real one. Used by the tests and ``benchmarks/bench_signing.py``.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as a_keys
from asn1crypto import tsp
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from kinerja_desktop.reports import certs

NOW = dt.datetime.now(dt.UTC)


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_root(common_name: str, organisation: str, *, years: int = 20, start: dt.datetime | None = None):
    """A self-signed CA certificate named however the caller likes (look-alikes included)."""
    key = new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    start = start or NOW - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def p12_for(
    ca_cert,
    ca_key,
    *,
    nip: str,
    name: str,
    passphrase: str = "rahasia",
    days: int = 730,
    not_before: dt.datetime | None = None,
) -> bytes:
    cert, key = certs.issue_user_certificate(ca_cert, ca_key, nip=nip, name=name, days=days, not_before=not_before)
    return certs.make_p12(cert, key, ca_cert, passphrase)


def make_crl(ca_cert, ca_key, revoked=(), *, at: dt.datetime | None = None) -> x509.CertificateRevocationList:
    at = at or NOW
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(at)
        .next_update(at + dt.timedelta(days=30))
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(ca_key, hashes.SHA256())


def _asn1_cert(cert):
    return a_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key):
    return a_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


class FastTimeStamper(DummyTimeStamper):
    """pyHanko's test TSA with its private key parsed once (it re-parses it for every token)."""

    def __init__(self, tsa_cert, tsa_key, private_key, **kwargs) -> None:
        from pyhanko.sign import general

        super().__init__(tsa_cert, tsa_key, **kwargs)
        self._private = private_key
        self._signing_certificate = general.as_signing_certificate(tsa_cert)  # the same in every token
        self.lock = threading.Lock()  # asn1crypto objects are not safe to share between threads

    def request_tsa_response(self, req):
        with self.lock:
            return super().request_tsa_response(req)

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt_):
        from asn1crypto import cms, core
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko.sign.general import simple_cms_attribute
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        md = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        md.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt_)})),
                simple_cms_attribute("signing_certificate", self._signing_certificate),
                simple_cms_attribute("message_digest", md.finalize()),
            ]
        )
        signature = self._private.sign(
            signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
        )
        return signature, signed_attrs


@dataclass
class TimestampAuthority:
    """A running TSA: its URL, its CA (to trust) and the CA's CRL."""

    url: str
    ca_cert: x509.Certificate
    ca_crl: x509.CertificateRevocationList
    server: ThreadingHTTPServer
    stamper: DummyTimeStamper
    requests: int = 0

    def set_time(self, when: dt.datetime | None) -> None:
        """Answer with this time from now on (None: the real clock)."""
        self.stamper.fixed_dt = when

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_tsa(*, years: int = 30) -> TimestampAuthority:
    """Start a timestamp server on 127.0.0.1 (a free port) in a background thread."""
    ca_cert, ca_key = make_root("TSA Uji Kinerja Desktop", "Laboratorium Uji", years=years)
    tsa_key = new_key()
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Server Cap Waktu Uji")]))
        .issuer_name(ca_cert.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(hours=1))
        .not_valid_after(NOW + dt.timedelta(days=365 * years - 2))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier("urn:uji:tsa-crl")], None, None, None)]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    stamper = FastTimeStamper(_asn1_cert(tsa_cert), _asn1_key(tsa_key), tsa_key, certs_to_embed=[_asn1_cert(ca_cert)])
    holder: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > 65536 or self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_error(400)
                return
            req = tsp.TimeStampReq.load(self.rfile.read(length))
            body = stamper.request_tsa_response(req).dump()
            holder["tsa"].requests += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tsa = TimestampAuthority(
        f"http://127.0.0.1:{server.server_address[1]}/tsr", ca_cert, make_crl(ca_cert, ca_key), server, stamper
    )
    holder["tsa"] = tsa
    return tsa
