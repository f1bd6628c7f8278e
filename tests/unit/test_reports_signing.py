"""Signing keys and certificates: what is refused, what needs confirmation, where keys live."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest

from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.reports import certs, trust
from kinerja_desktop.reports.certs import CertificateError
from kinerja_desktop.reports.render import produce
from kinerja_desktop.reports.samples import PEJABAT, sample_short_form
from kinerja_desktop.reports.signing import NameMismatch, SignerMismatch, load_signing_key, names_match
from kinerja_desktop.store import sealed

PASS = "rahasia-uji"


@pytest.fixture(scope="module")
def ca():
    return certs.create_ca("CA Uji (bukan BSrE)")


def p12_for(ca, *, name=PEJABAT.name, nip=PEJABAT.nip_raw, passphrase=PASS, **kw) -> bytes:
    cert, key = certs.issue_user_certificate(ca[0], ca[1], nip=nip, name=name, **kw)
    return certs.make_p12(cert, key, ca[0], passphrase)


@pytest.fixture(scope="module")
def good_p12(ca):
    return p12_for(ca)


def test_a_good_certificate_loads_and_is_labelled_not_bsre(good_p12):
    key = load_signing_key(good_p12, PASS)
    assert key.name == PEJABAT.name and key.nip == PEJABAT.nip_raw
    assert key.info.digital_signature
    assert "bukan BSrE" in key.certificate.subject.rfc4514_string()
    mark = key.mark()
    assert not mark.bsre and mark.signer_nip == PEJABAT.nip_raw
    assert mark.fingerprint == trust.fingerprint(key.certificate) and len(mark.fingerprint) == 64


def test_wrong_passphrase_is_refused(good_p12):
    with pytest.raises(CertificateError, match="Kata sandi sertifikat salah"):
        load_signing_key(good_p12, "salah")


def test_a_file_that_is_not_pkcs12_is_unusable(tmp_path):
    with pytest.raises(UnusableInput, match="bukan sertifikat PKCS#12"):
        load_signing_key(b"%PDF-1.7 not a certificate", PASS)
    with pytest.raises(UnusableInput, match="tidak ditemukan"):
        load_signing_key(tmp_path / "missing.p12", PASS)


def test_expired_not_yet_valid_and_no_digital_signature_are_refused(ca):
    now = dt.datetime.now(dt.UTC)
    expired = p12_for(ca, not_before=now - dt.timedelta(days=400), days=30)
    with pytest.raises(CertificateError, match="kedaluwarsa"):
        load_signing_key(expired, PASS)
    future = p12_for(ca, not_before=now + dt.timedelta(days=3), days=30)
    with pytest.raises(CertificateError, match="baru berlaku mulai"):
        load_signing_key(future, PASS)
    no_ku = p12_for(ca, digital_signature=False)
    with pytest.raises(CertificateError, match="digitalSignature"):
        load_signing_key(no_ku, PASS)


def test_a_certificate_with_someone_elses_nip_is_refused_without_appeal(ca):
    other = load_signing_key(p12_for(ca, name=PEJABAT.name, nip="198001012005031099"), PASS)
    for confirm in (False, True):
        with pytest.raises(SignerMismatch, match="bukan .* pemilik kolom Pejabat Penilai Kinerja"):
            produce(sample_short_form(0), other, confirm_name_mismatch=confirm)


def test_a_certificate_without_nip_naming_someone_else_needs_confirmation(ca):
    other = load_signing_key(p12_for(ca, name="Budi Santoso", nip=""), PASS)
    assert other.nip == ""
    with pytest.raises(NameMismatch) as caught:
        produce(sample_short_form(0), other)
    assert caught.value.certificate_name == "Budi Santoso" and caught.value.record_name == PEJABAT.name
    assert isinstance(caught.value, UserError)
    produced = produce(sample_short_form(0), other, confirm_name_mismatch=True)
    assert produced.signed


def test_the_same_nip_signs_whatever_the_spelling_of_the_name(ca):
    same = load_signing_key(p12_for(ca, name="SITI AMINAH"), PASS)
    assert produce(sample_short_form(0), same).signed


def test_names_match_ignores_case_accents_and_punctuation():
    assert names_match("DR. SITI AMINAH, M.KES", "dr. Siti Aminah, M.Kes")
    assert names_match("Siti Aminah", "Siti  Aminah")
    assert names_match("Zulfikar Ramadhan", "Zulfikar Ramadhán")
    assert not names_match("Siti Aminah", "Siti Aminah Lubis")


def test_bsre_only_by_an_anchor_imported_as_bsre_never_by_name(data_home):
    """A home-made CA calling itself BSSN is nobody's anchor; only an imported BSrE root says BSrE."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pki_support import make_root
    from pki_support import p12_for as make_p12

    fake, fake_key = make_root("Balai Besar Sertifikasi Elektronik", "Badan Siber dan Sandi Negara")
    key = load_signing_key(make_p12(fake, fake_key, nip=PEJABAT.nip_raw, name=PEJABAT.name), "rahasia")
    status = key.prepare(trust.load_store())
    assert not status.trusted and not status.bsre and not key.mark().bsre and not key.mark().trusted
    trust.add_anchor(certs.cert_pem(fake), label="dipercaya, bukan BSrE")
    key.prepare(trust.load_store())
    assert key.trusted and not key.mark().bsre
    real, real_key = make_root("Root CA BSrE (uji)", "Lembaga Uji")
    trust.add_anchor(certs.cert_pem(real), bsre=True)
    key = load_signing_key(make_p12(real, real_key, nip=PEJABAT.nip_raw, name=PEJABAT.name), "rahasia")
    key.prepare(trust.load_store())
    assert key.trusted and key.mark().bsre


