"""Audit anchoring (docs/security.md, "Audit anchoring"): every bundle carries the sender's
latest audit-chain entry (number and hash), so the receiver holds an anchor of that chain
outside the sender's PC.

- The sender adds ``audit_anchor = {"seq", "hash", "check_seq", "check_hash"}`` to the
  signed manifest: its newest entry, and its entry at the anchor the receiver last
  confirmed (``check_*``; the receiver compares it with what it holds).
- The receiver keeps the newest anchor per site (``settings``: ``audit_anchor.<site>``).
  An anchor that goes backwards (entries deleted) or a ``check_hash`` that differs from the
  held one (the chain rewritten) is kept as a finding (``audit_anchor_broken.<site>``); the
  bundle's data still applies (the finding is about the sender's audit trail, not its data).
- The receiver's ack carries the anchor it holds (``audit_anchor_held``); the sender keeps
  it (``audit_anchor_confirmed.<site>``), and ``kinerja audit verify`` checks the local chain
  against it: a chain cut or rewritten before that anchor is reported.

Nothing here refuses a bundle; a missing or malformed anchor (an older program) is ignored.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.i18n import _
from kinerja_desktop.store.audit import AuditEntry
from kinerja_desktop.store.site import Setting

HELD = "audit_anchor."
BROKEN = "audit_anchor_broken."
CONFIRMED = "audit_anchor_confirmed."
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _get(session: Session, key: str):
    row = session.get(Setting, key[:80])
    return row.value if row is not None else None


def _put(session: Session, key: str, value) -> None:
    row = session.get(Setting, key[:80])
    if row is None:
        session.add(Setting(key=key[:80], value=value))
    else:
        row.value = value


def hash_at(session: Session, seq: int) -> str | None:
    return session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))


def latest(session: Session) -> tuple[int, str]:
    row = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return (int(row[0]), row[1]) if row else (0, "")


def for_bundle(session: Session, target: str) -> dict:
    """The ``audit_anchor`` of a bundle for ``target``."""
    seq, h = latest(session)
    confirmed = _get(session, CONFIRMED + target) or {}
    check_seq = int(confirmed.get("seq", 0)) if isinstance(confirmed, dict) else 0
    return {"seq": seq, "hash": h, "check_seq": check_seq, "check_hash": hash_at(session, check_seq) or ""}


def _valid(anchor) -> bool:
    return (
        isinstance(anchor, dict)
        and isinstance(anchor.get("seq"), int)
        and anchor["seq"] >= 0
        and isinstance(anchor.get("hash"), str)
        and (anchor["hash"] == "" or _HEX64.match(anchor["hash"]))
        and isinstance(anchor.get("check_seq", 0), int)
        and isinstance(anchor.get("check_hash", ""), str)
    )


def receive(session: Session, source: str, anchor) -> None:
    """Keep ``source``'s anchor; note a chain that was cut or rewritten before the one held."""
    if not _valid(anchor):
        return
    held = _get(session, HELD + source)
    now = datetime.utcnow().isoformat(timespec="seconds")
    if isinstance(held, dict) and held.get("seq", 0) > 0:
        reason = None
        if anchor["seq"] < held["seq"]:
            reason = "truncated"
        elif anchor.get("check_seq") == held["seq"] and anchor.get("check_hash") != held["hash"]:
            reason = "rewritten"
        if reason:
            _put(
                session,
                BROKEN + source,
                {"reason": reason, "held_seq": held["seq"], "sent_seq": anchor["seq"], "at": now},
            )
            return
    if not isinstance(held, dict) or anchor["seq"] >= held.get("seq", 0):
        _put(session, HELD + source, {"seq": anchor["seq"], "hash": anchor["hash"], "at": now})


def held_for(session: Session, site: str) -> dict | None:
    held = _get(session, HELD + site)
    return {"seq": held["seq"], "hash": held["hash"]} if isinstance(held, dict) else None


def confirm(session: Session, source: str, anchor) -> None:
    """Keep what ``source`` holds of our chain (from its ack)."""
    if isinstance(anchor, dict) and isinstance(anchor.get("seq"), int) and isinstance(anchor.get("hash"), str):
        _put(session, CONFIRMED + source, {"seq": anchor["seq"], "hash": anchor["hash"]})


def findings(session: Session) -> list[str]:
    """Sentences for every anchor the audit trails here or at the offices do not match."""
    out = []
    last_seq, _h = latest(session)
    for row in session.scalars(select(Setting).where(Setting.key.startswith(CONFIRMED))):
        site, anchor = row.key[len(CONFIRMED) :], row.value or {}
        seq = anchor.get("seq", 0)
        if not seq:
            continue
        if last_seq < seq:
            out.append(
                _(
                    "Jejak audit di sini dipotong: {site} memegang jangkar entri nomor {seq}, tetapi entri "
                    "terakhir di sini nomor {last}."
                ).format(site=site, seq=seq, last=last_seq)
            )
        elif hash_at(session, seq) != anchor.get("hash"):
            out.append(
                _("Jejak audit di sini ditulis ulang sebelum jangkar entri nomor {seq} yang dipegang {site}.").format(
                    site=site, seq=seq
                )
            )
    for row in session.scalars(select(Setting).where(Setting.key.startswith(BROKEN))):
        site, b = row.key[len(BROKEN) :], row.value or {}
        what = _("dipotong") if b.get("reason") == "truncated" else _("ditulis ulang")
        out.append(
            _("Jejak audit kantor {site} {what} sebelum jangkar entri nomor {seq} yang disimpan di sini.").format(
                site=site, what=what, seq=b.get("held_seq")
            )
        )
    return out
