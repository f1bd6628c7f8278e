"""Importing a bundle: all or nothing, and idempotent (sync.md, "Import").

1. decrypt, verify the signature against the pinned key of the source site, check the
   target, every file hash and the counts (``bundle_reader``);
2. refuse newer versions;
3. a bundle already applied is reported as such ("sudah diterima") and changes nothing;
4. apply in one transaction (``apply``);
5. record the bundle, the acknowledgements and the conflicts, and reply with an ``ack``
   bundle (its bytes in :attr:`ImportResult.ack`);
6. on any failure roll back and say why in one sentence; the input file is never touched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from kinerja_desktop import paths
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.progress import Job, Progress, run
from kinerja_desktop.store.database import Database
from kinerja_desktop.store.site import Site
from kinerja_desktop.store.sync_models import ReceivedBundle, SentBundle
from kinerja_desktop.sync import audit_anchor, peers
from kinerja_desktop.sync.apply import Applier, ApplyStats
from kinerja_desktop.sync.authority import authority_for
from kinerja_desktop.sync.bundle_reader import Bundle, read_bundle
from kinerja_desktop.sync.bundle_writer import BundleContent, build_bundle, write_atomic
from kinerja_desktop.sync.clock_check import check_stamps, max_ahead_ms
from kinerja_desktop.sync.errors import BundleRefused, FingerprintNeeded, SyncError
from kinerja_desktop.sync.keys import SiteKeys, fingerprint, load_keys
from kinerja_desktop.sync.tables import sync_schema

log = logging.getLogger(__name__)

ACK_SUFFIX = ".ack.kinerja"


@dataclass
class ImportResult:
    status: str  # "applied" or "duplicate"
    bundle_id: str
    kind: str
    source_site: str
    counts: dict[str, int]
    stats: ApplyStats | None
    ack: bytes | None
    ack_id: str | None = None
    ack_path: Path | None = None

    @property
    def message(self) -> str:
        if self.status == "duplicate":
            return _("Bundel {id} dari {site} sudah diterima sebelumnya; tidak ada yang diubah.").format(
                id=self.bundle_id[:8], site=self.source_site
            )
        if self.kind == "ack":
            return _("Tanda terima {id} dari {site} dicatat.").format(id=self.bundle_id[:8], site=self.source_site)
        stats = self.stats or ApplyStats()
        text = _(
            "Bundel {id} dari {site} diterapkan: {n} perubahan diterima, {skipped} sudah ada, {conflicts} konflik."
        ).format(
            id=self.bundle_id[:8],
            site=self.source_site,
            n=stats.total_applied,
            skipped=stats.skipped - stats.refused,
            conflicts=stats.conflicts - stats.refused,
        )
        if stats.refused:
            text += " " + _(
                "{n} perubahan ditolak (di luar wewenang {site}, dipalsukan, atau nilainya tidak sah); "
                "lihat halaman Konflik."
            ).format(n=stats.refused, site=self.source_site)
        return text


def _str(d: dict, key: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value or len(value) > 200:
        raise BundleRefused(
            _("Bundel pendaftaran ini tidak lengkap ({field}); berkas tidak diterapkan.").format(field=key)
        )
    return value


def _same_fingerprint(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return "".join(ch for ch in x.upper() if ch.isalnum())

    return bool(norm(a)) and norm(a) == norm(b)


def _confirm_central(central: dict, confirmed: str | None) -> str:
    """The central key of a first enrollment, once a person confirmed its fingerprint."""
    key = _str(central, "sign_key")
    try:
        shown = fingerprint(key)
    except (ValueError, TypeError):
        raise BundleRefused(_("Bundel pendaftaran ini memuat kunci kantor pusat yang tidak sah.")) from None
    if confirmed is None:
        raise FingerprintNeeded(shown, _str(central, "site_id"))
    if not _same_fingerprint(confirmed, shown):
        raise BundleRefused(
            _(
                "Sidik jari kunci kantor pusat dalam bundel pendaftaran ini ({shown}) tidak sama dengan yang "
                "dibacakan BKPSDM ({given}): bundel ini bukan dari kantor pusat Anda; tidak ada yang diubah."
            ).format(shown=shown, given=confirmed[:40])
        )
    return key


def _key_for(
    session: Session, me: Site, manifest: dict, *, fingerprint_ok: str | None = None, reenroll: bool = False
) -> str:
    source = manifest.get("source_site")
    if not isinstance(source, str) or not source:
        raise BundleRefused(_("Bundel ini tidak menyebut situs pengirimnya; berkas tidak diterapkan."))
    source = source[:80]
    if source == me.id:
        raise BundleRefused(_("Bundel ini dibuat oleh situs ini sendiri; impor di situs tujuannya."))
    site = session.get(Site, source)
    key = peers.pinned_key(session, source)
    if site is not None and site.revoked:
        raise BundleRefused(
            _("Bundel ini dari situs {site} yang sudah dicabut; berkas tidak diterapkan.").format(site=source)
        )
    if manifest.get("kind") == "enrollment" and me.is_central:
        raise BundleRefused(_("Kantor pusat tidak menerima bundel pendaftaran."))
    if manifest.get("kind") == "enrollment" and key is not None and not reenroll:
        raise BundleRefused(
            _(
                "Situs ini sudah terdaftar di kantor pusat {central}; bundel pendaftaran baru hanya diterima bila "
                "administrator sengaja mendaftar ulang ('sync import --daftar-ulang')."
            ).format(central=source)
        )
    if manifest.get("kind") == "enrollment" and key is None:
        other = peers.central_peer(session)
        if other is not None:
            raise BundleRefused(
                _(
                    "Situs ini sudah terdaftar di kantor pusat {central}; bundel pendaftaran dari {site} ditolak."
                ).format(central=other.id, site=source)
            )
        central = manifest.get("central")
        if not isinstance(central, dict):
            raise BundleRefused(_("Bundel pendaftaran ini tidak memuat kunci kantor pusat."))
        return _confirm_central(central, fingerprint_ok)
    if site is None or key is None:
        raise BundleRefused(
            _("Bundel ini dari situs {site} yang tidak terdaftar di sini; daftarkan situs itu lebih dulu.").format(
                site=source
            )
        )
    return key.sign_key


def _pin_central(session: Session, me: Site, manifest: dict) -> None:
    central = manifest.get("central")
    enrolled = manifest.get("enrolled")
    if not isinstance(central, dict) or not isinstance(enrolled, dict):
        raise BundleRefused(_("Bundel pendaftaran ini tidak lengkap; berkas tidak diterapkan."))
    if _str(central, "site_id") != manifest["source_site"] or enrolled.get("site_id") != me.id:
        raise BundleRefused(_("Bundel pendaftaran ini tidak cocok dengan situs ini; berkas tidak diterapkan."))
    try:
        peers.pin_site(
            session,
            manifest["source_site"],
            name=_str(central, "name"),
            sign_key=_str(central, "sign_key"),
            age_recipient=_str(central, "age_recipient"),
            is_central=True,
        )
    except SyncError as exc:
        raise BundleRefused(exc.message) from None
    url = central.get("server_url")
    if isinstance(url, str) and url:
        peers.set_server_url(session, url[:500])
    unit_code = enrolled.get("unit_code")
    me.unit_code = unit_code if isinstance(unit_code, str) and unit_code else None


def build_ack(db: Database, session: Session, keys: SiteKeys, target: str) -> tuple[str, bytes]:
    """An ``ack`` bundle telling ``target`` how far we have applied its log."""
    key = peers.pinned_key(session, target)
    content = BundleContent(
        kind="ack",
        source_site=db.site_id,
        target_site=target,
        created_hlc=db.clock.now(),
        acks=peers.received_acks(session),
        extra={"audit_anchor_held": audit_anchor.held_for(session, target)},
    )
    manifest, data = build_bundle(content, keys, key.age_recipient)
    session.add(
        SentBundle(
            bundle_id=manifest["bundle_id"],
            target_site=target,
            kind="ack",
            size=len(data),
            counts={},
            seq_from=0,
            seq_to=0,
            path="",
        )
    )
    return manifest["bundle_id"], data


def _stamps(bundle: Bundle):
    yield bundle.manifest["created_hlc"]
    if bundle.changes.newest_hlc:  # every stamp's form was checked when the bundle was read
        yield bundle.changes.newest_hlc


def _apply(
    db: Database,
    s: Session,
    keys: SiteKeys,
    me: Site,
    bundle: Bundle,
    schema,
    *,
    two_phase: bool | None,
    blobs_dir: Path | None,
    authorize: bool = True,
) -> Job[ImportResult]:
    m = bundle.manifest
    source = m["source_site"]
    if s.get(ReceivedBundle, bundle.bundle_id) is not None:
        ack_id, ack = (None, None) if bundle.kind == "ack" else build_ack(db, s, keys, source)
        return ImportResult("duplicate", bundle.bundle_id, bundle.kind, source, m["counts"], None, ack, ack_id)
    check_stamps(_stamps(bundle), source=source, ahead_ms=max_ahead_ms(s))
    audit_anchor.receive(s, source, m.get("audit_anchor"))
    audit_anchor.confirm(s, source, m.get("audit_anchor_held"))
    if bundle.kind == "enrollment":
        _pin_central(s, me, m)
    state = peers.ack_state(s, source)
    acked = m["acks"].get(me.id)
    if acked is not None:
        peers.record_ack(s, source, acked, m["created_hlc"])
    stats = None
    if bundle.kind != "ack":
        authority = authority_for(s, schema, source) if authorize else None
        applier = Applier(
            s,
            schema,
            source_site=source,
            acked_seq=state.acked_seq,
            bundle_id=bundle.bundle_id,
            two_phase=two_phase,
            blobs_dir=blobs_dir,
            authority=authority,
        )
        stats = yield from applier.run(bundle.changes, bundle.blobs)
        if m["seq_from"] <= state.received_seq:  # contiguous: nothing of the source's log is missing
            state.received_seq = max(state.received_seq, m["seq_to"])
        state.received_at = datetime.utcnow()
    db.clock.observe(m["created_hlc"])
    s.add(
        ReceivedBundle(
            bundle_id=bundle.bundle_id,
            source_site=source,
            kind=bundle.kind,
            size=bundle.size,
            counts=m["counts"],
            seq_from=m["seq_from"],
            seq_to=m["seq_to"],
            applied=stats.total_applied if stats else 0,
            conflicts=stats.conflicts if stats else 0,
            result="applied",
        )
    )
    s.flush()
    ack_id, ack = (None, None) if bundle.kind == "ack" else build_ack(db, s, keys, source)
    return ImportResult("applied", bundle.bundle_id, bundle.kind, source, m["counts"], stats, ack, ack_id)


def import_bundle_job(
    db: Database,
    data: bytes,
    *,
    keys_dir: Path | None = None,
    blobs_dir: Path | None = None,
    two_phase: bool | None = None,
    authorize: bool = True,
    fingerprint: str | None = None,
    reenroll: bool = False,
) -> Job[ImportResult]:
    """Verify and apply a bundle's bytes; yields progress, returns :class:`ImportResult`.

    ``authorize=False`` skips ``sync.authority`` (only the benchmark measures its cost that way).
    ``fingerprint``: the central key's fingerprint as BKPSDM read it out; a first enrollment
    is refused without it (:class:`FingerprintNeeded` carries the one to compare) or when it
    differs. ``reenroll``: an administrator deliberately takes a new enrollment bundle from
    the central office this site is already enrolled at.
    """
    keys = load_keys(db.refresh_identity(), keys_dir)
    schema = sync_schema(db.engine)
    known = {i.name for i in schema}
    yield Progress(0, None, _("Memeriksa bundel"))
    try:
        with db.transaction() as s:
            me = peers.local_site(s)
            bundle = read_bundle(
                data,
                identity=keys.identity,
                local_site=me.id,
                key_for=lambda m: _key_for(s, me, m, fingerprint_ok=fingerprint, reenroll=reenroll),
                known_tables=known,
            )
            result = yield from _apply(
                db, s, keys, me, bundle, schema, two_phase=two_phase, blobs_dir=blobs_dir, authorize=authorize
            )
    except IntegrityError as exc:
        log.info("bundle refused by the database: %s", exc)
        raise BundleRefused(
            _(
                "Bundel ini tidak dapat diterapkan: isinya merujuk data yang tidak ada di sini atau bentrok dengan data "
                "di sini ({detail}); tidak ada yang diubah."
            ).format(detail=str(exc.orig)[:120])
        ) from None
    except OperationalError as exc:
        raise SyncError(
            _(
                "Basis data sedang dipakai atau tidak dapat ditulis ({detail}); tidak ada yang diubah, coba lagi."
            ).format(detail=str(exc.orig)[:120])
        ) from None
    except DBAPIError as exc:
        log.info("bundle refused by the database: %s", exc)
        raise BundleRefused(
            _("Bundel ini memuat nilai yang ditolak basis data ({detail}); tidak ada yang diubah.").format(
                detail=str(exc.orig)[:120]
            )
        ) from None
    return result


def import_bundle(db: Database, data: bytes, **kw) -> ImportResult:
    """Transport-agnostic import of a bundle's bytes (the ack to send back is in ``.ack``)."""
    return run(import_bundle_job(db, data, **kw))


