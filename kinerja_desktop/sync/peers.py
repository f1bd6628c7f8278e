"""Sites this one exchanges bundles with: pinned keys, revocation, acknowledgements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.i18n import _
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.site import SERVER_URL_SETTING, Setting, Site, server_url, set_server_url  # noqa: F401 (sync's names)
from kinerja_desktop.store.sync_models import SiteKey, SyncAck
from kinerja_desktop.sync.errors import NotEnrolled, SyncError


def local_site(session: Session) -> Site:
    site = session.scalar(select(Site).where(Site.is_local.is_(True)))
    if site is None:  # pragma: no cover - open_database always makes one
        raise SyncError(_("Basis data ini belum punya identitas situs; jalankan 'kinerja site init'."))
    return site


def pinned_key(session: Session, site_id: str) -> SiteKey | None:
    return session.get(SiteKey, site_id)


def peers(session: Session) -> list[Site]:
    """Every other site whose keys are pinned here (revoked ones too)."""
    return list(
        session.scalars(
            select(Site).join(SiteKey, SiteKey.site_id == Site.id).where(Site.is_local.is_(False)).order_by(Site.id)
        )
    )


def central_peer(session: Session) -> Site | None:
    """The central office this site is enrolled with (offices only)."""
    return session.scalar(
        select(Site)
        .join(SiteKey, SiteKey.site_id == Site.id)
        .where(Site.is_local.is_(False), Site.is_central.is_(True))
    )


def pin_site(
    session: Session,
    site_id: str,
    *,
    name: str,
    sign_key: str,
    age_recipient: str,
    unit_code: str | None = None,
    is_central: bool = False,
) -> Site:
    """Register a peer and pin its keys; a peer already pinned with other keys is refused."""
    site = session.get(Site, site_id)
    key = session.get(SiteKey, site_id)
    if site is not None and site.is_local:
        raise SyncError(_("Situs {site} adalah situs ini sendiri.").format(site=site_id))
    if key is not None and (key.sign_key != sign_key or key.age_recipient != age_recipient):
        raise SyncError(
            _("Situs {site} sudah terdaftar dengan kunci lain; kunci yang tersimpan tidak diganti.").format(
                site=site_id
            )
        )
    if site is not None and site.revoked:
        raise SyncError(_("Situs {site} sudah dicabut dan tidak dapat didaftarkan lagi.").format(site=site_id))
    if site is None:
        site = Site(id=site_id, is_local=False, revoked=False, last_hlc="")
        session.add(site)
    site.name = name
    site.unit_code = unit_code
    site.is_central = is_central
    if key is None:
        session.add(SiteKey(site_id=site_id, sign_key=sign_key, age_recipient=age_recipient))
    session.flush()
    return site


def revoke(session: Session, site_id: str) -> Site:
    site = session.get(Site, site_id)
    if site is None or site.is_local:
        raise SyncError(_("Situs {site} tidak terdaftar di sini.").format(site=site_id))
    site.revoked = True
    return site


def ack_state(session: Session, site_id: str) -> SyncAck:
    state = session.get(SyncAck, site_id)
    if state is None:
        state = SyncAck(site_id=site_id, received_seq=0, acked_seq=0, acked_hlc="")
        session.add(state)
        session.flush()
    return state


def max_seq(session: Session) -> int:
    return int(session.scalar(select(func.max(ChangeLog.seq))) or 0)


def pending_changes(session: Session, site_id: str) -> int:
    """Changes (rows) in our log the peer has not acknowledged yet."""
    state = session.get(SyncAck, site_id)
    after = state.acked_seq if state else 0
    return int(session.scalar(select(func.count(func.distinct(ChangeLog.row_id))).where(ChangeLog.seq > after)) or 0)


def record_ack(session: Session, site_id: str, seq: int, bundle_hlc: str) -> None:
    """A peer says it has applied our log up to ``seq`` (newest bundle wins)."""
    state = ack_state(session, site_id)
    if bundle_hlc <= (state.acked_hlc or ""):
        return
    state.acked_seq = max(0, min(int(seq), max_seq(session)))
    state.acked_hlc = bundle_hlc
    state.acked_at = datetime.utcnow()


def received_acks(session: Session) -> dict[str, int]:
    """Highest seq applied here from each peer (what our bundles acknowledge)."""
    return {a.site_id: a.received_seq for a in session.scalars(select(SyncAck))}


def require_target(session: Session, target: str | None) -> Site:
    """The peer a bundle goes to: ``target`` or, at an office, its central office."""
    me = local_site(session)
    if target is None:
        if me.is_central:
            raise SyncError(_("Sebutkan situs tujuan dengan --to (kantor pusat mengirim ke banyak kantor)."))
        site = central_peer(session)
        if site is None:
            raise NotEnrolled(
                _(
                    "Situs ini belum terdaftar di kantor pusat; buat permintaan dengan "
                    "'kinerja site request' lalu impor bundel pendaftaran dari kantor pusat."
                )
            )
        return site
    site = session.get(Site, target)
    if site is None or site.is_local or pinned_key(session, target) is None:
        raise SyncError(_("Situs {site} tidak terdaftar di sini.").format(site=target))
    if site.revoked:
        raise SyncError(_("Situs {site} sudah dicabut; tidak ada bundel untuknya.").format(site=target))
    return site
