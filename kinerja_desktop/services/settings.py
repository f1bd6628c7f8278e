"""Settings of this installation: language, letterhead, export folder, demo flag.

Stored as JSON values in the ``settings`` table (local to the site, not synced); every
change is audited with its old and new value.

Keys in use: ``language``, ``letterhead``, ``export_folder``, ``demo`` (set by
``kinerja demo``), ``first_run_done``.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.orm import Session

from kinerja_desktop import files, paths
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, _
from kinerja_desktop.reports.views import Letterhead  # the kop surat: one type for settings and documents
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMINISTRATOR, Principal
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.store.site import Setting

LANGUAGE = "language"
LETTERHEAD = "letterhead"
EXPORT_FOLDER = "export_folder"
DEMO = "demo"
FIRST_RUN_DONE = "first_run_done"

MAX_LOGO_BYTES = 2 * 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
LOGO_STEM = "logo"


def get_setting(session: Session, key: str, default=None):
    """The stored value of ``key`` (``default`` when never set)."""
    row = session.get(Setting, key)
    return default if row is None else row.value


def set_setting(session: Session, actor: Principal, key: str, value) -> None:
    """Store ``value`` (JSON-able) under ``key``; administrator (or system) only; audited."""
    require_role(actor, ADMINISTRATOR)
    write_setting(session, actor, key, value)


def write_setting(session: Session, actor: Principal, key: str, value) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
        session.flush()
        record(session, actor, "create", "settings", key, None, {"value": value})
        return
    old = row.value
    if old == value:
        return
    row.value = value
    session.flush()
    record(session, actor, "update", "settings", key, {"value": old}, {"value": value})


def is_demo(session: Session) -> bool:
    """True for a demo database (made by ``kinerja demo``)."""
    return bool(get_setting(session, DEMO, False))


# --- language ---------------------------------------------------------------------------


def get_language(session: Session) -> str:
    value = get_setting(session, LANGUAGE, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def set_language(session: Session, actor: Principal, lang: str) -> None:
    """Store the display language ("id" or "en").

    Any signed-in user may change it (it only changes how text is shown). The caller
    applies it to the running program (``i18n.set_language``) and redraws.
    """
    if lang not in LANGUAGES:
        raise UserError(
            _("Bahasa '{lang}' tidak tersedia. Pilih salah satu: {choices}.").format(
                lang=lang, choices=", ".join(sorted(LANGUAGES))
            )
        )
    write_setting(session, actor, LANGUAGE, lang)


# --- export folder ----------------------------------------------------------------------


def get_export_folder(session: Session) -> Path:
    value = get_setting(session, EXPORT_FOLDER)
    return Path(value) if value else paths.locations().exports


def set_export_folder(session: Session, actor: Principal, path) -> None:
    """The default folder for exported files; created when missing; administrator only."""
    require_role(actor, ADMINISTRATOR)
    folder = Path(path).expanduser()
    if not folder.is_absolute():
        folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise UserError(
            _("{path} adalah berkas, bukan folder. Pilih sebuah folder untuk hasil ekspor.").format(path=folder)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            _("Folder {path} tidak dapat dibuat ({reason}). Pilih folder lain.").format(
                path=folder, reason=exc.strerror or exc
            )
        ) from exc
    if not os.access(folder, os.W_OK):
        raise UserError(
            _("Folder {path} tidak dapat ditulisi. Pilih folder lain atau minta izin menulis.").format(path=folder)
        )
    write_setting(session, actor, EXPORT_FOLDER, str(folder))


# --- letterhead -------------------------------------------------------------------------


def _logo_kind(head: bytes) -> str | None:
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(JPEG_MAGIC):
        return "jpg"
    return None


def check_logo(path) -> str:
    """The logo's type ("png" or "jpg"), read from its first bytes; :class:`UserError` otherwise."""
    src = Path(path).expanduser()
    if not src.is_file():
        raise UserError(_("Berkas logo {path} tidak ditemukan. Pilih berkas gambar PNG atau JPG.").format(path=src))
    size = src.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise UserError(
            _("Berkas logo {path} terlalu besar ({size} KB); batasnya 2 MB. Perkecil gambarnya lalu coba lagi.").format(
                path=src.name, size=size // 1024
            )
        )
    with src.open("rb") as fh:
        kind = _logo_kind(fh.read(len(PNG_MAGIC)))
    if kind is None:
        raise UserError(
            _("Berkas {path} bukan gambar PNG atau JPG. Simpan logo sebagai PNG atau JPG lalu pilih lagi.").format(
                path=src.name
            )
        )
    return kind


def _install_logo(source: Path) -> Path:
    """Copy ``source`` into the data folder as ``logo.png``/``logo.jpg`` (atomically)."""
    kind = check_logo(source)
    data = paths.locations().data
    data.mkdir(parents=True, exist_ok=True)
    target = data / f"{LOGO_STEM}.{kind}"
    if source.resolve() == target.resolve():
        return target
    content = source.read_bytes()
    files.write_atomic(target, content)
    for other in ("png", "jpg"):
        if other != kind:
            (data / f"{LOGO_STEM}.{other}").unlink(missing_ok=True)
    return target


def get_letterhead(session: Session) -> Letterhead:
    """The letterhead; ``logo_path`` is the absolute path of the copy in the data folder."""
    value = get_setting(session, LETTERHEAD)
    if not isinstance(value, dict):
        return Letterhead()
    default = Letterhead()
    logo = value.get("logo")
    logo_path = None
    if logo:
        candidate = paths.locations().data / logo
        logo_path = str(candidate) if candidate.is_file() else None
    return Letterhead(
        government=value.get("government") or default.government,
        unit_name=value.get("unit_name", ""),
        address_lines=tuple(value.get("address_lines") or ()),
        logo_path=logo_path,
    )


def set_letterhead(session: Session, actor: Principal, lh: Letterhead) -> None:
    """Store the letterhead; the logo (PNG/JPG, at most 2 MB) is copied into the data folder.

    The stored setting names the copy relative to the data folder, so a moved data folder
    keeps its logo. Administrator only.
    """
    require_role(actor, ADMINISTRATOR)
    government = " ".join((lh.government or "").split())
    if not government:
        raise UserError(_("Nama pemerintah pada kop surat belum diisi, misalnya PEMERINTAH KABUPATEN BATANGHARI."))
    lines = tuple(" ".join(line.split()) for line in (lh.address_lines or ()) if line and line.strip())
    if len(lines) > 4:
        raise UserError(_("Alamat pada kop surat paling banyak 4 baris."))
    logo_name = None
    if lh.logo_path:
        logo_name = _install_logo(Path(lh.logo_path).expanduser()).name
    value = asdict(Letterhead(government, " ".join((lh.unit_name or "").split()), lines, None))
    value.pop("logo_path")
    value["address_lines"] = list(lines)
    value["logo"] = logo_name
    write_setting(session, actor, LETTERHEAD, value)