def default_ack_path(path: Path) -> Path:
    name = path.name[: -len(".kinerja")] if path.name.endswith(".kinerja") else path.name
    return path.with_name(name + ACK_SUFFIX)


def read_bundle_file(path: str | Path) -> bytes:
    path = Path(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnusableInput(
            _("Berkas {path} tidak dapat dibaca ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from None


def write_ack(result: ImportResult, path: Path, ack_path: str | Path | None = None) -> Path | None:
    """Put the ack next to the input (or at ``ack_path``; the exports folder when that fails)."""
    if result.ack is None:
        return None
    target = Path(ack_path) if ack_path else default_ack_path(Path(path))
    try:
        result.ack_path = write_atomic(target, result.ack)
    except OSError:
        result.ack_path = write_atomic(paths.locations().exports / target.name, result.ack)
    return result.ack_path


def import_bundle_file_job(
    db: Database, path: str | Path, *, ack_path: str | Path | None = None, **kw
) -> Job[ImportResult]:
    data = read_bundle_file(path)
    result = yield from import_bundle_job(db, data, **kw)
    write_ack(result, Path(path), ack_path)
    return result


def import_bundle_file(db: Database, path: str | Path, *, ack_path: str | Path | None = None, **kw) -> ImportResult:
    return run(import_bundle_file_job(db, path, ack_path=ack_path, **kw))
