"""The shared-folder transport: an outbox and an inbox on a network share (or any folder).

Sending writes one bundle per peer into the outbox; picking up imports every ``*.kinerja``
file in the inbox (acks included), writes the acks into the outbox, and moves each applied
file into ``inbox/diterima/``. A refused file stays where it is, with the reason reported.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.settings import get_setting, set_setting
from kinerja_desktop.store.database import Database
from kinerja_desktop.sync import peers
from kinerja_desktop.sync.export import ExportResult, export_bundle
from kinerja_desktop.sync.importer import ImportResult, import_bundle, read_bundle_file, write_ack

OUTBOX_SETTING = "sync.outbox"
INBOX_SETTING = "sync.inbox"
DONE_FOLDER = "diterima"


@dataclass(frozen=True)
class SharedFolders:
    outbox: Path | None
    inbox: Path | None

    @property
    def configured(self) -> bool:
        return self.outbox is not None and self.inbox is not None


def get_shared_folders(session: Session) -> SharedFolders:
    out, inbox = get_setting(session, OUTBOX_SETTING), get_setting(session, INBOX_SETTING)
    return SharedFolders(Path(out) if out else None, Path(inbox) if inbox else None)


def set_shared_folders(session: Session, actor: Principal, outbox: str | Path | None, inbox: str | Path | None) -> None:
    """Store both folders (empty: not used); administrator only, audited."""
    set_setting(session, actor, OUTBOX_SETTING, str(Path(outbox).expanduser()) if outbox else "")
    set_setting(session, actor, INBOX_SETTING, str(Path(inbox).expanduser()) if inbox else "")


def bundle_file_name(source: str, target: str, kind: str = "changes") -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    label = {"ack": "tanda-terima"}.get(kind, "data")
    return f"{source}-ke-{target}-{label}-{stamp}.kinerja"


def send_to_outbox(db: Database, outbox: Path, **kw) -> list[ExportResult]:
    """One bundle per peer (not revoked) into ``outbox``."""
    try:
        outbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            _("Folder kirim {path} tidak dapat dipakai ({reason}).").format(path=outbox, reason=exc.strerror or exc)
        ) from None
    with db.session() as s:
        me = peers.local_site(s)
        if me.is_central:
            targets = [p.id for p in peers.peers(s) if not p.revoked]
        else:
            targets = [peers.require_target(s, None).id]
    return [export_bundle(db, t, path=outbox / bundle_file_name(db.site_id, t), **kw) for t in targets]


@dataclass
class PickedUp:
    path: Path
    result: ImportResult | None
    error: str | None


def pick_up_inbox(db: Database, inbox: Path, outbox: Path, **kw) -> list[PickedUp]:
    """Import every bundle waiting in ``inbox`` (oldest first)."""
    if not inbox.is_dir():
        raise UserError(
            _("Folder terima {path} tidak ditemukan; periksa sambungan ke folder bersama.").format(path=inbox)
        )
    done = inbox / DONE_FOLDER
    out: list[PickedUp] = []
    for path in sorted(inbox.glob("*.kinerja"), key=lambda p: p.stat().st_mtime):
        try:
            result = import_bundle(db, read_bundle_file(path), **kw)
            if result.ack is not None:
                write_ack(result, path, outbox / bundle_file_name(db.site_id, result.source_site, "ack"))
            done.mkdir(exist_ok=True)
            shutil.move(str(path), done / path.name)
            out.append(PickedUp(path, result, None))
        except UserError as exc:
            out.append(PickedUp(path, None, exc.message))
    return out