def test_import_keeps_the_p12_owner_only_and_never_the_passphrase(good_p12, tmp_path, data_home):
    src = tmp_path / "user.p12"
    src.write_bytes(good_p12)
    with pytest.raises(CertificateError):
        certs.import_user_p12(src, PEJABAT.nip_raw, "salah")
    assert not certs.user_p12_path(PEJABAT.nip_raw).exists()
    target = certs.import_user_p12(src, PEJABAT.nip_raw, PASS)
    assert target.read_bytes() == good_p12
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    for path in data_home.rglob("*"):
        if path.is_file():
            assert PASS.encode() not in path.read_bytes()


def test_the_district_ca_is_saved_encrypted_and_trusted(ca, data_home):
    cert_path, key_path = certs.save_ca(ca[0], ca[1], "kunci-ca")
    assert sealed.is_sealed(key_path.read_bytes())  # sealed with the files key from the key store
    assert b"ENCRYPTED" in sealed.read_sealed(key_path)  # and inside, still encrypted with its passphrase
    if os.name == "posix":
        assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert [a.cert.subject for a in trust.anchors()] == [ca[0].subject]
    with pytest.raises(UserError, match="Kata sandi kunci CA salah"):
        certs.load_ca("salah")
    loaded, _key = certs.load_ca("kunci-ca")
    assert loaded == ca[0]
    with pytest.raises(UserError, match="sudah ada"):
        certs.save_ca(ca[0], ca[1], "kunci-ca")


def test_many_documents_with_one_key_reuse_the_cms_and_all_verify(ca, good_p12):
    from kinerja_desktop.reports.verify import verify_pdf

    key = load_signing_key(good_p12, PASS)
    outputs = [produce(sample_short_form(i), key).pdf for i in range(3)]
    assert key.signer._templates and all(t is not None for t in key.signer._templates.values())
    digests = set()
    for data in outputs:
        report = verify_pdf(data, trust_certificates=[ca[0]])
        assert report.ok, report.reason
        digests.add(report.signatures[0].signer_nip)
    assert digests == {PEJABAT.nip_raw}
    # Each signature is over its own document: swapping them breaks both.
    first, second = outputs[0], outputs[1]
    start = first.index(b"/Contents <") + 11
    end = first.index(b">", start)
    start2 = second.index(b"/Contents <") + 11
    swapped = second[:start2] + first[start:end] + second[start2 + (end - start) :]
    assert not verify_pdf(swapped, trust_certificates=[ca[0]]).signatures[0].intact


