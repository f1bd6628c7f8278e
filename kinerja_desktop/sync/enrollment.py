"""Site identity and enrollment.

``init_site`` gives this installation its id (readable code + random suffix) and its two
key pairs. An office writes a *request* (site id, name, public keys, self-signed); the
central office *enrolls* it (pins its keys) and answers with an *enrollment bundle*: the
central site's public keys, the server address and the office's initial data (every synced
table, filtered to the office's unit subtree, plus what those rows refer to). The office
pins the central keys when it imports that bundle (trust on first use: compare the
fingerprint printed on both sides, e.g. by phone).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import bindparam, select, update

from kinerja_desktop import __version__
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.database import Database, make_site_id
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.site import Site
from kinerja_desktop.store.sync_models import ReceivedBundle, SentBundle, SiteKey
from kinerja_desktop.sync import peers
from kinerja_desktop.sync.bundle_writer import write_atomic
from kinerja_desktop.sync.errors import SyncError
from kinerja_desktop.sync.export import ExportResult, export_bundle
from kinerja_desktop.sync.keys import ensure_keys, fingerprint, verify
from kinerja_desktop.sync.tables import site_of, sync_schema

REQUEST_FORMAT = "kinerja-enrollment-request"
REQUEST_VERSION = 1
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,40}$")


def _normalize_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not CODE.match(code):
        raise UnusableInput(
            _("Kode situs {code!r} tidak sah: gunakan huruf, angka dan tanda minus, misalnya 1504-DUKCAPIL.").format(
                code=code
            )
        )
    return code


def _rename_local_site(db: Database, old: str, new: str) -> None:
    """Give a never-synced site its real id, rewriting the stamps of the rows it made."""
    with db.transaction() as s:
        conn = s.connection()
        me = s.get(Site, old)
        s.add(
            Site(
                id=new,
                name=me.name,
                unit_code=me.unit_code,
                is_local=True,
                is_central=me.is_central,
                revoked=False,
                last_hlc=me.last_hlc.replace(old, new) if me.last_hlc else "",
            )
        )
        s.flush()
        s.delete(me)
        s.flush()
        suffix = "-" + old
        for info in sync_schema(conn):
            t = info.table
            rows = []
            for rid, origin, hlc in conn.execute(select(t.c.id, t.c.origin_site, t.c.updated_hlc)):
                if origin == old or site_of(hlc) == old:
                    rows.append(
                        {
                            "_rid": rid,
                            "origin_site": new if origin == old else origin,
                            "updated_hlc": hlc[: -len(old)] + new if hlc.endswith(suffix) else hlc,
                        }
                    )
            if rows:
                conn.execute(update(t).where(t.c.id == bindparam("_rid")), rows)
        rows = [
            {"_seq": seq, "hlc": hlc[: -len(old)] + new}
            for seq, hlc in conn.execute(select(ChangeLog.seq, ChangeLog.hlc))
            if hlc.endswith(suffix)
        ]
        if rows:
            conn.execute(update(ChangeLog).where(ChangeLog.seq == bindparam("_seq")), rows)


def init_site(db: Database, code: str, name: str, *, central: bool = False, keys_dir: Path | None = None) -> Site:
    """Give this site its id and keys (again: only the name can change)."""
    code = _normalize_code(code)
    name = (name or "").strip()
    if not name:
        raise UnusableInput(_("Nama situs tidak boleh kosong."))
    with db.session() as s:
        me = peers.local_site(s)
        initialized = s.get(SiteKey, me.id) is not None
        synced = s.scalar(select(ReceivedBundle.bundle_id).limit(1)) or s.scalar(select(SentBundle.bundle_id).limit(1))
        old_id = me.id
    if initialized:
        if old_id.rsplit("-", 1)[0] != code:
            raise SyncError(
                _("Situs ini sudah diinisialisasi sebagai {site}; kodenya tidak dapat diganti.").format(site=old_id)
            )
        site_id = old_id
    elif synced:  # pragma: no cover - history without keys cannot happen through this program
        site_id = old_id
    else:
        site_id = make_site_id(code)
        _rename_local_site(db, old_id, site_id)
    keys = ensure_keys(site_id, keys_dir)
    with db.transaction() as s:
        me = s.get(Site, site_id)
        if initialized and me.is_central != central and peers.peers(s):
            raise SyncError(
                _("Peran situs ini (kantor pusat atau kantor) tidak dapat diganti setelah ada situs yang terdaftar.")
            )
        me.name = name
        me.is_central = central
        if not central and me.unit_code is None:
            me.unit_code = code
        if central:
            me.unit_code = None
        if s.get(SiteKey, site_id) is None:
            s.add(SiteKey(site_id=site_id, sign_key=keys.sign_key, age_recipient=keys.age_recipient))
    db.load_clock()
    with db.session() as s:
        return s.get(Site, site_id)


def _canonical(d: dict) -> bytes:
    return json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def make_request(db: Database, keys_dir: Path | None = None) -> dict:
    """The enrollment request of this (office) site, self-signed."""
    with db.session() as s:
        me = peers.local_site(s)
        if s.get(SiteKey, me.id) is None:
            raise SyncError(
                _("Situs ini belum diinisialisasi; jalankan 'kinerja site init --code KODE --name NAMA' lebih dulu.")
            )
        if me.is_central:
            raise SyncError(_("Kantor pusat tidak perlu mendaftar; permintaan dibuat di kantor."))
        body = {
            "format": REQUEST_FORMAT,
            "format_version": REQUEST_VERSION,
            "site_id": me.id,
            "name": me.name,
            "unit_code": me.unit_code,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": __version__,
        }
    keys = ensure_keys(body["site_id"], keys_dir)
    body["sign_key"] = keys.sign_key
    body["age_recipient"] = keys.age_recipient
    body["signature"] = base64.b64encode(keys.sign(_canonical(body))).decode("ascii")
    return body


def write_request(db: Database, path: str | Path, keys_dir: Path | None = None) -> dict:
    req = make_request(db, keys_dir)
    write_atomic(path, json.dumps(req, ensure_ascii=False, indent=1).encode("utf-8"))
    return req


@dataclass(frozen=True)
class EnrollmentRequest:
    site_id: str
    name: str
    unit_code: str | None
    sign_key: str
    age_recipient: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_key)


def parse_request(raw: bytes) -> EnrollmentRequest:
    bad = UnusableInput(_("Berkas ini bukan permintaan pendaftaran Kinerja yang sah (rusak atau diubah)."))
    try:
        d = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad from None
    if not isinstance(d, dict) or d.get("format") != REQUEST_FORMAT:
        raise bad
    if not isinstance(d.get("format_version"), int) or d["format_version"] > REQUEST_VERSION:
        raise UnusableInput(_("Permintaan pendaftaran ini dibuat program yang lebih baru; perbarui Kinerja Desktop."))
    sig = d.pop("signature", None)
    fields = ("site_id", "name", "sign_key", "age_recipient")
    if not isinstance(sig, str) or any(not isinstance(d.get(f), str) or not d.get(f) for f in fields):
        raise bad
    try:
        signature = base64.b64decode(sig, validate=True)
    except ValueError:
        raise bad from None
    if not verify(d["sign_key"], _canonical(d), signature):
        raise bad
    if not d["age_recipient"].startswith("age1") or not CODE.match(d["site_id"]):
        raise bad
    unit_code = d.get("unit_code") if isinstance(d.get("unit_code"), str) else None
    return EnrollmentRequest(d["site_id"], d["name"][:200], unit_code, d["sign_key"], d["age_recipient"])


def read_request(path: str | Path) -> EnrollmentRequest:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UnusableInput(
            _("Berkas {path} tidak dapat dibaca ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from None
    return parse_request(raw)


def enroll(
    db: Database,
    request: EnrollmentRequest,
    *,
    path: str | Path | None = None,
    server_url: str | None = None,
    unit_code: str | None = None,
    whole_district: bool = False,
    keys_dir: Path | None = None,
) -> ExportResult:
    """Register an office at this central site and make its enrollment bundle."""
    with db.transaction() as s:
        me = peers.local_site(s)
        if not me.is_central:
            raise SyncError(
                _("Perintah ini hanya untuk kantor pusat (situs yang dibuat dengan 'site init --central').")
            )
        if request.site_id == me.id:
            raise SyncError(_("Permintaan ini dari situs ini sendiri."))
        code = None if whole_district else (unit_code or request.unit_code)
        if code and s.scalar(select(Unit.id).where(Unit.code == code)) is None:
            raise SyncError(
                _(
                    "Unit dengan kode {code} tidak ada di basis data kantor pusat; sebutkan unit kantor itu "
                    "dengan --unit KODE atau kirim seluruh kabupaten dengan --semua."
                ).format(code=code)
            )
        peers.pin_site(
            s,
            request.site_id,
            name=request.name,
            sign_key=request.sign_key,
            age_recipient=request.age_recipient,
            unit_code=code,
        )
        if server_url:
            peers.set_server_url(s, server_url)
        url = peers.server_url(s)
        central_name, central_id = me.name, me.id
    keys = ensure_keys(central_id, keys_dir)
    extra = {
        "central": {
            "site_id": central_id,
            "name": central_name or central_id,
            "sign_key": keys.sign_key,
            "age_recipient": keys.age_recipient,
            "server_url": url,
        },
        "enrolled": {"site_id": request.site_id, "name": request.name, "unit_code": code},
    }
    return export_bundle(db, request.site_id, full=True, kind="enrollment", path=path, keys_dir=keys_dir, extra=extra)


def revoke_site(db: Database, site_id: str) -> Site:
    with db.transaction() as s:
        return peers.revoke(s, site_id)