def test_a_template_is_made_only_from_attributes_known_to_stay_the_same(ca, good_p12, monkeypatch):
    import io

    from asn1crypto import cms
    from pyhanko.pdf_utils.reader import PdfFileReader

    from kinerja_desktop.reports import signing

    key = load_signing_key(good_p12, PASS)
    data = produce(sample_short_form(0), key).pdf
    sig = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    full = cms.ContentInfo.load(sig.sig_object["/Contents"].original_bytes.rstrip(b"\x00"))
    digest = next(
        a["values"][0].native
        for a in full["content"]["signer_infos"][0]["signed_attrs"]
        if a["type"].native == "message_digest"
    )

    def sign(d):
        return key.signer.sign_raw(d, "sha256")

    assert signing._CmsTemplate.build(full, digest, sign) is not None
    assert signing._CmsTemplate.build(full, b"\x00" * 32, sign) is None  # the digest is not where it should be
    monkeypatch.setattr(signing, "_CONSTANT_ATTRIBUTES", {"content_type", "message_digest"})
    assert signing._CmsTemplate.build(full, digest, sign) is None  # an attribute not known to stay the same


def test_a_certificate_without_gelar_matches_the_record_with_them():
    """`kinerja certs issue --name` takes the name as the roster keeps it, without titles."""
    assert names_match("Eka Andriani", "Eka Andriani, S.Pd., M.Pd.")
    assert names_match("Ahmad Fauzi", "dr. H. Ahmad Fauzi, S.Sos., M.Si.")
    assert names_match("dr. Siti Aminah, M.Kes", "Siti Aminah")
    assert not names_match("Eka Andriani", "Eka Andriyani, S.Pd.")
    assert not names_match("Ahmad", "dr. Ahmad Fauzi")


def test_anchors_are_added_by_fingerprint_and_removed_again(data_home):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pki_support import make_root

    root, _key = make_root("CA Uji Hapus", "Lembaga Uji")
    anchor = trust.add_anchor(certs.cert_pem(root), label="Uji")
    assert [a.fingerprint for a in trust.anchors()] == [anchor.fingerprint]
    with pytest.raises(UnusableInput, match="8 digit"):
        trust.remove_anchor("abc")
    trust.remove_anchor(anchor.fingerprint[:12])
    assert trust.anchors() == []
    leaf, _k = certs.issue_user_certificate(root, _key, nip=PEJABAT.nip_raw, name=PEJABAT.name)
    with pytest.raises(UnusableInput, match="bukan sertifikat CA"):
        trust.add_anchor(certs.cert_pem(leaf))


def test_a_crl_is_kept_only_from_a_trusted_ca(db, data_home):
    import sys
    from pathlib import Path

    from cryptography.hazmat.primitives.serialization import Encoding

    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.documents.certificates import database_crls, import_crl

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pki_support import make_crl, make_root

    root, key = make_root("CA Uji CRL", "Lembaga Uji")
    crl = make_crl(root, key).public_bytes(Encoding.DER)
    with db.transaction() as s, pytest.raises(UserError, match="tidak ditandatangani oleh CA terpercaya"):
        import_crl(s, SYSTEM, crl)
    trust.add_anchor(certs.cert_pem(root))
    with db.transaction() as s:
        import_crl(s, SYSTEM, crl)
    with db.session() as s:
        assert len(database_crls(s)) == 1 and len(trust.local_crls()) == 1


def test_a_timestamp_server_that_does_not_answer_stops_the_signing(good_p12, data_home):
    from kinerja_desktop.reports.timestamps import TimestampUnavailable, check_url

    with pytest.raises(UserError, match="http://"):
        check_url("ftp://tsa.contoh")
    key = load_signing_key(good_p12, PASS)
    with pytest.raises(TimestampUnavailable, match="tidak memberi cap waktu"):
        key.prepare(trust.load_store(), tsa_url="http://127.0.0.1:9/tsr")  # nothing listens on port 9
